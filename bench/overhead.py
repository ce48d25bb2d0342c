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

CREATE_TARGET, CREATE_BOUND = 1.05, 1.35
URL = f"{API}/v1/charging_sessions"


def sdk_client(transport: httpx.BaseTransport) -> chargeapi.Client:
    """A Client whose own sync httpx client (fixed headers set on it, as in real use) sends
    through ``transport``: the one internal the bench touches."""
    client = chargeapi.Client(KEY, base_url=API)
    client._sync_http()._transport = transport
    return client


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
        )
    finally:
        client.close()


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
    loop = asyncio.new_event_loop()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = chargeapi.Client(KEY, base_url=API, async_http_client=http)

    def sdk_create() -> Coroutine[Any, Any, Any]:
        return chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)

    async def raw_create() -> Any:
        response = await http.post(URL, json=SEED_REQUEST, headers=RAW_POST_HEADERS)
        return response.json()

    try:
        assert loop.run_until_complete(raw_create()) == SEED_RESPONSE
        expected = chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
        assert loop.run_until_complete(sdk_create()) == expected
        return interleave(
            "create (async, httpx)",
            Contender("raw httpx.AsyncClient.post(json=).json()", loop_async(loop, raw_create)),
            [
                Contender(
                    "ChargingSession.create_async()", loop_async(loop, sdk_create), CREATE_TARGET
                )
            ],
            rounds=rounds,
            target_ns=target_ns,
        )
    finally:
        loop.run_until_complete(client.aclose())
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
