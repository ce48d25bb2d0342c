"""Every resource through the SDK against the simulator: in-process sync and async (the `sdk`
fixture runs each call both ways), and over HTTP (`sim.serve()`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator
from tests.test_simulator_api_http import RESOURCE_OF

SDK = Callable[..., Any]


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    """The SDK wired to `sim` in-process (the `sdk` fixture uses it, sync and async)."""
    with sim.client() as in_process:
        yield in_process


def seeded_driver(sdk: SDK) -> chargeapi.Driver:
    drivers = sdk(chargeapi.Driver.list, limit=100).data
    return next(d for d in drivers if d.fleets)


# -- charging sessions and stations ---------------------------------------------------------


def test_stations_and_sessions(sim: Simulator, sdk: SDK) -> None:
    stations = sdk(chargeapi.ChargingStation.list, limit=2).data
    assert len(stations) == 2
    station = sdk(chargeapi.ChargingStation.retrieve, stations[0].id)
    assert station == stations[0]
    params = sim.sample_session_params()
    session = sdk(chargeapi.ChargingSession.create, **params)
    sim.advance(600)
    ended = sdk(chargeapi.ChargingSession.end, session.id)
    assert ended.status == "completed"
    assert ended.amount_paid == ended.amount_due > 0
    listed = sdk(chargeapi.ChargingSession.list, driver=params["driver"], status="completed")
    assert [s.id for s in listed.data] == [session.id]


def test_an_enforcement_policy_refuses_sessions_of_its_fleet(sim: Simulator, sdk: SDK) -> None:
    cap = next(
        p for p in sdk(chargeapi.Policy.list, status="active").data if p.mode == "enforcement"
    )
    sdk(chargeapi.Policy.update, cap.id, rules={"max_price_per_kwh": 1})
    outcomes: dict[str, str] = {}
    for _ in range(4):  # the samples take each seeded driver in turn
        params = sim.sample_session_params()
        try:
            sdk(chargeapi.ChargingSession.create, **params)
        except chargeapi.PermissionDeniedError as error:
            outcomes[params["driver"]] = f"{error.status_code} {error.code}"
        else:
            outcomes[params["driver"]] = "charging"
    blocked = "403 policy_blocked"
    drivers = {d.id: d for d in sdk(chargeapi.Driver.list, limit=100).data}
    blocked_fleets = {drivers[d].fleets[0] for d, o in outcomes.items() if o == blocked}
    assert len(blocked_fleets) == 1  # the seeded cap is linked to one fleet
    for driver_id, outcome in outcomes.items():
        in_fleet = bool(set(drivers[driver_id].fleets) & blocked_fleets)
        assert outcome == (blocked if in_fleet else "charging")


def test_the_declining_test_card_raises_payment_required(sim: Simulator, sdk: SDK) -> None:
    card = {"number": "4000000000000002", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    method = sdk(chargeapi.PaymentMethod.create, type="card", card=card)
    params = {**sim.sample_session_params(), "payment_method": method.id}
    with pytest.raises(chargeapi.PaymentRequiredError) as declined:
        sdk(chargeapi.ChargingSession.create, **params)
    assert (declined.value.code, declined.value.param) == (
        "payment_authorization_failed",
        "payment_method",
    )


# -- drivers --------------------------------------------------------------------------------


def test_drivers_create_update_list_attach_detach(sdk: SDK) -> None:
    fleet_id = seeded_driver(sdk).fleets[0]
    driver = sdk(chargeapi.Driver.create, name="Mia Rossi", email="mia@example.com")
    assert (driver.status, driver.fleets, driver.vehicles) == ("active", (), ())
    changed = sdk(chargeapi.Driver.update, driver.id, phone="+390600000", metadata={"team": "b"})
    assert (changed.phone, dict(changed.metadata)) == ("+390600000", {"team": "b"})
    assert sdk(chargeapi.Driver.retrieve, driver.id) == changed
    attached = sdk(chargeapi.Driver.attach, driver.id, fleet=fleet_id)
    assert attached.fleets == (fleet_id,)
    assert driver.id in [d.id for d in sdk(chargeapi.Driver.list, fleet=fleet_id, limit=100).data]
    detached = sdk(chargeapi.Driver.detach, driver.id, fleet=fleet_id)
    assert detached.fleets == ()
    with pytest.raises(chargeapi.ConflictError) as conflict:
        sdk(chargeapi.Driver.detach, driver.id, fleet=fleet_id)
    assert conflict.value.code == "driver_fleet_conflict"
    expanded = sdk(
        chargeapi.Driver.retrieve,
        seeded_driver(sdk).id,
        expand=["preferences.default_payment_method"],
    )
    assert isinstance(expanded.preferences.default_payment_method, chargeapi.PaymentMethod)


# -- vehicles and telemetry -----------------------------------------------------------------


def test_vehicles_create_update_list_attach_detach(sdk: SDK) -> None:
    driver = seeded_driver(sdk)
    vehicle = sdk(
        chargeapi.Vehicle.create,
        vin="VF1AG000000000042",
        battery_capacity=52000,
        charging_standard="CCS",
        information={"make": "Renault", "model": "Zoe", "year": "2022"},
    )
    assert (vehicle.status, vehicle.telemetry, vehicle.drivers) == ("active", None, ())
    changed = sdk(chargeapi.Vehicle.update, vehicle.id, registration_plate="AB-123-CD")
    assert changed.registration_plate == "AB-123-CD"
    attached = sdk(chargeapi.Vehicle.attach, vehicle.id, driver=driver.id)
    assert attached.drivers == (driver.id,)
    assert vehicle.id in sdk(chargeapi.Driver.retrieve, driver.id).vehicles
    assert vehicle.id in [v.id for v in sdk(chargeapi.Vehicle.list, driver=driver.id).data]
    on_fleet = sdk(chargeapi.Vehicle.attach, vehicle.id, fleet=driver.fleets[0])
    assert on_fleet.fleet == driver.fleets[0]
    detached = sdk(chargeapi.Vehicle.detach, vehicle.id, driver=driver.id)
    assert detached.drivers == ()
    with pytest.raises(chargeapi.NotFoundError) as missing:
        sdk(chargeapi.VehicleTelemetry.retrieve, vehicle.id)
    assert missing.value.code == "vehicle_telemetry_not_found"


def test_telemetry_shows_the_battery_filling(sim: Simulator, sdk: SDK) -> None:
    params = sim.sample_session_params()
    before = sdk(chargeapi.VehicleTelemetry.retrieve, params["vehicle"])
    session = sdk(chargeapi.ChargingSession.create, **params)
    sim.advance(900)
    during = sdk(chargeapi.VehicleTelemetry.retrieve, params["vehicle"], expand=["vehicle"])
    assert isinstance(during.vehicle, chargeapi.Vehicle)
    assert during.battery.status == "charging"
    assert during.battery.level > before.battery.level
    assert during.battery.updated == sim.now
    sdk(chargeapi.ChargingSession.end, session.id)
    assert sdk(chargeapi.VehicleTelemetry.retrieve, params["vehicle"]).battery.status == "idle"


# -- policies -------------------------------------------------------------------------------


def test_policies_create_retrieve_update_list_delete(sdk: SDK) -> None:
    policy = sdk(
        chargeapi.Policy.create,
        mode="enforcement",
        name="Business Hours Policy",
        rules={
            "max_price_per_kwh": 25,
            "time_windows": [
                {"days_of_week": ["monday"], "start_time": "09:00", "end_time": "18:00"}
            ],
        },
    )
    assert (policy.status, policy.rules.max_price_per_kwh) == ("active", 25)
    assert sdk(chargeapi.Policy.retrieve, policy.id) == policy
    inactive = sdk(chargeapi.Policy.update, policy.id, status="inactive", description=None)
    assert inactive.status == "inactive"
    assert policy.id in [p.id for p in sdk(chargeapi.Policy.list, status="inactive").data]
    deleted = sdk(chargeapi.Policy.delete, policy.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (policy.id, "policy", True)
    with pytest.raises(chargeapi.NotFoundError):
        sdk(chargeapi.Policy.retrieve, policy.id)


# -- resources still landing on main ---------------------------------------------------------


def test_fleets(sdk: SDK) -> None:
    fleet = sdk(chargeapi.Fleet.create, name="Night Couriers")
    assert (fleet.total_drivers, fleet.total_vehicles, fleet.policy_ids) == (0, 0, ())
    changed = sdk(chargeapi.Fleet.update, fleet.id, description="Updated fleet description.")
    assert changed.description == "Updated fleet description."
    assert sdk(chargeapi.Fleet.retrieve, fleet.id) == changed
    assert fleet.id in [f.id for f in sdk(chargeapi.Fleet.list, status="active", limit=100).data]


def test_payment_methods(sdk: SDK) -> None:
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    method = sdk(chargeapi.PaymentMethod.create, type="card", card=card)
    assert (method.card.last4, method.card.brand) == ("4242", "visa")
    driver = seeded_driver(sdk)
    attached = sdk(chargeapi.PaymentMethod.attach, method.id, driver=driver.id)
    assert attached.driver == driver.id
    assert method.id in [m.id for m in sdk(chargeapi.PaymentMethod.list, driver=driver.id).data]
    detached = sdk(chargeapi.PaymentMethod.detach, method.id, driver=driver.id)
    assert detached.driver is None
    assert sdk(chargeapi.PaymentMethod.retrieve, method.id) == detached


def test_reservations(sim: Simulator, sdk: SDK) -> None:
    station = sdk(chargeapi.ChargingStation.list).data[0]
    driver = seeded_driver(sdk)
    reservation = sdk(
        chargeapi.Reservation.create,
        connector_type=[station.connectors[0].type],
        driver=driver.id,
        vehicle=driver.vehicles[0],
        ideal_start=sim.now + timedelta(hours=2),
        ideal_end=sim.now + timedelta(hours=3),
        location={
            "latitude": station.location.latitude,
            "longitude": station.location.longitude,
            "radius": 500,
        },
    )
    assert reservation.status == "pending"
    confirmed = sdk(chargeapi.Reservation.confirm, reservation.id)
    assert (confirmed.status, confirmed.charging_station) == ("confirmed", station.id)
    with pytest.raises(chargeapi.ConflictError) as conflict:
        sdk(chargeapi.Reservation.update, reservation.id, metadata={"a": "b"})
    assert conflict.value.code == "reservation_update_invalid_state"
    cancelled = sdk(chargeapi.Reservation.cancel, reservation.id)
    assert cancelled.status == "cancelled"
    assert reservation.id in [
        r.id for r in sdk(chargeapi.Reservation.list, status="cancelled").data
    ]


def test_invoices_and_transactions(sim: Simulator, sdk: SDK) -> None:
    params = sim.sample_session_params()
    session = sdk(chargeapi.ChargingSession.create, **params)
    sim.advance(600)
    ended = sdk(chargeapi.ChargingSession.end, session.id)
    charges = sdk(chargeapi.Transaction.list, driver=params["driver"]).data
    charge = next(t for t in charges if t.charging_session == session.id)
    assert (charge.type, charge.status, charge.amount) == ("charge", "succeeded", ended.amount_due)
    assert sdk(chargeapi.Transaction.retrieve, charge.id) == charge
    invoice = sdk(
        chargeapi.Invoice.create,
        period_start=sim.now - timedelta(hours=1),
        period_end=sim.now + timedelta(seconds=1),
    )
    assert (invoice.status, invoice.amount_due) == ("draft", ended.amount_due)
    invoice = sdk(chargeapi.Invoice.update, invoice.id, description="April")
    assert sdk(chargeapi.Invoice.finalize, invoice.id).status == "open"
    paid = sdk(chargeapi.Invoice.pay, invoice.id, payment_method=params["payment_method"])
    assert (paid.status, paid.amount_due, paid.amount_paid) == ("paid", 0, ended.amount_due)
    with pytest.raises(chargeapi.ConflictError) as conflict:
        sdk(chargeapi.Invoice.void, invoice.id)
    assert conflict.value.code == "invoice_void_invalid_state"
    assert invoice.id in [i.id for i in sdk(chargeapi.Invoice.list, status="paid").data]


def test_reports(sim: Simulator, sdk: SDK) -> None:
    report = sdk(
        chargeapi.Report.create,
        parameters={
            "type": "charging_summary",
            "period_start": sim.now - timedelta(days=30),
            "period_end": sim.now,
        },
    )
    assert (report.status, report.url) == ("pending", None)
    sim.advance(30)
    done = sdk(chargeapi.Report.retrieve, report.id)
    assert done.status == "succeeded"
    assert re.fullmatch(rf"https://api\.chargeapi\.co/files/reports/{report.id}\.csv", done.url)
    assert report.id in [r.id for r in sdk(chargeapi.Report.list, status="succeeded").data]


def test_estimations(sim: Simulator, sdk: SDK) -> None:
    params = sim.sample_session_params()
    estimation = sdk(
        chargeapi.Estimation.create,
        charging_station=params["charging_station"],
        vehicle=params["vehicle"],
        battery_level=20,
        battery_target_level=80,
    )
    assert estimation.estimated_total_cost == estimation.cost_breakdown[0].cost
    assert sdk(chargeapi.Estimation.retrieve, estimation.id) == estimation
    sim.advance(901)
    with pytest.raises(chargeapi.NotFoundError):
        sdk(chargeapi.Estimation.retrieve, estimation.id)


def test_accounts(sdk: SDK) -> None:
    account = sdk(chargeapi.Account.create, name="Example Account", type="business")
    changed = sdk(chargeapi.Account.update, account.id, metadata={"account_segment": "enterprise"})
    assert dict(changed.metadata) == {"account_segment": "enterprise"}
    assert sdk(chargeapi.Account.retrieve, account.id) == changed


def test_webhook_endpoints(sdk: SDK) -> None:
    endpoint = sdk(
        chargeapi.WebhookEndpoint.create,
        url="https://example.com/webhook/endpoint",
        enabled_events=["report.succeeded", "reservation.confirmed"],
    )
    assert endpoint.secret.startswith("whsec_")
    disabled = sdk(chargeapi.WebhookEndpoint.update, endpoint.id, status="disabled")
    assert disabled.status == "disabled"
    assert sdk(chargeapi.WebhookEndpoint.retrieve, endpoint.id) == disabled
    assert sdk(chargeapi.WebhookEndpoint.list).data[0].id == endpoint.id


# -- one operation per resource over HTTP ----------------------------------------------------


def test_each_served_resource_over_http(sim: Simulator, net_client: chargeapi.Client) -> None:
    station = chargeapi.ChargingStation.list(client=net_client).data[0]
    assert chargeapi.ChargingStation.retrieve(station.id, client=net_client) == station
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=net_client)
    assert chargeapi.ChargingSession.end(session.id, client=net_client).status == "completed"
    driver = chargeapi.Driver.create(name="Net", email="net@example.com", client=net_client)
    vehicle = chargeapi.Vehicle.list(client=net_client).data[0]
    attached = chargeapi.Vehicle.attach(vehicle.id, driver=driver.id, client=net_client)
    assert driver.id in attached.drivers
    telemetry = chargeapi.VehicleTelemetry.retrieve(vehicle.id, client=net_client)
    assert telemetry.vehicle == vehicle.id
    policy = chargeapi.Policy.list(client=net_client).data[0]
    assert chargeapi.Policy.retrieve(policy.id, client=net_client) == policy


@pytest.mark.parametrize(
    "kind",
    [
        "fleet",
        "payment_method",
        "reservation",
        "invoice",
        "transaction",
        "report",
        "webhook_endpoint",
    ],
)
def test_each_listed_resource_over_http(net_client: chargeapi.Client, kind: str) -> None:
    resource = getattr(chargeapi, RESOURCE_OF[kind])
    page = resource.list(client=net_client, limit=1)
    assert len(page.data) == 1
    assert page.data[0].object == kind
    assert resource.retrieve(page.data[0].id, client=net_client) == page.data[0]
    second = page.next_page()
    assert second is None or second.data[0].id != page.data[0].id


def test_accounts_and_estimations_over_http(sim: Simulator, net_client: chargeapi.Client) -> None:
    report = chargeapi.Report.list(client=net_client).data[0]
    account = chargeapi.Account.retrieve(report.account, client=net_client)
    assert account.id == report.account
    params = sim.sample_session_params()
    estimation = chargeapi.Estimation.create(
        charging_station=params["charging_station"],
        vehicle=params["vehicle"],
        battery_level=10,
        battery_target_level=90,
        client=net_client,
    )
    assert estimation.estimated_total_cost > 0


def test_a_report_file_is_served_by_the_simulator_over_http(
    sim: Simulator, server: Any, net_client: chargeapi.Client
) -> None:
    report = chargeapi.Report.create(
        parameters={
            "type": "charging_summary",
            "period_start": sim.now - timedelta(days=1),
            "period_end": sim.now + timedelta(days=1),
        },
        client=net_client,
    )
    sim.advance(30)
    done = chargeapi.Report.retrieve(report.id, client=net_client)
    assert done.url == f"{server.url}/files/reports/{report.id}.csv"
    file = httpx.get(done.url, timeout=5)
    assert (file.status_code, file.headers["content-type"]) == (200, "text/csv")
    assert file.text.splitlines()[0] == "vehicle,sessions,energy_wh,amount"
    assert len(file.content) == done.size


def test_chargeapi_retrieve_finds_every_listed_kind_by_its_prefix(
    client: chargeapi.Client,
) -> None:
    resources = (
        chargeapi.ChargingStation, chargeapi.Driver, chargeapi.Vehicle, chargeapi.Fleet,
        chargeapi.PaymentMethod, chargeapi.Policy, chargeapi.Reservation, chargeapi.Invoice,
        chargeapi.Transaction, chargeapi.Report, chargeapi.WebhookEndpoint,
    )  # fmt: skip
    for resource in resources:
        listed = resource.list(limit=1, client=client).data[0]
        assert chargeapi.retrieve(listed.id, client=client) == listed
        assert asyncio.run(chargeapi.retrieve_async(listed.id, client=client)) == listed
