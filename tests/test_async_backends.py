"""``Client(async_backend=...)``: both async backends against the simulator's real HTTP server.

The same observable behaviour on each: what goes on the wire, the errors raised (timeouts,
refused connections, status errors, oversized answers) and that the key shows nowhere.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import traceback
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

KEY = "ch_sk_test_SECRETsecretSECRET0123456789"


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=5)


async def _no_sleep(_: float) -> None:
    return None


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _chain(error: BaseException) -> str:
    """Everything a traceback of ``error`` would show, chained exceptions included."""
    return "".join(traceback.format_exception(error)) + "".join(
        repr(e) for e in (error, error.__cause__, error.__context__) if e is not None
    )


def test_a_create_puts_the_same_request_on_the_wire_on_both_backends(
    sim: Simulator, server: SimulatorServer, async_backend: str
) -> None:
    params = sim.sample_session_params()

    async def create() -> chargeapi.ChargingSession:
        async with chargeapi.Client(
            sim.api_key,
            base_url=server.url,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            return await chargeapi.ChargingSession.create_async(**params, client=client)

    session = _run(create())

    assert session.status == "active"
    (request,) = [r for r in sim.requests if r.method == "POST"]
    assert request.path == "/v1/charging_sessions"
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["authorization"] == f"Bearer {sim.api_key}"
    assert headers["charge-version"] == chargeapi.API_VERSION
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["user-agent"].startswith("chargeapi-python/")
    assert len(headers["idempotency-key"]) == 36


def test_a_slow_answer_is_a_timeout_with_unknown_outcome(
    sim: Simulator, server: SimulatorServer, async_backend: str
) -> None:
    sim.delay_next(0.5)

    async def create() -> None:
        async with chargeapi.Client(
            sim.api_key,
            base_url=server.url,
            timeout=0.1,
            max_retries=0,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            await chargeapi.ChargingSession.create_async(
                **sim.sample_session_params(), client=client, idempotency_key="key-slow-1"
            )

    with pytest.raises(chargeapi.APITimeoutError) as caught:
        _run(create())

    assert caught.value.outcome_unknown is True
    assert caught.value.idempotency_key == "key-slow-1"
    assert "timed out" in str(caught.value)
    assert sim.api_key not in _chain(caught.value)


def test_a_refused_connection_reached_nothing(sim: Simulator, async_backend: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def create() -> None:
        async with chargeapi.Client(
            KEY,
            base_url=f"http://127.0.0.1:{port}",
            max_retries=1,
            async_sleep=_no_sleep,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            await chargeapi.ChargingSession.create_async(
                **sim.sample_session_params(), client=client
            )

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        _run(create())

    assert not isinstance(caught.value, chargeapi.APITimeoutError)
    assert caught.value.outcome_unknown is False
    assert "nothing was done" in str(caught.value)
    assert caught.value.__cause__ is not None
    assert "SECRET" not in _chain(caught.value)


def test_status_errors_map_the_same(
    sim: Simulator, server: SimulatorServer, async_backend: str
) -> None:
    async def retrieve() -> None:
        async with chargeapi.Client(
            sim.api_key,
            base_url=server.url,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            await chargeapi.ChargingSession.retrieve_async("cs_" + "x" * 32, client=client)

    with pytest.raises(chargeapi.NotFoundError) as caught:
        _run(retrieve())

    assert caught.value.status_code == 404
    assert sim.api_key not in _chain(caught.value)


def test_an_answer_over_the_size_cap_is_not_read(
    sim: Simulator, server: SimulatorServer, async_backend: str
) -> None:
    async def create() -> None:
        async with chargeapi.Client(
            sim.api_key,
            base_url=server.url,
            max_response_bytes=64,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            await chargeapi.ChargingSession.create_async(
                **sim.sample_session_params(), client=client
            )

    with pytest.raises(chargeapi.ResponseTooLargeError) as caught:
        _run(create())

    assert caught.value.status_code == 200
    assert caught.value.outcome_unknown is True


def test_retries_log_one_line_per_attempt_and_never_the_key(
    sim: Simulator,
    server: SimulatorServer,
    async_backend: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sim.fail_next(503, retry_after=0)
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, aiohttp's

    async def create() -> chargeapi.ChargingSession:
        async with chargeapi.Client(
            KEY,
            base_url=server.url,
            async_sleep=_no_sleep,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            return await chargeapi.ChargingSession.create_async(
                **sim.sample_session_params(), client=client
            )

    assert _run(create()).status == "active"

    ours = [r for r in caplog.records if r.name == "chargeapi"]
    assert [r.getMessage().split(" -> ")[1].split(" ")[0] for r in ours] == ["503", "200"]
    assert "SECRET" not in caplog.text


def test_an_unknown_backend_is_a_value_error_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match="async_backend must be 'httpx' or 'aiohttp'"):
        chargeapi.Client(KEY, async_backend="trio")  # type: ignore[arg-type]


def test_aiohttp_with_an_httpx_async_client_is_refused() -> None:
    import httpx

    with pytest.raises(ValueError, match="async_http_client"):
        chargeapi.Client(KEY, async_backend="aiohttp", async_http_client=httpx.AsyncClient())


def test_without_aiohttp_installed_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if it were not installed

    with pytest.raises(ImportError, match=r"pip install 'chargeapi\[aiohttp\]'"):
        chargeapi.Client(KEY, async_backend="aiohttp")


def test_the_environment_proxy_is_used_unless_no_proxy_names_the_host(
    sim: Simulator, server: SimulatorServer, async_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a proxy address nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)

    async def create() -> chargeapi.ChargingSession:
        async with chargeapi.Client(
            sim.api_key,
            base_url=server.url,
            max_retries=0,
            async_backend=async_backend,  # type: ignore[arg-type]
        ) as client:
            return await chargeapi.ChargingSession.create_async(
                **sim.sample_session_params(), client=client
            )

    with pytest.raises(chargeapi.APIConnectionError):  # sent to the proxy, which is not there
        _run(create())
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert _run(create()).status == "active"
