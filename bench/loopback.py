"""Async throughput over real sockets: a uvicorn+httptools server on 127.0.0.1 (its own process,
pinned to one core when ``os.sched_setaffinity`` exists), the client on the other core.

At each concurrency (1, 16, 64, 256 requests in flight) four contenders create the seed session
a fixed number of times, interleaved round by round: raw httpx, raw aiohttp, the SDK on its
default backend (httpx) and the SDK with ``async_backend="aiohttp"``. Ratios are req/s over the
raw library the backend wraps (higher is better).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import httpx

import chargeapi

from ._fixtures import KEY, RAW_POST_HEADERS, ROOT, SEED_REQUEST, SEED_RESPONSE
from ._harness import Contender, Group, loop_call, paired, sample
from .imports import subprocess_env

CONCURRENCY = (1, 16, 64, 256)
AIOHTTP_TARGET = 0.90  # SDK aiohttp backend over raw aiohttp
HTTPX_TARGET = 0.95  # SDK sync create() over raw httpx, one after another


def _cores() -> tuple[int, int] | None:
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    return (cores[0], cores[1]) if len(cores) >= 2 else None


@contextlib.contextmanager
def server(core: int | None) -> Iterator[str]:
    """Start the server process; yield its base URL; stop it."""
    command = [sys.executable, "-m", "bench._server"] + ([str(core)] if core is not None else [])
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=subprocess_env(), cwd=ROOT
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _batch(
    loop: asyncio.AbstractEventLoop, one: Callable[[], Awaitable[Any]], concurrency: int
) -> Callable[[int], int]:
    """A runner doing ``n`` requests with ``concurrency`` of them in flight."""

    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    async def run(n: int) -> int:
        share, rest = divmod(n, concurrency)
        start = time.perf_counter_ns()
        await asyncio.gather(*(worker(share + (i < rest)) for i in range(concurrency)))
        return time.perf_counter_ns() - start

    return lambda n: loop.run_until_complete(run(n))


def bench_loopback(rounds: int, requests: int) -> list[Group]:
    cores = _cores()
    previous = os.sched_getaffinity(0) if cores else None
    loop = asyncio.new_event_loop()
    groups: list[Group] = []
    with server(cores[0] if cores else None) as base_url:
        if cores:
            os.sched_setaffinity(0, {cores[1]})
        url = f"{base_url}/v1/charging_sessions"
        raw_httpx = httpx.AsyncClient(timeout=60)  # the SDK's default; at 256, 5 s pool waits occur
        raw_aiohttp: aiohttp.ClientSession = loop.run_until_complete(_session())
        sdk_httpx = chargeapi.Client(KEY, base_url=base_url, max_retries=0)
        sdk_aiohttp = chargeapi.Client(
            KEY, base_url=base_url, max_retries=0, async_backend="aiohttp"
        )

        async def httpx_one() -> Any:
            response = await raw_httpx.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS)
            return response.json()

        async def aiohttp_one() -> Any:
            async with raw_aiohttp.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS) as r:
                return await r.json()

        def sdk_one(client: chargeapi.Client) -> Callable[[], Awaitable[Any]]:
            return lambda: chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)

        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert loop.run_until_complete(httpx_one()) == SEED_RESPONSE
        assert loop.run_until_complete(aiohttp_one()) == SEED_RESPONSE
        assert loop.run_until_complete(sdk_one(sdk_httpx)()) == expected
        assert loop.run_until_complete(sdk_one(sdk_aiohttp)()) == expected
        try:
            for concurrency in CONCURRENCY:
                everyone = [
                    Contender("raw aiohttp", _batch(loop, aiohttp_one, concurrency)),
                    Contender("raw httpx", _batch(loop, httpx_one, concurrency)),
                    Contender(
                        'SDK async_backend="aiohttp"',
                        _batch(loop, sdk_one(sdk_aiohttp), concurrency),
                        AIOHTTP_TARGET,
                    ),
                    Contender(  # shown, no target: httpx's own pool dominates at load
                        "SDK default (httpx)", _batch(loop, sdk_one(sdk_httpx), concurrency)
                    ),
                ]
                n = max(requests, 4 * concurrency)
                samples = sample(everyone, rounds, n)
                note = f"concurrency {concurrency}, {rounds} rounds x {n} requests"
                # Each SDK backend against the raw library it wraps; raw vs raw for scale.
                by_aiohttp = paired(
                    f"loopback create_async, {note}",
                    everyone[0],
                    [everyone[2], everyone[1]],
                    [samples[0], samples[2], samples[1]],
                    "vs raw aiohttp",
                    throughput=True,
                )
                by_httpx = paired(
                    f"loopback create_async, {note}",
                    everyone[1],
                    [everyone[3]],
                    [samples[1], samples[3]],
                    "vs raw httpx",
                    throughput=True,
                )
                by_aiohttp.results[2].target = None  # raw httpx vs raw aiohttp: for scale
                groups += [by_aiohttp, by_httpx]
            groups.append(_sync(base_url, url, rounds, requests))
        finally:
            loop.run_until_complete(sdk_aiohttp.aclose())
            loop.run_until_complete(sdk_httpx.aclose())
            loop.run_until_complete(raw_aiohttp.close())
            loop.run_until_complete(raw_httpx.aclose())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            if previous is not None:
                os.sched_setaffinity(0, previous)
    return groups


def _sync(base_url: str, url: str, rounds: int, requests: int) -> Group:
    """Sync ``create()`` one after another over the socket, against ``httpx.Client.post``."""
    raw = httpx.Client(timeout=60)
    sdk = chargeapi.Client(KEY, base_url=base_url, max_retries=0)

    def raw_one() -> Any:
        return raw.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS).json()

    def sdk_one() -> Any:
        return chargeapi.ChargingSession.create(**SEED_REQUEST, client=sdk)

    try:
        assert raw_one() == SEED_RESPONSE
        assert sdk_one() == chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        everyone = [
            Contender("raw httpx.Client.post(json=).json()", loop_call(raw_one)),
            Contender("SDK sync create()", loop_call(sdk_one), HTTPX_TARGET),
        ]
        samples = sample(everyone, rounds, requests)
        note = f"{rounds} rounds x {requests} requests"
        return paired(
            f"loopback create (sync, sequential), {note}",
            everyone[0],
            everyone[1:],
            samples,
            "vs raw httpx",
            throughput=True,
        )
    finally:
        sdk.close()
        raw.close()


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()
