"""The simulator's state and its transitions: every object, the test clock and the lifecycles.

No I/O and no HTTP here: the endpoints validate requests and turn outcomes into responses; the
store only answers questions and applies changes, always under the simulator's lock.

Conventions where the docs are silent (documented here because this is where they live):

* Energy accrues at the connector's full power (kW), `power * 1000 / 3600` Wh per second,
  kept exact as a `Fraction`; `energy_consumed` is that value truncated to whole Wh.
* `amount_due` bills every started `step_size` (Wh) step at `price` minor units per kWh and
  rounds half up to the minor unit; price and currency are fixed when the session starts.
* Ending a session (or reaching its `session_limit`) settles it: a `charge` transaction,
  `succeeded`, for the bill; the session's `amount_paid` becomes its `amount_due`.
* A session's `fleet` is its driver's first fleet, or null.
* Reservations: at `ideal_start - 30 min` a pending one is confirmed on the nearest station
  within `location.radius` (metres) with a free connector of an accepted type (not in use now
  and not locked by another confirmed reservation whose window overlaps), or fails with
  `no_available_connectors`. A confirmed reservation locks its connector until `reserved_end`:
  other drivers get a 409 on it; its own driver may use it, and starting a session there
  between `reserved_start` and `reserved_end` completes the reservation. Past `reserved_end`
  unused, it expires. Reservations are fee-free (`reservation_fee` 0).
* Invoices: an open invoice still unpaid at its `due_date` (14 days after finalizing) becomes
  `overdue`; it can still be paid or voided.
* Reports: `processing` 5 s after creation, `succeeded` 30 s after it (with the CSV).
* Telemetry: a vehicle's battery stores the energy its sessions deliver (up to its capacity).
* Lists are positions in a per-kind creation order; a deleted object leaves a tombstone there,
  so a page token anchored on it stays valid.
"""

from __future__ import annotations

import copy
import math
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from typing import Any, Generic, TypeVar

from chargeapi.testing._seed import JSON, build_account, is_array, is_object, line_item, random_id
from chargeapi.testing._time import START, format_timestamp, parse_timestamp, to_datetime

SESSION_STATUSES = ("active", "completed", "cancelled", "failed")
API_VERSION = "2026-03-01"
CONFIRM_LEAD = 1800  # seconds before ideal_start that a reservation is confirmed
REPORT_PROCESSING_AFTER, REPORT_SUCCEEDED_AFTER = 5, 30
ESTIMATION_TTL = 900
METRES_PER_WH = 6  # range estimate: 6 km per kWh

PREFIXES = {
    "account": "acct_",
    "charging_session": "cs_",
    "charging_station": "chst_",
    "driver": "drv_",
    "vehicle": "veh_",
    "vehicle_telemetry": "vtel_",
    "fleet": "flt_",
    "payment_method": "pm_",
    "policy": "pol_",
    "reservation": "res_",
    "estimation": "est_",
    "invoice": "inv_",
    "transaction": "txn_",
    "report": "rpt_",
    "webhook_endpoint": "wh_",
    "event": "evt_",
}
T = TypeVar("T")


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
    amount_paid: int = 0

    @property
    def energy_wh(self) -> int:
        return int(self.energy)

    @property
    def amount_due(self) -> int:
        steps = -(-self.energy_wh // self.step_size)
        return (steps * self.step_size * self.price + 500) // 1000

    @property
    def rate(self) -> Fraction:
        """Wh delivered per second."""
        return Fraction(self.power_kw * 1000, 3600)

    def accrue(self, start: Fraction, end: Fraction) -> None:
        """Deliver energy from `start` to `end`; stop exactly at `session_limit` if reached."""
        rate = self.rate
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
    """The first outcome for an `Idempotency-Key`, replayed verbatim to later requests until
    `expires` (on the test clock): the docs' keys expire after 24 hours."""

    fingerprint: tuple[str, str, str]
    status: int
    content: bytes
    request_id: str
    expires: Fraction


class Collection(Generic[T]):
    """The objects of one kind in creation order (oldest first), with each ID's position.

    Positions never move: a removed object leaves its ID in `order` (a tombstone), so list
    pages stay O(page) and page tokens stay valid across deletes.
    """

    def __init__(self, initial: dict[str, T] | None = None) -> None:
        self.objects: dict[str, T] = {}
        self.order: list[str] = []
        self.position: dict[str, int] = {}
        for object_id, obj in (initial or {}).items():
            self.put(object_id, obj)

    def put(self, object_id: str, obj: T) -> None:
        if object_id not in self.position:
            self.position[object_id] = len(self.order)
            self.order.append(object_id)
        self.objects[object_id] = obj

    def remove(self, object_id: str) -> None:
        self.objects.pop(object_id, None)

    def get(self, object_id: str) -> T | None:
        return self.objects.get(object_id)

    def __len__(self) -> int:
        return len(self.objects)


class Store:
    """All state of one simulated account."""

    def __init__(self, seed: int, start: Fraction = START, log_limit: int = 5000) -> None:
        self.seed = seed
        self.now: Fraction = start
        self.idempotency: dict[str, IdempotencyRecord] = {}
        # The most recent `log_limit` events (`{"object": "event", ...}`), oldest first.
        self.events: deque[JSON] = deque(maxlen=log_limit)
        # Events recorded since the webhook outbox last planned their deliveries.
        self.unplanned: list[JSON] = []
        # Where this simulator is reached (report file URLs point there); set per request.
        self.origin = "https://api.chargeapi.co"
        # The request being handled, for the events it causes (None: the clock moved).
        self.request: JSON | None = None
        account = build_account(seed, start)
        self.account_id = next(iter(account.account))
        self.sessions_collection: Collection[Session] = Collection()
        self.collections: dict[str, Collection[JSON]] = {
            kind: Collection(objects) for kind, objects in vars(account).items()
        }
        # Separate streams, so IDs of one kind do not depend on what else was created.
        self._session_ids = random.Random(f"chargeapi:sessions:{seed}")
        self._request_ids = random.Random(f"chargeapi:requests:{seed}")
        self._streams: dict[str, random.Random] = {}
        self._active: dict[str, Session] = {}
        self._sample_cursor = 0
        # Samples come from the seeded objects only, never from ones a test added.
        self._sample_stations = list(account.charging_station.values())
        self._sample_drivers = list(account.driver.values())
        for report in self.objects("report").values():
            report["_csv"] = self.report_csv(report)

    # -- lookups --------------------------------------------------------------------------------

    @property
    def sessions(self) -> dict[str, Session]:
        return self.sessions_collection.objects

    def objects(self, kind: str) -> dict[str, JSON]:
        """The stored objects of a (JSON-kept) kind, oldest first."""
        return self.collections[kind].objects

    def get(self, kind: str, object_id: str) -> JSON | None:
        collection = self.collections.get(kind)
        return None if collection is None else collection.get(object_id)

    def collection(self, kind: str) -> Collection[Any]:
        if kind == "charging_session":
            return self.sessions_collection
        return self.collections[kind]

    def new_request_id(self) -> str:
        return random_id(self._request_ids, "req_")

    def new_id(self, kind: str) -> str:
        if kind == "charging_session":
            return random_id(self._session_ids, "cs_")
        return self.new_id_from(kind, PREFIXES[kind])

    def new_token(self, prefix: str) -> str:
        """A secret-looking token (`whsec_...`), from its own stream."""
        return self.new_id_from(f"token:{prefix}", prefix)

    def new_id_from(self, name: str, prefix: str) -> str:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(f"chargeapi:{name}:{self.seed}")
        return random_id(stream, prefix)

    def stamp(self) -> str:
        return format_timestamp(self.now)

    def insert(self, kind: str, obj: JSON) -> JSON:
        self.collections[kind].put(obj["id"], obj)
        return obj

    def add(self, kind: str, obj: JSON) -> None:
        """Store an object of a stored kind as given (the newest of its kind).

        It must carry every top-level field the stored objects of that kind have, an unused
        `id` with the kind's prefix and `object` equal to the kind: the simulator reads those
        fields later and must not meet a half-made object.
        """
        if not isinstance(kind, str) or kind not in self.collections:
            raise ValueError(f"kind must be one of {', '.join(self.collections)}, got {kind!r}")
        if not isinstance(obj, dict):
            raise ValueError(f"object must be a JSON object (dict), got {type(obj).__name__}")
        objects = self.objects(kind)
        example = next(iter(objects.values()))
        missing = sorted(k for k in set(example) - set(obj) if not k.startswith("_"))
        if missing:
            raise ValueError(f"object is missing the {kind} field(s): {', '.join(missing)}")
        prefix = PREFIXES[kind]
        object_id = obj["id"]
        if not isinstance(object_id, str) or not object_id.startswith(prefix):
            raise ValueError(f"object id must be a str starting with {prefix!r}, got {object_id!r}")
        if object_id in self.collections[kind].position:
            raise ValueError(f"object id {object_id!r} is already used by a {kind}")
        if obj["object"] != kind:
            raise ValueError(f"object['object'] must be {kind!r}, got {obj['object']!r}")
        if kind == "charging_station":
            _check_station(obj)
        self.insert(kind, copy.deepcopy(obj))

    # -- events -----------------------------------------------------------------------------------

    def emit(self, type_: str, obj: JSON, previous: JSON | None = None) -> JSON:
        """Record an Event (NEW shape, section 6) about `obj`, a rendered snapshot."""
        data: JSON = {"object": obj}
        if previous is not None:
            data["previous_attributes"] = previous
        event = {
            "id": self.new_id("event"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.stamp(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,  # set by the webhook outbox as it plans deliveries
            "request": dict(self.request or {"id": None, "idempotency_key": None}),
            "type": type_,
        }
        self.events.append(event)
        self.unplanned.append(event)
        return event

    # -- charging sessions ----------------------------------------------------------------------

    def occupied(self, station_id: str) -> set[str]:
        """Connector IDs of a station that an active session is using (derived, never stored)."""
        return {s.connector for s in self._active.values() if s.charging_station == station_id}

    def locks(self, station_id: str, connector_id: str) -> Iterator[JSON]:
        """Confirmed reservations holding that connector."""
        for reservation in self.objects("reservation").values():
            if (
                reservation["status"] == "confirmed"
                and reservation["charging_station"] == station_id
                and reservation["_connector"] == connector_id
            ):
                yield reservation

    def connector(self, station_id: str, connector_id: str) -> JSON | None:
        station = self.objects("charging_station")[station_id]
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
        station = self.objects("charging_station")[charging_station]
        tariff = station["pricing"][0]
        session = Session(
            id=self.new_id("charging_session"),
            charging_station=charging_station,
            connector=connector,
            driver=driver,
            vehicle=vehicle,
            payment_method=payment_method,
            fleet=self.session_fleet(driver),
            country=station["address"]["country"],
            currency=tariff["currency"],
            price=tariff["price"],
            step_size=tariff["step_size"],
            power_kw=self._power(charging_station, connector),
            session_limit=session_limit,
            created=self.now,
            updated=self.now,
        )
        self.sessions_collection.put(session.id, session)
        self._active[session.id] = session
        for reservation in list(self.locks(charging_station, connector)):
            if reservation["driver"] == driver and self._in_reserved_window(reservation):
                self.transition("reservation", reservation, status="completed")
        self._telemetry_status(vehicle)
        return session

    def session_fleet(self, driver_id: str) -> str | None:
        return next(iter(self.objects("driver")[driver_id]["fleets"]), None)

    def end_session(self, session: Session) -> None:
        session.finish(self.now)
        self._settle(session)

    def _settle(self, session: Session) -> None:
        """A completed session's bill becomes a succeeded `charge` transaction."""
        from chargeapi.testing._render import render_session  # noqa: PLC0415 - import cycle

        self._active.pop(session.id, None)
        session.amount_paid = session.amount_due
        transaction = self.insert(
            "transaction",
            {
                "id": self.new_id("transaction"),
                "object": "transaction",
                "amount": session.amount_due,
                "charging_session": session.id,
                "created": format_timestamp(session.ended or self.now),
                "currency": session.currency,
                "description": f"Charge for charging session {session.id}",
                "driver": session.driver,
                "fleet": session.fleet,
                "payment_method": session.payment_method,
                "status": "succeeded",
                "type": "charge",
                "vehicle": session.vehicle,
            },
        )
        self.emit(
            "charging_session.updated",
            render_session(session),
            {"status": "active", "session_ended": None, "amount_paid": 0},
        )
        self.emit("charge.succeeded", copy.deepcopy(transaction))
        self._telemetry_status(session.vehicle)

    # -- the clock -----------------------------------------------------------------------------

    def advance(self, seconds: Fraction) -> None:
        """Move the test clock, running every lifecycle step that falls due on the way, in order."""
        if seconds < 0:
            raise ValueError("the test clock only moves forward")
        end = self.now + seconds
        self._run_due()
        while True:
            due = self._next_due(end)
            target = end if due is None else due
            self._accrue(target)
            self.now = target
            self._run_due()
            if due is None or due >= end:
                return

    def _accrue(self, end: Fraction) -> None:
        for session in list(self._active.values()):
            before = session.energy
            session.accrue(self.now, end)
            self._charge_battery(session.vehicle, session.energy - before, end)
            if session.status != "active":
                self._settle(session)

    def _due_instants(self) -> Iterator[tuple[Fraction, str, JSON]]:
        for reservation in self.objects("reservation").values():
            status = reservation["status"]
            if status == "pending":
                start = parse_timestamp(reservation["ideal_start"])
                assert start is not None
                yield start - CONFIRM_LEAD, "confirm", reservation
            elif status == "confirmed":
                end = parse_timestamp(reservation["reserved_end"])
                assert end is not None
                yield end, "expire", reservation
        for invoice in self.objects("invoice").values():
            if invoice["status"] == "open" and invoice["due_date"] is not None:
                due = parse_timestamp(invoice["due_date"])
                assert due is not None
                yield due, "overdue", invoice
        for report in self.objects("report").values():
            created = parse_timestamp(report["created"])
            assert created is not None
            if report["status"] == "pending":
                yield created + REPORT_PROCESSING_AFTER, "process", report
            elif report["status"] == "processing":
                yield created + REPORT_SUCCEEDED_AFTER, "succeed", report

    def next_limit(self) -> Fraction | None:
        """When the first active session with a `session_limit` reaches it, at full power."""
        return min(
            (
                self.now + (s.session_limit - s.energy) / s.rate
                for s in self._active.values()
                if s.session_limit is not None
            ),
            default=None,
        )

    def _next_due(self, end: Fraction) -> Fraction | None:
        return min((at for at, _, _ in self._due_instants() if self.now < at <= end), default=None)

    def _run_due(self) -> None:
        while True:
            due = sorted(
                ((at, step, obj) for at, step, obj in self._due_instants() if at <= self.now),
                key=lambda item: item[0],
            )
            if not due:
                return
            for _, step, obj in due:
                if step == "confirm":
                    self.confirm_reservation(obj, obj["payment_method"])
                elif step == "expire":
                    self.transition("reservation", obj, status="expired")
                elif step == "overdue":
                    self.transition("invoice", obj, status="overdue")
                elif step == "process":
                    self.transition("report", obj, status="processing")
                else:
                    self.succeed_report(obj)

    # -- generic updates -------------------------------------------------------------------------

    def transition(self, kind: str, obj: JSON, event: str | None = None, **changes: Any) -> JSON:
        """Apply `changes` to a stored object, stamp `updated` if it has one, and record an
        `<event>` (default `<kind>.updated`) with the changed fields' previous values."""
        from chargeapi.testing._render import render  # noqa: PLC0415 - import cycle

        before = render(self, kind, obj["id"])
        obj.update(changes)
        if "updated" in obj:
            obj["updated"] = self.stamp()
        after = render(self, kind, obj["id"])
        assert before is not None
        assert after is not None
        previous = {k: v for k, v in before.items() if after.get(k) != v and k != "updated"}
        if previous:
            self.emit(event or f"{kind}.updated", after, previous)
        return obj

    # -- reservations ---------------------------------------------------------------------------

    def confirm_reservation(self, reservation: JSON, payment_method: str | None) -> JSON:
        """Assign the nearest free connector of an accepted type, or fail."""
        if payment_method is not None:
            card = self.get("payment_method", payment_method)
            if card is not None and card.get("_declines"):
                return self.transition(
                    "reservation",
                    reservation,
                    status="failed",
                    failed_reason="payment_failed",
                    payment_method=payment_method,
                )
        slot = self._free_slot(reservation)
        if slot is None:
            return self.transition(
                "reservation",
                reservation,
                status="failed",
                failed_reason="no_available_connectors",
                payment_method=payment_method,
            )
        station_id, connector_id = slot
        return self.transition(
            "reservation",
            reservation,
            event="reservation.confirmed",
            status="confirmed",
            charging_station=station_id,
            _connector=connector_id,
            confirmed_at=self.stamp(),
            reserved_start=reservation["ideal_start"],
            reserved_end=reservation["ideal_end"],
            payment_method=payment_method,
        )

    def _in_reserved_window(self, reservation: JSON) -> bool:
        start = parse_timestamp(reservation["reserved_start"])
        end = parse_timestamp(reservation["reserved_end"])
        return start is not None and end is not None and start <= self.now < end

    def _free_slot(self, reservation: JSON) -> tuple[str, str] | None:
        location = reservation["location"]
        start, end = (parse_timestamp(reservation[k]) for k in ("ideal_start", "ideal_end"))
        assert start is not None
        assert end is not None
        candidates = sorted(
            (distance_m(location, station["location"]), station_id)
            for station_id, station in self.objects("charging_station").items()
        )
        for metres, station_id in candidates:
            if metres > location["radius"]:
                break
            busy = self.occupied(station_id)
            station = self.objects("charging_station")[station_id]
            for connector in station["connectors"]:
                if connector["type"] not in reservation["connector_type"]:
                    continue
                if connector["id"] in busy or self._locked_between(
                    station_id, connector["id"], start, end
                ):
                    continue
                return station_id, connector["id"]
        return None

    def _locked_between(
        self, station_id: str, connector_id: str, start: Fraction, end: Fraction
    ) -> bool:
        for other in self.locks(station_id, connector_id):
            other_start = parse_timestamp(other["reserved_start"])
            other_end = parse_timestamp(other["reserved_end"])
            assert other_start is not None
            assert other_end is not None
            if other_start < end and start < other_end:
                return True
        return False

    # -- reports -----------------------------------------------------------------------------------

    def succeed_report(self, report: JSON) -> None:
        created = parse_timestamp(report["created"])
        assert created is not None
        report["_csv"] = self.report_csv(report)
        self.transition(
            "report",
            report,
            event="report.succeeded",
            status="succeeded",
            succeeded_at=format_timestamp(created + REPORT_SUCCEEDED_AFTER),
        )

    def report_csv(self, report: JSON) -> str:
        """The report's file: completed sessions of the period, grouped, one row per group."""
        parameters = report["parameters"]
        start = parse_timestamp(parameters.get("period_start"))
        end = parse_timestamp(parameters.get("period_end"))
        group_by = parameters.get("group_by") or "vehicle"
        filters: JSON = parameters.get("filters") or {}
        vehicles: set[str] = set(filters.get("vehicle") or ())
        rows: dict[str, list[int]] = {}
        for session in self.sessions.values():
            if session.status != "completed" or session.ended is None:
                continue
            if (start is not None and session.created < start) or (
                end is not None and session.created >= end
            ):
                continue
            if report["fleet"] is not None and session.fleet != report["fleet"]:
                continue
            if vehicles and session.vehicle not in vehicles:
                continue
            key = str(getattr(session, group_by, None) or "")
            row = rows.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += session.energy_wh
            row[2] += session.amount_due
        lines = [f"{group_by},sessions,energy_wh,amount"]
        lines += [f"{key},{n},{wh},{amount}" for key, (n, wh, amount) in sorted(rows.items())]
        return "\r\n".join(lines) + "\r\n"

    # -- invoices ----------------------------------------------------------------------------------

    def invoice_lines(self, invoice: JSON) -> list[JSON]:
        """A draft's line items: the succeeded transactions of its period (and fleet)."""
        start = parse_timestamp(invoice["period_start"])
        end = parse_timestamp(invoice["period_end"])
        assert start is not None
        assert end is not None
        lines: list[Any] = []
        for transaction in self.objects("transaction").values():
            created = parse_timestamp(transaction["created"])
            assert created is not None
            if not start <= created < end or transaction["status"] != "succeeded":
                continue
            if invoice["fleet"] is not None and transaction["fleet"] != invoice["fleet"]:
                continue
            if transaction["currency"] != invoice["currency"]:
                continue
            lines.append(line_item(transaction))
        return lines

    def due_date(self) -> str:
        return format_timestamp(self.now + 14 * 86_400)

    # -- telemetry ---------------------------------------------------------------------------------

    def telemetry_of(self, vehicle_id: str) -> JSON | None:
        vehicle = self.get("vehicle", vehicle_id)
        telemetry_id = None if vehicle is None else vehicle["telemetry"]
        return None if telemetry_id is None else self.get("vehicle_telemetry", telemetry_id)

    def _charge_battery(self, vehicle_id: str, energy: Fraction, at: Fraction) -> None:
        telemetry = self.telemetry_of(vehicle_id)
        if telemetry is None or energy <= 0:
            return
        capacity = telemetry["battery"]["capacity"]
        telemetry["_energy"] = min(Fraction(capacity), telemetry["_energy"] + energy)
        telemetry["battery"]["updated"] = format_timestamp(at)

    def _telemetry_status(self, vehicle_id: str) -> None:
        """A vehicle started or stopped charging: its battery reading is new."""
        telemetry = self.telemetry_of(vehicle_id)
        if telemetry is not None:
            telemetry["battery"]["updated"] = self.stamp()

    def is_charging(self, vehicle_id: str) -> bool:
        return any(s.vehicle == vehicle_id for s in self._active.values())

    # -- policies ----------------------------------------------------------------------------------

    def blocking_policy(self, holders: list[JSON], station: JSON) -> tuple[JSON, str] | None:
        """The first active enforcement policy linked to a holder (driver, vehicle, fleet) whose
        rules a session at `station`, starting now, would break, with the broken rule."""
        policies = self.objects("policy")
        for holder in holders:
            for policy_id in holder.get("policy_ids", ()):
                policy = policies.get(policy_id)
                if policy is None or policy["status"] != "active":
                    continue
                if policy["mode"] != "enforcement":
                    continue
                broken = self._broken_rule(policy["rules"], station)
                if broken is not None:
                    return policy, broken
        return None

    def _broken_rule(self, rules: JSON, station: JSON) -> str | None:
        operator = operator_id(station["operator"])
        allowed = [operator_id(o) for o in rules.get("allowed_operators") or ()]
        if allowed and operator not in allowed:
            return "allowed_operators"
        if operator in [operator_id(o) for o in rules.get("denied_operators") or ()]:
            return "denied_operators"
        cap = rules.get("max_price_per_kwh")
        if cap is not None and any(p["price"] > cap for p in station["pricing"]):
            return "max_price_per_kwh"
        windows: list[JSON] = rules.get("time_windows") or []
        if windows and not any(_in_window(w, self.now) for w in windows):
            return "time_windows"
        fences: list[JSON] = rules.get("geofences") or []
        if fences and not any(
            "center" in f
            and distance_m(f["center"], station["location"]) <= f.get("radius_meters", 0)
            for f in fences
        ):
            return "geofences"
        return None

    # -- samples ---------------------------------------------------------------------------------

    def sample_session_params(self) -> dict[str, str]:
        """Valid create params on the next free connector (round robin over stations/drivers)."""
        slots = [
            (station["id"], c["id"])
            for station in self._sample_stations
            for c in station["connectors"]
        ]
        for step in range(len(slots)):
            station_id, connector_id = slots[(self._sample_cursor + step) % len(slots)]
            if connector_id not in self.occupied(station_id) and not any(
                self.locks(station_id, connector_id)
            ):
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


def operator_id(name: str) -> str:
    """`"Example Operator"` and `"example_operator"` name the same operator."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def distance_m(a: JSON, b: JSON) -> float:
    """Great-circle distance in metres between two `{latitude, longitude}` points."""
    lat1, lat2 = math.radians(a["latitude"]), math.radians(b["latitude"])
    dlat = lat2 - lat1
    dlon = math.radians(b["longitude"] - a["longitude"])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, h)))


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _in_window(window: JSON, instant: Fraction) -> bool:
    """Whether `instant` (UTC) falls in a `{days_of_week, start_time, end_time}` window; a
    window whose end is before its start runs past midnight."""
    moment = to_datetime(instant)
    minutes = moment.hour * 60 + moment.minute
    start = _minutes(window.get("start_time"), 0)
    end = _minutes(window.get("end_time"), 24 * 60)
    days = [d.lower() for d in window.get("days_of_week") or _DAY_NAMES]
    today = _DAY_NAMES[moment.weekday()]
    yesterday = _DAY_NAMES[(moment - timedelta(days=1)).weekday()]
    if start <= end:
        return today in days and start <= minutes < end
    return (today in days and minutes >= start) or (yesterday in days and minutes < end)


def _minutes(value: object, default: int) -> int:
    if not isinstance(value, str) or ":" not in value:
        return default
    hours, _, minutes = value.partition(":")
    return int(hours) * 60 + int(minutes) if hours.isdigit() and minutes.isdigit() else default


def _check_station(station: JSON) -> None:
    """What starting a session reads from a station: its connectors, tariff and country."""
    connectors, pricing, address = station["connectors"], station["pricing"], station["address"]
    if not is_array(connectors) or not all(
        is_object(c)
        and isinstance(c.get("id"), str)
        and type(c.get("power")) is int
        and c["power"] > 0
        for c in connectors
    ):
        raise ValueError("connectors must be a list of objects with a str id and an int power")
    if not (
        is_array(pricing)
        and pricing
        and is_object(pricing[0])
        and isinstance(pricing[0].get("currency"), str)
        and type(pricing[0].get("price")) is int
        and type(pricing[0].get("step_size")) is int
        and pricing[0]["step_size"] > 0
    ):
        raise ValueError("pricing[0] must have a str currency and int price and step_size")
    if not is_object(address) or not isinstance(address.get("country"), str):
        raise ValueError("address must be an object with a str country")
    if not isinstance(station["availability"], dict):
        raise ValueError("availability must be an object")
