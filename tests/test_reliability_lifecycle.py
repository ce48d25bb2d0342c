"""Issue 8: connections across fork, event loops, close() and interpreter exit."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import textwrap
import warnings
import weakref
from typing import Any

import pytest
import respx

import chargeapi
from chargeapi._client import default_client
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import API, STATION_EXAMPLE, TEST_KEY

STATION_ID = STATION_EXAMPLE["id"]
STATION_URL = f"{API}/v1/charging_stations/{STATION_ID}"


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
        client.timeout = 0.3
        chargeapi.ChargingStation.retrieve(station, client=client)
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
