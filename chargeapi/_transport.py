"""The two I/O shells around ``_call.run_call``: send with httpx, sleep, repeat.

They hold no policy (no status codes, no header names, no JSON): each carries out the steps the
call generator yields. Another HTTP library needs only another pair of these functions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from ._call import Call, Outcome, Sleep, TransportFailure
from ._request import PreparedRequest

T = TypeVar("T")
SyncSleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]


def _failure(error: httpx.TransportError) -> TransportFailure:
    return TransportFailure(error, timed_out=isinstance(error, httpx.TimeoutException))


def send_sync(call: Call[T], http: httpx.Client, sleep: SyncSleep, timeouts: httpx.Timeout) -> T:
    """Drive ``call`` to its end with a sync httpx client; return its result."""
    outcome: Outcome = None
    while True:
        try:
            step = call.send(outcome)
        except StopIteration as done:
            result: T = done.value
            return result
        if isinstance(step, Sleep):
            sleep(step.seconds)
            outcome = None
            continue
        request: PreparedRequest = step.request
        try:
            outcome = http.request(
                request.method,
                request.url,
                headers=request.headers,
                content=request.content,
                timeout=timeouts,
            )
        except httpx.TransportError as error:
            outcome = _failure(error)


async def send_async(
    call: Call[T], http: httpx.AsyncClient, sleep: AsyncSleep, timeouts: httpx.Timeout
) -> T:
    """Drive ``call`` to its end with an async httpx client; return its result."""
    outcome: Outcome = None
    while True:
        try:
            step = call.send(outcome)
        except StopIteration as done:
            result: T = done.value
            return result
        if isinstance(step, Sleep):
            await sleep(step.seconds)
            outcome = None
            continue
        request: PreparedRequest = step.request
        try:
            outcome = await http.request(
                request.method,
                request.url,
                headers=request.headers,
                content=request.content,
                timeout=timeouts,
            )
        except httpx.TransportError as error:
            outcome = _failure(error)
