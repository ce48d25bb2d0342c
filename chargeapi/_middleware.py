"""Middleware: your code around every attempt of every call, on every backend.

``Client(middleware=[...])`` takes objects with ``handle(request, call_next)`` (sync calls)
and ``async ahandle(request, call_next)`` (async calls); ``around_call(call)`` may return a
context manager that spans the whole call (its attempts, the waits between them, the error
it raises). The first middleware is the outermost.

How it fits the sans-I/O core: with middleware, the call loop (``_call``) yields a ``Through``
step instead of ``Send``. The shells answer it by handing it their attempt function
(``run_sync`` / ``run_async``); it runs the chain around one attempt and hands back the wire
outcome, so the retry decisions stay in the call loop and the shells know nothing of
middleware. A middleware's exception comes back as ``Raised``: the call stops and raises it.

What a middleware sees never holds the API key: the ``Authorization`` header is kept out of
``request.headers`` and added after the chain. It may add or change headers, but not those
the SDK owns (the key, the Idempotency-Key, the retry count, the framing headers).
"""

from __future__ import annotations

import contextlib
import inspect
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar, cast

from ._exceptions import InvalidParameterError
from ._extras import check_headers
from ._request import PreparedRequest, RedactedHeaders
from ._validate import _HEADER_SAFE, check_header_value

if TYPE_CHECKING:
    from ._call import Call, Outcome, Raised
    from ._request import RequestSpec

__all__ = [
    "AsyncCallNext",
    "CallNext",
    "Chain",
    "Middleware",
    "MiddlewareCall",
    "MiddlewareRequest",
    "MiddlewareResponse",
    "Through",
]

T = TypeVar("T")
_AUTHORIZATION = "authorization"


class MiddlewareCall:
    """One call (an operation, with all its attempts), as ``around_call`` sees it.

    ``attempts`` counts the attempts sent so far and ``response`` is the last one's answer
    (None while no answer came); both change as the call goes on.
    """

    __slots__ = (
        "_chain",
        "_fixed",
        "attempts",
        "idempotency_key",
        "method",
        "operation",
        "response",
        "url",
        "url_template",
    )

    def __init__(
        self,
        chain: Chain,
        request: PreparedRequest,
        spec: RequestSpec,
        fixed: Mapping[str, str] | None,
    ) -> None:
        #: ``charging_sessions.create``; ``raw_request`` for ``Client.raw_request``.
        self.operation: str = spec.operation or "raw_request"
        #: The HTTP method.
        self.method: str = request.method
        #: The URL of the first attempt (page follow-ups are calls of their own).
        self.url: str = request.url
        #: The documented path template (``/v1/charging_sessions/{charging_session}``), never
        #: an ID; None for a ``raw_request`` to a path the SDK does not know.
        self.url_template: str | None = spec.template
        #: The Idempotency-Key every attempt of a POST carries; None for other methods.
        self.idempotency_key: str | None = request.idempotency_key
        #: Attempts sent so far.
        self.attempts: int = 0
        #: The answer to the last attempt that got one.
        self.response: MiddlewareResponse | None = None
        self._chain = chain
        self._fixed = fixed  # the Client's own headers, when the request relies on them

    def __repr__(self) -> str:
        return f"<MiddlewareCall {self.operation} attempts={self.attempts}>"


class _Headers(MutableMapping[str, str]):
    """Request headers whose names compare case-insensitively and keep the case given.

    The copy of the request's headers is made on first read: a middleware that only sets
    headers (as tracing does, to pass its context on) never pays for it."""

    __slots__ = ("_added", "_items", "_shown", "_sources", "changed")

    def __init__(self, sources: tuple[Mapping[str, str] | None, ...]) -> None:
        self._sources = sources  # the Client's fixed headers, then the request's own
        self._items: dict[str, tuple[str, str]] | None = None  # lower name -> (name, value)
        self._shown: dict[str, tuple[str, str]] = {}  # as first shown, to check what changed
        self._added: dict[str, tuple[str, str]] = {}  # set before anything was read
        self.changed = False  # set or deleted anything: what was sent is compared then

    def _all(self) -> dict[str, tuple[str, str]]:
        if self._items is None:
            items: dict[str, tuple[str, str]] = {}
            for source in self._sources:
                if source:
                    for name, value in source.items():
                        lower = name.lower()
                        if lower != _AUTHORIZATION:
                            items[lower] = (name, value)
            self._shown = dict(items)
            items.update(self._added)
            self._items = items
        return self._items

    def shown(self, lower: str) -> tuple[str, str] | None:
        """The header first shown under this (lower-case) name, if any."""
        if self._items is not None:
            return self._shown.get(lower)
        found = None
        if lower != _AUTHORIZATION:
            for source in self._sources:
                for name, value in (source or {}).items():
                    if name.lower() == lower:
                        found = (name, value)
        return found

    def __getitem__(self, name: str) -> str:
        return self._all()[name.lower()][1]

    def __setitem__(self, name: str, value: str) -> None:
        items = self._added if self._items is None else self._items
        items[name.lower()] = (name, value)
        self.changed = True

    def __delitem__(self, name: str) -> None:
        del self._all()[name.lower()]
        self.changed = True

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._all()

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._all().values())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return f"Headers({dict(self._all().values())!r})"


class MiddlewareRequest:
    """One attempt's request, as a middleware sees it. Only ``headers`` can be changed."""

    __slots__ = ("_call", "_headers", "_step")

    def __init__(self, step: Through) -> None:
        self._step = step
        self._call = step.call
        # Made when a middleware first asks for ``headers`` (most only hand the request on).
        self._headers: _Headers | None = None

    @property
    def method(self) -> str:
        """``GET``, ``POST`` or ``DELETE``."""
        return self._step.request.method

    @property
    def url(self) -> str:
        """The full URL, query included."""
        return self._step.request.url

    @property
    def headers(self) -> MutableMapping[str, str]:
        """The request's headers (names compare case-insensitively), without the API key;
        add or change your own here before ``call_next``."""
        if self._headers is None:
            self._headers = _Headers((self._call._fixed, self._step.request.headers))
        return self._headers

    @property
    def operation(self) -> str:
        """``charging_sessions.create``; ``raw_request`` for ``Client.raw_request``."""
        return self._call.operation

    @property
    def url_template(self) -> str | None:
        """The documented path template, never an ID (None: a path the SDK does not know)."""
        return self._call.url_template

    @property
    def attempt(self) -> int:
        """0 for the first attempt, 1 for the first retry ..."""
        return self._step.attempt

    @property
    def idempotency_key(self) -> str | None:
        """The Idempotency-Key of a POST (the same on every attempt); None otherwise."""
        return self._step.request.idempotency_key

    @property
    def timeout(self) -> float:
        """The seconds this attempt may take (the Client's timeout, or less near a deadline)."""
        return self._step.timeout

    def __repr__(self) -> str:
        return f"<MiddlewareRequest {self.operation} attempt={self.attempt} {self.method}>"


class MiddlewareResponse:
    """The answer to one attempt, whatever its status (a 503 too): what ``call_next`` returns.

    Return it (or the one a later ``call_next`` returned) from ``handle``: the SDK decides from
    it whether to retry, and decodes it or raises the error it stands for.
    """

    __slots__ = ("_outcome", "_request_id", "_request_id_read", "elapsed")

    def __init__(self, outcome: Any, elapsed: float) -> None:
        self._outcome = outcome
        self._request_id: str | None = None
        self._request_id_read = False  # looked up once: tracing reads it per attempt and call
        #: Seconds from sending the request to having read the whole answer.
        self.elapsed: float = elapsed

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        status: int = self._outcome.status_code
        return status

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers, looked up case-insensitively."""
        headers: Mapping[str, str] = self._outcome.headers
        return headers

    @property
    def request_id(self) -> str | None:
        """The request's id, to quote to ChargeAPI's support: an error body's ``request``
        (where the docs put it), else the ``Request-Id`` header."""
        if not self._request_id_read:
            self._request_id = _core()[2](self._outcome)
            self._request_id_read = True
        return self._request_id

    def __repr__(self) -> str:
        return f"<MiddlewareResponse {self.status_code} elapsed={self.elapsed:.3f}>"


#: ``call_next`` of ``handle``: the rest of the chain, then the attempt itself.
CallNext = Callable[[MiddlewareRequest], MiddlewareResponse]
#: ``call_next`` of ``ahandle``.
AsyncCallNext = Callable[[MiddlewareRequest], Awaitable[MiddlewareResponse]]


class Middleware:
    """A base class for middleware; each method's default passes the call through.

    Override ``handle`` for sync calls and ``ahandle`` for async ones (a class that overrides
    only one leaves the other kind of call alone), and ``around_call`` for code around the
    whole call. ``call_next(request)`` returns the attempt's response for any HTTP status, or
    raises the attempt's error when there was no answer (``APIConnectionError``,
    ``APITimeoutError``); let that error through, and the SDK retries as usual. An exception
    your middleware raises stops the call: nothing more is attempted and it reaches the caller
    as itself, with the call's idempotency key noted on it.
    """

    def handle(self, request: MiddlewareRequest, call_next: CallNext) -> MiddlewareResponse:
        """Run around one attempt of a sync call."""
        return call_next(request)

    async def ahandle(
        self, request: MiddlewareRequest, call_next: AsyncCallNext
    ) -> MiddlewareResponse:
        """Run around one attempt of an async call."""
        return await call_next(request)

    def around_call(self, call: MiddlewareCall) -> AbstractContextManager[object] | None:
        """A context manager to enter before the call's first attempt and exit when the call
        ends (returning, or raising the error the caller gets), or None. It runs in the call
        loop, sync or async alike: it must not block."""
        return None


class SyncMiddleware(Protocol):
    """Any object with a ``handle`` method, as ``Middleware`` has."""

    def handle(self, request: MiddlewareRequest, call_next: CallNext, /) -> MiddlewareResponse:
        """Run around one attempt of a sync call."""
        ...


class AsyncMiddleware(Protocol):
    """Any object with an async ``ahandle`` method, as ``Middleware`` has."""

    async def ahandle(
        self, request: MiddlewareRequest, call_next: AsyncCallNext, /
    ) -> MiddlewareResponse:
        """Run around one attempt of an async call."""
        ...


MiddlewareLike = Middleware | SyncMiddleware | AsyncMiddleware
_Handle = Callable[[MiddlewareRequest, CallNext], MiddlewareResponse]
_AsyncHandle = Callable[[MiddlewareRequest, AsyncCallNext], Awaitable[MiddlewareResponse]]
_Around = Callable[[MiddlewareCall], AbstractContextManager[object] | None]


_Core = tuple[
    Callable[["Outcome", PreparedRequest, int, float], Exception],
    "type[Raised]",
    Callable[[Any], "str | None"],
]
_core_found: _Core | None = None


def _core() -> _Core:
    """``attempt_error``, ``Raised`` and ``request_id`` of ``_call`` (which imports this
    module), looked up on first use and kept: an import statement in a function runs the
    import machinery on every call."""
    global _core_found  # noqa: PLW0603 - set once
    if _core_found is None:
        from ._call import Raised, attempt_error, request_id  # noqa: PLC0415 - see above

        _core_found = (attempt_error, Raised, request_id)
    return _core_found


def _own(middleware: object, name: str) -> Any:
    """``middleware.<name>`` unless it is missing or ``Middleware``'s pass-through."""
    method = getattr(middleware, name, None)
    if method is None or getattr(method, "__func__", None) is getattr(Middleware, name):
        return None
    return method


class Chain:
    """A Client's middleware, checked once, as the bound methods each kind of call runs."""

    __slots__ = ("around", "async_handlers", "fixed_names", "middleware", "sync_handlers")

    def __init__(self, middleware: tuple[MiddlewareLike, ...]) -> None:
        self.middleware: tuple[MiddlewareLike, ...] = middleware
        # The lower-case names of the last fixed headers seen (a Client's, the same mapping on
        # every call), for a header a middleware adds: one tuple, replaced whole.
        self.fixed_names: tuple[Mapping[str, str] | None, frozenset[str]] = (None, frozenset())
        self.sync_handlers: tuple[_Handle, ...] = tuple(
            h for m in middleware if (h := _own(m, "handle")) is not None
        )
        self.async_handlers: tuple[_AsyncHandle, ...] = tuple(
            h for m in middleware if (h := _own(m, "ahandle")) is not None
        )
        self.around: tuple[_Around, ...] = tuple(
            h for m in middleware if (h := _own(m, "around_call")) is not None
        )

    @classmethod
    def of(cls, value: object) -> tuple[tuple[MiddlewareLike, ...], Chain | None]:
        """``Client(middleware=...)`` checked, and its chain: None when there is nothing to
        run (no middleware, or only pass-throughs), so calls run exactly as without it."""
        if value is None:
            return (), None
        kind = type(value).__name__
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise InvalidParameterError(
                f"middleware must be a list of middleware objects, got {kind}",
                param="middleware",
            )
        items = tuple(cast("Sequence[object]", value))
        for item in items:
            _check(item)
        middleware = cast("tuple[MiddlewareLike, ...]", items)
        chain = cls(middleware)
        if not (chain.sync_handlers or chain.async_handlers or chain.around):
            return middleware, None
        return middleware, chain

    def call(
        self, request: PreparedRequest, spec: RequestSpec, fixed: Mapping[str, str] | None
    ) -> MiddlewareCall:
        return MiddlewareCall(self, request, spec, fixed)


def _check(item: object) -> None:
    name = type(item).__name__
    handle, ahandle = getattr(item, "handle", None), getattr(item, "ahandle", None)
    around = getattr(item, "around_call", None)
    if not any(callable(m) for m in (handle, ahandle, around)):
        raise InvalidParameterError(
            f"middleware must have a handle(request, call_next) method (sync calls) or an "
            f"async ahandle(request, call_next) method (async calls); {name} has neither",
            param="middleware",
        )
    if handle is not None and inspect.iscoroutinefunction(handle):
        raise InvalidParameterError(
            f"{name}.handle is async: name it ahandle (handle serves sync calls)",
            param="middleware",
        )
    if ahandle is not None and not inspect.iscoroutinefunction(ahandle):
        raise InvalidParameterError(
            f"{name}.ahandle must be an async def (it serves async calls; handle serves sync ones)",
            param="middleware",
        )


def around(call: Call[T], info: MiddlewareCall) -> Call[T]:
    """``call`` inside every ``around_call`` context of the chain, outermost first."""
    hooks = info._chain.around
    if len(hooks) == 1:  # the common case, without an ExitStack
        manager = hooks[0](info)
        if manager is None:
            return (yield from call)
        with manager:
            return (yield from call)
    with contextlib.ExitStack() as stack:
        for hook in info._chain.around:
            manager = hook(info)
            if manager is not None:
                stack.enter_context(manager)
        return (yield from call)


class _Attempt:
    """The innermost ``call_next``: the request back into a PreparedRequest (the key added),
    the shell's attempt, and its outcome as a response, or raised as the attempt's error."""

    __slots__ = ("error", "outcome", "send", "sent", "started", "step")

    def __init__(self, step: Through, send: Callable[[PreparedRequest, float], Any]) -> None:
        self.step = step
        self.send = send  # the shell's attempt
        self.outcome: Outcome = None  # what the wire gave, once sent
        self.error: BaseException | None = None
        self.sent: PreparedRequest | None = None
        self.started = 0.0

    def __call__(self, request: MiddlewareRequest) -> MiddlewareResponse:
        """The sync chain's last ``call_next``."""
        return self.after(self.send(self.before(request), self.step.timeout))

    async def call_async(self, request: MiddlewareRequest) -> MiddlewareResponse:
        """The async chain's last ``call_next``."""
        return self.after(await self.send(self.before(request), self.step.timeout))

    def before(self, request: object) -> PreparedRequest:
        if not isinstance(request, MiddlewareRequest) or request._step is not self.step:
            raise InvalidParameterError(
                "call_next must be given the request the middleware was given, got "
                f"{type(request).__name__}",
                param="middleware",
            )
        original = self.step.request
        headers = _sent_headers(request, original)
        # Unchanged headers: the request itself goes out (nothing to rebuild).
        if headers is not original.headers:
            original = PreparedRequest(
                original.method, original.url, headers, original.content, original.idempotency_key
            )
        self.sent = original
        self.started = time.monotonic()
        return self.sent

    def after(self, outcome: Outcome) -> MiddlewareResponse:
        elapsed = time.monotonic() - self.started
        self.outcome = outcome
        call = self.step.call
        call.attempts += 1
        if outcome is not None and hasattr(outcome, "headers"):
            response = call.response = MiddlewareResponse(outcome, elapsed)
            return response
        assert self.sent is not None
        self.error = _core()[0](outcome, self.sent, self.step.attempt, self.step.timeout)
        raise self.error

    def settle(self, response: object, error: Exception | None) -> Outcome | Raised:
        """What the call loop gets: the wire outcome, or a middleware's own exception."""
        if error is None and type(response) is MiddlewareResponse:  # the common case
            outcome: Outcome = response._outcome
            return outcome
        raised = _core()[1]
        if error is not None:
            return self.outcome if error is self.error else raised(error, self.outcome)
        if isinstance(response, MiddlewareResponse):
            outcome = response._outcome
            return outcome
        problem = InvalidParameterError(
            "middleware must return the response call_next returned, got "
            f"{type(response).__name__}",
            param="middleware",
        )
        return raised(problem, self.outcome)


def _sent_headers(request: MiddlewareRequest, original: PreparedRequest) -> RedactedHeaders:
    """The request's own headers (with the key, when the request carries it: through a client
    you passed in, or a key given to ``with_options``) and what the middleware changed in them,
    checked. The Client's fixed headers still go out as its HTTP client's defaults."""
    headers = request._headers
    if headers is None or not headers.changed:  # as they were
        return original.headers
    if headers._items is None:  # only set, never read (tracing's traceparent): only added?
        sent = _added_headers(headers, original.headers, request._call._chain)
        if sent is not None:
            return sent
        changed = {
            name: value
            for lower, (name, value) in headers._added.items()
            if headers.shown(lower) != (name, value)
        }
        removed: list[str] = []
    else:
        shown, now = headers._shown, headers._items
        changed = {
            name: value for lower, (name, value) in now.items() if shown.get(lower) != (name, value)
        }
        removed = [shown[lower][0] for lower in shown if lower not in now]
    if changed:  # names the SDK owns are refused, and every value is checked
        check_headers("middleware", {name: value for name, value in changed.items()})
    if removed:  # nor can those it owns be removed
        check_headers("middleware", {name: "-" for name in removed})
    if not changed and not removed:
        return original.headers
    gone = {name.lower() for name in (*changed, *removed)}
    sent = RedactedHeaders((k, v) for k, v in original.headers.items() if k.lower() not in gone)
    sent.update(changed)
    return sent


# Header names checked once: none the SDK owns, all well formed. Kept as spelled, since a
# non-ASCII name can lowercase onto a checked one ("\u212a-Foo" onto "k-foo").
_FREE_NAMES: set[str] = set()
_MAX_FREE_NAMES = 64


def _added_headers(headers: _Headers, own: RedactedHeaders, chain: Chain) -> RedactedHeaders | None:
    """The request's headers with the ones a middleware set, when each is a name the request
    does not carry (in any case); None otherwise. Each value is checked every time."""
    fixed = headers._sources[0]
    cached, fixed_lower = chain.fixed_names
    if cached is not fixed:
        fixed_lower = frozenset(name.lower() for name in fixed or ())
        chain.fixed_names = (fixed, fixed_lower)
    sent = RedactedHeaders(own)
    for lower, (name, value) in headers._added.items():
        if lower != _AUTHORIZATION:  # the request carries it: a change, compared as such
            if lower in fixed_lower:
                return None
            for carried in own:
                if carried.lower() == lower:
                    return None
        if name not in _FREE_NAMES:
            check_headers("middleware", {name: value})
            if len(_FREE_NAMES) < _MAX_FREE_NAMES:
                _FREE_NAMES.add(name)
        elif type(value) is not str:
            return None
        elif not (value and _HEADER_SAFE.fullmatch(value) and value[0] != " " != value[-1]):
            check_header_value("middleware", value, named=f"middleware[{name!r}]")  # raises
        sent[name] = value
    return sent


class Through(NamedTuple):
    """The call loop's step for one attempt through the middleware chain."""

    request: PreparedRequest
    timeout: float
    attempt: int
    call: MiddlewareCall

    def run_sync(self, send: Callable[[PreparedRequest, float], Outcome]) -> Outcome | Raised:
        """Run the sync chain around ``send`` (the shell's attempt)."""
        attempt = _Attempt(self, send)
        call_next: CallNext = attempt
        handlers = self.call._chain.sync_handlers
        if len(handlers) > 1:
            for handler in reversed(handlers[1:]):
                call_next = _link(handler, call_next)
        try:
            request = MiddlewareRequest(self)
            response = handlers[0](request, call_next) if handlers else call_next(request)
        except Exception as error:
            return attempt.settle(None, error)
        return attempt.settle(response, None)

    async def run_async(
        self, send: Callable[[PreparedRequest, float], Awaitable[Outcome]]
    ) -> Outcome | Raised:
        """Run the async chain around ``send``."""
        attempt = _Attempt(self, send)
        call_next: AsyncCallNext = attempt.call_async
        handlers = self.call._chain.async_handlers
        if len(handlers) > 1:
            for handler in reversed(handlers[1:]):
                call_next = _link_async(handler, call_next)
        try:
            request = MiddlewareRequest(self)
            response = await (handlers[0](request, call_next) if handlers else call_next(request))
        except Exception as error:
            return attempt.settle(None, error)
        return attempt.settle(response, None)


def _link(handler: _Handle, call_next: CallNext) -> CallNext:
    return lambda request: handler(request, call_next)


def _link_async(handler: _AsyncHandle, call_next: AsyncCallNext) -> AsyncCallNext:
    return lambda request: handler(request, call_next)
