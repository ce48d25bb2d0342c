"""PaymentMethod: every operation's exact request on the wire, and the typed object returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io
from tests.test_models import PAYMENT_METHOD_EXAMPLE

# The payment method example of the API reference (section 7.7), verbatim, kept once in
# test_models.
PAYMENT_METHOD = PAYMENT_METHOD_EXAMPLE
PM = "pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3"
FLT = "flt_STpixc0H52WdIXZ4SeWaj9N4ekAbZUsS"
DRV = "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3"
Sdk = Callable[..., Any]


def check_payment_method(payment_method: Any) -> None:
    assert isinstance(payment_method, chargeapi.PaymentMethod)
    assert payment_method.id == PM
    assert payment_method.type is chargeapi.PaymentMethodType.CARD
    assert isinstance(payment_method.card, chargeapi.Card)
    assert payment_method.card.last4 == "4242"
    assert payment_method.billing_details is not None
    assert payment_method.billing_details.address is not None
    assert payment_method.billing_details.address.city == "Paris"


def page_of(*items: dict[str, Any]) -> httpx.Response:
    return httpx.Response(
        200, json={"data": list(items), "next_page_url": None, "previous_page_url": None}
    )


def test_documented_example_round_trips() -> None:
    payment_method = chargeapi.PaymentMethod.from_dict(PAYMENT_METHOD)
    check_payment_method(payment_method)
    assert payment_method.fleet == FLT
    assert payment_method.to_dict() == PAYMENT_METHOD


def test_bank_account_and_wallet_details_decode_and_keep_unknown_fields() -> None:
    data = {
        **PAYMENT_METHOD,
        "type": "bank_account",
        "card": None,
        "bank_account": {
            "bank_name": "Example Bank",
            "country": "FR",
            "currency": "eur",
            "fingerprint": "fp_bank_example",
            "last4": "6789",
            "status": "pending",
            "routing_number": "30004",
        },
        "wallet": {"balance": 1200, "currency": "eur", "fingerprint": "fp_w", "status": "active"},
    }
    payment_method = chargeapi.PaymentMethod.from_dict(data)
    assert isinstance(payment_method.bank_account, chargeapi.BankAccount)
    assert payment_method.bank_account.last4 == "6789"
    assert isinstance(payment_method.wallet, chargeapi.Wallet)
    assert payment_method.wallet.balance == 1200
    assert payment_method.to_dict() == data


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/payment_methods").mock(
        return_value=httpx.Response(200, json=PAYMENT_METHOD)
    )
    payment_method = sdk(
        chargeapi.PaymentMethod.create,
        type="card",
        card={"cvc": "123", "exp_month": 12, "exp_year": 2030, "number": "4242424242424242"},
    )
    assert_post(
        route,
        {
            "card": {"cvc": "123", "exp_month": 12, "exp_year": 2030, "number": "4242424242424242"},
            "type": "card",
        },
    )
    check_payment_method(payment_method)


@respx.mock
def test_create_with_billing_details(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/payment_methods").mock(
        return_value=httpx.Response(200, json=PAYMENT_METHOD)
    )
    sdk(
        chargeapi.PaymentMethod.create,
        type="card",
        card={"number": "4242424242424242", "exp_month": 1, "exp_year": 2030},
        billing_details={"name": "Example", "address": {"country": "FR"}},
    )
    assert_post(
        route,
        {
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 1, "exp_year": 2030},
            "billing_details": {"name": "Example", "address": {"country": "FR"}},
        },
    )


@respx.mock
def test_retrieve_with_scope_and_expand(sdk: Sdk) -> None:
    fleet = {"id": FLT, "object": "fleet", "name": "Example Fleet"}
    route = respx.get(f"{API}/v1/payment_methods/{PM}").mock(
        return_value=httpx.Response(200, json={**PAYMENT_METHOD, "fleet": fleet})
    )
    payment_method = sdk(chargeapi.PaymentMethod.retrieve, PM, fleet=FLT, expand=["fleet"])
    assert_get(route, [("fleet", FLT), ("expand", "fleet")])
    check_payment_method(payment_method)
    assert isinstance(payment_method.fleet, chargeapi.Fleet)
    assert payment_method.fleet.name == "Example Fleet"


@respx.mock
def test_update_sends_only_what_was_given(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/payment_methods/{PM}").mock(
        return_value=httpx.Response(200, json=PAYMENT_METHOD)
    )
    check_payment_method(
        sdk(
            chargeapi.PaymentMethod.update,
            PM,
            card={"exp_month": 1, "exp_year": 2031},
            billing_details={"phone": "+33189000023"},
            bank_account={"bank_name": "Example Bank", "currency": "eur"},
        )
    )
    assert_post(
        route,
        {
            "card": {"exp_month": 1, "exp_year": 2031},
            "billing_details": {"phone": "+33189000023"},
            "bank_account": {"bank_name": "Example Bank", "currency": "eur"},
        },
    )


@respx.mock
def test_list_sends_filters_limit_and_expand(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/payment_methods").mock(return_value=page_of(PAYMENT_METHOD))
    page = sdk(chargeapi.PaymentMethod.list, fleet=FLT, type="card", limit=10, expand="driver")
    assert_get(route, [("fleet", FLT), ("type", "card"), ("limit", "10"), ("expand", "driver")])
    assert len(page.data) == 1
    check_payment_method(page.data[0])


@respx.mock
def test_list_with_no_filter_sends_no_query(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/payment_methods").mock(return_value=page_of())
    assert sdk(chargeapi.PaymentMethod.list).data == []
    assert_get(route, [])


def test_list_refuses_driver_and_fleet_together(sdk: Sdk) -> None:
    with (
        respx.mock(assert_all_called=False) as mock,
        pytest.raises(ValueError, match=r"^pass at most one of driver or fleet"),
    ):
        sdk(chargeapi.PaymentMethod.list, driver=DRV, fleet=FLT)
    assert not mock.calls


@pytest.mark.parametrize("action", ["attach", "detach"])
@pytest.mark.parametrize(("target", "value"), [("driver", DRV), ("fleet", FLT)])
@respx.mock
def test_attach_and_detach_send_the_one_target(
    sdk: Sdk, action: str, target: str, value: str
) -> None:
    route = respx.post(f"{API}/v1/payment_methods/{PM}/{action}").mock(
        return_value=httpx.Response(200, json=PAYMENT_METHOD)
    )
    check_payment_method(sdk(getattr(chargeapi.PaymentMethod, action), PM, **{target: value}))
    assert_post(route, {target: value})


@pytest.mark.parametrize("action", ["attach", "detach"])
@pytest.mark.parametrize(
    ("kwargs", "got"), [({}, "neither"), ({"driver": DRV, "fleet": FLT}, "driver and fleet")]
)
def test_attach_and_detach_need_exactly_one_target(
    sdk: Sdk, action: str, kwargs: dict[str, Any], got: str
) -> None:
    with (
        respx.mock(assert_all_called=False) as mock,
        pytest.raises(ValueError, match=rf"^pass exactly one of driver or fleet \(got {got}\)"),
    ):
        sdk(getattr(chargeapi.PaymentMethod, action), PM, **kwargs)
    assert not mock.calls


CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"type": "credit_card"}, ValueError, r"^type must be one of 'bank_account', 'card'"),
        ({"card": {**CARD, "exp_month": 13}}, ValueError, r"^card\.exp_month must be between 1"),
        ({"card": {**CARD, "exp_month": 0}}, ValueError, r"^card\.exp_month must be between 1"),
        ({"card": {"exp_month": 12, "exp_year": 2030}}, ValueError, r"^card\.number is required"),
        ({"card": {**CARD, "number": 4242424242424242}}, TypeError, r"^card\.number must be a"),
        ({"card": {**CARD, "brand": "visa"}}, ValueError, r"^card\.brand is not a documented"),
        (
            {"billing_details": {"address": {"zip": "75002"}}},
            ValueError,
            r"^billing_details\.address\.zip is not a documented",
        ),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    params: dict[str, Any] = {"type": "card", "card": CARD, **kwargs}
    with respx.mock(assert_all_called=False) as mock, pytest.raises(error, match=message) as info:
        sdk(chargeapi.PaymentMethod.create, **params)
    assert not mock.calls
    assert "4242424242424242" not in str(info.value)  # a card number never shows in an error


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "message"),
    [
        ("update", (PM,), {"card": {"number": "4242424242424242"}}, r"^card\.number is not a"),
        ("update", (PM,), {"card": {"exp_month": 13}}, r"^card\.exp_month must be between"),
        ("list", (), {"type": "cash"}, r"^type must be one of"),
        ("list", (), {"limit": 0}, r"^limit must be between 1 and 100"),
        ("attach", (PM,), {"fleet": DRV}, r"^fleet must be a fleet ID"),
        ("retrieve", (FLT,), {}, r"^id must be a payment method ID"),
    ],
)
def test_other_bad_input_is_refused_before_any_io(
    sdk: Sdk, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with refused_before_io(ValueError, match=message):
        sdk(getattr(chargeapi.PaymentMethod, method), *args, **kwargs)
