"""Which error a call raises, and what it carries: status -> class, the error body's fields,
non-JSON answers, malformed 2xx bodies, transport failures and timeouts."""

from __future__ import annotations

import asyncio
import json
import traceback
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChargeAPIError,
    ConflictError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
)

from .conftest import API, SEED_REQUEST, seed_response

SESSION = "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"
SESSION_URL = f"{API}/v1/charging_sessions/{SESSION}"
CREATE_URL = f"{API}/v1/charging_sessions"
REQUEST_ID = "req_6R3M9pQ4bV2kLs8nT1xY7wEf5cZa0HdJ"


def error_body(status: int, code: str, **overrides: Any) -> dict[str, Any]:
    """A documented flat error object (API doc section 2)."""
    body: dict[str, Any] = {
        "code": code,
        "doc_url": f"https://docs.chargeapi.co/errors#{code}",
        "message": f"Something about {code}.",
        "object": "error",
        "param": "charging_session",
        "request": REQUEST_ID,
        "status": status,
        "type": "invalid_request_error",
    }
    body.update(overrides)
    return body


# -- status -> class ----------------------------------------------------------------------------

STATUS_CLASSES = [
    (400, "parameter_invalid", BadRequestError),
    (401, "api_key_invalid", AuthenticationError),
    (402, "payment_authorization_failed", PaymentRequiredError),
    (403, "policy_blocked", PermissionDeniedError),
    (404, "charging_session_not_found", NotFoundError),
    (409, "charging_session_conflict", ConflictError),
    (429, "rate_limit_exceeded", RateLimitError),
    (500, "internal_error", InternalServerError),
    (502, "bad_gateway", InternalServerError),
    (503, "service_unavailable", InternalServerError),
]


@pytest.mark.parametrize(("status", "code", "error_class"), STATUS_CLASSES)
@respx.mock
def test_status_maps_to_its_error_class(
    client: chargeapi.Client, status: int, code: str, error_class: type[APIStatusError]
) -> None:
    respx.get(SESSION_URL).respond(status, json=error_body(status, code))

    with pytest.raises(error_class) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert type(error) is error_class
    assert isinstance(error, APIStatusError)
    assert isinstance(error, ChargeAPIError)
    assert error.status_code == status
    assert error.code == code


@respx.mock
def test_unlisted_4xx_is_a_plain_api_status_error(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(422, json=error_body(422, "unprocessable"))

    with pytest.raises(APIStatusError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert type(excinfo.value) is APIStatusError
    assert excinfo.value.status_code == 422
    assert excinfo.value.code == "unprocessable"


async def test_async_status_maps_to_its_error_class(client: chargeapi.Client) -> None:
    with respx.mock:
        respx.get(SESSION_URL).respond(404, json=error_body(404, "charging_session_not_found"))

        with pytest.raises(NotFoundError) as excinfo:
            await chargeapi.ChargingSession.retrieve_async(SESSION, client=client)

    assert excinfo.value.code == "charging_session_not_found"
    assert excinfo.value.request_id == REQUEST_ID


# -- attributes from the documented error body ----------------------------------------------------


@respx.mock
def test_error_attributes_come_from_the_flat_error_body(client: chargeapi.Client) -> None:
    body = {
        "code": "fleet_not_found",
        "doc_url": "https://docs.chargeapi.co/errors#fleet_not_found",
        "message": "Fleet not found.",
        "object": "error",
        "param": "fleet",
        "request": REQUEST_ID,
        "status": 404,
        "type": "invalid_request_error",
    }
    respx.get(SESSION_URL).respond(404, json=body, headers={"X-Extra": "yes"})

    with pytest.raises(NotFoundError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert error.status_code == 404
    assert error.type == "invalid_request_error"
    assert error.code == "fleet_not_found"
    assert error.message == "Fleet not found."
    assert error.param == "fleet"
    assert error.request_id == REQUEST_ID
    assert error.doc_url == "https://docs.chargeapi.co/errors#fleet_not_found"
    assert error.body == body
    assert error.headers["x-extra"] == "yes"
    assert error.headers["content-type"] == "application/json"


@respx.mock
def test_str_of_error_mentions_code_message_param_and_request_id(
    client: chargeapi.Client,
) -> None:
    respx.get(SESSION_URL).respond(
        400,
        json=error_body(400, "parameter_invalid", message="connector is busy.", param="connector"),
    )

    with pytest.raises(BadRequestError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    text = str(excinfo.value)
    assert "400" in text
    assert "parameter_invalid" in text
    assert "connector is busy." in text
    assert "connector" in text.split("connector is busy.", 1)[1]
    assert REQUEST_ID in text


@respx.mock
def test_request_id_falls_back_to_the_request_id_header(client: chargeapi.Client) -> None:
    body = error_body(404, "charging_session_not_found")
    del body["request"]
    respx.get(SESSION_URL).respond(404, json=body, headers={"Request-Id": "req_fromHeader123"})

    with pytest.raises(NotFoundError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert excinfo.value.request_id == "req_fromHeader123"
    assert "req_fromHeader123" in str(excinfo.value)


@respx.mock
def test_request_id_of_the_body_wins_over_the_header(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(
        404,
        json=error_body(404, "charging_session_not_found"),
        headers={"Request-Id": "req_fromHeader123"},
    )

    with pytest.raises(NotFoundError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert excinfo.value.request_id == REQUEST_ID


@respx.mock
def test_error_body_with_nullable_fields_gives_none_attributes(
    client: chargeapi.Client,
) -> None:
    respx.get(SESSION_URL).respond(
        400,
        json={"object": "error", "type": "invalid_request_error", "message": "Bad.", "code": None},
    )

    with pytest.raises(BadRequestError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert error.message == "Bad."
    assert error.code is None
    assert error.param is None
    assert error.request_id is None
    assert error.doc_url is None
    assert str(error) == "400: Bad."


# -- answers that are not a ChargeAPI error object -------------------------------------------------


@respx.mock
def test_html_502_from_a_proxy_is_an_internal_server_error_holding_the_text(
    client: chargeapi.Client,
) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    respx.get(SESSION_URL).respond(502, text=html, headers={"Content-Type": "text/html"})

    with pytest.raises(InternalServerError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert error.status_code == 502
    assert "not a ChargeAPI error" in error.message
    assert "text/html" in error.message
    assert "502 Bad Gateway" in error.message
    assert error.body == html
    assert error.code is None
    assert error.type is None
    assert error.param is None


@respx.mock
def test_empty_503_is_an_internal_server_error_saying_so(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(503, content=b"")

    with pytest.raises(InternalServerError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert error.status_code == 503
    assert "not a ChargeAPI error" in error.message
    assert "empty body" in error.message
    assert error.code is None


@respx.mock
def test_empty_error_body_is_kept_as_its_text(client: chargeapi.Client) -> None:
    # APIStatusError's docstring: for "an empty 502 ... ``body`` holds the raw text".
    respx.get(SESSION_URL).respond(502, content=b"")

    with pytest.raises(InternalServerError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert excinfo.value.body == ""


@respx.mock
def test_json_error_body_of_another_shape_still_gives_the_status_class(
    client: chargeapi.Client,
) -> None:
    respx.get(SESSION_URL).respond(401, json=["unexpected"])

    with pytest.raises(AuthenticationError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert "not a ChargeAPI error" in excinfo.value.message
    assert excinfo.value.body == ["unexpected"]


@respx.mock
def test_huge_html_body_is_truncated_in_the_error(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(404, text="x" * 100_000, headers={"Content-Type": "text/html"})

    with pytest.raises(NotFoundError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert len(excinfo.value.body) <= 2000
    assert len(str(excinfo.value)) < 1000


# -- 2xx answers that are not the documented object -------------------------------------------------


def assert_clean(error: BaseException) -> None:
    """No JSON/KeyError/cattrs exception is chained or shown in the traceback."""
    assert type(error) is InvalidResponseError
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    shown = "".join(traceback.format_exception(error))
    for leaked in ("JSONDecodeError", "KeyError", "cattrs", "ClassValidationError"):
        assert leaked not in shown


@respx.mock
def test_200_with_non_json_body_is_an_invalid_response_error(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(
        200, text="<html>maintenance</html>", headers={"Content-Type": "text/html"}
    )

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    error = excinfo.value
    assert_clean(error)
    assert not isinstance(error, json.JSONDecodeError)
    assert error.status_code == 200
    assert error.body == "<html>maintenance</html>"
    assert "not JSON" in error.message
    assert "text/html" in error.message
    assert f"/v1/charging_sessions/{SESSION}" in error.message


@pytest.fixture
def strict(client: chargeapi.Client) -> chargeapi.Client:
    """``client`` with ``strict_responses=True``: an answer off the documented shape raises
    (by default it decodes with a warning: tests/test_response_shape.py)."""
    return client.with_options(strict_responses=True)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("amount_due", "1842", "amount_due"),
        ("amount_due", 18.42, "amount_due"),
        ("energy_consumed", None, "energy_consumed"),
        ("object", "driver", "object"),
        ("created", "yesterday", "created"),
        ("driver", 42, "driver"),
    ],
)
@respx.mock
def test_200_with_a_wrong_field_names_the_field(
    strict: chargeapi.Client, field: str, value: Any, named: str
) -> None:
    body = seed_response()
    body[field] = value
    respx.get(SESSION_URL).respond(200, json=body)

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=strict)

    assert_clean(excinfo.value)
    assert named in str(excinfo.value)
    assert excinfo.value.body == body


@respx.mock
def test_200_with_a_missing_field_names_the_field(strict: chargeapi.Client) -> None:
    body = seed_response()
    del body["amount_due"]
    respx.get(SESSION_URL).respond(200, json=body)

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=strict)

    assert_clean(excinfo.value)
    assert "amount_due" in str(excinfo.value)
    assert "missing" in str(excinfo.value)


@pytest.mark.parametrize(
    "payload", [[seed_response()], "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY", 42, None]
)
@respx.mock
def test_200_with_a_json_value_that_is_no_object(client: chargeapi.Client, payload: Any) -> None:
    respx.get(SESSION_URL).respond(200, json=payload)

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert_clean(excinfo.value)
    assert "ChargingSession" in str(excinfo.value)
    assert type(payload).__name__ in str(excinfo.value)


@respx.mock
def test_200_with_empty_body_is_an_invalid_response_error(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(200, content=b"")

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert_clean(excinfo.value)


async def test_async_200_with_a_wrong_field_names_the_field(strict: chargeapi.Client) -> None:
    body = seed_response()
    body["amount_due"] = "1842"
    with respx.mock:
        respx.post(CREATE_URL).respond(200, json=body)

        with pytest.raises(InvalidResponseError) as excinfo:
            await chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=strict)

    assert_clean(excinfo.value)
    assert "amount_due" in str(excinfo.value)


# -- idempotency keys on errors of a POST -----------------------------------------------------------


@respx.mock
def test_status_error_of_a_post_carries_the_idempotency_key_sent(
    client: chargeapi.Client,
) -> None:
    route = respx.post(CREATE_URL).respond(409, json=error_body(409, "charging_session_conflict"))

    with pytest.raises(ConflictError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    sent = route.calls.last.request.headers["Idempotency-Key"]
    assert sent
    assert excinfo.value.idempotency_key == sent


@respx.mock
def test_caller_idempotency_key_is_carried_by_the_error(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(402, json=error_body(402, "payment_authorization_failed"))

    with pytest.raises(PaymentRequiredError) as excinfo:
        chargeapi.ChargingSession.create(
            **SEED_REQUEST, idempotency_key="order-4711-start", client=client
        )

    assert excinfo.value.idempotency_key == "order-4711-start"


@respx.mock
def test_non_json_200_of_a_post_carries_the_idempotency_key_sent(
    client: chargeapi.Client,
) -> None:
    route = respx.post(CREATE_URL).respond(200, text="not json")

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    assert excinfo.value.idempotency_key == route.calls.last.request.headers["Idempotency-Key"]


@respx.mock
def test_wrong_shape_200_of_a_post_carries_the_idempotency_key_sent(
    strict: chargeapi.Client,
) -> None:
    # The session may have been created: the caller needs the key to retry safely.
    body = seed_response()
    del body["amount_due"]
    route = respx.post(CREATE_URL).respond(200, json=body)

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=strict)

    assert excinfo.value.idempotency_key == route.calls.last.request.headers["Idempotency-Key"]


@respx.mock
def test_error_of_a_get_has_no_idempotency_key(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).respond(404, json=error_body(404, "charging_session_not_found"))

    with pytest.raises(NotFoundError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert excinfo.value.idempotency_key is None


@respx.mock
def test_end_error_carries_the_idempotency_key_sent(client: chargeapi.Client) -> None:
    route = respx.post(f"{SESSION_URL}/end").respond(
        409, json=error_body(409, "charging_session_state_conflict")
    )

    with pytest.raises(ConflictError) as excinfo:
        chargeapi.ChargingSession.end(SESSION, client=client)

    assert excinfo.value.idempotency_key == route.calls.last.request.headers["Idempotency-Key"]


# -- 4xx are never retried ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 422])
@respx.mock
def test_4xx_is_not_retried(client: chargeapi.Client, sleeps: list[float], status: int) -> None:
    route = respx.post(CREATE_URL).respond(status, json=error_body(status, "some_code"))

    with pytest.raises(APIStatusError):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    assert route.call_count == 1
    assert sleeps == []


# -- no HTTP answer -------------------------------------------------------------------------------


@respx.mock
def test_connection_failure_after_retries_is_an_api_connection_error(
    client: chargeapi.Client,
) -> None:
    route = respx.post(CREATE_URL).mock(side_effect=httpx.ReadError("connection reset"))

    with pytest.raises(APIConnectionError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    error = excinfo.value
    assert type(error) is APIConnectionError
    assert route.call_count == 3  # the first attempt and max_retries=2
    key = route.calls.last.request.headers["Idempotency-Key"]
    assert error.idempotency_key == key
    assert error.outcome_unknown is True
    assert key in str(error)
    assert "Retry" in str(error)
    assert "connection reset" in str(error)
    assert not isinstance(error, httpx.HTTPError)


@pytest.mark.parametrize("timeout", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.PoolTimeout])
@respx.mock
def test_timeout_after_retries_is_an_api_timeout_error(
    client: chargeapi.Client, timeout: type[httpx.TimeoutException]
) -> None:
    route = respx.post(CREATE_URL).mock(side_effect=timeout)

    with pytest.raises(APITimeoutError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    error = excinfo.value
    assert isinstance(error, APIConnectionError)
    assert route.call_count == 3
    key = route.calls.last.request.headers["Idempotency-Key"]
    assert error.idempotency_key == key
    assert "timed out" in str(error)
    if timeout is httpx.ReadTimeout:  # connect and pool timeouts: nothing was sent
        assert f"idempotency_key={key!r}" in str(error)
    else:
        assert error.outcome_unknown is False
        assert "unknown" not in str(error)


async def test_async_timeout_is_an_api_timeout_error_with_the_key(
    client: chargeapi.Client,
) -> None:
    with respx.mock:
        route = respx.post(CREATE_URL).mock(side_effect=httpx.ReadTimeout)

        with pytest.raises(APITimeoutError) as excinfo:
            await chargeapi.ChargingSession.create_async(
                **SEED_REQUEST, idempotency_key="retry-me-1", client=client
            )

    assert route.call_count == 3
    assert {call.request.headers["Idempotency-Key"] for call in route.calls} == {"retry-me-1"}
    assert excinfo.value.idempotency_key == "retry-me-1"
    assert "idempotency_key='retry-me-1'" in str(excinfo.value)


async def test_async_connection_failure_is_an_api_connection_error(
    client: chargeapi.Client,
) -> None:
    with respx.mock:
        respx.get(SESSION_URL).mock(side_effect=httpx.ConnectError("no route to host"))

        with pytest.raises(APIConnectionError) as excinfo:
            await chargeapi.ChargingSession.retrieve_async(SESSION, client=client)

    assert type(excinfo.value) is APIConnectionError
    assert excinfo.value.idempotency_key is None


@respx.mock
def test_timeout_of_a_get_does_not_advise_an_idempotency_key(client: chargeapi.Client) -> None:
    respx.get(SESSION_URL).mock(side_effect=httpx.ReadTimeout)

    with pytest.raises(APITimeoutError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=client)

    assert excinfo.value.idempotency_key is None
    assert "idempotency_key" not in str(excinfo.value)
    # Which server, how many attempts, and how long each could take.
    assert str(excinfo.value).startswith(
        f"GET /v1/charging_sessions/{SESSION} to api.chargeapi.co timed out "
        "(3 attempts, timeout 60 s each)."
    )


@respx.mock
def test_wrong_shape_200_error_carries_the_status_code(strict: chargeapi.Client) -> None:
    body = seed_response()
    body["amount_due"] = "1842"
    respx.get(SESSION_URL).respond(200, json=body)

    with pytest.raises(InvalidResponseError) as excinfo:
        chargeapi.ChargingSession.retrieve(SESSION, client=strict)

    assert excinfo.value.status_code == 200


@respx.mock
def test_error_headers_are_looked_up_case_insensitively(client: chargeapi.Client) -> None:
    respx.get(f"{API}/v1/charging_sessions/cs_x").respond(
        404, headers={"Retry-After": "3", "Request-Id": "req_h"}, json={"message": "gone"}
    )

    with pytest.raises(chargeapi.NotFoundError) as caught:
        chargeapi.ChargingSession.retrieve("cs_x", client=client)

    assert caught.value.headers["Retry-After"] == "3"
    assert caught.value.headers["request-id"] == "req_h"


@respx.mock
def test_a_json_error_body_of_another_shape_is_described_in_the_message(
    client: chargeapi.Client,
) -> None:
    respx.get(f"{API}/v1/charging_sessions/cs_x").respond(500, json=["upstream", "failed"])
    client_without_retries = chargeapi.Client("ch_sk_test_x", max_retries=0)

    with client_without_retries, pytest.raises(chargeapi.InternalServerError) as caught:
        chargeapi.ChargingSession.retrieve("cs_x", client=client_without_retries)

    assert caught.value.body == ["upstream", "failed"]
    assert '["upstream", "failed"]' in str(caught.value)


@respx.mock
def test_a_connection_error_keeps_the_http_librarys_error_as_its_cause(
    client: chargeapi.Client,
) -> None:
    respx.get(f"{API}/v1/charging_sessions/cs_x").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        chargeapi.ChargingSession.retrieve("cs_x", client=client)

    assert isinstance(caught.value.__cause__, httpx.ConnectError)


@respx.mock
def test_a_404_page_of_another_server_asks_about_base_url(client: chargeapi.Client) -> None:
    respx.get(f"{API}/v1/drivers/drv_1").mock(
        return_value=httpx.Response(
            404, text="<html>Not Found</html>", headers={"content-type": "text/html"}
        )
    )
    with pytest.raises(chargeapi.NotFoundError) as excinfo:
        chargeapi.Driver.retrieve("drv_1", client=client)
    assert excinfo.value.message.endswith("Is base_url the ChargeAPI (or the simulator)?")
    assert excinfo.value.code is None


def test_a_base_url_without_a_scheme_says_what_to_write() -> None:
    with pytest.raises(ValueError, match=r"starting with https:// \(or http:// for localhost"):
        chargeapi.Client("ch_sk_test_x", base_url="127.0.0.1:12111")


def test_a_closed_client_of_yours_is_a_clear_chargeapi_error() -> None:
    http, async_http = httpx.Client(), httpx.AsyncClient()
    http.close()
    asyncio.run(async_http.aclose())
    client = chargeapi.Client("ch_sk_test_x", http_client=http, async_http_client=async_http)
    closed = r"http_client passed to chargeapi\.Client is closed"
    with pytest.raises(chargeapi.ChargeAPIError, match=closed):
        chargeapi.Driver.retrieve("drv_1", client=client)
    with pytest.raises(chargeapi.ChargeAPIError, match=closed):
        asyncio.run(chargeapi.Driver.retrieve_async("drv_1", client=client))
