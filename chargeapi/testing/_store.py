"""The simulator's state and its transitions: sessions, connectors, the test clock, idempotency.

No I/O and no HTTP here: the simulator validates requests and turns outcomes into responses;
the store only answers questions and applies changes, always under the simulator's lock.

Conventions where the docs are silent (documented here because this is where they live):

* Energy accrues at the connector's full power (kW), `power * 1000 / 3600` Wh per second,
  kept exact as a `Fraction`; `energy_consumed` is that value truncated to whole Wh.
* `amount_due` bills every started `step_size` (Wh) step at `price` minor units per kWh and
  rounds half up to the minor unit; price and currency are fixed when the session starts.
* `amount_paid` stays 0: collecting payment (invoices, transactions) is not simulated.
* A session's `fleet` is its driver's first fleet, or null.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chargeapi.testing._seed import JSON, build_account, random_id
from chargeapi.testing._time import START

SESSION_STATUSES = ("active", "completed", "cancelled", "failed")


@dataclass
class Session:
    """A charging session as the store keeps it: exact energy and instants, tariff snapshot."""

    id: str
    charging_station: str
    connector: str
    driver: str
    vehicle: str
    payment_method: str
    fleet: str | None
    country: str | None
    currency: str
    price: int
    step_size: int
    power_kw: int
    session_limit: int | None
    created: Fraction
    updated: Fraction
    energy: Fraction = Fraction(0)
    status: str = "active"
    ended: Fraction | None = None

    @property
    def energy_wh(self) -> int:
        return int(self.energy)

    @property
    def amount_due(self) -> int:
        steps = -(-self.energy_wh // self.step_size)
        return (steps * self.step_size * self.price + 500) // 1000

    def accrue(self, start: Fraction, end: Fraction) -> None:
        """Deliver energy from `start` to `end`; stop exactly at `session_limit` if reached."""
        rate = Fraction(self.power_kw * 1000, 3600)
        energy = self.energy + rate * (end - start)
        if self.session_limit is not None and energy >= self.session_limit:
            self.finish(start + (self.session_limit - self.energy) / rate)
            self.energy = Fraction(self.session_limit)
            return
        self.energy, self.updated = energy, end

    def finish(self, at: Fraction) -> None:
        self.status, self.ended, self.updated = "completed", at, at


@dataclass
class IdempotencyRecord:
    """The first outcome for an `Idempotency-Key`, replayed verbatim to later requests."""

    fingerprint: tuple[str, str, str]
    status: int
    content: bytes
    request_id: str


@dataclass
class Store:
    """All state of one simulated account."""

    seed: int
    now: Fraction = START
    sessions: dict[str, Session] = field(default_factory=dict)
    idempotency: dict[str, IdempotencyRecord] = field(default_factory=dict)
    # Events (`{"object": "event", ...}`), oldest first; what produces them comes with the
    # lifecycles that emit them.
    events: list[JSON] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.account = build_account(self.seed)
        # Separate streams, so session IDs do not depend on how many requests came before.
        self._session_ids = random.Random(f"chargeapi:sessions:{self.seed}")
        self._request_ids = random.Random(f"chargeapi:requests:{self.seed}")
        self._sample_cursor = 0
        # Samples come from the seeded objects only, never from ones a test added.
        self._sample_stations = list(self.account.charging_station.values())
        self._sample_drivers = list(self.account.driver.values())

    def new_request_id(self) -> str:
        return random_id(self._request_ids, "req_")

    def seeded(self, kind: str) -> dict[str, JSON]:
        """The seeded objects of a kind (`driver`, `fleet`, ...), oldest first."""
        objects: dict[str, JSON] = getattr(self.account, kind)
        return objects

    def add(self, kind: str, obj: JSON) -> None:
        """Store an object of a seeded kind as given (the newest of its kind).

        It must carry every top-level field the seeded objects of that kind have, an unused
        `id` with the kind's prefix and `object` equal to the kind: the simulator reads those
        fields later and must not meet a half-made object.
        """
        if not isinstance(kind, str) or kind not in vars(self.account):
            kinds = ", ".join(vars(self.account))
            raise ValueError(f"kind must be one of {kinds}, got {kind!r}")
        if not isinstance(obj, dict):
            raise ValueError(f"object must be a JSON object (dict), got {type(obj).__name__}")
        objects = self.seeded(kind)
        example = next(iter(objects.values()))
        missing = sorted(set(example) - set(obj))
        if missing:
            raise ValueError(f"object is missing the {kind} field(s): {', '.join(missing)}")
        prefix = example["id"].split("_", 1)[0] + "_"
        object_id = obj["id"]
        if not isinstance(object_id, str) or not object_id.startswith(prefix):
            raise ValueError(f"object id must be a str starting with {prefix!r}, got {object_id!r}")
        if object_id in objects:
            raise ValueError(f"object id {object_id!r} is already used by a {kind}")
        if obj["object"] != kind:
            raise ValueError(f"object['object'] must be {kind!r}, got {obj['object']!r}")
        if kind == "charging_station":
            _check_station(obj)
        objects[object_id] = copy.deepcopy(obj)

    def ids(self, kind: str) -> list[str]:
        """Every ID of a kind, oldest first: the order pagination cursors are positions in."""
        return list(self.sessions if kind == "charging_session" else self.seeded(kind))

    def occupied(self, station_id: str) -> set[str]:
        """Connector IDs of a station that an active session is using (derived, never stored)."""
        return {s.connector for s in self._active() if s.charging_station == station_id}

    def connector(self, station_id: str, connector_id: str) -> JSON | None:
        station = self.account.charging_station[station_id]
        return next((c for c in station["connectors"] if c["id"] == connector_id), None)

    def start_session(
        self,
        *,
        charging_station: str,
        connector: str,
        driver: str,
        vehicle: str,
        payment_method: str,
        session_limit: int | None,
    ) -> Session:
        """Start delivering power on a free connector (the caller checked every reference)."""
        if connector in self.occupied(charging_station):
            raise ValueError(f"connector {connector} is busy")
        station = self.account.charging_station[charging_station]
        tariff = station["pricing"][0]
        session = Session(
            id=random_id(self._session_ids, "cs_"),
            charging_station=charging_station,
            connector=connector,
            driver=driver,
            vehicle=vehicle,
            payment_method=payment_method,
            fleet=next(iter(self.account.driver[driver]["fleets"]), None),
            country=station["address"]["country"],
            currency=tariff["currency"],
            price=tariff["price"],
            step_size=tariff["step_size"],
            power_kw=self._power(charging_station, connector),
            session_limit=session_limit,
            created=self.now,
            updated=self.now,
        )
        self.sessions[session.id] = session
        return session

    def end_session(self, session: Session) -> None:
        session.finish(self.now)

    def advance(self, seconds: Fraction) -> None:
        """Move the test clock; active sessions accrue energy and may hit their limit."""
        if seconds < 0:
            raise ValueError("the test clock only moves forward")
        end = self.now + seconds
        for session in list(self._active()):
            session.accrue(self.now, end)
        self.now = end

    def sample_session_params(self) -> dict[str, str]:
        """Valid create params on the next free connector (round robin over stations/drivers)."""
        slots = [
            (station["id"], c["id"])
            for station in self._sample_stations
            for c in station["connectors"]
        ]
        for step in range(len(slots)):
            station_id, connector_id = slots[(self._sample_cursor + step) % len(slots)]
            if connector_id not in self.occupied(station_id):
                self._sample_cursor += step + 1
                return {
                    "charging_station": station_id,
                    "connector": connector_id,
                    **self._sample_driver(self._sample_cursor),
                }
        raise RuntimeError("every connector is busy: end a session or advance the clock")

    def _sample_driver(self, turn: int) -> dict[str, str]:
        driver = self._sample_drivers[turn % len(self._sample_drivers)]
        return {
            "driver": driver["id"],
            "payment_method": driver["preferences"]["default_payment_method"],
            "vehicle": driver["vehicles"][0],
        }

    def _power(self, station_id: str, connector_id: str) -> int:
        connector: dict[str, Any] | None = self.connector(station_id, connector_id)
        if connector is None:
            raise ValueError(f"no connector {connector_id} on {station_id}")
        power: int = connector["power"]
        return power

    def _active(self) -> Iterator[Session]:
        return (s for s in self.sessions.values() if s.status == "active")


def _check_station(station: JSON) -> None:
    """What starting a session reads from a station: its connectors, tariff and country."""
    connectors, pricing, address = station["connectors"], station["pricing"], station["address"]
    if not isinstance(connectors, list) or not all(
        isinstance(c, dict)
        and isinstance(c.get("id"), str)
        and type(c.get("power")) is int
        and c["power"] > 0
        for c in connectors
    ):
        raise ValueError("connectors must be a list of objects with a str id and an int power")
    if not (
        isinstance(pricing, list)
        and pricing
        and isinstance(pricing[0], dict)
        and isinstance(pricing[0].get("currency"), str)
        and type(pricing[0].get("price")) is int
        and type(pricing[0].get("step_size")) is int
        and pricing[0]["step_size"] > 0
    ):
        raise ValueError("pricing[0] must have a str currency and int price and step_size")
    if not isinstance(address, dict) or not isinstance(address.get("country"), str):
        raise ValueError("address must be an object with a str country")
    if not isinstance(station["availability"], dict):
        raise ValueError("availability must be an object")
