"""Per-call overhead: SDK calls against raw httpx on the same in-process transport.

Both sides of a group use one ``httpx.Client`` (or ``AsyncClient``) on one ``MockTransport``
that returns the seed session from precomputed bytes: no sockets, so what is left is httpx plus
whatever the SDK adds. Before timing, both are checked to put the same method, URL, JSON body
and header names on the wire and to return the seed session.
"""

from __future__ import annotations

import asyncio
import functools
import json
import statistics
from collections.abc import Coroutine
from typing import Any

import httpx

import chargeapi

from ._fixtures import (
    API,
    KEY,
    RAW_HEADERS,
    RAW_POST_HEADERS,
    SEED_REQUEST,
    SEED_RESPONSE,
    SESSION_ID,
    handler,
)
from ._harness import Contender, Group, interleave, loop_async, loop_call

CREATE_TARGET, CREATE_BOUND = 1.10, 1.11
OTEL_OWN_TARGET_US = 10.0  # OpenTelemetryMiddleware's cost beyond opentelemetry-sdk's own
URL = f"{API}/v1/charging_sessions"


def sdk_client(transport: httpx.BaseTransport) -> chargeapi.Client:
    """A Client whose own sync httpx client (fixed headers set on it, as in real use) sends
    through ``transport``: the one internal the bench touches."""
    client = chargeapi.Client(KEY, base_url=API)
    client._sync_http()._transport = transport
    return client


async def own_async_client_on(
    client: chargeapi.Client, transport: httpx.AsyncBaseTransport
) -> None:
    """``client``'s own async httpx client of the running event loop (fixed headers set on
    it, as in real use) sends through ``transport``: the same one internal as ``sdk_client``."""
    owned = await client._pools.async_http(client._httpx_timeout)
    owned._transport = transport  # type: ignore[union-attr]


def bench_create(rounds: int, target_ns: int) -> Group:
    """Sync ``create()`` vs ``httpx.Client.post(json=).json()``: the guarded overhead ratio.

    Both clients carry the fixed headers (key, version, agent, accept) as client defaults; the
    raw post adds its Idempotency-Key per request, as the SDK does.
    """
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    client = sdk_client(transport)
    passed_in = httpx.Client(transport=transport)
    client_passed = chargeapi.Client(KEY, base_url=API, http_client=passed_in)
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}
    try:
        check_same_requests()
        sdk_create = functools.partial(
            chargeapi.ChargingSession.create, **SEED_REQUEST, client=client
        )
        sdk_passed = functools.partial(
            chargeapi.ChargingSession.create, **SEED_REQUEST, client=client_passed
        )

        def raw_create() -> Any:
            return http.post(URL, json=SEED_REQUEST, headers=key).json()

        assert raw_create() == SEED_RESPONSE
        assert sdk_create() == chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert sdk_passed() == sdk_create()
        return interleave(
            "create (sync)",
            Contender("raw httpx.Client.post(json=).json()", loop_call(raw_create)),
            [
                Contender(
                    "ChargingSession.create()",
                    loop_call(sdk_create),
                    CREATE_TARGET,
                    CREATE_BOUND,
                ),
                Contender("  same, on a passed-in http_client", loop_call(sdk_passed)),
            ],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        client.close()
        client_passed.close()
        passed_in.close()
        http.close()


class PassThrough(chargeapi.Middleware):
    """The cheapest middleware that runs: it hands each attempt on."""

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        return call_next(request)


def bench_middleware(rounds: int, target_ns: int) -> Group:
    """What the middleware chain and the retry budget cost a sync ``create()``: the plain
    client (budget on, no middleware) against the same with ``middleware=[]`` (the empty chain:
    the issue's bound, under 2 %), with one pass-through middleware, and with the budget off."""
    transport = httpx.MockTransport(handler)
    client = sdk_client(transport)
    empty = client.with_options(middleware=[])
    one = client.with_options(middleware=[PassThrough()])
    unbudgeted = client.with_options(retry_budget=False)

    def create(on: chargeapi.Client) -> Any:
        return functools.partial(chargeapi.ChargingSession.create, **SEED_REQUEST, client=on)

    try:
        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        for each in (client, empty, one, unbudgeted):
            assert create(each)() == expected
        return interleave(
            "create (sync): middleware and retry budget",
            Contender("ChargingSession.create(), default Client", loop_call(create(client))),
            [
                Contender("  middleware=[] (empty chain)", loop_call(create(empty)), 1.02),
                Contender("  one pass-through middleware", loop_call(create(one))),
                Contender("  retry_budget=False", loop_call(create(unbudgeted))),
            ],
            rounds=rounds,
            target_ns=target_ns,
            shuffle=True,  # rows compared with each other: no contender always after another
        )
    finally:
        client.close()


def _opentelemetry_sdk() -> tuple[Any, Any]:
    """An opentelemetry-sdk tracer and meter provider that record everything and export
    nothing (no exporter's cost in the figures; every span is still sampled and ended)."""
    from opentelemetry.sdk.metrics import MeterProvider  # noqa: PLC0415 - bench group only
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415

    return TracerProvider(), MeterProvider(metric_readers=[InMemoryMetricReader()])


TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def _opentelemetry_by_hand(tracer_provider: Any, meter_provider: Any) -> Any:
    """``by_hand(inner)``: exactly the opentelemetry calls OpenTelemetryMiddleware makes for a
    call of one attempt, around ``inner()`` where the middleware runs the attempt, with the
    attributes prebuilt as the middleware keeps them: the call's span started and made current,
    the attempt's span started and made current, its context injected into a dict; then, after
    ``inner``, the attempt's outcome set, one histogram record, its context detached and span
    ended, the call's outcome set, its span ended and context detached.

    ``by_hand.middleware(into_headers)``: a middleware making the very same calls from its hooks
    (the call's in ``around_call``, the attempt's in ``handle``), the context injected into a
    dict or into the request's headers: what tracing costs from the hooks, without any of
    OpenTelemetryMiddleware's own Python (looking up the attributes, reading the outcome)."""
    from opentelemetry import context, propagate, trace  # noqa: PLC0415 - bench group only
    from opentelemetry.trace import SpanKind  # noqa: PLC0415

    from chargeapi.opentelemetry import DURATION_BUCKETS  # noqa: PLC0415

    tracer = trace.get_tracer("bench", "1", tracer_provider)
    histogram = meter_provider.get_meter("bench", "1").create_histogram(
        "http.client.request.duration",
        unit="s",
        explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
    )
    target = {
        "http.request.method": "POST",
        "server.address": "api.chargeapi.co",
        "server.port": 443,
        "url.template": "/v1/charging_sessions",
    }
    for_call = {**target, "chargeapi.operation": "charging_sessions.create"}
    measured = {**target, "http.response.status_code": 200}
    attempt_outcome = {"http.response.status_code": 200, "chargeapi.request_id": "req_bench"}
    call_outcome = {**attempt_outcome, "chargeapi.outcome_unknown": False}
    kind = SpanKind.CLIENT

    def call_start() -> tuple[Any, Any]:
        call = tracer.start_span("charging_sessions.create", kind=kind, attributes=for_call)
        return call, context.attach(trace.set_span_in_context(call))

    def attempt_start(carrier: Any) -> tuple[Any, Any]:
        span = tracer.start_span(
            "POST /v1/charging_sessions",
            kind=kind,
            attributes=target,
            record_exception=False,
            set_status_on_exception=False,
        )
        current = trace.set_span_in_context(span)
        token = context.attach(current)
        propagate.inject(carrier, current)
        return span, token

    def attempt_end(span: Any, token: Any) -> None:
        span.set_attributes(attempt_outcome)
        histogram.record(0.001, measured)
        context.detach(token)
        span.end()

    def call_end(call: Any, call_token: Any) -> None:
        call.set_attributes(call_outcome)
        call.end()
        context.detach(call_token)

    def by_hand(inner: Any) -> None:
        call, call_token = call_start()
        span, token = attempt_start({})
        inner()
        attempt_end(span, token)
        call_end(call, call_token)

    class CallSpan:
        __slots__ = ("call", "token")

        def __enter__(self) -> None:
            self.call, self.token = call_start()

        def __exit__(self, *exc: object) -> None:
            call_end(self.call, self.token)

    class SameCalls(chargeapi.Middleware):
        def __init__(self, into_headers: bool) -> None:
            self.into_headers = into_headers

        def around_call(self, call: chargeapi.MiddlewareCall) -> Any:
            return CallSpan()

        def handle(
            self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
        ) -> chargeapi.MiddlewareResponse:
            span, token = attempt_start(request.headers if self.into_headers else {})
            try:
                return call_next(request)
            finally:
                attempt_end(span, token)

    by_hand.middleware = SameCalls  # type: ignore[attr-defined]
    return by_hand


class _SetsHeader(chargeapi.Middleware):
    """A middleware that sets one header, as tracing sets ``traceparent``."""

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers["traceparent"] = TRACEPARENT
        return call_next(request)


def bench_opentelemetry(rounds: int, target_ns: int) -> Group:
    """What OpenTelemetryMiddleware costs a sync ``create()`` (one attempt), taken apart.

    Against a plain ``create()``: the traced create; opentelemetry-sdk's calls (exactly the
    middleware's) alone; the same calls right after a plain create (one after the other);
    the same calls made by hand around a plain create (nested as the middleware nests them,
    without middleware: what tracing a call costs at the least); the same calls made from a
    middleware's hooks with nothing else (the context injected into a dict, then into the
    request's headers); one pass-through middleware (the chain); a middleware setting one
    header (the chain and one header). Raw httpx with
    and without one more request header gives what httpx itself spends sending
    ``traceparent``.
    """
    from chargeapi.opentelemetry import OpenTelemetryMiddleware  # noqa: PLC0415

    tracer_provider, meter_provider = _opentelemetry_sdk()
    transport = httpx.MockTransport(handler)
    client = sdk_client(transport)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    traced = client.with_options(
        middleware=[OpenTelemetryMiddleware(tracer_provider, meter_provider)]
    )
    by_hand = _opentelemetry_by_hand(tracer_provider, meter_provider)
    hooks = client.with_options(middleware=[by_hand.middleware(into_headers=False)])
    hooks_header = client.with_options(middleware=[by_hand.middleware(into_headers=True)])
    one = client.with_options(middleware=[PassThrough()])
    sets = client.with_options(middleware=[_SetsHeader()])
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}
    key_and_trace = {**key, "traceparent": TRACEPARENT}

    def create(on: chargeapi.Client) -> Any:
        return functools.partial(chargeapi.ChargingSession.create, **SEED_REQUEST, client=on)

    plain_create = create(client)

    def nothing() -> None:
        pass

    def alone() -> None:
        by_hand(nothing)

    def beside() -> None:
        plain_create()
        by_hand(nothing)

    def around() -> None:
        by_hand(plain_create)

    def raw(headers: dict[str, str]) -> Any:
        return lambda: http.post(URL, json=SEED_REQUEST, headers=headers).json()

    try:
        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        for each in (client, traced, hooks, hooks_header, one, sets):
            assert create(each)() == expected
        group = interleave(
            "create (sync): OpenTelemetry",
            Contender("ChargingSession.create(), no middleware", loop_call(plain_create)),
            [
                Contender(
                    "  with OpenTelemetryMiddleware (SDK, no exporter)", loop_call(create(traced))
                ),
                Contender("  the same opentelemetry-sdk calls, alone", loop_call(alone)),
                Contender("  a create, then the same calls", loop_call(beside)),
                Contender("  the same calls by hand around a create", loop_call(around)),
                Contender("  the same calls from a middleware's hooks", loop_call(create(hooks))),
                Contender(
                    "  the same, the context injected into the request's headers",
                    loop_call(create(hooks_header)),
                ),
                Contender("  one pass-through middleware", loop_call(create(one))),
                Contender("  a middleware setting one header", loop_call(create(sets))),
                Contender("  raw httpx post (json=).json()", loop_call(raw(key))),
                Contender("  raw httpx post + one request header", loop_call(raw(key_and_trace))),
            ],
            rounds=rounds,
            target_ns=target_ns,
            shuffle=True,  # its figures are differences between rows: see the middleware group
        )
    finally:
        client.close()
        http.close()
    group.extra += _opentelemetry_shares([r.per_op_ns for r in group.results])
    return group


def _opentelemetry_shares(per_op: list[list[float]]) -> list[str]:
    """The traced create's cost taken apart, each share the median over rounds of a
    difference of rows measured moments apart (us), and the same from each row's best round."""
    plain, traced, alone, beside, around, hooks, hooks_header, chain, header, raw, raw_header = (
        per_op
    )

    def us(plus: list[list[float]], minus: list[list[float]]) -> str:
        rounds = zip(zip(*plus, strict=True), zip(*minus, strict=True), strict=True)
        median = statistics.median((sum(p) - sum(m)) / 1e3 for p, m in rounds)
        best = (sum(min(p) for p in plus) - sum(min(m) for m in minus)) / 1e3
        return f"{median:.1f} us (best rounds {best:.1f})"

    target = f"target <= {OTEL_OWN_TARGET_US:.0f} us"
    return [
        f"by the letter, beyond the SDK's calls in a loop of their own (traced - plain - alone):"
        f" {us([traced], [plain, alone])} per attempt ({target})",
        f"the same calls cost more next to an HTTP call: after it (a create, then the calls -"
        f" plain - alone) {us([beside], [plain, alone])}; around it, nested as the middleware"
        f" nests them (by hand around a create - plain - alone) {us([around], [plain, alone])}",
        f"beyond the SDK's calls around a create (traced - by hand around a create):"
        f" {us([traced], [around])} ({target}); of it: the chain {us([chain], [plain])}"
        f" (pass-through - plain), one set header {us([header], [chain])} (setting one -"
        f" pass-through; httpx's share, raw with it - raw: {us([raw_header], [raw])})",
        f"the same calls from a middleware's hooks, beyond them by hand: {us([hooks], [around])}"
        f" (the chain, pass-through - plain, {us([chain], [plain])}; the call's context manager"
        f" and the generator layer keeping it around the call, the rest); the context injected"
        f" into the request's headers, not a dict: {us([hooks_header], [hooks])}; the"
        f" middleware's own Python (traced - the same calls from the hooks, into the headers):"
        f" {us([traced], [hooks_header])}",
    ]


def bench_retrieve(rounds: int, target_ns: int) -> Group:
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    client = sdk_client(transport)
    try:

        def sdk_retrieve() -> Any:
            return chargeapi.ChargingSession.retrieve(SESSION_ID, client=client)

        def raw_retrieve() -> Any:
            return http.get(f"{URL}/{SESSION_ID}").json()

        assert raw_retrieve() == SEED_RESPONSE
        assert sdk_retrieve() == chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        return interleave(
            "retrieve (sync)",
            Contender("raw httpx.Client.get().json()", loop_call(raw_retrieve)),
            [Contender("ChargingSession.retrieve()", loop_call(sdk_retrieve), CREATE_TARGET)],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        client.close()
        http.close()


def bench_create_async(rounds: int, target_ns: int) -> Group:
    """``create_async()`` vs ``httpx.AsyncClient.post(json=).json()``, as in the sync group:
    both clients carry the fixed headers as client defaults (the SDK's own client of the event
    loop, as in real use) and the raw post adds its Idempotency-Key per request; and the same
    call on a passed-in ``async_http_client``, which is given every header per request."""
    loop = asyncio.new_event_loop()
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport, headers=RAW_HEADERS)
    client = chargeapi.Client(KEY, base_url=API)
    passed_in = httpx.AsyncClient(transport=transport)
    client_passed = chargeapi.Client(KEY, base_url=API, async_http_client=passed_in)
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}

    def sdk_create() -> Coroutine[Any, Any, Any]:
        return chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)

    def sdk_passed() -> Coroutine[Any, Any, Any]:
        return chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client_passed)

    async def raw_create() -> Any:
        response = await http.post(URL, json=SEED_REQUEST, headers=key)
        return response.json()

    try:
        loop.run_until_complete(own_async_client_on(client, transport))
        assert loop.run_until_complete(raw_create()) == SEED_RESPONSE
        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert loop.run_until_complete(sdk_create()) == expected
        assert loop.run_until_complete(sdk_passed()) == expected
        return interleave(
            "create (async, httpx)",
            Contender("raw httpx.AsyncClient.post(json=).json()", loop_async(loop, raw_create)),
            [
                Contender(
                    "ChargingSession.create_async()", loop_async(loop, sdk_create), CREATE_TARGET
                ),
                Contender("  same, on a passed-in async_http_client", loop_async(loop, sdk_passed)),
            ],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(client_passed.aclose())
        loop.run_until_complete(passed_in.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()


def check_same_requests() -> None:
    """The SDK and the raw baseline put the same method, URL, body and header names on the wire."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    transport = httpx.MockTransport(record)
    with httpx.Client(transport=transport, headers=RAW_HEADERS) as http:
        with sdk_client(transport) as client:
            chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
        http.post(URL, json=SEED_REQUEST, headers={"Idempotency-Key": "k"})
    sdk, raw = seen
    assert (sdk.method, sdk.url) == (raw.method, raw.url), (sdk, raw)
    assert json.loads(sdk.content) == json.loads(raw.content)
    names_sdk = {k.lower() for k in sdk.headers}
    names_raw = {k.lower() for k in raw.headers}
    if names_sdk != names_raw:
        only_sdk, only_raw = names_sdk - names_raw, names_raw - names_sdk
        print(f"note: header names differ: sdk-only {only_sdk}, raw-only {only_raw}")
