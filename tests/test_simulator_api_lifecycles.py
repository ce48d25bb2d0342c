"""The simulator's lifecycles on the test clock, over raw HTTP in-process: sessions settle into
transactions, reservations confirm / fail / expire / complete, invoices move draft -> open ->
paid / void, reports run, estimations expire, batteries fill, policies and test cards refuse
sessions, and links between drivers, vehicles, fleets and payment methods stay consistent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator
from tests.test_simulator_api_http import (
    BASE_URL,
    TIMESTAMP,
    api_client,
    assert_error,
    event_types,
    first,
    listed,
    ok,
)

SUCCESS_CARD = "4242424242424242"
DECLINING_CARD = "4000000000000002"


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with api_client(sim) as client:
        yield client


def stamp(sim: Simulator, seconds: float) -> str:
    moment = sim.now + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def start_session(api: httpx.Client, sim: Simulator, **overrides: Any) -> dict[str, Any]:
    response = api.post("/v1/charging_sessions", json={**sim.sample_session_params(), **overrides})
    found: dict[str, Any] = ok(response)
    return found


def events(sim: Simulator, type_: str) -> list[dict[str, Any]]:
    return [e for e in sim.events if e["type"] == type_]


# -- charging sessions ----------------------------------------------------------------------


def test_ending_a_session_creates_a_succeeded_charge_for_its_bill(
    api: httpx.Client, sim: Simulator
) -> None:
    session = start_session(api, sim)
    sim.advance(900)
    ended = ok(api.post(f"/v1/charging_sessions/{session['id']}/end", json={}))
    assert ended["amount_due"] > 0
    assert ended["amount_paid"] == ended["amount_due"]
    charges = listed(api, "/v1/transactions", driver=session["driver"])
    charge = next(t for t in charges if t["charging_session"] == session["id"])
    assert {k: charge[k] for k in ("type", "status", "amount", "currency", "vehicle")} == {
        "type": "charge",
        "status": "succeeded",
        "amount": ended["amount_due"],
        "currency": ended["currency"],
        "vehicle": session["vehicle"],
    }
    assert charge["created"] == ended["session_ended"]
    succeeded = events(sim, "charge.succeeded")
    assert [e["data"]["object"] for e in succeeded] == [charge]
    assert succeeded[0]["request"]["id"] is not None
    expanded = ok(
        api.get(f"/v1/transactions/{charge['id']}", params={"expand": "charging_session"})
    )
    assert expanded["charging_session"]["id"] == session["id"]


def test_a_session_limit_reached_on_the_clock_settles_too(
    api: httpx.Client, sim: Simulator
) -> None:
    session = start_session(api, sim, session_limit=2000)
    sim.advance(3600)
    done = ok(api.get(f"/v1/charging_sessions/{session['id']}"))
    assert (done["status"], done["energy_consumed"]) == ("completed", 2000)
    charge = events(sim, "charge.succeeded")[0]["data"]["object"]
    assert (charge["charging_session"], charge["amount"]) == (session["id"], done["amount_due"])
    assert events(sim, "charge.succeeded")[0]["request"] == {"id": None, "idempotency_key": None}


def test_the_declining_test_card_is_a_402_and_the_success_card_charges(
    api: httpx.Client, sim: Simulator
) -> None:
    def card(number: str) -> str:
        body = {
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
        created: dict[str, Any] = ok(api.post("/v1/payment_methods", json=body))
        assert created["card"]["last4"] == number[-4:]
        assert created["card"]["fingerprint"].startswith("fp_")
        return str(created["id"])

    declined = api.post(
        "/v1/charging_sessions",
        json={**sim.sample_session_params(), "payment_method": card(DECLINING_CARD)},
    )
    assert_error(declined, 402, "payment_authorization_failed", "payment_method")
    session = start_session(api, sim, payment_method=card(SUCCESS_CARD))
    assert session["status"] == "active"


def test_a_card_number_failing_luhn_is_a_400(api: httpx.Client) -> None:
    body = {
        "type": "card",
        "card": {"number": "4242424242424241", "exp_month": 1, "exp_year": 2030},
    }
    response = api.post("/v1/payment_methods", json=body)
    assert_error(response, 400, "payment_method_invalid_input", "card.number")
    body["card"]["exp_month"] = 13
    assert_error(
        api.post("/v1/payment_methods", json=body),
        400,
        "payment_method_invalid_input",
        "card.exp_month",
    )


@pytest.mark.parametrize(("kind", "status"), [("driver", "suspended"), ("vehicle", "retired")])
def test_a_suspended_driver_or_retired_vehicle_cannot_charge(
    api: httpx.Client, sim: Simulator, kind: str, status: str
) -> None:
    params = sim.sample_session_params()
    path = f"/v1/{kind}s/{params[kind]}"
    clone = {**ok(api.get(path)), "id": params[kind][:4] + "S" * 32, "status": status}
    sim.add(kind, clone)
    response = api.post("/v1/charging_sessions", json={**params, kind: clone["id"]})
    body = assert_error(response, 403, None, kind)
    assert status in body["message"]


# -- policies -------------------------------------------------------------------------------


def _capped(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """The seeded enforcement policy and a driver of the fleet it is linked to."""
    fleet = next(f for f in listed(api, "/v1/fleets") if f["policy_ids"])
    policy = ok(api.get(f"/v1/policies/{fleet['policy_ids'][0]}"))
    driver = first(api, "/v1/drivers", fleet=fleet["id"])
    return policy, driver


def _session_for(api: httpx.Client, sim: Simulator, driver: dict[str, Any]) -> httpx.Response:
    params = sim.sample_session_params()
    params.update(
        driver=driver["id"],
        vehicle=driver["vehicles"][0],
        payment_method=driver["preferences"]["default_payment_method"],
    )
    return api.post("/v1/charging_sessions", json=params)


def test_an_active_enforcement_policy_blocks_a_session_breaking_its_rules(
    api: httpx.Client, sim: Simulator
) -> None:
    policy, driver = _capped(api)
    assert (policy["mode"], policy["status"]) == ("enforcement", "active")
    assert _session_for(api, sim, driver).status_code == 200  # every seeded price is under the cap
    ok(api.post(f"/v1/policies/{policy['id']}", json={"rules": {"max_price_per_kwh": 1}}))
    body = assert_error(_session_for(api, sim, driver), 403, "policy_blocked", None)
    assert policy["id"] in body["message"]
    ok(api.post(f"/v1/policies/{policy['id']}", json={"status": "inactive"}))
    assert _session_for(api, sim, driver).status_code == 200


@pytest.mark.parametrize(
    "rules",
    [
        {"denied_operators": ["{operator}"]},
        {"allowed_operators": ["nobody_charges_here"]},
        {
            "time_windows": [
                {"days_of_week": ["sunday"], "start_time": "00:00", "end_time": "01:00"}
            ]
        },
        {
            "geofences": [
                {"center": {"latitude": 0, "longitude": 0}, "radius_meters": 10, "name": "Gulf"}
            ]
        },
    ],
)
def test_each_rule_kind_can_block(api: httpx.Client, sim: Simulator, rules: dict[str, Any]) -> None:
    policy, driver = _capped(api)
    params = sim.sample_session_params()
    operator = ok(api.get(f"/v1/charging_stations/{params['charging_station']}"))["operator"]
    if "denied_operators" in rules:
        rules = {"denied_operators": [operator.upper()]}  # case and spaces do not matter
    ok(api.post(f"/v1/policies/{policy['id']}", json={"rules": rules}))
    params.update(
        driver=driver["id"],
        vehicle=driver["vehicles"][0],
        payment_method=driver["preferences"]["default_payment_method"],
    )
    assert_error(api.post("/v1/charging_sessions", json=params), 403, "policy_blocked", None)


def test_suggestion_and_deleted_policies_never_block(api: httpx.Client, sim: Simulator) -> None:
    policy, driver = _capped(api)
    ok(
        api.post(
            f"/v1/policies/{policy['id']}",
            json={"mode": "suggestion", "rules": {"max_price_per_kwh": 1}},
        )
    )
    assert _session_for(api, sim, driver).status_code == 200
    ok(api.post(f"/v1/policies/{policy['id']}", json={"mode": "enforcement"}))
    assert _session_for(api, sim, driver).status_code == 403
    deleted = ok(api.delete(f"/v1/policies/{policy['id']}"))
    assert deleted == {"id": policy["id"], "object": "policy", "deleted": True}
    assert _session_for(api, sim, driver).status_code == 200
    fleets = listed(api, "/v1/fleets")
    assert all(policy["id"] not in f["policy_ids"] for f in fleets)
    assert_error(api.get(f"/v1/policies/{policy['id']}"), 404, "policy_not_found", "policy")


def test_policy_validation_names_the_nested_parameter(api: httpx.Client) -> None:
    bad = {"mode": "enforcement", "name": "x", "rules": {"max_price_per_kwh": "cheap"}}
    assert_error(api.post("/v1/policies", json=bad), 400, None, "rules.max_price_per_kwh")
    bad = {"mode": "strict", "name": "x", "rules": {}}
    assert_error(api.post("/v1/policies", json=bad), 400, None, "mode")
    window = {"time_windows": [{"start_time": "25:00"}]}
    bad = {"mode": "enforcement", "name": "x", "rules": window}
    assert_error(api.post("/v1/policies", json=bad), 400, None, "rules.time_windows[0].start_time")
    assert_error(api.post("/v1/policies", json={"name": "x", "rules": {}}), 400, None, "mode")


def test_a_policy_update_records_its_previous_attributes(api: httpx.Client, sim: Simulator) -> None:
    policy = first(api, "/v1/policies", status="active")
    ok(
        api.post(
            f"/v1/policies/{policy['id']}",
            json={"name": "Renamed"},
            headers={"Idempotency-Key": "k1"},
        )
    )
    event = events(sim, "policy.updated")[-1]
    assert event["data"]["previous_attributes"] == {"name": policy["name"]}
    assert event["data"]["object"]["name"] == "Renamed"
    assert event["request"]["idempotency_key"] == "k1"
    assert event["id"].startswith("evt_")
    assert (event["object"], event["api_version"], event["livemode"]) == (
        "event",
        "2026-03-01",
        False,
    )
    assert TIMESTAMP.fullmatch(event["created"])


# -- reservations ---------------------------------------------------------------------------


def _reservation(
    api: httpx.Client, sim: Simulator, *, start_in: float = 7200, **overrides: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A pending reservation next to a seeded station for one of its connector types."""
    station = first(api, "/v1/charging_stations")
    driver = first(api, "/v1/drivers")
    body = {
        "connector_type": [station["connectors"][0]["type"]],
        "driver": driver["id"],
        "vehicle": driver["vehicles"][0],
        "ideal_start": stamp(sim, start_in),
        "ideal_end": stamp(sim, start_in + 3600),
        "location": {**station["location"], "radius": 500},
        **overrides,
    }
    reservation = ok(api.post("/v1/reservations", json=body))
    return reservation, station


def test_a_reservation_confirms_30_minutes_ahead_and_locks_a_connector(
    api: httpx.Client, sim: Simulator
) -> None:
    reservation, station = _reservation(api, sim)
    assert (reservation["status"], reservation["charging_station"]) == ("pending", None)
    sim.advance(7200 - 1800 - 1)
    assert ok(api.get(f"/v1/reservations/{reservation['id']}"))["status"] == "pending"
    sim.advance(1)
    confirmed = ok(api.get(f"/v1/reservations/{reservation['id']}"))
    assert confirmed["status"] == "confirmed"
    assert confirmed["charging_station"] == station["id"]
    assert confirmed["confirmed_at"] == stamp(sim, 0)
    assert (confirmed["reserved_start"], confirmed["reserved_end"]) == (
        reservation["ideal_start"],
        reservation["ideal_end"],
    )
    event = events(sim, "reservation.confirmed")[-1]
    assert event["data"]["previous_attributes"]["status"] == "pending"
    # The first connector of the accepted type is locked: another driver is refused ...
    connector = next(
        c["id"] for c in station["connectors"] if c["type"] in reservation["connector_type"]
    )
    other = listed(api, "/v1/drivers")[1]
    params = {
        "charging_station": station["id"],
        "connector": connector,
        "driver": other["id"],
        "vehicle": other["vehicles"][0],
        "payment_method": other["preferences"]["default_payment_method"],
    }
    assert_error(
        api.post("/v1/charging_sessions", json=params),
        409,
        "charging_session_conflict",
        "connector",
    )
    # ... its own driver may charge there before the window, which does not complete it ...
    driver = ok(api.get(f"/v1/drivers/{reservation['driver']}"))
    params.update(
        driver=driver["id"],
        vehicle=reservation["vehicle"],
        payment_method=driver["preferences"]["default_payment_method"],
    )
    early = ok(api.post("/v1/charging_sessions", json=params))
    ok(api.post(f"/v1/charging_sessions/{early['id']}/end", json={}))
    assert ok(api.get(f"/v1/reservations/{reservation['id']}"))["status"] == "confirmed"
    # ... and a session in the window completes it.
    sim.advance(1800)
    ok(api.post("/v1/charging_sessions", json=params))
    assert ok(api.get(f"/v1/reservations/{reservation['id']}"))["status"] == "completed"


def test_a_reservation_with_no_station_in_range_fails(api: httpx.Client, sim: Simulator) -> None:
    reservation, _ = _reservation(
        api, sim, location={"latitude": 0.0, "longitude": -30.0, "radius": 1000}
    )
    sim.advance(7200)
    failed = ok(api.get(f"/v1/reservations/{reservation['id']}"))
    assert (failed["status"], failed["failed_reason"], failed["charging_station"]) == (
        "failed",
        "no_available_connectors",
        None,
    )


def test_confirm_assigns_at_once_and_only_from_pending(api: httpx.Client, sim: Simulator) -> None:
    reservation, station = _reservation(api, sim, start_in=86_400)
    card = ok(api.get(f"/v1/drivers/{reservation['driver']}"))["preferences"][
        "default_payment_method"
    ]
    confirmed = ok(
        api.post(f"/v1/reservations/{reservation['id']}/confirm", json={"payment_method": card})
    )
    assert (confirmed["status"], confirmed["charging_station"], confirmed["payment_method"]) == (
        "confirmed",
        station["id"],
        card,
    )
    again = api.post(f"/v1/reservations/{reservation['id']}/confirm", json={})
    assert_error(again, 409, "reservation_invalid_state", None)
    update = api.post(f"/v1/reservations/{reservation['id']}", json={"metadata": {"a": "b"}})
    assert_error(update, 409, "reservation_update_invalid_state", None)


def test_confirming_with_a_declining_card_fails_the_reservation(
    api: httpx.Client, sim: Simulator
) -> None:
    card = {"number": DECLINING_CARD, "exp_month": 1, "exp_year": 2031}
    method = ok(api.post("/v1/payment_methods", json={"type": "card", "card": card}))
    reservation, _ = _reservation(api, sim)
    failed = ok(
        api.post(
            f"/v1/reservations/{reservation['id']}/confirm", json={"payment_method": method["id"]}
        )
    )
    assert (failed["status"], failed["failed_reason"]) == ("failed", "payment_failed")


def test_cancel_only_from_pending_or_confirmed(api: httpx.Client, sim: Simulator) -> None:
    pending, _ = _reservation(api, sim)
    assert (
        ok(api.post(f"/v1/reservations/{pending['id']}/cancel", json={}))["status"] == "cancelled"
    )
    again = api.post(f"/v1/reservations/{pending['id']}/cancel", json={})
    assert_error(again, 409, "reservation_cancel_invalid_state", None)
    confirmed, _ = _reservation(api, sim, start_in=10_000)
    ok(api.post(f"/v1/reservations/{confirmed['id']}/confirm", json={}))
    assert (
        ok(api.post(f"/v1/reservations/{confirmed['id']}/cancel", json={}))["status"] == "cancelled"
    )


def test_an_unused_confirmed_reservation_expires_after_its_window(
    api: httpx.Client, sim: Simulator
) -> None:
    reservation, _ = _reservation(api, sim)
    sim.advance(7200 + 3600 - 1)
    assert ok(api.get(f"/v1/reservations/{reservation['id']}"))["status"] == "confirmed"
    sim.advance(1)
    assert ok(api.get(f"/v1/reservations/{reservation['id']}"))["status"] == "expired"
    cancel = api.post(f"/v1/reservations/{reservation['id']}/cancel", json={})
    assert_error(cancel, 409, "reservation_cancel_invalid_state", None)


def test_a_pending_reservation_can_be_updated(api: httpx.Client, sim: Simulator) -> None:
    reservation, _ = _reservation(api, sim)
    later = stamp(sim, 9000)
    changed = ok(
        api.post(
            f"/v1/reservations/{reservation['id']}",
            json={"ideal_end": later, "metadata": {"trip": "lyon"}},
        )
    )
    assert (changed["ideal_end"], changed["metadata"], changed["status"]) == (
        later,
        {"trip": "lyon"},
        "pending",
    )
    event = events(sim, "reservation.updated")[-1]
    assert event["data"]["previous_attributes"] == {
        "ideal_end": reservation["ideal_end"],
        "metadata": {},
    }


@pytest.mark.parametrize(
    ("overrides", "param"),
    [
        ({"ideal_end": "2026-03-01T00:00:00Z"}, "ideal_end"),
        ({"ideal_start": "2026-03-01T00:00:00Z"}, "ideal_start"),
        ({"connector_type": ["Tesla"]}, "connector_type[0]"),
        ({"connector_type": []}, "connector_type"),
        ({"location": {"latitude": 91, "longitude": 0, "radius": 5}}, "location.latitude"),
        ({"ideal_start": "tomorrow"}, "ideal_start"),
        ({"earliest_start": "2026-05-01T00:00:00Z"}, "earliest_start"),
    ],
)
def test_reservation_input_errors_are_400s_naming_the_param(
    api: httpx.Client, sim: Simulator, overrides: dict[str, Any], param: str
) -> None:
    station = first(api, "/v1/charging_stations")
    driver = first(api, "/v1/drivers")
    body = {
        "connector_type": ["CCS"],
        "driver": driver["id"],
        "vehicle": driver["vehicles"][0],
        "ideal_start": stamp(sim, 3600),
        "ideal_end": stamp(sim, 7200),
        "location": {**station["location"], "radius": 500},
        **overrides,
    }
    assert_error(api.post("/v1/reservations", json=body), 400, "reservation_invalid_input", param)


# -- invoices -------------------------------------------------------------------------------


def test_an_invoice_runs_draft_open_paid_with_its_period_transactions(
    api: httpx.Client, sim: Simulator
) -> None:
    session = start_session(api, sim)
    sim.advance(600)
    ended = ok(api.post(f"/v1/charging_sessions/{session['id']}/end", json={}))
    body = {"period_start": stamp(sim, -3600), "period_end": stamp(sim, 1)}
    if session["fleet"] is not None:
        body["fleet"] = session["fleet"]
    draft = ok(api.post("/v1/invoices", json=body))
    assert (draft["status"], draft["amount_paid"]) == ("draft", None)
    assert draft["due_date"] == stamp(sim, 14 * 86_400)  # never null: the docs type it so
    assert [line["amount"] for line in draft["line_items"]] == [ended["amount_due"]]
    assert draft["amount_due"] == ended["amount_due"]
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}/pay", json={}),
        409,
        "invoice_payment_invalid_state",
        None,
    )
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}/void", json={}),
        409,
        "invoice_void_invalid_state",
        None,
    )
    ok(api.post(f"/v1/invoices/{draft['id']}", json={"description": "April"}))
    opened = ok(api.post(f"/v1/invoices/{draft['id']}/finalize", json={}))
    assert (opened["status"], opened["amount_paid"], opened["description"]) == ("open", 0, "April")
    assert TIMESTAMP.fullmatch(opened["due_date"])
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}/finalize", json={}),
        409,
        "invoice_finalize_invalid_state",
        None,
    )
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}", json={"description": "x"}),
        409,
        "invoice_update_invalid_state",
        None,
    )
    paid = ok(
        api.post(
            f"/v1/invoices/{draft['id']}/pay", json={"payment_method": session["payment_method"]}
        )
    )
    assert (paid["status"], paid["amount_due"], paid["amount_paid"], paid["paid_at"]) == (
        "paid",
        0,
        ended["amount_due"],
        stamp(sim, 0),
    )
    assert paid["payment_method"] == session["payment_method"]
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}/void", json={}),
        409,
        "invoice_void_invalid_state",
        None,
    )
    assert_error(
        api.post(f"/v1/invoices/{draft['id']}/pay", json={}),
        409,
        "invoice_payment_invalid_state",
        None,
    )
    previous = [
        e["data"]["previous_attributes"]["status"]
        for e in events(sim, "invoice.updated")
        if "status" in e["data"]["previous_attributes"]
    ]
    assert previous == ["draft", "open"]


def test_an_open_invoice_can_be_voided(api: httpx.Client) -> None:
    body = {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}
    invoice = ok(api.post("/v1/invoices", json=body))
    assert invoice["line_items"]  # the seeded March transactions
    ok(api.post(f"/v1/invoices/{invoice['id']}/finalize", json={}))
    assert ok(api.post(f"/v1/invoices/{invoice['id']}/void", json={}))["status"] == "void"
    assert_error(
        api.post(f"/v1/invoices/{invoice['id']}/pay", json={}),
        409,
        "invoice_payment_invalid_state",
        None,
    )


def test_an_unpaid_invoice_becomes_overdue_at_its_due_date(
    api: httpx.Client, sim: Simulator
) -> None:
    body = {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}
    invoice = ok(api.post("/v1/invoices", json=body))
    opened = ok(api.post(f"/v1/invoices/{invoice['id']}/finalize", json={}))
    assert opened["due_date"] == stamp(sim, 14 * 86_400)
    sim.advance(14 * 86_400 - 1)
    assert ok(api.get(f"/v1/invoices/{invoice['id']}"))["status"] == "open"
    sim.advance(1)
    assert ok(api.get(f"/v1/invoices/{invoice['id']}"))["status"] == "overdue"
    assert events(sim, "invoice.updated")[-1]["data"]["previous_attributes"] == {"status": "open"}
    assert ok(api.post(f"/v1/invoices/{invoice['id']}/pay", json={}))["status"] == "paid"


def test_invoice_input_errors(api: httpx.Client) -> None:
    body = {"period_start": "2026-04-01T00:00:00Z", "period_end": "2026-03-01T00:00:00Z"}
    assert_error(api.post("/v1/invoices", json=body), 400, "invoice_validation_error", "period_end")
    assert_error(
        api.post("/v1/invoices", json={"period_end": "2026-03-01T00:00:00Z"}),
        400,
        "invoice_validation_error",
        "period_start",
    )


# -- reports --------------------------------------------------------------------------------


def test_a_report_runs_pending_processing_succeeded_and_serves_its_csv(
    api: httpx.Client, sim: Simulator
) -> None:
    session = start_session(api, sim)
    sim.advance(600)
    ended = ok(api.post(f"/v1/charging_sessions/{session['id']}/end", json={}))
    parameters = {
        "type": "charging_summary",
        "period_start": stamp(sim, -3600),
        "period_end": stamp(sim, 1),
        "group_by": "vehicle",
    }
    report = ok(api.post("/v1/reports", json={"parameters": parameters}))
    assert (report["status"], report["size"], report["url"]) == ("pending", 0, None)
    sim.advance(5)
    assert ok(api.get(f"/v1/reports/{report['id']}"))["status"] == "processing"
    sim.advance(25)
    done = ok(api.get(f"/v1/reports/{report['id']}"))
    assert done["status"] == "succeeded"
    assert done["url"] == f"{BASE_URL}/files/reports/{report['id']}.csv"
    assert done["succeeded_at"] == stamp(sim, 0)
    file = api.get(done["url"], headers={"Authorization": ""})
    assert (file.status_code, file.headers["Content-Type"]) == (200, "text/csv")
    assert len(file.content) == done["size"]
    rows = list(csv.DictReader(io.StringIO(file.text)))
    assert rows == [
        {
            "vehicle": session["vehicle"],
            "sessions": "1",
            "energy_wh": str(ended["energy_consumed"]),
            "amount": str(ended["amount_due"]),
        }
    ]
    event = events(sim, "report.succeeded")[-1]
    assert event["data"]["previous_attributes"] == {
        "status": "processing",
        "size": 0,
        "url": None,
        "succeeded_at": None,
    }
    assert event["data"]["object"]["id"] == report["id"]
    assert api.get(f"/files/reports/{report['id']}x.csv").status_code == 404


def test_report_validation(api: httpx.Client) -> None:
    response = api.post(
        "/v1/reports", json={"parameters": {"period_start": "2026-03-01T00:00:00Z"}}
    )
    assert_error(response, 400, "report_validation_error", "parameters.type")
    assert_error(api.post("/v1/reports", json={}), 400, "report_validation_error", "parameters")
    listing = api.get("/v1/reports", params={"status": "done"})
    assert_error(listing, 400, "report_validation_error", "status")


# -- estimations ----------------------------------------------------------------------------


def test_an_estimation_prices_the_energy_and_expires(api: httpx.Client, sim: Simulator) -> None:
    station = first(api, "/v1/charging_stations")
    vehicle = next(
        v for v in listed(api, "/v1/vehicles")
        if v["charging_standard"] in {c["type"] for c in station["connectors"]}
    )  # fmt: skip
    body = {
        "charging_station": station["id"],
        "vehicle": vehicle["id"],
        "battery_level": 20,
        "battery_target_level": 80,
    }
    estimation = ok(api.post("/v1/estimations", json=body))
    energy_wh = vehicle["battery_capacity"] * 60 // 100
    price = station["pricing"][0]["price"]
    cost = (energy_wh * price + 500) // 1000
    assert estimation["estimated_energy_kwh"] == round(energy_wh / 1000, 2)
    assert estimation["estimated_total_cost"] == cost
    assert estimation["cost_breakdown"] == [
        {
            "cost": cost,
            "description": "Energy",
            "quantity": round(energy_wh / 1000, 2),
            "tax_percent": None,
            "type": "energy",
            "unit": "kWh",
            "unit_price": price,
        }
    ]
    power = max(
        c["power"] for c in station["connectors"] if c["type"] == vehicle["charging_standard"]
    )
    assert estimation["estimated_duration"] == -(-energy_wh * 3600 // (power * 1000))
    assert estimation["valid_until"] == stamp(sim, 900)
    assert (
        ok(api.get(f"/v1/estimations/{estimation['id']}", params={"expand": "vehicle"}))["vehicle"][
            "id"
        ]
        == vehicle["id"]
    )
    sim.advance(901)
    expired = assert_error(
        api.get(f"/v1/estimations/{estimation['id']}"), 404, "estimation_not_found", "estimation"
    )
    assert "expired" in expired["message"]


@pytest.mark.parametrize(
    ("levels", "param"),
    [
        ((80, 20), "battery_target_level"),
        ((101, 80), "battery_level"),
        ((10, 0), "battery_target_level"),
    ],
)
def test_estimation_levels_are_checked(
    api: httpx.Client, levels: tuple[int, int], param: str
) -> None:
    body = {
        "charging_station": first(api, "/v1/charging_stations")["id"],
        "vehicle": first(api, "/v1/vehicles")["id"],
        "battery_level": levels[0],
        "battery_target_level": levels[1],
    }
    assert_error(api.post("/v1/estimations", json=body), 400, "estimation_validation_error", param)


# -- telemetry ------------------------------------------------------------------------------


def test_the_battery_fills_while_the_vehicle_charges(api: httpx.Client, sim: Simulator) -> None:
    params = sim.sample_session_params()
    url = f"/v1/vehicles/{params['vehicle']}/telemetry"
    before = ok(api.get(url))["battery"]
    session = ok(api.post("/v1/charging_sessions", json=params))
    assert ok(api.get(url))["battery"]["status"] == "charging"
    sim.advance(600)
    during = ok(api.get(url))["battery"]
    energy = ok(api.get(f"/v1/charging_sessions/{session['id']}"))["energy_consumed"]
    assert during["level"] > before["level"]
    capacity = before["capacity"]
    assert during["level"] == (before["level"] * capacity + 100 * energy) // capacity
    assert during["range"] > before["range"]
    assert during["updated"] == stamp(sim, 0)
    ok(api.post(f"/v1/charging_sessions/{session['id']}/end", json={}))
    assert ok(api.get(url))["battery"]["status"] == "idle"


def test_a_created_vehicle_has_no_telemetry_yet(api: httpx.Client) -> None:
    vehicle = ok(
        api.post(
            "/v1/vehicles",
            json={
                "vin": "WVWZZZ1JZXW000001",
                "battery_capacity": 40000,
                "charging_standard": "Type2",
            },
        )
    )
    assert vehicle["telemetry"] is None
    assert_error(
        api.get(f"/v1/vehicles/{vehicle['id']}/telemetry"),
        404,
        "vehicle_telemetry_not_found",
        "vehicle",
    )


# -- links between drivers, vehicles, fleets and payment methods ----------------------------


def test_driver_attach_and_detach_keep_both_sides_and_the_counter(api: httpx.Client) -> None:
    driver = ok(api.post("/v1/drivers", json={"name": "Noor", "email": "noor@example.com"}))
    fleet = first(api, "/v1/fleets")
    attached = ok(api.post(f"/v1/drivers/{driver['id']}/attach", json={"fleet": fleet["id"]}))
    assert attached["fleets"] == [fleet["id"]]
    assert ok(api.get(f"/v1/fleets/{fleet['id']}"))["total_drivers"] == fleet["total_drivers"] + 1
    assert driver["id"] in [d["id"] for d in listed(api, "/v1/drivers", fleet=fleet["id"])]
    assert fleet["id"] in [f["id"] for f in listed(api, "/v1/fleets", driver=driver["id"])]
    again = api.post(f"/v1/drivers/{driver['id']}/attach", json={"fleet": fleet["id"]})
    assert_error(again, 409, "driver_fleet_conflict", "fleet")
    detached = ok(api.post(f"/v1/drivers/{driver['id']}/detach", json={"fleet": fleet["id"]}))
    assert detached["fleets"] == []
    assert ok(api.get(f"/v1/fleets/{fleet['id']}"))["total_drivers"] == fleet["total_drivers"]
    assert_error(
        api.post(f"/v1/drivers/{driver['id']}/detach", json={"fleet": fleet["id"]}),
        409,
        "driver_fleet_conflict",
        "fleet",
    )
    missing = api.post(f"/v1/drivers/{driver['id']}/attach", json={"fleet": "flt_" + "0" * 32})
    assert_error(missing, 404, "driver_or_fleet_not_found", "fleet")


def test_vehicle_attach_and_detach_a_driver_on_both_sides(api: httpx.Client) -> None:
    vehicle = ok(
        api.post(
            "/v1/vehicles",
            json={
                "vin": "WVWZZZ1JZXW000002",
                "battery_capacity": 60000,
                "charging_standard": "CCS",
            },
        )
    )
    driver = first(api, "/v1/drivers")
    attached = ok(api.post(f"/v1/vehicles/{vehicle['id']}/attach", json={"driver": driver["id"]}))
    assert attached["drivers"] == [driver["id"]]
    assert vehicle["id"] in ok(api.get(f"/v1/drivers/{driver['id']}"))["vehicles"]
    assert vehicle["id"] in [v["id"] for v in listed(api, "/v1/vehicles", driver=driver["id"])]
    detached = ok(api.post(f"/v1/vehicles/{vehicle['id']}/detach", json={"driver": driver["id"]}))
    assert detached["drivers"] == []
    assert vehicle["id"] not in ok(api.get(f"/v1/drivers/{driver['id']}"))["vehicles"]
    both = api.post(
        f"/v1/vehicles/{vehicle['id']}/attach", json={"driver": driver["id"], "fleet": "flt_x"}
    )
    assert_error(both, 400, "owner_scope_invalid", "fleet")
    neither = api.post(f"/v1/vehicles/{vehicle['id']}/attach", json={})
    assert_error(neither, 400, "owner_scope_invalid", "driver")
    unknown = api.post(f"/v1/vehicles/{vehicle['id']}/attach", json={"driver": "drv_" + "0" * 32})
    assert_error(unknown, 404, "vehicle_owner_not_found", "driver")


def test_vehicle_fleet_links_move_the_fleet_counters(api: httpx.Client) -> None:
    vehicle = ok(
        api.post(
            "/v1/vehicles",
            json={
                "vin": "WVWZZZ1JZXW000003",
                "battery_capacity": 60000,
                "charging_standard": "CCS",
            },
        )
    )
    fleet = first(api, "/v1/fleets")
    ok(api.post(f"/v1/vehicles/{vehicle['id']}/attach", json={"fleet": fleet["id"]}))
    assert ok(api.get(f"/v1/fleets/{fleet['id']}"))["total_vehicles"] == fleet["total_vehicles"] + 1
    expanded = ok(api.get(f"/v1/vehicles/{vehicle['id']}", params={"expand": "fleet"}))
    assert expanded["fleet"]["id"] == fleet["id"]
    ok(api.post(f"/v1/vehicles/{vehicle['id']}/detach", json={"fleet": fleet["id"]}))
    assert ok(api.get(f"/v1/fleets/{fleet['id']}"))["total_vehicles"] == fleet["total_vehicles"]
    assert_error(
        api.post(f"/v1/vehicles/{vehicle['id']}/detach", json={"fleet": fleet["id"]}),
        400,
        "owner_scope_invalid",
        "fleet",
    )


def test_payment_method_attach_and_detach(api: httpx.Client) -> None:
    card = {"number": SUCCESS_CARD, "exp_month": 5, "exp_year": 2032}
    method = ok(api.post("/v1/payment_methods", json={"type": "card", "card": card}))
    fleet = first(api, "/v1/fleets")
    attached = ok(
        api.post(f"/v1/payment_methods/{method['id']}/attach", json={"fleet": fleet["id"]})
    )
    assert (attached["fleet"], attached["driver"]) == (fleet["id"], None)
    assert method["id"] in [m["id"] for m in listed(api, "/v1/payment_methods", fleet=fleet["id"])]
    scoped = api.get(f"/v1/payment_methods/{method['id']}", params={"fleet": fleet["id"]})
    assert ok(scoped) == attached
    elsewhere = api.get(
        f"/v1/payment_methods/{method['id']}", params={"driver": first(api, "/v1/drivers")["id"]}
    )
    assert_error(elsewhere, 404, "payment_method_not_found", "payment_method")
    driver = first(api, "/v1/drivers")
    wrong = api.post(f"/v1/payment_methods/{method['id']}/detach", json={"driver": driver["id"]})
    assert_error(wrong, 400, "payment_method_scope_invalid", "driver")
    detached = ok(
        api.post(f"/v1/payment_methods/{method['id']}/detach", json={"fleet": fleet["id"]})
    )
    assert (detached["fleet"], detached["driver"]) == (None, None)
    both = api.post(
        f"/v1/payment_methods/{method['id']}/attach",
        json={"fleet": fleet["id"], "driver": driver["id"]},
    )
    assert_error(both, 400, "payment_method_scope_invalid", "fleet")
    gone = api.post(f"/v1/payment_methods/{method['id']}/attach", json={"fleet": "flt_" + "0" * 32})
    assert_error(gone, 404, "payment_method_owner_not_found", "fleet")
    scope = api.get("/v1/payment_methods", params={"fleet": "flt_" + "0" * 32})
    assert_error(scope, 404, "payment_method_scope_not_found", "fleet")


def test_updates_merge_and_record_previous_attributes(api: httpx.Client, sim: Simulator) -> None:
    driver = ok(
        api.post(
            "/v1/drivers",
            json={"name": "Ines", "email": "ines@example.com", "metadata": {"a": "1", "b": "2"}},
        )
    )
    assert event_types(sim)[-1] == "driver.created"
    changed = ok(
        api.post(
            f"/v1/drivers/{driver['id']}",
            json={
                "phone": "+33100000000",
                "metadata": {"b": None, "c": "3"},
                "preferences": {"notifications": False},
            },
        )
    )
    assert changed["metadata"] == {"a": "1", "c": "3"}
    assert changed["preferences"] == {**driver["preferences"], "notifications": False}
    event = events(sim, "driver.updated")[-1]
    assert event["data"]["previous_attributes"] == {
        "phone": None,
        "metadata": {"a": "1", "b": "2"},
        "preferences": driver["preferences"],
    }
    cleared = ok(api.post(f"/v1/drivers/{driver['id']}", json={"phone": None, "metadata": None}))
    assert (cleared["phone"], cleared["metadata"]) == (None, {})


def test_accounts_are_created_retrieved_and_updated(api: httpx.Client, sim: Simulator) -> None:
    account = ok(
        api.post(
            "/v1/accounts",
            json={
                "name": "Example",
                "email": "a@example.com",
                "type": "business",
                "default_currency": "eur",
            },
        )
    )
    assert (account["object"], account["type"], account["status"]) == (
        "account",
        "business",
        "active",
    )
    changed = ok(
        api.post(
            f"/v1/accounts/{account['id']}", json={"metadata": {"account_segment": "enterprise"}}
        )
    )
    assert changed["metadata"] == {"account_segment": "enterprise"}
    assert ok(api.get(f"/v1/accounts/{account['id']}")) == changed
    assert_error(
        api.post("/v1/accounts", json={"metric_system": "cubits"}), 400, None, "metric_system"
    )
    report = first(api, "/v1/reports")
    seeded = ok(
        api.get(
            f"/v1/accounts/{report['account']}",
            params={"expand": "preferences.default_payment_method"},
        )
    )
    assert seeded["preferences"]["default_payment_method"]["object"] == "payment_method"


def test_webhook_endpoints_need_https_and_an_event(api: httpx.Client) -> None:
    assert_error(
        api.post(
            "/v1/webhook_endpoints",
            json={"url": "http://example.com", "enabled_events": ["charge.succeeded"]},
        ),
        400,
        None,
        "url",
    )
    assert_error(
        api.post(
            "/v1/webhook_endpoints", json={"url": "https://example.com", "enabled_events": []}
        ),
        400,
        None,
        "enabled_events",
    )
    endpoint = ok(
        api.post(
            "/v1/webhook_endpoints",
            json={"url": "https://example.com/h", "enabled_events": ["report.succeeded"]},
        )
    )
    assert endpoint["secret"].startswith("whsec_")
    assert endpoint["status"] == "enabled"
    disabled = ok(api.post(f"/v1/webhook_endpoints/{endpoint['id']}", json={"status": "disabled"}))
    assert disabled["status"] == "disabled"
    assert listed(api, "/v1/webhook_endpoints")[0]["id"] == endpoint["id"]


EXPANSIONS = [
    ("/v1/reservations", "vehicle.fleet", "fleet"),
    ("/v1/reservations", "driver", "driver"),
    ("/v1/transactions", "payment_method", "payment_method"),
    ("/v1/invoices", "fleet", "fleet"),
    ("/v1/reports", "account", "account"),
    ("/v1/payment_methods", "fleet", "fleet"),
    ("/v1/vehicles", "fleet", "fleet"),
    ("/v1/fleets", "preferences.default_payment_method", "payment_method"),
    ("/v1/drivers", "preferences.default_payment_method", "payment_method"),
]


@pytest.mark.parametrize(
    ("path", "expand", "kind"),
    EXPANSIONS,
)
def test_expand_on_every_kind(api: httpx.Client, path: str, expand: str, kind: str) -> None:
    objects = listed(api, path, expand=expand)
    values = []
    for item in objects:
        value: Any = item
        for part in expand.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values.append(value)
    assert any(isinstance(v, dict) and v["object"] == kind for v in values)
    assert all(v is None or isinstance(v, dict) for v in values)
    assert_error(
        api.get(path, params={"expand": "status"}), 400, "unsupported_expand_value", "expand"
    )


def test_every_recorded_event_decodes_as_the_sdks_event(api: httpx.Client, sim: Simulator) -> None:
    session = start_session(api, sim)
    sim.advance(60)
    ok(api.post(f"/v1/charging_sessions/{session['id']}/end", json={}))
    driver = ok(api.post("/v1/drivers", json={"name": "Eve", "email": "eve@example.com"}))
    ok(api.post(f"/v1/drivers/{driver['id']}", json={"name": "Eva"}))
    recorded = sim.events
    assert [e["type"] for e in recorded] == [
        "charging_session.created",
        "charging_session.updated",
        "charge.succeeded",
        "driver.created",
        "driver.updated",
    ]
    for raw in recorded:
        event = chargeapi.Event.from_dict(raw)
        assert event.id == raw["id"]
        assert isinstance(event.data.object, chargeapi.ChargeObject)
        assert event.data.object.to_dict() == raw["data"]["object"]
    assert chargeapi.Event.from_dict(recorded[1]).data.previous_attributes == {
        "status": "active",
        "session_ended": None,
        "amount_paid": 0,
    }
    assert len({e["id"] for e in recorded}) == len(recorded)
    # The seeded endpoint subscribes to charge.succeeded, but its https://example.com URL is
    # never contacted (the simulator delivers only to loopback): skipped, so none is pending.
    assert [e["pending_webhooks"] for e in recorded] == [0, 0, 0, 0, 0]
    assert [(d.event, d.outcome) for d in sim.deliveries] == [(recorded[2]["id"], "skipped")]


def test_paying_needs_a_card_that_pays(api: httpx.Client) -> None:
    body = {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}
    invoice = ok(api.post("/v1/invoices", json=body))
    ok(api.post(f"/v1/invoices/{invoice['id']}/finalize", json={}))
    card = {"number": DECLINING_CARD, "exp_month": 1, "exp_year": 2031}
    declining = ok(api.post("/v1/payment_methods", json={"type": "card", "card": card}))
    refused = api.post(
        f"/v1/invoices/{invoice['id']}/pay", json={"payment_method": declining["id"]}
    )
    assert_error(refused, 402, "payment_authorization_failed", "payment_method")
    account = first(api, "/v1/reports")["account"]
    ok(api.post(f"/v1/accounts/{account}", json={"preferences": {"default_payment_method": None}}))
    no_card = api.post(f"/v1/invoices/{invoice['id']}/pay", json={})
    assert_error(no_card, 400, "invoice_validation_error", "payment_method")
    assert ok(api.get(f"/v1/invoices/{invoice['id']}"))["status"] == "open"
