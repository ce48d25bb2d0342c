"""Scripted faults: the next requests fail, lose their connection, or answer late.

Each incoming request (any endpoint) consumes at most one fault, in the order they were
scripted; `times=N` queues N identical faults.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Fail:
    """Answer with an error status (and a Retry-After header if given) without processing."""

    status: int
    retry_after: float | str | None = None


@dataclass(frozen=True)
class Drop:
    """Close the connection without a response, before or after the request took effect."""

    after_processing: bool = False


@dataclass(frozen=True)
class Delay:
    """Sleep (for real) before processing and answering."""

    seconds: float


Fault = Fail | Drop | Delay


class ConnectionDropped(httpx.RemoteProtocolError):
    """What a client sees when the server closes the connection without answering.

    In-process the handler raises it and `httpx.MockTransport` propagates it unchanged; the
    HTTP server catches it and closes the socket instead of writing a response.
    """

    def __init__(self, request: httpx.Request) -> None:
        super().__init__("Server disconnected without sending a response.", request=request)


class FaultQueue:
    """A thread-safe FIFO of faults."""

    def __init__(self) -> None:
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()

    def add(self, fault: Fault, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.extend([fault] * times)

    def pop(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None


def retry_after_header(value: float | str) -> str:
    """Seconds as an integer when whole (`"2"`), a decimal otherwise; strings verbatim."""
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)
