"""Account: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io
from tests.test_models import ADDRESS_EXAMPLE

# The account example of the API reference (section 7.9), verbatim.
ACCOUNT: dict[str, Any] = {
    "id": "acct_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv",
    "object": "account",
    "billing_details": {"billing_address": ADDRESS_EXAMPLE},
    "business_type": None,
    "contact": {"email": "example@example.com", "name": "Example", "phone": "+33189000010"},
    "created": "2026-04-01T00:32:04.021Z",
    "default_currency": "eur",
    "description": None,
    "email": "example@example.com",
    "metadata": {},
    "metric_system": "metric",
    "name": "Example Account",
    "plan": "professional",
    "preferences": {
        "billing_cycle": "monthly",
        "default_currency": "eur",
        "default_payment_method": None,
        "notifications": True,
        "report_frequency": "weekly",
        "reporting_enabled": True,
    },
    "registration_number": None,
    "status": "active",
    "type": "business",
    "updated": "2026-04-01T02:31:57.659Z",
    "wallet_balance": 42850,
}
ACCT = "acct_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv"
PM = "pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3"
Sdk = Callable[..., Any]


def check_account(account: Any) -> None:
    assert isinstance(account, chargeapi.Account)
    assert account.id == ACCT
    assert account.type is chargeapi.AccountType.BUSINESS
    assert account.metric_system is chargeapi.AccountMetricSystem.METRIC
    assert isinstance(account.billing_details, chargeapi.AccountBillingDetails)
    assert account.billing_details.billing_address is not None
    assert account.billing_details.billing_address.city == "Paris"
    assert account.contact is not None
    assert account.contact.phone == "+33189000010"
    assert account.preferences is not None
    assert account.preferences.reporting_enabled is True
    assert account.wallet_balance == 42850


def test_documented_example_round_trips() -> None:
    account = chargeapi.Account.from_dict(ACCOUNT)
    check_account(account)
    assert account.to_dict() == ACCOUNT


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/accounts").mock(return_value=httpx.Response(200, json=ACCOUNT))
    account = sdk(
        chargeapi.Account.create,
        default_currency="eur",
        email="example@example.com",
        name="Example",
        plan="professional",
        type="business",
        metadata={"account_segment": "enterprise"},
        metric_system="metric",
        preferences={"notifications": True, "reporting_enabled": False},
    )
    assert_post(
        route,
        {
            "default_currency": "eur",
            "email": "example@example.com",
            "name": "Example",
            "plan": "professional",
            "type": "business",
            "metadata": {"account_segment": "enterprise"},
            "metric_system": "metric",
            "preferences": {"notifications": True, "reporting_enabled": False},
        },
    )
    check_account(account)


@respx.mock
def test_create_with_nothing_sends_an_empty_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/accounts").mock(return_value=httpx.Response(200, json=ACCOUNT))
    check_account(sdk(chargeapi.Account.create))
    assert_post(route, {})


@respx.mock
def test_retrieve_with_expanded_default_payment_method(sdk: Sdk) -> None:
    body = {
        **ACCOUNT,
        "preferences": {**ACCOUNT["preferences"], "default_payment_method": {"id": PM}},
    }
    route = respx.get(f"{API}/v1/accounts/{ACCT}").mock(return_value=httpx.Response(200, json=body))
    account = sdk(chargeapi.Account.retrieve, ACCT, expand="preferences.default_payment_method")
    assert_get(route, [("expand", "preferences.default_payment_method")])
    check_account(account)
    assert isinstance(account.preferences.default_payment_method, chargeapi.PaymentMethod)


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/accounts/{ACCT}").mock(
        return_value=httpx.Response(200, json=ACCOUNT)
    )
    check_account(
        sdk(
            chargeapi.Account.update,
            ACCT,
            metadata={"account_segment": "enterprise"},
            preferences={"default_payment_method": PM},
        )
    )
    assert_post(
        route,
        {
            "metadata": {"account_segment": "enterprise"},
            "preferences": {"default_payment_method": PM},
        },
    )


@respx.mock
def test_update_sends_the_documented_metadata_example(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/accounts/{ACCT}").mock(
        return_value=httpx.Response(200, json=ACCOUNT)
    )
    sdk(
        chargeapi.Account.update,
        ACCT,
        metadata={"account_segment": "enterprise"},
        type="individual",
    )
    assert_post(route, {"metadata": {"account_segment": "enterprise"}, "type": "individual"})


@respx.mock
def test_retrieve_by_id_picks_account_from_the_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/accounts/{ACCT}").mock(
        return_value=httpx.Response(200, json=ACCOUNT)
    )
    check_account(chargeapi.retrieve(ACCT, client=client))
    assert_get(route, [])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"type": "company"}, ValueError, r"^type must be one of 'individual', 'business'"),
        ({"metric_system": "international_system"}, ValueError, r"^metric_system must be one of"),
        (
            {"preferences": {"default_payment_method": "card_1"}},
            ValueError,
            r"^preferences\.default_payment_method must be a payment method ID",
        ),
        ({"preferences": {"reporting": True}}, ValueError, r"^preferences\.reporting is not a"),
        ({"preferences": {"reporting_enabled": 1}}, TypeError, r"^preferences\.reporting_enabled"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
        ({"metadata": {str(i): "v" for i in range(51)}}, ValueError, r"^metadata may have at"),
        ({"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be at most 500"),
        ({"email": 42}, TypeError, r"^email must be a str"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.Account.create, **kwargs)


@pytest.mark.parametrize("method", ["retrieve", "update"])
def test_account_id_must_carry_its_prefix(sdk: Sdk, method: str) -> None:
    with (
        respx.mock(assert_all_called=False) as mock,
        pytest.raises(ValueError, match=r"^id must be an? account ID"),
    ):
        sdk(getattr(chargeapi.Account, method), "acc_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv")
    assert not mock.calls
