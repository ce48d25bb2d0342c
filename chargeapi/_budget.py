"""Load control shared by every call of a Client: a retry budget and a circuit breaker.

Both are sans-I/O state: the call loop (``_call``) asks them before it retries or sends and
tells them what each attempt got; they never send, sleep or read a clock other than the one
they were given. One instance may serve many threads and event loops (a lock guards each
change) and survives ``os.fork()``: a forked child gets a fresh lock (a parent's thread may
have held the old one) and starts afresh, with a full budget and a closed breaker, since what
the parent saw of the API says little about the child's calls and the child must not refuse
calls because of failures it never had.

The budget follows botocore's "standard" retry quota: a bucket of 500 tokens; a retry takes 5
(10 after a timeout); a call that succeeds gives back what its last retry took, or 1 when it
was not retried. With the bucket empty, failed calls are not retried until calls succeed
again, so a fleet of clients cannot triple the load on an API that is already failing.
"""

from __future__ import annotations

import math
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Final, Literal, cast

from ._exceptions import InvalidParameterError
from ._validate import shown

__all__ = ["CircuitBreaker", "RetryBudget"]

_live: weakref.WeakSet[RetryBudget | CircuitBreaker] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for state in list(_live):
        state._forked()


os.register_at_fork(after_in_child=_reset_after_fork)


def _positive(
    name: str, value: object, *, integer: bool = False, allow_zero: bool = False
) -> float:
    kinds = (int,) if integer else (int, float)
    if (
        isinstance(value, bool)
        or not isinstance(value, kinds)
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not allow_zero)
        or value > 10**9
    ):
        what = "a whole number" if integer else "a number"
        bound = ">= 0" if allow_zero else "above 0"
        raise InvalidParameterError(
            f"{name} must be {what} {bound} (and at most 10**9), got {shown(value)}", param=name
        )
    return value


class RetryBudget:
    """A bucket of retry tokens shared by every call of the Clients that hold it.

    A retry takes ``retry_cost`` tokens (``timeout_retry_cost`` after a timeout); a call that
    succeeds gives back what its last retry took, or ``success_refund`` when it was not
    retried, up to ``capacity``. When a retry would take more tokens than are left, the call
    is not retried: it fails with the error of its last attempt, whose message says so.

    ``Client(retry_budget=...)`` takes one (by default every Client makes its own, which its
    ``with_options`` copies share); pass the same instance to several Clients to share it.
    """

    __slots__ = (
        "__weakref__",
        "_available",
        "_lock",
        "capacity",
        "retry_cost",
        "success_refund",
        "timeout_retry_cost",
    )

    def __init__(
        self,
        capacity: int = 500,
        *,
        retry_cost: int = 5,
        timeout_retry_cost: int = 10,
        success_refund: int = 1,
    ) -> None:
        #: Tokens in a full bucket (the bucket starts full).
        self.capacity: Final = int(_positive("capacity", capacity, integer=True))
        #: Tokens a retry takes.
        self.retry_cost: Final = int(_positive("retry_cost", retry_cost, integer=True))
        #: Tokens a retry after a timeout takes.
        self.timeout_retry_cost: Final = int(
            _positive("timeout_retry_cost", timeout_retry_cost, integer=True)
        )
        #: Tokens a call that succeeds without a retry gives back.
        self.success_refund: Final = int(
            _positive("success_refund", success_refund, integer=True, allow_zero=True)
        )
        self._available = self.capacity
        self._lock = threading.Lock()
        _live.add(self)

    @property
    def available(self) -> int:
        """Tokens left in the bucket."""
        return self._available

    def __repr__(self) -> str:
        return (
            f"RetryBudget(capacity={self.capacity}, retry_cost={self.retry_cost}, "
            f"timeout_retry_cost={self.timeout_retry_cost}, success_refund="
            f"{self.success_refund}, available={self._available})"
        )

    def _take(self, timed_out: bool) -> int:
        """Take the tokens a retry costs; returns them (0: the bucket is too low, no retry)."""
        cost = self.timeout_retry_cost if timed_out else self.retry_cost
        with self._lock:
            if cost > self._available:
                return 0
            self._available -= cost
        return cost

    def _refund(self, tokens: int) -> None:
        """Give back ``tokens`` (a call succeeded), never past ``capacity``."""
        # The common case (a full bucket) takes no lock: there is nothing to give back.
        if self._available >= self.capacity:
            return
        with self._lock:
            self._available = min(self.capacity, self._available + tokens)

    def _forked(self) -> None:
        self._lock = threading.Lock()
        self._available = self.capacity


#: What ``CircuitBreaker._admit`` answers: send, send as the one probe, or refuse.
CLOSED: Final = 0
PROBE: Final = 1

BreakerState = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Stops sending while the API looks unreachable, then lets one probe call find out.

    After ``failures`` attempts in a row that could not reach the API (a connection error, a
    timeout, or a 502, 503 or 504 answer), all within ``window`` seconds, the breaker opens:
    for ``cooldown`` seconds every call fails at once with ``CircuitOpenError``, without
    sending anything. Then the next call is let through as a probe (one at a time: others
    still fail fast meanwhile); if it reaches the API the breaker closes, if not it opens for
    another ``cooldown``. Any other answer (a 2xx, a 404, a 500 ...) means the API is there and
    resets the count.

    ``Client(circuit_breaker=True)`` makes one with these defaults; pass an instance to choose
    them, or the same instance to several Clients to share it. ``with_options`` copies share
    their Client's. Off by default.
    """

    __slots__ = (
        "__weakref__",
        "_clock",
        "_count",
        "_first_failure",
        "_lock",
        "_opened",
        "_probing",
        "_state",
        "cooldown",
        "failures",
        "window",
    )

    def __init__(self, failures: int = 5, window: float = 30.0, cooldown: float = 30.0) -> None:
        #: Attempts in a row that fail to reach the API before the breaker opens.
        self.failures: Final = int(_positive("failures", failures, integer=True))
        #: Seconds within which those failures must happen.
        self.window: Final = float(_positive("window", window))
        #: Seconds the breaker stays open before it lets a probe through.
        self.cooldown: Final = float(_positive("cooldown", cooldown))
        self._clock: Callable[[], float] = time.monotonic  # replaced in tests
        self._lock = threading.Lock()
        self._closed_state()
        _live.add(self)

    def _closed_state(self) -> None:
        self._state: BreakerState = "closed"
        self._count = 0
        self._first_failure = 0.0
        self._opened = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """``"closed"`` (calls go through), ``"open"`` (they fail fast) or ``"half-open"``
        (the cool-down is over: the next call, or the one under way, is the probe)."""
        if self._state == "open" and self._clock() - self._opened >= self.cooldown:
            return "half-open"
        return self._state

    def __repr__(self) -> str:
        return (
            f"CircuitBreaker(failures={self.failures}, window={self.window:g}, "
            f"cooldown={self.cooldown:g}, state={self.state!r})"
        )

    def _admit(self) -> int | float:
        """``CLOSED`` (send), ``PROBE`` (send: this attempt is the probe), or, as a float, the
        seconds until a probe may go (0.0 while one is under way): do not send."""
        if self._state == "closed":  # read without the lock: the common case costs nothing
            return CLOSED
        with self._lock:
            if cast("str", self._state) == "closed":  # closed by another thread meanwhile
                return CLOSED
            if self._probing:
                return 0.0
            left = self._opened + self.cooldown - self._clock()
            if left > 0:
                return float(left)
            self._state = "half-open"
            self._probing = True
            return PROBE

    def _blocked(self) -> bool:
        """Whether a call would be refused now (open, or a probe under way): asked before a
        retry's wait, so a call does not wait for a retry it could not send."""
        if self._state == "closed":
            return False
        with self._lock:
            if cast("str", self._state) == "closed":
                return False
            return self._probing or self._clock() - self._opened < self.cooldown

    def _record_attempt(self, reached: bool, probe: bool) -> None:
        """What an attempt got: ``reached`` the API (any answer but 502/503/504), or not."""
        if reached:
            if self._state == "closed" and self._count == 0:
                return  # nothing to reset: no lock
            with self._lock:
                self._closed_state()
            return
        with self._lock:
            now = self._clock()
            if probe:  # the API is still unreachable: another cool-down
                self._state, self._opened, self._probing = "open", now, False
                return
            if self._state != "closed":
                return  # a call sent before the breaker opened: nothing new
            if self._count == 0 or now - self._first_failure > self.window:
                self._count, self._first_failure = 1, now
            else:
                self._count += 1
            if self._count >= self.failures:
                self._state, self._opened = "open", now

    def _release(self) -> None:
        """The probe ended without telling (interrupted, or nothing sent): another may go."""
        with self._lock:
            self._probing = False

    def _forked(self) -> None:
        self._lock = threading.Lock()
        self._closed_state()
