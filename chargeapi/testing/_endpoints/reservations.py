"""Reservations (their lifecycle runs on the store's clock) and estimations.

Where the docs are silent:

* Reservation create: `ideal_start` must not be in the past and `ideal_end` must follow it;
  `earliest_start` (if given) is at or before `ideal_start`, `latest_end` at or after
  `ideal_end`; `location.radius` is in metres (1 to 100 000). Violations are 400
  `reservation_invalid_input`.
* `confirm` from any state but `pending` is a 409 `reservation_invalid_state`; a confirm that
  finds no connector answers 200 with the reservation `failed`.
* Estimation: the energy is `battery_capacity * (target - level) / 100` Wh, delivered at the
  most powerful connector matching the vehicle's `charging_standard` (none: 400
  `estimation_validation_error` on `vehicle`), billed like a session (per started step at the
  station's price). It is valid for 15 minutes; retrieving it afterwards is a 404
  `estimation_not_found` saying it expired. A `currency` other than the station's is a 400
  (the simulator has no exchange rates).
"""

from __future__ import annotations

from chargeapi.testing._endpoints._common import (
    CURRENCY,
    Call,
    Endpoint,
    array,
    body,
    check_names,
    created,
    equals,
    expand_all,
    expansions,
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
    require,
    retrieve,
    stored,
    timestamp,
    updated,
)
from chargeapi.testing._errors import ApiError, conflict, invalid
from chargeapi.testing._render import render
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import ESTIMATION_TTL, Store
from chargeapi.testing._time import format_timestamp, parse_timestamp

CODE = "reservation_invalid_input"
CONNECTOR_TYPES = ("CCS", "CHAdeMO", "Type2")
STATUSES = ("pending", "confirmed", "completed", "cancelled", "failed", "expired")
LOCATION = obj(
    {
        "latitude": req(number(-90, 90)),
        "longitude": req(number(-180, 180)),
        "radius": req(number(1, 100_000)),
    }
)
CREATE = {
    "connector_type": req(array(one_of(*CONNECTOR_TYPES), min_items=1, max_items=3)),
    "driver": req(ident("driver")),
    "vehicle": req(ident("vehicle")),
    "ideal_start": req(timestamp),
    "ideal_end": req(timestamp),
    "location": req(LOCATION),
    "earliest_start": opt(nullable(timestamp)),
    "latest_end": opt(nullable(timestamp)),
    "payment_method": opt(nullable(ident("payment_method"))),
    "metadata": opt(nullable(metadata)),
}
UPDATE = {
    "connector_type": opt(array(one_of(*CONNECTOR_TYPES), min_items=1, max_items=3)),
    "driver": opt(ident("driver")),
    "vehicle": opt(ident("vehicle")),
    "ideal_start": opt(timestamp),
    "ideal_end": opt(timestamp),
    "location": opt(LOCATION),
    "earliest_start": opt(nullable(timestamp)),
    "latest_end": opt(nullable(timestamp)),
    "payment_method": opt(nullable(ident("payment_method"))),
    "metadata": opt(nullable(metadata)),
}


def _check_window(store: Store, window: JSON, *, is_new: bool) -> None:
    start, end = parse_timestamp(window["ideal_start"]), parse_timestamp(window["ideal_end"])
    assert start is not None
    assert end is not None
    if is_new and start < store.now:
        raise invalid("ideal_start is in the past.", "ideal_start", code=CODE)
    if end <= start:
        raise invalid("ideal_end must be after ideal_start.", "ideal_end", code=CODE)
    earliest = parse_timestamp(window.get("earliest_start"))
    if earliest is not None and earliest > start:
        raise invalid(
            "earliest_start must be at or before ideal_start.", "earliest_start", code=CODE
        )
    latest = parse_timestamp(window.get("latest_end"))
    if latest is not None and latest < end:
        raise invalid("latest_end must be at or after ideal_end.", "latest_end", code=CODE)


def create_reservation(call: Call) -> JSON:
    values = body(call, CREATE, CODE)
    store = call.store
    _check_window(store, values, is_new=True)
    stored(store, "driver", values["driver"], "driver")
    stored(store, "vehicle", values["vehicle"], "vehicle")
    if values.get("payment_method") is not None:
        stored(store, "payment_method", values["payment_method"], "payment_method")
    now = store.stamp()
    return created(
        store,
        "reservation",
        {
            "id": store.new_id("reservation"),
            "object": "reservation",
            "cancellation_policy": {"free_until_before": 1800, "type": "free_cancellation"},
            "charging_station": None,
            "confirmed_at": None,
            "connector_type": values["connector_type"],
            "created": now,
            "currency": "eur",
            "driver": values["driver"],
            "earliest_start": values.get("earliest_start"),
            "failed_reason": None,
            "ideal_end": values["ideal_end"],
            "ideal_start": values["ideal_start"],
            "latest_end": values.get("latest_end"),
            "location": values["location"],
            "metadata": values.get("metadata") or {},
            "payment_method": values.get("payment_method"),
            "reservation_fee": 0,
            "reserved_end": None,
            "reserved_start": None,
            "status": "pending",
            "updated": now,
            "vehicle": values["vehicle"],
            "_connector": None,
        },
    )


def update_reservation(call: Call) -> JSON:
    values = body(call, UPDATE, CODE)
    store = call.store
    reservation = stored(store, "reservation", call.object_id, call.param)
    if reservation["status"] != "pending":
        raise conflict(
            "reservation_update_invalid_state",
            f"Reservation {reservation['id']} is {reservation['status']}; only a pending "
            "reservation can be updated.",
        )
    _check_window(store, {**reservation, **values}, is_new="ideal_start" in values)
    for kind in ("driver", "vehicle"):
        if kind in values:
            stored(store, kind, values[kind], kind)
    if values.get("payment_method") is not None:
        stored(store, "payment_method", values["payment_method"], "payment_method")
    if "location" in values:
        values["location"] = {**reservation["location"], **values["location"]}
    return updated(store, "reservation", reservation, {**values})


def confirm_reservation(call: Call) -> JSON:
    values = body(call, {"payment_method": opt(nullable(ident("payment_method")))}, CODE)
    store = call.store
    reservation = stored(store, "reservation", call.object_id, call.param)
    if reservation["status"] != "pending":
        raise conflict(
            "reservation_invalid_state",
            f"Reservation {reservation['id']} is {reservation['status']}; only a pending "
            "reservation can be confirmed.",
        )
    method = values.get("payment_method") or reservation["payment_method"]
    if method is not None:
        stored(store, "payment_method", method, "payment_method")
    store.confirm_reservation(reservation, method)
    return _rendered(store, "reservation", reservation["id"])


def cancel_reservation(call: Call) -> JSON:
    body(call, {}, CODE)
    store = call.store
    reservation = stored(store, "reservation", call.object_id, call.param)
    if reservation["status"] not in ("pending", "confirmed"):
        raise conflict(
            "reservation_cancel_invalid_state",
            f"Reservation {reservation['id']} is {reservation['status']}; only a pending or "
            "confirmed reservation can be cancelled.",
        )
    store.transition("reservation", reservation, status="cancelled")
    return _rendered(store, "reservation", reservation["id"])


def _rendered(store: Store, kind: str, object_id: str) -> JSON:
    shaped = render(store, kind, object_id)
    assert shaped is not None
    return shaped


# -- estimations ------------------------------------------------------------------------------

ESTIMATION_CODE = "estimation_validation_error"
ESTIMATE = {
    "charging_station": req(ident("charging_station")),
    "vehicle": req(ident("vehicle")),
    "battery_level": req(integer(0, 100)),
    "battery_target_level": req(integer(1, 100)),
    "currency": opt(nullable(CURRENCY)),
}


def create_estimation(call: Call) -> JSON:
    values = body(call, ESTIMATE, ESTIMATION_CODE)
    store = call.store
    station = require(store, "charging_station", values["charging_station"], "charging_station")
    vehicle = require(store, "vehicle", values["vehicle"], "vehicle")
    level, target = values["battery_level"], values["battery_target_level"]
    if target <= level:
        raise invalid(
            "battery_target_level must be above battery_level.",
            "battery_target_level",
            code=ESTIMATION_CODE,
        )
    connectors = [c for c in station["connectors"] if c["type"] == vehicle["charging_standard"]]
    if not connectors:
        raise invalid(
            f"Station {station['id']} has no {vehicle['charging_standard']} connector for "
            f"vehicle {vehicle['id']}.",
            "vehicle",
            code=ESTIMATION_CODE,
        )
    tariff = station["pricing"][0]
    currency = values.get("currency") or tariff["currency"]
    if currency != tariff["currency"]:
        raise invalid(
            f"Station {station['id']} prices in {tariff['currency']}; no exchange rates here.",
            "currency",
            code=ESTIMATION_CODE,
        )
    power = max(c["power"] for c in connectors)
    energy = vehicle["battery_capacity"] * (target - level) // 100
    steps = -(-energy // tariff["step_size"])
    cost = (steps * tariff["step_size"] * tariff["price"] + 500) // 1000
    kwh = round(energy / 1000, 2)
    return created(
        store,
        "estimation",
        {
            "id": store.new_id("estimation"),
            "object": "estimation",
            "battery_level": level,
            "battery_target_level": target,
            "charging_station": station["id"],
            "cost_breakdown": [
                {
                    "cost": cost,
                    "description": "Energy",
                    "quantity": kwh,
                    "tax_percent": None,
                    "type": "energy",
                    "unit": "kWh",
                    "unit_price": tariff["price"],
                }
            ],
            "created": store.stamp(),
            "currency": currency,
            "estimated_duration": -(-energy * 3600 // (power * 1000)),
            "estimated_energy_kwh": kwh,
            "estimated_total_cost": cost,
            "valid_until": format_timestamp(store.now + ESTIMATION_TTL),
            "vehicle": vehicle["id"],
        },
    )


def retrieve_estimation(call: Call) -> JSON:
    check_names(call.params.keys(), {"expand"})
    steps = expansions(call, "estimation")
    estimation = require(call.store, "estimation", call.object_id, call.param)
    valid_until = parse_timestamp(estimation["valid_until"])
    if valid_until is not None and call.store.now > valid_until:
        raise ApiError(
            404,
            "invalid_request_error",
            "estimation_not_found",
            f"Estimation {estimation['id']} expired at {estimation['valid_until']}; create a "
            "new one.",
            call.param,
        )
    expand_all([estimation], steps, call.store)
    return estimation


HANDLERS: dict[tuple[str, str], Endpoint] = {
    ("Reservation", "create"): create_reservation,
    ("Reservation", "retrieve"): retrieve("reservation"),
    ("Reservation", "update"): update_reservation,
    ("Reservation", "list"): list_of(
        "reservation",
        {
            "status": equals("status", one_of(*STATUSES)),
            "driver": equals("driver"),
            "vehicle": equals("vehicle"),
            "charging_station": equals("charging_station"),
        },
        CODE,
    ),
    ("Reservation", "confirm"): confirm_reservation,
    ("Reservation", "cancel"): cancel_reservation,
    ("Estimation", "create"): create_estimation,
    ("Estimation", "retrieve"): retrieve_estimation,
}
