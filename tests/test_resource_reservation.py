"""Reservation: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The reservation example of the API reference (section 7.10), verbatim.
RESERVATION: dict[str, Any] = {
    "id": "res_nfJiRR1ok35nSfnIpS4tC7SAsUk0K3As",
    "object": "reservation",
    "cancellation_policy": {"free_until_before": 1800, "type": "free_cancellation"},
    "charging_station": "chst_AwAMEuLnH0Umz3DhtEjEaHACtMcscDDY",
    "confirmed_at": "2026-04-01T01:04:32.666Z",
    "connector_type": ["CCS"],
    "created": "2026-04-01T00:36:20.907Z",
    "currency": "eur",
    "driver": "drv_OAVzBPkaauGK3svjp2YxHyGkZxPjIuSB",
    "earliest_start": None,
    "failed_reason": None,
    "ideal_end": "2026-04-01T03:06:35.302Z",
    "ideal_start": "2026-04-01T01:36:39.198Z",
    "latest_end": None,
    "location": {"latitude": 48.8698, "longitude": 2.3319, "radius": 1500},
    "metadata": {},
    "payment_method": "pm_ifwG4OMNnEmqjpi7cP8EJvxiRZAzGOEX",
    "reservation_fee": 1200,
    "reserved_end": "2026-04-01T03:06:19.700Z",
    "reserved_start": "2026-04-01T01:36:39.901Z",
    "status": "confirmed",
    "updated": "2026-04-01T01:10:19.775Z",
    "vehicle": "veh_O3C7oq0HKOkNlpzokFN5eTTVWImdeLKy",
}
RES = "res_nfJiRR1ok35nSfnIpS4tC7SAsUk0K3As"
DRV = "drv_OAVzBPkaauGK3svjp2YxHyGkZxPjIuSB"
VEH = "veh_O3C7oq0HKOkNlpzokFN5eTTVWImdeLKy"
CHST = "chst_AwAMEuLnH0Umz3DhtEjEaHACtMcscDDY"
PM = "pm_A8uQn2ZeMw5kLp1XrT7cHsJvBy4dFoN9"
Sdk = Callable[..., Any]

CREATE: dict[str, Any] = {
    "connector_type": ["CCS"],
    "driver": DRV,
    "ideal_end": "2026-04-01T03:06:35.302Z",
    "ideal_start": "2026-04-01T01:36:39.198Z",
    "location": {"latitude": 48.8698, "longitude": 2.3319, "radius": 1500},
    "vehicle": VEH,
}


def check_reservation(reservation: Any) -> None:
    assert isinstance(reservation, chargeapi.Reservation)
    assert reservation.id == RES
    assert reservation.status == chargeapi.ReservationStatus.CONFIRMED
    assert reservation.connector_type == ("CCS",)
    assert reservation.location == chargeapi.ReservationLocation(
        latitude=48.8698, longitude=2.3319, radius=1500
    )
    assert reservation.cancellation_policy is not None
    assert reservation.cancellation_policy.free_until_before == 1800
    assert reservation.ideal_start == datetime(2026, 4, 1, 1, 36, 39, 198000, tzinfo=UTC)
    assert reservation.reservation_fee == 1200


def test_documented_example_round_trips() -> None:
    reservation = chargeapi.Reservation.from_dict(RESERVATION)
    check_reservation(reservation)
    assert reservation.failed_reason is None
    assert reservation.to_dict() == RESERVATION


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/reservations").mock(
        return_value=httpx.Response(200, json=RESERVATION)
    )
    paris = timezone(timedelta(hours=2))
    reservation = sdk(
        chargeapi.Reservation.create,
        connector_type=["CCS", "Type2"],
        driver=DRV,
        ideal_start="2026-04-01T01:36:39.198Z",
        ideal_end=datetime(2026, 4, 1, 5, 6, 35, 302000, tzinfo=paris),
        location={"latitude": 48.8698, "longitude": 2.3319, "radius": 1500},
        vehicle=VEH,
        latest_end=datetime(2026, 4, 1, 4, 0, tzinfo=UTC),
        payment_method=PM,
        metadata={"dispatch_job_id": "42"},
    )
    assert_post(
        route,
        {
            "connector_type": ["CCS", "Type2"],
            "driver": DRV,
            "ideal_end": "2026-04-01T03:06:35.302Z",
            "ideal_start": "2026-04-01T01:36:39.198Z",
            "location": {"latitude": 48.8698, "longitude": 2.3319, "radius": 1500},
            "vehicle": VEH,
            "latest_end": "2026-04-01T04:00:00.000Z",
            "metadata": {"dispatch_job_id": "42"},
            "payment_method": PM,
        },
    )
    check_reservation(reservation)


@respx.mock
def test_retrieve_with_expand_decodes_expanded_objects(sdk: Sdk) -> None:
    expanded = {
        **RESERVATION,
        "driver": {"id": DRV, "object": "driver", "name": "Example Driver", "status": "active"},
    }
    route = respx.get(f"{API}/v1/reservations/{RES}").mock(
        return_value=httpx.Response(200, json=expanded)
    )
    reservation = sdk(chargeapi.Reservation.retrieve, RES, expand=["driver", "vehicle.fleet"])
    assert_get(route, [("expand", "driver"), ("expand", "vehicle.fleet")])
    check_reservation(reservation)
    assert isinstance(reservation.driver, chargeapi.Driver)
    assert reservation.driver.status == chargeapi.DriverStatus.ACTIVE
    assert reservation.vehicle == VEH


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/reservations/{RES}").mock(
        return_value=httpx.Response(200, json=RESERVATION)
    )
    reservation = sdk(
        chargeapi.Reservation.update,
        RES,
        ideal_start=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
        earliest_start=None,
    )
    assert_post(route, {"ideal_start": "2026-04-01T02:00:00.000Z", "earliest_start": None})
    check_reservation(reservation)


@respx.mock
def test_list_sends_filters_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/reservations").mock(
        return_value=httpx.Response(
            200, json={"data": [RESERVATION], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(
        chargeapi.Reservation.list,
        status="pending",
        driver=DRV,
        vehicle=VEH,
        charging_station=CHST,
        limit=25,
        expand="charging_station",
    )
    assert_get(
        route,
        [
            ("status", "pending"),
            ("driver", DRV),
            ("vehicle", VEH),
            ("charging_station", CHST),
            ("limit", "25"),
            ("expand", "charging_station"),
        ],
    )
    assert len(page.data) == 1
    check_reservation(page.data[0])


@respx.mock
def test_confirm_sends_the_payment_method(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/reservations/{RES}/confirm").mock(
        return_value=httpx.Response(200, json=RESERVATION)
    )
    check_reservation(sdk(chargeapi.Reservation.confirm, RES, payment_method=PM))
    assert_post(route, {"payment_method": PM})


@respx.mock
def test_confirm_reports_a_failure_reason(sdk: Sdk) -> None:
    failed = {**RESERVATION, "status": "failed", "failed_reason": "no_available_connectors"}
    route = respx.post(f"{API}/v1/reservations/{RES}/confirm").mock(
        return_value=httpx.Response(200, json=failed)
    )
    reservation = sdk(chargeapi.Reservation.confirm, RES)
    assert_post(route, {})
    assert reservation.status == chargeapi.ReservationStatus.FAILED
    assert reservation.failed_reason == chargeapi.ReservationFailedReason.NO_AVAILABLE_CONNECTORS


@respx.mock
def test_cancel_sends_an_empty_body(sdk: Sdk) -> None:
    cancelled = {**RESERVATION, "status": "cancelled"}
    route = respx.post(f"{API}/v1/reservations/{RES}/cancel").mock(
        return_value=httpx.Response(200, json=cancelled)
    )
    reservation = sdk(chargeapi.Reservation.cancel, RES, idempotency_key="cancel-res-1")
    assert_post(route, {})
    assert route.calls.last.request.headers["Idempotency-Key"] == "cancel-res-1"
    assert reservation.status == chargeapi.ReservationStatus.CANCELLED


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"connector_type": "CCS"}, TypeError, r"^connector_type must be a list"),
        ({"connector_type": ["CCX"]}, ValueError, r"^connector_type\[0\] must be one of"),
        ({"location": {"latitude": 48.8}}, ValueError, r"^location\.longitude is required"),
        (
            {"location": {"latitude": 48.8, "longitude": 2.3, "radius_m": 5}},
            ValueError,
            r"^location\.radius_m is not a documented parameter",
        ),
        ({"location": {"latitude": "48.8", "longitude": 2.3}}, TypeError, r"^location\.latitude"),
        ({"ideal_start": datetime(2026, 4, 1, 1, 0)}, ValueError, r"^ideal_start has no time zone"),
        ({"ideal_end": "tomorrow"}, ValueError, r"^ideal_end must be an RFC 3339 timestamp"),
        ({"driver": VEH}, ValueError, r"^driver must be a driver ID"),
        ({"payment_method": "card_1"}, ValueError, r"^payment_method must be a payment method ID"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
    ],
)
def test_bad_create_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.Reservation.create, **{**CREATE, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"status": "actve"}, ValueError, r"^status must be one of 'pending'"),
        ({"limit": 0}, ValueError, r"^limit must be between 1 and 100"),
        ({"limit": 101}, ValueError, r"^limit must be between 1 and 100"),
        ({"charging_station": DRV}, ValueError, r"^charging_station must be a charging station"),
    ],
)
def test_bad_list_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.Reservation.list, **kwargs)


def test_actions_need_a_reservation_id(sdk: Sdk) -> None:
    with refused_before_io(ValueError, match=r"^id must"):
        sdk(chargeapi.Reservation.confirm, DRV)


@respx.mock
def test_chargeapi_retrieve_picks_reservation_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/reservations/{RES}").mock(
        return_value=httpx.Response(200, json=RESERVATION)
    )
    found = chargeapi.retrieve(RES, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.Reservation)
    assert found.id == RES
