"""Objects as the API returns them: the NEW JSON shapes of the docs (sections 6 and 7).

Stored objects are kept already shaped; rendering copies them, drops the store's private
`_fields`, and fills in what the live state decides (connector status and availability, fleet
counters, a draft invoice's lines, a report's file URL and size, a battery's level). Sessions
are rendered from the store's exact values: integer Wh, integer minor units, RFC 3339
timestamps with milliseconds.
"""

from __future__ import annotations

import copy
from typing import Any

from chargeapi.testing._seed import JSON
from chargeapi.testing._store import METRES_PER_WH, Session, Store
from chargeapi.testing._time import format_timestamp


def render(store: Store, kind: str, object_id: str) -> JSON | None:
    """The object of that kind and ID as JSON, or None if there is none."""
    if kind == "charging_session":
        session = store.sessions.get(object_id)
        return None if session is None else render_session(session)
    stored = store.get(kind, object_id)
    return None if stored is None else render_stored(store, kind, stored)


def render_stored(store: Store, kind: str, stored: Any) -> JSON:
    """A stored object (a Session or a JSON dict) as the API returns it."""
    if kind == "charging_session":
        return render_session(stored)
    shaped: JSON = {k: copy.deepcopy(v) for k, v in stored.items() if not k.startswith("_")}
    fill = _FILL.get(kind)
    if fill is not None:
        fill(store, shaped, stored)
    return shaped


def render_session(session: Session) -> JSON:
    return {
        "id": session.id,
        "object": "charging_session",
        "amount_due": session.amount_due,
        "amount_paid": session.amount_paid,
        "charging_station": session.charging_station,
        "connector": session.connector,
        "country": session.country,
        "created": format_timestamp(session.created),
        "currency": session.currency,
        "driver": session.driver,
        "energy_consumed": session.energy_wh,
        "fleet": session.fleet,
        "payment_method": session.payment_method,
        "session_ended": None if session.ended is None else format_timestamp(session.ended),
        "session_limit": session.session_limit,
        "session_started": format_timestamp(session.created),
        "status": session.status,
        "updated": format_timestamp(session.updated),
        "vehicle": session.vehicle,
    }


def report_path(report_id: str) -> str:
    """Where the simulator serves a report's file, on its own origin."""
    return f"/files/reports/{report_id}.csv"


def _fill_station(store: Store, station: JSON, stored: JSON) -> None:
    occupied = store.occupied(station["id"])
    for connector in station["connectors"]:
        connector["status"] = "occupied" if connector["id"] in occupied else "available"
    station["availability"]["connectors_available"] = len(station["connectors"]) - len(occupied)


def _fill_fleet(store: Store, fleet: JSON, stored: JSON) -> None:
    sessions = [s for s in store.sessions.values() if s.fleet == fleet["id"]]
    fleet["total_sessions"] = len(sessions)
    fleet["total_energy_consumed_kwh"] = round(sum(s.energy_wh for s in sessions) / 1000, 1)
    fleet["total_drivers"] = sum(
        fleet["id"] in d["fleets"] for d in store.objects("driver").values()
    )
    fleet["total_vehicles"] = sum(
        v["fleet"] == fleet["id"] for v in store.objects("vehicle").values()
    )


def _fill_invoice(store: Store, invoice: JSON, stored: JSON) -> None:
    if invoice["status"] == "draft":
        invoice["line_items"] = store.invoice_lines(stored)
        invoice["amount_due"] = sum(line["amount"] for line in invoice["line_items"])


def _fill_report(store: Store, report: JSON, stored: JSON) -> None:
    csv = stored.get("_csv")
    if report["status"] == "succeeded" and csv is not None:
        report["url"] = store.origin + report_path(report["id"])
        report["size"] = len(csv.encode())
    else:
        report["url"], report["size"] = None, 0


def _fill_telemetry(store: Store, telemetry: JSON, stored: JSON) -> None:
    battery = telemetry["battery"]
    energy = stored["_energy"]
    battery["level"] = min(100, int(energy * 100 / battery["capacity"]))
    battery["range"] = int(energy * METRES_PER_WH)
    battery["status"] = "charging" if store.is_charging(telemetry["vehicle"]) else "idle"


_FILL = {
    "charging_station": _fill_station,
    "fleet": _fill_fleet,
    "invoice": _fill_invoice,
    "report": _fill_report,
    "vehicle_telemetry": _fill_telemetry,
}
