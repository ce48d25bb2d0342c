"""Policy: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The policy example of the API reference (section 7.8), verbatim.
POLICY: dict[str, Any] = {
    "id": "pol_BAmcmCVnWzqSlC5BFWKtpgHsOAo22N9N",
    "object": "policy",
    "created": "2026-04-01T00:39:10.282Z",
    "description": None,
    "metadata": {},
    "mode": "enforcement",
    "name": "Example Policy",
    "rules": {
        "allowed_operators": ["example_operator"],
        "denied_operators": [],
        "geofences": [
            {
                "center": {"latitude": 48.8698, "longitude": 2.3319},
                "name": "Example Zone",
                "radius_meters": 1500,
            }
        ],
        "max_price_per_kwh": 25,
        "time_windows": [
            {
                "days_of_week": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                "end_time": "18:00",
                "start_time": "09:00",
            }
        ],
    },
    "status": "active",
}
POL = "pol_BAmcmCVnWzqSlC5BFWKtpgHsOAo22N9N"
Sdk = Callable[..., Any]


def check_policy(policy: Any) -> None:
    assert isinstance(policy, chargeapi.Policy)
    assert policy.id == POL
    assert policy.mode is chargeapi.PolicyMode.ENFORCEMENT
    assert policy.status is chargeapi.PolicyStatus.ACTIVE
    assert policy.rules.max_price_per_kwh == 25
    assert isinstance(policy.rules.geofences[0], chargeapi.Geofence)
    assert policy.rules.geofences[0].center is not None
    assert policy.rules.geofences[0].center.latitude == 48.8698
    assert policy.rules.time_windows[0].start_time == "09:00"


def test_documented_example_round_trips() -> None:
    policy = chargeapi.Policy.from_dict(POLICY)
    check_policy(policy)
    assert policy.created == datetime(2026, 4, 1, 0, 39, 10, 282000, tzinfo=UTC)
    assert policy.to_dict() == POLICY


def test_unknown_mode_stays_a_plain_string() -> None:
    policy = chargeapi.Policy.from_dict({**POLICY, "mode": "audit"})
    assert policy.mode == "audit"
    assert not isinstance(policy.mode, chargeapi.PolicyMode)


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/policies").mock(return_value=httpx.Response(200, json=POLICY))
    policy = sdk(
        chargeapi.Policy.create,
        mode="enforcement",
        name="Business Hours Policy",
        rules={
            "max_price_per_kwh": 25,
            "geofences": [
                {"center": {"latitude": 48.8698, "longitude": 2.3319}, "radius_meters": 1500}
            ],
            "time_windows": [
                {"days_of_week": ["monday"], "start_time": "09:00", "end_time": "18:00"}
            ],
        },
        description="Weekdays only",
        metadata={"team": "ops"},
    )
    assert_post(
        route,
        {
            "mode": "enforcement",
            "name": "Business Hours Policy",
            "rules": {
                "max_price_per_kwh": 25,
                "geofences": [
                    {"center": {"latitude": 48.8698, "longitude": 2.3319}, "radius_meters": 1500}
                ],
                "time_windows": [
                    {"days_of_week": ["monday"], "start_time": "09:00", "end_time": "18:00"}
                ],
            },
            "description": "Weekdays only",
            "metadata": {"team": "ops"},
        },
    )
    check_policy(policy)


@respx.mock
def test_create_sends_only_the_required_parameters_when_nothing_else_is_given(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/policies").mock(return_value=httpx.Response(200, json=POLICY))
    sdk(
        chargeapi.Policy.create,
        mode="suggestion",
        name="Business Hours Policy",
        rules={"max_price_per_kwh": 25},
        idempotency_key="policy-create-1",
    )
    assert_post(
        route,
        {"mode": "suggestion", "name": "Business Hours Policy", "rules": {"max_price_per_kwh": 25}},
    )
    assert route.calls.last.request.headers["Idempotency-Key"] == "policy-create-1"


@respx.mock
def test_retrieve(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/policies/{POL}").mock(
        return_value=httpx.Response(200, json=POLICY)
    )
    check_policy(sdk(chargeapi.Policy.retrieve, POL))
    assert_get(route, [])


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/policies/{POL}").mock(
        return_value=httpx.Response(200, json=POLICY)
    )
    check_policy(
        sdk(
            chargeapi.Policy.update,
            POL,
            description=None,
            status="inactive",
            rules={"denied_operators": ["other_operator"]},
        )
    )
    assert_post(
        route,
        {
            "description": None,
            "status": "inactive",
            "rules": {"denied_operators": ["other_operator"]},
        },
    )


@respx.mock
def test_list_sends_the_status_filter_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/policies").mock(
        return_value=httpx.Response(
            200, json={"data": [POLICY], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Policy.list, status="active", limit=10)
    assert_get(route, [("status", "active"), ("limit", "10")])
    assert len(page.data) == 1
    check_policy(page.data[0])


@respx.mock
def test_delete_returns_the_deleted_object(sdk: Sdk) -> None:
    route = respx.delete(f"{API}/v1/policies/{POL}").mock(
        return_value=httpx.Response(200, json={"id": POL, "object": "policy", "deleted": True})
    )
    deleted = sdk(chargeapi.Policy.delete, POL)
    assert_get(route, [])
    assert route.calls.last.request.method == "DELETE"
    assert isinstance(deleted, chargeapi.DeletedObject)
    assert (deleted.id, deleted.object, deleted.deleted) == (POL, "policy", True)
    assert deleted.to_dict() == {"id": POL, "object": "policy", "deleted": True}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"mode": "enforce"}, ValueError, r"^mode must be one of 'enforcement', 'suggestion'"),
        ({"rules": {"max_price_per_kwh": "25"}}, TypeError, r"^rules\.max_price_per_kwh must"),
        ({"rules": {"max_price": 25}}, ValueError, r"^rules\.max_price is not a documented"),
        (
            {"rules": {"time_windows": [{"days_of_week": ["mon"]}]}},
            ValueError,
            r"^rules\.time_windows\[0\]\.days_of_week\[0\] must be one of 'monday'",
        ),
        (
            {"rules": {"geofences": [{"center": {"latitude": 91, "longitude": 0}}]}},
            ValueError,
            r"^rules\.geofences\[0\]\.center\.latitude must be between -90 and 90",
        ),
        (
            {"rules": {"geofences": [{"center": {"latitude": 48.8}}]}},
            ValueError,
            r"^rules\.geofences\[0\]\.center\.longitude is required",
        ),
        ({"rules": {"allowed_operators": "ionity"}}, TypeError, r"^rules\.allowed_operators must"),
        ({"metadata": {"k" * 41: "v"}}, ValueError, r"^metadata keys must be 1 to 40"),
        ({"metadata": {str(i): "v" for i in range(51)}}, ValueError, r"^metadata may have at"),
        ({"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be at most 500"),
        ({"name": None}, TypeError, r"^name must be a str"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    params: dict[str, Any] = {"mode": "enforcement", "name": "P", "rules": {}, **kwargs}
    with refused_before_io(error, match=message):
        sdk(chargeapi.Policy.create, **params)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "enabled"}, r"^status must be one of 'active', 'inactive'"),
        ({"limit": 0}, r"^limit must be between 1 and 100"),
        ({"limit": 101}, r"^limit must be between 1 and 100"),
    ],
)
def test_bad_list_filters_are_refused_before_any_io(
    sdk: Sdk, kwargs: dict[str, Any], message: str
) -> None:
    with refused_before_io(ValueError, match=message):
        sdk(chargeapi.Policy.list, **kwargs)


@pytest.mark.parametrize("action", ["retrieve", "delete"])
def test_policy_id_must_carry_its_prefix(sdk: Sdk, action: str) -> None:
    with refused_before_io(ValueError, match=r"^id must"):
        sdk(getattr(chargeapi.Policy, action), "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3")


@respx.mock
def test_retrieve_by_id_picks_policy_from_the_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/policies/{POL}").mock(
        return_value=httpx.Response(200, json=POLICY)
    )
    check_policy(chargeapi.retrieve(POL, client=client))
    assert_get(route, [])
