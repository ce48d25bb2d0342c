"""What goes on the wire: the seed page's curl, headers, bodies, query strings and paths."""

from __future__ import annotations

import json
import platform
import uuid

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, SEED_REQUEST, TEST_KEY, seed_response

SESSION = "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"


@respx.mock
def test_create_sends_the_seed_curl_request(client: chargeapi.Client) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    request = route.calls.last.request
    assert request.method == "POST"
    assert str(request.url) == f"{API}/v1/charging_sessions"
    assert json.loads(request.content) == SEED_REQUEST
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["charge-version"] == "2026-03-01"


@respx.mock
def test_user_agent_names_sdk_python_and_httpx_versions(client: chargeapi.Client) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    python = ".".join(platform.python_version_tuple()[:2])
    expected = (
        f"chargeapi-python/{chargeapi.__version__} (python {python}; httpx {httpx.__version__})"
    )
    assert route.calls.last.request.headers["user-agent"] == expected


@respx.mock
def test_optional_params_left_as_none_are_omitted_not_null(client: chargeapi.Client) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    chargeapi.ChargingSession.create(**SEED_REQUEST, session_limit=None, client=client)
    assert "session_limit" not in json.loads(route.calls.last.request.content)

    chargeapi.ChargingSession.create(**SEED_REQUEST, session_limit=30000, client=client)
    assert json.loads(route.calls.last.request.content)["session_limit"] == 30000


@respx.mock
def test_every_post_carries_a_fresh_uuid4_idempotency_key(client: chargeapi.Client) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
    chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    first, second = (call.request.headers["idempotency-key"] for call in route.calls)
    assert first != second
    assert uuid.UUID(first).version == 4 and uuid.UUID(second).version == 4


@respx.mock
def test_caller_idempotency_key_is_sent_verbatim(client: chargeapi.Client) -> None:
    route = respx.post(f"{API}/v1/charging_sessions").respond(200, json=seed_response())

    chargeapi.ChargingSession.create(
        **SEED_REQUEST, idempotency_key="order-42-start", client=client
    )

    assert route.calls.last.request.headers["idempotency-key"] == "order-42-start"


@respx.mock
def test_get_requests_carry_no_idempotency_key_and_no_body(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    chargeapi.ChargingSession.retrieve(SESSION, client=client)

    request = route.calls.last.request
    assert "idempotency-key" not in request.headers
    assert request.content == b""


@respx.mock
def test_expand_is_sent_as_repeated_expand_params_in_order(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    chargeapi.ChargingSession.retrieve(SESSION, expand=["driver", "vehicle.fleet"], client=client)

    url = route.calls.last.request.url
    assert url.params.get_list("expand") == ["driver", "vehicle.fleet"]
    assert b"expand%5B%5D" not in url.raw_path and b"expand[]" not in url.raw_path


@respx.mock
def test_end_posts_an_empty_json_object_to_the_end_action(client: chargeapi.Client) -> None:
    ended = seed_response() | {"status": "completed", "session_ended": "2026-04-01T02:00:00.000Z"}
    route = respx.post(f"{API}/v1/charging_sessions/{SESSION}/end").respond(200, json=ended)

    session = chargeapi.ChargingSession.end(SESSION, client=client)

    assert json.loads(route.calls.last.request.content) == {}
    assert "idempotency-key" in route.calls.last.request.headers
    assert session.status == "completed"


@respx.mock
def test_list_sends_only_the_filters_given(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/charging_sessions").respond(
        200, json={"data": [], "next_page_url": None, "previous_page_url": None}
    )

    chargeapi.ChargingSession.list(
        driver="drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc", status="active", limit=50, client=client
    )

    params = route.calls.last.request.url.params
    assert dict(params) == {
        "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
        "status": "active",
        "limit": "50",
    }


@respx.mock
def test_api_version_can_be_overridden_per_client() -> None:
    route = respx.get(f"{API}/v1/charging_sessions/{SESSION}").respond(200, json=seed_response())

    with chargeapi.Client(TEST_KEY, api_version="2026-06-01") as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert route.calls.last.request.headers["charge-version"] == "2026-06-01"


def test_users_own_http_client_keeps_its_headers_and_gets_ours() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=seed_response())

    own = httpx.Client(
        transport=httpx.MockTransport(handler),
        base_url="https://ignored.example",
        headers={"X-Tenant": "acme"},
    )
    with own:
        with chargeapi.Client(TEST_KEY, http_client=own) as client:
            chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
        assert not own.is_closed, "the SDK must not close a client it does not own"

    request = seen[0]
    assert str(request.url) == f"{API}/v1/charging_sessions"
    assert request.headers["x-tenant"] == "acme"
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"


async def test_users_own_async_http_client_is_used_for_async_calls() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=seed_response())

    own = httpx.AsyncClient(transport=httpx.MockTransport(handler), headers={"X-Tenant": "acme"})
    async with own:
        async with chargeapi.Client(TEST_KEY, async_http_client=own) as client:
            await chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)
        assert not own.is_closed

    assert seen[0].headers["x-tenant"] == "acme"
    assert json.loads(seen[0].content) == SEED_REQUEST


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:9/", "http://localhost:9/v1"])
def test_base_url_is_normalised_for_paths(base_url: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=seed_response())

    own = httpx.Client(transport=httpx.MockTransport(handler))
    with own, chargeapi.Client(TEST_KEY, base_url=base_url, http_client=own) as client:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert seen[0].url.path == f"/v1/charging_sessions/{SESSION}"
