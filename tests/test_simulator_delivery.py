"""Webhook delivery from the simulator: what reaches a receiver on 127.0.0.1, signed how, when
it is retried on the test clock, what is never sent, and how tests observe it.

Receivers here are real loopback HTTP servers: a recorder that keeps each POST's raw bytes and
answers scripted statuses, and the example receiver (examples/webhook_receiver.py). Signatures
are checked by hand with ``hmac``; expected times are written out, not computed by the code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi import Event
from chargeapi.testing import Delivery, Simulator, SimulatorControl

SECRET = "whsec_DeliveryTestsSecretAAAAAAAAAAAAAA"
OTHER_SECRET = "whsec_DeliveryTestsOtherSecretBBBBBBBB"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "webhook_receiver.py"


def at(hour: int, minute: int, second: int = 0) -> datetime:
    """A time on the simulator's first day (its clock starts at 2026-04-01T00:00:00Z)."""
    return datetime(2026, 4, 1, hour, minute, second, tzinfo=UTC)


# -- receivers -------------------------------------------------------------------------------


class Recorder:
    """A loopback server recording every POST (path, headers, raw body); it answers the
    scripted statuses in turn, then repeats the last one."""

    def __init__(self, *statuses: int) -> None:
        self.posts: list[tuple[str, httpx.Headers, bytes]] = []
        self._statuses = list(statuses or (200,))
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                recorder.posts.append((self.path, httpx.Headers(dict(self.headers)), body))
                status = recorder._statuses.pop(0) if len(recorder._statuses) > 1 else None
                self.send_response(status or recorder._statuses[0])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, _, body in self.posts]

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


@pytest.fixture
def recorder() -> Iterator[Callable[..., Recorder]]:
    started: list[Recorder] = []

    def start(*statuses: int) -> Recorder:
        started.append(Recorder(*statuses))
        return started[-1]

    yield start
    for each in started:
        each.close()


@pytest.fixture
def receiver(receiver_module: ModuleType, sim: Simulator, handled: list[Event]) -> Iterator[Any]:
    """The example receiver, on the simulator's clock (its signatures carry test-clock time)."""
    with receiver_module.WebhookReceiver(SECRET, handled.append, clock=lambda: sim.now) as running:
        yield running


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    with sim.client(instant_retries=True) as c:
        yield c


def charge(sim: Simulator, client: chargeapi.Client) -> str:
    """Charge for ten minutes from 00:00 and end the session (at 00:10): a charge.succeeded."""
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    sim.advance(600)
    chargeapi.ChargingSession.end(session.id, client=client)
    return session.id


def event_of(sim: Simulator, type_: str) -> dict[str, Any]:
    [event] = [e for e in sim.events if e["type"] == type_]
    return event


def to(sim: Simulator, endpoint: dict[str, Any]) -> list[Delivery]:
    return [d for d in sim.deliveries if d.endpoint == endpoint["id"]]


def signature_parts(header: str) -> tuple[str, str]:
    t, v1 = header.split(",")
    assert t.startswith("t=")
    assert v1.startswith("v1=")
    return t[2:], v1[3:]


def hmac_hex(secret: str, stamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()


# -- what is sent ----------------------------------------------------------------------------


def test_a_charge_succeeded_is_posted_as_the_raw_event_signed_with_the_endpoints_secret(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    endpoint = sim.webhook_endpoint(hook.url(), ["charge.succeeded"], secret=SECRET)

    session_id = charge(sim, client)

    # Delivered before end() returned: nothing else had to happen.
    [(path, headers, body)] = hook.posts
    assert path == "/hook"
    assert headers["Content-Type"] == "application/json"
    stamp, v1 = signature_parts(headers["Charge-Signature"])
    assert stamp == "2026-04-01T00:10:00.000Z"  # the test clock when the session ended
    assert v1 == hmac_hex(SECRET, stamp, body)
    sent = json.loads(body)
    recorded = event_of(sim, "charge.succeeded")
    assert sent["id"] == recorded["id"]
    assert sent["type"] == "charge.succeeded"
    assert sent["data"]["object"]["object"] == "transaction"
    assert sent["data"]["object"]["charging_session"] == session_id
    assert sent["pending_webhooks"] == 1  # this delivery, still to make when it was sent
    assert {**sent, "pending_webhooks": 0} == recorded  # the rest is the recorded event
    assert recorded["pending_webhooks"] == 0  # acknowledged
    assert to(sim, endpoint) == [
        Delivery(
            endpoint=endpoint["id"],
            url=hook.url(),
            event=recorded["id"],
            event_type="charge.succeeded",
            attempt=1,
            at=at(0, 10),
            outcome="succeeded",
            status=200,
            error=None,
            next_attempt=None,
        )
    ]


def test_each_endpoint_gets_its_own_secrets_signature_and_a_new_endpoint_gets_a_whsec(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    mine = sim.webhook_endpoint(hook.url("/mine"), ["charge.succeeded"], secret=SECRET)
    generated = sim.webhook_endpoint(hook.url("/generated"), ["charge.succeeded"])

    charge(sim, client)

    assert mine["secret"] == SECRET
    assert generated["secret"].startswith("whsec_")
    assert generated["secret"] != SECRET
    secrets = {"/mine": SECRET, "/generated": generated["secret"]}
    assert sorted(path for path, _, _ in hook.posts) == ["/generated", "/mine"]
    for path, headers, body in hook.posts:
        stamp, v1 = signature_parts(headers["Charge-Signature"])
        assert v1 == hmac_hex(secrets[path], stamp, body)
        other = OTHER_SECRET if path == "/mine" else SECRET
        assert v1 != hmac_hex(other, stamp, body)
    # Two deliveries of one event, both signed (then sent) while both were still to make.
    assert [b["pending_webhooks"] for b in hook.bodies()] == [2, 2]
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


def test_only_the_subscribed_event_types_are_sent_and_a_star_subscribes_to_all(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    sim.webhook_endpoint(hook.url("/charges"), ["charge.succeeded"])
    sim.webhook_endpoint(hook.url("/all"), ["*"])

    charge(sim, client)

    sent = [(path, json.loads(body)["type"]) for path, _, body in hook.posts]
    assert [t for p, t in sent if p == "/charges"] == ["charge.succeeded"]
    assert [t for p, t in sent if p == "/all"] == [
        "charging_session.created",
        "charging_session.updated",
        "charge.succeeded",
    ]


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_200_201_202_and_204_acknowledge(
    status: int, sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(status)
    endpoint = sim.webhook_endpoint(hook.url(), ["charge.succeeded"])

    charge(sim, client)
    sim.advance(86_400)

    assert [(d.outcome, d.status) for d in to(sim, endpoint)] == [("succeeded", status)]
    assert len(hook.posts) == 1
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


@pytest.mark.parametrize("status", [203, 206, 301, 302, 400, 404, 409, 500, 503])
def test_any_other_answer_is_a_failure_retried_a_minute_later(
    status: int, sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(status, 200)
    endpoint = sim.webhook_endpoint(hook.url(), ["charge.succeeded"])

    charge(sim, client)
    first = to(sim, endpoint)
    sim.advance(60)

    assert [(d.outcome, d.status, d.next_attempt) for d in first] == [("failed", status, at(0, 11))]
    assert [(d.attempt, d.outcome, d.status, d.at) for d in to(sim, endpoint)] == [
        (1, "failed", status, at(0, 10)),
        (2, "succeeded", 200, at(0, 11)),
    ]
    assert len(hook.posts) == 2


# -- retries on the test clock ---------------------------------------------------------------


def test_retries_follow_the_schedule_on_the_test_clock_then_give_up(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(500)
    endpoint = sim.webhook_endpoint(hook.url(), ["charge.succeeded"], secret=SECRET)

    charge(sim, client)
    pending_after_first = event_of(sim, "charge.succeeded")["pending_webhooks"]
    sim.advance(86_400)  # one call: the clock stops at each retry on the way
    sim.advance(86_400)  # nothing after giving up

    # After 1 min, 5 min, 30 min, 2 h, 5 h and 10 h, each counted from the failed attempt.
    times = [at(0, 10), at(0, 11), at(0, 16), at(0, 46), at(2, 46), at(7, 46), at(17, 46)]
    deliveries = to(sim, endpoint)
    assert [d.attempt for d in deliveries] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.at for d in deliveries] == times
    assert [d.outcome for d in deliveries] == ["failed"] * 6 + ["given_up"]
    assert [d.status for d in deliveries] == [500] * 7
    assert [d.next_attempt for d in deliveries] == [*times[1:], None]
    assert pending_after_first == 1
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0
    # Each attempt is the same event, signed anew at its own time.
    assert len(hook.posts) == 7
    assert {b["id"] for b in hook.bodies()} == {event_of(sim, "charge.succeeded")["id"]}
    stamps = [signature_parts(h["Charge-Signature"])[0] for _, h, _ in hook.posts]
    assert stamps == [f"{t:%Y-%m-%dT%H:%M:%S}.000Z" for t in times]
    for _, headers, body in hook.posts:
        stamp, v1 = signature_parts(headers["Charge-Signature"])
        assert v1 == hmac_hex(SECRET, stamp, body)


def test_a_retry_is_not_made_before_its_time(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(500, 200)
    sim.webhook_endpoint(hook.url(), ["charge.succeeded"])

    charge(sim, client)
    sim.advance(59.999)
    before = len(hook.posts)
    chargeapi.ChargingStation.list(client=client)  # other requests do not hurry it
    sim.advance(0.001)

    assert before == 1
    assert len(hook.posts) == 2


def test_an_event_the_clock_causes_is_sent_at_its_own_time(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    endpoint = sim.webhook_endpoint(hook.url(), ["report.succeeded"], secret=SECRET)
    sim.advance(100)
    report = chargeapi.Report.create(
        parameters={
            "type": "charging_summary",
            "period_start": "2026-03-01T00:00:00Z",
            "period_end": "2026-04-01T00:00:00Z",
        },
        client=client,
    )

    sim.advance(3600)  # the report succeeds 30 s after it was created, at 00:02:10

    [delivery] = to(sim, endpoint)
    assert delivery.at == at(0, 2, 10)
    assert delivery.outcome == "succeeded"
    [(_, headers, body)] = hook.posts
    assert signature_parts(headers["Charge-Signature"])[0] == "2026-04-01T00:02:10.000Z"
    assert json.loads(body)["data"]["object"]["id"] == report.id


def test_pending_webhooks_counts_what_is_still_to_deliver(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    ok, failing = recorder(200), recorder(500, 500, 200)
    sim.webhook_endpoint(ok.url(), ["charge.succeeded"])
    sim.webhook_endpoint(failing.url(), ["charge.succeeded"])

    charge(sim, client)
    counts = [event_of(sim, "charge.succeeded")["pending_webhooks"]]
    sim.advance(60)
    counts.append(event_of(sim, "charge.succeeded")["pending_webhooks"])
    sim.advance(300)
    counts.append(event_of(sim, "charge.succeeded")["pending_webhooks"])

    assert counts == [1, 1, 0]
    assert [b["pending_webhooks"] for b in ok.bodies()] == [2]
    assert [b["pending_webhooks"] for b in failing.bodies()] == [2, 1, 1]


def test_a_receiver_may_call_the_simulator_while_it_answers(
    sim: Simulator,
    client: chargeapi.Client,
    receiver_module: ModuleType,
) -> None:
    fetched: list[str] = []

    def handle(event: Event) -> None:  # a receiver that looks the transaction up
        transaction = event.data.object
        assert isinstance(transaction, chargeapi.Transaction)
        fetched.append(chargeapi.Transaction.retrieve(transaction.id, client=client).id)

    with receiver_module.WebhookReceiver(SECRET, handle, clock=lambda: sim.now) as running:
        endpoint = sim.webhook_endpoint(running.url, ["charge.succeeded"], secret=SECRET)
        charge(sim, client)

    assert [d.status for d in to(sim, endpoint)] == [200]
    assert fetched == [event_of(sim, "charge.succeeded")["data"]["object"]["id"]]


async def test_the_async_client_delivers_too(
    sim: Simulator, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    sim.webhook_endpoint(hook.url(), ["charge.succeeded"])
    async with sim.client() as client:
        params = sim.sample_session_params()
        session = await chargeapi.ChargingSession.create_async(**params, client=client)
        sim.advance(600)
        await chargeapi.ChargingSession.end_async(session.id, client=client)

    assert [b["type"] for b in hook.bodies()] == ["charge.succeeded"]


# -- the example receiver against the simulator's deliveries --------------------------------


def test_the_example_receiver_verifies_and_accepts_a_charge_succeeded(
    sim: Simulator, client: chargeapi.Client, receiver: Any, handled: list[Event]
) -> None:
    endpoint = sim.webhook_endpoint(receiver.url, ["charge.succeeded"], secret=SECRET)

    session_id = charge(sim, client)

    recorded = event_of(sim, "charge.succeeded")
    [event] = handled
    assert event == Event.from_dict({**recorded, "pending_webhooks": 1})
    assert event.type == "charge.succeeded"
    assert isinstance(event.data.object, chargeapi.Transaction)
    assert event.data.object.charging_session == session_id
    assert [(d.status, d.outcome) for d in to(sim, endpoint)] == [(200, "succeeded")]


def test_a_forced_redelivery_is_deduped_by_event_id(
    sim: Simulator, client: chargeapi.Client, receiver: Any, handled: list[Event]
) -> None:
    endpoint = sim.webhook_endpoint(receiver.url, ["charge.succeeded"], secret=SECRET)
    charge(sim, client)
    event_id = event_of(sim, "charge.succeeded")["id"]

    again = sim.redeliver(event_id)

    # The seeded endpoint (https://example.com) is skipped again; ours answered 200.
    assert [(d.endpoint, d.outcome, d.status) for d in again if d.endpoint == endpoint["id"]] == [
        (endpoint["id"], "succeeded", 200)
    ]
    assert all(d.event == event_id for d in again)
    assert [d.outcome for d in to(sim, endpoint)] == ["succeeded", "succeeded"]
    assert [e.id for e in handled] == [event_id]  # handled once
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


def test_an_endpoint_registered_twice_gets_each_event_twice_and_handles_it_once(
    sim: Simulator, client: chargeapi.Client, receiver: Any, handled: list[Event]
) -> None:
    first = sim.webhook_endpoint(receiver.url, ["charge.succeeded"], secret=SECRET)
    second = sim.webhook_endpoint(receiver.url, ["charge.succeeded"], secret=SECRET)

    charge(sim, client)

    assert [d.status for d in to(sim, first) + to(sim, second)] == [200, 200]
    assert [e.type for e in handled] == ["charge.succeeded"]
    assert len(receiver.events) == 1


def test_a_delivery_answered_500_is_retried_after_advance_and_accepted(
    sim: Simulator, client: chargeapi.Client, receiver_module: ModuleType
) -> None:
    attempts: list[str] = []
    accepted: list[Event] = []

    def flaky(event: Event) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("database unavailable")
        accepted.append(event)

    with receiver_module.WebhookReceiver(SECRET, flaky, clock=lambda: sim.now) as running:
        endpoint = sim.webhook_endpoint(running.url, ["charge.succeeded"], secret=SECRET)
        charge(sim, client)
        after_first = (list(accepted), to(sim, endpoint))
        sim.advance(60)

    event_id = event_of(sim, "charge.succeeded")["id"]
    assert after_first[0] == []
    assert [(d.status, d.outcome, d.next_attempt) for d in after_first[1]] == [
        (500, "failed", at(0, 11))
    ]
    assert [(d.attempt, d.status, d.outcome, d.at) for d in to(sim, endpoint)] == [
        (1, 500, "failed", at(0, 10)),
        (2, 200, "succeeded", at(0, 11)),
    ]
    assert attempts == [event_id, event_id]
    assert [e.id for e in accepted] == [event_id]
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


def test_over_http_with_the_control_api(
    sim: Simulator, receiver: Any, handled: list[Event]
) -> None:
    with (
        sim.serve() as server,
        SimulatorControl(server.url, sim.api_key) as control,
        chargeapi.Client(sim.api_key, base_url=server.url, timeout=10) as client,
    ):
        endpoint = control.webhook_endpoint(receiver.url, ["charge.succeeded"], secret=SECRET)
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        control.advance(600)
        chargeapi.ChargingSession.end(session.id, client=client)
        control.wait_for_deliveries()  # a worker delivers, after the API answered
        [event] = [e for e in control.events if e["type"] == "charge.succeeded"]
        again = control.redeliver(event["id"])  # made later by the worker: nothing skipped
        control.wait_for_deliveries()
        deliveries = control.deliveries
        with pytest.raises(ValueError, match="event_id"):
            control.redeliver("evt_NoSuchEventAAAAAAAAAAAAAAAAAAAAAAA")
        with pytest.raises(ValueError, match="url"):
            control.webhook_endpoint("ftp://127.0.0.1/hook", ["charge.succeeded"])

    assert endpoint["url"] == receiver.url
    assert endpoint["secret"] == SECRET
    assert [e.id for e in handled] == [event["id"]]
    assert event["pending_webhooks"] == 0
    # Only the seeded endpoint's (https://example.com) skip comes back at once.
    assert [(d.url, d.outcome) for d in again] == [
        ("https://example.com/chargeapi/webhooks", "skipped")
    ]
    assert deliveries == sim.deliveries
    assert [(d.attempt, d.at, d.outcome) for d in deliveries if d.endpoint == endpoint["id"]] == [
        (1, at(0, 10), "succeeded"),
        (1, at(0, 10), "succeeded"),
    ]


# -- over HTTP: deliveries off the request path ------------------------------------------------


class HungReceiver:
    """A loopback receiver that takes each POST in, then answers only when `release` is set."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.bodies: list[bytes] = []
        hung = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hung.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                hung.arrived.set()
                hung.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


def test_over_http_a_hung_receiver_does_not_hold_up_the_api_and_still_gets_the_event() -> None:
    sim = Simulator(webhook_timeout=30)
    hung = HungReceiver()
    try:
        with sim.serve() as server, chargeapi.Client(sim.api_key, base_url=server.url) as client:
            endpoint = sim.webhook_endpoint(hung.url, ["driver.created"], secret=SECRET)
            began = time.monotonic()
            driver = chargeapi.Driver.create(
                name="Ada Hung", email="ada@example.com", client=client
            )
            answered = time.monotonic() - began
            listed = chargeapi.Driver.list(limit=1, client=client).data  # not held up either
            assert hung.arrived.wait(10)  # the delivery is on its way, and hangs
            pending = [d for d in server.control.deliveries if d.endpoint == endpoint["id"]]
            hung.release.set()
            server.control.wait_for_deliveries()
            delivered = [d for d in server.control.deliveries if d.endpoint == endpoint["id"]]
    finally:
        hung.close()

    assert answered < 1.0
    assert [d.id for d in listed] == [driver.id]
    assert pending == []  # no outcome while the receiver hangs
    assert [(d.event_type, d.attempt, d.outcome, d.status) for d in delivered] == [
        ("driver.created", 1, "succeeded", 200)
    ]
    [body] = hung.bodies
    assert json.loads(body)["data"]["object"]["id"] == driver.id


def test_while_served_in_process_calls_leave_the_delivery_to_the_worker_too() -> None:
    sim = Simulator(webhook_timeout=30)
    hung = HungReceiver()
    try:
        with sim.serve(), sim.client() as client:
            endpoint = sim.webhook_endpoint(hung.url, ["driver.created"], secret=SECRET)
            began = time.monotonic()
            chargeapi.Driver.create(name="Ada Local", email="ada@example.com", client=client)
            answered = time.monotonic() - began
            assert hung.arrived.wait(10)
            hung.release.set()
            sim.wait_for_deliveries()
        delivered = [(d.attempt, d.outcome) for d in sim.deliveries if d.endpoint == endpoint["id"]]
    finally:
        hung.close()

    assert answered < 1.0
    assert delivered == [(1, "succeeded")]


def test_over_http_a_failed_delivery_is_retried_by_the_worker_when_the_clock_moves(
    sim: Simulator, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(500, 200)
    with sim.serve() as server, chargeapi.Client(sim.api_key, base_url=server.url) as client:
        endpoint = server.control.webhook_endpoint(hook.url(), ["driver.created"])
        chargeapi.Driver.create(name="Ada Retry", email="ada@example.com", client=client)
        server.control.wait_for_deliveries()
        first = [
            (d.attempt, d.outcome)
            for d in server.control.deliveries
            if d.endpoint == endpoint["id"]
        ]
        server.control.advance(59)
        server.control.wait_for_deliveries()
        early = len(hook.posts)
        server.control.advance(1)
        server.control.wait_for_deliveries()
        deliveries = [d for d in server.control.deliveries if d.endpoint == endpoint["id"]]

    assert first == [(1, "failed")]
    assert early == 1
    assert [(d.attempt, d.at, d.outcome, d.status) for d in deliveries] == [
        (1, at(0, 0), "failed", 500),
        (2, at(0, 1), "succeeded", 200),
    ]


def test_wait_for_deliveries_gives_up_after_its_timeout() -> None:
    sim = Simulator(webhook_timeout=30)
    hung = HungReceiver()
    try:
        with sim.serve() as server, chargeapi.Client(sim.api_key, base_url=server.url) as client:
            sim.webhook_endpoint(hung.url, ["driver.created"])
            chargeapi.Driver.create(name="Ada Slow", email="ada@example.com", client=client)
            assert hung.arrived.wait(10)
            with pytest.raises(TimeoutError, match=r"after 0\.2 s"):
                server.control.wait_for_deliveries(timeout=0.2)
            with pytest.raises(TimeoutError, match=r"after 0\.2 s"):
                sim.wait_for_deliveries(timeout=0.2)
            hung.release.set()
    finally:
        hung.close()


@pytest.mark.parametrize("timeout", [0, -1, 3601, float("nan"), True, "5"])
def test_wait_for_deliveries_takes_a_sensible_timeout(timeout: Any, sim: Simulator) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="timeout must be") as caught:
        sim.wait_for_deliveries(timeout=timeout)
    assert caught.value.param == "timeout"


# -- what is never sent ----------------------------------------------------------------------


def test_disabled_endpoints_and_other_event_types_get_nothing(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    other_type = sim.webhook_endpoint(hook.url("/sessions"), ["charging_session.created"])
    disabled = sim.webhook_endpoint(hook.url("/disabled"), ["charge.succeeded"])
    chargeapi.WebhookEndpoint.update(disabled["id"], status="disabled", client=client)
    born_disabled = sim.webhook_endpoint(hook.url("/off"), ["*"], status="disabled")

    charge(sim, client)

    # Only what /sessions subscribed to: the session's creation.
    assert [(p, json.loads(b)["type"]) for p, _, b in hook.posts] == [
        ("/sessions", "charging_session.created")
    ]
    assert [d.event_type for d in to(sim, other_type)] == ["charging_session.created"]
    assert to(sim, disabled) == []
    assert to(sim, born_disabled) == []


def test_disabling_an_endpoint_stops_its_retries(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(500)
    endpoint = sim.webhook_endpoint(hook.url(), ["charge.succeeded"])
    charge(sim, client)

    chargeapi.WebhookEndpoint.update(endpoint["id"], status="disabled", client=client)
    sim.advance(86_400)

    assert len(hook.posts) == 1
    assert [(d.attempt, d.outcome) for d in to(sim, endpoint)] == [(1, "failed"), (2, "skipped")]
    assert "disabled" in (to(sim, endpoint)[1].error or "")
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


def test_a_url_that_is_not_loopback_http_is_never_contacted(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    port = hook.port
    # Each of these would reach the recorder if the simulator connected to it.
    urls = [
        f"http://0.0.0.0:{port}/unspecified",
        f"https://127.0.0.1:{port}/tls",
        f"http://[::ffff:127.0.0.1]:{port}/mapped",
        f"http://localhost.:{port}/dotted",
    ]
    skipped = [sim.webhook_endpoint(url, ["charge.succeeded"]) for url in urls]
    public = chargeapi.WebhookEndpoint.create(
        url="https://hooks.example.com/chargeapi", enabled_events=["*"], client=client
    )
    control = sim.webhook_endpoint(hook.url("/loopback"), ["charge.succeeded"])

    charge(sim, client)

    assert [path for path, _, _ in hook.posts] == ["/loopback"]
    assert [d.outcome for d in to(sim, control)] == ["succeeded"]
    for endpoint in skipped:
        [delivery] = to(sim, endpoint)
        assert (delivery.outcome, delivery.attempt, delivery.status) == ("skipped", 0, None)
        assert "loopback" in (delivery.error or "")
    public_deliveries = [d for d in sim.deliveries if d.endpoint == public.id]
    assert [d.event_type for d in public_deliveries] == [
        "webhook_endpoint.created",  # its own creation: it subscribes to "*"
        "charging_session.created",
        "charging_session.updated",
        "charge.succeeded",
    ]
    assert {d.outcome for d in public_deliveries} == {"skipped"}
    # Skipped deliveries are never pending, and never retried.
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0
    sim.advance(86_400)
    assert [path for path, _, _ in hook.posts] == ["/loopback"]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.0.0.2", "[::1]"])
def test_loopback_hosts_are_contacted(host: str, sim: Simulator, client: chargeapi.Client) -> None:
    with socket.socket() as unused:  # a port nothing listens on: the attempt fails, visibly
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    endpoint = sim.webhook_endpoint(f"http://{host}:{port}/hook", ["charge.succeeded"])

    charge(sim, client)

    [delivery] = to(sim, endpoint)
    assert delivery.outcome == "failed"  # attempted (and refused), not skipped
    assert delivery.status is None
    assert delivery.error is not None
    assert delivery.next_attempt == at(0, 11)


def test_no_answer_within_the_timeout_is_a_failure() -> None:
    sim = Simulator(webhook_timeout=0.2)
    with (
        sim.client() as sim_client,
        socket.socket() as silent,  # accepts connections (backlog) but never answers
    ):
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        endpoint = sim.webhook_endpoint(
            f"http://127.0.0.1:{silent.getsockname()[1]}/hook", ["charge.succeeded"]
        )
        charge(sim, sim_client)

    [delivery] = to(sim, endpoint)
    assert (delivery.outcome, delivery.status) == ("failed", None)
    assert delivery.error == "no answer within 0.2 s"


def test_reset_forgets_deliveries_and_pending_retries(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(500)
    sim.webhook_endpoint(hook.url(), ["charge.succeeded"])
    charge(sim, client)

    sim.reset()
    sim.advance(86_400)

    assert sim.deliveries == []
    assert len(hook.posts) == 1


def test_an_added_endpoint_it_cannot_sign_for_or_subscribe_is_skipped_not_a_crash(
    sim: Simulator, client: chargeapi.Client, recorder: Callable[..., Recorder]
) -> None:
    hook = recorder(200)
    template = sim.webhook_endpoint(hook.url("/template"), ["report.succeeded"])
    unsigned = {**template, "id": "wh_" + "N" * 32, "url": hook.url("/unsigned"), "secret": None}
    sim.add("webhook_endpoint", {**unsigned, "enabled_events": ["charge.succeeded"]})
    odd = {**template, "id": "wh_" + "E" * 32, "url": hook.url("/odd"), "enabled_events": None}
    sim.add("webhook_endpoint", odd)

    charge(sim, client)

    assert hook.posts == []
    assert [(d.outcome, d.attempt) for d in to(sim, unsigned)] == [("skipped", 1)]
    assert to(sim, odd) == []
    assert event_of(sim, "charge.succeeded")["pending_webhooks"] == 0


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "named"),
    [
        (("ftp://127.0.0.1/hook", ["charge.succeeded"]), {}, "url"),
        ((None, ["charge.succeeded"]), {}, "url"),
        (("http://127.0.0.1/hook", []), {}, "enabled_events"),
        (("http://127.0.0.1/hook", "charge.succeeded"), {}, "enabled_events"),
        (("http://127.0.0.1/hook", [""]), {}, "enabled_events"),
        (("http://127.0.0.1/hook", ["*"]), {"status": "paused"}, "status"),
        (("http://127.0.0.1/hook", ["*"]), {"secret": ""}, "secret"),
        (("http://127.0.0.1/hook", ["*"]), {"description": 5}, "description"),
    ],
)
def test_webhook_endpoint_refuses_bad_input_naming_the_parameter(
    args: tuple[Any, ...], kwargs: dict[str, Any], named: str, sim: Simulator
) -> None:
    with pytest.raises(ValueError, match=named):
        sim.webhook_endpoint(*args, **kwargs)


def test_redeliver_refuses_an_unknown_event(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="event_id 'evt_nope' is not an event"):
        sim.redeliver("evt_nope")


@pytest.mark.parametrize("timeout", [0, -1, 61, float("nan"), True, "5"])
def test_the_webhook_timeout_must_be_a_sensible_number_of_seconds(timeout: Any) -> None:
    with pytest.raises(ValueError, match="webhook_timeout"):
        Simulator(webhook_timeout=timeout)
