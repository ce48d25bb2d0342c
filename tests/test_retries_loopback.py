"""The retry and idempotency rules again, against the simulator's real HTTP server with
scripted faults instead of respx: real sockets, real dropped connections, real replays."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator

Create = Callable[..., chargeapi.ChargingSession]


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=11)


@pytest.fixture(params=["sync", "async"])
def create(request: pytest.FixtureRequest, sim: Simulator, net_client: chargeapi.Client) -> Create:
    def run(**overrides: Any) -> chargeapi.ChargingSession:
        params: dict[str, Any] = {**sim.sample_session_params(), "client": net_client, **overrides}
        if request.param == "sync":
            return chargeapi.ChargingSession.create(**params)
        return asyncio.run(chargeapi.ChargingSession.create_async(**params))

    return run


def _posts(sim: Simulator) -> list[str]:
    return [r.headers["idempotency-key"] for r in sim.requests if r.method == "POST"]


def _sessions(net_client: chargeapi.Client) -> list[str]:
    return [s.id for s in chargeapi.ChargingSession.list(limit=100, client=net_client)]


@pytest.mark.parametrize(
    ("script", "attempts", "expected_sleeps"),
    [
        (lambda sim: sim.fail_next(429, retry_after=2), 2, [2.0]),
        (lambda sim: sim.fail_next(503, times=2, retry_after=0), 3, [0.0, 0.0]),
        (lambda sim: sim.fail_next(500, retry_after=90), 2, [60.0]),
        (lambda sim: sim.drop_next(), 2, None),
        (lambda sim: sim.drop_next(after_processing=True), 2, None),
        (lambda sim: sim.drop_next(times=2, after_processing=True), 3, None),
    ],
    ids=[
        "429-retry-after-2",
        "503x2-retry-after-0",
        "500-retry-after-capped",
        "drop-before",
        "drop-after",
        "drop-after-twice",
    ],
)
def test_faults_are_retried_with_one_key_into_exactly_one_session(
    script: Callable[[Simulator], None],
    attempts: int,
    expected_sleeps: list[float] | None,
    sim: Simulator,
    net_client: chargeapi.Client,
    sleeps: list[float],
    create: Create,
) -> None:
    script(sim)

    session = create()

    keys = _posts(sim)
    assert len(keys) == attempts
    assert len(set(keys)) == 1
    assert _sessions(net_client) == [session.id]
    if expected_sleeps is not None:
        assert sleeps == expected_sleeps
    else:
        assert len(sleeps) == attempts - 1
        assert all(0.375 * 2**i <= s <= 0.5 * 2**i for i, s in enumerate(sleeps))


def test_a_retry_after_http_date_from_the_server_is_obeyed(
    sim: Simulator, net_client: chargeapi.Client, sleeps: list[float], create: Create
) -> None:
    sim.fail_next(503, retry_after=email.utils.formatdate(time.time() + 4, usegmt=True))

    create()

    assert len(sleeps) == 1
    assert 2.5 < sleeps[0] <= 4.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_non_retryable_statuses_are_sent_once(
    status: int, sim: Simulator, net_client: chargeapi.Client, create: Create
) -> None:
    sim.fail_next(status)

    with pytest.raises(chargeapi.APIStatusError) as caught:
        create()

    assert caught.value.status_code == status
    assert caught.value.request_id is not None
    assert caught.value.request_id.startswith("req_")
    assert len(_posts(sim)) == 1
    assert _sessions(net_client) == []


def test_a_busy_connector_is_a_conflict_not_a_retry(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    params = sim.sample_session_params()
    chargeapi.ChargingSession.create(**params, client=net_client)

    with pytest.raises(chargeapi.ConflictError) as caught:
        chargeapi.ChargingSession.create(**params, client=net_client)

    assert caught.value.code == "charging_session_conflict"
    assert len(_posts(sim)) == 2  # one per call: the conflict was not retried


def test_after_retries_run_out_the_reported_key_finishes_the_job_once(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    params = sim.sample_session_params()
    sim.drop_next(times=3, after_processing=True)  # created on the first attempt, answers lost

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        chargeapi.ChargingSession.create(**params, client=net_client)
    key = caught.value.idempotency_key
    assert key is not None

    again = chargeapi.ChargingSession.create(**params, idempotency_key=key, client=net_client)
    once_more = chargeapi.ChargingSession.create(**params, idempotency_key=key, client=net_client)

    assert again.id == once_more.id
    assert _sessions(net_client) == [again.id]
    assert set(_posts(sim)) == {key}


def test_ending_is_idempotent_across_a_lost_answer(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    started = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=net_client)
    sim.advance(600)
    sim.drop_next(after_processing=True)  # the session IS ended; the retry must not 409

    ended = chargeapi.ChargingSession.end(started.id, client=net_client)

    assert ended.status == "completed"
    assert ended.energy_consumed > 0
