"""Schema fuzz of the simulator: every operation of the OpenAPI document, in-process.

``python tools/conformance.py --examples 500`` (``nox -s fuzz``) prints, per operation, how
many requests were sent, how many were answered 2xx and by which statuses, and every failure;
it exits 1 if there was any. The test suite runs the same fuzz on a small budget
(tests/test_conformance.py). Runs are deterministic: Hypothesis derandomized, no example
database, and each request answered by a fresh copy of one prepared simulator.

Each request is checked like this:

* no 5xx, and no exception out of the simulator (a crash is what a 500 would be);
* the status is one the document lists for the operation, the body is JSON, and it matches
  the schema of that status: the documented object, or the error object whose ``status`` is
  the HTTP status. Objects are closed for the fuzz (``additionalProperties: false``), so a
  field the docs don't have, such as a store's private one, fails too;
* a 2xx body also decodes into the SDK's model in strict mode.

Three requests in four are drawn from the document as it is (schemathesis' positive mode),
one in four from its negation (invalid input, which must be a documented 4xx), and one more
is sent without a valid key. IDs are drawn as often
from the prepared simulator's objects as at random, so every operation reaches its 2xx path:
the world holds objects in every state an operation needs (active and completed sessions,
invoices draft to void, pending and confirmed reservations, a fresh estimation).
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import sys
import typing
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import chargeapi
from chargeapi._convert import InvalidData, from_json
from chargeapi._operations import Operation, table
from chargeapi.testing import Simulator
from chargeapi.testing._openapi import openapi_document
from chargeapi.testing._time import format_timestamp

BASE_URL = "https://api.chargeapi.co"
API_KEY = "ch_sk_test_simulator"
SEED = 0
_PARIS = {"latitude": 48.8698, "longitude": 2.3319, "radius": 1500}
_ADDRESS = {
    "city": "Paris",
    "country": "FR",
    "line1": "10 Rue de la Paix",
    "line2": "Batiment A",
    "postal_code": "75002",
    "state": "Ile-de-France",
}


@dataclass
class World:
    """A prepared simulator (its state frozen), the IDs of its objects by kind, and the docs'
    example values by parameter name (timestamps around its clock)."""

    state: bytes  # the simulator's store, pickled: each request gets its own copy
    ids: dict[str, list[str]]  # every object, by kind
    preferred: dict[str, list[str]]  # objects that go together (a driver, its vehicle ...)
    examples: dict[str, list[Any]]

    def simulator(self) -> Simulator:
        sim = Simulator(seed=SEED)
        sim._store = pickle.loads(self.state)  # noqa: S301 - our own snapshot
        return sim


def build_world() -> World:
    """The seeded account plus objects in every state the operations act on: sessions active
    and completed, invoices draft, open, paid and void, reservations pending and confirmed
    (the seed adds cancelled and completed ones), a fresh estimation, a report."""
    sim = Simulator(seed=SEED)
    with sim.client() as client:
        c: dict[str, Any] = {"client": client}
        stations = chargeapi.ChargingStation.list(limit=100, **c).data
        methods = chargeapi.PaymentMethod.list(limit=100, **c).data
        vehicles = chargeapi.Vehicle.list(limit=100, **c).data
        sessions = []
        for vehicle, station in zip(vehicles[:3], stations, strict=False):
            driver = vehicle.drivers[0]
            method = next(m for m in methods if m.driver == driver)
            connector = next(x for x in station.connectors if x.type == vehicle.charging_standard)
            sessions.append(
                chargeapi.ChargingSession.create(
                    charging_station=station.id,
                    connector=connector.id,
                    driver=driver,
                    payment_method=method.id,
                    vehicle=vehicle.id,
                    **c,
                )
            )
        sim.advance(600)
        sessions[0].end(**c)
        start, now = sim.now - timedelta(days=30), sim.now
        for _ in "ab":  # two drafts, one open, one void (the seed has an open and a paid one)
            chargeapi.Invoice.create(period_start=start, period_end=now, **c)
        opened = [chargeapi.Invoice.create(period_start=start, period_end=now, **c) for _ in "ab"]
        for invoice in opened:
            invoice.finalize(**c)
        opened[1].void(**c)
        driver, vehicle = vehicles[0].drivers[0], vehicles[0].id
        for days in (2, 3):  # one stays pending, one is confirmed
            reservation = chargeapi.Reservation.create(
                connector_type=["CCS"],
                driver=driver,
                vehicle=vehicle,
                ideal_start=now + timedelta(days=days),
                ideal_end=now + timedelta(days=days, hours=1),
                location=_PARIS,
                **c,
            )
        reservation.confirm(**c)
        chargeapi.Estimation.create(
            charging_station=stations[0].id,
            vehicle=vehicle,
            battery_level=20,
            battery_target_level=80,
            **c,
        )
        chargeapi.Report.create(
            parameters={"type": "charging_summary", "period_start": start, "period_end": now},
            **c,
        )
    store = sim._store  # the state every request starts from
    ids = {kind: list(collection.order) for kind, collection in store.collections.items()}
    ids["charging_session"] = list(store.sessions)
    preferred = _related(store, str(sessions[1].driver))
    return World(pickle.dumps(store), ids, preferred, _documented_examples(now))


def _related(store: Any, driver_id: str) -> dict[str, list[str]]:
    """IDs that make a request work when drawn together: a driver with its fleets, vehicles,
    payment methods, a station with free connectors, and the objects of each kind in the
    states the actions take (active sessions, draft and open invoices, pending and confirmed
    reservations, the estimation still valid)."""
    driver = store.get("driver", driver_id)

    def where(kind: str, keep: Callable[[dict[str, Any]], bool]) -> list[str]:
        objects = (store.get(kind, i) for i in store.collection(kind).order)
        return [o["id"] for o in objects if o is not None and keep(o)]

    fleets = driver["fleets"] + where("fleet", lambda f: f["id"] not in driver["fleets"])[:1]
    active = [s for s in store.sessions.values() if s.status == "active"]
    busy = {s.charging_station for s in active}
    return {
        "driver": [driver_id],
        "fleet": fleets,
        "vehicle": driver["vehicles"],
        "payment_method": where(
            "payment_method", lambda m: m["driver"] == driver_id or m["fleet"] in fleets
        ),
        "charging_station": where(
            "charging_station",
            lambda s: (
                s["id"] not in busy
                and not any(any(store.locks(s["id"], c["id"])) for c in s["connectors"])
            ),
        ),
        "charging_session": [s.id for s in active],
        "invoice": where("invoice", lambda i: i["status"] in ("draft", "open")),
        "reservation": where("reservation", lambda r: r["status"] in ("pending", "confirmed")),
        "estimation": where("estimation", lambda e: e["valid_until"] > format_timestamp(store.now)),
    }


def _documented_examples(now: datetime) -> dict[str, list[Any]]:
    """Values of the docs' examples, by parameter name: a random string is never a connector
    or a card number, and a random instant is rarely in the next few days."""

    def stamp(delta: timedelta) -> str:
        return f"{now + delta:%Y-%m-%dT%H:%M:%S}.000Z"

    return {
        "connector": ["connector_a1", "connector_a2"],  # every seeded station has these
        "cvc": ["123"],
        "card": [{"cvc": "123", "exp_month": 12, "exp_year": 2030, "number": "4242424242424242"}],
        "address": [_ADDRESS],
        "billing_details": [
            {"address": _ADDRESS, "email": "example@example.com", "name": "Example"}
        ],
        "number": ["4242424242424242", "4000000000000002", "5555555555554444"],
        "exp_month": [12],
        "exp_year": [2030],
        "type": ["card", "charging_summary"],
        "battery_level": [28],
        "battery_target_level": [80],
        "battery_capacity": [82000],
        "vin": ["YV1XZK5V0S1234567"],
        "name": ["Example"],
        "email": ["example@example.com"],
        "currency": ["eur"],
        "url": ["https://example.com/webhook/endpoint"],
        "enabled_events": [["report.succeeded", "reservation.confirmed"], ["charge.succeeded"]],
        "connector_type": [["CCS"]],
        "location": [_PARIS],
        "latitude": [48.8698, "48.8698"],
        "longitude": [2.3319, "2.3319"],
        "radius": [1500, "1500"],
        "group_by": ["vehicle"],
        "rules": [{"max_price_per_kwh": 25}],
        "period_start": [stamp(timedelta(days=-30))],
        "period_end": [stamp(timedelta(0))],
        "ideal_start": [stamp(timedelta(days=1))],
        "ideal_end": [stamp(timedelta(days=1, hours=1))],
        "earliest_start": [stamp(timedelta(hours=23))],
        "latest_end": [stamp(timedelta(days=1, hours=2))],
    }


def fuzz_document(world: World) -> dict[str, Any]:
    """The document as the fuzz uses it: IDs drawn from the world's objects three times in
    four, and every object closed."""
    document = openapi_document()
    schemas: dict[str, Any] = document["components"]["schemas"]
    for name, schema in schemas.items():
        kind = _kind_of_id(name)
        if kind is not None and world.ids.get(kind):
            schemas[name] = _preferring(kind, world, schema)
        elif schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
    return document


def _preferring(kind: str, world: World, schema: dict[str, Any]) -> dict[str, Any]:
    """An ID schema whose values are the world's related objects half the time, any of its
    objects a quarter, and anything of the documented form the rest.

    (A string format carries the choice: an ``anyOf`` of an enum and the schema would not do,
    as the generator folds an enum into a schema that already allows its values.)"""
    import schemathesis

    related = st.sampled_from(world.preferred.get(kind) or world.ids[kind])
    strategy = st.one_of(
        related,
        related,
        st.sampled_from(world.ids[kind]),
        st.from_regex(schema["pattern"], fullmatch=True),
    )
    schemathesis.openapi.format(f"chargeapi-{kind}-id", strategy)
    return {**schema, "format": f"chargeapi-{kind}-id"}


def _kind_of_id(name: str) -> str | None:
    if not name.endswith("ID"):
        return None
    stem = name.removesuffix("ID")
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in stem).lstrip("_")


@st.composite
def _with_examples(
    draw: st.DrawFn, cases: st.SearchStrategy[Any], examples: dict[str, list[Any]]
) -> Any:
    """A generated case whose values named in ``examples`` are, three times in four, replaced
    by one of those values of the same JSON type (so a string stays a string)."""
    case = draw(cases)

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                candidates = [v for v in examples.get(key, ()) if _same_type(v, value)]
                if candidates and draw(st.sampled_from((True, True, True, False))):
                    out[key] = swap(copy.deepcopy(draw(st.sampled_from(candidates))))
                else:
                    out[key] = swap(value)
            return out
        if isinstance(node, list):
            return [swap(item) for item in node]
        return node

    if isinstance(case.body, dict):
        case.body = swap(case.body)
    if case.query:
        case.query = swap(case.query)
    return case


def _same_type(a: Any, b: Any) -> bool:
    kinds = (bool, int | float, str, list, dict)
    return any(isinstance(a, k) and isinstance(b, k) for k in kinds) and (
        isinstance(a, bool) == isinstance(b, bool)
    )


@dataclass
class Tally:
    """What the fuzz saw for one operation."""

    operation: str
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter[int])
    failures: dict[str, str] = field(default_factory=dict[str, str])  # kind -> first example

    @property
    def successes(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)


def _request(case: Any, api_key: str) -> httpx.Request:
    kwargs = case.as_transport_kwargs(base_url=BASE_URL)
    headers = {
        name: value
        for name, value in kwargs["headers"].items()
        if not name.lower().startswith(("x-schemathesis", "user-agent"))
    }
    headers["Authorization"] = f"Bearer {api_key}"
    content = None
    if "json" in kwargs:
        content = json.dumps(kwargs["json"]).encode()
        headers["Content-Type"] = "application/json"
    params = [
        (name, str(item))
        for name, value in kwargs.get("params", {}).items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return httpx.Request(
        kwargs["method"], kwargs["url"], params=params, headers=headers, content=content
    )


def _describe(request: httpx.Request, response: httpx.Response | None) -> str:
    body = request.content.decode("utf-8", "replace")
    answer = "" if response is None else f" -> {response.status_code} {response.text[:600]}"
    return f"{request.method} {request.url} {body[:400]}{answer}"


def checks() -> list[Any]:
    """The schemathesis checks every answer goes through."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


def _returned_model(row: Operation) -> tuple[type[Any], bool]:
    """The model an operation returns, and whether it returns a list of them."""
    returned = row.hints()["return"]
    return typing.get_args(returned)[0], typing.get_origin(returned).__name__ == "ListCall"


def fuzz_operation(
    schema: Any, world: World, row: Operation, examples: int, checks: list[Any]
) -> Tally:
    """Send ``examples`` generated requests for one operation; tally statuses and failures."""
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup

    operation = schema[row.path][row.method]
    tally = Tally(f"{row.resource.__name__}.{row.action}")
    model, is_list = _returned_model(row)
    positive = _with_examples(operation.as_strategy(GenerationMode.POSITIVE), world.examples)
    negative = operation.as_strategy(GenerationMode.NEGATIVE)

    last: list[Any] = []

    def send(case: Any, api_key: str) -> None:
        last[:] = [case]
        tally.examples += 1
        request = _request(case, api_key)
        response: httpx.Response | None = None
        try:
            response = world.simulator().handle(request)
        except Exception as error:  # a crash: what a 500 would be over HTTP
            tally.statuses[500] += 1
            kind = f"crash: {type(error).__name__}: {str(error)[:200]}"
            tally.failures.setdefault(kind, _describe(request, None))
            return
        tally.statuses[response.status_code] += 1
        response.request = request
        response.elapsed = timedelta(0)  # in-process: no wire time
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            for failure in group.exceptions:
                kind = f"{failure.title}: {_first_line(failure.message)}"
                tally.failures.setdefault(kind, _describe(request, response))
        if 200 <= response.status_code < 300:
            _decode_strictly(model, is_list, response, request, tally)

    def run(cases: st.SearchStrategy[Any], budget: int) -> None:
        @settings(
            max_examples=budget,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @given(cases)
        def test(case: Any) -> None:
            send(case, API_KEY)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schemathesis' and hypothesis' notes on the schema
            test()

    sent = tally.examples
    run(positive, examples - examples // 4)
    if tally.examples > sent:  # the last request again, without a valid key: a 401
        send(last[0], "ch_sk_test_")
    run(negative, examples // 4)
    return tally


def _decode_strictly(
    model: type[Any], is_list: bool, response: httpx.Response, request: httpx.Request, tally: Tally
) -> None:
    body = response.json()
    try:
        if is_list:
            for item in body["data"]:
                from_json(model, item, strict=True)
        else:
            from_json(model, body, strict=True)
    except (InvalidData, KeyError, TypeError) as error:
        kind = f"SDK strict decode: {str(error)[:200]}"
        tally.failures.setdefault(kind, _describe(request, response))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def fuzz(examples: int, only: Iterable[str] = ()) -> list[Tally]:
    """The fuzz over every operation (or those named ``Resource.action`` in ``only``)."""
    import schemathesis

    world = build_world()
    schema = schemathesis.openapi.from_dict(fuzz_document(world))
    checks_ = checks()
    wanted = set(only)
    return [
        fuzz_operation(schema, world, row, examples, checks_)
        for row in table()
        if not wanted or f"{row.resource.__name__}.{row.action}" in wanted
    ]


def report(tallies: list[Tally]) -> str:
    """The per-operation table, then every failure with its first example."""
    lines = [f"{'operation':32} {'sent':>6} {'2xx':>6}  statuses"]
    for tally in tallies:
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(tally.statuses.items()))
        lines.append(f"{tally.operation:32} {tally.examples:6} {tally.successes:6}  {statuses}")
    total = sum(t.examples for t in tallies)
    failures = [(t.operation, kind, ex) for t in tallies for kind, ex in t.failures.items()]
    lines.append(f"{len(tallies)} operations, {total} requests, {len(failures)} failure(s)")
    for operation, kind, example in failures:
        lines.append(f"\n{operation}: {kind}\n    {example}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--examples", type=int, default=500, help="generated requests per operation"
    )
    parser.add_argument("--only", action="append", default=[], help="Resource.action (repeatable)")
    args = parser.parse_args(argv)
    tallies = fuzz(args.examples, args.only)
    print(report(tallies))
    failed = any(t.failures for t in tallies) or any(not t.successes for t in tallies)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
