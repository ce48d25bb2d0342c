"""OpenTelemetry traces and metrics of chargeapi calls (``pip install 'chargeapi[opentelemetry]'``).

    from chargeapi.opentelemetry import OpenTelemetryMiddleware
    client = chargeapi.Client(middleware=[OpenTelemetryMiddleware()])

Each call is a CLIENT span named after its operation (``charging_sessions.create``), with one
child CLIENT span per attempt (``POST /v1/charging_sessions``) whose context goes to the server
in a ``traceparent`` header (the global propagator: W3C Trace Context unless you set another).
Every attempt records the ``http.client.request.duration`` histogram. Attributes follow the
OpenTelemetry HTTP client conventions, plus ``chargeapi.request_id`` and
``chargeapi.outcome_unknown``. ``url.full`` is left out (it holds object IDs and list filters):
``url.template`` is the documented path, never an ID. Neither the API key nor an idempotency key
is ever an attribute.

Only this module imports ``opentelemetry`` (the API package; install an SDK to export).
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from contextvars import Token
from types import TracebackType
from typing import Final
from urllib.parse import urlsplit

from opentelemetry import context, metrics, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._exceptions import APIStatusError
from ._middleware import (
    AsyncCallNext,
    CallNext,
    Middleware,
    MiddlewareCall,
    MiddlewareRequest,
    MiddlewareResponse,
)
from ._version import __version__

__all__ = ["OpenTelemetryMiddleware"]

_Attributes = dict[str, str | int | bool]
_CLIENT = SpanKind.CLIENT
_ERROR = Status(StatusCode.ERROR)
_perf_counter = time.perf_counter
_KNOWN_TARGETS = 256  # distinct (method, template, origin) kept; more are rare (raw_request)

#: The semantic conventions' advice for ``http.client.request.duration`` (seconds).
DURATION_BUCKETS: Final = (
    *(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75),
    *(1.0, 2.5, 5.0, 7.5, 10.0),
)


class OpenTelemetryMiddleware(Middleware):
    """Traces every call and attempt, and records their durations, with OpenTelemetry.

    ``tracer_provider`` and ``meter_provider`` default to the global ones (as set with
    ``opentelemetry.trace.set_tracer_provider``). Put it first in ``middleware=[...]`` so its
    attempt span covers what the other middleware do.
    """

    def __init__(
        self,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        self._tracer = trace.get_tracer("chargeapi", __version__, tracer_provider)
        meter = metrics.get_meter("chargeapi", __version__, meter_provider)
        self._duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )
        self._targets: dict[tuple[str, str | None, str], _Target] = {}
        self._by_operation: dict[tuple[str, str | None], _Target] = {}  # the last server's
        # The last call's (method, url, template) and target: its attempts find it by identity.
        self._last: tuple[str, str, str | None, _Target] = ("", "", None, _NO_TARGET)

    def around_call(self, call: MiddlewareCall) -> AbstractContextManager[None]:
        """The call's span, current while its attempts run (their spans are its children)."""
        target = self._target(call.method, call.url, call.url_template)
        attributes = target.for_call.get(call.operation)
        if attributes is None:
            attributes = target.for_call[call.operation] = {
                **target.attributes,
                "chargeapi.operation": call.operation,
            }
        span = self._tracer.start_span(call.operation, kind=_CLIENT, attributes=attributes)
        return _CallSpan(span, call)

    def handle(self, request: MiddlewareRequest, call_next: CallNext) -> MiddlewareResponse:
        span, token, target = self._start(request)
        try:
            started = _perf_counter()
            try:
                response = call_next(request)
            except BaseException as error:
                self._done(span, target, started, None, error)
                raise
            self._done(span, target, started, response, None)
            return response
        finally:
            context.detach(token)
            span.end()

    async def ahandle(
        self, request: MiddlewareRequest, call_next: AsyncCallNext
    ) -> MiddlewareResponse:
        span, token, target = self._start(request)
        try:
            started = _perf_counter()
            try:
                response = await call_next(request)
            except BaseException as error:
                self._done(span, target, started, None, error)
                raise
            self._done(span, target, started, response, None)
            return response
        finally:
            context.detach(token)
            span.end()

    def _target(self, method: str, url: str, template: str | None) -> _Target:
        """The attributes and names every attempt of this operation on this server shares,
        built once (the URL parsed once per server, not once per attempt)."""
        last = self._last  # one tuple, replaced whole: safe across threads
        if url is last[1] and method is last[0] and template is last[2]:
            return last[3]  # the call's own attempts: the very strings the call was made with
        found = self._by_operation.get((method, template))
        if found is None or not (found.prefix and url.startswith(found.prefix)):  # parse it
            end = url.find("/", url.find("//") + 2)
            origin = url if end < 0 else url[:end]
            key = (method, template, origin)
            found = self._targets.get(key)
            if found is None:
                if len(self._targets) >= _KNOWN_TARGETS:
                    self._targets.clear()
                    self._by_operation.clear()
                found = self._targets[key] = _Target(method, origin, template)
            self._by_operation[method, template] = found
        self._last = (method, url, template, found)
        return found

    def _start(
        self, request: MiddlewareRequest
    ) -> tuple[trace.Span, Token[context.Context], _Target]:
        """The attempt's span, made current, its context in the request's headers."""
        step = request._step
        sent = step.request
        target = self._target(sent.method, sent.url, step.call.url_template)
        attempt = step.attempt
        span = self._tracer.start_span(
            target.name,
            kind=_CLIENT,
            attributes={**target.attributes, "http.request.resend_count": attempt}
            if attempt
            else target.attributes,
            record_exception=False,
            set_status_on_exception=False,
        )
        current = trace.set_span_in_context(span)
        token = context.attach(current)
        try:
            propagate.inject(request.headers, current)
        except BaseException:  # a propagator that fails: the span still ends, the context too
            context.detach(token)
            span.end()
            raise
        return span, token, target

    def _done(
        self,
        span: trace.Span,
        target: _Target,
        started: float,
        response: MiddlewareResponse | None,
        error: BaseException | None,
    ) -> None:
        """What the attempt got, on its span and in the duration histogram."""
        elapsed = _perf_counter() - started
        if response is None:
            failed = _outcome(None, error)
            span.set_attributes(failed)
            if "error.type" in failed:
                span.set_status(_ERROR)
            self._duration.record(elapsed, {**target.attributes, **failed})
            return
        if not isinstance(response, MiddlewareResponse):  # an inner middleware's mistake:
            return  # the chain names it (InvalidParameterError), not an AttributeError here
        status: int = response._outcome.status_code
        request_id = response.request_id
        outcome: _Attributes = {"http.response.status_code": status}
        if request_id:
            outcome["chargeapi.request_id"] = request_id
        if status >= 400:
            outcome["error.type"] = str(status)
            span.set_attributes(outcome)
            span.set_status(_ERROR)
        else:
            span.set_attributes(outcome)
        measured = target.measured.get(status)
        if measured is None:
            measured = {**target.attributes, **outcome}
            measured.pop("chargeapi.request_id", None)
            target.measured[status] = measured
        self._duration.record(elapsed, measured)


class _Target:
    """One operation on one server: its attempt span's name and the attributes its spans and
    durations share (never changed once built: the SDK may keep them)."""

    __slots__ = ("attributes", "for_call", "measured", "name", "prefix")

    def __init__(self, method: str, origin: str, template: str | None) -> None:
        # What a URL on this server starts with (its origin, then its path's "/"); none for an
        # origin that is not scheme://host (its URLs are parsed every time).
        self.prefix = f"{origin}/" if "//" in origin else ""
        parts = urlsplit(origin)
        default = 443 if parts.scheme == "https" else 80
        self.attributes: _Attributes = {
            "http.request.method": method,
            "server.address": parts.hostname or "",
            "server.port": parts.port or default,
        }
        if template is not None:
            self.attributes["url.template"] = template
        self.name = f"{method} {template or ''}".rstrip()
        self.for_call: dict[str, _Attributes] = {}  # by operation
        self.measured: dict[int, _Attributes] = {}  # a duration's attributes, by status


_NO_TARGET = _Target("", "", None)  # what no call's identity matches


class _CallSpan(AbstractContextManager[None]):
    """``around_call``'s context: the call's span current while the call runs, its outcome
    set on it at the end."""

    __slots__ = ("_call", "_span", "_token")

    def __init__(self, span: trace.Span, call: MiddlewareCall) -> None:
        self._span = span
        self._call = call
        self._token: Token[context.Context] | None = None

    def __enter__(self) -> None:
        self._token = context.attach(trace.set_span_in_context(self._span))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            response = self._call.response
            if error is None and response is not None:  # the common case, built directly
                attributes: _Attributes = {"http.response.status_code": response.status_code}
                if request_id := response.request_id:
                    attributes["chargeapi.request_id"] = request_id
                attributes["chargeapi.outcome_unknown"] = False
                self._span.set_attributes(attributes)
            else:
                _ended(self._span, response, error)
        finally:
            self._span.end()
            if self._token is not None:
                context.detach(self._token)


def _outcome(response: MiddlewareResponse | None, error: BaseException | None) -> _Attributes:
    """What an attempt got, as attributes: its status (an error type from 400 up), or the
    error that stands for no answer."""
    attributes: _Attributes = {}
    if response is not None:
        attributes["http.response.status_code"] = response.status_code
        if response.request_id:
            attributes["chargeapi.request_id"] = response.request_id
        if response.status_code >= 400:
            attributes["error.type"] = str(response.status_code)
    elif error is not None:
        attributes["error.type"] = _type_name(error)
    return attributes


def _ended(
    span: trace.Span, response: MiddlewareResponse | None, error: BaseException | None
) -> None:
    """The call's outcome on its span: the last answer's status and request id, and for a
    call that raised, the error's type (an API error: its status) and outcome_unknown."""
    attributes: _Attributes = {}
    status = response.status_code if response is not None else None
    request_id = response.request_id if response is not None else None
    if isinstance(error, APIStatusError):
        status, request_id = error.status_code, error.request_id or request_id
    if status is not None:
        attributes["http.response.status_code"] = status
    if request_id:
        attributes["chargeapi.request_id"] = request_id
    if error is not None:
        attributes["error.type"] = (
            str(error.status_code) if isinstance(error, APIStatusError) else _type_name(error)
        )
        span.set_status(Status(StatusCode.ERROR))
    attributes["chargeapi.outcome_unknown"] = bool(getattr(error, "outcome_unknown", False))
    span.set_attributes(attributes)


def _type_name(error: BaseException) -> str:
    kind = type(error)
    return f"{kind.__module__}.{kind.__qualname__}"
