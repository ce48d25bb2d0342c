"""Pagination: walk 10,000 sessions (100 pages of 100) with ``list()`` against raw httpx
following ``next_page_url`` by hand over plain dicts, on the same in-process transport.

Peak memory is measured apart (tracemalloc slows everything down): walking 10,000 items must
peak about where walking 1,000 does, one page at a time.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

import chargeapi

from ._fixtures import API, KEY, RAW_HEADERS, RESPONSE_HEADERS, SEED_RESPONSE
from ._harness import Contender, Group, interleave

PAGINATION_TARGET = 1.5
PAGES, PER_PAGE = 100, 100
URL = f"{API}/v1/charging_sessions"


def _pages(pages: int) -> list[bytes]:
    out = []
    for p in range(pages):
        items = [{**SEED_RESPONSE, "id": f"cs_{p:04d}{i:04d}{'x' * 24}"} for i in range(PER_PAGE)]
        following = f"{URL}?limit={PER_PAGE}&page={p + 1}" if p + 1 < pages else None
        out.append(
            json.dumps({"object": "list", "data": items, "next_page_url": following}).encode()
        )
    return out


def _transport(bodies: list[bytes]) -> httpx.MockTransport:
    def serve(request: httpx.Request) -> httpx.Response:
        page = int(parse_qs(urlsplit(str(request.url)).query).get("page", ["0"])[0])
        return httpx.Response(200, headers=RESPONSE_HEADERS, content=bodies[page])

    return httpx.MockTransport(serve)


def _walkers(http: httpx.Client) -> tuple[Callable[[], int], Callable[[], int]]:
    client = chargeapi.Client(KEY, base_url=API, http_client=http)

    def raw() -> int:
        count = 0
        url: str | None = f"{URL}?limit={PER_PAGE}"
        while url:
            body = http.get(url, headers=RAW_HEADERS).json()
            for item in body["data"]:
                count += item["amount_due"] > -1
            url = body["next_page_url"]
        return count

    def sdk() -> int:
        count = 0
        for session in chargeapi.ChargingSession.list(limit=PER_PAGE, client=client):
            count += session.amount_due > -1
        return count

    return raw, sdk


def _runner(walk: Callable[[], int]) -> Callable[[int], int]:
    def run(n: int) -> int:
        start = time.perf_counter_ns()
        for _ in range(n):
            walk()
        return (time.perf_counter_ns() - start) // (PAGES * PER_PAGE)  # per item

    return run


def _peak(walk: Callable[[], Iterable[Any] | int]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        walk()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_pagination(rounds: int) -> Group:
    bodies = _pages(PAGES)
    with httpx.Client(transport=_transport(bodies)) as http:
        raw, sdk = _walkers(http)
        assert raw() == sdk() == PAGES * PER_PAGE
        group = interleave(
            f"pagination (walk {PAGES * PER_PAGE:,} items, {PAGES} pages)",
            Contender("raw httpx get().json() + next_page_url, dicts", _runner(raw)),
            [
                Contender(
                    "for s in ChargingSession.list(limit=100)", _runner(sdk), PAGINATION_TARGET
                )
            ],
            rounds=rounds,
            n=1,
            note=f"{rounds} rounds x 1 walk, per item",
        )
    # Flat memory: the same walk over a tenth of the pages must peak about as high.
    with httpx.Client(transport=_transport(_pages(PAGES // 10))) as small:
        _, sdk_small = _walkers(small)
        small_peak = _peak(sdk_small)
    with httpx.Client(transport=_transport(bodies)) as big:
        _, sdk_big = _walkers(big)
        big_peak = _peak(sdk_big)
    group.extra.append(
        f"peak traced memory of the SDK walk: {PAGES // 10 * PER_PAGE:,} items"
        f" {small_peak / 2**10:,.0f} KiB, {PAGES * PER_PAGE:,} items {big_peak / 2**10:,.0f} KiB"
        f" ({big_peak / small_peak:.2f}x for 10x the items: flat means ~1x)"
    )
    return group
