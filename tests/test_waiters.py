"""Waiting for a status (``wait_until``): against the simulator, sync and async, and from the CLI.

A simulator client made with ``instant_retries=True`` waits no real time: each wait moves the
simulator's test clock instead, so the lifecycle steps (a report succeeds 30 s after it was
created, a reservation is confirmed 30 minutes before its window) happen while the waiter
sleeps, and the tests can say exactly when each retrieve happened.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi import ChargingSession, Invoice, Report, Reservation
from chargeapi.testing import Simulator, SimulatorServer

START = datetime(2026, 4, 1, tzinfo=UTC)  # where the seeded simulator's clock starts
MARCH = {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}
REPORT_PARAMETERS: dict[str, Any] = {"type": "charging_summary", **MARCH}

Wait = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def wait(request: pytest.FixtureRequest) -> Wait:
    """``wait(Report, id, **kwargs)``: ``Report.wait_until``, or its ``_async`` twin."""

    def run(resource: Any, *args: Any, **kwargs: Any) -> Any:
        if request.param == "sync":
            return resource.wait_until(*args, **kwargs)
        return asyncio.run(resource.wait_until_async(*args, **kwargs))

    return run


@pytest.fixture
def instant(sim: Simulator) -> Iterator[chargeapi.Client]:
    """The simulator's client whose waits take no real time and move its test clock."""
    with sim.client(instant_retries=True) as client:
        yield client


def retrieves(sim: Simulator, path: str) -> int:
    """How many GETs of ``path`` the simulator received."""
    return sum(1 for r in sim.requests if (r.method, r.path) == ("GET", path))


def new_report(client: chargeapi.Client) -> Report:
    return Report.create(parameters=REPORT_PARAMETERS, client=client)


def new_reservation(client: chargeapi.Client, *, far_away: bool = False) -> Reservation:
    """A pending reservation for 02:00-03:00 (the simulator confirms it at 01:30), next to a
    seeded station, or where there is none."""
    station = next(iter(chargeapi.ChargingStation.list(client=client)))
    driver = next(iter(chargeapi.Driver.list(client=client)))
    assert station.location is not None
    location: chargeapi.ReservationLocationParams = (
        {"latitude": 0.0, "longitude": -30.0, "radius": 1000}
        if far_away
        else {
            "latitude": station.location.latitude,
            "longitude": station.location.longitude,
            "radius": 500,
        }
    )
    return Reservation.create(
        connector_type=[station.connectors[0].type],
        driver=driver.id,
        vehicle=driver.vehicles[0],
        ideal_start=START + timedelta(hours=2),
        ideal_end=START + timedelta(hours=3),
        location=location,
        client=client,
    )


# -- the object comes back once its status is wanted, the clock moving while it waits ---------


def test_a_report_comes_back_once_it_has_succeeded(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)
    assert created.status == "pending"

    done = wait(Report, created.id, status="succeeded", timeout=300, client=instant)

    assert isinstance(done, Report)
    assert (done.id, done.status) == (created.id, "succeeded")
    assert done.url is not None
    assert done.url.endswith(f"/{created.id}.csv")
    # Retrieved at 0, 5, ... 30 s (every default interval of 5 s); it succeeded at 30 s.
    assert retrieves(sim, f"/v1/reports/{created.id}") == 7
    assert sim.now == START + timedelta(seconds=30)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_object_waits_for_itself_on_the_client_it_came_from(
    mode: str, sim: Simulator, instant: chargeapi.Client
) -> None:
    created = new_report(instant)
    session = ChargingSession.create(**sim.sample_session_params(), client=instant)
    session.end()

    if mode == "sync":
        done = created.wait_until(status="succeeded", timeout=300)
        with pytest.raises(chargeapi.UnreachableStatusError) as caught:
            session.wait_until(status="active", timeout=60)
    else:

        async def run() -> Report:
            return await created.wait_until_async(status="succeeded", timeout=300)

        done = asyncio.run(run())
        with pytest.raises(chargeapi.UnreachableStatusError) as caught:
            asyncio.run(session.wait_until_async(status="active", timeout=60))

    assert (done.id, done.status) == (created.id, "succeeded")
    assert created.status == "pending"  # objects are snapshots: the wait returns a new one
    assert sim.now == START + timedelta(seconds=30)  # the instant client's clock: its client
    assert caught.value.last.id == session.id
    assert retrieves(sim, f"/v1/reports/{created.id}") == 7
    assert "id" not in inspect.signature(created.wait_until).parameters


def test_the_interval_sets_the_pace(sim: Simulator, instant: chargeapi.Client, wait: Wait) -> None:
    created = new_report(instant)

    done = wait(Report, created.id, status="succeeded", timeout=300, interval=12, client=instant)

    assert done.status == "succeeded"
    assert retrieves(sim, f"/v1/reports/{created.id}") == 4  # at 0, 12, 24 and 36 s
    assert sim.now == START + timedelta(seconds=36)


def test_any_of_several_statuses_will_do(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)

    done = wait(Report, created.id, status=["processing", "succeeded"], timeout=60, client=instant)

    assert done.status == "processing"  # from 5 s on
    assert sim.now == START + timedelta(seconds=5)


def test_an_object_already_there_comes_back_at_once(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)
    sim.advance(60)

    done = wait(Report, created.id, status="succeeded", timeout=300, client=instant)

    assert done.status == "succeeded"
    assert retrieves(sim, f"/v1/reports/{created.id}") == 1
    assert sim.now == START + timedelta(seconds=60)  # no wait at all


def test_a_reservation_is_confirmed_30_minutes_before_its_window(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    pending = new_reservation(instant)

    confirmed = wait(
        Reservation, pending.id, status="confirmed", timeout=3 * 3600, interval=600, client=instant
    )

    assert isinstance(confirmed, Reservation)
    assert confirmed.status == "confirmed"
    assert confirmed.charging_station is not None
    assert sim.now == START + timedelta(minutes=90)


def test_a_session_completes_at_its_energy_limit(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    session = ChargingSession.create(
        **sim.sample_session_params(), session_limit=2000, client=instant
    )

    done = wait(ChargingSession, session.id, status="completed", timeout=86_400, client=instant)

    assert isinstance(done, ChargingSession)
    assert (done.status, done.energy_consumed) == ("completed", 2000)
    assert done.session_ended is not None


def test_an_unpaid_invoice_becomes_overdue_at_its_due_date(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    invoice = Invoice.finalize(Invoice.create(**MARCH, client=instant).id, client=instant)
    assert invoice.status == "open"

    overdue = wait(
        Invoice, invoice.id, status="overdue", timeout=30 * 86_400, interval=86_400, client=instant
    )

    assert isinstance(overdue, Invoice)
    assert overdue.status == "overdue"
    assert sim.now == START + timedelta(days=14)  # the simulator's invoices are due in 14 days


# -- the timeout ----------------------------------------------------------------------------------


def test_the_timeout_raises_with_the_object_as_last_seen(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)

    with pytest.raises(chargeapi.WaitTimeoutError) as caught:
        wait(Report, created.id, status="succeeded", timeout=20, client=instant)

    error = caught.value
    assert isinstance(error, chargeapi.WaitError)
    assert isinstance(error, chargeapi.ChargeAPIError)
    assert isinstance(error.last, Report)
    assert (error.last.id, error.last.status) == (created.id, "processing")
    assert error.wanted == ("succeeded",)
    assert str(error) == (
        f"Report {created.id} is still 'processing', not 'succeeded', after 20 s and 5 checks "
        "(timeout 20 s)."
    )
    # The last retrieve is at the deadline (0, 5, 10, 15, 20 s), and nothing waits past it.
    assert retrieves(sim, f"/v1/reports/{created.id}") == 5
    assert sim.now == START + timedelta(seconds=20)


def test_the_last_wait_is_cut_to_the_time_left(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)

    with pytest.raises(chargeapi.WaitTimeoutError):
        wait(Report, created.id, status="succeeded", timeout=12, client=instant)

    assert retrieves(sim, f"/v1/reports/{created.id}") == 4  # 0, 5, 10 and 12 s
    assert sim.now == START + timedelta(seconds=12)


def test_a_zero_timeout_checks_once(sim: Simulator, instant: chargeapi.Client, wait: Wait) -> None:
    created = new_report(instant)

    with pytest.raises(chargeapi.WaitTimeoutError) as caught:
        wait(Report, created.id, status="succeeded", timeout=0, client=instant)

    assert caught.value.last.status == "pending"
    assert retrieves(sim, f"/v1/reports/{created.id}") == 1
    assert sim.now == START


def test_a_sleep_that_returns_at_once_still_runs_the_timeout_down(
    sim: Simulator, wait: Wait
) -> None:
    # Neither real time nor the test clock passes: only the seconds slept can end the wait.
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) > 100:  # a wait that counted only the wall clock would never end
            raise RuntimeError("the timeout never ran out")

    async def async_sleep(seconds: float) -> None:
        sleep(seconds)

    with sim.client(sleep=sleep, async_sleep=async_sleep) as client:
        created = new_report(client)
        with pytest.raises(chargeapi.WaitTimeoutError):
            wait(Report, created.id, status="succeeded", timeout=12, client=client)

    assert slept == [5.0, 5.0, 2.0]
    assert sim.now == START


def test_with_real_sleeps_the_wall_clock_counts(sim: Simulator, wait: Wait) -> None:
    with sim.client() as client:  # time.sleep / asyncio.sleep
        created = new_report(client)
        started = time.monotonic()
        with pytest.raises(chargeapi.WaitTimeoutError) as caught:
            wait(Report, created.id, status="succeeded", timeout=0.3, interval=0.1, client=client)
        took = time.monotonic() - started

    assert 0.3 <= took < 2
    assert caught.value.last.status == "pending"
    assert retrieves(sim, f"/v1/reports/{created.id}") == 4  # 0, 0.1, 0.2 and 0.3 s


async def test_an_async_wait_can_be_cancelled(sim: Simulator) -> None:
    with sim.client() as client:
        created = await Report.create_async(parameters=REPORT_PARAMETERS, client=client)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await Report.wait_until_async(
                    created.id, status="succeeded", timeout=60, client=client
                )


# -- terminal statuses: fail at once --------------------------------------------------------------


def test_an_ended_session_can_never_become_active(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    session = ChargingSession.create(**sim.sample_session_params(), client=instant)
    ChargingSession.end(session.id, client=instant)

    with pytest.raises(chargeapi.UnreachableStatusError) as caught:
        wait(ChargingSession, session.id, status="active", timeout=3600, client=instant)

    error = caught.value
    assert isinstance(error, chargeapi.WaitError)
    assert not isinstance(error, chargeapi.WaitTimeoutError)
    assert (error.last.id, error.last.status, error.wanted) == (
        session.id,
        "completed",
        ("active",),
    )
    assert str(error).startswith(
        f"ChargingSession {session.id} is 'completed', a terminal status: it can never become "
        "'active' (after "
    )
    assert retrieves(sim, f"/v1/charging_sessions/{session.id}") == 1


def test_a_reservation_that_fails_while_waited_for_ends_the_wait(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    pending = new_reservation(instant, far_away=True)

    with pytest.raises(chargeapi.UnreachableStatusError) as caught:
        wait(
            Reservation,
            pending.id,
            status=("confirmed", "completed"),
            timeout=86_400,
            interval=600,
            client=instant,
        )

    last = caught.value.last
    assert (last.status, last.failed_reason) == ("failed", "no_available_connectors")
    assert caught.value.wanted == ("completed", "confirmed")
    assert sim.now == START + timedelta(minutes=90)  # when it failed, not at the timeout


def test_a_void_invoice_can_never_be_paid(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    invoice = Invoice.finalize(Invoice.create(**MARCH, client=instant).id, client=instant)
    Invoice.void(invoice.id, client=instant)

    with pytest.raises(chargeapi.UnreachableStatusError) as caught:
        wait(Invoice, invoice.id, status="paid", timeout=3600, client=instant)

    assert caught.value.last.status == "void"
    assert sim.now == START


def test_a_succeeded_report_can_never_fail(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    created = new_report(instant)

    with pytest.raises(chargeapi.UnreachableStatusError):
        wait(Report, created.id, status="failed", timeout=3600, client=instant)

    assert sim.now == START + timedelta(seconds=30)


# Each resource's lifecycle in the API docs: the statuses nothing follows end a wait at once,
# and the others (and a status the docs do not list yet) never do.
TERMINAL = {
    "charging_session": ("active", {"completed", "cancelled", "failed"}),
    "reservation": ("pending", {"completed", "cancelled", "failed", "expired"}),
    "invoice": ("draft", {"paid", "void"}),
    "report": ("pending", {"succeeded", "failed"}),
}
NOT_TERMINAL = {
    "charging_session": {"brand_new_status"},
    "reservation": {"confirmed", "brand_new_status"},
    "invoice": {"open", "overdue", "uncollectible", "brand_new_status"},
    "report": {"processing", "brand_new_status"},
}
MODELS: dict[str, Any] = {
    "charging_session": ChargingSession,
    "reservation": Reservation,
    "invoice": Invoice,
    "report": Report,
}


@pytest.fixture(scope="module")
def documented_objects() -> dict[str, dict[str, Any]]:
    """One object of each lifecycle resource, as the simulator renders it."""
    sim = Simulator(seed=0)
    with sim.client() as client:
        return {
            "charging_session": ChargingSession.create(
                **sim.sample_session_params(), client=client
            ).to_dict(),
            "reservation": new_reservation(client).to_dict(),
            "invoice": Invoice.create(**MARCH, client=client).to_dict(),
            "report": new_report(client).to_dict(),
        }


def answer_with_status(body: dict[str, Any], status: str) -> respx.Route:
    path = {
        "charging_session": "charging_sessions",
        "reservation": "reservations",
        "invoice": "invoices",
        "report": "reports",
    }[body["object"]]
    return respx.get(f"https://api.chargeapi.co/v1/{path}/{body['id']}").mock(
        return_value=httpx.Response(200, json={**body, "status": status})
    )


@pytest.mark.parametrize(
    ("kind", "status"), [(k, s) for k, (_, ends) in TERMINAL.items() for s in sorted(ends)]
)
@respx.mock
def test_each_documented_terminal_status_ends_a_wait_at_once(
    kind: str,
    status: str,
    documented_objects: dict[str, dict[str, Any]],
    client: chargeapi.Client,
    sleeps: list[float],
    wait: Wait,
) -> None:
    route = answer_with_status(documented_objects[kind], status)
    wanted = TERMINAL[kind][0]

    with pytest.raises(chargeapi.UnreachableStatusError):
        wait(MODELS[kind], documented_objects[kind]["id"], status=wanted, timeout=60, client=client)

    assert route.call_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("kind", "status"), [(k, s) for k, ss in NOT_TERMINAL.items() for s in sorted(ss)]
)
@respx.mock
def test_other_statuses_wait_for_the_timeout(
    kind: str,
    status: str,
    documented_objects: dict[str, dict[str, Any]],
    client: chargeapi.Client,
    sleeps: list[float],
    wait: Wait,
) -> None:
    route = answer_with_status(documented_objects[kind], status)
    wanted = TERMINAL[kind][0]

    with pytest.raises(chargeapi.WaitTimeoutError) as caught:
        wait(MODELS[kind], documented_objects[kind]["id"], status=wanted, timeout=10, client=client)

    assert caught.value.last.status == status
    assert route.call_count == 3  # at 0, 5 and 10 s
    assert sleeps == [5.0, 5.0]


# -- errors while waiting, and bad arguments ------------------------------------------------------


def test_an_error_mid_wait_propagates_noting_what_was_last_seen(sim: Simulator, wait: Wait) -> None:
    def sleep(seconds: float) -> None:
        sim.advance(seconds)
        sim.fail_next(500)  # the next retrieve fails (no retries: max_retries=0)

    async def async_sleep(seconds: float) -> None:
        sleep(seconds)

    with sim.client(max_retries=0, sleep=sleep, async_sleep=async_sleep) as client:
        created = new_report(client)
        with pytest.raises(chargeapi.InternalServerError) as caught:
            wait(Report, created.id, status="succeeded", timeout=300, client=client)

    assert caught.value.__notes__ == [
        f"chargeapi: raised while waiting for Report {created.id} to be 'succeeded'; it was "
        "'pending' after 5 s and 1 check"
    ]
    assert retrieves(sim, f"/v1/reports/{created.id}") == 2


def test_an_unknown_object_is_not_found_at_once(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    missing = "rpt_" + "x" * 32
    with pytest.raises(chargeapi.NotFoundError) as caught:
        wait(Report, missing, status="succeeded", timeout=300, client=instant)

    assert not getattr(caught.value, "__notes__", [])
    assert sim.now == START


@pytest.mark.parametrize(
    ("arguments", "param"),
    [
        ({"status": "done"}, "status"),
        ({"status": "Succeeded"}, "status"),
        ({"status": []}, "status"),
        ({"status": ["succeeded", "done"]}, "status"),
        ({"status": 5}, "status"),
        ({"status": None}, "status"),
        ({"status": {"succeeded": True}}, "status"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": math.nan}, "timeout"),
        ({"timeout": math.inf}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"timeout": "60"}, "timeout"),
        ({"timeout": None}, "timeout"),
        ({"interval": 0}, "interval"),
        ({"interval": -5}, "interval"),
        ({"interval": math.inf}, "interval"),
        ({"interval": "5"}, "interval"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(
    arguments: dict[str, Any], param: str, sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    given = {"status": "succeeded", "timeout": 60, **arguments}

    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        wait(Report, "rpt_" + "x" * 32, client=instant, **given)

    assert caught.value.param == param
    assert isinstance(caught.value, ValueError)
    assert param in str(caught.value)
    assert sim.requests == []


def test_an_id_of_another_resource_is_refused_before_anything_is_sent(
    sim: Simulator, instant: chargeapi.Client, wait: Wait
) -> None:
    with pytest.raises(ValueError, match="rpt_"):
        wait(Report, "cs_" + "x" * 32, status="succeeded", timeout=60, client=instant)

    assert sim.requests == []


def test_the_default_client_is_used_without_client(
    sim: Simulator, server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", sim.api_key)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", server.url)
    try:
        created = new_report(chargeapi.default_client())
        sim.advance(30)

        assert Report.wait_until(created.id, status="succeeded", timeout=5).status == "succeeded"
        done = asyncio.run(Report.wait_until_async(created.id, status="succeeded", timeout=5))
        assert done.status == "succeeded"
    finally:
        chargeapi.default_client().close()


def test_wait_errors_pickle_with_the_object(sim: Simulator, instant: chargeapi.Client) -> None:
    created = new_report(instant)
    with pytest.raises(chargeapi.WaitTimeoutError) as caught:
        Report.wait_until(created.id, status="succeeded", timeout=0, client=instant)

    copy = pickle.loads(pickle.dumps(caught.value))

    assert type(copy) is chargeapi.WaitTimeoutError
    assert (copy.last, copy.wanted, str(copy)) == (
        caught.value.last,
        ("succeeded",),
        str(caught.value),
    )


def test_only_resources_with_a_lifecycle_have_waiters() -> None:
    for model in (ChargingSession, Reservation, Invoice, Report):
        assert callable(model.wait_until)
        assert inspect.iscoroutinefunction(model.wait_until_async)
    for model in (chargeapi.Driver, chargeapi.Transaction, chargeapi.Policy):
        assert not hasattr(model, "wait_until")


def test_help_shows_the_statuses_and_the_model() -> None:
    shown = str(inspect.signature(Report.wait_until))
    assert "Literal['pending', 'processing', 'succeeded', 'failed']" in shown
    assert shown.endswith("-> 'Report'")
    assert Report.wait_until.__doc__ is not None
    assert "terminal status (succeeded, failed)" in Report.wait_until.__doc__
    assert "(completed, cancelled, failed)" in (ChargingSession.wait_until.__doc__ or "")


# -- the CLI: chargeapi <resource> wait --------------------------------------------------------


@pytest.fixture
def cli(sim: Simulator, server: SimulatorServer) -> Callable[..., subprocess.Popen[str]]:
    def start(*args: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "chargeapi", "--base-url", server.url]
        command += ["--api-key", sim.api_key, *args]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    return start


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stdout, stderr


def test_cli_wait_prints_the_object_once_the_clock_moves_it_there(
    sim: Simulator, server: SimulatorServer, cli: Callable[..., subprocess.Popen[str]]
) -> None:
    with chargeapi.Client(sim.api_key, base_url=server.url) as client:
        created = new_report(client)
    path = f"/v1/reports/{created.id}"
    process = cli(
        "reports",
        "wait",
        created.id,
        "--status",
        "succeeded",
        "--timeout",
        "60",
        "--interval",
        "0.05",
    )
    deadline = time.monotonic() + 30
    while retrieves(sim, path) < 2 and time.monotonic() < deadline:  # it is polling: pending
        time.sleep(0.02)
    assert process.poll() is None
    sim.advance(30)

    code, stdout, stderr = finish(process)

    assert code == 0, stderr
    shown = json.loads(stdout)
    assert (shown["id"], shown["status"]) == (created.id, "succeeded")
    assert shown["url"].endswith(f"/{created.id}.csv")


def test_cli_wait_timeout_is_exit_16_with_the_object_as_last_seen(
    sim: Simulator, server: SimulatorServer, cli: Callable[..., subprocess.Popen[str]]
) -> None:
    with chargeapi.Client(sim.api_key, base_url=server.url) as client:
        created = new_report(client)
    started = time.monotonic()

    code, stdout, stderr = finish(
        cli(
            "reports",
            "wait",
            created.id,
            "--status",
            "succeeded",
            "--status",
            "failed",
            "--timeout",
            "0.3",
            "--interval",
            "0.1",
        )
    )

    assert time.monotonic() - started < 30
    assert (code, stdout) == (16, "")
    report = json.loads(stderr)
    assert report["error"]["type"] == "WaitTimeoutError"
    assert "is still 'pending', not 'failed' or 'succeeded'" in report["error"]["message"]
    assert (report["last"]["id"], report["last"]["status"]) == (created.id, "pending")


def test_cli_wait_on_a_terminal_status_is_exit_17(
    sim: Simulator, server: SimulatorServer, cli: Callable[..., subprocess.Popen[str]]
) -> None:
    with chargeapi.Client(sim.api_key, base_url=server.url) as client:
        session = ChargingSession.create(**sim.sample_session_params(), client=client)
        ChargingSession.end(session.id, client=client)

    code, stdout, stderr = finish(
        cli("charging-sessions", "wait", session.id, "--status", "active", "--timeout", "300")
    )

    assert (code, stdout) == (17, "")
    report = json.loads(stderr)
    assert report["error"]["type"] == "UnreachableStatusError"
    assert report["last"]["status"] == "completed"


@pytest.mark.parametrize(
    "arguments",
    [
        ["reports", "wait", "rpt_" + "x" * 32, "--status", "done", "--timeout", "5"],
        ["reports", "wait", "rpt_" + "x" * 32, "--status", "succeeded"],
        ["reports", "wait", "rpt_" + "x" * 32, "--status", "succeeded", "--timeout", "-1"],
        [
            "reports",
            "wait",
            "rpt_" + "x" * 32,
            "--status",
            "failed",
            "--timeout",
            "5",
            "--interval",
            "0",
        ],
        ["reports", "wait", "cs_" + "x" * 32, "--status", "succeeded", "--timeout", "5"],
        ["drivers", "wait", "drv_" + "x" * 32, "--status", "active", "--timeout", "5"],
    ],
)
def test_cli_wait_bad_arguments_are_exit_2_before_anything_is_sent(
    arguments: list[str], sim: Simulator, cli: Callable[..., subprocess.Popen[str]]
) -> None:
    code, stdout, stderr = finish(cli(*arguments))

    assert (code, stdout) == (2, "")
    assert json.loads(stderr)["error"]["type"] == "usage_error"
    assert sim.requests == []


def test_cli_wait_exists_for_each_resource_with_a_lifecycle() -> None:
    from chargeapi._cli._main import build_parser

    for command in ("charging-sessions", "reservations", "invoices", "reports"):
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([command, "wait", "--help"])
        assert done.value.code == 0
    shown = subprocess.run(
        [sys.executable, "-m", "chargeapi", "invoices", "wait", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "{draft,open,paid,overdue,void,uncollectible}" in shown
    assert "(paid, void)" in shown
