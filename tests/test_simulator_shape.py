"""Every object the simulator serves has the documented shape: no non-null field is null.

A strict client (what ``Simulator.client()`` gives) refuses any answer off the documented types,
so walking every object of every kind - seeded ones and ones made with the fewest parameters
the API accepts, through their lifecycles - with every expand path the simulator offers, and
every event it recorded, proves it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator
from chargeapi.testing._expand import EXPANDABLE

MODELS: dict[str, type[chargeapi.ChargeObject]] = {
    "account": chargeapi.Account,
    "charging_session": chargeapi.ChargingSession,
    "charging_station": chargeapi.ChargingStation,
    "driver": chargeapi.Driver,
    "estimation": chargeapi.Estimation,
    "fleet": chargeapi.Fleet,
    "invoice": chargeapi.Invoice,
    "payment_method": chargeapi.PaymentMethod,
    "policy": chargeapi.Policy,
    "report": chargeapi.Report,
    "reservation": chargeapi.Reservation,
    "transaction": chargeapi.Transaction,
    "vehicle": chargeapi.Vehicle,
    "webhook_endpoint": chargeapi.WebhookEndpoint,
}


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    with sim.client() as strict:
        assert strict.strict_responses
        yield strict


def made_with_the_fewest_parameters(sim: Simulator, client: chargeapi.Client) -> None:
    """One object of each kind the API creates, with only what it requires, through its
    lifecycle: what the simulator fills in itself must be in the documented shape too."""
    c: dict[str, Any] = {"client": client}
    chargeapi.Account.create(**c)
    chargeapi.Account.create(name="Named", type="business", **c)
    driver = chargeapi.Driver.create(name="Min Driver", email="min@example.com", **c)
    vehicle = chargeapi.Vehicle.create(
        vin="VINMINIMUM0000001", battery_capacity=60000, charging_standard="CCS", **c
    )
    fleet = chargeapi.Fleet.create(name="Min Fleet", **c)
    chargeapi.Fleet.update(fleet.id, address={"city": "Lyon"}, **c)
    chargeapi.Driver.attach(driver.id, fleet=fleet.id, **c)
    chargeapi.Vehicle.attach(vehicle.id, driver=driver.id, **c)
    chargeapi.Vehicle.update(vehicle.id, information={"make": "Kia"}, **c)
    card = chargeapi.PaymentMethod.create(
        type="card", card={"number": "4242424242424242", "exp_month": 1, "exp_year": 2030}, **c
    )
    chargeapi.PaymentMethod.update(card.id, billing_details={"address": {"state": "Rhone"}}, **c)
    chargeapi.PaymentMethod.attach(card.id, driver=driver.id, **c)
    policy = chargeapi.Policy.create(
        mode="suggestion",
        name="Sparse",
        rules={
            "geofences": [{"center": {"latitude": 48.8, "longitude": 2.3}, "radius_meters": 900}],
            "time_windows": [{"start_time": "09:00"}],
        },
        **c,
    )
    chargeapi.Policy.update(policy.id, rules={"time_windows": [{"days_of_week": ["monday"]}]}, **c)
    chargeapi.WebhookEndpoint.create(
        enabled_events=["charge.succeeded"], url="https://example.com/hook", **c
    )
    start = sim.now
    chargeapi.Report.create(
        parameters={
            "type": "charging_summary",
            "period_start": start - timedelta(days=30),
            "period_end": start,
        },
        **c,
    )
    params = sim.sample_session_params()
    session = chargeapi.ChargingSession.create(**params, **c)
    sim.advance(900)
    chargeapi.ChargingSession.end(session.id, **c)
    reservation = chargeapi.Reservation.create(
        connector_type=["CCS"],
        driver=params["driver"],
        vehicle=params["vehicle"],
        ideal_start=sim.now + timedelta(hours=2),
        ideal_end=sim.now + timedelta(hours=3),
        location={"latitude": 48.8698, "longitude": 2.3319, "radius": 50_000},
        **c,
    )
    chargeapi.Reservation.confirm(reservation.id, payment_method=params["payment_method"], **c)
    draft = chargeapi.Invoice.create(
        period_start=start - timedelta(days=60), period_end=sim.now + timedelta(seconds=1), **c
    )
    chargeapi.Invoice.finalize(draft.id, **c)
    chargeapi.Invoice.pay(draft.id, payment_method=params["payment_method"], **c)
    sim.advance(3600)  # reports finish, reservations move on
    chargeapi.Estimation.create(  # last: it expires 15 minutes later
        charging_station=params["charging_station"],
        vehicle=params["vehicle"],
        battery_level=20,
        battery_target_level=80,
        **c,
    )


def expand_paths(kind: str, depth: int = 2) -> list[str]:
    """Every path the simulator expands on ``kind``, nested ones down to ``depth`` hops."""
    paths: list[str] = []
    for field, target in EXPANDABLE.get(kind, {}).items():
        paths.append(field)
        if depth > 1:
            paths += [f"{field}.{rest}" for rest in expand_paths(target, depth - 1)]
    return paths


def served(client: chargeapi.Client, kind: str) -> list[chargeapi.ChargeObject]:
    """Every object of ``kind`` listed (each page decoded strictly), then retrieved with
    every expand path."""
    model = MODELS[kind]
    listed = list(model.list(limit=100, client=client))  # type: ignore[attr-defined]
    objects: list[chargeapi.ChargeObject] = list(listed)
    retrieve = model.retrieve  # type: ignore[attr-defined]
    expands = "expand" in inspect.signature(retrieve).parameters
    for obj in listed:
        options = {"expand": expand_paths(kind)} if expands and expand_paths(kind) else {}
        objects.append(retrieve(obj.id, client=client, **options))
    return objects


def test_every_object_of_every_kind_decodes_strictly_with_every_expansion(
    sim: Simulator, client: chargeapi.Client
) -> None:
    made_with_the_fewest_parameters(sim, client)
    counts: dict[str, int] = {}
    for kind, model in MODELS.items():
        if kind in ("account", "estimation"):  # no list endpoint: what the store holds
            stored = list(sim._store.objects(kind))
            if kind == "estimation":  # they expire after 15 minutes: the last one made
                stored = stored[-1:]
            objects = [
                model.retrieve(object_id, client=client, expand=expand_paths(kind))  # type: ignore[attr-defined]
                for object_id in stored
            ]
        else:
            objects = served(client, kind)
        counts[kind] = len(objects)
    for vehicle in chargeapi.Vehicle.list(limit=100, client=client):
        if vehicle.telemetry is not None:
            telemetry = chargeapi.VehicleTelemetry.retrieve(
                vehicle.id, expand=expand_paths("vehicle_telemetry"), client=client
            )
            assert isinstance(telemetry.vehicle, chargeapi.Vehicle)
            counts["vehicle_telemetry"] = counts.get("vehicle_telemetry", 0) + 1
    assert all(n >= 1 for n in counts.values()), counts  # the walk ran over every kind
    assert set(counts) == {*MODELS, "vehicle_telemetry"}


def test_every_recorded_event_decodes_strictly(sim: Simulator, client: chargeapi.Client) -> None:
    made_with_the_fewest_parameters(sim, client)
    assert len(sim.events) > 20
    for recorded in sim.events:
        event = chargeapi.Event.from_dict(recorded)  # from_dict is strict
        snapshot = recorded["data"]["object"]
        if snapshot.get("deleted") is not True:
            model = MODELS.get(snapshot["object"])
            if model is not None:
                assert model.from_dict(snapshot) == event.data.object
