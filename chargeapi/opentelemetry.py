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

import contextlib
import time
from collections.abc import Callable, Generator
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
# How an attempt's span learns what the attempt got: its answer, or the error call_next raised.
_Done = Callable[["MiddlewareResponse | None", "BaseException | None"], None]

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

    @contextlib.contextmanager
    def around_call(self, call: MiddlewareCall) -> Generator[None]:
        """The call's span, current while its attempts run (their spans are its children)."""
        attributes = _target(call.method, call.url, call.url_template)
        attributes["chargeapi.operation"] = call.operation
        span = self._tracer.start_span(call.operation, kind=SpanKind.CLIENT, attributes=attributes)
        token = context.attach(trace.set_span_in_context(span))
        try:
            yield
        except BaseException as error:
            _ended(span, call.response, error)
            raise
        else:
            _ended(span, call.response, None)
        finally:
            span.end()
            context.detach(token)

    def handle(self, request: MiddlewareRequest, call_next: CallNext) -> MiddlewareResponse:
        with self._attempt(request) as done:
            try:
                response = call_next(request)
            except BaseException as error:
                done(None, error)
                raise
            done(response, None)
            return response

    async def ahandle(
        self, request: MiddlewareRequest, call_next: AsyncCallNext
    ) -> MiddlewareResponse:
        with self._attempt(request) as done:
            try:
                response = await call_next(request)
            except BaseException as error:
                done(None, error)
                raise
            done(response, None)
            return response

    @contextlib.contextmanager
    def _attempt(self, request: MiddlewareRequest) -> Generator[_Done]:
        """The attempt's span, current while it runs, its context in the request's headers."""
        attributes = _target(request.method, request.url, request.url_template)
        if request.attempt:
            attributes["http.request.resend_count"] = request.attempt
        name = f"{request.method} {request.url_template or ''}".rstrip()
        with self._tracer.start_as_current_span(
            name,
            kind=SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            propagate.inject(request.headers)
            started = time.perf_counter()

            def done(response: MiddlewareResponse | None, error: BaseException | None) -> None:
                measured = dict(attributes)
                measured.pop("http.request.resend_count", None)
                outcome = _outcome(response, error)
                span.set_attributes(outcome)
                if "error.type" in outcome:
                    span.set_status(Status(StatusCode.ERROR))
                measured.update((k, v) for k, v in outcome.items() if k != "chargeapi.request_id")
                self._duration.record(time.perf_counter() - started, measured)

            yield done


def _target(method: str, url: str, template: str | None) -> _Attributes:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    attributes: _Attributes = {
        "http.request.method": method,
        "server.address": parts.hostname or "",
        "server.port": parts.port or default,
    }
    if template is not None:
        attributes["url.template"] = template
    return attributes


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
