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
    assert_type(created.charging_standard, chargeapi.ChargingStandard | str | None)
    assert_type(created.fleet, str | chargeapi.Fleet | None)
    vehicle = chargeapi.Vehicle.retrieve(VEH, expand=["fleet"], client=client)
    assert_type(vehicle, chargeapi.Vehicle)
    assert_type(chargeapi.Vehicle.update(VEH, status="retired", metadata=None), chargeapi.Vehicle)
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
    assert_type(telemetry.battery, chargeapi.TelemetryBattery | None)
    assert_type(telemetry.vehicle, str | chargeapi.Vehicle | None)
    assert_type(chargeapi.VehicleTelemetry.retrieve(vehicle_id=VEH), chargeapi.VehicleTelemetry)

    chargeapi.VehicleTelemetry.retrieve(82000)  # type: ignore[arg-type]
    chargeapi.VehicleTelemetry.retrieve()  # type: ignore[call-arg]
    chargeapi.VehicleTelemetry.retrieve(id=VEH)  # type: ignore[call-arg]


async def vehicle_telemetry_async(client: Client) -> None:
    telemetry = await chargeapi.VehicleTelemetry.retrieve_async(VEH, client=client)
    assert_type(telemetry, chargeapi.VehicleTelemetry)
    assert_type(telemetry.odometer, chargeapi.TelemetryOdometer | None)
    await chargeapi.VehicleTelemetry.retrieve_async(VEH, expand=1)  # type: ignore[arg-type]
