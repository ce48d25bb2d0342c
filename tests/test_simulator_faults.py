"""Scripted faults in-process: routes, validation, codes, timeouts, and instant retries."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator

Session = chargeapi.ChargingSession
SESSIONS = "https://api.chargeapi.co/v1/charging_sessions"


@pytest.fixture
def http(sim: Simulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    with httpx.Client(transport=httpx.MockTransport(sim.handle), headers=headers) as client:
        yield client


def create(http: httpx.Client, sim: Simulator) -> httpx.Response:
    return http.post(SESSIONS, json=dict(sim.sample_session_params()))


def session_ids(http: httpx.Client) -> list[str]:
    return [s["id"] for s in http.get(SESSIONS).json()["data"]]


# -- routes ---------------------------------------------------------------------------------


def test_a_routed_failure_waits_for_its_route(http: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(503, route="POST /v1/charging_sessions")
    reads = [http.get("https://api.chargeapi.co/v1/charging_stations").status_code for _ in "ab"]
    listed = http.get(SESSIONS).status_code  # same path, other method
    first, second = create(http, sim), create(http, sim)
    assert (reads, listed) == ([200, 200], 200)
    assert (first.status_code, second.status_code) == (503, 200)
    assert session_ids(http) == [second.json()["id"]]


def test_an_id_placeholder_matches_any_one_segment(http: httpx.Client, sim: Simulator) -> None:
    session = create(http, sim).json()
    sim.drop_next(route="POST /v1/charging_sessions/{id}/end")
    assert http.get(f"{SESSIONS}/{session['id']}").status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(f"{SESSIONS}/{session['id']}/end")
    assert http.post(f"{SESSIONS}/{session['id']}/end").json()["status"] == "completed"


def test_each_request_takes_the_oldest_fault_that_applies_to_it(
    http: httpx.Client, sim: Simulator
) -> None:
    sim.fail_next(502, route="GET /v1/drivers")
    sim.fail_next(429)
    sim.fail_next(500, times=2, route="GET /v1/fleets")
    statuses = [
        http.get(f"https://api.chargeapi.co/v1/{path}").status_code
        for path in ("fleets", "vehicles", "drivers", "drivers", "fleets", "fleets")
    ]
    # fleets: 429 is older than its own 500s; vehicles: none left; drivers: its 502, then none
    assert statuses == [429, 200, 502, 200, 500, 500]


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 302, 399, 600, 99, True, 503.0, "503", None])
def test_fail_next_accepts_only_int_4xx_and_5xx(
    http: httpx.Client, sim: Simulator, status: Any
) -> None:
    with pytest.raises(ValueError, match="status must be an int from 400 to 599"):
        sim.fail_next(status)
    assert create(http, sim).status_code == 200  # nothing was queued


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda sim: sim.fail_next(503, times=0), "times must be an int of at least 1"),
        (lambda sim: sim.fail_next(503, times=True), "times must be an int of at least 1"),
        (lambda sim: sim.drop_next(times=1.5), "times must be an int of at least 1"),
        (lambda sim: sim.fail_next(503, retry_after=-1), "retry_after must be"),
        (lambda sim: sim.fail_next(503, retry_after=float("nan")), "retry_after must be"),
        (lambda sim: sim.fail_next(503, retry_after=True), "retry_after must be"),
        (lambda sim: sim.fail_next(503, code=""), "code must be a non-empty str"),
        (lambda sim: sim.fail_next(503, message=42), "message must be a non-empty str"),
        (lambda sim: sim.fail_next(503, route="/v1/drivers"), "route must look like"),
        (lambda sim: sim.drop_next(route="POST v1/drivers"), "route must look like"),
        (lambda sim: sim.drop_next(after_processing="yes"), "after_processing must be a bool"),
        (lambda sim: sim.delay_next(-0.1), "seconds must be a number from 0 to 3600"),
        (lambda sim: sim.delay_next(True), "seconds must be a number from 0 to 3600"),
        (lambda sim: sim.delay_next(1e9), "seconds must be a number from 0 to 3600"),
        (lambda sim: sim.advance(-1), "seconds must be a finite number >= 0"),
        (lambda sim: sim.advance(float("inf")), "seconds must be a finite number >= 0"),
    ],
)
def test_bad_fault_arguments_are_refused_by_name(call: Any, match: str, sim: Simulator) -> None:
    with pytest.raises(ValueError, match=match):
        call(sim)


# -- codes ----------------------------------------------------------------------------------


def test_a_scripted_error_carries_its_code_and_message(http: httpx.Client, sim: Simulator) -> None:
    sim.fail_next(402, code="payment_authorization_failed", message="Card declined (test).")
    response = create(http, sim)
    body = response.json()
    assert response.status_code == 402
    assert body == {
        "object": "error",
        "type": "invalid_request_error",
        "code": "payment_authorization_failed",
        "message": "Card declined (test).",
        "param": None,
        "request": response.headers["Request-Id"],
        "status": 402,
        "doc_url": "https://docs.chargeapi.co/errors#payment_authorization_failed",
    }


def test_the_sdk_sees_the_scripted_code(sim: Simulator) -> None:
    sim.fail_next(409, code="charging_session_conflict", route="POST /v1/charging_sessions")
    with (
        sim.client(max_retries=0) as client,
        pytest.raises(chargeapi.ConflictError) as raised,
    ):
        Session.create(**sim.sample_session_params(), client=client)
    assert (raised.value.status_code, raised.value.code) == (409, "charging_session_conflict")


# -- a delay longer than the client's timeout -----------------------------------------------


def test_a_delay_past_the_read_timeout_raises_the_timeout_at_once(sim: Simulator) -> None:
    sim.delay_next(30)
    started = time.monotonic()
    with (
        sim.client(timeout=2, max_retries=0) as client,
        pytest.raises(chargeapi.APITimeoutError),
    ):
        Session.create(**sim.sample_session_params(), client=client)
    assert time.monotonic() - started < 2  # raised without waiting out the delay
    # The request arrived and took effect; only its answer was lost.
    with sim.client() as client:
        assert len(list(Session.list(client=client))) == 1


async def test_a_delay_past_the_read_timeout_raises_the_timeout_async(sim: Simulator) -> None:
    sim.delay_next(30)
    async with sim.client(timeout=2, max_retries=0) as client:
        with pytest.raises(chargeapi.APITimeoutError):
            await Session.create_async(**sim.sample_session_params(), client=client)


def test_a_retry_after_a_timeout_replays_the_one_session(sim: Simulator) -> None:
    sim.delay_next(30, route="POST /v1/charging_sessions")
    with sim.client(timeout=2, instant_retries=True) as client:
        session = Session.create(**sim.sample_session_params(), client=client)
        listed = [s.id for s in Session.list(client=client)]
    posts = [r for r in sim.requests if r.method == "POST"]
    assert listed == [session.id]
    assert len(posts) == 2
    assert posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]


def test_a_delay_within_the_timeout_answers_normally(http: httpx.Client, sim: Simulator) -> None:
    sim.delay_next(0.05)
    response = http.get(SESSIONS, timeout=5)
    assert (response.status_code, response.json()["data"]) == (200, [])


# -- instant retries and the typed client() ----------------------------------------------------


def test_instant_retries_skip_the_retry_after_wait(sim: Simulator) -> None:
    sim.fail_next(503, times=2, retry_after=30)
    started = time.monotonic()
    with sim.client(max_retries=2, instant_retries=True) as client:
        session = Session.create(**sim.sample_session_params(), client=client)
    assert time.monotonic() - started < 10  # two honoured Retry-Afters would take 60 s
    assert session.status == "active"
    assert [r.method for r in sim.requests] == ["POST"] * 3


async def test_instant_retries_skip_the_wait_async(sim: Simulator) -> None:
    sim.fail_next(429, times=2, retry_after=30)
    started = time.monotonic()
    async with sim.client(max_retries=2, instant_retries=True) as client:
        session = await Session.create_async(**sim.sample_session_params(), client=client)
    assert time.monotonic() - started < 10
    assert session.status == "active"


def test_instant_retries_exclude_custom_sleeps(sim: Simulator) -> None:
    with pytest.raises(TypeError, match="either instant_retries=True or sleep/async_sleep"):
        sim.client(instant_retries=True, sleep=lambda _: None)
    with pytest.raises(TypeError, match="instant_retries must be a bool"):
        sim.client(instant_retries="yes")  # type: ignore[arg-type]


def test_client_options_reach_the_client(sim: Simulator) -> None:
    sleeps: list[float] = []
    sim.fail_next(503, retry_after=7)
    with sim.client(max_retries=1, sleep=sleeps.append, api_version="2025-01-01") as client:
        Session.create(**sim.sample_session_params(), client=client)
    assert sleeps == [7.0]
    assert {r.headers["Charge-Version"] for r in sim.requests} == {"2025-01-01"}
    assert json.loads(sim.requests[0].body)["connector"].startswith("connector_")
