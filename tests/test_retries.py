"""Which failures are retried, how often, how long the client waits, and with which key."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, SEED_REQUEST, seed_response

CreateSession = Callable[..., chargeapi.ChargingSession]
URL = f"{API}/v1/charging_sessions"


def _keys(route: respx.Route) -> list[str]:
    return [call.request.headers["idempotency-key"] for call in route.calls]


@respx.mock
def test_transient_failures_are_retried_with_one_idempotency_key(
    create_session: CreateSession,
) -> None:
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(502),
            httpx.Response(200, json=seed_response()),
        ]
    )

    session = create_session()

    assert session.id == seed_response()["id"]
    assert route.call_count == 3
    assert len(set(_keys(route))) == 1


@respx.mock
def test_a_callers_key_is_reused_on_every_attempt(create_session: CreateSession) -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=seed_response())]
    )

    create_session(idempotency_key="my-key-1")

    assert _keys(route) == ["my-key-1", "my-key-1"]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@respx.mock
def test_each_retryable_status_is_retried(status: int, client: chargeapi.Client) -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.Response(status), httpx.Response(200, json=seed_response())]
    )

    chargeapi.ChargingSession.create(**_params(), client=client)

    assert route.call_count == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 422])
@respx.mock
def test_other_statuses_are_never_retried(status: int, client: chargeapi.Client) -> None:
    route = respx.post(URL).respond(status, json={"object": "error", "message": "no"})

    with pytest.raises(chargeapi.APIStatusError) as caught:
        chargeapi.ChargingSession.create(**_params(), client=client)

    assert route.call_count == 1
    assert caught.value.status_code == status


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")],
    ids=["connect", "timeout", "dropped"],
)
@respx.mock
def test_transport_failures_are_retried(failure: Exception, create_session: CreateSession) -> None:
    route = respx.post(URL).mock(side_effect=[failure, httpx.Response(200, json=seed_response())])

    create_session()

    assert route.call_count == 2


@respx.mock
def test_max_retries_bounds_the_extra_attempts(create_session: CreateSession) -> None:
    route = respx.post(URL).respond(503)

    with pytest.raises(chargeapi.InternalServerError):
        create_session()

    assert route.call_count == 3  # the default max_retries=2: one attempt plus two retries


@pytest.mark.parametrize("max_retries", [0, 1, 4])
@respx.mock
def test_max_retries_is_configurable(max_retries: int, sleeps: list[float]) -> None:
    route = respx.post(URL).respond(503)
    client = chargeapi.Client("ch_sk_test_x", max_retries=max_retries, sleep=sleeps.append)

    with client, pytest.raises(chargeapi.InternalServerError):
        chargeapi.ChargingSession.create(**_params(), client=client)

    assert route.call_count == max_retries + 1
    assert len(sleeps) == max_retries


@respx.mock
def test_backoff_doubles_from_half_a_second_to_eight_with_jitter(sleeps: list[float]) -> None:
    respx.post(URL).respond(503)
    client = chargeapi.Client("ch_sk_test_x", max_retries=6, sleep=sleeps.append)

    with client, pytest.raises(chargeapi.InternalServerError):
        chargeapi.ChargingSession.create(**_params(), client=client)

    for delay, base in zip(sleeps, [0.5, 1, 2, 4, 8, 8], strict=True):
        assert 0.75 * base <= delay <= base


@pytest.mark.parametrize(
    ("header", "expected"), [("3", 3.0), ("0", 0.0), ("1.5", 1.5), ("120", 60.0)]
)
@respx.mock
def test_retry_after_seconds_are_obeyed_exactly_and_capped(
    header: str, expected: float, client: chargeapi.Client, sleeps: list[float]
) -> None:
    respx.post(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": header}),
            httpx.Response(200, json=seed_response()),
        ]
    )

    chargeapi.ChargingSession.create(**_params(), client=client)

    assert sleeps == [expected]


@respx.mock
def test_retry_after_http_date_is_obeyed(client: chargeapi.Client, sleeps: list[float]) -> None:
    in_five_seconds = email.utils.formatdate(time.time() + 5, usegmt=True)
    respx.post(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": in_five_seconds}),
            httpx.Response(200, json=seed_response()),
        ]
    )

    chargeapi.ChargingSession.create(**_params(), client=client)

    assert len(sleeps) == 1
    assert 3.5 < sleeps[0] <= 5.0  # the date has whole seconds


@respx.mock
def test_a_retry_after_date_in_the_past_means_retry_now(
    client: chargeapi.Client, sleeps: list[float]
) -> None:
    respx.post(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
            httpx.Response(200, json=seed_response()),
        ]
    )

    chargeapi.ChargingSession.create(**_params(), client=client)

    assert sleeps == [0.0]


@pytest.mark.parametrize("header", ["soon", "-5", "nan", ""])
@respx.mock
def test_an_unusable_retry_after_falls_back_to_backoff(
    header: str, client: chargeapi.Client, sleeps: list[float]
) -> None:
    respx.post(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": header}),
            httpx.Response(200, json=seed_response()),
        ]
    )

    chargeapi.ChargingSession.create(**_params(), client=client)

    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5


@respx.mock
async def test_async_retries_sleep_through_the_injected_async_sleep(
    client: chargeapi.Client, sleeps: list[float]
) -> None:
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, json=seed_response()),
        ]
    )

    await chargeapi.ChargingSession.create_async(**_params(), client=client)

    assert sleeps == [2.0]
    assert len(set(_keys(route))) == 1


@respx.mock
def test_gets_are_retried_too(client: chargeapi.Client) -> None:
    session_id = seed_response()["id"]
    route = respx.get(f"{URL}/{session_id}").mock(
        side_effect=[httpx.Response(500), httpx.Response(200, json=seed_response())]
    )

    chargeapi.ChargingSession.retrieve(session_id, client=client)

    assert route.call_count == 2


@respx.mock
def test_a_failed_call_reports_the_key_to_retry_with(client: chargeapi.Client) -> None:
    respx.post(URL).mock(side_effect=httpx.RemoteProtocolError("dropped"))

    with pytest.raises(chargeapi.APIConnectionError) as caught:
        chargeapi.ChargingSession.create(**_params(), idempotency_key="k-77", client=client)

    assert caught.value.idempotency_key == "k-77"
    assert "k-77" in str(caught.value)


def _params() -> dict[str, str]:
    return dict(SEED_REQUEST)
