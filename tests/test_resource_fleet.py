"""Fleet: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io
from tests.test_models import FLEET_EXAMPLE

# The fleet example of the API reference (section 7.6), verbatim, kept once in test_models.
FLEET = FLEET_EXAMPLE
FLT = "flt_nnMosKd4naheDFTiLmLhZ3Yw64xg9enI"
DRV = "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3"
VEH = "veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H"
PM = "pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3"
Sdk = Callable[..., Any]


def check_fleet(fleet: Any) -> None:
    assert isinstance(fleet, chargeapi.Fleet)
    assert fleet.id == FLT
    assert fleet.metric_system is chargeapi.FleetMetricSystem.INTERNATIONAL_SYSTEM
    assert isinstance(fleet.address, chargeapi.Address)
    assert fleet.address.postal_code == "75002"
    assert fleet.preferences is not None
    assert fleet.preferences.report_frequency == "weekly"
    assert fleet.total_energy_consumed_kwh == 4825.4
    assert fleet.wallet_balance == 32150


def test_documented_example_round_trips() -> None:
    fleet = chargeapi.Fleet.from_dict(FLEET)
    check_fleet(fleet)
    assert fleet.to_dict() == FLEET


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/fleets").mock(return_value=httpx.Response(200, json=FLEET))
    fleet = sdk(
        chargeapi.Fleet.create,
        name="Example Fleet",
        address={"city": "Paris", "country": "FR", "line1": "10 Rue de la Paix"},
        email="example@example.com",
        timezone="Europe/Paris",
        metric_system="international_system",
        preferences={"billing_cycle": "monthly", "default_payment_method": PM},
        metadata={"region": "idf"},
    )
    assert_post(
        route,
        {
            "name": "Example Fleet",
            "address": {"city": "Paris", "country": "FR", "line1": "10 Rue de la Paix"},
            "email": "example@example.com",
            "metadata": {"region": "idf"},
            "metric_system": "international_system",
            "preferences": {"billing_cycle": "monthly", "default_payment_method": PM},
            "timezone": "Europe/Paris",
        },
    )
    check_fleet(fleet)


@respx.mock
def test_create_with_only_a_name_sends_only_the_name(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/fleets").mock(return_value=httpx.Response(200, json=FLEET))
    check_fleet(sdk(chargeapi.Fleet.create, name="Example Fleet"))
    assert_post(route, {"name": "Example Fleet"})


@respx.mock
def test_retrieve_with_expanded_default_payment_method(sdk: Sdk) -> None:
    body = {**FLEET, "preferences": {**FLEET["preferences"], "default_payment_method": {"id": PM}}}
    route = respx.get(f"{API}/v1/fleets/{FLT}").mock(return_value=httpx.Response(200, json=body))
    fleet = sdk(chargeapi.Fleet.retrieve, FLT, expand=["preferences.default_payment_method"])
    assert_get(route, [("expand", "preferences.default_payment_method")])
    check_fleet(fleet)
    assert isinstance(fleet.preferences.default_payment_method, chargeapi.PaymentMethod)
    assert fleet.preferences.default_payment_method.id == PM


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/fleets/{FLT}").mock(return_value=httpx.Response(200, json=FLEET))
    check_fleet(
        sdk(
            chargeapi.Fleet.update,
            FLT,
            description="Updated fleet description.",
            email=None,
            preferences={"default_payment_method": None},
        )
    )
    assert_post(
        route,
        {
            "description": "Updated fleet description.",
            "email": None,
            "preferences": {"default_payment_method": None},
        },
    )


@respx.mock
def test_update_with_nothing_sends_an_empty_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/fleets/{FLT}").mock(return_value=httpx.Response(200, json=FLEET))
    check_fleet(sdk(chargeapi.Fleet.update, FLT))
    assert_post(route, {})


@respx.mock
def test_list_sends_filters_limit_and_expand(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/fleets").mock(
        return_value=httpx.Response(
            200, json={"data": [FLEET], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(
        chargeapi.Fleet.list,
        status="active",
        driver=DRV,
        vehicle=VEH,
        limit=10,
        expand="preferences.default_payment_method",
    )
    assert_get(
        route,
        [
            ("status", "active"),
            ("driver", DRV),
            ("vehicle", VEH),
            ("limit", "10"),
            ("expand", "preferences.default_payment_method"),
        ],
    )
    assert len(page.data) == 1
    check_fleet(page.data[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"metric_system": "metric"},
            ValueError,
            r"^metric_system must be one of 'international_system'",
        ),
        ({"address": {"zip": "75002"}}, ValueError, r"^address\.zip is not a documented"),
        ({"address": {"line1": 10}}, TypeError, r"^address\.line1 must be a str"),
        (
            {"preferences": {"default_payment_method": "card_1"}},
            ValueError,
            r"^preferences\.default_payment_method must be a payment method ID",
        ),
        ({"preferences": {"notifications": "yes"}}, TypeError, r"^preferences\.notifications"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
        ({"metadata": {str(i): "v" for i in range(51)}}, ValueError, r"^metadata may have at"),
        ({"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be at most 500"),
        ({"name": None}, TypeError, r"^name must be a str"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    params: dict[str, Any] = {"name": "Example Fleet", **kwargs}
    with refused_before_io(error, match=message):
        sdk(chargeapi.Fleet.create, **params)


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "message"),
    [
        ("list", (), {"driver": VEH}, r"^driver must be a driver ID"),
        ("list", (), {"limit": 101}, r"^limit must be between 1 and 100"),
        ("retrieve", (DRV,), {}, r"^id must be a fleet ID"),
        ("update", (FLT,), {"metric_system": "metric"}, r"^metric_system must be one of"),
    ],
)
def test_other_bad_input_is_refused_before_any_io(
    sdk: Sdk, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with refused_before_io(ValueError, match=message):
        sdk(getattr(chargeapi.Fleet, method), *args, **kwargs)
