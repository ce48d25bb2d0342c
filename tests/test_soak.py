"""The fault soak: creates through random faults over real sockets, on every backend.

Creates go through a hostile raw-socket front (``tests/_hostile.py``) that hands each request
to the simulator in-process and sends its answer on a keep-alive connection. The simulator
draws random faults on ``POST /v1/charging_sessions`` (5xx, 429, drops before and after
processing, answers later than the client's deadline); the front adds its own: some answers
arrive twice in one write (a stale copy left on the connection), some creates that took effect
are answered with an object of another type, and some retrieves with another session.

Each call has a connector of its own, so the simulator's sessions on that connector are exactly
the sessions the call created. Each success is then retrieved by its ID (again, while the front
answers with the wrong session). After the run (and after every delayed request had time to
land) each call is checked against the server: a success exists there once, under its ID, and
every retrieve returned that ID; a failure whose ``outcome_unknown`` is False created nothing;
nothing is ever created twice; every attempt of a call carried the same Idempotency-Key.
``CHARGEAPI_SOAK_CREATES`` sets the creates per mode (``nox -s soak`` runs 10,000); the tallies
always print (past pytest's capture).
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator
from chargeapi.testing._faults import ConnectionDropped

from ._hostile import Connection, HostileServer, answer

CREATES = int(os.environ.get("CHARGEAPI_SOAK_CREATES", "400"))
BATCH = 1000  # creates per simulator
CONCURRENCY = 50
CONNECTORS_PER_STATION = 50
TIMEOUT = 1.0  # seconds, each attempt's deadline (a loaded 2-core box stays well within it)
DELAY = 1.5  # a delayed answer comes this late: past the deadline, after the request took effect
CHAOS = {
    "server_errors": 0.07,
    "rate_limits": 0.07,
    "retry_after": 0,
    "drops": 0.07,
    "drops_after_processing": 0.07,
    "delays": 0.04,
    "delay_seconds": DELAY,
    "route": "POST /v1/charging_sessions",
}
STALE = 0.05  # answers of any kind sent twice in one write
WRONG_TYPE = 0.03  # creates that took effect, answered with a driver instead of the session
WRONG_ID = 0.10  # retrieves answered with another session
RETRIEVES = 5  # attempts to retrieve each success (a wrong answer each time is 1e-5 likely)
MODES = ("sync", "httpx", "aiohttp")


async def _no_wait(seconds: float) -> None:
    """Retries go at once (the simulator's Retry-After is 0 anyway)."""


def _plan(sim: Simulator, count: int) -> list[dict[str, str]]:
    """`count` create params, each on a connector of its own (stations added to the account)."""
    drivers = [sim.sample_session_params() for _ in range(4)]
    with httpx.Client(transport=httpx.MockTransport(sim.handle)) as http:
        template = http.get(
            f"https://api.chargeapi.co/v1/charging_stations/{drivers[0]['charging_station']}",
            headers={"Authorization": f"Bearer {sim.api_key}"},
        ).json()
    params = []
    for n in range(-(-count // CONNECTORS_PER_STATION)):
        station = copy.deepcopy(template)
        station["id"] = f"chst_soak{n:06d}"
        station["connectors"] = [
            {**template["connectors"][0], "id": f"connector_s{c}"}
            for c in range(CONNECTORS_PER_STATION)
        ]
        sim.add("charging_station", station)
        for c in range(CONNECTORS_PER_STATION):
            driver = drivers[len(params) % len(drivers)]
            params.append(
                {
                    **driver,
                    "charging_station": station["id"],
                    "connector": f"connector_s{c}",
                }
            )
    return params[:count]


class Front:
    """The hostile front: each request to the simulator in-process, each answer (sometimes
    sent twice, or replaced by a wrong one) on the request's keep-alive connection."""

    def __init__(self, sim: Simulator, seed: int) -> None:
        self.sim = sim
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.sent: Counter[str] = Counter()
        self.other_session: bytes | None = None  # a session body, to answer a retrieve wrongly

    def serve(self, conn: Connection) -> None:
        request = conn.first
        while request is not None:
            raw = self._answer(request)
            if raw is None:
                return  # a drop: close without an answer
            conn.sendall(raw)
            request = conn.request()

    def _answer(self, request: Any) -> bytes | None:
        try:
            response = self.sim.handle(
                httpx.Request(
                    request.method,
                    f"http://{request.headers['host']}{request.target}",
                    headers=list(request.headers.items()),
                    content=request.body,
                )
            )
        except ConnectionDropped:
            return None
        body = response.content
        path = request.target.split("?", 1)[0]
        with self.lock:
            stale, wrong = self.rng.random() < STALE, self.rng.random()
            ok = response.status_code == 200
            if ok and request.method == "POST" and wrong < WRONG_TYPE:
                body = json.dumps({"id": "drv_" + "W" * 32, "object": "driver"}).encode()
                self.sent["wrong type"] += 1
            elif ok and request.method == "GET" and path.count("/") == 3:
                if wrong < WRONG_ID and self.other_session not in (None, body):
                    body = self.other_session  # type: ignore[assignment]
                    self.sent["wrong id"] += 1
                else:
                    self.other_session = body
            if stale:
                self.sent["stale copy"] += 1
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-length", "content-type", "connection")
        ]
        raw = answer(response.status_code, body, headers)
        return raw + raw if stale else raw


Batch = tuple[Simulator, Front, str, list[dict[str, str]]]


def _batches() -> Iterator[Batch]:
    """A fresh simulator and front per `BATCH` creates: the simulator scans every session to
    find a free connector, so one account of 10,000 sessions would measure the simulator."""
    for n, start in enumerate(range(0, CREATES, BATCH)):
        sim = Simulator(seed=8 + n)
        plan = _plan(sim, min(BATCH, CREATES - start))
        sim.chaos(seed=8 + n, **CHAOS)  # type: ignore[arg-type]
        front = Front(sim, seed=8 + n)
        with HostileServer(front.serve) as server:
            yield sim, front, server.url, plan


def _client(url: str, api_key: str, mode: str) -> chargeapi.Client:
    return chargeapi.Client(
        api_key,
        base_url=url,
        timeout=TIMEOUT,
        max_retries=2,
        sleep=lambda seconds: None,
        async_sleep=_no_wait,
        async_backend="aiohttp" if mode == "aiohttp" else "httpx",
    )


class Outcome:
    """What one call ended with: the session or the exception, and what its retrieves got."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.retrieved: list[str] = []  # the IDs the retrieves returned
        self.refused = 0  # retrieves refused as answering another object

    def retrieve(self, call: Callable[[], Any]) -> None:
        for _ in range(RETRIEVES):
            try:
                self.retrieved.append(call().id)
                return
            except chargeapi.InvalidResponseError:
                self.refused += 1


def _sync_call(client: chargeapi.Client, params: dict[str, str]) -> Outcome:
    try:
        outcome = Outcome(chargeapi.ChargingSession.create(**params, client=client))
    except Exception as error:  # a soak records whatever escapes
        return Outcome(error)
    session_id = outcome.result.id
    outcome.retrieve(lambda: chargeapi.ChargingSession.retrieve(session_id, client=client))
    return outcome


async def _async_call(client: chargeapi.Client, params: dict[str, str]) -> Outcome:
    try:
        outcome = Outcome(await chargeapi.ChargingSession.create_async(**params, client=client))
    except Exception as error:  # a soak records whatever escapes
        return Outcome(error)
    session_id = outcome.result.id
    for _ in range(RETRIEVES):
        try:
            session = await chargeapi.ChargingSession.retrieve_async(session_id, client=client)
        except chargeapi.InvalidResponseError:
            outcome.refused += 1
            continue
        outcome.retrieved.append(session.id)
        break
    return outcome


def test_sync_creates_from_50_threads_through_random_faults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tally: Counter[str] = Counter()
    for sim, front, url, plan in _batches():
        with (
            _client(url, sim.api_key, "sync") as client,
            ThreadPoolExecutor(max_workers=CONCURRENCY) as pool,
        ):
            outcomes = list(pool.map(lambda p: _sync_call(client, p), plan))
        tally += _check(sim, front, plan, outcomes)
    _report("sync", tally, capsys)


@pytest.mark.parametrize("mode", ["httpx", "aiohttp"])
async def test_async_creates_50_at_a_time_through_random_faults(
    mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tally: Counter[str] = Counter()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def call(client: chargeapi.Client, params: dict[str, str]) -> Outcome:
        async with gate:
            return await _async_call(client, params)

    for sim, front, url, plan in _batches():
        async with _client(url, sim.api_key, mode) as client:
            outcomes = await asyncio.gather(*(call(client, p) for p in plan))
        tally += _check(sim, front, plan, outcomes)
    _report(f"async, {mode}", tally, capsys)


def _report(mode: str, tally: Counter[str], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nsoak ({mode}, {CREATES} creates, concurrency {CONCURRENCY}):")
        print(json.dumps(dict(sorted(tally.items())), indent=2))
    assert tally["success"] > 0


def _check(
    sim: Simulator, front: Front, plan: list[dict[str, str]], outcomes: list[Outcome]
) -> Counter[str]:
    """Each outcome against the server's sessions and the requests it received; the tallies."""
    time.sleep(DELAY + 0.5)  # a delayed attempt still sleeping on the server lands first
    posts = [r for r in sim.requests if r.method == "POST"]
    with sim.client() as reader:  # in-process: no faults, no front
        created: dict[tuple[str, str], list[str]] = {}
        for session in chargeapi.ChargingSession.list(limit=100, client=reader):
            created.setdefault((session.charging_station, session.connector), []).append(session.id)
    keys: dict[tuple[str, str], set[str | None]] = {}
    for request in posts:
        body = request.json()
        keys.setdefault((body["charging_station"], body["connector"]), set()).add(
            request.headers.get("Idempotency-Key")
        )

    tally: Counter[str] = Counter()
    escaped = []
    for params, outcome in zip(plan, outcomes, strict=True):
        slot = (params["charging_station"], params["connector"])
        sessions = created.get(slot, [])
        sent = keys.get(slot, set())  # empty when no attempt got through to the server
        result = outcome.result
        assert len(sessions) <= 1, f"{slot} has {len(sessions)} sessions: created twice"
        assert len(sent) <= 1 and None not in sent, f"{slot}: attempts sent keys {sent}"
        if not sent:
            tally["never arrived"] += 1
        tally["retrieves refused (another session)"] += outcome.refused
        if isinstance(result, chargeapi.ChargingSession):
            tally["success"] += 1
            assert sessions == [result.id], f"{result.id} is not on the server ({sessions})"
            assert outcome.retrieved in ([result.id], []), f"{result.id}: {outcome.retrieved}"
            tally["retrieved"] += len(outcome.retrieved)
        elif isinstance(result, chargeapi.ChargeAPIError):
            tally[type(result).__name__] += 1
            tally[f"outcome_unknown={result.outcome_unknown}"] += 1
            assert result.idempotency_key is not None
            assert sent <= {result.idempotency_key}
            if not result.outcome_unknown:
                assert sessions == [], f"{slot} has {sessions} after a known failure: {result!r}"
            elif sessions:
                tally["outcome_unknown=True, and it exists"] += 1
        else:
            escaped.append(result)
    assert escaped == [], f"not a session or a ChargeAPIError: {escaped[:5]!r}"
    soaked = [created.get((p["charging_station"], p["connector"]), []) for p in plan]
    assert sum(map(len, soaked)) == tally["success"] + tally["outcome_unknown=True, and it exists"]

    tally["attempts"] = len(posts)
    tally["retries"] = len(posts) - (len(plan) - tally["never arrived"])
    tally.update({f"drawn {name}": n for name, n in sim.chaos_counts.items()})
    tally.update({f"front: {name}": n for name, n in front.sent.items()})
    return tally
