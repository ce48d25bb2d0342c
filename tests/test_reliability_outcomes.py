"""What a failed call tells its caller (outcome_unknown, the key), and what it must not (the API
key, forged log lines), plus redirects, cancellation and interruption, and exceptions raised
by transports."""

from __future__ import annotations

import asyncio
import gc
import signal
import socket
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from ._hostile import Connection, Script
from .conftest import API, BACKENDS, SEED_REQUEST, TEST_KEY, backend_client, seed_response

CREATE_URL = f"{API}/v1/charging_sessions"


def _sync_or_async(mode: str, client: chargeapi.Client, **overrides: Any) -> Any:
    params: dict[str, Any] = {**SEED_REQUEST, "client": client, **overrides}
    if mode == "sync":
        return chargeapi.ChargingSession.create(**params)
    return asyncio.run(chargeapi.ChargingSession.create_async(**params))


# -- 2. outcome_unknown -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_dropped_attempt_then_5xx_says_the_outcome_is_unknown(
    mode: str, client: chargeapi.Client
) -> None:
    respx.post(CREATE_URL).mock(
        side_effect=[
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            httpx.Response(503, json={"type": "api_error", "message": "try later"}),
            httpx.Response(503, json={"type": "api_error", "message": "try later"}),
        ]
    )

    with pytest.raises(chargeapi.InternalServerError) as caught:
        _sync_or_async(mode, client, idempotency_key="resume-me-2")

    error = caught.value
    assert error.outcome_unknown is True
    assert error.idempotency_key == "resume-me-2"
    assert "outcome is unknown" in str(error)
    assert "idempotency_key='resume-me-2'" in str(error)


@respx.mock
def test_a_read_timeout_then_429_is_a_rate_limit_error_with_unknown_outcome(
    client: chargeapi.Client,
) -> None:
    respx.post(CREATE_URL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(429), httpx.Response(429)]
    )

    with pytest.raises(chargeapi.RateLimitError) as caught:
        _sync_or_async("sync", client)

    assert caught.value.outcome_unknown is True


@respx.mock
def test_only_5xx_answers_leave_the_outcome_known(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(503, json={"type": "api_error", "message": "down"})

    with pytest.raises(chargeapi.InternalServerError) as caught:
        _sync_or_async("sync", client)

    assert caught.value.outcome_unknown is False
    assert "unknown" not in str(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_refused_connection_sends_nothing_and_says_so(
    mode: str, no_waiting: dict[str, Any]
) -> None:
    port = _closed_port()
    client = chargeapi.Client(TEST_KEY, base_url=f"http://127.0.0.1:{port}", **no_waiting)

    with client, pytest.raises(chargeapi.APIConnectionError) as caught:
        _sync_or_async(mode, client)

    assert caught.value.outcome_unknown is False
    assert "unknown" not in str(caught.value)
    assert caught.value.idempotency_key is not None


def test_a_drop_after_processing_against_the_server_is_unknown_and_the_key_resumes(
    sim: Simulator, net_client: chargeapi.Client
) -> None:
    params = sim.sample_session_params()
    sim.drop_next(times=3, after_processing=True)

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        chargeapi.ChargingSession.create(**params, client=net_client)
    assert caught.value.outcome_unknown is True

    resumed = chargeapi.ChargingSession.create(
        **params, idempotency_key=caught.value.idempotency_key, client=net_client
    )
    created = [r for r in sim.requests if r.method == "POST"]
    assert len(created) == 4
    assert {r.headers["idempotency-key"] for r in created} == {caught.value.idempotency_key}
    assert chargeapi.ChargingSession.retrieve(resumed.id, client=net_client).id == resumed.id


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


# -- 4. the API key is reachable from no error ----------------------------------------------------


def _strings_reachable(root: object, limit: int = 200_000) -> Iterator[str]:
    """Every str/bytes reachable from ``root`` through object references, tracebacks and
    frames excluded (those are checked with capture_locals), classes and modules too."""
    seen: set[int] = set()
    stack = [root]
    skip = (types.TracebackType, types.FrameType, type, types.ModuleType, types.FunctionType)
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            yield obj
        elif isinstance(obj, bytes | bytearray):
            yield obj.decode("latin-1")
        else:
            stack.extend(gc.get_referents(obj))
            for name in ("__cause__", "__context__", "request", "headers"):
                try:
                    stack.append(getattr(obj, name))
                except Exception:  # httpx raises if .request was never set
                    continue


def _assert_key_nowhere(error: BaseException, key: str) -> None:
    assert not [s for s in _strings_reachable(error) if key in s]
    formatted = "".join(
        traceback.TracebackException(
            type(error), error, error.__traceback__, capture_locals=True
        ).format()
    )
    assert key not in formatted
    assert "Bearer ch_sk_" not in formatted


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_connection_error_holds_no_api_key(mode: str, no_waiting: dict[str, Any]) -> None:
    client = chargeapi.Client(
        TEST_KEY, base_url=f"http://127.0.0.1:{_closed_port()}", max_retries=1, **no_waiting
    )

    with client, pytest.raises(chargeapi.APIConnectionError) as caught:
        _sync_or_async(mode, client)

    cause = caught.value.__cause__
    assert isinstance(cause, httpx.ConnectError)  # the HTTP library's account is kept
    with pytest.raises(RuntimeError):
        cause.request  # noqa: B018 - ... but not its request, whose headers hold the key
    _assert_key_nowhere(caught.value, TEST_KEY)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_errors_over_real_sockets_hold_no_api_key(
    mode: str, sim: Simulator, server: SimulatorServer, no_waiting: dict[str, Any]
) -> None:
    client = chargeapi.Client(
        sim.api_key, base_url=server.url, timeout=5, max_retries=1, **no_waiting
    )
    params = sim.sample_session_params()
    sim.drop_next(times=2, after_processing=True)
    with client:
        with pytest.raises(chargeapi.APIConnectionError) as dropped:
            _sync_or_async(mode, client, **params)
        assert isinstance(dropped.value.__cause__, httpx.RemoteProtocolError)
        with pytest.raises(chargeapi.NotFoundError) as missing:
            chargeapi.ChargingStation.retrieve(
                "chst_00000000000000000000000000000000", client=client
            )
    _assert_key_nowhere(dropped.value, sim.api_key)
    _assert_key_nowhere(missing.value, sim.api_key)


# -- 14. server text cannot forge log lines ---------------------------------------------------------


@respx.mock
def test_server_text_is_escaped_in_the_message(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(
        400,
        json={
            "type": "invalid_request_error",
            "code": "parameter_invalid",
            "message": "bad\n2026-01-01 CRITICAL forged line\x1b[2J\u2028",
            "request": "req_1\r\nX-Forged: 1",
            "param": "driver\x00",
        },
    )

    with pytest.raises(chargeapi.BadRequestError) as caught:
        _sync_or_async("sync", client)

    text = str(caught.value)
    assert not any(c in text for c in "\n\r\x1b\x00\u2028")
    assert "bad\\n2026-01-01 CRITICAL forged line\\x1b[2J\\u2028" in text
    assert "req_1\\r\\nX-Forged: 1" in text
    assert caught.value.message.startswith("bad\n")  # the field itself is left as sent


# -- 15. redirects are never followed -----------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_redirect_is_an_error_even_on_a_client_that_follows_redirects(
    status: int, mode: str, no_waiting: dict[str, Any]
) -> None:
    elsewhere = respx.route(host="elsewhere.example").respond(200, json=seed_response())
    respx.post(CREATE_URL).respond(
        status, headers={"Location": "https://elsewhere.example/v1/charging_sessions"}
    )
    client = chargeapi.Client(
        TEST_KEY,
        http_client=httpx.Client(follow_redirects=True),
        async_http_client=httpx.AsyncClient(follow_redirects=True),
        **no_waiting,
    )

    with pytest.raises(chargeapi.APIStatusError) as caught:
        _sync_or_async(mode, client)

    assert caught.value.status_code == status
    assert "does not follow redirects" in str(caught.value)
    assert "https://elsewhere.example" in str(caught.value)
    assert not elsewhere.called


def _on_backend(backend: str, sim: Simulator, server: SimulatorServer) -> chargeapi.Client:
    """A Client of the simulator on an async backend, with a 5 s per-attempt timeout."""
    return chargeapi.Client(
        sim.api_key,
        base_url=server.url,
        timeout=5,
        async_backend=backend,  # type: ignore[arg-type]
    )


# -- 16. a cancelled create leaves a way to resume -------------------------------------------------


@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
async def test_a_cancelled_create_carries_its_key_and_the_key_resumes(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    params = sim.sample_session_params()
    async with _on_backend(backend, sim, server) as client:
        before = {s.id async for s in chargeapi.ChargingSession.list_async(client=client)}
        sim.delay_next(0.3)
        task = asyncio.create_task(chargeapi.ChargingSession.create_async(**params, client=client))
        for _ in range(500):  # until it reached the server (5 s at most)
            if [r for r in sim.requests if r.method == "POST"]:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError) as caught:
            await task
        _assert_key_nowhere(caught.value, sim.api_key)
        key = next(r for r in sim.requests if r.method == "POST").headers["idempotency-key"]
        assert any(f"idempotency_key={key!r}" in note for note in caught.value.__notes__)

        await asyncio.sleep(1.0)  # the server finished creating it meanwhile
        resumed = await chargeapi.ChargingSession.create_async(
            **params, idempotency_key=key, client=client
        )
        after = {s.id async for s in chargeapi.ChargingSession.list_async(client=client)}

    assert after - before == {resumed.id}


@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
async def test_a_call_cut_short_by_wait_for_shows_the_key_in_no_frame(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    """``asyncio.wait_for`` around a call: the TimeoutError's chained CancelledError runs
    through the HTTP library's own frames, whose locals include the request's headers."""
    async with _on_backend(backend, sim, server) as client:
        station = sim.sample_session_params()["charging_station"]
        sim.delay_next(1.0)
        with pytest.raises(TimeoutError) as caught:
            await asyncio.wait_for(
                chargeapi.ChargingStation.retrieve_async(station, client=client), 0.2
            )

    _assert_key_nowhere(caught.value, sim.api_key)


@respx.mock
def test_server_text_quoted_in_an_invalid_response_is_escaped(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(
        200, content=b"<html>", headers={"Content-Type": "text/html\x1b[31m\x1b]0;owned\x07"}
    )

    with pytest.raises(chargeapi.InvalidResponseError) as caught:
        _sync_or_async("sync", client)

    assert "\x1b" not in str(caught.value)
    assert "\x07" not in str(caught.value)
    assert "text/html\\x1b[31m" in str(caught.value)


# -- an interrupted create carries its key ----------------------------------------------------------


class SoftTimeLimitExceeded(Exception):
    """What a task runner's signal handler raises in the middle of whatever the task runs."""


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs signal.setitimer")
@pytest.mark.parametrize("raised", [KeyboardInterrupt, SoftTimeLimitExceeded])
def test_a_sync_create_interrupted_mid_request_stops_as_itself_with_its_key(
    raised: type[BaseException], hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    """Ctrl-C, or Celery's soft time limit raised by its signal handler, lands while the request
    waits for its answer: the caller gets that exception with the key, never an
    APIConnectionError after more attempts."""
    arrived: list[Connection] = []

    def slow(conn: Connection) -> None:
        arrived.append(conn)
        time.sleep(3)

    def interrupt(signum: int, frame: Any) -> None:
        raise raised

    client = backend_client("sync", hostile(slow), timeout=10, max_retries=2, **no_waiting)
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with client, pytest.raises(raised) as caught:
            chargeapi.ChargingSession.create(
                **SEED_REQUEST, idempotency_key="interrupted", client=client
            )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert any("idempotency_key='interrupted'" in note for note in caught.value.__notes__)
    assert len(arrived) == 1
    _assert_key_nowhere(caught.value, TEST_KEY)


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_an_exception_raised_while_waiting_to_retry_carries_the_key(mode: str) -> None:
    """A signal handler's exception (Celery's soft time limit) that lands in the retry wait
    stops the call as it is, with the key to finish it."""
    respx.post(CREATE_URL).respond(503, json={"message": "busy"})

    def sleep(seconds: float) -> None:
        raise SoftTimeLimitExceeded

    async def async_sleep(seconds: float) -> None:
        raise SoftTimeLimitExceeded

    client = chargeapi.Client(TEST_KEY, sleep=sleep, async_sleep=async_sleep)
    with client, pytest.raises(SoftTimeLimitExceeded) as caught:
        _sync_or_async(mode, client, idempotency_key="soft-limit")

    assert any("idempotency_key='soft-limit'" in note for note in caught.value.__notes__)


# -- any exception a transport raises is a failed attempt ---------------------------------------------


class _Broken(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport of the user's that raises RuntimeError (quoting the request's headers) on
    its first ``failures`` requests, then answers the create."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.keys: list[str] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers["idempotency-key"])
        if len(self.keys) <= self.failures:
            raise RuntimeError(f"transport broke with {request.headers['authorization']}")
        return httpx.Response(200, json=seed_response())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


def _client_over(transport: _Broken, no_waiting: dict[str, Any]) -> chargeapi.Client:
    return chargeapi.Client(
        TEST_KEY,
        http_client=httpx.Client(transport=transport),
        async_http_client=httpx.AsyncClient(transport=transport),
        **no_waiting,
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_exception_from_a_transport_is_retried_as_a_connection_error(
    mode: str, no_waiting: dict[str, Any], sleeps: list[float]
) -> None:
    transport = _Broken(failures=1)

    session = _sync_or_async(mode, _client_over(transport, no_waiting))

    assert session.id == seed_response()["id"]
    assert len(transport.keys) == 2
    assert len(set(transport.keys)) == 1  # the same key on the retry
    assert len(sleeps) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_exception_from_a_transport_ends_as_an_api_connection_error(
    mode: str, no_waiting: dict[str, Any]
) -> None:
    transport = _Broken(failures=3)

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        _sync_or_async(mode, _client_over(transport, no_waiting), idempotency_key="broken-1")

    error = caught.value
    assert error.outcome_unknown is True
    assert error.idempotency_key == "broken-1"
    assert len(transport.keys) == 3
    assert isinstance(error.__cause__, RuntimeError)  # its account, kept ...
    assert "transport broke with Bearer ch_sk_test_<redacted>" in str(error.__cause__)
    shown = "".join(traceback.format_exception(error)) + "".join(_strings_reachable(error))
    assert TEST_KEY not in shown  # ... without the key it quoted


# -- nothing sent, nothing done: waiting for a connection, a proxy that refuses -----------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_call_that_never_got_a_connection_says_nothing_was_done(
    backend: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    """100 creates hold every connection of the pool (the server answers none of them for a
    while); a create made meanwhile waits for a connection until its deadline: it sent
    nothing, and says so."""
    received: list[str] = []
    all_held = threading.Event()

    def hold(conn: Connection) -> None:
        assert conn.first is not None
        received.append(conn.first.headers["idempotency-key"])
        if len(received) == 100:
            all_held.set()
        time.sleep(2.0)

    client = backend_client(backend, hostile(hold), timeout=10, **no_waiting)
    waiter = client.with_options(timeout=0.5)  # the same connections, a short deadline

    def create(key: str, on: chargeapi.Client) -> Any:
        try:
            return chargeapi.ChargingSession.create(**SEED_REQUEST, idempotency_key=key, client=on)
        except chargeapi.ChargeAPIError as error:
            return error

    async def create_async(key: str, on: chargeapi.Client) -> Any:
        try:
            return await chargeapi.ChargingSession.create_async(
                **SEED_REQUEST, idempotency_key=key, client=on
            )
        except chargeapi.ChargeAPIError as error:
            return error

    async def all_async() -> Any:
        holders = [asyncio.create_task(create_async(f"hold-{n}", client)) for n in range(100)]
        assert await asyncio.to_thread(all_held.wait, 10)
        late = await create_async("waiting", waiter)
        await asyncio.gather(*holders)
        return late

    with client:
        if backend == "sync":
            with ThreadPoolExecutor(max_workers=100) as pool:
                for n in range(100):
                    pool.submit(create, f"hold-{n}", client)
                assert all_held.wait(10)
                late = create("waiting", waiter)
        else:
            late = asyncio.run(all_async())

    assert isinstance(late, chargeapi.APITimeoutError)
    assert "waiting" not in received
    assert late.outcome_unknown is False
    assert "nothing was done" in str(late)
