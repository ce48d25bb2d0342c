"""Against a real HTTP server on 127.0.0.1 (the simulator's), not a mock: what the network
actually does to a retried POST, and connection handling across event loops."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

import chargeapi
from chargeapi._client import default_client
from chargeapi.testing import Simulator, SimulatorServer


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=7)


def _posted_keys(sim: Simulator) -> list[str]:
    return [r.headers["idempotency-key"] for r in sim.requests if r.method == "POST"]


def _session_count(client: chargeapi.Client) -> int:
    return sum(1 for _ in chargeapi.ChargingSession.list(limit=100, client=client))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_connection_dropped_after_the_server_created_the_session_yields_one_session(
    mode: str, sim: Simulator, net_client: chargeapi.Client
) -> None:
    sim.drop_next(after_processing=True)  # the session IS created, the answer is lost
    params = sim.sample_session_params()

    if mode == "sync":
        session = chargeapi.ChargingSession.create(**params, client=net_client)
    else:
        session = asyncio.run(chargeapi.ChargingSession.create_async(**params, client=net_client))

    keys = _posted_keys(sim)
    assert len(keys) == 2 and keys[0] == keys[1]
    assert _session_count(net_client) == 1
    assert chargeapi.ChargingSession.retrieve(session.id, client=net_client).id == session.id


def test_scripted_503s_with_retry_after_zero_are_retried_to_one_session(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    sim.fail_next(503, times=2, retry_after=0)

    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=net_client)

    keys = _posted_keys(sim)
    assert len(keys) == 3 and len(set(keys)) == 1
    assert session.status == "active"
    assert _session_count(net_client) == 1


def test_a_timed_out_attempt_that_still_lands_does_not_double_create(
    sim: Simulator, server: SimulatorServer
) -> None:
    # The first attempt is answered late (it times out client-side but is still processed);
    # the retry carries the same key, so the server creates one session, whichever lands first.
    sim.delay_next(0.6)
    with chargeapi.Client(
        sim.api_key, base_url=server.url, timeout=0.2, max_retries=3, sleep=lambda _: None
    ) as client:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        keys = _posted_keys(sim)
        assert len(keys) >= 2 and len(set(keys)) == 1
        time.sleep(0.6)  # let the slow first attempt finish on the server, then count
        ids = [s.id for s in chargeapi.ChargingSession.list(client=client)]
    assert ids == [session.id]


def test_one_client_serves_several_asyncio_run_calls(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    async def start_and_end() -> str:
        started = await chargeapi.ChargingSession.create_async(
            **sim.sample_session_params(), client=net_client
        )
        ended = await chargeapi.ChargingSession.end_async(started.id, client=net_client)
        return str(ended.status)

    # Each asyncio.run() has its own loop; an httpx.AsyncClient cannot cross loops, so the
    # SDK keeps one per loop and closes it when that loop shuts down (no ResourceWarning:
    # pytest is configured to turn those into errors).
    assert asyncio.run(start_and_end()) == "completed"
    assert asyncio.run(start_and_end()) == "completed"
    assert asyncio.run(start_and_end()) == "completed"


async def test_async_with_closes_the_loops_connections(
    sim: Simulator, server: SimulatorServer
) -> None:
    async with chargeapi.Client(sim.api_key, base_url=server.url) as client:
        await chargeapi.ChargingSession.create_async(**sim.sample_session_params(), client=client)
    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
        await chargeapi.ChargingSession.create_async(**sim.sample_session_params(), client=client)


def test_the_api_key_appears_in_no_log_line_of_a_real_exchange(
    sim: Simulator, server: SimulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    key = "ch_sk_test_SECRETsecretSECRET0123456789"
    sim.fail_next(503, retry_after=0)
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, httpcore's

    with chargeapi.Client(key, base_url=server.url, sleep=lambda _: None) as client:
        chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)

    ours = [r for r in caplog.records if r.name == "chargeapi"]
    assert [r.levelname for r in ours] == ["DEBUG", "INFO", "DEBUG"]  # attempt, retry, attempt
    assert all(key not in r.getMessage() for r in caplog.records)
    assert "SECRET" not in caplog.text


def test_the_default_client_reads_key_and_base_url_from_the_environment(
    sim: Simulator, server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", sim.api_key)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", server.url)

    try:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params())  # no client=
        assert chargeapi.ChargingSession.retrieve(session.id).id == session.id
    finally:
        default_client().close()  # its socket must not outlive this test's server
    assert sim.requests[0].headers["authorization"] == f"Bearer {sim.api_key}"
