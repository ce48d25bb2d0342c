"""Which event ids were handled: the store protocol and its in-memory default.

A delivery claims its event id before the view runs and settles the claim after: ``complete``
when the view acknowledged it, ``release`` when it raised or answered non-2xx. So a failed
delivery stays retryable (the sender's retry claims it afresh), two deliveries of one event at
once are never both handled (the second is told the first is in progress), and a handled event
is acknowledged again without running the view. The three states, rather than "seen or not",
keep a crash safe with a shared store: a claim left by a process that died mid-handler can
expire on its own (Redis: a short TTL on the claim, a long one on "done"), while "done" stays.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Literal, Protocol

from .._exceptions import InvalidParameterError

__all__ = ["ClaimResult", "DedupeStore", "MemoryDedupeStore"]

#: ``"claimed"``: this delivery handles the event now; ``"in_progress"``: another delivery is
#: handling it; ``"done"``: it was handled (a duplicate).
ClaimResult = Literal["claimed", "in_progress", "done"]


class DedupeStore(Protocol):
    """Where event ids are claimed and recorded; one store per webhook endpoint.

    ``claim`` must be atomic (two deliveries of one event at once: one gets ``"claimed"``).
    Calls are synchronous and made while the request is being answered, so keep them quick.
    """

    def claim(self, event_id: str) -> ClaimResult:
        """Claim ``event_id`` for handling, unless it is being or was handled."""
        ...

    def complete(self, event_id: str) -> None:
        """The view acknowledged the event: record it as handled."""
        ...

    def release(self, event_id: str) -> None:
        """The view failed: drop the claim, so the sender's retry is handled."""
        ...


class MemoryDedupeStore:
    """Event ids in this process's memory: thread-safe, and bounded by ``max_events``.

    The ids handled longest ago are forgotten first, past ``max_events`` (claims in progress
    are never dropped). One process only, and gone on restart: with several workers, or to
    keep ids across deploys, use a shared store (the webhooks page has a Redis one).
    """

    __slots__ = ("_done", "_in_progress", "_lock", "_max_events")

    def __init__(self, max_events: int = 10_000) -> None:
        if isinstance(max_events, bool) or not isinstance(max_events, int) or max_events < 1:
            raise InvalidParameterError(
                f"max_events must be an int >= 1, got {max_events!r}", param="max_events"
            )
        self._max_events = max_events
        self._done: OrderedDict[str, None] = OrderedDict()
        self._in_progress: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, event_id: str) -> ClaimResult:
        with self._lock:
            if event_id in self._in_progress:
                return "in_progress"
            if event_id in self._done:
                return "done"
            self._in_progress.add(event_id)
            return "claimed"

    def complete(self, event_id: str) -> None:
        with self._lock:
            self._in_progress.discard(event_id)
            self._done[event_id] = None
            self._done.move_to_end(event_id)
            while len(self._done) > self._max_events:
                self._done.popitem(last=False)

    def release(self, event_id: str) -> None:
        with self._lock:
            self._in_progress.discard(event_id)

    def __len__(self) -> int:
        """How many ids are remembered as handled."""
        with self._lock:
            return len(self._done)

    def __repr__(self) -> str:
        return f"MemoryDedupeStore(max_events={self._max_events})"
