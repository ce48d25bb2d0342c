"""The simulator's clock: where it starts (`start`), following the wall clock (`realtime`), and
webhook signatures that a receiver on the wall clock accepts with its default tolerance.

Expected instants are written out by hand. Realtime tests sleep a fraction of a second and
bound what accrued by the wall time measured around it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorControl
from tests.test_simulator_delivery import Recorder

ROOT = Path(__file__).resolve().parents[1]
SECRET = "whsec_ClockTestsSecretAAAAAAAAAAAAAAAAAA"
RATE_PER_KW = 1000 / 3600  # Wh per second per kW of connector power


def close_to_the_wall_clock(moment: datetime, within: float = 2.0) -> bool:
    return abs((moment - datetime.now(UTC)).total_seconds()) < within


# -- where the clock starts -------------------------------------------------------------------


def test_the_default_start_is_midnight_on_2026_04_01() -> None:
    assert Simulator().now == datetime(2026, 4, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "start",
    [
        "2030-01-15T12:00:00Z",
        "2030-01-15T13:00:00+01:00",
        datetime(2030, 1, 15, 13, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_a_start_moves_the_clock_and_the_seeded_account_with_it(start: Any) -> None:
    sim, default = Simulator(start=start), Simulator()
    with sim.client() as client, default.client() as usual:
        invoices = list(chargeapi.Invoice.list(client=client))
        usual_invoices = list(chargeapi.Invoice.list(client=usual))
        report = chargeapi.Report.list(client=client).data[0]
        [pending] = chargeapi.Reservation.list(status="pending", client=client).data

    assert sim.now == datetime(2030, 1, 15, 12, tzinfo=UTC)
    assert [i.id for i in invoices] == [i.id for i in usual_invoices]  # the same objects
    for invoice in invoices:
        assert invoice.created == datetime(2030, 1, 15, 11, tzinfo=UTC)
        assert invoice.period_start == datetime(2029, 12, 15, 12, tzinfo=UTC)
        assert invoice.period_end == datetime(2030, 1, 15, 12, tzinfo=UTC)
        assert invoice.description is not None
        assert invoice.description.startswith("Charging for December 2029 (")
    assert {i.due_date for i in invoices} == {datetime(2030, 1, 29, 12, tzinfo=UTC)}
    assert report.created == datetime(2030, 1, 15, 10, tzinfo=UTC)
    assert pending.ideal_start == datetime(2030, 1, 22, 12, tzinfo=UTC)


def test_lifecycles_run_from_the_new_start() -> None:
    sim = Simulator(start="2030-01-15T12:00:00Z")
    with sim.client() as client:
        [pending] = chargeapi.Reservation.list(status="pending", client=client).data
        sim.advance(7 * 86_400 - 1800 - 1)  # a second before it is confirmed
        before = chargeapi.Reservation.retrieve(pending.id, client=client).status
        sim.advance(1)
        after = chargeapi.Reservation.retrieve(pending.id, client=client)

    assert (before, after.status) == ("pending", "confirmed")
    assert after.confirmed_at == datetime(2030, 1, 22, 11, 30, tzinfo=UTC)


def test_start_now_is_the_wall_clock_and_a_new_estimation_is_still_valid() -> None:
    sim = Simulator(start="now")
    params = sim.sample_session_params()
    with sim.client() as client:
        estimation = chargeapi.Estimation.create(
            charging_station=params["charging_station"],
            vehicle=params["vehicle"],
            battery_level=20,
            battery_target_level=80,
            client=client,
        )

    assert close_to_the_wall_clock(sim.now)
    assert sim.now.microsecond % 1000 == 0  # whole milliseconds, as every rendered timestamp
    assert estimation.valid_until > datetime.now(UTC)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (datetime(2030, 1, 15), "start must be an aware datetime"),
        ("yesterday", 'start must be "now", an aware datetime or an RFC 3339 string'),
        ("2030-01-15", 'start must be "now", an aware datetime or an RFC 3339 string'),
        (
            1_900_000_000,
            'start must be "now", an aware datetime or an RFC 3339 string such as .*, got int',
        ),
        ("1960-01-01T00:00:00Z", "start must be from 1971 to 8999"),
        ("9500-01-01T00:00:00Z", "start must be from 1971 to 8999"),
    ],
)
def test_a_start_that_is_no_instant_is_refused(start: Any, message: str) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match=message) as caught:
        Simulator(start=start)
    assert caught.value.param == "start"


# -- realtime -------------------------------------------------------------------------------


def test_without_realtime_the_clock_stands_still() -> None:
    sim = Simulator(start="now")
    first = sim.now
    time.sleep(0.1)
    assert sim.now == first


def test_a_realtime_session_charges_as_real_time_passes() -> None:
    sim = Simulator(start="now", realtime=True)
    params = sim.sample_session_params()
    with sim.client() as client:
        station = chargeapi.ChargingStation.retrieve(params["charging_station"], client=client)
        power = next(c.power for c in station.connectors if c.id == params["connector"])
        began = time.monotonic()
        session = chargeapi.ChargingSession.create(**params, client=client)
        time.sleep(0.5)
        later = chargeapi.ChargingSession.retrieve(session.id, client=client)
        lasted = time.monotonic() - began

    assert int(power * RATE_PER_KW * 0.5) <= later.energy_consumed
    assert later.energy_consumed <= power * RATE_PER_KW * lasted
    assert close_to_the_wall_clock(later.updated)


def test_advance_jumps_a_realtime_clock_which_then_keeps_going() -> None:
    sim = Simulator(start="2030-01-15T12:00:00Z", realtime=True)
    began = time.monotonic()
    sim.advance(600)
    jumped = sim.now
    time.sleep(0.2)
    later = sim.now
    lasted = time.monotonic() - began

    assert timedelta(seconds=600) <= jumped - datetime(2030, 1, 15, 12, tzinfo=UTC)
    assert later - jumped >= timedelta(seconds=0.2)
    assert later - datetime(2030, 1, 15, 12, tzinfo=UTC) <= timedelta(seconds=600 + lasted)


def test_reset_starts_again_from_now() -> None:
    sim = Simulator(start="now", realtime=True)
    sim.advance(86_400)
    sim.reset()
    assert close_to_the_wall_clock(sim.now)


def test_realtime_must_be_a_bool() -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="realtime must be a bool") as caught:
        Simulator(realtime="yes")  # type: ignore[arg-type]
    assert caught.value.param == "realtime"


def test_a_served_realtime_clock_delivers_what_falls_due_with_no_request() -> None:
    sim = Simulator(start="now", realtime=True)
    hook = Recorder(200)
    try:
        with sim.serve() as server, chargeapi.Client(sim.api_key, base_url=server.url) as client:
            sim.webhook_endpoint(hook.url(), ["report.succeeded"], secret=SECRET)
            report = chargeapi.Report.create(
                parameters={
                    "type": "charging_summary",
                    "period_start": sim.now - timedelta(days=1),
                    "period_end": sim.now,
                },
                client=client,
            )
            server.control.advance(29.7)  # it succeeds 30 s after it was created
            deadline = time.monotonic() + 5
            while not hook.posts and time.monotonic() < deadline:
                time.sleep(0.05)  # nothing here calls the simulator: its worker must
            delivered = list(hook.posts)
    finally:
        hook.close()

    [(_, headers, body)] = delivered
    assert report.id.encode() in body
    assert b'"report.succeeded"' in body
    assert "Charge-Signature" in headers


def test_a_served_realtime_session_that_reaches_its_limit_is_delivered_with_no_request() -> None:
    sim = Simulator(start="now", realtime=True)
    params = sim.sample_session_params()
    hook = Recorder(200)
    try:
        with sim.serve() as server, chargeapi.Client(sim.api_key, base_url=server.url) as client:
            sim.webhook_endpoint(hook.url(), ["charge.succeeded"], secret=SECRET)
            station = chargeapi.ChargingStation.retrieve(params["charging_station"], client=client)
            power = next(c.power for c in station.connectors if c.id == params["connector"])
            limit = max(1, int(power * RATE_PER_KW * 0.3))  # reached in about 0.3 s
            session = chargeapi.ChargingSession.create(**params, session_limit=limit, client=client)
            deadline = time.monotonic() + 5
            while not hook.posts and time.monotonic() < deadline:
                time.sleep(0.05)  # no request: the worker wakes for the limit by itself
            delivered = list(hook.posts)
    finally:
        hook.close()

    [(_, _, body)] = delivered
    assert session.id.encode() in body


# -- webhook signatures on the simulator's clock ------------------------------------------------


@pytest.fixture
def wall_clock_receiver(receiver_module: ModuleType) -> Iterator[Any]:
    """The example receiver as it ships: the wall clock and the default 300 s tolerance."""
    with receiver_module.WebhookReceiver(SECRET, lambda event: None) as running:
        yield running


def test_with_start_now_the_unmodified_receiver_verifies_the_deliveries(
    wall_clock_receiver: Any,
) -> None:
    sim = Simulator(start="now")
    endpoint = sim.webhook_endpoint(wall_clock_receiver.url, ["*"], secret=SECRET)
    with sim.client() as client:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        chargeapi.ChargingSession.end(session.id, client=client)

    mine = [d for d in sim.deliveries if d.endpoint == endpoint["id"]]
    assert [(d.event_type, d.status) for d in mine] == [
        ("charging_session.created", 200),
        ("charging_session.updated", 200),
        ("charge.succeeded", 200),
    ]
    assert [e.type for e in wall_clock_receiver.events] == [d.event_type for d in mine]


def test_with_the_default_start_the_same_receiver_refuses_them(wall_clock_receiver: Any) -> None:
    sim = Simulator()  # 2026-04-01: months away from the receiver's wall clock
    endpoint = sim.webhook_endpoint(wall_clock_receiver.url, ["*"], secret=SECRET)
    with sim.client() as client:
        chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)

    [delivery] = [d for d in sim.deliveries if d.endpoint == endpoint["id"]]
    assert (delivery.status, delivery.outcome) == (400, "failed")
    assert wall_clock_receiver.events == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_cli_simulator_started_now_and_the_example_receiver_agree(tmp_path: Path) -> None:
    """`chargeapi simulator --start now` and `python examples/webhook_receiver.py`, both as
    shipped, in their own processes: every delivery verifies with the default tolerance."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "webhook_receiver.py"), "--port", str(port)],
        env={**env, "CHARGEAPI_WEBHOOK_SECRET": SECRET, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    simulator = subprocess.Popen(
        [sys.executable, "-m", "chargeapi", "simulator", "--start", "now", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert simulator.stdout is not None
        assert receiver.stderr is not None
        banner = simulator.stdout.readline()
        url = banner.rsplit(" ", 1)[-1].strip()
        assert receiver.stderr.readline().startswith("Receiving ChargeAPI webhooks at")
        with (
            SimulatorControl(url, "ch_sk_test_simulator") as control,
            chargeapi.Client("ch_sk_test_simulator", base_url=url) as client,
        ):
            hook = f"http://127.0.0.1:{port}/webhooks"
            endpoint = control.webhook_endpoint(hook, ["*"], secret=SECRET)
            params = dict(Simulator().sample_session_params())  # the same seed: the same IDs
            session = chargeapi.ChargingSession.create(**params, client=client)  # type: ignore[arg-type]
            chargeapi.ChargingSession.end(session.id, client=client)
            control.wait_for_deliveries()
            mine = [d for d in control.deliveries if d.endpoint == endpoint["id"]]
            now = control.now
    finally:
        simulator.terminate()
        receiver.terminate()
        printed, _ = receiver.communicate(timeout=10)
        simulator.communicate(timeout=10)

    assert close_to_the_wall_clock(now)
    assert [(d.event_type, d.status) for d in mine] == [
        ("charging_session.created", 200),
        ("charging_session.updated", 200),
        ("charge.succeeded", 200),
    ]
    assert [line.split()[0] for line in printed.splitlines()] == [d.event_type for d in mine]
