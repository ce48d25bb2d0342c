"""The two I/O shells around ``_call.run_call``: send with httpx, sleep, repeat.

They hold no policy (no status codes, no header names, no JSON): each carries out the steps the
call generator yields. Another HTTP library needs only another pair of these functions.

Each attempt runs in its own small function (``_attempt_sync`` / ``_attempt_async``) that hands
back a plain outcome, so no httpx request (whose headers hold the API key) stays in a frame an
error's traceback keeps. An attempt has a deadline (connect, send and the whole body), never
follows redirects, and reads at most ``max_bytes`` of decoded body, decompressing no further.
"""

from __future__ import annotations

import contextvars
import functools
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import NamedTuple, TypeVar

import httpx

from ._call import Call, Outcome, Sleep, TooLarge, TransportFailure
from ._request import PreparedRequest

T = TypeVar("T")
SyncSleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]

#: Far above any real answer (a full page of 100 sessions is well under 1 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 2**20

# Raised before a byte of the request could leave: the server cannot have seen it.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
)


class Answer(NamedTuple):
    """An HTTP answer read whole (within the limits): what ``run_call`` is sent."""

    status_code: int
    headers: Mapping[str, str]  # looks names up case-insensitively
    content: bytes


class _DeadlinePassed(Exception):
    pass


def _failure(error: Exception, *, timed_out: bool | None = None) -> TransportFailure:
    if timed_out is None:
        timed_out = isinstance(error, httpx.TimeoutException)
    return TransportFailure(_sanitized(error), timed_out, unseen=not isinstance(error, _NOT_SENT))


def _sanitized(error: Exception) -> Exception:
    """The same kind of httpx error with the same text, but no ``.request`` (nor its headers,
    which hold the API key) and no chained exceptions."""
    text = str(error)
    for cls in type(error).__mro__:  # the nearest httpx class (a subclass may take a request)
        if cls.__module__.startswith("httpx"):
            try:
                copy: Exception = cls(text)
            except Exception:  # noqa: S112 - an unusual constructor: try the next class
                continue
            return copy
    return httpx.TransportError(f"{type(error).__name__}: {text}")


class _Body:
    """Collects a body up to ``limit`` bytes after decoding; gzip/deflate inflate only as far."""

    __slots__ = ("_head", "_inflate", "chunks", "limit", "size")

    def __init__(self, limit: int, encoding: str) -> None:
        self.limit, self.size, self.chunks = limit, 0, list[bytes]()
        self._inflate: zlib._Decompress | None = None
        # "deflate" is meant to be zlib-wrapped, but some servers send it raw (httpx takes both):
        # its first bytes are kept until they inflate, to try them raw if the wrapper fails.
        self._head: bytes | None = b"" if encoding == "deflate" else None
        if encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()

    def feed(self, data: bytes) -> bool:
        """Add raw bytes; True once the decoded body passed the limit."""
        inflate = self._inflate
        if inflate is None:
            return self._add(data)
        try:
            if self._head is None:
                return self._inflate_into(inflate, data)
            self._head += data
            try:
                over = self._inflate_into(inflate, data)
            except zlib.error:
                self._inflate = inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                data, self._head = self._head, None
                return self._inflate_into(inflate, data)
            if self.size:
                self._head = None
            return over
        except zlib.error as error:
            message = f"the response body could not be decompressed: {error}"
            raise httpx.DecodingError(message) from None

    def _inflate_into(self, inflate: zlib._Decompress, data: bytes) -> bool:
        while data:
            if self._add(inflate.decompress(data, self.limit - self.size + 1)):
                return True
            data = inflate.unconsumed_tail
        return False

    def _add(self, data: bytes) -> bool:
        self.size += len(data)
        self.chunks.append(data)
        return self.size > self.limit


def _body_for(response: httpx.Response, limit: int) -> tuple[_Body, str]:
    """The collector, and what to feed it: "raw" bytes (we decode), httpx-"decoded" ones, or
    the "content" a mock transport already read."""
    if response.is_stream_consumed:
        return _Body(limit, "identity"), "content"
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("identity", "", "gzip", "x-gzip", "deflate"):
        return _Body(limit, encoding), "raw"
    return _Body(limit, "identity"), "decoded"


# The deadline of the sync attempt running in this thread (monotonic seconds), for _Deadline*.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "chargeapi_deadline", default=None
)


def sync_http_client(timeouts: httpx.Timeout, headers: Mapping[str, str]) -> httpx.Client:
    """The SDK-owned sync client: its socket reads are bounded by each attempt's deadline.

    httpx offers no public hook for the network backend, so it is wrapped on the default
    transport's pool when that has the expected shape; otherwise only the body is bounded.
    """
    import httpcore  # noqa: PLC0415 - httpx loads it with its first client; import stays lean

    from ._deadline import DeadlineBackend  # noqa: PLC0415 - subclasses httpcore's classes

    http = httpx.Client(timeout=timeouts, headers=headers)  # the fixed headers, set once
    pool = getattr(http._transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return http


@functools.lru_cache(maxsize=64)  # one per Client timeout: an httpx.Timeout is never changed
def _timeouts(seconds: float) -> httpx.Timeout:
    return httpx.Timeout(max(seconds, 0.001))


def _seconds(timeouts: httpx.Timeout | float) -> float:
    if isinstance(timeouts, httpx.Timeout):
        return max((t for t in timeouts.as_dict().values() if t is not None), default=60.0)
    return float(timeouts)


def _attempt_sync(
    http: httpx.Client, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    try:
        built = http.build_request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.content,
            timeout=_timeouts(seconds),
        )
        response = http.send(built, stream=True, follow_redirects=False)
        try:
            # Bound the body's reads by the time left (httpcore reads this when the body starts).
            timeout_dict = built.extensions.get("timeout")
            if isinstance(timeout_dict, dict):
                timeout_dict["read"] = max(deadline - time.monotonic(), 0.001)
            body, source = _body_for(response, max_bytes)
            chunks: Iterable[bytes] = (
                (response.content,)
                if source == "content"
                else response.iter_raw()
                if source == "raw"
                else response.iter_bytes()
            )
            for chunk in chunks:
                if body.feed(chunk):
                    return TooLarge(response.status_code, max_bytes)
                if time.monotonic() > deadline:
                    raise _DeadlinePassed
        finally:
            response.close()
    except _DeadlinePassed:
        return _failure(httpx.ReadTimeout(f"no whole answer within {seconds:g} s"), timed_out=True)
    except httpx.TransportError as error:
        return _failure(error)
    except httpx.DecodingError as error:
        return _failure(error)
    finally:
        _deadline.reset(token)
    return Answer(response.status_code, response.headers, b"".join(body.chunks))


def send_sync(
    call: Call[T],
    http: httpx.Client,
    sleep: SyncSleep,
    timeouts: httpx.Timeout | float,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> T:
    """Drive ``call`` to its end with a sync httpx client; return its result.

    ``timeouts`` is the deadline of each attempt, in seconds (or the largest of an httpx.Timeout).
    """
    seconds = _seconds(timeouts)
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
        outcome = _attempt_sync(http, step.request, seconds, max_bytes)


async def _attempt_async(
    http: httpx.AsyncClient, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    import asyncio  # noqa: PLC0415 - async callers have it loaded; sync ones never pay for it

    try:
        async with asyncio.timeout(seconds):
            built = http.build_request(
                request.method,
                request.url,
                headers=request.headers,
                content=request.content,
                timeout=_timeouts(seconds),
            )
            response = await http.send(built, stream=True, follow_redirects=False)
            try:
                body, source = _body_for(response, max_bytes)
                if source == "content":
                    if body.feed(response.content):
                        return TooLarge(response.status_code, max_bytes)
                else:
                    chunks = response.aiter_raw() if source == "raw" else response.aiter_bytes()
                    async for chunk in chunks:
                        if body.feed(chunk):
                            return TooLarge(response.status_code, max_bytes)
            finally:
                await response.aclose()
    except TimeoutError:
        return _failure(httpx.ReadTimeout(f"no whole answer within {seconds:g} s"), timed_out=True)
    except httpx.TransportError as error:
        return _failure(error)
    except httpx.DecodingError as error:
        return _failure(error)
    return Answer(response.status_code, response.headers, b"".join(body.chunks))


async def send_async(
    call: Call[T],
    http: httpx.AsyncClient,
    sleep: AsyncSleep,
    timeouts: httpx.Timeout | float,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> T:
    """Drive ``call`` to its end with an async httpx client; return its result."""
    seconds = _seconds(timeouts)
    return await drive_async(
        call, lambda request: _attempt_async(http, request, seconds, max_bytes), sleep
    )


async def drive_async(
    call: Call[T], attempt: Callable[[PreparedRequest], Awaitable[Outcome]], sleep: AsyncSleep
) -> T:
    """Drive ``call`` to its end with any async HTTP library's ``attempt``; return its result.

    If the task is cancelled, the CancelledError gets a note with the call's Idempotency-Key:
    the request may have gone out, and that key finishes it without a duplicate.
    """
    import asyncio  # noqa: PLC0415 - see _attempt_async

    outcome: Outcome = None
    key: str | None = None
    while True:
        try:
            step = call.send(outcome)
        except StopIteration as done:
            result: T = done.value
            return result
        try:
            if isinstance(step, Sleep):
                await sleep(step.seconds)
                outcome = None
                continue
            key = step.request.idempotency_key or key
            outcome = await attempt(step.request)
        except asyncio.CancelledError as cancelled:
            if key is not None:
                cancelled.add_note(
                    f"chargeapi: the cancelled request may have reached the server; retry with "
                    f"idempotency_key={key!r} to finish it without a duplicate."
                )
            call.close()
            raise
