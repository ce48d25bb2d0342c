"""Driver: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The driver example of the API reference (section 7.3), verbatim.
DRIVER: dict[str, Any] = {
    "id": "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3",
    "object": "driver",
    "created": "2026-04-01T00:14:04.075Z",
    "email": "example@example.com",
    "fleets": ["flt_eHX2bF02REQ3CkjidnUeY8nvq8yJiWA3"],
    "license_number": None,
    "metadata": {},
    "name": "Example Driver",
    "phone": None,
    "policy_ids": ["pol_jVkWoUmJo3AuAyK1sHuRrNAu3Cj7rxSn"],
    "preferences": {
        "charging_speed": "fast",
        "currency": "eur",
        "default_payment_method": None,
        "max_price_per_kwh": None,
        "notifications": True,
        "preferred_charging_stations": ["chst_qtwELQheAdAmnYLZ4F6RgJZet3f7ZbrA"],
        "preferred_cpos": ["example_operator"],
    },
    "status": "active",
    "updated": "2026-04-01T01:13:51.435Z",
    "vehicles": ["veh_ASPMuIbvn8wrb9un5Zg2sQAoDXAxWLHt"],
    "wallet_balance": 1875,
}
DRV = "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3"
FLT = "flt_eHX2bF02REQ3CkjidnUeY8nvq8yJiWA3"
Sdk = Callable[..., Any]


def check_driver(driver: Any) -> None:
    assert isinstance(driver, chargeapi.Driver)
    assert driver.id == DRV
    assert driver.fleets == (FLT,)
    assert driver.status == chargeapi.DriverStatus.ACTIVE
    assert driver.wallet_balance == 1875
    assert driver.preferences is not None
    assert driver.preferences.preferred_cpos == ("example_operator",)


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/drivers").mock(return_value=httpx.Response(200, json=DRIVER))
    driver = sdk(
        chargeapi.Driver.create,
        name="Example Driver",
        email="example@example.com",
        phone="+33189000029",
        preferences={"notifications": True, "preferred_cpos": ["example_operator"]},
        metadata={"external_id": "42"},
    )
    assert_post(
        route,
        {
            "name": "Example Driver",
            "email": "example@example.com",
            "phone": "+33189000029",
            "preferences": {"notifications": True, "preferred_cpos": ["example_operator"]},
            "metadata": {"external_id": "42"},
        },
    )
    check_driver(driver)


@respx.mock
def test_retrieve_with_expand(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/drivers/{DRV}").mock(return_value=httpx.Response(200, json=DRIVER))
    check_driver(sdk(chargeapi.Driver.retrieve, DRV, expand=["preferences.default_payment_method"]))
    assert_get(route, [("expand", "preferences.default_payment_method")])


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/drivers/{DRV}").mock(
        return_value=httpx.Response(200, json=DRIVER)
    )
    check_driver(sdk(chargeapi.Driver.update, DRV, phone=None, name="New Name"))
    assert_post(route, {"name": "New Name", "phone": None})


@respx.mock
def test_list_sends_filters_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/drivers").mock(
        return_value=httpx.Response(
            200, json={"data": [DRIVER], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Driver.list, fleet=FLT, limit=10)
    assert_get(route, [("fleet", FLT), ("limit", "10")])
    assert len(page.data) == 1
    check_driver(page.data[0])


@pytest.mark.parametrize("action", ["attach", "detach"])
@respx.mock
def test_attach_and_detach_send_the_fleet(sdk: Sdk, action: str) -> None:
    route = respx.post(f"{API}/v1/drivers/{DRV}/{action}").mock(
        return_value=httpx.Response(200, json=DRIVER)
    )
    check_driver(sdk(getattr(chargeapi.Driver, action), DRV, fleet=FLT))
    assert_post(route, {"fleet": FLT})


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"preferences": {"max_price": 25}}, ValueError, r"^preferences\.max_price is not"),
        (
            {"preferences": {"default_payment_method": "card_1"}},
            ValueError,
            r"^preferences\.default_payment_method must be a payment method ID",
        ),
        ({"preferences": {"preferred_cpos": "ionity"}}, TypeError, r"preferred_cpos must be a"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
        ({"metadata": {str(i): "v" for i in range(51)}}, ValueError, r"^metadata may have at"),
        ({"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be at most 500"),
        ({"name": None}, TypeError, r"^name must be a str"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    params: dict[str, Any] = {"name": "A", "email": "a@example.com", **kwargs}
    with refused_before_io(error, match=message):
        sdk(chargeapi.Driver.create, **params)


def test_attach_needs_a_fleet_id(sdk: Sdk) -> None:
    with pytest.raises(ValueError, match=r"^fleet must be a fleet ID"):
        sdk(chargeapi.Driver.attach, DRV, fleet=DRV)


def test_update_refuses_none_for_a_field_that_cannot_be_cleared(sdk: Sdk) -> None:
    # ``name`` is not nullable: None is no value to send, only leaving it out keeps it.
    with refused_before_io(TypeError, match=r"^name"):
        sdk(chargeapi.Driver.update, DRV, name=None)
