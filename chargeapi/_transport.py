"""The two I/O shells around ``_call.run_call``: send with httpx, sleep, repeat.

They hold no policy (no status codes, no header names, no JSON): each carries out the steps the
call generator yields. Another HTTP library needs only another pair of these functions.

Each attempt runs in its own small function (``_attempt_sync`` / ``_attempt_async``) that hands
back a plain outcome, so no httpx request (whose headers hold the API key) stays in a frame an
error's traceback keeps. An attempt has a deadline (connect, send and the whole body), never
follows redirects, reads at most ``max_bytes`` of decoded body (and about as many on the wire),
decompressing no further (a body it cannot decode is ``Unreadable``: the status stands), and
never leaves a connection with unread bytes in the pool. Any
exception the HTTP client raises during an attempt is a failed attempt (retried, then an
APIConnectionError); an exception that is no ``Exception`` (KeyboardInterrupt, a cancelled
task), or one a signal handler raised (a task runner's soft time limit), stops the call, with a
note carrying its Idempotency-Key.
"""

from __future__ import annotations

import contextvars
import functools
import time
import zlib
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar, cast

import httpx

from ._call import (
    Call,
    Closed,
    Outcome,
    Raised,
    Send,
    Sleep,
    TooLarge,
    TransportFailure,
    Unreadable,
    interrupted_note,
)
from ._exceptions import redact
from ._request import PreparedRequest, new_tuple
from ._urls import wire_url

_HTTPX_BUILD = httpx.Client.build_request  # AsyncClient's too (both BaseClient's)


def _url_for(http: httpx.Client | httpx.AsyncClient, url: str) -> httpx.URL | str:
    """``url`` as ``http`` is handed it: parsed (``wire_url``) for httpx's own build_request;
    the str for an override in your subclass of httpx's clients, which may expect one."""
    return wire_url(url) if type(http).build_request is _HTTPX_BUILD else url


T = TypeVar("T")
SyncSleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]

#: Far above any real answer (a full page of 100 sessions is well under 1 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 32 * 2**20

# Raised before a byte of the request could leave: the server cannot have seen it. (A proxy
# that refuses the tunnel answers before the API request is sent through it.)
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.LocalProtocolError,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
    httpx.InvalidURL,
)


class Answer(NamedTuple):
    """An HTTP answer read whole (within the limits): what ``run_call`` is sent."""

    status_code: int
    headers: Mapping[str, str]  # looks names up case-insensitively
    content: bytes


class _DeadlinePassed(Exception):
    pass


def from_signal_handler(error: BaseException) -> bool:
    """Whether ``error`` was raised by a Python signal handler (Celery's and RQ's time limits
    raise from SIGALRM/SIGUSR1 handlers in the middle of whatever the task runs).

    Such an exception is the caller's, not the transport's: turning it into a failed attempt
    would retry past a time limit and hide it behind an APIConnectionError.
    """
    import signal  # noqa: PLC0415 - only when an attempt raised: not loaded by the import

    handlers: set[object] = set()
    for number in signal.valid_signals():
        handler: object = signal.getsignal(number)
        handler = getattr(handler, "func", handler)  # functools.partial
        handler = getattr(handler, "__func__", handler)  # a bound method
        code: object = getattr(handler, "__code__", None)
        if code is not None:
            handlers.add(code)
    if not handlers:
        return False
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code in handlers:
            return True
        tb = tb.tb_next
    return False


def _failure(
    error: Exception, *, timed_out: bool | None = None, unseen: bool | None = None
) -> TransportFailure:
    if timed_out is None:
        timed_out = isinstance(error, httpx.TimeoutException)
    if unseen is None:
        unseen = not isinstance(error, _NOT_SENT)
    return TransportFailure(_sanitized(error), timed_out, unseen)


def _sanitized(
    error: Exception, fallback: Callable[[str], Exception] = httpx.TransportError
) -> Exception:
    """The same kind of error with the same text (secrets masked), but no ``.request`` (nor its
    headers, which hold the API key), no other attributes and no chained exceptions.

    An httpx error becomes its nearest httpx class (a subclass may take a request); any other
    its own class when that takes just the text, else ``fallback("<its class>: <text>")``.
    """
    text = redact(str(error))
    mro = type(error).__mro__
    candidates = [c for c in mro if c.__module__.startswith("httpx")] or [type(error)]
    for cls in candidates:
        try:
            copy: Exception = cls(text)
        except Exception:  # noqa: S112 - an unusual constructor: try the next class
            continue
        if str(copy) == text:
            return copy
    return fallback(f"{type(error).__name__}: {text}")


def stopped(error: BaseException, key: str | None, call: Call[Any]) -> None:
    """An exception that is no failed attempt stops the call (KeyboardInterrupt, a cancelled
    task, a signal handler's exception while waiting): a POST's gets its Idempotency-Key as a
    note, since its request may have gone out. It is thrown into the call, so whatever spans
    the call (a middleware's ``around_call``) ends with it; the caller re-raises it."""
    if key is not None:
        error.add_note(interrupted_note(key))
    try:
        call.throw(error)
    except BaseException:  # noqa: S110 - it comes back out (or another in its place): the
        pass  # caller raises the original either way
    finally:
        call.close()


_PIECE = 64 * 1024  # bytes a gzip/deflate layer inflates at a time
_MAX_CODINGS = 4  # gzip of gzip is legal; a longer stack is an attack, not an answer


def content_codings(values: Iterable[str]) -> tuple[str, ...]:
    """The codings ``Content-Encoding`` headers list, in the order the server applied them.

    Every header and comma-separated item counts (``gzip, gzip`` is two layers); ``identity``
    is nothing. Raises httpx.DecodingError for a coding the SDK does not inflate within the
    size limit (it asks for gzip and deflate only), or for more than four layers.
    """
    codings: list[str] = []
    for value in values:
        for item in value.split(","):
            coding = item.strip().lower()
            if not coding or coding == "identity":
                continue
            if coding not in ("gzip", "x-gzip", "deflate"):
                shown = redact(coding[:40])
                raise httpx.DecodingError(
                    f"the answer is encoded with {shown!r}, which the SDK did not ask for "
                    "(it accepts gzip and deflate)"
                )
            codings.append(coding)
    if len(codings) > _MAX_CODINGS:
        raise httpx.DecodingError(f"the answer is encoded {len(codings)} times over")
    return tuple(codings)


class _Inflater:
    """One gzip or deflate layer, inflated at most ``_PIECE`` bytes at a time.

    ``deflate`` is meant to be zlib-wrapped, but some servers send it raw (httpx takes both):
    its first two bytes tell which.
    """

    __slots__ = ("_head", "_zlib")

    def __init__(self, coding: str) -> None:
        self._zlib: zlib._Decompress | None = (
            None if coding == "deflate" else zlib.decompressobj(16 + zlib.MAX_WBITS)
        )
        self._head = b""

    def inflate(self, data: bytes) -> Iterator[bytes]:
        inflate = self._zlib
        if inflate is None:
            data = self._head + data
            if len(data) < 2:
                self._head = data
                return
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            inflate = self._zlib = zlib.decompressobj(
                zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            )
        while data:
            piece = inflate.decompress(data, _PIECE)
            if piece:
                yield piece
            data = inflate.unconsumed_tail


class _Body:
    """Collects a body up to ``limit`` bytes after decoding, each layer inflated only as far.

    The bytes received are capped too, at ``limit`` plus what compression can add: an answer
    that inflates to little or nothing cannot keep an attempt reading.
    """

    __slots__ = ("_layers", "chunks", "limit", "received", "received_limit", "size")

    def __init__(self, limit: int, codings: tuple[str, ...] = ()) -> None:
        self.limit, self.size = limit, 0
        self.chunks: list[bytes] = []
        self.received = 0
        # deflate's worst case adds under 0.1 % and a few bytes per layer; this is generous.
        self.received_limit = limit + len(codings) * ((limit >> 8) + 1024)
        self._layers = tuple(_Inflater(c) for c in reversed(codings))

    def feed(self, data: bytes) -> bool:
        """Add bytes as received; True once they, or the decoded body, passed the limit."""
        self.received += len(data)
        if self.received > self.received_limit:
            return True
        if not self._layers:
            return self._add(data)
        try:
            return self._through(0, data)
        except zlib.error as error:
            message = f"the response body could not be decompressed: {error}"
            raise httpx.DecodingError(message) from None

    def _through(self, layer: int, data: bytes) -> bool:
        if layer == len(self._layers):
            return self._add(data)
        return any(self._through(layer + 1, piece) for piece in self._layers[layer].inflate(data))

    def _add(self, data: bytes) -> bool:
        self.size += len(data)
        self.chunks.append(data)
        return self.size > self.limit


def _body_for(response: httpx.Response, limit: int) -> _Body:
    """The collector of a body not read yet: it decodes the raw bytes as they come. (A body a
    mock transport already read is taken as it is: ``response.content``, within the limit.)"""
    return _Body(limit, content_codings(response.headers.get_list("content-encoding")))


def plain_length(headers: Mapping[str, str], limit: int) -> int | None:
    """The body's ``Content-Length`` when it is sent as is (no ``Content-Encoding``) and within
    ``limit``: such a body is read in one go (the HTTP parser stops at that length, so the
    wire bytes are bounded too). None for any other body: it streams through ``_Body``."""
    if "content-encoding" in headers:
        return None
    value = headers.get("content-length")
    if value is None or not value.isdigit() or len(value) > 12:
        return None
    length = int(value)
    return length if length <= limit else None


# From an httpx response's stream to the h11 state of its connection (httpx.BoundSyncStream,
# httpx's ResponseStream, httpcore's PoolByteStream, HTTP11ConnectionByteStream, connection).
_TO_H11 = ("_stream", "_httpcore_stream", "_stream", "_connection", "_h11_state")


def _never_reuse_if_stale(response: httpx.Response) -> None:
    """Before an answer is closed: when bytes beyond it already arrived on its connection (a
    server or proxy that sent an answer twice), make httpcore close that connection instead of
    pooling it, or the next request on it would read those bytes as its own answer.

    httpx reads ahead, so they may sit in its parser (reached through its internals) or still in
    the socket. The parser is told the connection failed: the answer's close then closes the
    connection, and a request already promised it is refused and goes elsewhere. (Closing only
    the socket would not do: httpcore ignores a failed write and reads the buffered copy.)
    """
    network = response.extensions.get("network_stream")
    if network is None:  # not a real connection (a mock transport)
        return
    state: Any = response.stream
    for name in _TO_H11:
        state = getattr(state, name, None)
    if state is not None and (state.trailing_data[0] or network.get_extra_info("is_readable")):
        state.send_failed()


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
    pool = getattr(getattr(http, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return http


def _timeouts(seconds: float) -> dict[str, float]:
    """The request's ``timeout`` extension, as ``httpx.Timeout(seconds).as_dict()`` (given
    as the extension, httpx makes no Timeout per request); a new dict: the attempt changes it."""
    seconds = max(seconds, 0.001)
    return {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}


def _attempt_sync(
    http: httpx.Client, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    if http.is_closed:
        return Closed()
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    try:
        timeouts = _timeouts(seconds)
        built = http.build_request(
            request.method,
            _url_for(http, request.url),
            headers=request.headers,
            content=request.content,
            extensions={"timeout": timeouts},
        )
        response = http.send(built, stream=True, follow_redirects=False)
        try:
            # Bound the body's reads by the time left (httpcore reads this when the body starts).
            timeouts["read"] = max(deadline - time.monotonic(), 0.001)
            # The raw stream, not iter_raw(): that returns the connection to the pool as the
            # body ends, before it could be checked for bytes beyond the answer.
            stream: httpx.SyncByteStream = response.stream  # type: ignore[assignment]
            if response.is_stream_consumed:  # a mock transport read it: as it is
                content = response.content
                if len(content) > max_bytes:
                    return TooLarge(response.status_code, max_bytes)
                if time.monotonic() > deadline:
                    raise _DeadlinePassed
            else:
                body = _body_for(response, max_bytes)
                for chunk in stream:
                    if body.feed(chunk):
                        return TooLarge(response.status_code, max_bytes)
                    if time.monotonic() > deadline:
                        raise _DeadlinePassed
                content = b"".join(body.chunks)
        except httpx.DecodingError as error:
            return Unreadable(response.status_code, response.headers, str(error))
        finally:
            # However the attempt ends (a whole answer too late counts too), before closing the
            # answer returns its connection to the pool.
            if "network_stream" in response.extensions:  # a real connection, not a mock
                _never_reuse_if_stale(response)
            response.close()
    except _DeadlinePassed:
        return _failure(httpx.ReadTimeout(f"no whole answer within {seconds:g} s"), timed_out=True)
    except Exception as error:  # whatever the client or its transport raised: no answer
        if from_signal_handler(error):
            raise
        return Closed() if http.is_closed and isinstance(error, RuntimeError) else _failure(error)
    finally:
        _deadline.reset(token)
    return new_tuple(Answer, (response.status_code, response.headers, content))


def send_sync(
    call: Call[T],
    http: httpx.Client,
    sleep: SyncSleep,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> T:
    """Drive ``call`` to its end with a sync httpx client; return its result.

    Each ``Send`` says how long its attempt may take; a ``Through`` (middleware) step is handed
    the attempt function to run its chain around.
    """
    outcome: Outcome | Raised = None
    key: str | None = None
    while True:
        try:
            step = call.send(outcome)
        except StopIteration as done:
            result: T = done.value
            return result
        try:
            if isinstance(step, Sleep):
                sleep(step.seconds)
                outcome = None
                continue
            key = step.request.idempotency_key or key
            if isinstance(step, Send):
                outcome = _attempt_sync(http, step.request, step.timeout, max_bytes)
            else:
                outcome = step.run_sync(functools.partial(_attempt_sync, http, max_bytes=max_bytes))
        except BaseException as error:
            stopped(error, key, call)
            raise


class _SentTrace:
    """httpcore's ``trace`` extension, reduced to one fact: has the request started to go out?

    Until then, an attempt that runs out of time (waiting for a free pooled connection,
    connecting, a proxy's tunnel) sent nothing the server could act on.
    """

    __slots__ = ("sent",)

    def __init__(self) -> None:
        self.sent = False

    async def __call__(self, name: str, info: Mapping[str, Any]) -> None:
        if "send_request_headers" in name:
            self.sent = True


def _traced(http: httpx.AsyncClient) -> bool:
    """Whether every transport of ``http`` is httpx's own, whose connection pool reports the
    trace events: only then does "no event yet" mean "nothing sent"."""
    transport = getattr(http, "_transport", None)
    own = transport is None or isinstance(transport, httpx.AsyncHTTPTransport)
    mounts = getattr(http, "_mounts", None)
    if not own or not mounts:
        return own
    return all(isinstance(t, httpx.AsyncHTTPTransport) for t in mounts.values() if t is not None)


class AttemptDeadline:
    """``asyncio.timeout(seconds)`` as a plain context manager: the same timer cancelling the
    task, and TimeoutError when it did, without the two coroutines its ``async with`` makes
    (its enter and exit await nothing). For the code running in the current task."""

    __slots__ = ("_cancelling", "_expired", "_task", "_timer")

    def __init__(self, seconds: float) -> None:
        import asyncio  # noqa: PLC0415 - async callers have it loaded; sync ones never pay

        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("Timeout should be used inside a task")
        loop = task.get_loop()
        self._task = task
        self._cancelling = task.cancelling()
        self._expired = False
        self._timer = loop.call_at(loop.time() + seconds, self._expire)

    def _expire(self) -> None:
        self._expired = True
        self._task.cancel()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: object,
    ) -> None:
        self._timer.cancel()
        if not self._expired:
            return
        import asyncio  # noqa: PLC0415 - see __init__

        # Its own cancellation, and no other asked for since: it is the deadline's.
        if (
            self._task.uncancel() <= self._cancelling
            and exc_type is not None
            and issubclass(exc_type, asyncio.CancelledError)
        ):
            raise TimeoutError from exc


async def _attempt_async(
    http: httpx.AsyncClient, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    if http.is_closed:
        return Closed()
    trace = _SentTrace() if _traced(http) else None
    try:
        with AttemptDeadline(seconds):
            built = http.build_request(
                request.method,
                _url_for(http, request.url),
                headers=request.headers,
                content=request.content,
                extensions={"timeout": _timeouts(seconds)}
                if trace is None
                else {"timeout": _timeouts(seconds), "trace": trace},
            )
            response = await http.send(built, stream=True, follow_redirects=False)
            try:
                if response.is_stream_consumed:  # a mock transport read it: as it is
                    content = response.content
                    if len(content) > max_bytes:
                        return TooLarge(response.status_code, max_bytes)
                else:
                    body = _body_for(response, max_bytes)
                    # The raw stream, not aiter_raw(): see _attempt_sync.
                    async for chunk in cast("httpx.AsyncByteStream", response.stream):
                        if body.feed(chunk):
                            return TooLarge(response.status_code, max_bytes)
                    content = b"".join(body.chunks)
            except httpx.DecodingError as error:
                return Unreadable(response.status_code, response.headers, str(error))
            finally:
                if "network_stream" in response.extensions:  # see _attempt_sync
                    _never_reuse_if_stale(response)
                await response.aclose()
    except TimeoutError:
        late = httpx.ReadTimeout(f"no whole answer within {seconds:g} s")
        return _failure(late, timed_out=True, unseen=trace is None or trace.sent)
    except Exception as error:  # whatever the client or its transport raised: no answer
        if from_signal_handler(error):
            raise
        return Closed() if http.is_closed and isinstance(error, RuntimeError) else _failure(error)
    return Answer(response.status_code, response.headers, content)


def send_async(
    call: Call[T],
    http: httpx.AsyncClient,
    sleep: AsyncSleep,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> Coroutine[Any, Any, T]:
    """Drive ``call`` to its end with an async httpx client; await it for its result."""
    return drive_async(call, functools.partial(_attempt_async, http, max_bytes=max_bytes), sleep)


async def drive_async(
    call: Call[T],
    attempt: Callable[[PreparedRequest, float], Awaitable[Outcome]],
    sleep: AsyncSleep,
) -> T:
    """Drive ``call`` to its end with any async HTTP library's ``attempt(request, seconds)``;
    return its result.

    If the task is cancelled (or anything else stops it), the exception gets a note with the
    call's Idempotency-Key: the request may have gone out, and that key finishes it.
    """
    outcome: Outcome | Raised = None
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
            if isinstance(step, Send):
                outcome = await attempt(step.request, step.timeout)
            else:
                outcome = await step.run_async(attempt)
        except BaseException as error:
            stopped(error, key, call)
            raise
