"""A user's code calling policy, vehicle, vehicle telemetry, fleet, payment method and account
operations, checked by ``mypy --strict`` and ``pyright`` (strict) in CI, never run.

``assert_type`` pins every result; each ``# type: ignore[...]`` line is a mistake a checker must
catch (both checkers report unused ignores, so an ignore that stops being needed fails too).
"""

from __future__ import annotations

from typing import assert_type

import chargeapi
from chargeapi import NOT_GIVEN, Client

POL = "pol_BAmcmCVnWzqSlC5BFWKtpgHsOAo22N9N"


def policy_sync(client: Client) -> None:
    rules: chargeapi.PolicyRulesParams = {
        "max_price_per_kwh": 25,
        "geofences": [{"center": {"latitude": 48.8, "longitude": 2.3}, "radius_meters": 1500}],
        "time_windows": [{"days_of_week": ["monday"], "start_time": "09:00", "end_time": "18:00"}],
    }
    created = chargeapi.Policy.create(
        mode="enforcement", name="Hours", rules=rules, metadata={"a": "b"}, client=client
    )
    assert_type(created, chargeapi.Policy)
    assert_type(created.mode, chargeapi.PolicyMode | str)
    assert_type(created.rules.geofences, tuple[chargeapi.Geofence, ...])
    assert_type(chargeapi.Policy.retrieve(POL, client=client), chargeapi.Policy)
    updated = chargeapi.Policy.update(
        POL, description=None, status="inactive", name=NOT_GIVEN, client=client
    )
    assert_type(updated, chargeapi.Policy)
    assert_type(chargeapi.Policy.list(status="active", limit=5), chargeapi.Page[chargeapi.Policy])
    deleted = chargeapi.Policy.delete(POL, client=client)
    assert_type(deleted, chargeapi.DeletedObject)
    assert_type(deleted.deleted, bool)

    chargeapi.Policy.create(mode="enforcement", name=1, rules={})  # type: ignore[arg-type]
    chargeapi.Policy.create(mode="enforcement", name="Hours")  # type: ignore[call-arg]
    chargeapi.Policy.create(mode="enforce", name="Hours", rules={})  # type: ignore[arg-type]
    chargeapi.Policy.create(mode="suggestion", name="H", rules={"max_price": 2})  # type: ignore[typeddict-unknown-key]
    chargeapi.Policy.list(status="actve")  # type: ignore[arg-type]
    chargeapi.Policy.delete(POL, idempotency_key="k")  # type: ignore[call-arg]


async def policy_async(client: Client) -> None:
    created = await chargeapi.Policy.create_async(
        mode="suggestion", name="Hours", rules={}, client=client
    )
    assert_type(created, chargeapi.Policy)
    assert_type(await chargeapi.Policy.retrieve_async(POL, client=client), chargeapi.Policy)
    assert_type(await chargeapi.Policy.update_async(POL, mode="suggestion"), chargeapi.Policy)
    async for policy in chargeapi.Policy.list_async(status="inactive", client=client):
        assert_type(policy, chargeapi.Policy)
    assert_type(await chargeapi.Policy.list_async(), chargeapi.AsyncPage[chargeapi.Policy])
    assert_type(await chargeapi.Policy.delete_async(POL), chargeapi.DeletedObject)
    await chargeapi.Policy.update_async(POL, status="on")  # type: ignore[arg-type]


VEH = "veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H"
DRV = "drv_FoGRbA1xhCCfIK7CrlcN5aExVR13Qjc3"
FLT = "flt_uKWbgmcY1aNWVFxhxTNYNTLZro9tz4p2"


def vehicle_sync(client: Client) -> None:
    information: chargeapi.VehicleInformationParams = {"make": "Volvo", "year": "2025"}
    created = chargeapi.Vehicle.create(
        vin="YV1XZK5V0S1234567",
        battery_capacity=82000,
        charging_standard="CHAdeMO",
        information=information,
        client=client,
    )
    assert_type(created, chargeapi.Vehicle)
    assert_type(created.battery_capacity, int)
    assert_type(created.status, chargeapi.VehicleStatus | str)
    assert_type(created.charging_standard, chargeapi.ChargingStandard | str)
    assert_type(created.fleet, str | chargeapi.Fleet | None)
    vehicle = chargeapi.Vehicle.retrieve(VEH, expand=["fleet"], client=client)
    assert_type(vehicle, chargeapi.Vehicle)
    assert_type(chargeapi.Vehicle.update(VEH, status="retired", metadata={}), chargeapi.Vehicle)
    assert_type(chargeapi.Vehicle.list(driver=DRV, limit=3), chargeapi.Page[chargeapi.Vehicle])
    assert_type(chargeapi.Vehicle.attach(VEH, fleet=FLT, client=client), chargeapi.Vehicle)
    assert_type(chargeapi.Vehicle.detach(VEH, driver=DRV), chargeapi.Vehicle)

    chargeapi.Vehicle.create(vin="V", battery_capacity="82 kWh", charging_standard="CCS")  # type: ignore[arg-type]
    chargeapi.Vehicle.create(vin="V", battery_capacity=82000)  # type: ignore[call-arg]
    chargeapi.Vehicle.create(vin="V", battery_capacity=1, charging_standard="ccs")  # type: ignore[arg-type]
    chargeapi.Vehicle.update(VEH, status="activ")  # type: ignore[arg-type]
    chargeapi.Vehicle.update(VEH, information={"brand": "Volvo"})  # type: ignore[arg-type]
    chargeapi.Vehicle.attach(driver=DRV)  # type: ignore[call-arg]


async def vehicle_async(client: Client) -> None:
    created = await chargeapi.Vehicle.create_async(
        vin="YV1XZK5V0S1234567", battery_capacity=82000, charging_standard="Type2", client=client
    )
    assert_type(created, chargeapi.Vehicle)
    assert_type(await chargeapi.Vehicle.retrieve_async(VEH), chargeapi.Vehicle)
    assert_type(await chargeapi.Vehicle.update_async(VEH, battery_capacity=1), chargeapi.Vehicle)
    async for vehicle in chargeapi.Vehicle.list_async(fleet=FLT, expand="fleet"):
        assert_type(vehicle, chargeapi.Vehicle)
    assert_type(await chargeapi.Vehicle.list_async(), chargeapi.AsyncPage[chargeapi.Vehicle])
    assert_type(await chargeapi.Vehicle.attach_async(VEH, driver=DRV), chargeapi.Vehicle)
    assert_type(await chargeapi.Vehicle.detach_async(VEH, fleet=FLT), chargeapi.Vehicle)
    await chargeapi.Vehicle.attach_async(VEH, fleet=7)  # type: ignore[arg-type]


def vehicle_telemetry_sync(client: Client) -> None:
    telemetry = chargeapi.VehicleTelemetry.retrieve(VEH, expand="vehicle", client=client)
    assert_type(telemetry, chargeapi.VehicleTelemetry)
    assert_type(telemetry.battery, chargeapi.TelemetryBattery)
    assert_type(telemetry.vehicle, str | chargeapi.Vehicle)
    assert_type(chargeapi.VehicleTelemetry.retrieve(vehicle_id=VEH), chargeapi.VehicleTelemetry)

    chargeapi.VehicleTelemetry.retrieve(82000)  # type: ignore[arg-type]
    chargeapi.VehicleTelemetry.retrieve()  # type: ignore[call-arg]
    chargeapi.VehicleTelemetry.retrieve(id=VEH)  # type: ignore[call-arg]


async def vehicle_telemetry_async(client: Client) -> None:
    telemetry = await chargeapi.VehicleTelemetry.retrieve_async(VEH, client=client)
    assert_type(telemetry, chargeapi.VehicleTelemetry)
    assert_type(telemetry.odometer, chargeapi.TelemetryOdometer)
    await chargeapi.VehicleTelemetry.retrieve_async(VEH, expand=1)  # type: ignore[arg-type]


PM = "pm_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3"


def fleet_sync(client: Client) -> None:
    address: chargeapi.AddressParams = {"city": "Paris", "country": "FR"}
    preferences: chargeapi.FleetPreferencesParams = {"default_payment_method": PM}
    created = chargeapi.Fleet.create(
        name="Example Fleet",
        address=address,
        metric_system="us_customary_system",
        preferences=preferences,
        client=client,
    )
    assert_type(created, chargeapi.Fleet)
    assert_type(created.metric_system, chargeapi.FleetMetricSystem | str)
    assert_type(created.total_energy_consumed_kwh, float)
    fleet = chargeapi.Fleet.retrieve(FLT, expand="preferences.default_payment_method")
    assert_type(fleet, chargeapi.Fleet)
    assert_type(fleet.preferences.default_payment_method, str | chargeapi.PaymentMethod | None)
    assert_type(chargeapi.Fleet.update(FLT, email=None, timezone="UTC"), chargeapi.Fleet)
    assert_type(chargeapi.Fleet.list(status="active", driver=DRV), chargeapi.Page[chargeapi.Fleet])

    chargeapi.Fleet.create(name="F", address={"zip": "75002"})  # type: ignore[arg-type]
    chargeapi.Fleet.create(email="fleet@example.com")  # type: ignore[call-arg]
    chargeapi.Fleet.create(name="F", metric_system="metric")  # type: ignore[arg-type]
    chargeapi.Fleet.update(FLT, name=None)  # type: ignore[arg-type]
    chargeapi.Fleet.list(vehicle=3)  # type: ignore[arg-type]


async def fleet_async(client: Client) -> None:
    assert_type(await chargeapi.Fleet.create_async(name="F", client=client), chargeapi.Fleet)
    assert_type(await chargeapi.Fleet.retrieve_async(FLT), chargeapi.Fleet)
    assert_type(await chargeapi.Fleet.update_async(FLT, description=None), chargeapi.Fleet)
    async for fleet in chargeapi.Fleet.list_async(vehicle=VEH):
        assert_type(fleet, chargeapi.Fleet)
    assert_type(await chargeapi.Fleet.list_async(), chargeapi.AsyncPage[chargeapi.Fleet])
    await chargeapi.Fleet.update_async(FLT, metric_system="imperial")  # type: ignore[arg-type]


def payment_method_sync(client: Client) -> None:
    card: chargeapi.CardParams = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030}
    billing: chargeapi.BillingDetailsParams = {"name": "Example", "address": {"country": "FR"}}
    created = chargeapi.PaymentMethod.create(
        type="card", card=card, billing_details=billing, client=client
    )
    assert_type(created, chargeapi.PaymentMethod)
    assert_type(created.type, chargeapi.PaymentMethodType | str)
    assert_type(created.card, chargeapi.Card | None)
    assert_type(created.bank_account, chargeapi.BankAccount | None)
    assert_type(created.driver, str | chargeapi.Driver | None)
    retrieved = chargeapi.PaymentMethod.retrieve(PM, driver=DRV, expand=["driver", "fleet"])
    assert_type(retrieved, chargeapi.PaymentMethod)
    update: chargeapi.CardUpdateParams = {"exp_year": 2031}
    bank: chargeapi.BankAccountUpdateParams = {"currency": "eur"}
    assert_type(
        chargeapi.PaymentMethod.update(PM, card=update, bank_account=bank), chargeapi.PaymentMethod
    )
    page = chargeapi.PaymentMethod.list(fleet=FLT, type="wallet", limit=2, client=client)
    assert_type(page, chargeapi.Page[chargeapi.PaymentMethod])
    assert_type(chargeapi.PaymentMethod.attach(PM, driver=DRV), chargeapi.PaymentMethod)
    assert_type(chargeapi.PaymentMethod.detach(PM, fleet=FLT), chargeapi.PaymentMethod)

    chargeapi.PaymentMethod.create(type="card", card="4242424242424242")  # type: ignore[arg-type]
    wrong: chargeapi.CardParams = {"number": 4242, "exp_month": 1, "exp_year": 2030}  # type: ignore[typeddict-item]
    partial: chargeapi.CardParams = {"exp_month": 1, "exp_year": 2030}  # type: ignore[typeddict-item]
    chargeapi.PaymentMethod.create(card=card)  # type: ignore[call-arg]
    chargeapi.PaymentMethod.create(type="credit_card", card=card)  # type: ignore[arg-type]
    chargeapi.PaymentMethod.list(type="cards")  # type: ignore[arg-type]
    chargeapi.PaymentMethod.update(PM, card={"number": "4242424242424242"})  # type: ignore[arg-type]
    chargeapi.PaymentMethod.retrieve(PM, DRV)  # type: ignore[call-arg]
    chargeapi.PaymentMethod.create(type="card", card=wrong if DRV else partial)


async def payment_method_async(client: Client) -> None:
    created = await chargeapi.PaymentMethod.create_async(type="wallet", client=client)
    assert_type(created, chargeapi.PaymentMethod)
    assert_type(await chargeapi.PaymentMethod.retrieve_async(PM), chargeapi.PaymentMethod)
    assert_type(
        await chargeapi.PaymentMethod.update_async(PM, billing_details={"email": "a@b.c"}),
        chargeapi.PaymentMethod,
    )
    async for payment_method in chargeapi.PaymentMethod.list_async(driver=DRV):
        assert_type(payment_method, chargeapi.PaymentMethod)
    first = await chargeapi.PaymentMethod.list_async()
    assert_type(first, chargeapi.AsyncPage[chargeapi.PaymentMethod])
    assert_type(await chargeapi.PaymentMethod.attach_async(PM, fleet=FLT), chargeapi.PaymentMethod)
    assert_type(await chargeapi.PaymentMethod.detach_async(PM, driver=DRV), chargeapi.PaymentMethod)
    await chargeapi.PaymentMethod.detach_async(PM, driver=["drv_a"])  # type: ignore[arg-type]


ACCT = "acct_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv"


def account_sync(client: Client) -> None:
    preferences: chargeapi.AccountPreferencesParams = {"reporting_enabled": True}
    created = chargeapi.Account.create(
        name="Example", type="individual", metric_system="imperial", preferences=preferences
    )
    assert_type(created, chargeapi.Account)
    assert_type(created.type, chargeapi.AccountType | str)
    assert_type(created.metric_system, chargeapi.AccountMetricSystem | str)
    assert_type(created.contact, chargeapi.AccountContact)
    account = chargeapi.Account.retrieve(ACCT, expand="preferences.default_payment_method")
    assert_type(account, chargeapi.Account)
    assert_type(account.preferences.default_payment_method, str | chargeapi.PaymentMethod | None)
    assert_type(chargeapi.Account.update(ACCT, metadata={}, client=client), chargeapi.Account)
    chargeapi.Account.update(ACCT, metadata=None)  # type: ignore[arg-type]  # never null

    chargeapi.Account.create(wallet_balance=100)  # type: ignore[call-arg]
    chargeapi.Account.create(type="company")  # type: ignore[arg-type]
    chargeapi.Account.create(email=["a@example.com"])  # type: ignore[arg-type]
    chargeapi.Account.update(ACCT, metric_system="international_system")  # type: ignore[arg-type]
    chargeapi.Account.retrieve()  # type: ignore[call-arg]


async def account_async(client: Client) -> None:
    created = await chargeapi.Account.create_async(email="a@example.com", client=client)
    assert_type(created, chargeapi.Account)
    assert_type(await chargeapi.Account.retrieve_async(ACCT), chargeapi.Account)
    assert_type(await chargeapi.Account.update_async(ACCT, plan="professional"), chargeapi.Account)
    await chargeapi.Account.update_async(ACCT, type="business", name=None)  # type: ignore[arg-type]
