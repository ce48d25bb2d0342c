"""Scripted faults: the next requests fail, lose their connection, or answer late.

Each incoming API request consumes at most one fault: the oldest one scripted for any route or
for the request's own route (`route="POST /v1/charging_sessions"`). `times=N` queues N identical
faults. A `Chaos` draws random faults for the requests no scripted fault took. Control API
requests (`/_sim/...`) never consume faults. Faults validate their fields
when built, so the Python methods and the control API refuse the same bad input alike.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter, deque
from dataclasses import dataclass

import httpx

from chargeapi._exceptions import InvalidParameterError
from chargeapi.testing._errors import shown

MAX_DELAY = 3600.0  # seconds; a longer `time.sleep` would only hang a test
MAX_RETRY_AFTER = 10**9  # seconds (31 years): any more is no Retry-After a server sends
_ROUTE = re.compile(r"([A-Za-z]+) (/\S*)")
# What a header value may hold: visible ASCII and spaces, so no CR/LF can start another header.
_HEADER_TEXT = re.compile(r"[\x20-\x7e]{1,100}")


@dataclass(frozen=True)
class Fail:
    """Answer with an error status (and a Retry-After header if given) without processing."""

    status: int
    retry_after: float | str | None = None
    code: str | None = None
    message: str | None = None
    route: str | None = None

    def __post_init__(self) -> None:
        if type(self.status) is not int or not 400 <= self.status <= 599:
            raise ValueError(f"status must be an int from 400 to 599, got {self.status!r}")
        ra = self.retry_after
        if isinstance(ra, bool) or not (
            ra is None
            or (isinstance(ra, str) and ra.strip() and _HEADER_TEXT.fullmatch(ra))
            or (isinstance(ra, int) and 0 <= ra <= MAX_RETRY_AFTER)
            or (isinstance(ra, float) and 0 <= ra <= MAX_RETRY_AFTER)  # NaN fails this too
        ):
            raise InvalidParameterError(
                f"retry_after must be a number of seconds from 0 to {MAX_RETRY_AFTER:,} or an "
                "HTTP date string (printable ASCII, at most 100 characters: it becomes the "
                f"Retry-After header), got {shown(ra)}",
                param="retry_after",
            )
        _optional_text("code", self.code)
        _optional_text("message", self.message)
        _check_route(self.route)


@dataclass(frozen=True)
class Drop:
    """Close the connection without a response, before or after the request took effect."""

    after_processing: bool = False
    route: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.after_processing, bool):
            raise ValueError(f"after_processing must be a bool, got {self.after_processing!r}")
        _check_route(self.route)


@dataclass(frozen=True)
class Delay:
    """Answer late: a real sleep before processing, or in-process, when the delay exceeds the
    request's read timeout, the request takes effect and the client gets `httpx.ReadTimeout`
    at once."""

    seconds: float
    route: str | None = None

    def __post_init__(self) -> None:
        s = self.seconds
        if isinstance(s, bool) or not isinstance(s, int | float) or not 0 <= s <= MAX_DELAY:
            raise ValueError(f"seconds must be a number from 0 to {MAX_DELAY:g}, got {s!r}")
        _check_route(self.route)


Fault = Fail | Drop | Delay

SERVER_ERRORS = (500, 502, 503, 504)


@dataclass(frozen=True)
class Chaos:
    """Random faults: each request it applies to (every one, or `route`'s) draws at most one.

    The rates are probabilities per request (together at most 1): `server_errors` answer a
    500, 502, 503 or 504, `rate_limits` a 429 with `Retry-After: retry_after`, `drops` close
    the connection before the request takes effect, `drops_after_processing` after, and
    `delays` answer `delay_seconds` late (past a client timeout shorter than that, the request
    still takes effect).
    """

    seed: int = 0
    server_errors: float = 0.0
    rate_limits: float = 0.0
    retry_after: float | str = 0
    drops: float = 0.0
    drops_after_processing: float = 0.0
    delays: float = 0.0
    delay_seconds: float = 1.0
    route: str | None = None

    def __post_init__(self) -> None:
        if type(self.seed) is not int:
            raise ValueError(f"seed must be an int, got {self.seed!r}")
        for name in ("server_errors", "rate_limits", "drops", "drops_after_processing", "delays"):
            rate = getattr(self, name)
            if (
                isinstance(rate, bool)
                or not isinstance(rate, int | float)
                or not 0 <= rate <= 1  # NaN fails this too
            ):
                raise ValueError(f"{name} must be a probability from 0 to 1, got {rate!r}")
        if sum(rate for _, rate in self.rates()) > 1:
            raise ValueError("the rates must add up to at most 1 (one fault per request)")
        Fail(429, self.retry_after)  # the same checks as a scripted fault's
        Delay(self.delay_seconds)
        _check_route(self.route)

    def rates(self) -> list[tuple[str, float]]:
        return [
            ("server_error", self.server_errors),
            ("rate_limit", self.rate_limits),
            ("drop", self.drops),
            ("drop_after_processing", self.drops_after_processing),
            ("delay", self.delays),
        ]


class ChaosSource:
    """Draws `Chaos` faults from one seeded RNG under a lock: the same seed draws the same
    sequence of faults (which request gets which depends on arrival order)."""

    def __init__(self, chaos: Chaos) -> None:
        self.chaos = chaos
        self._rng = random.Random(chaos.seed)
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def draw(self, method: str, path: str) -> Fault | None:
        chaos = self.chaos
        if chaos.route is not None and not route_matches(chaos.route, method, path):
            return None
        with self._lock:
            roll, status = self._rng.random(), self._rng.choice(SERVER_ERRORS)
            kind = "none"
            for name, rate in chaos.rates():
                if roll < rate:
                    kind = name
                    break
                roll -= rate
            self._counts[kind] += 1
        if kind == "server_error":
            return Fail(status)
        if kind == "rate_limit":
            return Fail(429, chaos.retry_after)
        if kind in ("drop", "drop_after_processing"):
            return Drop(after_processing=kind == "drop_after_processing")
        if kind == "delay":
            return Delay(chaos.delay_seconds)
        return None

    def counts(self) -> dict[str, int]:
        """How many requests drew each fault (`"none"`: drew no fault), as a plain dict."""
        with self._lock:
            return dict(self._counts)


class ConnectionDropped(httpx.RemoteProtocolError):
    """What a client sees when the server closes the connection without answering.

    In-process the handler raises it and `httpx.MockTransport` propagates it unchanged; the
    HTTP server catches it and closes the socket instead of writing a response.
    """

    def __init__(self, request: httpx.Request) -> None:
        super().__init__("Server disconnected without sending a response.", request=request)


@dataclass
class _Pending:
    fault: Fault
    left: int


class FaultQueue:
    """A thread-safe FIFO of faults, each with how many requests it still applies to."""

    def __init__(self) -> None:
        self._faults: deque[_Pending] = deque()
        self._lock = threading.Lock()

    def add(self, fault: Fault, times: int) -> None:
        if type(times) is not int or times < 1:
            raise ValueError(f"times must be an int of at least 1, got {times!r}")
        with self._lock:
            self._faults.append(_Pending(fault, times))

    def pop(self, method: str, path: str) -> Fault | None:
        """Consume one use of the oldest fault that applies to this request."""
        with self._lock:
            for pending in self._faults:
                route = pending.fault.route
                if route is None or route_matches(route, method, path):
                    pending.left -= 1
                    if not pending.left:
                        self._faults.remove(pending)
                    return pending.fault
            return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


def route_matches(route: str, method: str, path: str) -> bool:
    """`"POST /v1/charging_sessions/{id}/end"`: same method, and the path segment by segment,
    where a `{name}` or `*` segment matches any one segment."""
    route_method, _, pattern = route.partition(" ")
    if route_method.upper() != method.upper():
        return False
    wanted, actual = _segments(pattern), _segments(path)
    return len(wanted) == len(actual) and all(
        w in (a, "*") or (w.startswith("{") and w.endswith("}"))
        for w, a in zip(wanted, actual, strict=True)
    )


def retry_after_header(value: float | str) -> str:
    """Seconds as an integer when whole (`"2"`), a decimal otherwise; strings verbatim."""
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


def _check_route(route: str | None) -> None:
    if route is not None and (not isinstance(route, str) or not _ROUTE.fullmatch(route)):
        raise ValueError(
            "route must look like 'POST /v1/charging_sessions' (method, space, path), "
            f"got {route!r}"
        )


def _optional_text(name: str, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError(f"{name} must be a non-empty str or None, got {value!r}")
