"""The sample account every `Simulator(seed=...)` starts with, generated from `random.Random(seed)`.

Everything here is a pure function of the seed, so the same seed gives the same IDs, names and
prices in every process (no uuid, no wall clock, no global `random` state). Objects are plain
dicts already in the NEW docs' JSON shapes (section 7); only stations have live parts (connector
status, availability), which the renderer fills in from the store.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, TypeGuard

from chargeapi.testing._time import START, format_timestamp, parse_timestamp, to_datetime

JSON = dict[str, Any]


def is_object(value: object) -> TypeGuard[JSON]:
    """A JSON object: a dict, its keys str as in every decoded body (typed for narrowing)."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeGuard[list[Any]]:
    """A JSON array (`isinstance` alone would leave its items' type unknown to pyright)."""
    return isinstance(value, list)


_ALPHANUMERIC = string.ascii_letters + string.digits
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

_SITES: tuple[JSON, ...] = (
    {
        "city": "Paris",
        "name": "Paris Opera",
        "country": "FR",
        "line1": "10 Rue de la Paix",
        "postal_code": "75002",
        "state": "Ile-de-France",
        "latitude": 48.8698,
        "longitude": 2.3319,
    },
    {
        "city": "Lyon",
        "name": "Lyon Confluence",
        "country": "FR",
        "line1": "25 Quai Claude Bernard",
        "postal_code": "69007",
        "state": "Auvergne-Rhone-Alpes",
        "latitude": 45.7497,
        "longitude": 4.8380,
    },
    {
        "city": "Berlin",
        "name": "Berlin Mitte",
        "country": "DE",
        "line1": "Friedrichstrasse 95",
        "postal_code": "10117",
        "state": "Berlin",
        "latitude": 52.5200,
        "longitude": 13.3880,
    },
    {
        "city": "Munich",
        "name": "Munich Schwabing",
        "country": "DE",
        "line1": "Leopoldstrasse 120",
        "postal_code": "80802",
        "state": "Bayern",
        "latitude": 48.1610,
        "longitude": 11.5860,
    },
    {
        "city": "Amsterdam",
        "name": "Amsterdam Centraal",
        "country": "NL",
        "line1": "Stationsplein 12",
        "postal_code": "1012 AB",
        "state": "Noord-Holland",
        "latitude": 52.3791,
        "longitude": 4.9003,
    },
    {
        "city": "Utrecht",
        "name": "Utrecht Jaarbeurs",
        "country": "NL",
        "line1": "Croeselaan 18",
        "postal_code": "3521 CB",
        "state": "Utrecht",
        "latitude": 52.0894,
        "longitude": 5.1100,
    },
    {
        "city": "Brussels",
        "name": "Brussels Schuman",
        "country": "BE",
        "line1": "Rue de la Loi 155",
        "postal_code": "1040",
        "state": "Bruxelles-Capitale",
        "latitude": 50.8427,
        "longitude": 4.3840,
    },
)
_OPERATORS = ("Ionity", "Fastned", "Allego", "EnBW", "TotalEnergies")
_CONNECTOR_KINDS = (("CCS", 350), ("CCS", 150), ("CHAdeMO", 50), ("Type2", 22))
_AMENITIES = ("cafe", "playground", "restrooms", "shop", "wifi")
_PRICES = (39, 42, 45, 49, 55, 59)
_PEOPLE = (
    "Camille Martin",
    "Lukas Schmidt",
    "Sanne de Vries",
    "Lea Dubois",
    "Jonas Becker",
    "Emma Janssen",
)
_FLEET_NAMES = ("Paris Delivery Fleet", "Rhein Logistics", "Randstad Couriers", "Alpine Services")
_MODELS = (
    ("Volvo", "EX30", 69000, "CCS"),
    ("Renault", "Megane E-Tech", 60000, "CCS"),
    ("Volkswagen", "ID.4", 77000, "CCS"),
    ("Nissan", "Leaf", 40000, "CHAdeMO"),
    ("Hyundai", "Ioniq 5", 77400, "CCS"),
    ("Peugeot", "e-208", 51000, "CCS"),
)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STATIONS, _DRIVERS, _FLEETS = 4, 4, 2


def random_id(rng: random.Random, prefix: str) -> str:
    """A NEW-style ID: the object's prefix and 32 alphanumerics."""
    return prefix + "".join(rng.choices(_ALPHANUMERIC, k=32))


@dataclass(frozen=True)
class Account:
    """The seeded objects by kind, each dict oldest first (its order is the list order).

    Charging sessions are not seeded: a fresh simulator has none, so tests count only their own.
    """

    charging_station: dict[str, JSON]
    driver: dict[str, JSON]
    vehicle: dict[str, JSON]
    payment_method: dict[str, JSON]
    fleet: dict[str, JSON]
    account: dict[str, JSON]
    vehicle_telemetry: dict[str, JSON]
    policy: dict[str, JSON]
    reservation: dict[str, JSON]
    estimation: dict[str, JSON]
    transaction: dict[str, JSON]
    invoice: dict[str, JSON]
    report: dict[str, JSON]
    webhook_endpoint: dict[str, JSON]


def build_account(seed: int, start: Fraction = START) -> Account:
    """The sample account for a clock starting at `start`: the account generated for the
    default start (2026-04-01), every timestamp moved by the difference, so the same seed gives
    the same objects at any start, at the same distances from it."""
    account = _generate(seed)
    if start != START:
        for kind in fields(account):
            objects: dict[str, JSON] = getattr(account, kind.name)
            for object_id, obj in objects.items():
                objects[object_id] = _shifted(obj, start - START)
        for invoice in account.invoice.values():
            fleet = account.fleet[invoice["fleet"]]
            invoice["description"] = _invoice_description(fleet, invoice["period_start"])
    return account


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _shifted(value: Any, delta: Fraction) -> Any:
    """`value` (JSON) with every timestamp in it moved by `delta` seconds."""
    if isinstance(value, str) and _STAMP.fullmatch(value):
        instant = parse_timestamp(value)
        assert instant is not None
        return format_timestamp(instant + delta)
    if is_object(value):
        return {key: _shifted(item, delta) for key, item in value.items()}
    if is_array(value):
        return [_shifted(item, delta) for item in value]
    return value


def _generate(seed: int) -> Account:
    """Generate the sample account: stations, fleets, drivers with a vehicle and a card each."""
    rng = random.Random(seed)
    sites = rng.sample(_SITES, _STATIONS + _FLEETS)
    people = rng.sample(_PEOPLE, _DRIVERS)
    fleet_names = rng.sample(_FLEET_NAMES, _FLEETS)
    fleet_ids = [random_id(rng, "flt_") for _ in range(_FLEETS)]
    driver_ids = [random_id(rng, "drv_") for _ in range(_DRIVERS)]
    vehicle_ids = [random_id(rng, "veh_") for _ in range(_DRIVERS)]
    # The first drivers share fleet 0, the next one is in fleet 1, the last has no fleet.
    driver_fleets = [fleet_ids[:1], fleet_ids[:1], fleet_ids[1:2], []]
    driver_cards = [
        _card(rng, person, sites[-1], driver=d)
        for person, d in zip(people, driver_ids, strict=True)
    ]
    fleet_cards = [
        _card(rng, name, site, fleet=f)
        for name, site, f in zip(fleet_names, sites[_STATIONS:], fleet_ids, strict=True)
    ]
    drivers = [
        _driver(rng, driver_id, person, fleets=fleets, vehicle_id=vehicle_id, card_id=card["id"])
        for driver_id, person, fleets, vehicle_id, card in zip(
            driver_ids, people, driver_fleets, vehicle_ids, driver_cards, strict=True
        )
    ]
    vehicles = [
        _vehicle(rng, vehicle_id, driver)
        for vehicle_id, driver in zip(vehicle_ids, drivers, strict=True)
    ]
    fleets = [
        _fleet(rng, fleet_id, name, site, card_id=card["id"], drivers=drivers, vehicles=vehicles)
        for fleet_id, name, site, card in zip(
            fleet_ids, fleet_names, sites[_STATIONS:], fleet_cards, strict=True
        )
    ]
    stations = [_station(rng, site) for site in sites[:_STATIONS]]
    # Every later kind draws from its own stream, so adding one never changes the IDs above.
    extra = random.Random(f"chargeapi:seed-extra:{seed}")
    accounts = [_account(extra, sites[-1], fleet_cards[0]["id"]), _individual(extra, sites[0])]
    # The key's own account is the oldest: the store takes the first account as its own.
    if accounts[1]["created"] < accounts[0]["created"]:
        for key in ("created", "updated"):
            accounts[0][key], accounts[1][key] = accounts[1][key], accounts[0][key]
    policies = _policies(extra, drivers, vehicles, fleets)
    transactions = _transactions(extra, drivers)
    return Account(
        charging_station=_by_age(stations),
        driver=_by_age(drivers),
        vehicle=_by_age(vehicles),
        payment_method=_by_age(driver_cards + fleet_cards),
        fleet=_by_age(fleets),
        account=_by_age(accounts),
        vehicle_telemetry={
            t["id"]: t for t in (_telemetry(extra, v, stations[0]) for v in vehicles)
        },
        policy=_by_age(policies),
        reservation=_by_age(_reservations(extra, drivers, stations)),
        estimation=_by_age([_estimation(extra, stations[0], vehicles[0])]),
        transaction=_by_age(transactions),
        invoice=_by_age(_invoices(extra, fleets, fleet_cards, transactions)),
        report=_by_age([_report(extra, accounts[0]["id"])]),
        webhook_endpoint=_by_age([_webhook_endpoint(extra)]),
    )


def _by_age(objects: list[JSON]) -> dict[str, JSON]:
    """Oldest first, so list order (newest first) is simply the reverse."""
    return {o["id"]: o for o in sorted(objects, key=lambda o: o["created"])}


def _created(rng: random.Random) -> str:
    """A creation instant in the 60 days before the clock starts."""
    return format_timestamp(START - Fraction(rng.randint(86_400_000, 60 * 86_400_000), 1000))


def _address(site: JSON, line2: str = "") -> JSON:
    return {
        "city": site["city"],
        "country": site["country"],
        "line1": site["line1"],
        "line2": line2,
        "postal_code": site["postal_code"],
        "state": site["state"],
    }


def _email(name: str, domain: str = "example.com") -> str:
    return name.lower().replace(" ", ".") + "@" + domain


def _phone(rng: random.Random) -> str:
    return f"+3318900{rng.randint(0, 9999):04d}"


def _station(rng: random.Random, site: JSON) -> JSON:
    operator = rng.choice(_OPERATORS)
    kinds = rng.sample(_CONNECTOR_KINDS, rng.randint(2, 4))
    always_open = rng.random() < 0.5
    created = _created(rng)
    return {
        "id": random_id(rng, "chst_"),
        "object": "charging_station",
        "address": _address(site),
        "availability": {
            "connectors_available": len(kinds),
            "connectors_total": len(kinds),
            "opening_hours": []
            if always_open
            else [{"day": day, "from": "07:00", "until": "22:00"} for day in _DAYS],
            "range": [{"from": format_timestamp(START), "until": format_timestamp(START + 3600)}],
        },
        "capabilities": {
            "24_7_access": always_open,
            "amenities": sorted(rng.sample(_AMENITIES, rng.randint(1, 3))),
            "payment_methods": ["credit_card", "rfid"],
            "requires_membership": False,
            "reservable": rng.random() < 0.5,
        },
        "connectors": [
            {"id": f"connector_a{n}", "power": power, "status": "available", "type": kind}
            for n, (kind, power) in enumerate(kinds, start=1)
        ],
        "created": created,
        "location": {"latitude": site["latitude"], "longitude": site["longitude"]},
        "name": f"{site['name']} {operator}",
        "operator": operator,
        "operator_contact": f"support@{operator.lower()}.example",
        "pricing": [
            {
                "currency": "eur",
                "price": rng.choice(_PRICES),
                "step_size": 1,
                "tax": "vat",
                "type": "ENERGY",
            }
        ],
        "status": "active",
        "updated": created,
    }


def _card(
    rng: random.Random,
    name: str,
    site: JSON,
    *,
    driver: str | None = None,
    fleet: str | None = None,
) -> JSON:
    return {
        "id": random_id(rng, "pm_"),
        "object": "payment_method",
        "bank_account": None,
        "billing_details": {
            "address": _address(site),
            "email": _email(name),
            "name": name,
            "phone": _phone(rng),
        },
        "card": {
            "brand": rng.choice(("visa", "mastercard")),
            "exp_month": rng.randint(1, 12),
            "exp_year": rng.randint(2027, 2031),
            "fingerprint": random_id(rng, "fp_")[:19],
            "last4": f"{rng.randint(0, 9999):04d}",
        },
        "created": _created(rng),
        "driver": driver,
        "fleet": fleet,
        "type": "card",
        "wallet": None,
    }


def _driver(
    rng: random.Random,
    driver_id: str,
    name: str,
    *,
    fleets: list[str],
    vehicle_id: str,
    card_id: str,
) -> JSON:
    created = _created(rng)
    return {
        "id": driver_id,
        "object": "driver",
        "created": created,
        "email": _email(name),
        "fleets": fleets,
        "license_number": None,
        "metadata": {},
        "name": name,
        "phone": _phone(rng),
        "policy_ids": [],
        "preferences": {
            "charging_speed": "fast",
            "currency": "eur",
            "default_payment_method": card_id,
            "max_price_per_kwh": None,
            "notifications": True,
            "preferred_charging_stations": [],
            "preferred_cpos": [],
        },
        "status": "active",
        "updated": created,
        "vehicles": [vehicle_id],
        "wallet_balance": rng.randint(0, 50) * 100,
    }


def _vehicle(rng: random.Random, vehicle_id: str, driver: JSON) -> JSON:
    make, model, capacity, standard = rng.choice(_MODELS)
    created = _created(rng)
    letters = "".join(rng.choices(string.ascii_uppercase, k=4))
    return {
        "id": vehicle_id,
        "object": "vehicle",
        "battery_capacity": capacity,
        "charging_standard": standard,
        "created": created,
        "drivers": [driver["id"]],
        "fleet": next(iter(driver["fleets"]), None),
        "information": {"make": make, "model": model, "year": str(rng.randint(2021, 2025))},
        "metadata": {},
        "policy_ids": [],
        "registration_plate": f"{letters[:2]}-{rng.randint(100, 999)}-{letters[2:]}",
        "status": "active",
        "telemetry": random_id(rng, "vtel_"),
        "updated": created,
        "vin": "".join(rng.choices(_VIN_CHARS, k=17)),
    }


def _fleet(
    rng: random.Random,
    fleet_id: str,
    name: str,
    site: JSON,
    *,
    card_id: str,
    drivers: list[JSON],
    vehicles: list[JSON],
) -> JSON:
    created = _created(rng)
    return {
        "id": fleet_id,
        "object": "fleet",
        "address": _address(site),
        "created": created,
        "description": None,
        "email": _email(name.split(maxsplit=1)[0], "fleet.example"),
        "metadata": {},
        "metric_system": "international_system",
        "name": name,
        "phone": None,
        "policy_ids": [],
        "preferences": {
            "billing_cycle": "monthly",
            "default_currency": "eur",
            "default_payment_method": card_id,
            "notifications": True,
            "report_frequency": "weekly",
        },
        "status": "active",
        "timezone": "Europe/Paris",
        "total_drivers": sum(fleet_id in d["fleets"] for d in drivers),
        "total_energy_consumed_kwh": 0.0,
        "total_sessions": 0,
        "total_vehicles": sum(v["fleet"] == fleet_id for v in vehicles),
        "updated": created,
        "wallet_balance": rng.randint(100, 500) * 100,
    }


# -- the kinds added with the whole API (drawn from the "seed-extra" stream) -------------------

_MARCH = START - 31 * 86_400  # 2026-03-01T00:00:00Z


def _stamp(instant: Fraction | int) -> str:
    return format_timestamp(Fraction(instant))


def _account(rng: random.Random, site: JSON, card_id: str) -> JSON:
    created = _created(rng)
    return {
        "id": random_id(rng, "acct_"),
        "object": "account",
        "billing_details": {"billing_address": _address(site)},
        "business_type": "company",
        "contact": {"email": "ops@example.com", "name": "Operations Desk", "phone": _phone(rng)},
        "created": created,
        "default_currency": "eur",
        "description": "The account behind the simulator's test key.",
        "email": "ops@example.com",
        "metadata": {},
        "metric_system": "metric",
        "name": "Simulated Mobility GmbH",
        "plan": "professional",
        "preferences": {
            "billing_cycle": "monthly",
            "default_currency": "eur",
            "default_payment_method": card_id,
            "notifications": True,
            "report_frequency": "weekly",
            "reporting_enabled": True,
        },
        "registration_number": f"HRB {rng.randint(10000, 99999)}",
        "status": "active",
        "type": "business",
        "updated": created,
        "wallet_balance": rng.randint(100, 900) * 100,
    }


def _individual(rng: random.Random, site: JSON) -> JSON:
    created = _created(rng)
    return {
        "id": random_id(rng, "acct_"),
        "object": "account",
        "billing_details": {"billing_address": _address(site)},
        "business_type": None,
        "contact": {"email": "solo.driver@example.com", "name": "Solo Driver", "phone": ""},
        "created": created,
        "default_currency": "eur",
        "description": None,
        "email": "solo.driver@example.com",
        "metadata": {},
        "metric_system": "metric",
        "name": "Solo Driver",
        "plan": "starter",
        "preferences": {
            "billing_cycle": "monthly",
            "default_currency": "eur",
            "default_payment_method": None,
            "notifications": False,
            "report_frequency": "monthly",
            "reporting_enabled": False,
        },
        "registration_number": None,
        "status": "active",
        "type": "individual",
        "updated": created,
        "wallet_balance": 0,
    }


def _telemetry(rng: random.Random, vehicle: JSON, station: JSON) -> JSON:
    level = rng.randint(20, 80)
    stamp = format_timestamp(START)
    return {
        "id": vehicle["telemetry"],
        "object": "vehicle_telemetry",
        "battery": {
            "capacity": vehicle["battery_capacity"],
            "level": level,
            "range": 0,  # rendered from the stored energy
            "status": "idle",
            "temperature": round(rng.uniform(12, 28), 1),
            "updated": stamp,
        },
        "firmware_version": f"v{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        "location": {**station["location"], "updated": stamp},
        "odometer": {"unit": "KMS", "updated": stamp, "value": rng.randint(1000, 90000)},
        "vehicle": vehicle["id"],
        "_energy": Fraction(vehicle["battery_capacity"] * level, 100),
    }


def _policy(
    rng: random.Random, name: str, *, mode: str, status: str, rules: JSON, description: str | None
) -> JSON:
    return {
        "id": random_id(rng, "pol_"),
        "object": "policy",
        "created": _created(rng),
        "description": description,
        "metadata": {},
        "mode": mode,
        "name": name,
        "rules": {
            "allowed_operators": [],
            "denied_operators": [],
            "geofences": [],
            "max_price_per_kwh": None,
            "time_windows": [],
            **rules,
        },
        "status": status,
    }


def _policies(
    rng: random.Random, drivers: list[JSON], vehicles: list[JSON], fleets: list[JSON]
) -> list[JSON]:
    """An active price cap that every seeded station (and any sanely priced added one) passes:
    update its rules to see 403s. A suggestion that never blocks, and an inactive cap."""
    cap = _policy(
        rng,
        "Fleet price cap",
        mode="enforcement",
        status="active",
        rules={"max_price_per_kwh": 500},
        description="Refuse sessions above 5.00 per kWh.",
    )
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    suggestion = _policy(
        rng,
        "Off-peak suggestion",
        mode="suggestion",
        status="active",
        rules={
            "time_windows": [{"days_of_week": weekdays, "end_time": "06:00", "start_time": "22:00"}]
        },
        description=None,
    )
    dormant = _policy(
        rng,
        "Retired cap",
        mode="enforcement",
        status="inactive",
        rules={"max_price_per_kwh": 1},
        description=None,
    )
    fleets[0]["policy_ids"] = [cap["id"]]
    drivers[1]["policy_ids"] = [suggestion["id"]]
    vehicles[0]["policy_ids"] = [dormant["id"]]
    return [cap, suggestion, dormant]


def _reservation(
    rng: random.Random, driver: JSON, station: JSON, start: Fraction, status: str
) -> JSON:
    connector = station["connectors"][0]
    confirmed = status in ("confirmed", "completed")
    created = start - 86_400
    return {
        "id": random_id(rng, "res_"),
        "object": "reservation",
        "cancellation_policy": {"free_until_before": 1800, "type": "free_cancellation"},
        "charging_station": station["id"] if confirmed else None,
        "confirmed_at": _stamp(start - 1800) if confirmed else None,
        "connector_type": [connector["type"]],
        "created": _stamp(created),
        "currency": "eur",
        "driver": driver["id"],
        "earliest_start": None,
        "failed_reason": None,
        "ideal_end": _stamp(start + 5400),
        "ideal_start": _stamp(start),
        "latest_end": None,
        "location": {**station["location"], "radius": 1500},
        "metadata": {},
        "payment_method": driver["preferences"]["default_payment_method"],
        "reservation_fee": 0,
        "reserved_end": _stamp(start + 5400) if confirmed else None,
        "reserved_start": _stamp(start) if confirmed else None,
        "status": status,
        "updated": _stamp(start if confirmed else created),
        "vehicle": driver["vehicles"][0],
        "_connector": connector["id"] if confirmed else None,
    }


def _reservations(rng: random.Random, drivers: list[JSON], stations: list[JSON]) -> list[JSON]:
    """Two past ones (completed, cancelled) and one a week ahead, still pending."""
    return [
        _reservation(rng, drivers[0], stations[0], START - 10 * 86_400, "completed"),
        _reservation(rng, drivers[2], stations[1], START - 3 * 86_400, "cancelled"),
        _reservation(rng, drivers[1], stations[1], START + 7 * 86_400, "pending"),
    ]


def _estimation(rng: random.Random, station: JSON, vehicle: JSON) -> JSON:
    tariff = station["pricing"][0]
    energy = vehicle["battery_capacity"] * 50 // 100
    cost = (energy * tariff["price"] + 500) // 1000
    power = station["connectors"][0]["power"]
    return {
        "id": random_id(rng, "est_"),
        "object": "estimation",
        "battery_level": 30,
        "battery_target_level": 80,
        "charging_station": station["id"],
        "cost_breakdown": [
            {
                "cost": cost,
                "description": "Energy",
                "quantity": round(energy / 1000, 2),
                "tax_percent": None,
                "type": "energy",
                "unit": "kWh",
                "unit_price": tariff["price"],
            }
        ],
        "created": _stamp(START - 300),
        "currency": tariff["currency"],
        "estimated_duration": -(-energy * 3600 // (power * 1000)),
        "estimated_energy_kwh": round(energy / 1000, 2),
        "estimated_total_cost": cost,
        "valid_until": _stamp(START + 600),
        "vehicle": vehicle["id"],
    }


def _transactions(rng: random.Random, drivers: list[JSON]) -> list[JSON]:
    """March's wallet adjustments and a refund: no charging session is seeded, so none of these
    points at one."""
    made: list[Any] = []
    for driver in drivers:
        fleet = next(iter(driver["fleets"]), None)
        for kind, amount, description in (
            ("adjustment", rng.randint(5, 40) * 100, "Wallet top-up"),
            ("refund", -rng.randint(1, 9) * 100, "Refund for an interrupted session"),
        ):
            made.append(
                {
                    "id": random_id(rng, "txn_"),
                    "object": "transaction",
                    "amount": amount,
                    "charging_session": None,
                    "created": _stamp(_MARCH + rng.randint(0, 30 * 86_400)),
                    "currency": "eur",
                    "description": description,
                    "driver": driver["id"],
                    "fleet": fleet,
                    "payment_method": driver["preferences"]["default_payment_method"],
                    "status": "succeeded",
                    "type": kind,
                    "vehicle": driver["vehicles"][0],
                }
            )
    return made


def line_item(transaction: JSON) -> JSON:
    """An invoice line for one transaction."""
    return {
        "amount": transaction["amount"],
        "description": f"{transaction['description']} ({transaction['id']})",
        "quantity": 1,
        "unit_amount": transaction["amount"],
    }


def _invoices(
    rng: random.Random, fleets: list[JSON], cards: list[JSON], transactions: list[JSON]
) -> list[JSON]:
    """March for each fleet: the first one paid, the second one open."""
    made: list[Any] = []
    for fleet, card, status in zip(fleets, cards, ("paid", "open"), strict=True):
        lines = [line_item(t) for t in transactions if t["fleet"] == fleet["id"]]
        total = sum(line["amount"] for line in lines)
        paid = status == "paid"
        made.append(
            {
                "id": random_id(rng, "inv_"),
                "object": "invoice",
                "amount_due": 0 if paid else total,
                "amount_paid": total if paid else 0,
                "created": _stamp(START - 3600),
                "currency": "eur",
                "description": _invoice_description(fleet, _stamp(_MARCH)),
                "due_date": _stamp(START + 14 * 86_400),
                "fleet": fleet["id"],
                "line_items": lines,
                "metadata": {},
                "paid_at": _stamp(START - 1800) if paid else None,
                "payment_method": card["id"] if paid else None,
                "period_end": _stamp(START),
                "period_start": _stamp(_MARCH),
                "status": status,
            }
        )
    return made


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _invoice_description(fleet: JSON, period_start: str) -> str:
    """`Charging for March 2026 (Fleet name)`: the month the period starts in (not `%B`, which
    follows the process's locale)."""
    instant = parse_timestamp(period_start)
    assert instant is not None
    month = to_datetime(instant)
    return f"Charging for {_MONTHS[month.month - 1]} {month.year} ({fleet['name']})"


def _report(rng: random.Random, account_id: str) -> JSON:
    report_id = random_id(rng, "rpt_")
    return {
        "id": report_id,
        "object": "report",
        "account": account_id,
        "created": _stamp(START - 7200),
        "fleet": None,
        "parameters": {
            "filters": {"vehicle": []},
            "group_by": "vehicle",
            "period_end": _stamp(START),
            "period_start": _stamp(_MARCH),
            "type": "charging_summary",
        },
        "size": 0,  # rendered from the file
        "status": "succeeded",
        "succeeded_at": _stamp(START - 7170),
        "type": "csv",
        "url": None,  # rendered on the simulator's own origin
    }


def _webhook_endpoint(rng: random.Random) -> JSON:
    created = _created(rng)
    return {
        "id": random_id(rng, "wh_"),
        "object": "webhook_endpoint",
        "api_version": "2026-03-01",
        "application": None,
        "created": created,
        "description": "Operations backend",
        "enabled_events": ["charge.succeeded", "report.succeeded"],
        "livemode": False,
        "metadata": {},
        "secret": random_id(rng, "whsec_"),
        "status": "enabled",
        "url": "https://example.com/chargeapi/webhooks",
    }
