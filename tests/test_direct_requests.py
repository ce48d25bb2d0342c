"""An operation's request built straight from its plan (without middleware; on the SDK's own
HTTP client or one passed in) is the one the general path sends (through a middleware chain,
given a RequestSpec): the same bytes on the wire, the same object back, the same errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, SEED_REQUEST, TEST_KEY, seed_response

SESSION = "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"
OTHER_SESSION = "cs_ZZZe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"


class PassThrough(chargeapi.Middleware):
    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        return call_next(request)

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        return await call_next(request)


@pytest.fixture(params=["direct", "middleware", "http_client"])
def way(request: pytest.FixtureRequest) -> Iterator[chargeapi.Client]:
    """A client on each way a call can go: built by the plan (on the SDK's own httpx client,
    or on one passed in, which is given every header) or through a middleware chain (the
    general path)."""
    if request.param == "direct":
        with chargeapi.Client(TEST_KEY) as client:
            yield client
    elif request.param == "middleware":
        with chargeapi.Client(TEST_KEY, middleware=[PassThrough()]) as client:
            yield client
    else:
        with httpx.Client() as http, chargeapi.Client(TEST_KEY, http_client=http) as client:
            yield client


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Run an operation's sync method, or its async twin."""

    def run_it(resource: Any, action: str, *args: Any, **kwargs: Any) -> Any:
        if request.param == "sync":
            return getattr(resource, action)(*args, **kwargs)
        return asyncio.run(getattr(resource, action + "_async")(*args, **kwargs))

    return run_it


def _headers(request: httpx.Request) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


@respx.mock
def test_create_puts_the_same_request_on_the_wire_every_way(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    session = run(
        chargeapi.ChargingSession, "create", **SEED_REQUEST, idempotency_key="k-1", client=way
    )

    sent = route.calls.last.request
    assert sent.method == "POST"
    assert str(sent.url) == "https://api.chargeapi.co/v1/charging_sessions"
    assert json.loads(sent.content) == {
        "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
        "connector": "connector_a1",
        "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
        "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
        "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
    }
    assert sent.content.startswith(b'{"charging_station":"chst_') and b" " not in sent.content
    headers = _headers(sent)
    assert headers["idempotency-key"] == "k-1"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == f"Bearer {TEST_KEY}"
    assert headers["charge-version"] == "2026-03-01"
    assert headers["x-charge-retry-count"] == "0"
    assert session == chargeapi.ChargingSession.from_dict(seed_response())
    assert session.last_response is not None
    assert session.last_response.idempotency_key == "k-1"


@respx.mock
def test_retrieve_puts_the_same_request_on_the_wire_every_way(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    url = f"{API}/v1/charging_sessions/{SESSION}"
    route = respx.get(url__startswith=url).respond(200, json=seed_response())

    session = run(chargeapi.ChargingSession, "retrieve", SESSION, expand=["driver"], client=way)

    sent = route.calls.last.request
    assert sent.method == "GET"
    assert str(sent.url) == (
        "https://api.chargeapi.co/v1/charging_sessions/"
        "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY?expand=driver"
    )
    assert sent.content == b""
    headers = _headers(sent)
    assert "idempotency-key" not in headers and "content-type" not in headers
    assert headers["authorization"] == f"Bearer {TEST_KEY}"
    assert session == chargeapi.ChargingSession.from_dict(seed_response())
    assert session.last_response is not None and session.last_response.idempotency_key is None


class _Named(str):
    """A str subclass whose str() is something else: the ID sent is its own value."""

    __slots__ = ()

    def __str__(self) -> str:
        return "cs_notthisone"


@respx.mock
def test_an_id_given_as_a_str_subclass_is_the_one_asked_for(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    session = run(chargeapi.ChargingSession, "retrieve", _Named(SESSION), client=way)

    assert route.called
    assert session.id == SESSION


@respx.mock
def test_an_answer_about_another_session_is_refused_every_way(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    other = {**seed_response(), "id": OTHER_SESSION}
    respx.post(f"{API}/v1/charging_sessions/{SESSION}/end").respond(200, json=other)

    with pytest.raises(chargeapi.InvalidResponseError) as raised:
        run(chargeapi.ChargingSession, "end", SESSION, idempotency_key="end-1", client=way)

    assert raised.value.message == (
        "POST /v1/charging_sessions/cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY/end answered 200 with "
        "the object 'cs_ZZZe4CNvGc5CRBiPnoPEPrZUuCfPqUbY', where the call asked for "
        "'cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY'. The server accepted the request, so the outcome "
        "is unknown: it may have succeeded. Retry with idempotency_key='end-1' to find out "
        "without a duplicate."
    )
    assert raised.value.outcome_unknown is True


@respx.mock
def test_an_answer_of_another_kind_is_refused_every_way(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    driver = {"id": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc", "object": "driver"}
    respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=driver)

    with pytest.raises(chargeapi.InvalidResponseError) as raised:
        run(chargeapi.ChargingSession, "retrieve", SESSION, client=way)

    assert raised.value.message == (
        "GET /v1/charging_sessions/cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY answered 200 with "
        "a 'driver' object, where the call asked for a charging_session."
    )


@respx.mock
def test_a_body_json_cannot_hold_is_named_before_anything_is_sent(
    way: chargeapi.Client, run: Callable[..., Any]
) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    with pytest.raises(chargeapi.InvalidParameterError) as raised:
        run(
            chargeapi.ChargingSession,
            "create",
            **SEED_REQUEST,
            client=way,
            extra_body={"note": float("nan")},
        )

    assert raised.value.message == (
        "extra_body cannot be sent as JSON: Out of range float values are not JSON compliant"
    )
    assert raised.value.param == "extra_body"
    assert not route.called


def test_a_bad_parameter_is_named_before_a_bad_client() -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as raised:
        chargeapi.ChargingSession.retrieve("not-an-id", client="not a client")  # type: ignore[arg-type]
    assert raised.value.param == "id"

    with pytest.raises(chargeapi.InvalidParameterError) as raised:
        chargeapi.ChargingSession.retrieve(SESSION, client="not a client")  # type: ignore[arg-type]
    assert raised.value.param == "client"


def test_without_a_key_the_call_names_its_bad_parameter_first() -> None:
    with chargeapi.Client() as keyless:
        with pytest.raises(chargeapi.InvalidParameterError) as raised:
            chargeapi.ChargingSession.retrieve("not-an-id", client=keyless)
        assert raised.value.param == "id"
        with pytest.raises(chargeapi.ChargeAPIError, match="No API key"):
            chargeapi.ChargingSession.retrieve(SESSION, client=keyless)
