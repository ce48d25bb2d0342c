"""Charging sessions and stations: start and end power delivery, read stations.

Where the docs are silent:

* A connector that the station does not have is a 404 `charging_session_dependency_not_found`
  with `param: "connector"` (the documented code for a session's missing dependency).
* A driver or vehicle that is not `active` (a suspended driver, a retired vehicle) cannot start
  a session: 403 with `param` naming it (the visible code list has no code for it: `null`).
* Station list filters (older docs; the newer filter table is cut): `available=true|false`,
  `driver` (stations in that driver's `preferred_charging_stations`), `latitude` + `longitude` +
  `radius` in metres (all three, or none), and `origin` + `destination` as `"lat,lng"` (both
  checked, `destination` needs `origin`; route recommendations are not simulated: they filter
  nothing).
* Checks run in this order: parameters (400), references (404), their status (403), the card (402
  `payment_authorization_failed` for a declining test card), policies (403 `policy_blocked`,
  naming the policy and the broken rule), the connector (409 `charging_session_conflict` if in
  use, or locked by another driver's confirmed reservation).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from chargeapi.testing._endpoints._common import (
    Bad,
    Call,
    Endpoint,
    Filter,
    equals,
    ident,
    integer,
    list_of,
    nullable,
    one_of,
    opt,
    req,
    require,
    retrieve,
    text,
)
from chargeapi.testing._endpoints._common import body as checked_body
from chargeapi.testing._errors import ApiError, conflict, invalid, not_found
from chargeapi.testing._render import render_session, render_stored
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import SESSION_STATUSES, Store, distance_m

CREATE = {
    "charging_station": req(ident("charging_station")),
    "connector": req(text(255)),
    "driver": req(ident("driver")),
    "payment_method": req(ident("payment_method")),
    "vehicle": req(ident("vehicle")),
    "session_limit": opt(nullable(integer(1))),
}


def create_session(call: Call) -> JSON:
    values = checked_body(call, CREATE)
    store = call.store
    station_id, connector = values["charging_station"], values["connector"]
    station = require(store, "charging_station", station_id, "charging_station")
    if store.connector(station_id, connector) is None:
        raise ApiError(
            404,
            "invalid_request_error",
            "charging_session_dependency_not_found",
            f"Charging station {station_id} has no connector {connector!r}.",
            "connector",
        )
    driver = require(store, "driver", values["driver"], "driver")
    vehicle = require(store, "vehicle", values["vehicle"], "vehicle")
    for kind, holder in (("driver", driver), ("vehicle", vehicle)):
        if holder["status"] != "active":
            raise ApiError(
                403,
                "invalid_request_error",
                None,
                f"The {kind} {holder['id']} is {holder['status']}; only an active {kind} can "
                "start a charging session.",
                kind,
            )
    card = store.get("payment_method", values["payment_method"])
    if card is None:
        raise not_found("payment_method", "payment_method", values["payment_method"])
    if card.get("_declines"):
        raise ApiError(
            402,
            "card_error",
            "payment_authorization_failed",
            f"The payment method {card['id']} was declined (test card ending "
            f"{card['card']['last4'] if card.get('card') else '????'}).",
            "payment_method",
        )
    fleet_id = store.session_fleet(driver["id"])
    holders = [driver, vehicle]
    if fleet_id is not None:
        holders.append(store.objects("fleet")[fleet_id])
    blocked = store.blocking_policy(holders, station)
    if blocked is not None:
        policy, rule = blocked
        raise ApiError(
            403,
            "invalid_request_error",
            "policy_blocked",
            f"Policy {policy['id']} ({policy['name']}) blocks this session: rules.{rule}.",
            None,
        )
    if connector in store.occupied(station_id):
        raise conflict(
            "charging_session_conflict",
            f"Connector {connector} of {station_id} is already in use.",
            "connector",
        )
    for reservation in store.locks(station_id, connector):
        if reservation["driver"] != driver["id"]:
            raise conflict(
                "charging_session_conflict",
                f"Connector {connector} of {station_id} is reserved ({reservation['id']}).",
                "connector",
            )
    session = store.start_session(
        charging_station=station_id,
        connector=connector,
        driver=driver["id"],
        vehicle=vehicle["id"],
        payment_method=card["id"],
        session_limit=values.get("session_limit"),
    )
    shaped = render_session(session)
    store.emit("charging_session.created", shaped)
    return shaped


def end_session(call: Call) -> JSON:
    checked_body(call, {})
    session = call.store.sessions.get(call.object_id)
    if session is None:
        raise not_found("charging_session", call.param, call.object_id)
    if session.status != "active":
        raise conflict(
            "charging_session_state_conflict",
            f"Charging session {session.id} is {session.status}; only an active "
            "session can be ended.",
        )
    call.store.end_session(session)
    return render_session(session)


def _flag(name: str, value: str) -> str:
    if value not in ("true", "false"):
        raise Bad(name, f"Invalid {name}: expected true or false.")
    return value


def _decimal(low: float, high: float) -> Callable[[str, str], str]:
    def check(name: str, value: str) -> str:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not low <= number <= high:  # NaN fails too
            raise Bad(name, f"Invalid {name}: expected a number from {low:g} to {high:g}.")
        return value

    return check


def _point(name: str, value: str) -> str:
    latitude, _, longitude = value.partition(",")
    _decimal(-90, 90)(name, latitude)
    _decimal(-180, 180)(name, longitude)
    return value


def _always(store: Store, station: Any, value: str) -> bool:
    return True


def list_stations(call: Call) -> JSON:
    """`GET /v1/charging_stations` with the older docs' filters (see the module docstring)."""
    params = call.params
    area = [name for name in ("latitude", "longitude", "radius") if name in params]
    if area and len(area) != 3:
        missing = next(n for n in ("latitude", "longitude", "radius") if n not in params)
        raise invalid("latitude, longitude and radius are used together.", missing)
    if "destination" in params and "origin" not in params:
        raise invalid("destination needs origin.", "origin")

    def available(store: Store, station: Any, value: str) -> bool:
        free = render_stored(store, "charging_station", station)["availability"]
        return bool(free["connectors_available"] > 0) == (value == "true")

    def favourite(store: Store, station: Any, value: str) -> bool:
        driver: JSON = store.collection("driver").get(value) or {}
        preferences: JSON = driver.get("preferences", {})
        preferred = preferences.get("preferred_charging_stations")
        return station["id"] in (preferred or ())

    def near(store: Store, station: Any, value: str) -> bool:
        centre = {"latitude": float(value), "longitude": float(params["longitude"])}
        return distance_m(station["location"], centre) <= float(params["radius"])

    filters = {
        "available": Filter(_flag, available),
        "driver": Filter(ident("driver"), favourite),
        "latitude": Filter(_decimal(-90, 90), near),
        "longitude": Filter(_decimal(-180, 180), _always),
        "radius": Filter(_decimal(0, 40_000_000), _always),
        "origin": Filter(_point, _always),
        "destination": Filter(_point, _always),
    }
    return list_of("charging_station", filters)(call)


HANDLERS: dict[tuple[str, str], Endpoint] = {
    ("ChargingSession", "create"): create_session,
    ("ChargingSession", "retrieve"): retrieve("charging_session"),
    ("ChargingSession", "list"): list_of(
        "charging_session",
        {
            "driver": equals("driver"),
            "fleet": equals("fleet"),
            "vehicle": equals("vehicle"),
            "status": equals("status", one_of(*SESSION_STATUSES)),
        },
    ),
    ("ChargingSession", "end"): end_session,
    ("ChargingStation", "retrieve"): retrieve("charging_station"),
    ("ChargingStation", "list"): list_stations,
}
