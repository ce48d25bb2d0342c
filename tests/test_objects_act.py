"""Objects that act: ``session.end()``, ``invoice.pay(...)``, ``obj.refresh()`` and their async
twins, on the simulator; the class forms unchanged; the client an object remembers."""

from __future__ import annotations

import asyncio
import inspect
import pickle

import pytest
import respx

import chargeapi
from chargeapi._operations import Operation, table
from chargeapi._registry import PREFIXES
from chargeapi.testing import Simulator
from tests.conftest import API, TEST_KEY, refused_before_io, sent
from tests.test_resource_vehicle_telemetry import TELEMETRY

FLEET = "flt_TRd4nXiHf929Esshu5mXHrfXtplYc8qe"  # in the seed=0 simulator's account
OPEN_INVOICE = "inv_wnp4BCy93xE6CL765fCjSVhg3RWEmaGs"
CARD = "pm_uOQj5jtmlv8AETXBmS4cN2wUQosf1UV2"


@pytest.fixture
def client(sim: Simulator) -> chargeapi.Client:
    return sim.client()


def wire(sim: Simulator, count: int) -> list[tuple[str, str]]:
    """The last ``count`` requests the simulator received, as (method, path)."""
    return [(r.method, r.path) for r in sim.requests[-count:]]


def test_a_session_refreshes_and_ends_itself(sim: Simulator, client: chargeapi.Client) -> None:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    sim.advance(seconds=1800)

    refreshed = session.refresh()
    ended = refreshed.end()

    path = f"/v1/charging_sessions/{session.id}"
    assert wire(sim, 2) == [("GET", path), ("POST", f"{path}/end")]
    assert refreshed.energy_consumed > 0
    assert (ended.id, ended.status) == (session.id, "completed")
    # Frozen models: each call returned a new object; the ones called on are unchanged.
    assert (session.status, session.energy_consumed) == ("active", 0)
    assert refreshed.status == "active"


def test_a_session_refreshes_and_ends_itself_async(
    sim: Simulator, client: chargeapi.Client
) -> None:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    sim.advance(seconds=600)

    async def run() -> tuple[chargeapi.ChargingSession, chargeapi.ChargingSession]:
        refreshed = await session.refresh_async(expand=["driver"])
        return refreshed, await refreshed.end_async()

    refreshed, ended = asyncio.run(run())

    path = f"/v1/charging_sessions/{session.id}"
    assert wire(sim, 2) == [("GET", path), ("POST", f"{path}/end")]
    assert sim.requests[-2].url.endswith("?expand=driver")
    assert isinstance(refreshed.driver, chargeapi.Driver)
    assert ended.status == "completed"
    assert session.status == "active"


def test_an_invoice_pays_itself(sim: Simulator, client: chargeapi.Client) -> None:
    invoice = chargeapi.Invoice.retrieve(OPEN_INVOICE, client=client)

    paid = invoice.pay(payment_method=CARD, idempotency_key="pay-march")

    assert wire(sim, 1) == [("POST", f"/v1/invoices/{OPEN_INVOICE}/pay")]
    assert sim.requests[-1].json() == {"payment_method": CARD}
    assert sim.requests[-1].headers["Idempotency-Key"] == "pay-march"
    assert (paid.status, invoice.status) == ("paid", "open")


def test_an_invoice_pays_itself_async(sim: Simulator, client: chargeapi.Client) -> None:
    invoice = chargeapi.Invoice.retrieve(OPEN_INVOICE, client=client)

    paid = asyncio.run(invoice.pay_async(payment_method=CARD))

    assert wire(sim, 1) == [("POST", f"/v1/invoices/{OPEN_INVOICE}/pay")]
    assert paid.status == "paid"


def test_a_driver_attaches_itself_and_a_policy_deletes_itself(
    sim: Simulator, client: chargeapi.Client
) -> None:
    driver = chargeapi.Driver.list(client=client).data[0]
    policy = chargeapi.Policy.list(client=client).data[0]

    attached = driver.attach(fleet=FLEET)
    deleted = policy.delete()

    assert wire(sim, 2) == [
        ("POST", f"/v1/drivers/{driver.id}/attach"),
        ("DELETE", f"/v1/policies/{policy.id}"),
    ]
    assert sim.requests[-2].json() == {"fleet": FLEET}
    assert attached.id == driver.id
    assert deleted == chargeapi.DeletedObject(id=policy.id, object="policy", deleted=True)


def test_objects_use_the_client_they_came_from(sim: Simulator, client: chargeapi.Client) -> None:
    # No default client could work here: no key in the environment or the module.
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    listed = next(iter(chargeapi.Invoice.list(client=client)))
    expanded = chargeapi.ChargingSession.retrieve(session.id, expand=["driver"], client=client)
    assert isinstance(expanded.driver, chargeapi.Driver)

    session.refresh()
    listed.refresh()
    expanded.driver.refresh()

    assert wire(sim, 3) == [
        ("GET", f"/v1/charging_sessions/{session.id}"),
        ("GET", f"/v1/invoices/{listed.id}"),
        ("GET", f"/v1/drivers/{expanded.driver.id}"),
    ]


def test_client_given_to_the_method_wins(sim: Simulator, client: chargeapi.Client) -> None:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    other = Simulator(seed=0)  # the same seed data, but not this session
    before = len(sim.requests)

    with pytest.raises(chargeapi.NotFoundError):
        session.end(client=other.client(max_retries=0))

    assert len(sim.requests) == before
    assert [(r.method, r.path) for r in other.requests] == [
        ("POST", f"/v1/charging_sessions/{session.id}/end")
    ]


def test_objects_from_the_default_client_follow_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_first")
    body = {"id": "flt_1", "object": "fleet", "name": "Vans"}
    with respx.mock(base_url=API) as mock:
        route = mock.get("/v1/fleets/flt_1").respond(200, json=body)
        fleet = chargeapi.Fleet.retrieve("flt_1")
        monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_second")

        fleet.refresh()

    assert [c.request.headers["Authorization"] for c in route.calls] == [
        "Bearer ch_sk_test_first",
        "Bearer ch_sk_test_second",
    ]


def test_the_remembered_client_is_no_part_of_the_data(
    sim: Simulator, client: chargeapi.Client
) -> None:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    decoded = chargeapi.ChargingSession.from_dict(session.to_dict())  # remembers no client

    assert decoded == session
    assert hash(decoded) == hash(session)
    assert repr(decoded) == repr(session)
    assert "Client" not in repr(session)
    assert sim.api_key not in repr(session)
    copy = pickle.loads(pickle.dumps(session))
    assert copy == session
    assert copy.to_dict() == session.to_dict()
    # The copy knows no client: it uses the default one, which has no key here.
    with refused_before_io(chargeapi.ChargeAPIError, "No API key"):
        copy.refresh()


def test_class_forms_keep_their_signatures_and_objects_drop_the_id(
    sim: Simulator, client: chargeapi.Client
) -> None:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)

    ended = chargeapi.ChargingSession.end(session.id, client=client)

    assert ended.status == "completed"
    assert list(inspect.signature(chargeapi.ChargingSession.end).parameters) == [
        "id",
        "idempotency_key",
        "client",
        "options",
    ]
    assert list(inspect.signature(session.end).parameters) == [
        "idempotency_key",
        "client",
        "options",
    ]
    assert session.end.__qualname__ == "ChargingSession.end"
    assert session.end.__doc__ == chargeapi.ChargingSession.end.__doc__
    assert inspect.iscoroutinefunction(session.end_async)
    with pytest.raises(TypeError):
        session.end(session.id)  # type: ignore[call-arg]


ON_OBJECTS = [
    op
    for op in table()
    if next(iter(op.signature.parameters)) == "id"  # takes its own object's ID first
]


def _id(op: Operation) -> str:
    return f"{op.resource.__name__}.{op.action}"


@pytest.mark.parametrize("op", ON_OBJECTS, ids=_id)
@pytest.mark.parametrize("form", ["sync", "async"])
def test_every_operation_on_an_id_also_acts_on_its_object(op: Operation, form: str) -> None:
    object_id = PREFIXES[op.resource.__chargeapi_object__] + "abc123"
    obj = object.__new__(op.resource)
    object.__setattr__(obj, "id", object_id)
    method = getattr(obj, op.action if form == "sync" else f"{op.action}_async")
    path = op.path.split("{", 1)[0] + object_id + op.path.split("}", 1)[1]
    required = [
        p.name
        for p in op.signature.parameters.values()
        if p.default is p.empty and p.kind is p.KEYWORD_ONLY
    ] + list(op.exactly_one[:1])  # all of them IDs: attach(fleet=...), detach(driver=...)
    arguments = {name: PREFIXES[name] + "xyz789" for name in required}
    with chargeapi.Client(TEST_KEY, max_retries=0) as client, respx.mock(base_url=API) as mock:
        route = mock.route(method=op.method, path=path).respond(404, json={"message": "gone"})

        def call() -> None:
            result = method(client=client, **arguments)
            if form == "async":
                asyncio.run(result)

        with pytest.raises(chargeapi.NotFoundError):
            call()

    assert sent(route).url.path == path


def test_vehicle_telemetry_refreshes_by_its_vehicle() -> None:
    body = TELEMETRY | {"vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3"}
    with chargeapi.Client(TEST_KEY) as client, respx.mock(base_url=API) as mock:
        route = mock.get("/v1/vehicles/veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3/telemetry")
        route.respond(200, json=body)
        telemetry = chargeapi.VehicleTelemetry.retrieve(
            "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3", client=client
        )

        telemetry.refresh()
        asyncio.run(telemetry.refresh_async())
        assert route.call_count == 3

        # An answer without its vehicle (decoded leniently, by default): nothing to refresh by.
        route.respond(200, json={k: v for k, v in body.items() if k != "vehicle"})
        orphan = chargeapi.VehicleTelemetry.retrieve(
            "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3", client=client
        )
    with refused_before_io(chargeapi.InvalidParameterError, "does not name its vehicle"):
        orphan.refresh()
