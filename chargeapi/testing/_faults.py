"""Scripted faults: the next requests fail, lose their connection, or answer late.

Each incoming API request consumes at most one fault: the oldest one scripted for any route or
for the request's own route (`route="POST /v1/charging_sessions"`). `times=N` queues N identical
faults. Control API requests (`/_sim/...`) never consume faults. Faults validate their fields
when built, so the Python methods and the control API refuse the same bad input alike.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from dataclasses import dataclass

import httpx

MAX_DELAY = 3600.0  # seconds; a longer `time.sleep` would only hang a test
_ROUTE = re.compile(r"([A-Za-z]+) (/\S*)")


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
            or (isinstance(ra, str) and ra.strip())
            or (isinstance(ra, int | float) and math.isfinite(ra) and ra >= 0)
        ):
            raise ValueError(
                "retry_after must be a non-negative number of seconds or an HTTP date string, "
                f"got {ra!r}"
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
