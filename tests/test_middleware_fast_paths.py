"""A header a middleware only sets, and OpenTelemetry's spans, take shortcuts on the common path
(names the request carries looked up once per Client, a value checked inline, a call's attempts
finding its attributes by identity). These tests pin that the shortcuts answer as the full checks
do: on clients whose fixed headers differ, for values the full check refuses, and for calls of
different operations in flight at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import chargeapi
from chargeapi.opentelemetry import OpenTelemetryMiddleware
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import BACKENDS, on_backend


class SetHeader(chargeapi.Middleware):
    """Sets ``name`` to ``value`` on every attempt, sync and async."""

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers[self.name] = self.value
        return call_next(request)

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers[self.name] = self.value
        return await call_next(request)


def _client(backend: str, sim: Simulator, url: str, **options: Any) -> chargeapi.Client:
    return chargeapi.Client(
        sim.api_key,
        base_url=url,
        async_backend="aiohttp" if backend == "aiohttp" else "httpx",
        max_retries=0,
        **options,
    )


def _create_drivers_in_turn(
    backend: str, first: chargeapi.Client, second: chargeapi.Client, prefix: str
) -> None:
    """Four driver creates, on ``first`` and ``second`` in turn."""
    for number, client in enumerate([first, second, first, second]):
        on_backend(
            backend,
            chargeapi.Driver.create,
            email=f"{prefix}{number}@example.com",
            name=prefix.upper(),
            client=client,
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_set_header_is_replaced_or_added_by_each_clients_own_headers_in_turn(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    """One middleware on two clients, one whose default headers carry the name (in another
    case) and one without it, called in turn: a replacement on the first, an addition on the
    second, every time."""
    sets = SetHeader("x-team", "from-middleware")
    carrying = _client(
        backend, sim, server.url, default_headers={"X-Team": "default"}, middleware=[sets]
    )
    plain = _client(backend, sim, server.url, middleware=[sets])
    with carrying, plain:
        _create_drivers_in_turn(backend, carrying, plain, "d")

    posts = [r for r in sim.requests if r.method == "POST"]
    sent = [[v for k, v in r.headers.items() if k.lower() == "x-team"] for r in posts]
    assert sent == [["from-middleware"]] * 4


@pytest.mark.parametrize(
    ("bad", "match"),
    [(" padded", "must not start or end with whitespace"), ("caf\u00e9", "not allowed")],
    ids=["leading-space", "non-ascii"],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_set_value_the_full_check_refuses_is_refused_after_a_good_one(
    backend: str, bad: str, match: str, sim: Simulator, server: SimulatorServer
) -> None:
    """The same name, a good value first (the name is then known), then one the full value
    check refuses: refused as it would be the first time, and never sent."""
    good, refused = SetHeader("X-Note", "fine"), SetHeader("X-Note", bad)
    with _client(backend, sim, server.url, middleware=[good]) as client:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)
        with pytest.raises(chargeapi.InvalidParameterError, match=match) as caught:
            on_backend(
                backend,
                chargeapi.Driver.create,
                email="b@example.com",
                name="B",
                client=client.with_options(middleware=[refused]),
            )
    assert caught.value.param == "middleware"
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers.get("x-note") for r in posts] == ["fine"]


@pytest.mark.parametrize("backend", ["httpx", "aiohttp"])
def test_calls_of_different_operations_in_flight_at_once_each_get_their_own_attributes(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    """Creates and retrieves interleaved on one event loop, through one middleware: every
    attempt span is named after, and carries the template of, its own call's operation."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = _client(
        backend, sim, server.url, middleware=[OpenTelemetryMiddleware(tracer_provider=provider)]
    )
    driver = on_backend(
        backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client
    )

    async def run() -> None:
        async with client:
            await asyncio.gather(
                *(
                    chargeapi.Driver.create_async(
                        email=f"n{i}@example.com", name="N", client=client
                    )
                    if i % 2
                    else chargeapi.Driver.retrieve_async(driver.id, client=client)
                    for i in range(8)
                )
            )

    asyncio.run(run())
    provider.shutdown()
    spans = exporter.get_finished_spans()
    calls = {s.context.span_id: s for s in spans if s.parent is None}
    attempts = [s for s in spans if s.parent is not None]
    assert len(calls) == len(attempts) == 9
    expected = {
        "drivers.create": ("POST /v1/drivers", "POST", "/v1/drivers"),
        "drivers.retrieve": ("GET /v1/drivers/{driver}", "GET", "/v1/drivers/{driver}"),
    }
    for attempt in attempts:
        assert attempt.parent is not None
        call = calls[attempt.parent.span_id]
        name, method, template = expected[call.name]
        attributes = dict(attempt.attributes or {})
        assert (attempt.name, attributes["http.request.method"], attributes["url.template"]) == (
            name,
            method,
            template,
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_middleware_on_two_servers_in_turn_names_each_calls_own_server(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    """The same operation through one middleware, on two origins in turn (the server by its
    address and by name): every span names the server its own call went to."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    middleware = OpenTelemetryMiddleware(tracer_provider=provider)
    port = int(server.url.rsplit(":", 1)[1])
    by_name = f"http://localhost:{port}"
    with (
        _client(backend, sim, server.url, middleware=[middleware]) as by_address,
        _client(backend, sim, by_name, middleware=[middleware]) as named,
    ):
        _create_drivers_in_turn(backend, by_address, named, "s")
    provider.shutdown()
    spans = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
    calls = [s for s in spans if s.parent is None]
    assert [dict(s.attributes or {})["server.address"] for s in calls] == [
        "127.0.0.1",
        "localhost",
        "127.0.0.1",
        "localhost",
    ]
    for span in spans:
        parent = (
            span
            if span.parent is None
            else next(
                c
                for c in calls
                if c.context.span_id == span.parent.span_id  # type: ignore[union-attr]
            )
        )
        assert (
            dict(span.attributes or {})["server.address"]
            == dict(parent.attributes or {})["server.address"]
        )
        assert dict(span.attributes or {})["server.port"] == port
