"""The progress line of a bulk run: on a terminal only, on stderr.

Drawn by tqdm (``pip install 'chargeapi[cli]'``), a small, dependency-free and long-kept
library that handles redrawing, terminal width, rate smoothing and ETA. Without it, a plain
status line is printed every few seconds instead: no cursor control, so it reads the same in
a terminal and in a log. Not on a terminal (a pipe, a file, CI), or with ``--no-progress``,
nothing is shown. tqdm is loaded here only, so neither ``import chargeapi`` nor a single CLI
call pays for it.
"""

from __future__ import annotations

import importlib
import time
from typing import IO, Any

PLAIN_EVERY = 5.0  # seconds between plain status lines (the first comes at the first result)


class Progress:
    """Shows nothing (not a terminal, or ``--no-progress``); the base of the two below."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def advance(self, failed: bool) -> None:
        """One line finished (``failed``: with an error)."""

    def note(self, text: str) -> None:
        """A message for the user, between progress updates."""
        print(text, file=self.stream, flush=True)

    def close(self) -> None:
        """The run is over: leave the terminal ready for the summary line."""


def start(total: int, stream: IO[str], *, enabled: bool) -> Progress:
    """The progress display for ``total`` lines on ``stream``, if it is a terminal."""
    if not enabled or not stream.isatty():
        return Progress(stream)
    try:
        tqdm: Any = importlib.import_module("tqdm")
    except ImportError:
        return _Plain(total, stream)
    return _Bar(tqdm, total, stream)


class _Bar(Progress):
    """tqdm's bar: done/total, rate, ETA, and the errors so far."""

    def __init__(self, tqdm: Any, total: int, stream: IO[str]) -> None:
        super().__init__(stream)
        self._tqdm = tqdm
        self._failed = 0
        self._bar: Any = tqdm.tqdm(
            total=total, unit="call", file=stream, dynamic_ncols=True, postfix={"errors": 0}
        )

    def advance(self, failed: bool) -> None:
        if failed:
            self._failed += 1
            self._bar.set_postfix(errors=self._failed, refresh=False)
        self._bar.update(1)

    def note(self, text: str) -> None:
        self._tqdm.tqdm.write(text, file=self.stream)

    def close(self) -> None:
        self._bar.close()


class _Plain(Progress):
    """Without tqdm: ``chargeapi: 120/500 done, 3 errors, 40.1/s, about 9 s left``, one line
    at the first result and then every ``PLAIN_EVERY`` seconds."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        super().__init__(stream)
        self._total, self._done, self._failed = total, 0, 0
        self._started = time.monotonic()
        self._shown: float | None = None

    def advance(self, failed: bool) -> None:
        self._done += 1
        self._failed += failed
        now = time.monotonic()
        if self._shown is None or now - self._shown >= PLAIN_EVERY or self._done == self._total:
            self._shown = now
            rate = self._done / max(now - self._started, 1e-6)
            left = (self._total - self._done) / rate
            print(
                f"chargeapi: {self._done}/{self._total} done, {self._failed} errors, "
                f"{rate:.1f}/s, about {left:.0f} s left",
                file=self.stream,
                flush=True,
            )
