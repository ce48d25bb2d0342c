"""Vehicle (``veh_``): an EV with its battery, connector standard and links.

Where the docs are silent (the newer docs show only list and update; create and attach come
from the older ones): retrieve is ``GET /v1/vehicles/{vehicle}`` and detach mirrors attach
(``POST /v1/vehicles/{vehicle}/detach`` with exactly one of ``driver`` or ``fleet``), like the
payment method's; ``expand`` is offered for the documented ``fleet`` relation
(``vehicle.fleet``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven
from ._ids import DriverID, Expand, FleetID, Limit, VehicleID

if TYPE_CHECKING:
    from .fleet import Fleet

__all__ = [
    "ChargingStandard",
    "Vehicle",
    "VehicleInformation",
    "VehicleInformationParams",
    "VehicleStatus",
]


class VehicleStatus(StrEnum):
    """A vehicle's status."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


class ChargingStandard(StrEnum):
    """A connector standard."""

    CCS = "CCS"
    CHADEMO = "CHAdeMO"
    TYPE2 = "Type2"


ChargingStandards = Literal["CCS", "CHAdeMO", "Type2"]
VehicleStatuses = Literal["active", "inactive", "retired"]


class VehicleInformationParams(TypedDict, total=False):
    """``information=``: the manufacturer's details, all strings (``"year": "2025"``)."""

    make: str
    model: str
    year: str


@operation("POST", "/v1/vehicles")
def _create(
    *,
    vin: str,
    battery_capacity: int,
    charging_standard: ChargingStandards,
    information: VehicleInformationParams | None = None,
    registration_plate: str | None = None,
    metadata: Metadata | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Vehicle]:
    """Create a vehicle; ``battery_capacity`` in Wh."""
    return Call(locals())


@operation("GET", "/v1/vehicles/{vehicle}")
def _retrieve(
    id: VehicleID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Vehicle]:
    """Retrieve a vehicle; ``expand`` may name ``fleet``."""
    return Call(locals())


@operation("POST", "/v1/vehicles/{vehicle}")
def _update(
    id: VehicleID,
    *,
    battery_capacity: int | NotGiven = NOT_GIVEN,
    charging_standard: ChargingStandards | NotGiven = NOT_GIVEN,
    information: VehicleInformationParams | NotGiven = NOT_GIVEN,
    registration_plate: str | NotGiven = NOT_GIVEN,
    status: VehicleStatuses | NotGiven = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Vehicle]:
    """Update a vehicle: parameters you leave out keep their values; ``None`` clears a field."""
    return Call(locals())


@operation("GET", "/v1/vehicles")
def _list(
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Vehicle]:
    """List vehicles, optionally those of one driver or fleet; iterate for every page."""
    return ListCall(locals())


@operation("POST", "/v1/vehicles/{vehicle}/attach", exactly_one=("driver", "fleet"))
def _attach(
    id: VehicleID,
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Vehicle]:
    """Attach a vehicle to a driver or to a fleet (exactly one of them)."""
    return Call(locals())


@operation("POST", "/v1/vehicles/{vehicle}/detach", exactly_one=("driver", "fleet"))
def _detach(
    id: VehicleID,
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Vehicle]:
    """Detach a vehicle from a driver or from a fleet (exactly one of them)."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class VehicleInformation(ChargeObject):
    """The manufacturer's details, all strings (``"year": "2025"``)."""

    make: str
    """The manufacturer, e.g. ``"Volvo"``."""
    model: str
    """The model, e.g. ``"EX30"``."""
    year: str
    """The model year, as a string (``"2025"``)."""


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_update_sync = on_object(sync(_update))
_update_async = on_object(asynchronous(_update))
_list_sync = sync(_list)
_list_async = asynchronous(_list)
_attach_sync = on_object(sync(_attach))
_attach_async = on_object(asynchronous(_attach))
_detach_sync = on_object(sync(_detach))
_detach_async = on_object(asynchronous(_detach))


@resource("vehicle")
@attrs.frozen(kw_only=True)
class Vehicle(ChargeObject):
    """``battery_capacity`` is in Wh; ``telemetry`` is the ID of its VehicleTelemetry, if any."""

    id: str
    """Unique identifier (``veh_...``)."""
    object: Literal["vehicle"] = "vehicle"
    """Always ``"vehicle"``."""
    battery_capacity: int
    """Total battery capacity in Wh."""
    charging_standard: ChargingStandard | str
    """``CCS``, ``CHAdeMO`` or ``Type2``."""
    created: datetime
    """When the vehicle was created (aware UTC)."""
    drivers: tuple[str, ...]
    """IDs of the vehicle's drivers."""
    fleet: str | Fleet | None = None
    """The fleet (ID, or object when expanded), or None: ``string | null``, "if any"."""
    information: VehicleInformation
    """The manufacturer's details."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    policy_ids: tuple[str, ...]
    """IDs of the policies applied to the vehicle."""
    registration_plate: str
    """Licence plate or registration number."""
    status: VehicleStatus | str
    """``active``, ``inactive`` or ``retired``."""
    telemetry: str | None = None
    """ID of the vehicle's telemetry (``vtel_...``), or None: only "if any"."""
    updated: datetime
    """When the vehicle last changed (aware UTC)."""
    vin: str
    """Vehicle Identification Number."""

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    update = _update_sync
    update_async = _update_async
    list = _list_sync
    list_async = _list_async
    attach = _attach_sync
    attach_async = _attach_async
    detach = _detach_sync
    detach_async = _detach_async
