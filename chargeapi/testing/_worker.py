"""The webhook worker of a served simulator: deliveries off the request path.

While `Simulator.serve()` runs, the simulator only plans the deliveries its events need and
wakes the server's `Worker`, which sends them on its own thread, one after another, and records
each outcome as in-process delivery does. A slow or hung receiver delays other deliveries, never
an API answer. With a realtime clock the worker also wakes by itself when something falls due
(a retry, a report finishing, a session reaching its limit), so those deliveries go out with no
request arriving.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable

__all__ = ["Worker"]


class Worker:
    """A daemon thread that runs `follow()` then `send()` whenever woken, or when `next_wake()`
    (seconds; None: only when woken) says something falls due."""

    def __init__(
        self,
        follow: Callable[[], None],
        send: Callable[[], object],
        next_wake: Callable[[], float | None],
    ) -> None:
        self._follow, self._send, self._next_wake = follow, send, next_wake
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(
            target=self._run, name="chargeapi-simulator-webhooks", daemon=True
        )
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def close(self, timeout: float = 10.0) -> None:
        """Stop after the delivery under way (waiting at most `timeout` seconds for it)."""
        self._stopped = True
        self._wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopped:
            self._wake.clear()  # a wake from now on runs the loop again
            try:
                self._follow()
                self._send()
                wait = self._next_wake()
            except Exception:  # a simulator bug: say so, and keep delivering
                traceback.print_exc(file=sys.stderr)
                wait = 1.0
            self._wake.wait(wait)
