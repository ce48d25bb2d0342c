"""Performance budget of the chargeapi SDK, measured as ratios against what it wraps.

    python bench/run.py            # full run, well under a minute
    python bench/run.py --quick    # fewer, shorter rounds (~15 s), for a quick look
    python bench/run.py --profile  # also: where the SDK's own time goes in create()

Every group pits contenders against one baseline in the same process, in interleaved rounds
(A B, B A, A B, ...), so machine noise hits all of them alike; each number is a median over
rounds, and each ratio is the median of the per-round ratios (contender / baseline measured
back to back). Absolute microseconds are printed for orientation only. See bench/README.md.

The script reports and never gates: it exits 0 whatever the ratios are.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import gc
import importlib
import importlib.util
import inspect
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

import chargeapi

ROOT = Path(__file__).resolve().parent.parent
API = "https://api.chargeapi.co"
KEY = "ch_sk_test_4eC39HqLyjWDarjtT1zdp7dc"

# A batch runner: performs one operation ``n`` times and returns the elapsed nanoseconds.
Runner = Callable[[int], int]


def _load_seed() -> tuple[dict[str, Any], dict[str, Any]]:
    """SEED_REQUEST and SEED_RESPONSE from tests/conftest.py, so the bench never drifts."""
    spec = importlib.util.spec_from_file_location("_chargeapi_seed", ROOT / "tests" / "conftest.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SEED_REQUEST, module.SEED_RESPONSE


SEED_REQUEST, SEED_RESPONSE = _load_seed()
SEED_BYTES = json.dumps(SEED_RESPONSE).encode()
SESSION_ID = SEED_RESPONSE["id"]
RESPONSE_HEADERS = [("content-type", "application/json"), ("request-id", "req_bench")]

# What the raw baseline sends: the same header names the SDK sends, precomputed once.
RAW_HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "Charge-Version": chargeapi.API_VERSION,
    "User-Agent": f"chargeapi-python/{chargeapi.__version__} (bench)",
    "Accept": "application/json",
}
RAW_POST_HEADERS = {**RAW_HEADERS, "Idempotency-Key": "3f0a4d0e-5b1c-4c1e-9f4e-0d7c2a1b9e11"}


def _handler(request: httpx.Request) -> httpx.Response:
    """The in-process "server": the seed session, 200, from precomputed bytes."""
    return httpx.Response(200, headers=RESPONSE_HEADERS, content=SEED_BYTES)


# -- the pydantic v2 equivalent of ChargingSession (decode group) -----------------------------


class _Status(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class PydanticSession(BaseModel):
    """The same 19 fields; strict scalars and open enum like the SDK; expandables as IDs."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: StrictStr
    object: Literal["charging_session"] = "charging_session"
    amount_due: StrictInt
    amount_paid: StrictInt
    charging_station: StrictStr
    connector: StrictStr
    country: StrictStr | None
    created: datetime
    currency: StrictStr
    driver: StrictStr
    energy_consumed: StrictInt
    fleet: StrictStr | None
    payment_method: StrictStr
    session_ended: datetime | None
    session_limit: StrictInt | None = None
    session_started: datetime
    status: _Status | str = Field(union_mode="left_to_right")
    updated: datetime
    vehicle: StrictStr


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Contender:
    name: str
    run: Runner
    budget: float | None = None  # max ratio to the group's baseline; None: reported only


@dataclass
class Result:
    name: str
    per_op_ns: list[float]
    ratios: list[float] = field(default_factory=list)
    budget: float | None = None
    baseline: bool = False


@dataclass
class Group:
    title: str
    results: list[Result]
    note: str = ""


def loop_call(fn: Callable[[], Any]) -> Runner:
    def run(n: int) -> int:
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        return time.perf_counter_ns() - start

    return run


def loop_call1(fn: Callable[[Any], Any], arg: Any) -> Runner:
    def run(n: int) -> int:
        start = time.perf_counter_ns()
        for _ in range(n):
            fn(arg)
        return time.perf_counter_ns() - start

    return run


def loop_async(
    loop: asyncio.AbstractEventLoop, fn: Callable[[], Coroutine[Any, Any, Any]]
) -> Runner:
    """Time ``n`` awaits inside one coroutine on ``loop`` (the loop's own start-up is excluded)."""

    async def batch(n: int) -> int:
        start = time.perf_counter_ns()
        for _ in range(n):
            await fn()
        return time.perf_counter_ns() - start

    return lambda n: loop.run_until_complete(batch(n))


def _timed(run: Runner, n: int) -> int:
    gc.disable()
    try:
        return run(n)
    finally:
        gc.enable()


def calibrate(run: Runner, target_ns: int) -> int:
    """Operations per batch so that one batch of ``run`` takes about ``target_ns``."""
    n = 1
    while True:
        elapsed = _timed(run, n)
        if elapsed >= target_ns // 4 or n >= 1 << 20:
            return max(1, round(n * target_ns / max(elapsed, 1)))
        n *= 4


def interleave(
    title: str,
    baseline: Contender,
    contenders: Sequence[Contender],
    *,
    rounds: int,
    target_ns: int,
    note: str = "",
) -> Group:
    """Alternate all contenders round by round (rotating who goes first); per-op ns."""
    everyone = [baseline, *contenders]
    n = calibrate(baseline.run, target_ns)
    for c in everyone:  # warm-up: lazy hooks, connection pools, caches
        _timed(c.run, max(1, n // 4))
    samples: list[list[float]] = [[] for _ in everyone]
    order = list(range(len(everyone)))
    for r in range(rounds):
        gc.collect()
        k = r % len(order)
        for i in order[k:] + order[:k]:
            samples[i].append(_timed(everyone[i].run, n) / n)
    base = samples[0]
    results = [Result(baseline.name, base, baseline=True)]
    for c, s in zip(contenders, samples[1:], strict=True):
        ratios = [x / b for x, b in zip(s, base, strict=True)]
        results.append(Result(c.name, s, ratios, c.budget))
    return Group(title, results, note or f"{rounds} rounds x {n} ops")


# -- the groups -------------------------------------------------------------------------------


def bench_sync(rounds: int, target_ns: int) -> list[Group]:
    http = httpx.Client(transport=httpx.MockTransport(_handler))
    client = chargeapi.Client(KEY, base_url=API, http_client=http)
    url = f"{API}/v1/charging_sessions"
    try:
        _check_same_requests()
        sdk_create = functools.partial(
            chargeapi.ChargingSession.create, **SEED_REQUEST, client=client
        )

        def raw_create() -> Any:
            return http.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS).json()

        def sdk_retrieve() -> Any:
            return chargeapi.ChargingSession.retrieve(SESSION_ID, client=client)

        def raw_retrieve() -> Any:
            return http.get(f"{url}/{SESSION_ID}", headers=RAW_HEADERS).json()

        assert raw_create() == SEED_RESPONSE
        assert sdk_create() == chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert sdk_retrieve() == sdk_create()
        assert raw_retrieve() == SEED_RESPONSE
        create = interleave(
            "create (sync)",
            Contender("raw httpx.Client.post(json=).json()", loop_call(raw_create)),
            [Contender("ChargingSession.create()", loop_call(sdk_create), 1.25)],
            rounds=rounds,
            target_ns=target_ns,
        )
        retrieve = interleave(
            "retrieve (sync)",
            Contender("raw httpx.Client.get().json()", loop_call(raw_retrieve)),
            [Contender("ChargingSession.retrieve()", loop_call(sdk_retrieve), 1.25)],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        client.close()
        http.close()
    return [create, retrieve]


def bench_async(rounds: int, target_ns: int) -> list[Group]:
    loop = asyncio.new_event_loop()
    http = httpx.AsyncClient(transport=httpx.MockTransport(_handler))
    client = chargeapi.Client(KEY, base_url=API, async_http_client=http)
    url = f"{API}/v1/charging_sessions"

    def sdk_create() -> Coroutine[Any, Any, Any]:
        return chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)

    async def raw_create() -> Any:
        response = await http.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS)
        return response.json()

    try:
        assert loop.run_until_complete(raw_create()) == SEED_RESPONSE
        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert loop.run_until_complete(sdk_create()) == expected
        group = interleave(
            "create (async)",
            Contender("raw httpx.AsyncClient.post(json=).json()", loop_async(loop, raw_create)),
            [Contender("ChargingSession.create_async()", loop_async(loop, sdk_create), 1.25)],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()
    return [group]


def bench_decode(rounds: int, target_ns: int) -> list[Group]:
    data = json.loads(SEED_BYTES)
    model = chargeapi.ChargingSession.from_dict(data)
    other = PydanticSession.model_validate(data)
    assert [getattr(model, f) for f in PydanticSession.model_fields] == list(
        other.model_dump().values()
    )
    group = interleave(
        "decode (dict -> model)",
        Contender(
            "pydantic v2 model_validate(d)", loop_call1(PydanticSession.model_validate, data)
        ),
        [
            Contender(
                "ChargingSession.from_dict(d)",
                loop_call1(chargeapi.ChargingSession.from_dict, data),
            ),
            Contender("json.loads(bytes)  [reference]", loop_call1(json.loads, SEED_BYTES)),
        ],
        rounds=rounds,
        target_ns=target_ns,
        note="no budget given: ratio to pydantic reported only",
    )
    return [group]


# -- import time ------------------------------------------------------------------------------

_IMPORT_PROBE = "import time\nt = time.perf_counter_ns()\n{stmt}\nprint(time.perf_counter_ns() - t)"
_IMPORTS = {
    "empty": "pass",
    "deps": "import httpx, attrs, cattrs",
    "chargeapi": "import chargeapi",
}


def _subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    return env


def _probe(stmt: str, cwd: str) -> tuple[int, int]:
    """(wall ns of the whole interpreter, ns of the import statement inside it)."""
    start = time.perf_counter_ns()
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(stmt=stmt)],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        cwd=cwd,
        check=True,
    )
    wall = time.perf_counter_ns() - start
    return wall, int(done.stdout.strip())


def bench_import(rounds: int) -> list[Group]:
    with tempfile.TemporaryDirectory() as cwd:
        for stmt in _IMPORTS.values():  # warm-up: bytecode caches, page cache
            _probe(stmt, cwd)
        names = list(_IMPORTS)
        wall: dict[str, list[float]] = {k: [] for k in names}
        inner: dict[str, list[float]] = {k: [] for k in names}
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                w, i = _probe(_IMPORTS[name], cwd)
                wall[name].append(w)
                inner[name].append(i)
    deps_in, sdk_in = inner["deps"], inner["chargeapi"]
    deps_wall = [d - e for d, e in zip(wall["deps"], wall["empty"], strict=True)]
    sdk_wall = [c - e for c, e in zip(wall["chargeapi"], wall["empty"], strict=True)]
    in_process = Group(
        "import (fresh interpreter, timed around the import statement)",
        [
            Result("import httpx, attrs, cattrs", deps_in, baseline=True),
            Result(
                "import chargeapi",
                sdk_in,
                [s / d for s, d in zip(sdk_in, deps_in, strict=True)],
                1.25,
            ),
        ],
        f"{rounds} rounds, one subprocess each",
    )
    wall_clock = Group(
        "import (fresh interpreter, wall clock minus an empty interpreter)",
        [
            Result("python -c 'import httpx, attrs, cattrs'", deps_wall, baseline=True),
            Result(
                "python -c 'import chargeapi'",
                sdk_wall,
                [s / d for s, d in zip(sdk_wall, deps_wall, strict=True)],
                1.25,
            ),
        ],
        f"empty interpreter: median {statistics.median(wall['empty']) / 1e3:,.0f} us",
    )
    return [in_process, wall_clock]


_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


@dataclass
class _Module:
    self_us: int
    cumulative_us: int
    parent: str | None


def _importtime(stmt: str, cwd: str) -> dict[str, _Module]:
    """One ``python -X importtime`` run: every module, its times and who imported it."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", stmt],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        cwd=cwd,
        check=True,
    )
    modules: dict[str, _Module] = {}
    pending: list[tuple[int, str]] = []  # post-order: children come before their parent
    for line in done.stderr.splitlines():
        m = _IMPORTTIME.match(line)
        if not m:
            continue
        depth, name = len(m.group(3)) // 2, m.group(4)
        modules[name] = _Module(int(m.group(1)), int(m.group(2)), None)
        while pending and pending[-1][0] > depth:
            child_depth, child = pending.pop()
            if child_depth == depth + 1:
                modules[child].parent = name
        pending.append((depth, name))
    return modules


def _owner(modules: dict[str, _Module], name: str) -> str:
    """The chargeapi module on whose behalf ``name`` was imported."""
    current: str | None = name
    while current is not None:
        if current.startswith("chargeapi"):
            return current
        current = modules[current].parent
    return "?"


def import_breakdown(runs: int, top: int = 12) -> str:
    """Which chargeapi modules, and which modules only chargeapi pulls in, cost the most."""
    with tempfile.TemporaryDirectory() as cwd:
        sdk_runs = [_importtime("import chargeapi", cwd) for _ in range(runs)]
        deps_runs = [_importtime(_IMPORTS["deps"], cwd) for _ in range(runs)]
    deps_loaded = set().union(*deps_runs)
    first = sdk_runs[0]

    def med(name: str, attr: str = "self_us") -> float:
        return statistics.median(getattr(r[name], attr) for r in sdk_runs if name in r) / 1e3

    own = sorted((n for n in first if n.startswith("chargeapi")), key=lambda n: -med(n))
    extra = [n for n in first if not n.startswith("chargeapi") and n not in deps_loaded]
    # Extra modules grouped by top-level package, with the chargeapi module that asked first.
    packages: dict[str, list[str]] = {}
    for n in extra:
        packages.setdefault(n.split(".")[0], []).append(n)
    by_cost = sorted(packages.items(), key=lambda kv: -sum(med(n) for n in kv[1]))
    lines = [
        f"Import breakdown (python -X importtime, median of {runs} runs, ms; self = the module's"
        " own body, cumul = with what it imported first)",
        f"  import chargeapi: {med('chargeapi', 'cumulative_us'):.1f} ms in all; chargeapi.*"
        f" bodies {sum(med(n) for n in own):.1f} ms; {len(extra)} modules that"
        f" 'import httpx, attrs, cattrs' does not load: {sum(med(n) for n in extra):.1f} ms",
        f"  {'chargeapi module':<40}{'self':>7}{'cumul':>8}",
    ]
    lines += [f"  {n:<40}{med(n):>7.2f}{med(n, 'cumulative_us'):>8.2f}" for n in own[:top]]
    title = "extra package (not loaded by the deps)"
    lines.append(f"  {title:<40}{'self':>7}{'mods':>8}  first imported by")
    lines += [
        f"  {pkg:<40}{sum(med(n) for n in mods):>7.2f}{len(mods):>8}  {_owner(first, mods[-1])}"
        for pkg, mods in by_cost[:top]
    ]
    return "\n".join(lines)


# -- where create()'s overhead goes (--profile) ----------------------------------------------


def create_ladder(rounds: int, target_ns: int) -> str:
    """create() rebuilt one SDK layer at a time, interleaved; each step's cost in real µs.

    Uses SDK internals on purpose (this is a diagnosis, not the budget): if they are renamed,
    the ladder is skipped and the rest of the report still runs.
    """
    try:
        run_call = _internal("chargeapi._call", "run_call")
        from_json = _internal("chargeapi._convert", "from_json")
        prepare = _internal("chargeapi._request", "prepare")
        send_sync = _internal("chargeapi._transport", "send_sync")
        decoder = _internal("chargeapi.resources._base", "decoder")
        _create_spec = _internal("chargeapi.resources.charging_session", "_create_spec")
    except (ImportError, AttributeError) as error:
        return f"(create ladder skipped: {error})"
    http = httpx.Client(transport=httpx.MockTransport(_handler))
    client = chargeapi.Client(KEY, base_url=API, http_client=http)
    cls = chargeapi.ChargingSession
    spec = _create_spec(**SEED_REQUEST, session_limit=None, idempotency_key=None)
    headers = client._auth_headers()
    prep = prepare(spec, client.base_url, headers)
    timeout, policy = client._httpx_timeout, client._policy
    url = f"{API}/v1/charging_sessions"
    data = json.loads(SEED_BYTES)

    def sleep(_: float) -> None:
        raise AssertionError("no retries expected")

    def raw() -> Any:
        return http.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS).json()

    def step1() -> Any:
        return http.request(
            "POST", url, headers=prep.headers, content=prep.content, timeout=timeout
        ).json()

    # run_call(request, policy) returned the JSON body; later versions take a decode function.
    takes_decode = len(inspect.signature(run_call).parameters) >= 3

    def new_call(request: Any) -> Any:
        return run_call(request, policy, _identity) if takes_decode else run_call(request, policy)

    def step2() -> Any:
        return send_sync(new_call(prep), http, sleep, timeout)

    def step3() -> Any:
        return send_sync(new_call(prepare(spec, client.base_url, headers)), http, sleep, timeout)

    def step4() -> Any:
        return client.request(spec, decoder(cls))

    def new_spec() -> Any:
        return _create_spec(**SEED_REQUEST, session_limit=None, idempotency_key=None)

    ladder = [
        Contender("raw httpx.Client.post(json=).json()", loop_call(raw)),
        Contender("1 httpx request as the SDK makes it", loop_call(step1)),
        Contender("2 + run_call/send_sync step loop", loop_call(step2)),
        Contender("3 + prepare() per call", loop_call(step3)),
        Contender("4 + decode: Client.request()", loop_call(step4)),
        Contender(
            "5 + _create_spec(): create()",
            loop_call(functools.partial(cls.create, **SEED_REQUEST, client=client)),
        ),
    ]
    parts = [
        Contender("_create_spec() (check_id x4, check_token, uuid4)", loop_call(new_spec)),
        Contender("  of which str(uuid.uuid4())", loop_call(lambda: str(uuid.uuid4()))),
        Contender(
            "prepare() (json.dumps, headers, key check)",
            loop_call(lambda: prepare(spec, client.base_url, headers)),
        ),
        Contender("from_json(ChargingSession, d)", loop_call(lambda: from_json(cls, data))),
        Contender("json.loads(bytes) (both sides do it)", loop_call1(json.loads, SEED_BYTES)),
    ]
    skipped = [f"  (skipped {c.name.strip()}: {e!r})" for c, e in _failing([*ladder, *parts])]
    ladder = [c for c in ladder if not any(c.name.strip() in s for s in skipped)]
    parts = [c for c in parts if not any(c.name.strip() in s for s in skipped)]
    try:
        steps = interleave("ladder", ladder[0], ladder[1:], rounds=rounds, target_ns=target_ns)
        micro = interleave("parts", parts[0], parts[1:], rounds=rounds, target_ns=target_ns // 4)
    finally:
        client.close()
        http.close()
    lines = [
        "Where create() spends its time: each step adds one SDK layer (interleaved, real us;",
        "'step' = median over rounds of this step minus the previous one, measured back to back)",
        *skipped,
        f"  {'step':<48}{'median us':>10}{'step us':>9}",
    ]
    previous: list[float] | None = None
    for r in steps.results:
        step = "" if previous is None else f"{_median_delta(r.per_op_ns, previous) / 1e3:+9.1f}"
        lines.append(f"  {r.name:<48}{statistics.median(r.per_op_ns) / 1e3:>10.1f}{step:>9}")
        previous = r.per_op_ns
    lines.append(f"  {'isolated parts':<48}{'median us':>10}")
    lines += [f"  {r.name:<48}{statistics.median(r.per_op_ns) / 1e3:>10.2f}" for r in micro.results]
    return "\n".join(lines)


def _identity(body: Any) -> Any:
    return body


def _failing(contenders: Sequence[Contender]) -> list[tuple[Contender, Exception]]:
    """The contenders that raise when run once (SDK internals changed under the ladder)."""
    failed = []
    for c in contenders:
        try:
            c.run(1)
        except Exception as error:
            failed.append((c, error))
    return failed


def _internal(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _median_delta(a: list[float], b: list[float]) -> float:
    return statistics.median(x - y for x, y in zip(a, b, strict=True))


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
    http = httpx.Client(transport=httpx.MockTransport(_handler))
    client = chargeapi.Client(KEY, base_url=API, http_client=http)
    url = f"{API}/v1/charging_sessions"
    create = functools.partial(chargeapi.ChargingSession.create, **SEED_REQUEST, client=client)
    sdk = _profile(create, calls)
    raw = _profile(
        lambda: http.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS).json(), calls
    )
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
            env=_subprocess_env(),
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
                    env=_subprocess_env(),
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
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}"


# -- requests are the same for both contenders ------------------------------------------------


def _check_same_requests() -> None:
    """The SDK and the raw baseline put the same method, URL, body and header names on the wire."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _handler(request)

    with httpx.Client(transport=httpx.MockTransport(record)) as http:
        client = chargeapi.Client(KEY, base_url=API, http_client=http)
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
        http.post(f"{API}/v1/charging_sessions", json=SEED_REQUEST, headers=RAW_POST_HEADERS)
    sdk, raw = seen
    assert (sdk.method, sdk.url) == (raw.method, raw.url), (sdk, raw)
    assert json.loads(sdk.content) == json.loads(raw.content)
    names_sdk = {k.lower() for k in sdk.headers}
    names_raw = {k.lower() for k in raw.headers}
    if names_sdk != names_raw:
        only_sdk, only_raw = names_sdk - names_raw, names_raw - names_sdk
        print(f"note: header names differ: sdk-only {only_sdk}, raw-only {only_raw}")


# -- report -----------------------------------------------------------------------------------


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def render(groups: list[Group]) -> str:
    head = (
        f"{'contender':<50}{'median us/op':>13}{'min us/op':>11}{'ratio':>8}"
        f"{'IQR of ratio':>15}{'min/min':>9}{'budget':>8}  status"
    )
    out = [head, "-" * len(head)]
    for g in groups:
        out.append(f"[{g.title}]  ({g.note})")
        base_min = min(g.results[0].per_op_ns)
        for r in g.results:
            med, low = statistics.median(r.per_op_ns) / 1e3, min(r.per_op_ns) / 1e3
            if r.baseline:
                out.append(f"  {r.name:<48}{med:>13,.1f}{low:>11,.1f}{'1.00x':>8}{'baseline':>15}")
                continue
            ratio = statistics.median(r.ratios)
            q1, q3 = _quartiles(r.ratios)
            min_ratio = min(r.per_op_ns) / base_min
            budget = f"{r.budget:.2f}x" if r.budget is not None else "-"
            status = "info" if r.budget is None else ("OK" if ratio <= r.budget else "OVER")
            out.append(
                f"  {r.name:<48}{med:>13,.1f}{low:>11,.1f}{ratio:>7.2f}x"
                f"{f'{q1:.2f}-{q3:.2f}x':>15}{min_ratio:>8.2f}x{budget:>8}  {status}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds (~15 s)")
    parser.add_argument("--profile", action="store_true", help="also cProfile create()")
    parser.add_argument("--rounds", type=int, help="rounds per in-process group")
    parser.add_argument("--import-rounds", type=int, help="fresh interpreters per import kind")
    parser.add_argument("--skip-import", action="store_true", help="leave out the import groups")
    args = parser.parse_args(argv)

    rounds = args.rounds or (21 if args.quick else 61)
    import_rounds = args.import_rounds or (10 if args.quick else 40)
    target_ns = (4 if args.quick else 10) * 1_000_000
    started = time.perf_counter()
    print(
        f"chargeapi {chargeapi.__version__} | python {platform.python_version()} | httpx"
        f" {httpx.__version__} | attrs {version('attrs')} | cattrs {version('cattrs')} |"
        f" pydantic {version('pydantic')} | {os.cpu_count()} CPUs | "
        f"{'quick' if args.quick else 'full'} run"
    )
    gc.collect()
    gc.freeze()  # setup objects out of the collector's way; only new garbage gets scanned
    groups = bench_sync(rounds, target_ns)
    groups += bench_async(rounds, target_ns)
    groups += bench_decode(rounds, target_ns)
    breakdown = ""
    if not args.skip_import:
        groups += bench_import(import_rounds)
        breakdown = import_breakdown(3 if args.quick else 7)
    print()
    print(render(groups))
    if breakdown:
        print()
        print(breakdown)
    if args.profile:
        for section in (
            create_ladder(rounds, target_ns),
            profile_create_diff(500 if args.quick else 2000),
            import_attribution(3 if args.quick else 7),
            profile_import(),
        ):
            print()
            print(section)
    print(f"\n(took {time.perf_counter() - started:.1f} s; ratios are medians of per-round ratios)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
