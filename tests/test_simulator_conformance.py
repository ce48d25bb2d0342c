"""Answers the schema fuzz found off the documented shape, each pinned down on the wire.

Each request here once made the simulator crash (a 500 over HTTP), answer an undocumented
status, or serve a field outside its documented type. The fuzz itself is
tests/test_conformance_fuzz.py; these are its findings, written by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from chargeapi.testing import Simulator

BASE_URL = "https://api.chargeapi.co"


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=0)


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=httpx.MockTransport(sim.handle),
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {sim.api_key}"},
    ) as client:
        yield client


def first(api: httpx.Client, resource: str) -> dict[str, Any]:
    found: dict[str, Any] = api.get(f"/v1/{resource}").json()["data"][0]
    return found


def assert_error(response: httpx.Response, status: int, param: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["object"] == "error"
    assert body["status"] == status
    assert body["param"] == param


# -- timestamps before year 1000 and at the ends of the calendar ----------------------------


def test_a_period_in_year_185_is_served_with_four_year_digits(api: httpx.Client) -> None:
    response = api.post(
        "/v1/invoices",
        json={"period_start": "0185-03-01T00:00:00Z", "period_end": "0185-04-01T00:00:00Z"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["period_start"] == "0185-03-01T00:00:00.000Z"
    assert response.json()["period_end"] == "0185-04-01T00:00:00.000Z"


def test_a_report_over_years_before_1000_is_created(api: httpx.Client) -> None:
    response = api.post(
        "/v1/reports",
        json={
            "parameters": {
                "type": "charging_summary",
                "period_start": "0139-07-29T01:00:32Z",
                "period_end": "0900-03-23T06:33:23Z",
            }
        },
    )

    assert response.status_code == 200, response.text
    assert response.json()["parameters"]["period_start"] == "0139-07-29T01:00:32.000Z"


@pytest.mark.parametrize(
    "instant",
    [
        "0001-01-01T00:07:00+11:10",  # year 0 in UTC
        "9999-12-31T23:59:59-01:00",  # year 10000 in UTC
    ],
)
def test_a_timestamp_outside_years_1_to_9999_in_utc_is_a_400(
    api: httpx.Client, instant: str
) -> None:
    response = api.post(
        "/v1/invoices", json={"period_start": instant, "period_end": "2026-04-01T00:00:00Z"}
    )

    assert_error(response, 400, "period_start")


def test_a_reservation_window_ending_in_year_0_in_utc_is_a_400(
    api: httpx.Client, sim: Simulator
) -> None:
    driver = first(api, "drivers")
    response = api.post(
        "/v1/reservations",
        json={
            "connector_type": ["CCS"],
            "driver": driver["id"],
            "vehicle": driver["vehicles"][0],
            "ideal_start": "2026-04-02T00:00:00Z",
            "ideal_end": "0001-01-01T01:00:01+01:01",
            "location": {"latitude": 48.8698, "longitude": 2.3319, "radius": 1500},
        },
    )

    assert_error(response, 400, "ideal_end")
