"""``--profile``: where the SDK's own time goes (cProfile of create() minus the raw post) and
what ``import chargeapi`` spends on top of its dependencies. For finding the next thing to cut;
the ratios in the table are what counts."""

from __future__ import annotations

import cProfile
import functools
import pstats
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import httpx

import chargeapi

from ._fixtures import API, RAW_HEADERS, RAW_POST_HEADERS, SEED_REQUEST, handler
from .imports import subprocess_env
from .overhead import sdk_client


def _profile(fn: Callable[[], Any], calls: int) -> dict[str, tuple[float, float]]:
    """{function: (calls per op, own µs per op)} under cProfile."""
    fn()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    out: dict[str, tuple[float, float]] = {}
    for (path, line, func), (_cc, ncalls, tottime, _cum, _) in stats.items():
        name = f"{_short_path(path, line)}:{func}"
        calls_before, own_before = out.get(name, (0.0, 0.0))
        out[name] = (calls_before + ncalls / calls, own_before + tottime / calls * 1e6)
    return out


def profile_create_diff(calls: int, top: int = 20) -> str:
    """cProfile of create() minus cProfile of the raw post: the functions that cost more."""
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    client = sdk_client(transport)  # as in the overhead group: the fixed headers set once
    url = f"{API}/v1/charging_sessions"
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}
    create = functools.partial(chargeapi.ChargingSession.create, **SEED_REQUEST, client=client)
    sdk = _profile(create, calls)
    raw = _profile(lambda: http.post(url, json=SEED_REQUEST, headers=key).json(), calls)
    client.close()
    http.close()
    rows = []
    for name in set(sdk) | set(raw):
        (sc, st), (rc, rt) = sdk.get(name, (0.0, 0.0)), raw.get(name, (0.0, 0.0))
        rows.append((st - rt, sc, rc, name))
    rows.sort(reverse=True)
    total_sdk, total_raw = sum(v[1] for v in sdk.values()), sum(v[1] for v in raw.values())
    lines = [
        f"cProfile, create() minus raw post, own time per call (profiled: create {total_sdk:.0f}"
        f" us, raw {total_raw:.0f} us;",
        "the profiler inflates small functions a lot: trust the ranking, take real us from above)",
        f"  {'+own us':>8}{'calls':>7}{'raw':>5}  function",
    ]
    lines += [f"  {d:>+8.1f}{sc:>7.0f}{rc:>5.0f}  {name}" for d, sc, rc, name in rows[:top]]
    return "\n".join(lines)


_IMPORT_PROFILE = """
import cProfile, pstats
profiler = cProfile.Profile()
profiler.enable()
import chargeapi
profiler.disable()
for (path, line, func), (cc, nc, tt, ct, _) in pstats.Stats(profiler).stats.items():
    print(f"{nc}\\t{tt}\\t{ct}\\t{path}\\t{line}\\t{func}")
"""
_HIDDEN = ("<built-in method builtins.exec>", "<built-in method builtins.__import__>")


def profile_import(top: int = 22) -> str:
    """cProfile of ``import chargeapi`` in a fresh interpreter: functions by cumulative time."""
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROFILE],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            cwd=cwd,
            check=True,
        )
    rows = []
    for line in done.stdout.splitlines():
        ncalls, tottime, cumtime, path, lineno, func = line.split("\t")
        if "importlib" in path or func in _HIDDEN:
            continue
        name = f"{_short_path(path, int(lineno))}:{func}"
        rows.append((float(cumtime), float(tottime), int(ncalls), name))
    rows.sort(reverse=True)
    lines = [
        "cProfile of 'import chargeapi' (fresh interpreter; importlib frames hidden; ms, inflated",
        "by the profiler; cumul includes nested imports, so rows overlap)",
        f"  {'cumul':>7}{'own':>7}{'calls':>7}  function",
    ]
    lines += [f"  {c * 1e3:>7.1f}{t * 1e3:>7.1f}{n:>7}  {name}" for c, t, n, name in rows[:top]]
    return "\n".join(lines)


_IMPORT_ATTRIBUTION = """
import time
import attrs, cattrs, httpx
import attr._make as make

spent = {"build": 0, "classes": 0, "resolve": 0}
build_class = make._ClassBuilder.build_class
resolve_types = attrs.resolve_types

def timed_build(self):
    start = time.perf_counter_ns()
    try:
        return build_class(self)
    finally:
        spent["build"] += time.perf_counter_ns() - start
        spent["classes"] += 1

def timed_resolve(*args, **kwargs):
    start = time.perf_counter_ns()
    try:
        return resolve_types(*args, **kwargs)
    finally:
        spent["resolve"] += time.perf_counter_ns() - start

make._ClassBuilder.build_class = timed_build
attrs.resolve_types = timed_resolve
start = time.perf_counter_ns()
{stmt}
total = time.perf_counter_ns() - start
print(total, spent["build"], spent["classes"], spent["resolve"])
"""


def import_attribution(runs: int) -> str:
    """Real (unprofiled) ms of ``import chargeapi`` with httpx/attrs/cattrs already loaded,
    split into attrs class building, attrs.resolve_types, asyncio and the rest."""
    rows: list[list[int]] = []
    asyncio_ns: list[int] = []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            for stmt, sink in (("import chargeapi", rows), ("import asyncio", None)):
                done = subprocess.run(
                    [sys.executable, "-c", _IMPORT_ATTRIBUTION.replace("{stmt}", stmt)],
                    capture_output=True,
                    text=True,
                    env=subprocess_env(),
                    cwd=cwd,
                    check=False,
                )
                if done.returncode != 0:
                    return f"(import attribution skipped: {done.stderr.strip().splitlines()[-1]})"
                values = [int(v) for v in done.stdout.split()]
                if sink is None:
                    asyncio_ns.append(values[0])
                else:
                    sink.append(values)
    total, build, classes, resolve = (statistics.median(col) for col in zip(*rows, strict=True))
    aio = statistics.median(asyncio_ns)
    rest = total - build - resolve - aio
    return "\n".join(
        [
            f"Import attribution (real ms, no profiler, median of {runs} fresh interpreters that",
            "already imported httpx, attrs and cattrs, so only chargeapi's own cost is left)",
            f"  import chargeapi on top of its deps            {total / 1e6:>7.1f}",
            f"    attrs class creation ({classes:.0f} classes)             {build / 1e6:>7.1f}",
            f"    attrs.resolve_types (resources/__init__)     {resolve / 1e6:>7.1f}",
            f"    import asyncio (alone, same setting)         {aio / 1e6:>7.1f}",
            f"    everything else (module code, enums, re...)  {rest / 1e6:>7.1f}",
        ]
    )


def _short_path(path: str, line: int) -> str:
    if path == "~":
        return "builtin"
    for marker in ("site-packages/", "/work/", "lib/python3.11/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}"
