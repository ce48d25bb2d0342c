"""Escape hatches: extra_headers/extra_query/extra_body on every operation, raw_request, the raw
body on last_response, default_headers, app_info, and with_options for every option."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator
from tests.conftest import API, TEST_KEY, invalid_parameter, refused_before_io, sent

Sdk = Callable[..., Any]
FLEET = {"id": "flt_1", "object": "fleet", "name": "Vans"}
SDK_AGENT = "chargeapi-python/"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API) as router:
        yield router


def test_extras_reach_the_wire_on_a_post(sdk: Sdk, mock: respx.MockRouter) -> None:
    route = mock.post("/v1/fleets").respond(200, json=FLEET)

    sdk(
        chargeapi.Fleet.create,
        name="Vans",
        idempotency_key="fleet-1",
        extra_headers={"Charge-Beta": "fleets=2", "X-Trace": "abc"},
        extra_query={"dry_run": True, "tag": ["a", "b"]},
        extra_body={"name": "Vans EU", "region": {"code": "eu", "zones": [1, 2]}},
    )

    request = sent(route)
    assert list(request.url.params.multi_items()) == [
        ("dry_run", "true"),
        ("tag", "a"),
        ("tag", "b"),
    ]
    assert json.loads(request.content) == {
        "name": "Vans EU",  # extra_body replaces the operation's own value
        "region": {"code": "eu", "zones": [1, 2]},
    }
    assert request.headers["Charge-Beta"] == "fleets=2"
    assert request.headers["X-Trace"] == "abc"
    assert request.headers["Idempotency-Key"] == "fleet-1"
    assert request.headers["Authorization"] == f"Bearer {TEST_KEY}"


def test_extra_query_replaces_a_parameter_of_the_same_name_on_a_get(
    sdk: Sdk, mock: respx.MockRouter
) -> None:
    route = mock.get("/v1/fleets").respond(200, json={"data": [], "next_page_url": None})

    sdk(
        chargeapi.Fleet.list,
        status="active",
        limit=5,
        extra_query={"limit": 50, "created[gte]": 1775000000},
    )

    assert list(sent(route).url.params.multi_items()) == [
        ("status", "active"),
        ("limit", "50"),
        ("created[gte]", "1775000000"),
    ]


def test_extra_headers_replace_the_sdks_own_once(sdk: Sdk, mock: respx.MockRouter) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)

    sdk(
        chargeapi.Fleet.retrieve,
        "flt_1",
        extra_headers={"charge-version": "2026-06-01", "User-Agent": "probe/1"},
    )

    headers = sent(route).headers
    assert headers.get_list("Charge-Version") == ["2026-06-01"]
    assert headers.get_list("User-Agent") == ["probe/1"]


@pytest.mark.parametrize(
    ("options", "param", "match"),
    [
        ({"extra_headers": {"Authorization": "Bearer x"}}, "extra_headers", "Authorization"),
        ({"extra_headers": {"authorization": "Bearer x"}}, "extra_headers", "authorization"),
        ({"extra_headers": {"Idempotency-Key": "k"}}, "extra_headers", "idempotency_key="),
        ({"extra_headers": {"Content-Length": "1"}}, "extra_headers", "Content-Length"),
        ({"extra_headers": {"Host": "evil.example"}}, "extra_headers", "base_url"),
        ({"extra_headers": {"X Trace": "1"}}, "extra_headers", "not an HTTP header name"),
        ({"extra_headers": {"X-Trace": "a\r\nX-Evil: 1"}}, "extra_headers", "CR/LF"),
        ({"extra_headers": {"X-Trace": 1}}, "extra_headers", "must be a str"),
        ({"extra_headers": {"X-Trace": ""}}, "extra_headers", "must not be empty"),
        ({"extra_headers": {"X-A": "1", "x-a": "2"}}, "extra_headers", "twice"),
        ({"extra_headers": ["X-Trace"]}, "extra_headers", "must be a dict"),
        ({"extra_query": {"a": {"b": 1}}}, "extra_query", "must be a str, int"),
        ({"extra_query": {"a": float("nan")}}, "extra_query", "finite"),
        ({"extra_query": {"": "1"}}, "extra_query", "not a parameter name"),
        ({"extra_body": {"a": float("nan")}}, "extra_body", "cannot be sent as JSON"),
        ({"extra_body": {"a": object()}}, "extra_body", "cannot be sent as JSON"),
        ({"extra_body": {1: "a"}}, "extra_body", "keys must be str"),
        ({"extra_header": {"X-Trace": "1"}}, "extra_header", "unexpected keyword argument"),
    ],
)
def test_bad_extras_are_refused_before_anything_is_sent(
    client: chargeapi.Client, options: dict[str, Any], param: str, match: str
) -> None:
    error = invalid_parameter(lambda: chargeapi.Fleet.create(name="Vans", client=client, **options))

    assert error.param == param
    assert match in str(error)


def test_a_header_value_is_never_echoed_in_the_error(client: chargeapi.Client) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.Fleet.list(client=client, extra_headers={"X-Token": "s3cret\n"})

    assert "s3cret" not in str(caught.value)
    assert "s3cret" not in repr(caught.value)


def test_extra_body_is_refused_on_a_get(client: chargeapi.Client) -> None:
    with refused_before_io(chargeapi.InvalidParameterError, "only for POST"):
        chargeapi.Fleet.retrieve("flt_1", client=client, extra_body={"a": 1})


# -- raw_request -------------------------------------------------------------------------------


def test_raw_request_sends_a_get_with_its_query(mock: respx.MockRouter) -> None:
    route = mock.get("/v1/beta/charging_forecasts").respond(
        200, json={"object": "list", "data": [{"kwh": 12}]}, headers={"Request-Id": "req_1"}
    )

    with chargeapi.Client(TEST_KEY) as client:
        found = client.raw_request(
            "GET", "/v1/beta/charging_forecasts", query={"station": "chst_1", "hour": [8, 9]}
        )

    request = sent(route)
    assert list(request.url.params.multi_items()) == [
        ("station", "chst_1"),
        ("hour", "8"),
        ("hour", "9"),
    ]
    assert request.headers["Authorization"] == f"Bearer {TEST_KEY}"
    assert "Idempotency-Key" not in request.headers
    assert found == {"object": "list", "data": [{"kwh": 12}]}
    assert isinstance(found, dict)
    assert found.last_response is not None
    assert found.last_response.request_id == "req_1"


def test_raw_request_sends_a_path_holding_a_scheme_to_the_base_url() -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json={"ok": True})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with chargeapi.Client(TEST_KEY, http_client=http) as client:
        assert client.raw_request("GET", "/v1/x://evil.example/steal") == {"ok": True}
    assert [(url.host, url.path) for url in seen] == [
        ("api.chargeapi.co", "/v1/x://evil.example/steal")
    ]


def test_raw_request_posts_json_with_an_idempotency_key(mock: respx.MockRouter) -> None:
    route = mock.post("/v1/beta/tariffs").respond(200, json={"id": "trf_1"})

    with chargeapi.Client(TEST_KEY) as client:
        created = asyncio.run(
            client.raw_request_async(
                "post", "/v1/beta/tariffs", json={"price": 42}, idempotency_key="tariff-1"
            )
        )

    request = sent(route)
    assert request.method == "POST"
    assert json.loads(request.content) == {"price": 42}
    assert request.headers["Idempotency-Key"] == "tariff-1"
    assert request.headers["Content-Type"] == "application/json"
    assert created == {"id": "trf_1"}
    assert created.last_response is not None
    assert created.last_response.idempotency_key == "tariff-1"


def test_raw_request_raises_the_api_errors(mock: respx.MockRouter) -> None:
    body = {"type": "invalid_request", "code": "unknown_route", "message": "no such route"}
    mock.get("/v1/nowhere").respond(404, json=body)

    with chargeapi.Client(TEST_KEY) as client, pytest.raises(chargeapi.NotFoundError) as caught:
        client.raw_request("GET", "/v1/nowhere")

    assert caught.value.code == "unknown_route"


def test_raw_request_refuses_an_answer_that_is_no_object(mock: respx.MockRouter) -> None:
    mock.get("/v1/things").respond(200, json=[1, 2])

    with chargeapi.Client(TEST_KEY) as client, pytest.raises(chargeapi.InvalidResponseError):
        client.raw_request("GET", "/v1/things")


@pytest.mark.parametrize(
    ("args", "kwargs", "param"),
    [
        (("PATCH", "/v1/things"), {}, "method"),
        (("GET", "https://evil.example/v1/things"), {}, "path"),
        (("GET", "//evil.example/v1/things"), {}, "path"),
        (("GET", "v1/things"), {}, "path"),
        (("GET", "/v1/things?limit=1"), {}, "path"),
        (("GET", "/v1/../admin"), {}, "path"),
        (("GET", "/v1/%2e%2E/admin"), {}, "path"),
        (("GET", "/v1/a%2Fb"), {}, "path"),
        (("GET", "/v1/things\r\nX: 1"), {}, "path"),
        (("GET", "/v1/things"), {"json": {"a": 1}}, "json"),
        (("DELETE", "/v1/things/1"), {"idempotency_key": "k"}, "idempotency_key"),
        (("POST", "/v1/things"), {"json": {"a": float("inf")}}, "json"),
        (("POST", "/v1/things"), {"idempotency_key": ""}, "idempotency_key"),
        (("GET", "/v1/things"), {"query": {"a": None}}, "query"),
    ],
)
def test_raw_request_checks_its_arguments_before_sending(
    client: chargeapi.Client, args: tuple[Any, ...], kwargs: dict[str, Any], param: str
) -> None:
    error = invalid_parameter(lambda: client.raw_request(*args, **kwargs))

    assert error.param == param


@pytest.fixture
def loopback_sim() -> Simulator:
    return Simulator(seed=3)


def test_raw_request_retries_a_dropped_post_with_one_key_on_a_real_socket(
    loopback_sim: Simulator, no_waiting: dict[str, Any]
) -> None:
    sim = loopback_sim
    params = dict(sim.sample_session_params())
    sim.drop_next(after_processing=True, route="POST /v1/charging_sessions")

    with (
        sim.serve() as server,
        chargeapi.Client(sim.api_key, base_url=server.url, timeout=5, **no_waiting) as client,
    ):
        created = client.raw_request("POST", "/v1/charging_sessions", json=params)
        listed = client.raw_request("GET", "/v1/charging_sessions", query={"limit": 100})

    keys = [r.headers["idempotency-key"] for r in sim.requests if r.method == "POST"]
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert created.last_response is not None
    assert created.last_response.retries == 1
    assert [s["id"] for s in listed["data"]].count(created["id"]) == 1
    assert sum(1 for s in listed["data"] if s["status"] == "active") == 1


# -- the raw body on last_response -------------------------------------------------------------


def test_last_response_gives_the_body_within_the_cap(mock: respx.MockRouter) -> None:
    raw = json.dumps({**FLEET, "name": "Vélos"}).encode("latin-1", "replace")
    mock.get("/v1/fleets/flt_1").respond(
        200, content=raw, headers={"Content-Type": "application/json; charset=ISO-8859-1"}
    )
    mock.get("/v1/fleets").respond(200, json={"data": [FLEET], "next_page_url": None})

    with chargeapi.Client(TEST_KEY) as client:
        fleet = chargeapi.Fleet.retrieve("flt_1", client=client)
        page = chargeapi.Fleet.list(client=client)

    assert fleet.last_response is not None
    assert fleet.last_response.content == raw
    assert fleet.last_response.text == raw.decode("latin-1")
    assert fleet.last_response.json() == {**FLEET, "name": "Vélos"}
    assert page.last_response is not None
    assert page.last_response.json() == {"data": [FLEET], "next_page_url": None}


def test_last_response_body_survives_pickling(mock: respx.MockRouter) -> None:
    import pickle

    mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)
    with chargeapi.Client(TEST_KEY) as client:
        fleet = chargeapi.Fleet.retrieve("flt_1", client=client)

    copy = pickle.loads(pickle.dumps(fleet))

    assert copy.last_response is not None
    assert copy.last_response.json() == FLEET


# -- default_headers, app_info, the User-Agent ------------------------------------------------


def test_default_headers_and_app_info_go_with_every_request(mock: respx.MockRouter) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)

    with chargeapi.Client(
        TEST_KEY,
        default_headers={"X-Team": "fleet-ops"},
        app_info=("FleetDash", "1.2.0", "https://fleetdash.example"),
    ) as client:
        chargeapi.Fleet.retrieve("flt_1", client=client)
        asyncio.run(chargeapi.Fleet.retrieve_async("flt_1", client=client))

    for call in route.calls:
        headers = call.request.headers
        assert headers["X-Team"] == "fleet-ops"
        agent = headers["User-Agent"]
        assert agent.startswith(SDK_AGENT)
        assert agent.endswith(" FleetDash/1.2.0 (https://fleetdash.example)")
    assert route.call_count == 2


def test_app_info_may_leave_out_version_and_url(mock: respx.MockRouter) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)

    with chargeapi.Client(TEST_KEY, app_info=("FleetDash",)) as client:
        chargeapi.Fleet.retrieve("flt_1", client=client)

    assert sent(route).headers["User-Agent"].endswith(") FleetDash")


@pytest.mark.parametrize(
    ("value", "param"),
    [
        ({"Authorization": "Bearer other"}, "default_headers"),
        ({"Idempotency-Key": "k"}, "default_headers"),
        ({"X-Team": "a\nb"}, "default_headers"),
    ],
)
def test_default_headers_are_checked(value: dict[str, str], param: str) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.Client(TEST_KEY, default_headers=value)

    assert caught.value.param == param


@pytest.mark.parametrize(
    "value", [("My App", "1"), ("MyApp", "1.0", "https://x.example (beta)"), (), "x" * 0, [1]]
)
def test_app_info_is_checked(value: Any) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.Client(TEST_KEY, app_info=value)

    assert caught.value.param == "app_info"


def test_a_user_agent_on_your_own_http_client_wins(mock: respx.MockRouter) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)
    mine = httpx.Client(headers={"User-Agent": "acme-backend/7"})
    mine_async = httpx.AsyncClient(headers={"User-Agent": "acme-worker/7"})

    with chargeapi.Client(
        TEST_KEY, http_client=mine, async_http_client=mine_async, app_info=("X", "1")
    ) as client:
        chargeapi.Fleet.retrieve("flt_1", client=client)
        asyncio.run(chargeapi.Fleet.retrieve_async("flt_1", client=client))
    mine.close()
    asyncio.run(mine_async.aclose())

    agents = [call.request.headers.get_list("User-Agent") for call in route.calls]
    assert agents == [["acme-backend/7"], ["acme-worker/7"]]


def test_without_a_user_agent_of_its_own_your_http_client_sends_the_sdks(
    mock: respx.MockRouter,
) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)

    with httpx.Client() as mine, chargeapi.Client(TEST_KEY, http_client=mine) as client:
        chargeapi.Fleet.retrieve("flt_1", client=client)

    assert sent(route).headers["User-Agent"].startswith(SDK_AGENT)


# -- with_options for every option --------------------------------------------------------------


def test_with_options_changes_the_size_cap_headers_and_app_info(mock: respx.MockRouter) -> None:
    route = mock.get("/v1/fleets/flt_1").respond(200, json={**FLEET, "name": "x" * 4096})

    with chargeapi.Client(TEST_KEY, default_headers={"X-Team": "ops"}) as client:
        small = client.with_options(max_response_bytes=1024)
        tagged = client.with_options(default_headers={"X-Run": "7"}, app_info=("Job", "2"))
        with pytest.raises(chargeapi.ResponseTooLargeError):
            chargeapi.Fleet.retrieve("flt_1", client=small)
        chargeapi.Fleet.retrieve("flt_1", client=tagged)
        chargeapi.Fleet.retrieve("flt_1", client=client)

    assert small.max_response_bytes == 1024
    assert client.max_response_bytes == 32 * 2**20
    tagged_headers, own_headers = route.calls[1].request.headers, route.calls[2].request.headers
    assert (tagged_headers["X-Team"], tagged_headers["X-Run"]) == ("ops", "7")
    assert tagged_headers["User-Agent"].endswith(" Job/2")
    assert "X-Run" not in own_headers
    assert not own_headers["User-Agent"].endswith(" Job/2")
    assert tagged.default_headers == {"X-Team": "ops", "X-Run": "7"}
    assert tagged.app_info == ("Job", "2")


def test_with_options_takes_no_connection_objects_or_sleep_hooks(client: chargeapi.Client) -> None:
    for name in ("http_client", "async_http_client", "sleep", "async_sleep", "async_backend"):
        with pytest.raises(TypeError, match=name):
            client.with_options(**{name: None})
    with pytest.raises(chargeapi.InvalidParameterError, match="max_response_bytes"):
        client.with_options(max_response_bytes=0)
