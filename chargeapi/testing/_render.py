"""Objects as the API returns them: the NEW JSON shapes of the docs (section 7).

Seeded objects are stored already shaped; rendering copies them and fills in what the live
state decides (connector status, availability, fleet totals). Sessions are rendered from the
store's exact values: integer Wh, integer minor units, RFC 3339 timestamps with milliseconds.
"""

from __future__ import annotations

import copy

from chargeapi.testing._seed import JSON
from chargeapi.testing._store import Session, Store
from chargeapi.testing._time import format_timestamp

KINDS = ("charging_session", "charging_station", "driver", "fleet", "payment_method", "vehicle")


def render(store: Store, kind: str, object_id: str) -> JSON | None:
    """The object of that kind and ID as JSON, or None if there is none."""
    if kind == "charging_session":
        session = store.sessions.get(object_id)
        return None if session is None else render_session(session)
    seeded = store.seeded(kind).get(object_id)
    if seeded is None:
        return None
    shaped = copy.deepcopy(seeded)
    if kind == "charging_station":
        _fill_station(store, shaped)
    elif kind == "fleet":
        _fill_fleet(store, shaped)
    return shaped


def render_all(store: Store, kind: str) -> list[tuple[int, JSON]]:
    """Every object of a kind, newest first, each with its position (oldest = 0)."""
    ids = store.ids(kind)
    return [(rank, _existing(store, kind, ids[rank])) for rank in reversed(range(len(ids)))]


def render_session(session: Session) -> JSON:
    return {
        "id": session.id,
        "object": "charging_session",
        "amount_due": session.amount_due,
        "amount_paid": 0,
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


def _existing(store: Store, kind: str, object_id: str) -> JSON:
    shaped = render(store, kind, object_id)
    if shaped is None:
        raise KeyError(object_id)
    return shaped


def _fill_station(store: Store, station: JSON) -> None:
    occupied = store.occupied(station["id"])
    for connector in station["connectors"]:
        connector["status"] = "occupied" if connector["id"] in occupied else "available"
    station["availability"]["connectors_available"] = len(station["connectors"]) - len(occupied)


def _fill_fleet(store: Store, fleet: JSON) -> None:
    sessions = [s for s in store.sessions.values() if s.fleet == fleet["id"]]
    fleet["total_sessions"] = len(sessions)
    fleet["total_energy_consumed_kwh"] = round(sum(s.energy_wh for s in sessions) / 1000, 1)
