"""VehicleTelemetry: its one operation's exact request, and the typed object that comes back."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, refused_before_io

# The vehicle telemetry example of the API reference (section 7.5), verbatim.
TELEMETRY: dict[str, Any] = {
    "id": "vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP",
    "object": "vehicle_telemetry",
    "battery": {
        "capacity": 82000,
        "level": 78,
        "range": 320000,
        "status": "charging",
        "temperature": 24.5,
        "updated": "2026-04-01T01:34:31.737Z",
    },
    "firmware_version": "v1.2.3",
    "location": {"latitude": 48.8698, "longitude": 2.3319, "updated": "2026-04-01T01:34:40.112Z"},
    "odometer": {"unit": "KMS", "updated": "2026-04-01T01:34:34.348Z", "value": 32540},
    "vehicle": "veh_eDmko7kTu3LBcfLJ3E5QslrtSRvbsyOZ",
}
VEH = "veh_eDmko7kTu3LBcfLJ3E5QslrtSRvbsyOZ"
Sdk = Callable[..., Any]


def check_telemetry(telemetry: Any) -> None:
    assert isinstance(telemetry, chargeapi.VehicleTelemetry)
    assert telemetry.id == "vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP"
    assert isinstance(telemetry.battery, chargeapi.TelemetryBattery)
    assert telemetry.battery.level == 78
    assert telemetry.battery.range == 320000
    assert telemetry.battery.temperature == 24.5
    assert telemetry.battery.updated == datetime(2026, 4, 1, 1, 34, 31, 737000, tzinfo=UTC)
    assert isinstance(telemetry.location, chargeapi.TelemetryLocation)
    assert (telemetry.location.latitude, telemetry.location.longitude) == (48.8698, 2.3319)
    assert telemetry.odometer is not None
    assert telemetry.odometer.value == 32540


def test_documented_example_round_trips() -> None:
    telemetry = chargeapi.VehicleTelemetry.from_dict(TELEMETRY)
    check_telemetry(telemetry)
    assert telemetry.vehicle == VEH
    assert telemetry.to_dict() == TELEMETRY


@respx.mock
def test_retrieve_takes_the_vehicle_id(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/vehicles/{VEH}/telemetry").mock(
        return_value=httpx.Response(200, json=TELEMETRY)
    )
    check_telemetry(sdk(chargeapi.VehicleTelemetry.retrieve, VEH))
    assert_get(route, [])


@respx.mock
def test_retrieve_with_expanded_vehicle(sdk: Sdk) -> None:
    vehicle = {
        "id": VEH,
        "object": "vehicle",
        "battery_capacity": 82000,
        "information": {"make": "Volvo"},
        "registration_plate": "AB-123-CD",
        "status": "active",
    }
    route = respx.get(f"{API}/v1/vehicles/{VEH}/telemetry").mock(
        return_value=httpx.Response(200, json={**TELEMETRY, "vehicle": vehicle})
    )
    telemetry = sdk(chargeapi.VehicleTelemetry.retrieve, VEH, expand=["vehicle"])
    assert_get(route, [("expand", "vehicle")])
    check_telemetry(telemetry)
    assert isinstance(telemetry.vehicle, chargeapi.Vehicle)
    assert telemetry.vehicle.registration_plate == "AB-123-CD"


def test_the_parameter_is_named_vehicle_id() -> None:
    for method in (chargeapi.VehicleTelemetry.retrieve, chargeapi.VehicleTelemetry.retrieve_async):
        assert list(inspect.signature(method).parameters) == [
            "vehicle_id",
            "expand",
            "client",
            "options",
        ]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP", ValueError, r"^vehicle_id must be a vehicle ID"),
        ("veh_abc/def", ValueError, r"^vehicle_id"),
        (None, TypeError, r"^vehicle_id"),
    ],
)
def test_a_telemetry_or_bad_id_is_refused_before_any_io(
    sdk: Sdk, value: Any, error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.VehicleTelemetry.retrieve, value)


def test_chargeapi_retrieve_does_not_route_telemetry_ids() -> None:
    with pytest.raises(ValueError, match="prefix that has a retrieve endpoint"):
        chargeapi.retrieve("vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP")
