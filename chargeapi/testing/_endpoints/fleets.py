"""Drivers, vehicles (with telemetry) and fleets, and the links between them.

Attach and detach change both sides at once: a driver's `fleets` and the fleet's
`total_drivers`, a driver's `vehicles` and the vehicle's `drivers`, a vehicle's `fleet` and the
fleet's `total_vehicles` (fleet counters are always counted from the links, never stored).

Where the docs are silent:

* A driver's preferred charging stations (and default payment method) must exist: 404
  `<kind>_not_found` naming the item (`preferences.preferred_charging_stations[1]`).
* Driver attach to a fleet it is already in, or detach from one it is not in, is a 409
  `driver_fleet_conflict`; an unknown fleet there is a 404 `driver_or_fleet_not_found`.
* Vehicle attach/detach take exactly one of `driver` / `fleet` (400 `owner_scope_invalid`
  otherwise, and for a detach from an owner it does not have); an unknown owner is a 404
  `vehicle_owner_not_found`. A vehicle has one fleet: attaching another replaces it.
* A vehicle created through the API has no telemetry (`telemetry: null`): retrieving it is a
  404 `vehicle_telemetry_not_found`. Created without `information` or `registration_plate`, it
  has empty strings there (the docs mark both required and non-null).
* `status` of drivers and fleets is not settable (it is not a documented parameter).
"""

from __future__ import annotations

from typing import Any

from chargeapi.testing._endpoints._common import (
    ADDRESS,
    CURRENCY,
    Call,
    Endpoint,
    Filter,
    address,
    array,
    body,
    boolean,
    check_names,
    contains,
    created,
    equals,
    exactly_one,
    expand_all,
    expansions,
    ident,
    integer,
    list_of,
    metadata,
    nullable,
    obj,
    one_of,
    opt,
    req,
    retrieve,
    stored,
    string,
    text,
    updated,
)
from chargeapi.testing._errors import ApiError, conflict, invalid
from chargeapi.testing._render import render
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import Store

DRIVER_PREFERENCES = obj(
    {
        "charging_speed": opt(string(50)),
        "currency": opt(CURRENCY),
        "default_payment_method": opt(nullable(ident("payment_method"))),
        "max_price_per_kwh": opt(nullable(integer(0))),
        "notifications": opt(boolean),
        "preferred_charging_stations": opt(array(ident("charging_station"))),
        "preferred_cpos": opt(array(string(100))),
    }
)
DRIVER = {
    "name": req(text(200)),
    "email": req(text(320)),
    "phone": opt(nullable(string(50))),
    "license_number": opt(nullable(string(100))),
    "preferences": opt(nullable(DRIVER_PREFERENCES)),
    "metadata": opt(nullable(metadata)),
}
STANDARDS = ("CCS", "CHAdeMO", "Type2")
INFORMATION = obj(
    {
        "make": opt(string(100)),
        "model": opt(string(100)),
        "year": opt(string(4)),
    }
)
VEHICLE = {
    "vin": req(text(17)),
    "battery_capacity": req(integer(1, 1_000_000)),
    "charging_standard": req(one_of(*STANDARDS)),
    "information": opt(nullable(INFORMATION)),
    "registration_plate": opt(nullable(string(20))),
    "metadata": opt(nullable(metadata)),
}
VEHICLE_UPDATE = {
    "battery_capacity": opt(integer(1, 1_000_000)),
    "charging_standard": opt(one_of(*STANDARDS)),
    "information": opt(INFORMATION),
    "registration_plate": opt(string(20)),
    "status": opt(one_of("active", "inactive", "retired")),
    "metadata": opt(nullable(metadata)),
}
METRIC_SYSTEMS = ("international_system", "us_customary_system", "imperial_system")
FLEET_PREFERENCES = obj(
    {
        "billing_cycle": opt(string(50)),
        "default_currency": opt(CURRENCY),
        "default_payment_method": opt(nullable(ident("payment_method"))),
        "notifications": opt(boolean),
        "report_frequency": opt(string(50)),
    }
)
FLEET = {
    "name": req(text(200)),
    "email": opt(nullable(string(320))),
    "phone": opt(nullable(string(50))),
    "description": opt(nullable(string(500))),
    "timezone": opt(string(64)),
    "metric_system": opt(one_of(*METRIC_SYSTEMS)),
    "address": opt(nullable(ADDRESS)),
    "preferences": opt(nullable(FLEET_PREFERENCES)),
    "metadata": opt(nullable(metadata)),
}


def _optional(spec: dict[str, Any]) -> dict[str, Any]:
    """The same parameters, none required (updates)."""
    return {name: opt(rule.check) for name, rule in spec.items()}


def _check_payment_method(store: Store, values: JSON, prefix: str = "preferences.") -> None:
    """The objects `preferences` names exist: its default payment method and (a driver's)
    preferred charging stations; a 404 naming the first that does not."""
    preferences: JSON = values.get("preferences") or {}
    card = preferences.get("default_payment_method")
    if card is not None:
        stored(store, "payment_method", card, prefix + "default_payment_method")
    for i, station in enumerate(preferences.get("preferred_charging_stations") or ()):
        stored(store, "charging_station", station, f"{prefix}preferred_charging_stations[{i}]")


# -- drivers ----------------------------------------------------------------------------------


def create_driver(call: Call) -> JSON:
    values = body(call, DRIVER)
    _check_payment_method(call.store, values)
    now = call.store.stamp()
    preferences: JSON = {
        "charging_speed": "standard",
        "currency": "eur",
        "default_payment_method": None,
        "max_price_per_kwh": None,
        "notifications": True,
        "preferred_charging_stations": [],
        "preferred_cpos": [],
        **(values.get("preferences") or {}),
    }
    return created(
        call.store,
        "driver",
        {
            "id": call.store.new_id("driver"),
            "object": "driver",
            "created": now,
            "email": values["email"],
            "fleets": [],
            "license_number": values.get("license_number"),
            "metadata": values.get("metadata") or {},
            "name": values["name"],
            "phone": values.get("phone"),
            "policy_ids": [],
            "preferences": preferences,
            "status": "active",
            "updated": now,
            "vehicles": [],
            "wallet_balance": 0,
        },
    )


def update_driver(call: Call) -> JSON:
    values = body(call, _optional(DRIVER))
    driver = stored(call.store, "driver", call.object_id, call.param)
    _check_payment_method(call.store, values)
    for name in ("name", "email"):
        if name in values and values[name] is None:
            raise invalid(f"Invalid {name}: it cannot be cleared.", name)
    if "preferences" in values and values["preferences"] is None:
        raise invalid("Invalid preferences: it cannot be cleared.", "preferences")
    return updated(call.store, "driver", driver, values)


def _driver_fleet(call: Call) -> tuple[JSON, JSON]:
    values = body(call, {"fleet": req(ident("fleet"))})
    driver = stored(call.store, "driver", call.object_id, call.param)
    fleet = stored(call.store, "fleet", values["fleet"], "fleet", "driver_or_fleet_not_found")
    return driver, fleet


def attach_driver(call: Call) -> JSON:
    driver, fleet = _driver_fleet(call)
    if fleet["id"] in driver["fleets"]:
        raise conflict(
            "driver_fleet_conflict", f"Driver {driver['id']} is already in {fleet['id']}.", "fleet"
        )
    return _relink(call.store, "driver", driver, fleets=[*driver["fleets"], fleet["id"]])


def detach_driver(call: Call) -> JSON:
    driver, fleet = _driver_fleet(call)
    if fleet["id"] not in driver["fleets"]:
        raise conflict(
            "driver_fleet_conflict", f"Driver {driver['id']} is not in {fleet['id']}.", "fleet"
        )
    return _relink(
        call.store, "driver", driver, fleets=[f for f in driver["fleets"] if f != fleet["id"]]
    )


def _relink(store: Store, kind: str, target: JSON, **changes: Any) -> JSON:
    store.transition(kind, target, **changes)
    shaped = render(store, kind, target["id"])
    assert shaped is not None
    return shaped


# -- vehicles ---------------------------------------------------------------------------------


def create_vehicle(call: Call) -> JSON:
    values = body(call, VEHICLE)
    now = call.store.stamp()
    information: JSON = {
        "make": "",
        "model": "",
        "year": "",
        **(values.get("information") or {}),
    }
    return created(
        call.store,
        "vehicle",
        {
            "id": call.store.new_id("vehicle"),
            "object": "vehicle",
            "battery_capacity": values["battery_capacity"],
            "charging_standard": values["charging_standard"],
            "created": now,
            "drivers": [],
            "fleet": None,
            "information": information,
            "metadata": values.get("metadata") or {},
            "policy_ids": [],
            "registration_plate": values.get("registration_plate") or "",
            "status": "active",
            "telemetry": None,
            "updated": now,
            "vin": values["vin"],
        },
    )


def update_vehicle(call: Call) -> JSON:
    values = body(call, VEHICLE_UPDATE)
    vehicle = stored(call.store, "vehicle", call.object_id, call.param)
    updated_vehicle = updated(call.store, "vehicle", vehicle, values)
    telemetry = call.store.telemetry_of(vehicle["id"])
    if telemetry is not None and "battery_capacity" in values:
        telemetry["battery"]["capacity"] = values["battery_capacity"]
        telemetry["_energy"] = min(telemetry["_energy"], values["battery_capacity"])
    return updated_vehicle


def _vehicle_owner(call: Call) -> tuple[JSON, str, JSON]:
    values = body(
        call, {"driver": opt(ident("driver")), "fleet": opt(ident("fleet"))}, "owner_scope_invalid"
    )
    kind = exactly_one(values, ("driver", "fleet"), "owner_scope_invalid")
    vehicle = stored(call.store, "vehicle", call.object_id, call.param)
    owner = stored(call.store, kind, values[kind], kind, "vehicle_owner_not_found")
    return vehicle, kind, owner


def attach_vehicle(call: Call) -> JSON:
    vehicle, kind, owner = _vehicle_owner(call)
    store = call.store
    if kind == "fleet":
        return _relink(store, "vehicle", vehicle, fleet=owner["id"])
    if owner["id"] not in vehicle["drivers"]:
        store.transition("driver", owner, vehicles=[*owner["vehicles"], vehicle["id"]])
        return _relink(store, "vehicle", vehicle, drivers=[*vehicle["drivers"], owner["id"]])
    return _relink(store, "vehicle", vehicle)


def detach_vehicle(call: Call) -> JSON:
    vehicle, kind, owner = _vehicle_owner(call)
    store = call.store
    if kind == "fleet":
        if vehicle["fleet"] != owner["id"]:
            raise invalid(
                f"Vehicle {vehicle['id']} is not in {owner['id']}.",
                "fleet",
                code="owner_scope_invalid",
            )
        return _relink(store, "vehicle", vehicle, fleet=None)
    if owner["id"] not in vehicle["drivers"]:
        raise invalid(
            f"Vehicle {vehicle['id']} is not attached to {owner['id']}.",
            "driver",
            code="owner_scope_invalid",
        )
    store.transition("driver", owner, vehicles=[v for v in owner["vehicles"] if v != vehicle["id"]])
    return _relink(
        store, "vehicle", vehicle, drivers=[d for d in vehicle["drivers"] if d != owner["id"]]
    )


def retrieve_telemetry(call: Call) -> JSON:
    check_names(call.params.keys(), {"expand"})
    steps = expansions(call, "vehicle_telemetry")
    stored(call.store, "vehicle", call.object_id, call.param)
    telemetry = call.store.telemetry_of(call.object_id)
    if telemetry is None:
        raise ApiError(
            404,
            "invalid_request_error",
            "vehicle_telemetry_not_found",
            f"No telemetry is available for vehicle {call.object_id}.",
            call.param,
        )
    shaped = render(call.store, "vehicle_telemetry", telemetry["id"])
    assert shaped is not None
    expand_all([shaped], steps, call.store)
    return shaped


# -- fleets -----------------------------------------------------------------------------------


def create_fleet(call: Call) -> JSON:
    values = body(call, FLEET)
    _check_payment_method(call.store, values)
    now = call.store.stamp()
    return created(
        call.store,
        "fleet",
        {
            "id": call.store.new_id("fleet"),
            "object": "fleet",
            "address": address(values.get("address")),
            "created": now,
            "description": values.get("description"),
            "email": values.get("email"),
            "metadata": values.get("metadata") or {},
            "metric_system": values.get("metric_system", "international_system"),
            "name": values["name"],
            "phone": values.get("phone"),
            "policy_ids": [],
            "preferences": {
                "billing_cycle": "monthly",
                "default_currency": "eur",
                "default_payment_method": None,
                "notifications": True,
                "report_frequency": "monthly",
                **(values.get("preferences") or {}),
            },
            "status": "active",
            "timezone": values.get("timezone", "UTC"),
            "total_drivers": 0,
            "total_energy_consumed_kwh": 0.0,
            "total_sessions": 0,
            "total_vehicles": 0,
            "updated": now,
            "wallet_balance": 0,
        },
    )


def update_fleet(call: Call) -> JSON:
    values = body(call, _optional(FLEET))
    fleet = stored(call.store, "fleet", call.object_id, call.param)
    _check_payment_method(call.store, values)
    for name in ("name", "address", "preferences"):
        if name in values and values[name] is None:
            raise invalid(f"Invalid {name}: it cannot be cleared.", name)
    return updated(call.store, "fleet", fleet, values)


def _fleet_has_driver(store: Store, fleet: Any, driver_id: str) -> bool:
    driver = store.get("driver", driver_id)
    return driver is not None and fleet["id"] in driver["fleets"]


def _fleet_has_vehicle(store: Store, fleet: Any, vehicle_id: str) -> bool:
    vehicle = store.get("vehicle", vehicle_id)
    return vehicle is not None and vehicle["fleet"] == fleet["id"]


HANDLERS: dict[tuple[str, str], Endpoint] = {
    ("Driver", "create"): create_driver,
    ("Driver", "retrieve"): retrieve("driver"),
    ("Driver", "update"): update_driver,
    ("Driver", "list"): list_of(
        "driver", {"fleet": contains("fleets"), "vehicle": contains("vehicles")}
    ),
    ("Driver", "attach"): attach_driver,
    ("Driver", "detach"): detach_driver,
    ("Vehicle", "create"): create_vehicle,
    ("Vehicle", "retrieve"): retrieve("vehicle"),
    ("Vehicle", "update"): update_vehicle,
    ("Vehicle", "list"): list_of(
        "vehicle", {"driver": contains("drivers"), "fleet": equals("fleet")}
    ),
    ("Vehicle", "attach"): attach_vehicle,
    ("Vehicle", "detach"): detach_vehicle,
    ("VehicleTelemetry", "retrieve"): retrieve_telemetry,
    ("Fleet", "create"): create_fleet,
    ("Fleet", "retrieve"): retrieve("fleet"),
    ("Fleet", "update"): update_fleet,
    ("Fleet", "list"): list_of(
        "fleet",
        {
            "status": equals("status"),
            "driver": Filter(ident("driver"), _fleet_has_driver),
            "vehicle": Filter(ident("vehicle"), _fleet_has_vehicle),
        },
    ),
}
