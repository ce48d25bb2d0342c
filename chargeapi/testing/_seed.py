"""The sample account every `Simulator(seed=...)` starts with, generated from `random.Random(seed)`.

Everything here is a pure function of the seed, so the same seed gives the same IDs, names and
prices in every process (no uuid, no wall clock, no global `random` state). Objects are plain
dicts already in the NEW docs' JSON shapes (section 7); only stations have live parts (connector
status, availability), which the renderer fills in from the store.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chargeapi.testing._time import START, format_timestamp

JSON = dict[str, Any]

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
    """The seeded objects by kind, each dict oldest first (its order is the list order)."""

    charging_station: dict[str, JSON]
    driver: dict[str, JSON]
    vehicle: dict[str, JSON]
    payment_method: dict[str, JSON]
    fleet: dict[str, JSON]


def build_account(seed: int) -> Account:
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
    return Account(
        charging_station=_by_age(stations),
        driver=_by_age(drivers),
        vehicle=_by_age(vehicles),
        payment_method=_by_age(driver_cards + fleet_cards),
        fleet=_by_age(fleets),
    )


def _by_age(objects: list[JSON]) -> dict[str, JSON]:
    """Oldest first, so list order (newest first) is simply the reverse."""
    return {o["id"]: o for o in sorted(objects, key=lambda o: o["created"])}


def _created(rng: random.Random) -> str:
    """A creation instant in the 60 days before the clock starts."""
    return format_timestamp(START - Fraction(rng.randint(86_400_000, 60 * 86_400_000), 1000))


def _address(site: JSON, line2: str | None = None) -> JSON:
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
