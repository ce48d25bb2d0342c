"""Import time: ``import chargeapi`` against ``import httpx, attrs, cattrs``, in fresh interpreters.

Measured three ways: the CPU time of the import statement, taken inside the child with
``process_time_ns`` (what a busy machine disturbs least: the guarded figure), its wall time
(``perf_counter_ns``), and the child's wall clock minus that of an empty interpreter started in
the same round. Under the table, ``-X importtime`` lists what chargeapi
adds, the candidates for lazy loading.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from ._harness import Group, Result

IMPORT_TARGET, IMPORT_BOUND = 1.10, 1.20

_IMPORT_PROBE = (
    "import time\nt, c = time.perf_counter_ns(), time.process_time_ns()\n{stmt}\n"
    "print(time.perf_counter_ns() - t, time.process_time_ns() - c)"
)
_IMPORTS = {
    "empty": "pass",
    "deps": "import httpx, attrs, cattrs",
    "chargeapi": "import chargeapi",
}


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    return env


def _probe(stmt: str, cwd: str) -> tuple[int, int, int]:
    """(wall ns of the whole interpreter, ns of the import statement inside it, CPU ns of the
    import statement: what a busy machine changes least)."""
    start = time.perf_counter_ns()
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(stmt=stmt)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=cwd,
        check=True,
    )
    wall = time.perf_counter_ns() - start
    inner, cpu = done.stdout.split()
    return wall, int(inner), int(cpu)


def bench_import(rounds: int) -> list[Group]:
    with tempfile.TemporaryDirectory() as cwd:
        for stmt in _IMPORTS.values():  # warm-up: bytecode caches, page cache
            _probe(stmt, cwd)
        names = list(_IMPORTS)
        wall: dict[str, list[float]] = {k: [] for k in names}
        inner: dict[str, list[float]] = {k: [] for k in names}
        cpu: dict[str, list[float]] = {k: [] for k in names}
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                w, i, c = _probe(_IMPORTS[name], cwd)
                wall[name].append(w)
                inner[name].append(i)
                cpu[name].append(c)
    deps_cpu, sdk_cpu = cpu["deps"], cpu["chargeapi"]
    in_cpu = Group(
        "import (fresh interpreter, CPU time of the import statement)",
        [
            Result("import httpx, attrs, cattrs", deps_cpu, baseline=True),
            Result(
                "import chargeapi",
                sdk_cpu,
                [s / d for s, d in zip(sdk_cpu, deps_cpu, strict=True)],
                IMPORT_TARGET,
                IMPORT_BOUND,
            ),
        ],
        f"{rounds} rounds, one subprocess each",
        guard_by_median=True,
    )
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
                IMPORT_TARGET,
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
                IMPORT_TARGET,
            ),
        ],
        f"empty interpreter: median {statistics.median(wall['empty']) / 1e3:,.0f} us",
    )
    return [in_cpu, in_process, wall_clock]


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
        env=subprocess_env(),
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
