"""Vehicle: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io
from tests.test_models import VEHICLE_EXAMPLE

# The vehicle example of the API reference (section 7.4), verbatim, kept once in test_models.
VEHICLE = VEHICLE_EXAMPLE
VEH = "veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H"
DRV = "drv_FoGRbA1xhCCfIK7CrlcN5aExVR13Qjc3"
FLT = "flt_uKWbgmcY1aNWVFxhxTNYNTLZro9tz4p2"
Sdk = Callable[..., Any]


def check_vehicle(vehicle: Any) -> None:
    assert isinstance(vehicle, chargeapi.Vehicle)
    assert vehicle.id == VEH
    assert vehicle.battery_capacity == 82000
    assert vehicle.charging_standard is chargeapi.ChargingStandard.CCS
    assert vehicle.status is chargeapi.VehicleStatus.ACTIVE
    assert isinstance(vehicle.information, chargeapi.VehicleInformation)
    assert vehicle.information.model == "EX30"
    assert vehicle.drivers == (DRV,)


def test_documented_example_round_trips() -> None:
    vehicle = chargeapi.Vehicle.from_dict(VEHICLE)
    check_vehicle(vehicle)
    assert vehicle.to_dict() == VEHICLE


@pytest.mark.parametrize("field", ["battery_capacity", "information", "registration_plate"])
def test_fields_the_docs_mark_required_must_be_present(field: str) -> None:
    data = {k: v for k, v in VEHICLE.items() if k != field}
    with pytest.raises(ValueError, match=field):
        chargeapi.Vehicle.from_dict(data)


def test_unknown_charging_standard_stays_a_plain_string() -> None:
    vehicle = chargeapi.Vehicle.from_dict({**VEHICLE, "charging_standard": "NACS"})
    assert vehicle.charging_standard == "NACS"
    assert not isinstance(vehicle.charging_standard, chargeapi.ChargingStandard)


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/vehicles").mock(return_value=httpx.Response(200, json=VEHICLE))
    vehicle = sdk(
        chargeapi.Vehicle.create,
        vin="YV1XZK5V0S1234567",
        battery_capacity=82000,
        charging_standard="CCS",
        information={"make": "Volvo", "model": "EX30", "year": "2025"},
        registration_plate="AB-123-CD",
        metadata={"external_vehicle_id": "42"},
    )
    assert_post(
        route,
        {
            "vin": "YV1XZK5V0S1234567",
            "battery_capacity": 82000,
            "charging_standard": "CCS",
            "information": {"make": "Volvo", "model": "EX30", "year": "2025"},
            "registration_plate": "AB-123-CD",
            "metadata": {"external_vehicle_id": "42"},
        },
    )
    check_vehicle(vehicle)


@respx.mock
def test_retrieve_with_expanded_fleet(sdk: Sdk) -> None:
    fleet = {"id": FLT, "object": "fleet", "name": "Example Fleet"}
    route = respx.get(f"{API}/v1/vehicles/{VEH}").mock(
        return_value=httpx.Response(200, json={**VEHICLE, "fleet": fleet})
    )
    vehicle = sdk(chargeapi.Vehicle.retrieve, VEH, expand="fleet")
    assert_get(route, [("expand", "fleet")])
    check_vehicle(vehicle)
    assert isinstance(vehicle.fleet, chargeapi.Fleet)
    assert vehicle.fleet.name == "Example Fleet"


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/vehicles/{VEH}").mock(
        return_value=httpx.Response(200, json=VEHICLE)
    )
    check_vehicle(
        sdk(
            chargeapi.Vehicle.update,
            VEH,
            metadata={"invoice_group": "paris-monthly"},
            status="retired",
            charging_standard="Type2",
        )
    )
    assert_post(
        route,
        {
            "metadata": {"invoice_group": "paris-monthly"},
            "status": "retired",
            "charging_standard": "Type2",
        },
    )


@respx.mock
def test_update_sends_the_documented_metadata_example(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/vehicles/{VEH}").mock(
        return_value=httpx.Response(200, json=VEHICLE)
    )
    sdk(chargeapi.Vehicle.update, VEH, metadata={"invoice_group": "paris-monthly"})
    assert_post(route, {"metadata": {"invoice_group": "paris-monthly"}})


@respx.mock
def test_list_sends_filters_limit_and_expand(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/vehicles").mock(
        return_value=httpx.Response(
            200, json={"data": [VEHICLE], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Vehicle.list, driver=DRV, fleet=FLT, limit=100, expand=["fleet"])
    assert_get(route, [("driver", DRV), ("fleet", FLT), ("limit", "100"), ("expand", "fleet")])
    assert len(page.data) == 1
    check_vehicle(page.data[0])


@pytest.mark.parametrize("action", ["attach", "detach"])
@pytest.mark.parametrize(("target", "value"), [("driver", DRV), ("fleet", FLT)])
@respx.mock
def test_attach_and_detach_send_the_one_target(
    sdk: Sdk, action: str, target: str, value: str
) -> None:
    route = respx.post(f"{API}/v1/vehicles/{VEH}/{action}").mock(
        return_value=httpx.Response(200, json=VEHICLE)
    )
    check_vehicle(sdk(getattr(chargeapi.Vehicle, action), VEH, **{target: value}))
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
        sdk(getattr(chargeapi.Vehicle, action), VEH, **kwargs)
    assert not mock.calls


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"charging_standard": "ccs"},
            ValueError,
            r"^charging_standard must be one of 'CCS', 'CHAdeMO', 'Type2'",
        ),
        ({"battery_capacity": 82.5}, TypeError, r"^battery_capacity must be an int"),
        ({"information": {"brand": "Volvo"}}, ValueError, r"^information\.brand is not a"),
        ({"information": {"year": 2025}}, TypeError, r"^information\.year must be a str"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
        ({"metadata": {str(i): "v" for i in range(51)}}, ValueError, r"^metadata may have at"),
        ({"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be at most 500"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    params: dict[str, Any] = {
        "vin": "YV1XZK5V0S1234567",
        "battery_capacity": 82000,
        "charging_standard": "CCS",
        **kwargs,
    }
    with refused_before_io(error, match=message):
        sdk(chargeapi.Vehicle.create, **params)


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "message"),
    [
        ("update", (VEH,), {"status": "scrapped"}, r"^status must be one of 'active'"),
        ("list", (), {"fleet": DRV}, r"^fleet must be a fleet ID"),
        ("list", (), {"limit": 0}, r"^limit must be between 1 and 100"),
        ("attach", (VEH,), {"driver": FLT}, r"^driver must be a driver ID"),
        ("retrieve", (DRV,), {}, r"^id must be a vehicle ID"),
    ],
)
def test_other_bad_input_is_refused_before_any_io(
    sdk: Sdk, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with refused_before_io(ValueError, match=message):
        sdk(getattr(chargeapi.Vehicle, method), *args, **kwargs)
