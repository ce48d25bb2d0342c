"""The control API (`/_sim/...`): its HTTP contract in-process, and `SimulatorControl` driving
a simulator in another process (`python -m chargeapi.testing`)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorControl, SimulatorControlError
from tests.test_simulator_server import simulator_process

START = datetime(2026, 4, 1, tzinfo=UTC)
SEED = 5


@pytest.fixture
def http(sim: Simulator) -> Iterator[httpx.Client]:
    """Raw HTTP to the simulator in-process, authenticated with its test key."""
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    transport = httpx.MockTransport(sim.handle)
    with httpx.Client(transport=transport, base_url="http://sim", headers=headers) as client:
        yield client


def assert_error(response: httpx.Response, status: int, message: str) -> None:
    body = response.json()
    assert response.status_code == status
    assert (body["object"], body["status"], body["message"]) == ("error", status, message)
    assert body["request"] == response.headers["Request-Id"]


# -- the HTTP contract, in-process --------------------------------------------------------------


def test_advance_moves_the_clock_and_answers_the_new_time(
    http: httpx.Client, sim: Simulator
) -> None:
    response = http.post("/_sim/advance", json={"seconds": 90.5})
    assert response.json() == {"now": "2026-04-01T00:01:30.500000+00:00"}
    assert http.get("/_sim/now").json() == {"now": "2026-04-01T00:01:30.500000+00:00"}
    assert sim.now == START + timedelta(seconds=90.5)


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ch_sk_test_someone_else", "Basic ch_sk_test_simulator", "Bearer "],
)
def test_only_the_simulators_own_key_is_answered(sim: Simulator, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(transport=httpx.MockTransport(sim.handle), headers=headers) as client:
        response = client.post("http://sim/_sim/advance", json={"seconds": 60})
    assert_error(
        response, 401, "The control API answers only the simulator's own test key (sim.api_key)."
    )
    assert response.json()["type"] == "authentication_error"
    assert sim.now == START


def test_unknown_routes_and_wrong_methods_get_json_errors(http: httpx.Client) -> None:
    assert_error(http.get("/_sim/teleport"), 404, "Unknown control route: /_sim/teleport.")
    assert_error(http.get("/_sim"), 404, "Unknown control route: /_sim.")
    wrong = http.get("/_sim/advance")
    assert_error(wrong, 405, "GET is not allowed on /_sim/advance.")
    assert wrong.headers["Allow"] == "POST"


@pytest.mark.parametrize(
    ("route", "body", "message", "param"),
    [
        ("advance", {}, "Missing required param: seconds.", "seconds"),
        ("advance", {"seconds": 1, "minutes": 2}, "Received unknown parameter: minutes.", "minutes"),
        ("advance", {"seconds": -1}, "seconds must be a finite number >= 0, got -1", "seconds"),
        ("advance", {"seconds": "60"}, "seconds must be a finite number >= 0, got '60'", "seconds"),
        ("advance", {"seconds": 10**4000}, "seconds would move the test clock past the year 9000, got an int of about 4001 digits", "seconds"),
        ("advance", {"seconds": 1e300}, "seconds would move the test clock past the year 9000, got 1e+300", "seconds"),
        ("fail_next", {"status": 503, "retry_after": "0\r\nSet-Cookie: evil=1"}, "retry_after must be a number of seconds from 0 to 1,000,000,000 or an HTTP date string (printable ASCII, at most 100 characters: it becomes the Retry-After header), got '0\\r\\nSet-Cookie: evil=1'", "retry_after"),
        ("fail_next", {"status": 503, "retry_after": 10**400}, "retry_after must be a number of seconds from 0 to 1,000,000,000 or an HTTP date string (printable ASCII, at most 100 characters: it becomes the Retry-After header), got an int of about 401 digits", "retry_after"),
        ("chaos", {"drops": 0.6, "delays": 0.6}, "the rates must add up to at most 1 (one fault per request)", None),
        ("chaos", {"drops": 0.1, "retry_after": "1\nX: y"}, "retry_after must be a number of seconds from 0 to 1,000,000,000 or an HTTP date string (printable ASCII, at most 100 characters: it becomes the Retry-After header), got '1\\nX: y'", "retry_after"),
        ("chaos", {"rate": 0.1}, "Received unknown parameter: rate.", "rate"),
        ("wait_for_deliveries", {"timeout": 0}, "timeout must be a number of seconds from 0 to 3600, got 0", "timeout"),
        ("fail_next", {"status": 200}, "status must be an int from 400 to 599, got 200", None),
        ("fail_next", {"status": 503.0}, "status must be an int from 400 to 599, got 503.0", None),
        ("fail_next", {"status": 503, "times": 0}, "times must be an int of at least 1, got 0", None),
        ("delay_next", {"seconds": 1e9}, "seconds must be a number from 0 to 3600, got 1000000000.0", None),
        ("drop_next", {"route": "nope"}, "route must look like 'POST /v1/charging_sessions' (method, space, path), got 'nope'", None),
        ("add", {"kind": "unicorn", "object": {}}, "kind must be one of charging_station, driver, vehicle, payment_method, fleet, account, vehicle_telemetry, policy, reservation, estimation, transaction, invoice, report, webhook_endpoint, got 'unicorn'", None),
        ("add", {"kind": ["driver"], "object": {}}, "kind must be one of charging_station, driver, vehicle, payment_method, fleet, account, vehicle_telemetry, policy, reservation, estimation, transaction, invoice, report, webhook_endpoint, got ['driver']", None),
        ("add", {"kind": "driver", "object": []}, "object must be a JSON object (dict), got list", None),
        ("add", {"kind": "driver", "object": {"id": "drv_x"}}, "object is missing the driver field(s): created, email, fleets, license_number, metadata, name, object, phone, policy_ids, preferences, status, updated, vehicles, wallet_balance", None),
        ("reset", {"hard": True}, "Received unknown parameter: hard.", "hard"),
    ],
)  # fmt: skip
def test_bad_arguments_are_a_400_naming_the_problem(
    http: httpx.Client, sim: Simulator, route: str, body: Any, message: str, param: str | None
) -> None:
    response = http.post(f"/_sim/{route}", json=body)
    assert_error(response, 400, message)
    assert response.json()["param"] == param
    assert (sim.now, sim.requests) == (START, [])
    assert http.get("/v1/drivers").status_code == 200  # no fault was queued


def test_no_header_can_be_injected_through_retry_after(http: httpx.Client) -> None:
    refused = http.post(
        "/_sim/fail_next", json={"status": 429, "retry_after": "0\r\nSet-Cookie: evil=1"}
    )
    answer = http.get("/v1/drivers")
    assert refused.status_code == 400
    assert answer.status_code == 200  # nothing was queued
    assert "Set-Cookie" not in answer.headers


def test_the_fault_routes_answer_the_fault_they_queued(http: httpx.Client) -> None:
    route = "POST /v1/charging_sessions"
    assert http.post("/_sim/fail_next", json={"status": 503, "route": route}).json() == {
        "status": 503,
        "times": 1,
        "retry_after": None,
        "code": None,
        "message": None,
        "route": route,
    }
    assert http.post("/_sim/drop_next", json={"times": 2}).json() == {
        "times": 2,
        "after_processing": False,
        "route": None,
    }
    assert http.post("/_sim/delay_next", json={"seconds": 0.01}).json() == {
        "seconds": 0.01,
        "times": 1,
        "route": None,
    }


def test_chaos_is_set_read_and_turned_off_over_the_control_api(http: httpx.Client) -> None:
    assert http.get("/_sim/chaos").json() == {"chaos": None, "counts": {}}
    settings = {"seed": 3, "server_errors": 1.0, "route": "GET /v1/fleets"}
    answer = http.post("/_sim/chaos", json=settings).json()
    fleets = [http.get("/v1/fleets").status_code for _ in range(3)]
    drivers = http.get("/v1/drivers").status_code
    state = http.get("/_sim/chaos").json()
    off = http.post("/_sim/chaos", json={}).json()
    after = http.get("/v1/fleets").status_code

    assert answer == {
        "chaos": {
            "seed": 3,
            "server_errors": 1.0,
            "rate_limits": 0.0,
            "retry_after": 0,
            "drops": 0.0,
            "drops_after_processing": 0.0,
            "delays": 0.0,
            "delay_seconds": 1.0,
            "route": "GET /v1/fleets",
        }
    }
    assert all(status in (500, 502, 503, 504) for status in fleets)
    assert drivers == 200
    assert state == {**answer, "counts": {"server_error": 3}}
    assert off == {"chaos": None}
    assert after == 200
    wrong = http.put("/_sim/chaos")
    assert_error(wrong, 405, "PUT is not allowed on /_sim/chaos.")
    assert wrong.headers["Allow"] == "GET, POST"


def test_a_body_that_is_not_a_json_object_is_a_400(http: httpx.Client) -> None:
    assert_error(
        http.post("/_sim/advance", content=b"{oops"), 400, "Malformed JSON in the request body."
    )
    assert_error(
        http.post("/_sim/advance", json=[60]), 400, "The request body must be a JSON object."
    )
    assert_error(http.get("/_sim/now?x=1"), 400, "Received unknown parameter: x.")


def test_control_requests_are_not_recorded_and_consume_no_fault(
    http: httpx.Client, sim: Simulator
) -> None:
    http.post("/_sim/fail_next", json={"status": 503})
    assert http.get("/_sim/now").status_code == 200
    assert http.get("/_sim/requests").json() == {"data": []}
    assert http.get("/v1/drivers").status_code == 503
    assert [r.path for r in sim.requests] == ["/v1/drivers"]


def test_recorded_requests_come_back_byte_for_byte(http: httpx.Client, sim: Simulator) -> None:
    odd = b'{"name": "Zo\xc3\xab", "raw": "\xff"}'  # UTF-8 and one byte that is not
    http.post("/v1/charging_sessions", content=odd, headers={"Idempotency-Key": "k1"})
    (recorded,) = http.get("/_sim/requests").json()["data"]
    assert recorded["method"] == "POST"
    assert recorded["path"] == "/v1/charging_sessions"
    assert recorded["url"] == "http://sim/v1/charging_sessions"
    assert ["idempotency-key", "k1"] in recorded["headers"]
    assert recorded["body"].encode("utf-8", "surrogateescape") == odd


def test_events_start_empty(http: httpx.Client, sim: Simulator) -> None:
    assert http.get("/_sim/events").json() == {"data": []}
    assert sim.events == []


def test_an_added_object_is_served_as_given(http: httpx.Client, sim: Simulator) -> None:
    seeded = http.get("/v1/drivers").json()["data"][0]
    suspended = {**copy.deepcopy(seeded), "id": "drv_" + "S" * 32, "status": "suspended"}
    added = http.post("/_sim/add", json={"kind": "driver", "object": suspended})
    assert added.json() == suspended
    assert http.get(f"/v1/drivers/{suspended['id']}").json() == suspended
    assert http.get("/v1/drivers").json()["data"][0] == suspended  # the newest
    duplicate = http.post("/_sim/add", json={"kind": "driver", "object": suspended})
    assert_error(duplicate, 400, f"object id {suspended['id']!r} is already used by a driver")


def test_reset_restores_the_seeded_account(http: httpx.Client, sim: Simulator) -> None:
    before = http.get("/v1/charging_stations").json()
    created = http.post("/v1/charging_sessions", json=dict(sim.sample_session_params())).json()
    sim.advance(600)
    sim.fail_next(500, times=3)
    assert http.post("/_sim/reset", json={}).json() == {"now": "2026-04-01T00:00:00+00:00"}
    assert http.get("/v1/charging_sessions").json()["data"] == []
    assert http.get(f"/v1/charging_sessions/{created['id']}").status_code == 404
    assert http.get("/v1/charging_stations").json() == before
    assert sim.now == START
    # recorded since the reset (and no scripted 500 left: every answer above was a success)
    assert [r.path for r in sim.requests] == [
        "/v1/charging_sessions",
        f"/v1/charging_sessions/{created['id']}",
        "/v1/charging_stations",
    ]
    # the same session ID again: a reset simulator is the freshly seeded one
    again = http.post("/v1/charging_sessions", json=dict(sim.sample_session_params())).json()
    assert again["id"] == created["id"]


# -- SimulatorControl against a simulator in another process -----------------------------------


@pytest.fixture(scope="module")
def remote() -> Iterator[tuple[str, str]]:
    with simulator_process(seed=SEED) as (url, key, _):
        yield url, key


@pytest.fixture
def control(remote: tuple[str, str]) -> Iterator[SimulatorControl]:
    url, key = remote
    with SimulatorControl(url, key) as control:
        control.reset()
        yield control


@pytest.fixture
def sdk(remote: tuple[str, str]) -> Iterator[chargeapi.Client]:
    url, key = remote
    with chargeapi.Client(key, base_url=url, max_retries=0, timeout=5) as client:
        yield client


def test_the_remote_clock_moves(control: SimulatorControl, sdk: chargeapi.Client) -> None:
    params = Simulator(seed=SEED).sample_session_params()
    station = chargeapi.ChargingStation.retrieve(params["charging_station"], client=sdk)
    power = next(c.power for c in station.connectors if c.id == params["connector"])
    session = chargeapi.ChargingSession.create(**params, client=sdk)

    assert control.now == START
    control.advance(1800)
    later = chargeapi.ChargingSession.retrieve(session.id, client=sdk)

    assert control.now == START + timedelta(minutes=30)
    assert later.energy_consumed == power * 1000 // 2  # kW for half an hour, in Wh
    assert later.updated - session.updated == timedelta(minutes=30)


def test_remote_faults_hit_their_route(control: SimulatorControl, sdk: chargeapi.Client) -> None:
    control.fail_next(402, code="payment_authorization_failed", route="POST /v1/charging_sessions")
    stations = list(chargeapi.ChargingStation.list(client=sdk))
    with pytest.raises(chargeapi.PaymentRequiredError) as raised:
        chargeapi.ChargingSession.create(**Simulator(seed=SEED).sample_session_params(), client=sdk)
    assert stations
    assert raised.value.code == "payment_authorization_failed"

    control.drop_next()
    with pytest.raises(chargeapi.APIConnectionError):
        chargeapi.ChargingStation.retrieve(stations[0].id, client=sdk)
    assert chargeapi.ChargingStation.retrieve(stations[0].id, client=sdk).id == stations[0].id


def test_a_remote_delay_outlasts_the_clients_timeout(
    control: SimulatorControl, remote: tuple[str, str]
) -> None:
    url, key = remote
    control.delay_next(1.0, route="GET /v1/fleets")
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, headers=headers) as client:
        assert client.get("/v1/drivers", timeout=5).status_code == 200
        with pytest.raises(httpx.ReadTimeout):
            client.get("/v1/fleets", timeout=0.2)


def test_remote_added_objects_are_served_and_used(
    control: SimulatorControl, sdk: chargeapi.Client, remote: tuple[str, str]
) -> None:
    params = Simulator(seed=SEED).sample_session_params()
    url, key = remote
    station = httpx.get(
        f"{url}/v1/charging_stations/{params['charging_station']}",
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    ).json()
    special = {**station, "id": "chst_" + "P" * 32, "name": "Pricey Station"}
    special["pricing"] = [{**station["pricing"][0], "price": 99, "step_size": 1}]
    assert control.add("charging_station", special)["pricing"][0]["price"] == 99

    session = chargeapi.ChargingSession.create(
        **{**params, "charging_station": special["id"]}, client=sdk
    )
    control.advance(3600)
    billed = chargeapi.ChargingSession.retrieve(session.id, client=sdk)

    power = next(c["power"] for c in special["connectors"] if c["id"] == params["connector"])
    assert billed.energy_consumed == power * 1000
    assert billed.amount_due == power * 99  # kWh at 99 minor units each


def test_remote_requests_events_and_reset(control: SimulatorControl, sdk: chargeapi.Client) -> None:
    params = Simulator(seed=SEED).sample_session_params()
    session = chargeapi.ChargingSession.create(**params, client=sdk)
    (recorded,) = control.requests
    assert (recorded.method, recorded.path) == ("POST", "/v1/charging_sessions")
    assert recorded.json() == dict(params)
    assert recorded.headers["Idempotency-Key"]
    assert [e["type"] for e in control.events] == ["charging_session.created"]

    control.advance(60)
    control.reset()
    assert (control.now, control.requests) == (START, [])
    with pytest.raises(chargeapi.NotFoundError):
        chargeapi.ChargingSession.retrieve(session.id, client=sdk)


def test_remote_refusals_mirror_the_simulator(
    control: SimulatorControl, remote: tuple[str, str]
) -> None:
    with pytest.raises(ValueError, match="status must be an int from 400 to 599, got True"):
        control.fail_next(True)
    with pytest.raises(ValueError, match="kind must be one of"):
        control.add("unicorn", {})
    with SimulatorControl(remote[0], "ch_sk_test_not_it") as stranger:
        with pytest.raises(SimulatorControlError, match="answered 401 to advance") as raised:
            stranger.advance(60)
        assert "ch_sk_test_not_it" not in repr(stranger)
    assert "ch_sk_test_not_it" not in str(raised.value)
    assert control.now == START


def test_remote_chaos_and_its_counts(control: SimulatorControl, sdk: chargeapi.Client) -> None:
    control.chaos(seed=1, rate_limits=1.0, retry_after=0, route="GET /v1/fleets")
    with pytest.raises(chargeapi.RateLimitError):
        chargeapi.Fleet.list(client=sdk)
    counts = control.chaos_counts
    control.chaos()
    fleets = chargeapi.Fleet.list(client=sdk).data

    assert counts == {"rate_limit": 1}
    assert fleets
    assert control.chaos_counts == {}


def test_control_errors_say_which_status_and_a_live_key_is_never_sent(
    remote: tuple[str, str],
) -> None:
    with (
        SimulatorControl(remote[0], "ch_sk_test_not_it") as stranger,
        pytest.raises(SimulatorControlError) as refused,
    ):
        stranger.advance(60)
    assert refused.value.status_code == 401
    with pytest.raises(chargeapi.InvalidParameterError, match="a live key is never sent") as live:
        SimulatorControl(remote[0], "ch_sk_live_4eC39HqLyjWDarjtT1zdp7dc")
    assert live.value.param == "api_key"
    assert "4eC39HqLyjWDarjtT1zdp7dc" not in str(live.value)


def test_an_unreachable_simulator_is_a_clear_error() -> None:
    with (
        SimulatorControl("http://127.0.0.1:9", "ch_sk_test_simulator", timeout=2) as control,
        pytest.raises(SimulatorControlError, match="cannot reach the simulator") as raised,
    ):
        control.reset()
    assert raised.value.status_code is None
