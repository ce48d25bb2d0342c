"""VehicleTelemetry (``vtel_``): a connected vehicle's latest battery, location and odometer.

It has one operation, ``VehicleTelemetry.retrieve(vehicle_id)``: ``GET
/v1/vehicles/{vehicle}/telemetry`` takes the *vehicle's* ID (``veh_``), not a ``vtel_`` one, so
``chargeapi.retrieve("vtel_...")`` does not reach it, and ``telemetry.refresh()`` retrieves the
latest telemetry of the object's ``vehicle``. Where the docs are silent: ``vehicle`` is
expandable, as the older docs show (``expand=vehicle``); the battery status and odometer unit
enums are cut short in the docs, so both stay plain strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Unpack

import attrs

from .._client import Client
from .._exceptions import InvalidParameterError
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, asynchronous, on_object, operation, resource, sync
from ._ids import Expand, VehicleID
from ._shared import Location
from .vehicle import Vehicle

__all__ = ["TelemetryBattery", "TelemetryLocation", "TelemetryOdometer", "VehicleTelemetry"]


@operation("GET", "/v1/vehicles/{vehicle}/telemetry")
def _retrieve(
    vehicle_id: VehicleID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[VehicleTelemetry]:
    """The latest telemetry of a vehicle (an error if it has none); ``expand`` may name
    ``vehicle``."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class TelemetryBattery(ChargeObject):
    """``capacity`` in Wh, ``level`` in percent (0-100), ``range`` (estimated remaining driving
    range) in meters, ``temperature`` in degrees Celsius."""

    capacity: int
    """Battery capacity in Wh."""
    level: float
    """Charge level in percent (0-100)."""
    range: float
    """Estimated remaining driving range in metres."""
    status: str
    """The battery's state, e.g. ``"charging"`` (the docs' list of values is cut short)."""
    temperature: float
    """Battery temperature in degrees Celsius."""
    updated: datetime
    """When these values were read (aware UTC)."""


@attrs.frozen(kw_only=True)
class TelemetryLocation(Location):
    """GPS coordinates in decimal degrees, and when they were read."""

    updated: datetime
    """When the position was read (aware UTC)."""


@attrs.frozen(kw_only=True)
class TelemetryOdometer(ChargeObject):
    """``value`` in ``unit`` (``"KMS"``; the docs' list of units is cut short)."""

    unit: str
    """The unit of ``value``, e.g. ``"KMS"``."""
    updated: datetime
    """When the odometer was read (aware UTC)."""
    value: float
    """Distance driven, in ``unit``."""


def _vehicle_id(telemetry: VehicleTelemetry) -> str:
    """The ID of the vehicle a telemetry object belongs to: what ``refresh()`` retrieves by."""
    # Typed non-null, but an answer decoded leniently may have left it out (None).
    vehicle: object = telemetry.vehicle
    if isinstance(vehicle, str):
        return vehicle
    if isinstance(vehicle, Vehicle):
        return vehicle.id
    raise InvalidParameterError(
        "this VehicleTelemetry does not name its vehicle, so it cannot be refreshed; "
        "call VehicleTelemetry.retrieve(vehicle_id)",
        param="vehicle_id",
    )


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call). ``retrieve`` stays on the class only: it takes a vehicle ID.
_retrieve_sync = sync(_retrieve)
_retrieve_async = asynchronous(_retrieve)
_refresh_sync = on_object(_retrieve_sync, _vehicle_id)
_refresh_async = on_object(_retrieve_async, _vehicle_id)


@resource("vehicle_telemetry")
@attrs.frozen(kw_only=True)
class VehicleTelemetry(ChargeObject):
    """Near-real-time data of a connected vehicle; ``vehicle`` is the vehicle it belongs to."""

    id: str
    """Unique identifier (``vtel_...``)."""
    object: Literal["vehicle_telemetry"] = "vehicle_telemetry"
    """Always ``"vehicle_telemetry"``."""
    battery: TelemetryBattery
    """Battery capacity, level, range, status and temperature."""
    firmware_version: str
    """The vehicle's firmware version, e.g. ``"v1.2.3"``."""
    location: TelemetryLocation
    """Where the vehicle is."""
    odometer: TelemetryOdometer
    """Distance driven."""
    vehicle: str | Vehicle
    """The vehicle: its ID, or the object when expanded."""

    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _refresh_sync
    refresh_async = _refresh_async
