"""Issue 8's campaign, kept: creates through random faults over real sockets, sync and async.

Each call gets its own connector, so the simulator's sessions on that connector are exactly the
sessions the call created. After the run (and after every delayed request had time to land)
each call is checked against the server: a success exists there once, under its ID; a failure
whose ``outcome_unknown`` is False created nothing; nothing is ever created twice; every
attempt of a call carried the same Idempotency-Key. ``CHARGEAPI_SOAK_CREATES`` sets the
creates per mode (``nox -s soak`` runs 10,000); the tallies always print
(past pytest's capture; the server's reports of reset connections stay captured).
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

CREATES = int(os.environ.get("CHARGEAPI_SOAK_CREATES", "1000"))
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


Batch = tuple[Simulator, SimulatorServer, list[dict[str, str]]]


def _batches() -> Iterator[Batch]:
    """A fresh simulator and server per `BATCH` creates: the simulator scans every session to
    find a free connector, so one account of 10,000 sessions would measure the simulator."""
    for n, start in enumerate(range(0, CREATES, BATCH)):
        sim = Simulator(seed=8 + n)
        plan = _plan(sim, min(BATCH, CREATES - start))
        sim.chaos(seed=8 + n, **CHAOS)  # type: ignore[arg-type]
        with sim.serve() as server:
            yield sim, server, plan


def _client(url: str, api_key: str) -> chargeapi.Client:
    return chargeapi.Client(
        api_key,
        base_url=url,
        timeout=TIMEOUT,
        max_retries=2,
        sleep=lambda seconds: None,
        async_sleep=_no_wait,
    )


def _outcome(call: Any) -> Any:
    """The session, or the exception: anything but a ChargeAPIError fails the soak later."""
    try:
        return call()
    except Exception as error:  # a soak records whatever escapes
        return error


def test_sync_creates_from_50_threads_through_random_faults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tally: Counter[str] = Counter()
    for sim, server, plan in _batches():
        with (
            _client(server.url, sim.api_key) as client,
            ThreadPoolExecutor(max_workers=CONCURRENCY) as pool,
        ):
            outcomes = list(
                pool.map(
                    lambda p: _outcome(
                        lambda: chargeapi.ChargingSession.create(**p, client=client)
                    ),
                    plan,
                )
            )
        tally += _check(sim, server, plan, outcomes)
    _report("sync", tally, capsys)


async def test_async_creates_50_at_a_time_through_random_faults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    tally: Counter[str] = Counter()
    gate = asyncio.Semaphore(CONCURRENCY)

    async def create(client: chargeapi.Client, params: dict[str, str]) -> Any:
        async with gate:
            try:
                return await chargeapi.ChargingSession.create_async(**params, client=client)
            except Exception as error:  # a soak records whatever escapes
                return error

    for sim, server, plan in _batches():
        with _client(server.url, sim.api_key) as client:
            outcomes = await asyncio.gather(*(create(client, p) for p in plan))
        tally += _check(sim, server, plan, outcomes)
    _report("async", tally, capsys)


def _report(mode: str, tally: Counter[str], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nsoak ({mode}, {CREATES} creates, concurrency {CONCURRENCY}):")
        print(json.dumps(dict(sorted(tally.items())), indent=2))
    assert tally["success"] > 0


def _check(
    sim: Simulator, server: SimulatorServer, plan: list[dict[str, str]], outcomes: list[Any]
) -> Counter[str]:
    """Each outcome against the server's sessions and the requests it received; the tallies."""
    time.sleep(DELAY + 0.5)  # a delayed attempt still sleeping on the server lands first
    with chargeapi.Client(sim.api_key, base_url=server.url) as reader:
        created: dict[tuple[str, str], list[str]] = {}
        for session in chargeapi.ChargingSession.list(limit=100, client=reader):
            created.setdefault((session.charging_station, session.connector), []).append(session.id)
    keys: dict[tuple[str, str], set[str | None]] = {}
    posts = [r for r in sim.requests if r.method == "POST"]
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
        assert len(sessions) <= 1, f"{slot} has {len(sessions)} sessions: created twice"
        assert len(sent) <= 1 and None not in sent, f"{slot}: attempts sent keys {sent}"
        if not sent:
            tally["never arrived"] += 1
        if isinstance(outcome, chargeapi.ChargingSession):
            tally["success"] += 1
            assert sessions == [outcome.id], f"{outcome.id} is not on the server ({sessions})"
        elif isinstance(outcome, chargeapi.ChargeAPIError):
            tally[type(outcome).__name__] += 1
            tally[f"outcome_unknown={outcome.outcome_unknown}"] += 1
            assert outcome.idempotency_key is not None
            assert sent <= {outcome.idempotency_key}
            if not outcome.outcome_unknown:
                assert sessions == [], f"{slot} has {sessions} after a known failure: {outcome!r}"
            elif sessions:
                tally["outcome_unknown=True, and it exists"] += 1
        else:
            escaped.append(outcome)
    assert escaped == [], f"not a session or a ChargeAPIError: {escaped[:5]!r}"
    soaked = [created.get((p["charging_station"], p["connector"]), []) for p in plan]
    assert sum(map(len, soaked)) == tally["success"] + tally["outcome_unknown=True, and it exists"]

    tally["attempts"] = len(posts)
    tally["retries"] = len(posts) - (len(plan) - tally["never arrived"])
    tally.update({f"drawn {name}": n for name, n in sim.chaos_counts.items()})
    return tally
