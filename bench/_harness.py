"""The one harness every benchmark uses: interleaved rounds, paired ratios, one table.

Contenders of a group alternate round by round (the order rotates), so a slow moment of the
machine hits all of them; a round's ratio compares batches measured moments apart, and the
reported ratio is the median over rounds. Absolute times are printed for orientation only.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

# A batch runner: performs one operation ``n`` times and returns the elapsed nanoseconds.
Runner = Callable[[int], int]


@dataclass
class Contender:
    name: str
    run: Runner
    target: float | None = None  # the ratio we aim for (reported: "met" or "missed")
    bound: float | None = None  # the CI guard's generous bound (--check fails past it)


@dataclass
class Result:
    name: str
    per_op_ns: list[float]
    ratios: list[float] = field(default_factory=list)
    target: float | None = None
    bound: float | None = None
    baseline: bool = False

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def best_ratio(self, baseline: Result, *, throughput: bool) -> float:
        """Best round over the baseline's best round: a second estimate, robust to a machine
        that other work keeps busy (the least-disturbed rounds of each)."""
        best, base = min(self.per_op_ns), min(baseline.per_op_ns)
        return base / best if throughput else best / base


@dataclass
class Group:
    title: str
    results: list[Result]
    note: str = ""
    # Throughput groups: ratio = contender req/s over baseline req/s, and higher is better.
    throughput: bool = False
    extra: list[str] = field(default_factory=list)
    # What the CI guard judges: best/best (in-process groups, whose short rounds often run
    # undisturbed), or the median of per-round ratios (the import: one fresh interpreter per
    # round, timed by CPU, never undisturbed, so a best round says little).
    guard_by_median: bool = False


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


def timed(run: Runner, n: int) -> int:
    gc.disable()  # as timeit does: a collection set off by one contender lands in its own time
    try:
        return run(n)
    finally:
        gc.enable()


def calibrate(run: Runner, target_ns: int) -> int:
    """Operations per batch so that one batch of ``run`` takes about ``target_ns``."""
    n = 1
    while True:
        elapsed = timed(run, n)
        if elapsed >= target_ns // 4 or n >= 1 << 20:
            # The least disturbed of three: one batch slowed by a neighbour would make every
            # round of the group too short to have undisturbed ones.
            elapsed = min(elapsed, timed(run, n), timed(run, n))
            return max(1, round(n * target_ns / max(elapsed, 1)))
        n *= 4


def interleave(
    title: str,
    baseline: Contender,
    contenders: Sequence[Contender],
    *,
    rounds: int,
    target_ns: int = 0,
    n: int | None = None,
    note: str = "",
    throughput: bool = False,
    shuffle: bool = False,
) -> Group:
    """Alternate all contenders round by round (rotating who goes first); per-op ns.

    ``n`` fixes the operations per batch; otherwise it is calibrated on the baseline.
    ``shuffle``: see ``sample``.
    """
    everyone = [baseline, *contenders]
    if n is None:
        n = calibrate(baseline.run, target_ns)
    samples = sample(everyone, rounds, n, shuffle=shuffle)
    note = note or f"{rounds} rounds x {n} ops"
    return paired(title, baseline, contenders, samples, note, throughput=throughput)


def sample(
    everyone: Sequence[Contender], rounds: int, n: int, *, shuffle: bool = False
) -> list[list[float]]:
    """Per-op ns of each contender per round: one warm-up batch each, then rotating rounds.

    Rotating keeps the cyclic order, so each contender always runs right after the same one.
    ``shuffle``: a new order every round (seeded: the same orders on every run), so none
    always follows the baseline, whose different code leaves the caches colder for whoever
    runs next (a few us on a call: enough to bias a difference of two contenders)."""
    for c in everyone:  # warm-up: lazy hooks, connection pools, caches
        timed(c.run, max(1, n // 4))
    samples: list[list[float]] = [[] for _ in everyone]
    order = list(range(len(everyone)))
    shuffled = random.Random(len(everyone) * 1000 + rounds)
    for r in range(rounds):
        gc.collect()
        k = r % len(order)
        for i in shuffled.sample(order, len(order)) if shuffle else order[k:] + order[:k]:
            samples[i].append(timed(everyone[i].run, n) / n)
    return samples


def paired(
    title: str,
    baseline: Contender,
    contenders: Sequence[Contender],
    samples: list[list[float]],
    note: str,
    *,
    throughput: bool = False,
) -> Group:
    """A Group from per-round samples (baseline first), with per-round ratios."""
    base = samples[0]
    results = [Result(baseline.name, base, baseline=True)]
    for c, s in zip(contenders, samples[1:], strict=True):
        if throughput:  # req/s ratio: baseline time over contender time
            ratios = [b / x for x, b in zip(s, base, strict=True)]
        else:
            ratios = [x / b for x, b in zip(s, base, strict=True)]
        results.append(Result(c.name, s, ratios, c.target, c.bound))
    return Group(title, results, note, throughput=throughput)


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def _met(group: Group, ratio: float, limit: float) -> bool:
    return ratio >= limit if group.throughput else ratio <= limit


def render(groups: list[Group]) -> str:
    head = (
        f"{'contender':<52}{'median':>12}{'best':>12}{'ratio':>8}"
        f"{'IQR of ratio':>15}{'best/best':>10}{'target':>9}  status"
    )
    out = [head, "-" * len(head)]
    for g in groups:
        unit = "req/s" if g.throughput else "us/op"
        out.append(f"[{g.title}]  ({g.note}; times in {unit})")
        for r in g.results:
            if g.throughput:
                med = 1e9 / statistics.median(r.per_op_ns)
                best = 1e9 / min(r.per_op_ns)
            else:
                med, best = statistics.median(r.per_op_ns) / 1e3, min(r.per_op_ns) / 1e3
            if r.baseline:
                out.append(f"  {r.name:<50}{med:>12,.1f}{best:>12,.1f}{'1.00x':>8}{'baseline':>15}")
                continue
            q1, q3 = _quartiles(r.ratios)
            best_ratio = r.best_ratio(g.results[0], throughput=g.throughput)
            if r.target is None:
                target, status = "-", "info"
            else:
                sign = ">=" if g.throughput else "<="
                target = f"{sign}{r.target:.2f}"
                status = "met" if _met(g, r.ratio, r.target) else "MISSED"
            out.append(
                f"  {r.name:<50}{med:>12,.1f}{best:>12,.1f}{r.ratio:>7.2f}x"
                f"{f'{q1:.2f}-{q3:.2f}x':>15}{best_ratio:>9.2f}x{target:>9}  {status}"
            )
        out.extend(f"  {line}" for line in g.extra)
    return "\n".join(out)


def guard(groups: list[Group]) -> list[str]:
    """The CI guard: every ratio past its bound, as a message (empty: all fine).

    In-process groups are judged by best/best: each contender's best round of the interleaved
    rounds. A busy neighbour makes rounds slower, never faster, so with rounds of a few
    milliseconds each side still gets some undisturbed ones and its best stays near its true
    time at any load, while a real regression slows every round, the best one too. (The median
    of per-round ratios spreads under load; a single round's ratio, even more.) The import is
    judged by its median (see Group).
    """
    failures = []
    for g in groups:
        for r in g.results:
            if r.bound is None:
                continue
            best = r.best_ratio(g.results[0], throughput=g.throughput)
            judged, how = (r.ratio, "median") if g.guard_by_median else (best, "best/best")
            if not _met(g, judged, r.bound):
                failures.append(
                    f"{g.title}: {r.name}: {how} {judged:.2f}x past its bound {r.bound:.2f}x"
                    f" (median {r.ratio:.2f}x, best/best {best:.2f}x)"
                )
    return failures
