"""Connections across fork, event loops, close() (during a call too), the default client's
replacement, proxies and interpreter exit."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi._client import default_client
from chargeapi.testing import Simulator, SimulatorServer

from ._hostile import Connection, Script, answer
from .conftest import (
    API,
    BACKENDS,
    SEED_REQUEST,
    SEED_RESPONSE,
    STATION_EXAMPLE,
    TEST_KEY,
    backend_client,
    on_backend,
)

STATION_ID = STATION_EXAMPLE["id"]
STATION_URL = f"{API}/v1/charging_stations/{STATION_ID}"
SESSION = json.dumps(SEED_RESPONSE).encode()


# -- 1. fork --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_never_shares_the_parents_connection(
    sim: Simulator, server: SimulatorServer
) -> None:
    """The child's request is answered late, on the connection the parent pooled before the
    fork if the child reuses it; the parent's next request on that connection would then read
    the child's answer (another station)."""
    stations = [s.id for s in chargeapi.ChargingStation.list(client=sim.client())][:2]
    mine, theirs = stations
    client = chargeapi.Client(sim.api_key, base_url=server.url, timeout=5, max_retries=0)
    with client:
        assert chargeapi.ChargingStation.retrieve(mine, client=client).id == mine  # pooled
        sim.delay_next(1.0)  # the child's request: answered after the child gave up on it
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():  # 3.12+ warns about forking a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            _child(client, theirs, write_end)
        os.close(write_end)
        _, status = os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as pipe:
            child_said = pipe.read().decode()

        again = chargeapi.ChargingStation.retrieve(mine, client=client)

    assert os.WIFEXITED(status)
    assert child_said == "timed out"
    assert again.id == mine


def _child(client: chargeapi.Client, station: str, pipe: int) -> None:  # pragma: no cover
    said = "no error"
    try:
        # Same pools as ``client`` (with_options shares them), a shorter deadline.
        chargeapi.ChargingStation.retrieve(station, client=client.with_options(timeout=0.3))
    except chargeapi.APITimeoutError:
        said = "timed out"
    except BaseException as error:
        said = repr(error)
    finally:
        os.write(pipe, said.encode())
        os._exit(0)


# -- 3. asyncio.run() leaks nothing -----------------------------------------------------------------


@respx.mock
def test_event_loops_and_their_clients_are_freed_after_each_run(
    client: chargeapi.Client,
) -> None:
    respx.get(STATION_URL).respond(200, json=STATION_EXAMPLE)
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    for _ in range(3):
        with asyncio.Runner() as runner:
            loops.append(weakref.ref(runner.get_loop()))
            runner.run(chargeapi.ChargingStation.retrieve_async(STATION_ID, client=client))
    gc.collect()

    assert [ref() for ref in loops] == [None, None, None]


# -- 13. closing ----------------------------------------------------------------------------------------


async def test_after_close_async_calls_fail_on_a_loop_that_had_a_connection(
    no_waiting: dict[str, Any],
) -> None:
    client = chargeapi.Client(TEST_KEY, **no_waiting)
    with respx.mock:
        respx.get(STATION_URL).respond(200, json=STATION_EXAMPLE)
        await chargeapi.ChargingStation.retrieve_async(STATION_ID, client=client)
        client.close()

        with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
            await chargeapi.ChargingStation.retrieve_async(STATION_ID, client=client)
        assert respx.calls.call_count == 1
    await client.aclose()


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_after_close_calls_fail_with_clients_you_passed_in_too(
    mode: str, no_waiting: dict[str, Any]
) -> None:
    route = respx.get(STATION_URL).respond(200, json=STATION_EXAMPLE)
    http, async_http = httpx.Client(), httpx.AsyncClient()
    client = chargeapi.Client(
        TEST_KEY, http_client=http, async_http_client=async_http, **no_waiting
    )
    client.close()

    def retrieve() -> Any:
        if mode == "sync":
            return chargeapi.ChargingStation.retrieve(STATION_ID, client=client)
        return asyncio.run(chargeapi.ChargingStation.retrieve_async(STATION_ID, client=client))

    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
        retrieve()
    assert not route.called
    assert not http.is_closed  # yours stay open: you close them
    http.close()
    asyncio.run(async_http.aclose())


@respx.mock
def test_a_replaced_default_client_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chargeapi._client, "_default", None)
    respx.get(STATION_URL).respond(200, json=STATION_EXAMPLE)
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_first")
    first = default_client()
    chargeapi.ChargingStation.retrieve(STATION_ID)

    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_second")
    chargeapi.ChargingStation.retrieve(STATION_ID)
    second = default_client()

    assert second is not first
    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
        chargeapi.ChargingStation.retrieve(STATION_ID, client=first)
    second.close()


def test_a_loop_closed_without_shutting_down_asyncgens_leaves_no_socket(
    sim: Simulator, server: SimulatorServer
) -> None:
    station = sim.sample_session_params()["charging_station"]
    client = chargeapi.Client(sim.api_key, base_url=server.url, timeout=5)
    loop = asyncio.new_event_loop()
    got = loop.run_until_complete(chargeapi.ChargingStation.retrieve_async(station, client=client))
    loop.close()  # no loop.shutdown_asyncgens(): a hand-made loop
    del loop
    client.close()
    del client
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()

    assert got.id == station
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_the_default_client_leaves_nothing_to_warn_about_at_exit(
    sim: Simulator, server: SimulatorServer
) -> None:
    station = sim.sample_session_params()["charging_station"]
    # atexit runs hooks last-in first-out: this one runs after the SDK's, while the interpreter
    # is still whole, and frees the default client as teardown would.
    script = textwrap.dedent(
        f"""
        import atexit, gc

        def free_the_default_client():
            import chargeapi._client
            chargeapi._client._default = None
            gc.collect()

        atexit.register(free_the_default_client)
        import chargeapi
        print(chargeapi.ChargingStation.retrieve({station!r}).id)
        """
    )
    env = {**os.environ, "CHARGEAPI_API_KEY": sim.api_key, "CHARGEAPI_BASE_URL": server.url}

    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == station
    assert "ResourceWarning" not in done.stderr
    assert "unclosed" not in done.stderr


# -- threads ----------------------------------------------------------------------------------------


def test_sixteen_threads_share_one_client_over_real_sockets_through_drops(
    sim: Simulator, server: SimulatorServer, no_waiting: dict[str, Any]
) -> None:
    free: dict[tuple[str, str], Any] = {}
    for _ in range(500):  # distinct free connectors: sampling does not reserve them
        p = sim.sample_session_params()
        free.setdefault((p["charging_station"], p["connector"]), p)
    creates = list(free.values())[:8]
    stations = [p["charging_station"] for p in creates]
    sim.drop_next(times=6, after_processing=True)
    client = chargeapi.Client(
        sim.api_key, base_url=server.url, timeout=5, max_retries=8, **no_waiting
    )

    def work(index: int) -> Any:
        if index < len(creates):  # 8 threads create, 8 read stations meanwhile
            return chargeapi.ChargingSession.create(**creates[index], client=client)
        return [
            chargeapi.ChargingStation.retrieve(station, client=client).id for station in stations
        ]

    with client, ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(16)))
        listed = {s.id for s in chargeapi.ChargingSession.list(client=client)}

    sessions = results[: len(creates)]
    assert len(creates) == 8
    assert len({s.id for s in sessions}) == 8  # one session per call, none twice
    assert {s.id for s in sessions} <= listed  # and each exists on the server
    assert results[len(creates) :] == [stations] * 8
    created = [r for r in sim.requests if r.method == "POST"]
    assert len({r.headers["idempotency-key"] for r in created}) == 8


# -- fork with a client you passed in ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_forked_child_refuses_to_use_a_client_you_passed_in(
    mode: str, sim: Simulator, server: SimulatorServer
) -> None:
    """Its pooled connections are the parent's: the child would read the parent's answers.
    The child sends nothing and says why; the parent carries on."""
    station = sim.sample_session_params()["charging_station"]
    http, async_http = httpx.Client(), httpx.AsyncClient()
    client = chargeapi.Client(
        sim.api_key, base_url=server.url, http_client=http, async_http_client=async_http
    )
    assert chargeapi.ChargingStation.retrieve(station, client=client).id == station  # pooled
    before = len(sim.requests)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # 3.12+ warns about forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        said = "sent"
        try:
            if mode == "sync":
                chargeapi.ChargingStation.retrieve(station, client=client)
            else:
                asyncio.run(chargeapi.ChargingStation.retrieve_async(station, client=client))
        except chargeapi.ChargeAPIError as error:
            said = str(error)
        except BaseException as error:
            said = repr(error)
        finally:
            os.write(write_end, said.encode())
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        child_said = pipe.read().decode()

    assert "before os.fork()" in child_said
    assert len(sim.requests) == before  # the child sent nothing
    assert chargeapi.ChargingStation.retrieve(station, client=client).id == station
    http.close()
    asyncio.run(async_http.aclose())


# -- closed while a call waits to retry ---------------------------------------------------------------


def _drop_then_answer(after_processing: bool) -> Script:
    def serve(conn: Connection) -> None:
        if after_processing:
            return  # took the request, closed without an answer: it may have been done
        conn.sendall(answer(503, b'{"message": "busy"}'))

    return serve


@pytest.mark.parametrize(("after_processing", "unknown"), [(True, True), (False, False)])
@pytest.mark.parametrize("backend", BACKENDS)
def test_closing_the_client_while_a_call_waits_to_retry_ends_it_with_its_key(
    after_processing: bool,
    unknown: bool,
    backend: str,
    hostile: Callable[[Script], str],
) -> None:
    holder: list[chargeapi.Client] = []

    def sleep(seconds: float) -> None:
        holder[0].close()

    async def async_sleep(seconds: float) -> None:
        await holder[0].aclose()

    client = backend_client(
        backend,
        hostile(_drop_then_answer(after_processing)),
        max_retries=2,
        sleep=sleep,
        async_sleep=async_sleep,
    )
    holder.append(client)

    with pytest.raises(chargeapi.ChargeAPIError, match="closed") as caught:
        on_backend(
            backend,
            chargeapi.ChargingSession.create,
            **SEED_REQUEST,
            idempotency_key="closing-1",
            client=client,
        )

    assert caught.value.idempotency_key == "closing-1"
    assert caught.value.outcome_unknown is unknown


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_call_on_the_default_client_finishes_when_the_environment_replaces_it(
    mode: str, hostile: Callable[[Script], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt is answered 503 with Retry-After: 0.5; meanwhile the environment
    changes and the default client is rebuilt. The call retries on the one it started on."""
    answers = iter([answer(503, b"{}", [("Retry-After", "0.5")])] + [answer(200, SESSION)] * 3)

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            conn.sendall(next(answers))
            request = conn.request()

    monkeypatch.setattr(chargeapi._client, "_default", None)
    monkeypatch.setenv("CHARGEAPI_API_KEY", TEST_KEY)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", hostile(serve))
    first = default_client()

    def replace_soon() -> None:
        time.sleep(0.2)
        monkeypatch.setenv("CHARGEAPI_API_KEY", TEST_KEY + "2")
        assert default_client() is not first

    replacer = threading.Thread(target=replace_soon)
    replacer.start()
    try:
        session = on_backend(mode, chargeapi.ChargingSession.create, **SEED_REQUEST)
    finally:
        replacer.join()

    assert session.id == SEED_RESPONSE["id"]
    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):  # no new calls on it
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=first)


# -- proxies the environment names ---------------------------------------------------------------------


def test_a_socks_proxy_without_its_package_names_the_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)  # as if it were not installed
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")

    with (
        chargeapi.Client(TEST_KEY) as client,
        pytest.raises(chargeapi.ChargeAPIError, match=r"pip install 'chargeapi\[socks\]'"),
    ):
        chargeapi.ChargingStation.retrieve(STATION_ID, client=client)
