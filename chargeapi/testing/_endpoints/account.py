"""The account and what hangs off it: accounts, policies, reports, webhook endpoints.

Where the docs are silent:

* Account create has no documented required parameter; `type` is `individual` or `business`,
  `metric_system` `metric` or `imperial`.
* Policies: `mode`, `name` and `rules` are required on create; an update may also set
  `status` (`active` / `inactive`). Deleting one unlinks it from every driver, vehicle and fleet.
  Rules are checked when a session starts (see `charging.py`): operators compare
  case-insensitively with spaces as underscores (`"Example Operator"` is `example_operator`),
  time windows are in UTC, geofences are where charging is allowed.
* Policies' rules are served whole: a geofence needs `center` and `radius_meters` (its `name`
  defaults to `""`), a time window without `days_of_week`, `start_time` or `end_time` covers
  every day, from `00:00`, until `24:00`; `max_price_per_kwh` stays null when not set.
* Reports: `parameters.type`, `period_start` and `period_end` are required (400
  `report_validation_error`); `group_by` defaults to `vehicle` and `filters.vehicle` to `[]`;
  a filtered vehicle that does not exist is a 404 `vehicle_not_found`.
  The file is a CSV of the period's completed sessions grouped by `group_by`, served at
  `GET /files/reports/<id>.csv` on the simulator's own origin, without authentication (like a
  signed download link).
* Webhook endpoints: `url` must be https; `enabled_events` needs at least one type. The
  simulator delivers events only to loopback `http://` URLs (`_delivery.py`), registered with
  `Simulator.webhook_endpoint`; deliveries to other URLs are recorded as skipped.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from chargeapi.testing._endpoints._common import (
    CURRENCY,
    Bad,
    Call,
    Endpoint,
    address,
    array,
    body,
    boolean,
    created,
    equals,
    https_url,
    ident,
    integer,
    list_of,
    metadata,
    nullable,
    number,
    obj,
    one_of,
    opt,
    req,
    retrieve,
    stored,
    string,
    text,
    timestamp,
    updated,
)
from chargeapi.testing._errors import invalid
from chargeapi.testing._render import render
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import API_VERSION, Store
from chargeapi.testing._time import parse_timestamp

ACCOUNT_PREFERENCES = obj(
    {
        "billing_cycle": opt(string(50)),
        "default_currency": opt(CURRENCY),
        "default_payment_method": opt(nullable(ident("payment_method"))),
        "notifications": opt(boolean),
        "report_frequency": opt(string(50)),
        "reporting_enabled": opt(boolean),
    }
)
ACCOUNT = {
    "default_currency": opt(CURRENCY),
    "email": opt(string(320)),
    "name": opt(string(200)),
    "plan": opt(string(50)),
    "type": opt(one_of("individual", "business")),
    "metadata": opt(nullable(metadata)),
    "metric_system": opt(one_of("metric", "imperial")),
    "preferences": opt(ACCOUNT_PREFERENCES),
}


def _check_default_card(store: Store, values: JSON) -> None:
    preferences: JSON = values.get("preferences") or {}
    card = preferences.get("default_payment_method")
    if card is not None:
        stored(store, "payment_method", card, "preferences.default_payment_method")


def create_account(call: Call) -> JSON:
    values = body(call, ACCOUNT)
    store = call.store
    _check_default_card(store, values)
    now = store.stamp()
    currency = values.get("default_currency", "eur")
    email, name = values.get("email", ""), values.get("name", "")
    return created(
        store,
        "account",
        {
            "id": store.new_id("account"),
            "object": "account",
            "billing_details": {"billing_address": address()},
            "business_type": None,
            "contact": {"email": email, "name": name, "phone": ""},
            "created": now,
            "default_currency": currency,
            "description": None,
            "email": email,
            "metadata": values.get("metadata") or {},
            "metric_system": values.get("metric_system", "metric"),
            "name": name,
            "plan": values.get("plan", "starter"),
            "preferences": {
                "billing_cycle": "monthly",
                "default_currency": currency,
                "default_payment_method": None,
                "notifications": True,
                "report_frequency": "monthly",
                "reporting_enabled": False,
                **(values.get("preferences") or {}),
            },
            "registration_number": None,
            "status": "active",
            "type": values.get("type", "individual"),
            "updated": now,
            "wallet_balance": 0,
        },
    )


def update_account(call: Call) -> JSON:
    values = body(call, ACCOUNT)
    account = stored(call.store, "account", call.object_id, call.param)
    _check_default_card(call.store, values)
    return updated(call.store, "account", account, values)


# -- policies ---------------------------------------------------------------------------------

POINT = obj({"latitude": req(number(-90, 90)), "longitude": req(number(-180, 180))})
CLOCK = r"([01]\d|2[0-3]):[0-5]\d|24:00"
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def clock(name: str, value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(CLOCK, value):
        raise Bad(name, f"Invalid {name}: expected HH:MM (24-hour).")
    return value


RULES = obj(
    {
        "allowed_operators": opt(array(text(100))),
        "denied_operators": opt(array(text(100))),
        "geofences": opt(
            array(
                obj(
                    {
                        "center": req(POINT),
                        "name": opt(string(200)),
                        "radius_meters": req(number(0, 20_000_000)),
                    }
                )
            )
        ),
        "max_price_per_kwh": opt(nullable(integer(0))),
        "time_windows": opt(
            array(
                obj(
                    {
                        "days_of_week": opt(array(one_of(*DAYS), max_items=7)),
                        "start_time": opt(clock),
                        "end_time": opt(clock),
                    }
                )
            )
        ),
    }
)
POLICY = {
    "mode": req(one_of("enforcement", "suggestion")),
    "name": req(text(200)),
    "rules": req(RULES),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
}
POLICY_UPDATE = {
    "mode": opt(one_of("enforcement", "suggestion")),
    "name": opt(text(200)),
    "rules": opt(RULES),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
    "status": opt(one_of("active", "inactive")),
}


def _whole(rules: JSON) -> JSON:
    """Rules as served: every list and window field present (see the module docstring)."""
    whole: JSON = {
        "allowed_operators": [],
        "denied_operators": [],
        "geofences": [],
        "max_price_per_kwh": None,
        "time_windows": [],
        **rules,
    }
    whole["geofences"] = [{"name": "", **fence} for fence in whole["geofences"]]
    whole["time_windows"] = [
        {"days_of_week": list(DAYS), "start_time": "00:00", "end_time": "24:00", **window}
        for window in whole["time_windows"]
    ]
    return whole


def create_policy(call: Call) -> JSON:
    values = body(call, POLICY)
    store = call.store
    return created(
        store,
        "policy",
        {
            "id": store.new_id("policy"),
            "object": "policy",
            "created": store.stamp(),
            "description": values.get("description"),
            "metadata": values.get("metadata") or {},
            "mode": values["mode"],
            "name": values["name"],
            "rules": _whole(values["rules"]),
            "status": "active",
        },
    )


def update_policy(call: Call) -> JSON:
    values = body(call, POLICY_UPDATE)
    policy = stored(call.store, "policy", call.object_id, call.param)
    if "rules" in values:
        values["rules"] = _whole({**policy["rules"], **values["rules"]})
    return updated(call.store, "policy", policy, values)


def delete_policy(call: Call) -> JSON:
    body(call, {})
    store = call.store
    policy = stored(store, "policy", call.object_id, call.param)
    for kind in ("driver", "vehicle", "fleet"):
        for holder in store.objects(kind).values():
            if policy["id"] in holder["policy_ids"]:
                store.transition(
                    kind, holder, policy_ids=[p for p in holder["policy_ids"] if p != policy["id"]]
                )
    shaped = render(store, "policy", policy["id"])
    store.collections["policy"].remove(policy["id"])
    if shaped is not None:
        store.emit("policy.deleted", shaped)
    return {"id": policy["id"], "object": "policy", "deleted": True}


# -- reports ----------------------------------------------------------------------------------

REPORT_CODE = "report_validation_error"
REPORT = {
    "parameters": req(
        obj(
            {
                "type": req(text(100)),
                "period_start": req(timestamp),
                "period_end": req(timestamp),
                "group_by": opt(nullable(one_of("vehicle", "driver", "charging_station", "fleet"))),
                "filters": opt(obj({"vehicle": opt(array(ident("vehicle")))})),
            }
        )
    ),
    "fleet": opt(nullable(ident("fleet"))),
}


def create_report(call: Call) -> JSON:
    values = body(call, REPORT, REPORT_CODE)
    store = call.store
    parameters = values["parameters"]
    start = parse_timestamp(parameters["period_start"])
    end = parse_timestamp(parameters["period_end"])
    assert start is not None
    assert end is not None
    if end <= start:
        raise invalid(
            "parameters.period_end must be after parameters.period_start.",
            "parameters.period_end",
            code=REPORT_CODE,
        )
    if values.get("fleet") is not None:
        stored(store, "fleet", values["fleet"], "fleet")
    filters: JSON = parameters.get("filters") or {}
    for i, vehicle in enumerate(filters.get("vehicle") or ()):
        stored(store, "vehicle", vehicle, f"parameters.filters.vehicle[{i}]")
    return created(
        store,
        "report",
        {
            "id": store.new_id("report"),
            "object": "report",
            "account": store.account_id,
            "created": store.stamp(),
            "fleet": values.get("fleet"),
            "parameters": {
                **parameters,
                "filters": {"vehicle": [], **(parameters.get("filters") or {})},
                "group_by": parameters.get("group_by") or "vehicle",
            },
            "size": 0,
            "status": "pending",
            "succeeded_at": None,
            "type": "csv",
            "url": None,
        },
    )


def report_file(store: Store, path: str) -> httpx.Response | None:
    """`GET /files/reports/<id>.csv`: a succeeded report's file, or None (not a file path)."""
    prefix, suffix = "/files/reports/", ".csv"
    if not (path.startswith(prefix) and path.endswith(suffix)):
        return None
    report = store.get("report", path[len(prefix) : -len(suffix)])
    csv = None if report is None or report["status"] != "succeeded" else report.get("_csv")
    if csv is None:
        return httpx.Response(404, text="Not Found\n", headers={"Content-Type": "text/plain"})
    return httpx.Response(200, content=csv.encode(), headers={"Content-Type": "text/csv"})


# -- webhook endpoints ------------------------------------------------------------------------

WEBHOOK = {
    "enabled_events": req(array(text(100), min_items=1)),
    "url": req(https_url),
    "api_version": opt(nullable(string(20))),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
}
WEBHOOK_UPDATE = {
    "enabled_events": opt(array(text(100), min_items=1)),
    "status": opt(one_of("enabled", "disabled")),
    "description": opt(nullable(string(500))),
    "metadata": opt(nullable(metadata)),
}


def create_webhook_endpoint(call: Call) -> JSON:
    values = body(call, WEBHOOK)
    store = call.store
    endpoint_id = store.new_id("webhook_endpoint")
    return created(
        store,
        "webhook_endpoint",
        {
            "id": endpoint_id,
            "object": "webhook_endpoint",
            "api_version": values.get("api_version") or API_VERSION,
            "application": None,
            "created": store.stamp(),
            "description": values.get("description"),
            "enabled_events": values["enabled_events"],
            "livemode": False,
            "metadata": values.get("metadata") or {},
            "secret": store.new_token("whsec_"),
            "status": "enabled",
            "url": values["url"],
        },
    )


def update_webhook_endpoint(call: Call) -> JSON:
    values = body(call, WEBHOOK_UPDATE)
    endpoint = stored(call.store, "webhook_endpoint", call.object_id, call.param)
    return updated(call.store, "webhook_endpoint", endpoint, values)


HANDLERS: dict[tuple[str, str], Endpoint] = {
    ("Account", "create"): create_account,
    ("Account", "retrieve"): retrieve("account"),
    ("Account", "update"): update_account,
    ("Policy", "create"): create_policy,
    ("Policy", "retrieve"): retrieve("policy"),
    ("Policy", "update"): update_policy,
    ("Policy", "list"): list_of(
        "policy", {"status": equals("status", one_of("active", "inactive"))}
    ),
    ("Policy", "delete"): delete_policy,
    ("Report", "create"): create_report,
    ("Report", "retrieve"): retrieve("report"),
    ("Report", "list"): list_of(
        "report",
        {"status": equals("status", one_of("pending", "processing", "succeeded", "failed"))},
        REPORT_CODE,
    ),
    ("WebhookEndpoint", "create"): create_webhook_endpoint,
    ("WebhookEndpoint", "retrieve"): retrieve("webhook_endpoint"),
    ("WebhookEndpoint", "update"): update_webhook_endpoint,
    ("WebhookEndpoint", "list"): list_of("webhook_endpoint", {}),
}
