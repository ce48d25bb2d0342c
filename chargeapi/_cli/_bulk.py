"""Bulk runs: ``--input FILE`` of JSON Lines, one call per line, several calls in flight.

Each line holds one call's parameters as a JSON object (``--data``'s form), or for an action on
an ID, the bare ID. Flags given with ``--input`` are shared by every line (a line's own value
wins). Output is one JSON line per input line, ``{"line": N, "result": {...}}`` or the CLI's
JSON error with ``"line": N``; a summary line goes to stderr at the end.

Safe re-runs: each line's Idempotency-Key is ``idempotency_key_for("chargeapi bulk", run_id,
"<resource> <action>", N, params)``, where ``run_id`` is ``--run-id`` or the first 32 hex
digits of the SHA-256 of the input's bytes, and ``params`` the line's parameters after the
shared flags (the ID under its parameter name, ``id``). Running the same input again replays
what the API already did instead of doing it twice; ``--resume OUTPUT`` skips the lines that
output shows succeeded and gives a line that ended ``outcome_unknown`` the key it had.

Load control: ``--concurrency`` calls at once on the async backend (aiohttp when installed),
``--rate`` calls started per second, and a Retry-After from the server (a 429, or a 503 that
asks to wait) pauses every worker, not just the one that got it. Ctrl-C stops taking new lines
and lets the calls in flight finish; a second Ctrl-C stops those too, reporting each as
``outcome_unknown``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any, cast

from .. import _exceptions as errors
from .._client import Client
from .._idempotency import idempotency_key_for
from .._operations import Operation
from .._retry import ServerAskedDelay
from . import _main, _progress

#: The namespace of every bulk key (``idempotency_key_for``'s first argument).
NAMESPACE = "chargeapi bulk"
_BARE_ID = re.compile(r"[A-Za-z0-9_]+")


@dataclass
class Line:
    """One input line, ready to call, or refused (``problem``) before anything is sent."""

    number: int
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict[str, Any])
    key: str | None = None
    problem: str | None = None
    param: str | None = None


@dataclass(frozen=True)
class Previous:
    """What ``--resume OUTPUT`` found: lines that succeeded, and the key of each line whose
    last record was ``outcome_unknown``."""

    succeeded: frozenset[int]
    unknown_keys: dict[int, str]
    last_line: int
    ends_open: bool  # the file's last line has no newline (a run killed mid-write)


def run_id_of(content: bytes) -> str:
    """The default run id: the first 32 hex digits of the SHA-256 of the input."""
    return hashlib.sha256(content).hexdigest()[:32]


def parse(
    op: Operation, content: bytes, shared: dict[str, Any], run_id: str, command: str
) -> list[Line]:
    """Every non-blank line of ``content`` as a Line (numbered from 1, blank lines counted)."""
    context = _Context(op, shared, run_id, command)
    return [
        context.line(number, raw)
        for number, raw in enumerate(content.split(b"\n"), 1)
        if raw.strip()
    ]


class _Context:
    """What every line of one run shares: the operation's parameters, the flags, the run id."""

    def __init__(self, op: Operation, shared: dict[str, Any], run_id: str, command: str) -> None:
        params = [
            p
            for p in op.signature.parameters.values()
            if p.name != "client" and p.kind is not p.VAR_KEYWORD  # **options: Python only
        ]
        self.names = [p.name for p in params]
        self.positional = next((p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD), None)
        self.required = [
            p.name for p in params if p.default is p.empty and p.name != "idempotency_key"
        ]
        self.shared, self.run_id, self.command = shared, run_id, command

    def line(self, number: int, raw: bytes) -> Line:
        try:
            values = self._values(raw)
        except ValueError as error:
            return Line(number, problem=str(error))
        unknown = [name for name in values if name not in self.names]
        if unknown:
            return Line(
                number,
                problem=f"{', '.join(map(repr, unknown))} is no parameter of {self.command} "
                f"(parameters: {', '.join(self.names)})",
                param=unknown[0],
            )
        merged = {**self.shared, **values}
        missing = [name for name in self.required if name not in merged]
        if missing:
            how = " (a bare ID, or an 'id' key)" if missing == [self.positional] else ""
            return Line(number, problem=f"missing {', '.join(missing)}{how}", param=missing[0])
        key = merged.pop("idempotency_key", None)
        if key is None:
            try:
                key = idempotency_key_for(NAMESPACE, self.run_id, self.command, number, merged)
            except errors.InvalidParameterError as error:
                return Line(number, problem=str(error))
        args = (merged.pop(self.positional),) if self.positional else ()
        return Line(number, args, merged, key)

    def _values(self, raw: bytes) -> dict[str, Any]:
        """The line's parameters: a JSON object, or for an action on an ID, the ID."""
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
        if self.positional and _BARE_ID.fullmatch(text):
            return {self.positional: text}
        try:
            value: Any = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ValueError(f"not JSON ({error})") from None
        if isinstance(value, str) and self.positional:
            return {self.positional: value}
        if isinstance(value, dict):
            return cast("dict[str, Any]", value)
        expected = "a JSON object of parameters" + (" or an ID" if self.positional else "")
        raise ValueError(f"expected {expected}, got {text[:40]!r}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_previous(path: str) -> Previous:
    """Read a previous run's output (JSON Lines; a torn last line is ignored)."""
    content = Path(path).read_bytes()
    succeeded: set[int] = set()
    unknown: dict[int, str] = {}
    last = 0
    for raw in content.splitlines():
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(parsed, dict):
            continue
        record = cast("dict[str, Any]", parsed)
        number = record.get("line")
        if type(number) is not int:
            continue
        last = max(last, number)
        if "result" in record:
            succeeded.add(number)
            unknown.pop(number, None)
        elif record.get("outcome_unknown") is True and isinstance(
            record.get("idempotency_key"), str
        ):
            unknown[number] = record["idempotency_key"]
        else:
            unknown.pop(number, None)
    return Previous(frozenset(succeeded), unknown, last, bool(content) and content[-1:] != b"\n")


@dataclass(frozen=True)
class Settings:
    concurrency: int
    rate: float | None
    ordered: bool
    progress: bool


@dataclass
class Summary:
    run_id: str
    lines: int
    skipped: int
    succeeded: int = 0
    failed: int = 0
    replayed: int = 0
    interrupted: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        not_run = self.lines - self.skipped - self.succeeded - self.failed
        return {
            "summary": {
                "run_id": self.run_id,
                "lines": self.lines,
                "succeeded": self.succeeded,
                "failed": self.failed,
                "replayed": self.replayed,
                "skipped": self.skipped,
                "not_run": not_run,
                "interrupted": self.interrupted,
                "seconds": round(self.seconds, 3),
            }
        }


class Gate:
    """When a worker may start its next call: the ``--rate`` slots and the shared pause.

    ``sleep`` is the Client's ``async_sleep``: a wait the server asked for (Retry-After)
    extends the pause for every worker; any wait then also lasts until the pause ends.
    """

    def __init__(self, rate: float | None) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0
        self._paused_until = 0.0

    async def turn(self, stop: asyncio.Event) -> bool:
        """Wait for this call's rate slot and for the pause to end; False if stopped first."""
        if self._interval:
            now = time.monotonic()
            slot = max(self._next_slot, now)
            self._next_slot = slot + self._interval
            if not await _wait(stop, slot - now):
                return False
        while (left := self._paused_until - time.monotonic()) > 0:
            if not await _wait(stop, left):
                return False
        return not stop.is_set()

    async def sleep(self, seconds: float) -> None:
        if isinstance(seconds, ServerAskedDelay):
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        await asyncio.sleep(seconds)
        # Another worker may have paused everyone meanwhile (and may extend it while we wait).
        while (left := self._paused_until - time.monotonic()) > 0:  # noqa: ASYNC110 - a deadline
            await asyncio.sleep(left)


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` unless ``stop`` is set first (then False)."""
    if seconds > 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)
    return not stop.is_set()


class _Output:
    """Writes one record per line: as completed, or in input order (``order``)."""

    def __init__(self, out: IO[str], order: Sequence[int] | None) -> None:
        self._out = out
        self._order: Iterator[int] | None = iter(order) if order is not None else None
        self._waiting: dict[int, dict[str, Any]] = {}
        self._next = next(self._order, None) if self._order is not None else None
        self.closed = False

    def put(self, number: int, record: dict[str, Any]) -> None:
        if self._order is None:
            self._write(record)
            return
        self._waiting[number] = record
        while self._next is not None and self._next in self._waiting:
            self._write(self._waiting.pop(self._next))
            self._next = next(self._order, None)

    def finish(self) -> None:
        """Write what still waits for an earlier line that never ran (a stopped run)."""
        for number in sorted(self._waiting):
            self._write(self._waiting.pop(number))

    def _write(self, record: dict[str, Any]) -> None:
        if self.closed:
            return
        try:
            # One write per whole line, flushed: a killed run leaves whole lines behind.
            self._out.write(json.dumps(record) + "\n")
            self._out.flush()
        except BrokenPipeError:
            # The reader is gone (``| head``): stop writing, and point stdout at /dev/null so
            # the interpreter's final flush does not fail again.
            self.closed = True
            with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
                os.dup2(os.open(os.devnull, os.O_WRONLY), self._out.fileno())


class Runner:
    """One bulk run over ``lines`` with ``client`` (whose ``async_sleep`` is ``gate.sleep``)."""

    def __init__(
        self,
        op: Operation,
        lines: list[Line],
        *,
        client: Client,
        gate: Gate,
        settings: Settings,
        summary: Summary,
        out: IO[str],
        err: IO[str],
    ) -> None:
        self.op, self.client, self.gate, self.summary = op, client, gate, summary
        self.lines = lines
        self._todo = iter(lines)
        self._workers = min(settings.concurrency, len(lines))
        self._output = _Output(out, [line.number for line in lines] if settings.ordered else None)
        self._progress = _progress.start(len(lines), err, enabled=settings.progress)
        self._stop = asyncio.Event()
        self._in_flight = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def run(self) -> Summary:
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        restore = _on_interrupt(lambda: loop.call_soon_threadsafe(self._interrupt))
        try:
            self._tasks = [asyncio.create_task(self._worker()) for _ in range(self._workers)]
            await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            self._output.finish()
            self._progress.close()
            await self.client.aclose()
            restore()  # last: a Ctrl-C until here still finishes cleanly
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _interrupt(self) -> None:
        if not self._stop.is_set():
            self.summary.interrupted = True
            self._stop.set()
            if self._in_flight:
                self._progress.note(
                    f"chargeapi: stopping; waiting for {self._in_flight} calls in flight "
                    "(Ctrl-C again to stop them too: they are then reported outcome_unknown)"
                )
            return
        for task in self._tasks:
            task.cancel()

    async def _worker(self) -> None:
        while not self._stop.is_set():
            line = next(self._todo, None)
            if line is None:
                return
            if line.problem is not None:
                self._record(line.number, _usage_record(line.number, line.problem, line.param))
                continue
            if not await self.gate.turn(self._stop):
                return
            await self._call(line)
            if self._output.closed:  # nobody reads the output any more: stop as on Ctrl-C
                self._interrupt()

    async def _call(self, line: Line) -> None:
        self._in_flight += 1
        try:
            result = await self.op.asynchronous(
                *line.args, client=self.client, idempotency_key=line.key, **line.kwargs
            )
        except asyncio.CancelledError:
            message = (
                "stopped by a second Ctrl-C while the call was in flight: it may have reached "
                "the server; --resume retries it with the same Idempotency-Key"
            )
            record = {
                "line": line.number,
                "error": {"type": "interrupted", "message": f"line {line.number}: {message}"},
                "request_id": None,
                "idempotency_key": line.key,
                "outcome_unknown": True,
            }
            self._record(line.number, record)
            return
        except errors.ChargeAPIError as error:
            if isinstance(error, errors.InvalidParameterError):
                self._record(line.number, _usage_record(line.number, str(error), error.param))
            else:
                self._record(line.number, {"line": line.number, **_main.error_report(error)})
            return
        except (ValueError, TypeError) as error:  # refused by the SDK before anything was sent
            self._record(line.number, _usage_record(line.number, str(error), None))
            return
        finally:
            self._in_flight -= 1
        response = result.last_response
        if response is not None and response.idempotent_replayed:
            self.summary.replayed += 1
        self._record(line.number, {"line": line.number, "result": result.to_dict()})

    def _record(self, number: int, record: dict[str, Any]) -> None:
        failed = "result" not in record
        if failed:
            self.summary.failed += 1
        else:
            self.summary.succeeded += 1
        self._output.put(number, record)
        self._progress.advance(failed)


def _usage_record(number: int, message: str, param: str | None) -> dict[str, Any]:
    error: dict[str, Any] = {"type": "usage_error", "message": f"line {number}: {message}"}
    if param is not None:
        error["param"] = param
    return {
        "line": number,
        "error": _main.redacted(error),
        "request_id": None,
        "idempotency_key": None,
        "outcome_unknown": False,
    }


def _on_interrupt(handler: Callable[[], object]) -> Callable[[], None]:
    """Call ``handler`` on SIGINT and SIGTERM until the returned function restores them."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    signals = [signal.SIGINT, signal.SIGTERM]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        handler()

    previous = [signal.signal(s, on_signal) for s in signals]

    def restore() -> None:
        for s, old in zip(signals, previous, strict=True):
            signal.signal(s, old)

    return restore


def main(op: Operation, args: argparse.Namespace, shared: dict[str, Any]) -> int:
    """Run ``op`` once per line of ``--input``; the exit code (0, 15 some lines failed, 130
    interrupted)."""
    command = f"{_main.command_name(op)} {op.action.replace('_', '-')}"
    resume: str | None = args.resume
    try:
        content = _read_input(args.input)
        previous = read_previous(resume) if resume is not None else None
    except OSError as error:
        _main.usage_error(f"cannot read {error.filename}: {error.strerror}")
    if args.run_id is not None and not args.run_id.strip():
        _main.usage_error("--run-id must not be empty")
    run_id: str = args.run_id or run_id_of(content)
    lines = parse(op, content, shared, run_id, command)
    skipped = 0
    if previous is not None:
        last = max((line.number for line in lines), default=0)
        if previous.last_line > last:
            _main.usage_error(
                f"--resume: {resume} has line {previous.last_line}, but the input has "
                f"{last} lines: is it the output of another input?"
            )
        skipped = sum(line.number in previous.succeeded for line in lines)
        lines = [line for line in lines if line.number not in previous.succeeded]
        for line in lines:
            known = previous.unknown_keys.get(line.number)
            if known is not None and line.problem is None:
                line.key = known  # outcome unknown: finish it with the key it had
        if previous.ends_open and resume is not None and _same_file(resume, sys.stdout):
            sys.stdout.write("\n")  # appending after a torn line: start on a line of our own
    summary = Summary(run_id, len(lines) + skipped, skipped)
    gate = Gate(args.rate)
    backend = "aiohttp" if importlib.util.find_spec("aiohttp") is not None else "httpx"
    try:
        client = _main.client_for(args, async_sleep=gate.sleep, async_backend=backend)
    except (ValueError, TypeError) as error:
        _main.usage_error(str(error))
    settings = Settings(args.concurrency, args.rate, args.ordered, args.progress)
    runner = Runner(
        op,
        lines,
        client=client,
        gate=gate,
        settings=settings,
        summary=summary,
        out=sys.stdout,
        err=sys.stderr,
    )
    asyncio.run(runner.run())
    print(json.dumps(summary.to_dict()), file=sys.stderr, flush=True)
    if summary.interrupted:
        return _main.INTERRUPTED_EXIT
    return _main.PARTIAL_FAILURE_EXIT if summary.failed else 0


def _read_input(path: str) -> bytes:
    if path != "-":
        return Path(path).read_bytes()
    stdin: Any = sys.stdin
    buffer = getattr(stdin, "buffer", None)
    data: bytes = buffer.read() if buffer is not None else stdin.read().encode()
    return data


def _same_file(path: str, stream: IO[str]) -> bool:
    try:
        mine = os.fstat(stream.fileno())
        theirs = os.stat(path)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)
