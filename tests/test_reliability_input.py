"""Issue 8: input edge cases, base_url and page URLs, and pickling (models and errors)."""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, SEED_REQUEST, SEED_RESPONSE, STATION_EXAMPLE, TEST_KEY, seed_response

CREATE_URL = f"{API}/v1/charging_sessions"
STATION_ID = STATION_EXAMPLE["id"]


# -- 10. input edge cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", [" key-1", "key-1 ", "key-1\t"])
@respx.mock
def test_whitespace_around_an_idempotency_key_is_refused_before_sending(
    key: str, client: chargeapi.Client
) -> None:
    route = respx.post(CREATE_URL).respond(200, json=seed_response())

    with pytest.raises(ValueError, match="idempotency_key"):
        chargeapi.ChargingSession.create(**SEED_REQUEST, idempotency_key=key, client=client)

    assert not route.called


@pytest.mark.parametrize("version", [" 2026-03-01", "2026-03-01 "])
def test_whitespace_around_api_version_is_refused(version: str) -> None:
    with pytest.raises(ValueError, match="api_version"):
        chargeapi.Client(TEST_KEY, api_version=version)


@pytest.mark.parametrize("limit", [10**5000, 2**53, 10**20], ids=["huge", "2**53", "1e20"])
@respx.mock
def test_an_absurd_int_is_a_value_error_naming_the_parameter(
    limit: int, client: chargeapi.Client
) -> None:
    route = respx.post(CREATE_URL).respond(200, json=seed_response())

    with pytest.raises(ValueError, match="session_limit") as caught:
        chargeapi.ChargingSession.create(**SEED_REQUEST, session_limit=limit, client=client)

    assert len(str(caught.value)) < 200
    assert not route.called


@respx.mock
def test_the_largest_json_safe_int_is_sent(client: chargeapi.Client) -> None:
    route = respx.post(CREATE_URL).respond(200, json=seed_response())

    chargeapi.ChargingSession.create(**SEED_REQUEST, session_limit=2**53 - 1, client=client)

    assert b'"session_limit":9007199254740991' in route.calls.last.request.content


@pytest.mark.parametrize(
    "expand",
    ["a" * 100_000, ["driver"] * 1000, ["vehicle." + "x" * 300]],
    ids=["long", "many", "deep"],
)
@respx.mock
def test_an_absurd_expand_is_a_value_error(expand: Any, client: chargeapi.Client) -> None:
    route = respx.route(host="api.chargeapi.co").respond(200, json=seed_response())

    with pytest.raises(ValueError, match="expand"):
        chargeapi.ChargingSession.retrieve(SEED_RESPONSE["id"], expand=expand, client=client)

    assert not route.called


class _Sneaky(str):
    """A str whose formatting differs from its value, as a hostile or buggy subclass might."""

    __slots__ = ()

    def __str__(self) -> str:
        return "chst_other/../../v1/drivers"

    def __format__(self, spec: str) -> str:
        return "chst_other/../../v1/drivers"


@respx.mock
def test_a_str_subclass_id_is_sent_as_its_plain_value(client: chargeapi.Client) -> None:
    route = respx.route(host="api.chargeapi.co").respond(200, json=STATION_EXAMPLE)

    chargeapi.ChargingStation.retrieve(_Sneaky(STATION_ID), client=client)

    assert route.calls.last.request.url.path == f"/v1/charging_stations/{STATION_ID}"


@respx.mock
def test_a_str_subclass_in_a_create_is_sent_as_its_plain_value(client: chargeapi.Client) -> None:
    route = respx.post(CREATE_URL).respond(200, json=seed_response())
    params = {**SEED_REQUEST, "driver": _Sneaky(SEED_REQUEST["driver"])}

    chargeapi.ChargingSession.create(**params, client=client)

    assert route.calls.last.request.content.count(SEED_REQUEST["driver"].encode()) == 1


# -- 11. base_url -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://me:s3cret@api.chargeapi.co",
        "https://me@api.chargeapi.co",
        "https://:s3cret@x.co",
        "http://me:s3cret@evil.example",  # plain http, which is refused too
        "https://me:s3cret@api.chargeapi.co:notaport",
    ],
)
def test_a_base_url_with_userinfo_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(ValueError, match="user name or password") as caught:
        chargeapi.Client(TEST_KEY, base_url=url)

    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("HTTPS://API.ChargeAPI.co:443", "https://api.chargeapi.co"),
        ("https://api.chargeapi.co:443/v1", "https://api.chargeapi.co"),
        ("HTTP://LOCALHOST:8080", "http://localhost:8080"),
        ("http://127.0.0.1:80/", "http://127.0.0.1"),
        ("https://api.chargeapi.co:8443/prefix/", "https://api.chargeapi.co:8443/prefix"),
    ],
)
def test_base_url_is_normalised(given: str, normalised: str) -> None:
    assert chargeapi.Client(TEST_KEY, base_url=given).base_url == normalised


# -- 12. page URLs on another origin --------------------------------------------------------------


def _page(ids: range, next_url: str | None) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{**seed_response(), "id": f"cs_{i:032d}"} for i in ids],
        "next_page_url": next_url,
        "previous_page_url": None,
    }


def _walked_ids(mode: str, client: chargeapi.Client) -> list[str]:
    """The IDs of every session of every page, walked sync or async as ``mode`` says."""
    if mode == "sync":
        return [s.id for s in chargeapi.ChargingSession.list(client=client)]

    async def collect() -> list[str]:
        return [s.id async for s in chargeapi.ChargingSession.list_async(client=client)]

    return asyncio.run(collect())


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_next_page_on_the_public_origin_is_fetched_through_the_mock_base_url(
    mode: str, no_waiting: dict[str, Any]
) -> None:
    public = respx.route(host="api.chargeapi.co").respond(500)
    proxy = "https://proxy.internal:8443/chargeapi"
    respx.get(f"{proxy}/v1/charging_sessions", params={"page": "p2"}).respond(
        200, json=_page(range(1, 2), None)
    )
    respx.get(f"{proxy}/v1/charging_sessions").respond(
        200, json=_page(range(1), f"{API}/v1/charging_sessions?page=p2")
    )
    client = chargeapi.Client(TEST_KEY, base_url=proxy, **no_waiting)

    with client:
        ids = _walked_ids(mode, client)

    assert ids == [f"cs_{0:032d}", f"cs_{1:032d}"]
    assert not public.called
    assert all(c.request.headers["authorization"] == f"Bearer {TEST_KEY}" for c in respx.calls)
    assert {c.request.url.host for c in respx.calls} == {"proxy.internal"}


@respx.mock
def test_a_next_page_on_the_same_origin_spelled_differently_is_followed(
    client: chargeapi.Client,
) -> None:
    respx.get(f"{API}/v1/charging_sessions", params={"page": "p2"}).respond(
        200, json=_page(range(1, 2), None)
    )
    respx.get(f"{API}/v1/charging_sessions").respond(
        200, json=_page(range(1), "HTTPS://API.CHARGEAPI.CO:443/v1/charging_sessions?page=p2")
    )

    ids = [s.id for s in chargeapi.ChargingSession.list(client=client)]

    assert ids == [f"cs_{0:032d}", f"cs_{1:032d}"]


# -- 9. pickling -------------------------------------------------------------------------------------


def test_models_pickle_with_their_unknown_fields() -> None:
    session = chargeapi.ChargingSession.from_dict({**seed_response(), "new_field": {"a": [1]}})
    station = chargeapi.ChargingStation.from_dict(STATION_EXAMPLE)

    for model in (session, station):
        copy = pickle.loads(pickle.dumps(model))
        assert copy == model
        assert copy.to_dict() == model.to_dict()
    assert pickle.loads(pickle.dumps(session)).to_dict()["new_field"] == {"a": [1]}


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 418, 429, 500])
def test_every_status_error_unpickles_with_its_fields(status: int) -> None:
    cls = {409: chargeapi.ConflictError, 418: chargeapi.APIStatusError}.get(status)
    error = (cls or _status_class(status))(
        "the message",
        status_code=status,
        type="invalid_request_error",
        code="some_code",
        param="driver",
        request_id="req_1",
        doc_url="https://docs.example/x",
        headers={"Retry-After": "1"},
        body={"message": "the message"},
        idempotency_key="k-1",
        outcome_unknown=True,
    )

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is type(error)
    assert str(copy) == str(error)
    for field in (
        "status_code", "type", "code", "param", "request_id", "doc_url", "body",
        "idempotency_key", "outcome_unknown", "message",
    ):  # fmt: skip
        assert getattr(copy, field) == getattr(error, field)
    assert copy.headers["retry-after"] == "1"


def _status_class(status: int) -> type[chargeapi.APIStatusError]:
    return {
        400: chargeapi.BadRequestError,
        401: chargeapi.AuthenticationError,
        402: chargeapi.PaymentRequiredError,
        403: chargeapi.PermissionDeniedError,
        404: chargeapi.NotFoundError,
        429: chargeapi.RateLimitError,
        500: chargeapi.InternalServerError,
    }[status]


def test_other_errors_unpickle_too() -> None:
    errors = [
        chargeapi.ChargeAPIError("plain"),
        chargeapi.APITimeoutError("slow", idempotency_key="k", outcome_unknown=True),
        chargeapi.ResponseTooLargeError("big", status_code=200, outcome_unknown=True),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert copy.__dict__ == error.__dict__


def _create_in_worker(url: str) -> str:
    """Runs in another process: a create that the API answers with 409."""
    with respx.mock:
        respx.post(url).respond(
            409,
            json={
                "type": "invalid_request_error",
                "code": "charging_session_conflict",
                "message": "connector busy",
            },
        )
        with chargeapi.Client(TEST_KEY) as client:
            session = chargeapi.ChargingSession.create(
                **SEED_REQUEST, idempotency_key="pool-key-1", client=client
            )
    return session.id


def test_a_conflict_raised_in_a_process_pool_arrives_whole() -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        future = pool.submit(_create_in_worker, CREATE_URL)
        with pytest.raises(chargeapi.ConflictError) as caught:
            future.result(timeout=60)

    error = caught.value
    assert error.status_code == 409
    assert error.code == "charging_session_conflict"
    assert error.idempotency_key == "pool-key-1"
    assert error.outcome_unknown is False
    assert isinstance(error.headers, httpx.Headers)


# -- settings that could only fail later --------------------------------------------------------------


@pytest.mark.parametrize("timeout", [float("inf"), 1e10, 86_400.5, float("nan"), 0, -1, 10**400])
def test_a_timeout_no_clock_can_keep_is_refused_when_the_client_is_made(timeout: float) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="timeout") as caught:
        chargeapi.Client(TEST_KEY, timeout=timeout)
    assert caught.value.param == "timeout"
    with pytest.raises(chargeapi.InvalidParameterError, match="timeout"):
        chargeapi.Client(TEST_KEY).with_options(timeout=timeout)


@respx.mock
def test_a_timeout_of_a_day_works() -> None:
    respx.get(f"{API}/v1/charging_stations/{STATION_ID}").respond(200, json=STATION_EXAMPLE)
    with chargeapi.Client(TEST_KEY, timeout=86_400) as client:
        assert chargeapi.ChargingStation.retrieve(STATION_ID, client=client).id == STATION_ID


@pytest.mark.parametrize(
    "url",
    [
        "https://xn--zz.com",  # an A-label that is no valid IDNA
        "https://\u2603\ufe0f.example",  # an emoji host name
        "https://exa\tmple.com",  # urlsplit drops the tab: another host than written
        "https://api.charge\napi.co/v1",
        "https://api.charge\x00api.co",
    ],
)
def test_a_base_url_httpx_could_not_send_to_is_refused_when_the_client_is_made(url: str) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="base_url") as caught:
        chargeapi.Client(TEST_KEY, base_url=url)
    assert caught.value.param == "base_url"


# -- page URLs under a base URL with a path prefix --------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "/v1/charging_sessions?page=p2",  # the API's own path, root-relative
        "/chargeapi/v1/charging_sessions?page=p2",  # already under the prefix
        f"{API}/v1/charging_sessions?page=p2",  # the API's public address
        "https://proxy.internal:8443/v1/charging_sessions?page=p2",  # the proxy, unprefixed
        "https://proxy.internal:8443/chargeapi/v1/charging_sessions?page=p2",
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_page_link_is_followed_under_the_base_urls_path_prefix_however_written(
    link: str, mode: str, no_waiting: dict[str, Any]
) -> None:
    proxy = "https://proxy.internal:8443/chargeapi"
    respx.get(f"{proxy}/v1/charging_sessions", params={"page": "p2"}).respond(
        200, json=_page(range(1, 2), None)
    )
    respx.get(f"{proxy}/v1/charging_sessions").respond(200, json=_page(range(1), link))
    client = chargeapi.Client(TEST_KEY, base_url=proxy, **no_waiting)

    with client:
        ids = _walked_ids(mode, client)

    assert ids == [f"cs_{0:032d}", f"cs_{1:032d}"]
    assert [c.request.url.path for c in respx.calls] == ["/chargeapi/v1/charging_sessions"] * 2
