"""The simulator's station list filters (the older docs' ones the SDK offers), through the SDK."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import chargeapi
from chargeapi.testing import Simulator


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    with sim.client(max_retries=0) as c:
        yield c


def test_stations_around_a_point_are_within_the_radius(client: chargeapi.Client) -> None:
    every = list(chargeapi.ChargingStation.list(client=client))
    home = every[0].location
    near = list(
        chargeapi.ChargingStation.list(
            latitude=home.latitude, longitude=home.longitude, radius=1000, client=client
        )
    )
    assert every[0].id in {s.id for s in near}
    assert len(near) < len(every)


def test_available_false_lists_only_full_stations(sim: Simulator, client: chargeapi.Client) -> None:
    assert list(chargeapi.ChargingStation.list(available=False, client=client)) == []
    every = list(chargeapi.ChargingStation.list(available=True, client=client))
    assert every
    assert all(s.availability.connectors_available > 0 for s in every)


def test_a_drivers_favourites(sim: Simulator, client: chargeapi.Client) -> None:
    driver = next(iter(chargeapi.Driver.list(client=client)))
    assert driver.preferences is not None
    favourites = list(chargeapi.ChargingStation.list(driver=driver.id, client=client))
    assert {s.id for s in favourites} == set(driver.preferences.preferred_charging_stations)


def test_an_incomplete_area_is_a_400_naming_what_is_missing(sim: Simulator) -> None:
    import httpx

    with httpx.Client(transport=httpx.MockTransport(sim.handle)) as http:
        answer = http.get(
            "https://api.chargeapi.co/v1/charging_stations?latitude=48.8&longitude=2.3",
            headers={"Authorization": f"Bearer {sim.api_key}"},
        )
    assert answer.status_code == 400
    assert answer.json()["param"] == "radius"
