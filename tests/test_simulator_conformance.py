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


# -- metadata values are strings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/v1/vehicles",
            {"vin": "YV1XZK5V0S1234567", "battery_capacity": 82000, "charging_standard": "CCS"},
        ),
        ("/v1/drivers", {"name": "Ada", "email": "ada@example.com"}),
        ("/v1/fleets", {"name": "Night shift"}),
    ],
)
def test_a_created_object_leaves_out_metadata_keys_given_as_null_or_empty(
    api: httpx.Client, path: str, body: dict[str, Any]
) -> None:
    metadata = {"gone": None, "empty": "", "kept": "yes"}

    response = api.post(path, json={**body, "metadata": metadata})

    assert response.status_code == 200, response.text
    assert response.json()["metadata"] == {"kept": "yes"}


# -- strings the docs type as strings are never null ----------------------------------------


def test_an_address_without_a_second_line_serves_an_empty_line2(api: httpx.Client) -> None:
    fleet = api.post("/v1/fleets", json={"name": "Lyon", "address": {"city": "Lyon"}}).json()

    assert fleet["address"]["line2"] == ""
    assert all(
        station["address"]["line2"] == ""
        for station in api.get("/v1/charging_stations").json()["data"]
    )


def test_a_null_address_line2_is_a_400(api: httpx.Client) -> None:
    response = api.post("/v1/fleets", json={"name": "Lyon", "address": {"line2": None}})

    assert_error(response, 400, "address.line2")


def test_a_new_account_has_an_empty_contact_phone(api: httpx.Client) -> None:
    account = api.post("/v1/accounts", json={"name": "Solo"}).json()

    assert account["contact"]["phone"] == ""


def test_a_bank_account_created_without_a_bank_name_serves_an_empty_one(api: httpx.Client) -> None:
    method = api.post(
        "/v1/payment_methods",
        json={"type": "bank_account", "bank_account": {"account_number": "FR7612345678901234"}},
    )

    assert method.status_code == 200, method.text
    assert method.json()["bank_account"]["bank_name"] == ""
    cleared = api.post(
        f"/v1/payment_methods/{method.json()['id']}", json={"bank_account": {"bank_name": None}}
    )
    assert_error(cleared, 400, "bank_account.bank_name")


# -- IDs a request names must exist: they are served back -----------------------------------


def test_a_preferred_charging_station_that_does_not_exist_is_a_404(api: httpx.Client) -> None:
    station = first(api, "charging_stations")["id"]
    preferences = {"preferred_charging_stations": [station, "chst_Cc4NXV3w8*"]}

    response = api.post(
        "/v1/drivers", json={"name": "Ada", "email": "ada@example.com", "preferences": preferences}
    )

    assert_error(response, 404, "preferences.preferred_charging_stations[1]")
    assert response.json()["code"] == "charging_station_not_found"
    driver = first(api, "drivers")["id"]
    updated = api.post(f"/v1/drivers/{driver}", json={"preferences": preferences})
    assert_error(updated, 404, "preferences.preferred_charging_stations[1]")


def test_a_report_filtered_on_a_vehicle_that_does_not_exist_is_a_404(api: httpx.Client) -> None:
    response = api.post(
        "/v1/reports",
        json={
            "parameters": {
                "type": "charging_summary",
                "period_start": "2026-03-01T00:00:00Z",
                "period_end": "2026-04-01T00:00:00Z",
                "filters": {"vehicle": ["veh_missing"]},
            }
        },
    )

    assert_error(response, 404, "parameters.filters.vehicle[0]")
    assert response.json()["code"] == "vehicle_not_found"


# -- a currency is an ISO 4217 code ---------------------------------------------------------


@pytest.mark.parametrize("currency", ["", "eu", "€ur", "euro"])
def test_a_currency_that_is_not_three_letters_is_a_400(api: httpx.Client, currency: str) -> None:
    response = api.post(
        "/v1/invoices",
        json={
            "period_start": "2026-03-01T00:00:00Z",
            "period_end": "2026-04-01T00:00:00Z",
            "currency": currency,
        },
    )

    assert_error(response, 400, "currency")


def test_a_currency_in_capitals_is_served_lowercase(api: httpx.Client) -> None:
    account = api.post("/v1/accounts", json={"default_currency": "USD"})

    assert account.status_code == 200, account.text
    assert account.json()["default_currency"] == "usd"
