"""Estimation: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, STATION_EXAMPLE, assert_get, assert_post, refused_before_io

# The estimation example of the API reference (section 7.11), verbatim.
ESTIMATION: dict[str, Any] = {
    "id": "est_4wAzX6Td1H9rgSOK1F04h6t8dAhMvCZO",
    "object": "estimation",
    "battery_level": 28,
    "battery_target_level": 80,
    "charging_station": "chst_AW4FwwMQVwSaUWoKLgTZtlRjAUTdyA2t",
    "cost_breakdown": [
        {
            "cost": 1542,
            "description": "Off-peak energy rate",
            "quantity": 18.25,
            "tax_percent": "20%",
            "type": "energy",
            "unit": "kWh",
            "unit_price": 85,
        },
        {
            "cost": 300,
            "description": "Session fee",
            "quantity": None,
            "tax_percent": None,
            "type": "session_fee",
            "unit": None,
            "unit_price": None,
        },
    ],
    "created": "2026-04-01T01:07:39.609Z",
    "currency": "eur",
    "estimated_duration": 3600,
    "estimated_energy_kwh": 18.25,
    "estimated_total_cost": 1842,
    "valid_until": "2026-04-01T02:07:52.218Z",
    "vehicle": "veh_gSUxpyILI2YhUOvd5jcGDyKA4sriI7t7",
}
EST = "est_4wAzX6Td1H9rgSOK1F04h6t8dAhMvCZO"
CHST = "chst_AW4FwwMQVwSaUWoKLgTZtlRjAUTdyA2t"
VEH = "veh_gSUxpyILI2YhUOvd5jcGDyKA4sriI7t7"
Sdk = Callable[..., Any]


def check_estimation(estimation: Any) -> None:
    assert isinstance(estimation, chargeapi.Estimation)
    assert estimation.id == EST
    assert estimation.estimated_total_cost == 1842
    assert estimation.estimated_energy_kwh == 18.25
    assert estimation.valid_until == datetime(2026, 4, 1, 2, 7, 52, 218000, tzinfo=UTC)
    energy, fee = estimation.cost_breakdown
    assert energy.type == chargeapi.EstimationCostType.ENERGY
    assert energy.unit_price == 85
    assert fee.type == chargeapi.EstimationCostType.SESSION_FEE
    assert fee.quantity is None


def test_documented_example_round_trips() -> None:
    decoded = chargeapi.Estimation.from_dict(ESTIMATION)
    check_estimation(decoded)
    assert decoded.to_dict() == ESTIMATION


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/estimations").mock(
        return_value=httpx.Response(200, json=ESTIMATION)
    )
    estimation = sdk(
        chargeapi.Estimation.create,
        charging_station=CHST,
        vehicle=VEH,
        battery_level=28,
        battery_target_level=80,
        currency="eur",
    )
    assert_post(
        route,
        {
            "charging_station": CHST,
            "vehicle": VEH,
            "battery_level": 28,
            "battery_target_level": 80,
            "currency": "eur",
        },
    )
    check_estimation(estimation)


@pytest.mark.parametrize(("level", "target"), [(0, 1), (100, 100)])
@respx.mock
def test_create_accepts_the_documented_bounds(sdk: Sdk, level: int, target: int) -> None:
    route = respx.post(f"{API}/v1/estimations").mock(
        return_value=httpx.Response(200, json=ESTIMATION)
    )
    check_estimation(
        sdk(
            chargeapi.Estimation.create,
            charging_station=CHST,
            vehicle=VEH,
            battery_level=level,
            battery_target_level=target,
        )
    )
    assert_post(
        route,
        {
            "charging_station": CHST,
            "vehicle": VEH,
            "battery_level": level,
            "battery_target_level": target,
        },
    )


@respx.mock
def test_retrieve_with_expand_decodes_the_station(sdk: Sdk) -> None:
    expanded = {**ESTIMATION, "charging_station": STATION_EXAMPLE}
    route = respx.get(f"{API}/v1/estimations/{EST}").mock(
        return_value=httpx.Response(200, json=expanded)
    )
    estimation = sdk(chargeapi.Estimation.retrieve, EST, expand=["charging_station", "vehicle"])
    assert_get(route, [("expand", "charging_station"), ("expand", "vehicle")])
    check_estimation(estimation)
    assert isinstance(estimation.charging_station, chargeapi.ChargingStation)
    assert estimation.charging_station.name == "Example Station"


CREATE: dict[str, Any] = {
    "charging_station": CHST,
    "vehicle": VEH,
    "battery_level": 28,
    "battery_target_level": 80,
}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"battery_level": -1}, ValueError, r"^battery_level must be between 0 and 100, got -1"),
        ({"battery_level": 101}, ValueError, r"^battery_level must be between 0 and 100"),
        ({"battery_target_level": 0}, ValueError, r"^battery_target_level must be between 1 and"),
        ({"battery_target_level": 101}, ValueError, r"^battery_target_level must be between 1"),
        ({"battery_level": 28.5}, TypeError, r"^battery_level must be an int"),
        ({"battery_level": True}, TypeError, r"^battery_level must be an int"),
        ({"charging_station": VEH}, ValueError, r"^charging_station must be a charging station"),
        ({"vehicle": "VIN123"}, ValueError, r"^vehicle must be a vehicle ID"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.Estimation.create, **{**CREATE, **kwargs})


@respx.mock
def test_chargeapi_retrieve_picks_estimation_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/estimations/{EST}").mock(
        return_value=httpx.Response(200, json=ESTIMATION)
    )
    found = chargeapi.retrieve(EST, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.Estimation)
    assert found.id == EST
