"""``chargeapi.opentelemetry.OpenTelemetryMiddleware``: one span per call, one child span per
attempt, the trace context on the wire, the duration histogram; read with the OpenTelemetry
SDK's in-memory exporter and reader, over real loopback sockets on every backend."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import chargeapi
from chargeapi.opentelemetry import OpenTelemetryMiddleware
from chargeapi.testing import Simulator, SimulatorServer

from ._hostile import Connection
from .conftest import BACKENDS, backend_client, on_backend


class Telemetry:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.middleware = OpenTelemetryMiddleware(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def durations(self) -> list[Any]:
        """The data points of ``http.client.request.duration``."""
        data = self.reader.get_metrics_data()
        assert data is not None
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == "http.client.request.duration"
            for point in metric.data.data_points  # type: ignore[union-attr]
        ]


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    found = Telemetry()
    yield found
    found.tracer_provider.shutdown()
    found.meter_provider.shutdown()


async def _no_sleep(seconds: float) -> None:
    pass


def _client(backend: str, url: str, sim: Simulator, telemetry: Telemetry) -> chargeapi.Client:
    return chargeapi.Client(
        sim.api_key,
        base_url=url,
        async_backend="aiohttp" if backend == "aiohttp" else "httpx",
        middleware=[telemetry.middleware],
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
    )


def _secrets_absent(span: ReadableSpan, *secrets: str) -> None:
    for value in dict(span.attributes or {}).values():
        assert not any(secret in str(value) for secret in secrets), (span.name, value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_retried_create_is_one_call_span_with_three_attempt_spans(
    backend: str, sim: Simulator, server: SimulatorServer, telemetry: Telemetry
) -> None:
    sim.fail_next(503, times=2, retry_after=0)
    with _client(backend, server.url, sim, telemetry) as client:
        session = on_backend(
            backend, chargeapi.ChargingSession.create, **sim.sample_session_params(), client=client
        )
    key = session.last_response.idempotency_key  # type: ignore[union-attr]
    port = int(server.url.rsplit(":", 1)[1])

    spans = telemetry.spans()
    (call,) = [s for s in spans if s.name == "charging_sessions.create"]
    attempts = sorted(
        (s for s in spans if s.name == "POST /v1/charging_sessions"),
        key=lambda s: s.start_time or 0,
    )
    assert len(spans) == 4
    assert len(attempts) == 3
    assert call.kind is SpanKind.CLIENT
    assert call.parent is None
    assert dict(call.attributes or {}) == {
        "http.request.method": "POST",
        "server.address": "127.0.0.1",
        "server.port": port,
        "url.template": "/v1/charging_sessions",
        "chargeapi.operation": "charging_sessions.create",
        "http.response.status_code": 200,
        "chargeapi.request_id": session.last_response.request_id,  # type: ignore[union-attr]
        "chargeapi.outcome_unknown": False,
    }
    assert call.status.status_code is StatusCode.UNSET
    for number, (span, status) in enumerate(zip(attempts, [503, 503, 200], strict=True)):
        assert span.kind is SpanKind.CLIENT
        assert span.parent is not None
        assert span.parent.span_id == call.context.span_id
        assert span.context.trace_id == call.context.trace_id
        attributes = dict(span.attributes or {})
        assert attributes.pop("chargeapi.request_id").startswith("req_")
        expected: dict[str, Any] = {
            "http.request.method": "POST",
            "server.address": "127.0.0.1",
            "server.port": port,
            "url.template": "/v1/charging_sessions",
            "http.response.status_code": status,
        }
        if number:
            expected["http.request.resend_count"] = number
        if status >= 400:
            expected["error.type"] = str(status)
        assert attributes == expected
        assert span.status.status_code is (StatusCode.ERROR if status >= 400 else StatusCode.UNSET)
        _secrets_absent(span, sim.api_key, str(key))
    _secrets_absent(call, sim.api_key, str(key))

    # Each attempt carried its own span's context to the server.
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers["traceparent"] for r in posts] == [
        f"00-{span.context.trace_id:032x}-{span.context.span_id:016x}-"
        f"{int(span.context.trace_flags):02x}"
        for span in attempts
    ]

    points = telemetry.durations()
    assert sum(p.count for p in points) == 3
    by_status = {p.attributes["http.response.status_code"]: p.count for p in points}
    assert by_status == {503: 2, 200: 1}
    for point in points:
        assert point.attributes["url.template"] == "/v1/charging_sessions"
        assert "http.request.resend_count" not in point.attributes
        assert "chargeapi.request_id" not in point.attributes  # one per request: unbounded
        assert point.sum > 0


def _hanging(conn: Connection) -> None:
    conn.request()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_call_without_an_answer_is_an_error_span_whose_outcome_is_unknown(
    backend: str, hostile: Callable[[Any], str], telemetry: Telemetry
) -> None:
    client = backend_client(
        backend, hostile(_hanging), timeout=0.2, middleware=[telemetry.middleware]
    )
    with client, pytest.raises(chargeapi.APITimeoutError):
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)

    call, attempt = sorted(telemetry.spans(), key=lambda s: s.name)[::-1]
    assert call.name == "drivers.create"
    assert attempt.name == "POST /v1/drivers"
    assert attempt.attributes is not None
    assert attempt.attributes["error.type"] == "chargeapi.APITimeoutError"
    assert "http.response.status_code" not in attempt.attributes
    assert call.attributes is not None
    assert call.attributes["error.type"] == "chargeapi.APITimeoutError"
    assert call.attributes["chargeapi.outcome_unknown"] is True
    assert call.status.status_code is StatusCode.ERROR
    (point,) = telemetry.durations()
    assert point.attributes["error.type"] == "chargeapi.APITimeoutError"


def test_an_api_error_names_its_status_and_a_path_with_an_id_shows_its_template(
    sim: Simulator, server: SimulatorServer, telemetry: Telemetry
) -> None:
    with (
        _client("sync", server.url, sim, telemetry) as client,
        pytest.raises(chargeapi.NotFoundError) as caught,
    ):
        chargeapi.Driver.retrieve("drv_missing1", client=client)

    attempt, call = sorted(telemetry.spans(), key=lambda s: s.name)
    assert call.name == "drivers.retrieve"
    assert attempt.name == "GET /v1/drivers/{driver}"
    for span in (call, attempt):
        attributes = dict(span.attributes or {})
        assert attributes["url.template"] == "/v1/drivers/{driver}"
        assert attributes["error.type"] == "404"
        assert attributes["chargeapi.request_id"] == caught.value.request_id
        assert not any("drv_missing1" in str(v) for v in attributes.values())


class _FailingPropagator:
    """A text-map propagator whose inject fails (a broken custom or third-party one)."""

    fields: frozenset[str] = frozenset()

    def inject(self, carrier: Any, context: Any = None, setter: Any = None) -> None:
        raise RuntimeError("propagator broke")

    def extract(self, carrier: Any, context: Any = None, getter: Any = None) -> Any:
        return context


def test_a_propagator_that_fails_still_ends_every_span_and_restores_the_context(
    sim: Simulator, server: SimulatorServer, telemetry: Telemetry
) -> None:
    from opentelemetry import propagate, trace

    before = trace.get_current_span()
    previous = propagate.get_global_textmap()
    propagate.set_global_textmap(_FailingPropagator())  # type: ignore[arg-type]
    try:
        with _client("sync", server.url, sim, telemetry) as client, pytest.raises(RuntimeError):
            chargeapi.Driver.list(client=client)
    finally:
        propagate.set_global_textmap(previous)

    assert sorted(span.name for span in telemetry.spans()) == ["GET /v1/drivers", "drivers.list"]
    assert trace.get_current_span() is before


class _ReturnsAString(chargeapi.Middleware):
    def handle(self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext) -> Any:
        call_next(request)
        return "done"


def test_a_middleware_inside_it_that_returns_no_response_object_gets_the_chains_clear_error(
    sim: Simulator, server: SimulatorServer, telemetry: Telemetry
) -> None:
    client = chargeapi.Client(
        sim.api_key, base_url=server.url, middleware=[telemetry.middleware, _ReturnsAString()]
    )
    with client, pytest.raises(chargeapi.InvalidParameterError, match="must return the response"):
        chargeapi.Driver.list(client=client)

    assert sorted(span.name for span in telemetry.spans()) == ["GET /v1/drivers", "drivers.list"]


def test_loading_chargeapi_never_loads_opentelemetry() -> None:
    code = (
        "import json, sys, chargeapi; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'opentelemetry' or m == 'chargeapi.opentelemetry')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
