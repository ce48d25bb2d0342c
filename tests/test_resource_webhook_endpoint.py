"""WebhookEndpoint: every operation's exact request on the wire, and the typed object back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The webhook endpoint example of the API reference (section 6), verbatim.
ENDPOINT: dict[str, Any] = {
    "id": "wh_ciX3YSgbziEUrUrZ7eUwNnAJm89uT45f",
    "object": "webhook_endpoint",
    "api_version": "2026-03-01",
    "application": None,
    "created": "2026-04-01T00:25:13.233Z",
    "description": None,
    "enabled_events": ["report.succeeded", "reservation.confirmed"],
    "livemode": False,
    "metadata": {},
    "secret": "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA",
    "status": "enabled",
    "url": "https://example.com/webhook/endpoint",
}
WH = "wh_ciX3YSgbziEUrUrZ7eUwNnAJm89uT45f"
URL = "https://example.com/webhook/endpoint"
Sdk = Callable[..., Any]


def check_endpoint(endpoint: Any, status: chargeapi.WebhookEndpointStatus) -> None:
    assert isinstance(endpoint, chargeapi.WebhookEndpoint)
    assert endpoint.id == WH
    assert endpoint.status == status
    assert endpoint.enabled_events == ("report.succeeded", "reservation.confirmed")
    assert endpoint.url == URL
    assert endpoint.created == datetime(2026, 4, 1, 0, 25, 13, 233000, tzinfo=UTC)
    assert endpoint.secret == "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"


def test_documented_example_round_trips() -> None:
    decoded = chargeapi.WebhookEndpoint.from_dict(ENDPOINT)
    check_endpoint(decoded, chargeapi.WebhookEndpointStatus.ENABLED)
    assert decoded.livemode is False
    assert decoded.to_dict() == ENDPOINT


def test_the_signing_secret_stays_out_of_the_repr() -> None:
    shown = repr(chargeapi.WebhookEndpoint.from_dict(ENDPOINT))
    assert WH in shown
    assert "whsec_" not in shown


def test_old_unix_timestamps_decode() -> None:
    decoded = chargeapi.WebhookEndpoint.from_dict({**ENDPOINT, "created": 1711930513})
    assert decoded.created == datetime(2024, 4, 1, 0, 15, 13, tzinfo=UTC)


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/webhook_endpoints").mock(
        return_value=httpx.Response(200, json=ENDPOINT)
    )
    endpoint = sdk(
        chargeapi.WebhookEndpoint.create,
        enabled_events=("report.succeeded", "reservation.confirmed"),
        url=URL,
        api_version="2026-03-01",
        description="Primary webhook endpoint.",
        metadata={"team": "ops"},
    )
    assert_post(
        route,
        {
            "enabled_events": ["report.succeeded", "reservation.confirmed"],
            "url": URL,
            "api_version": "2026-03-01",
            "description": "Primary webhook endpoint.",
            "metadata": {"team": "ops"},
        },
    )
    check_endpoint(endpoint, chargeapi.WebhookEndpointStatus.ENABLED)


@respx.mock
def test_retrieve_sends_no_query(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/webhook_endpoints/{WH}").mock(
        return_value=httpx.Response(200, json=ENDPOINT)
    )
    check_endpoint(
        sdk(chargeapi.WebhookEndpoint.retrieve, WH), chargeapi.WebhookEndpointStatus.ENABLED
    )
    assert_get(route, [])


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    disabled = {**ENDPOINT, "status": "disabled"}
    route = respx.post(f"{API}/v1/webhook_endpoints/{WH}").mock(
        return_value=httpx.Response(200, json=disabled)
    )
    endpoint = sdk(
        chargeapi.WebhookEndpoint.update,
        WH,
        enabled_events=["vehicle.updated"],
        status="disabled",
        description=None,
    )
    assert_post(
        route, {"enabled_events": ["vehicle.updated"], "status": "disabled", "description": None}
    )
    check_endpoint(endpoint, chargeapi.WebhookEndpointStatus.DISABLED)


@respx.mock
def test_list_sends_the_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/webhook_endpoints").mock(
        return_value=httpx.Response(
            200, json={"data": [ENDPOINT], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.WebhookEndpoint.list, limit=10)
    assert_get(route, [("limit", "10")])
    assert len(page.data) == 1
    check_endpoint(page.data[0], chargeapi.WebhookEndpointStatus.ENABLED)


def test_there_is_no_delete() -> None:
    assert not hasattr(chargeapi.WebhookEndpoint, "delete")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://example.com/webhook", ValueError),
        ("example.com/webhook", ValueError),
        ("https:///webhook", ValueError),
        ("ftp://example.com/webhook", ValueError),
        (b"https://example.com/webhook", TypeError),
    ],
)
def test_url_must_be_https(sdk: Sdk, url: Any, error: type[Exception]) -> None:
    with refused_before_io(error, match=r"^url must be"):
        sdk(chargeapi.WebhookEndpoint.create, enabled_events=["report.succeeded"], url=url)


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error", "message"),
    [
        ("create", (), {"enabled_events": "report.succeeded", "url": URL}, TypeError, r"^enabled_"),
        ("create", (), {"enabled_events": [1], "url": URL}, TypeError, r"^enabled_events\[0\]"),
        ("update", (WH,), {"status": "paused"}, ValueError, r"^status must be one of 'enabled'"),
        ("update", ("whe_1",), {}, ValueError, r"^id must be a webhook endpoint ID"),
        ("list", (), {"limit": 0}, ValueError, r"^limit must be between 1 and 100"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with refused_before_io(error, match=message):
        sdk(getattr(chargeapi.WebhookEndpoint, method), *args, **kwargs)


@respx.mock
def test_chargeapi_retrieve_picks_webhook_endpoint_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/webhook_endpoints/{WH}").mock(
        return_value=httpx.Response(200, json=ENDPOINT)
    )
    found = chargeapi.retrieve(WH, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.WebhookEndpoint)
    assert found.id == WH
