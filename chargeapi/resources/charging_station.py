"""ChargingStation (``chst_``): where charging happens. Read-only in the API.

Units where the docs show only examples: a connector's ``power`` is kW, a pricing ``price`` is
minor currency units per kWh and ``step_size`` is Wh (150 kW and 42 eur-cents only make sense
that way).

List filters: the newer docs' filter table is cut; the older generation documents
``available``, ``destination`` (``"lat,lng"``, needs ``origin``), ``driver`` (the driver's
favourite stations) and ``latitude`` (needs ``longitude`` and ``radius``), and the newer docs do
not contradict them, so they are offered (its ``starting_after`` / ``ending_before`` are not: the
newer pagination replaces them). Their list is cut after ``limit``, so ``longitude``, ``origin``
and ``radius`` are known only by name: plain numbers and a ``"lat,lng"`` string, ``radius`` in
the unit the API uses (not documented).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Unpack

import attrs

from .._client import Client
from .._convert import json_name
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import Range
from ._ids import ChargingStationID, DriverID, Limit
from ._shared import Address, Location

__all__ = [
    "Availability",
    "AvailabilityRange",
    "Capabilities",
    "ChargingStation",
    "Connector",
    "ConnectorStatus",
    "OpeningHours",
    "Pricing",
]


class ConnectorStatus(StrEnum):
    AVAILABLE = "available"
    OCCUPIED = "occupied"


@attrs.frozen(kw_only=True)
class OpeningHours(ChargeObject):
    """One opening slot: ``day`` like ``"mon"``, local times like ``"08:00"``."""

    day: str
    from_: str = attrs.field(metadata=json_name("from"))
    until: str


@attrs.frozen(kw_only=True)
class AvailabilityRange(ChargeObject):
    """A forecast window in which connectors are expected to be free."""

    from_: datetime = attrs.field(metadata=json_name("from"))
    until: datetime


@attrs.frozen(kw_only=True)
class Availability(ChargeObject):
    connectors_available: int
    connectors_total: int
    opening_hours: tuple[OpeningHours, ...] = ()
    range: tuple[AvailabilityRange, ...] = ()


@attrs.frozen(kw_only=True)
class Capabilities(ChargeObject):
    """``access_24_7`` is the JSON field ``24_7_access``."""

    access_24_7: bool = attrs.field(metadata=json_name("24_7_access"))
    amenities: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    requires_membership: bool = False
    reservable: bool = False


@attrs.frozen(kw_only=True)
class Connector(ChargeObject):
    """A plug: ``id`` like ``connector_a1``, ``power`` in kW, ``type`` like ``CCS``."""

    id: str
    power: int | float
    status: ConnectorStatus | str
    type: str


@attrs.frozen(kw_only=True)
class Pricing(ChargeObject):
    """``price`` in minor currency units per kWh, billed in steps of ``step_size`` Wh."""

    currency: str
    price: int
    step_size: int
    tax: str | None = None
    type: str


@operation("GET", "/v1/charging_stations/{charging_station}")
def _retrieve(
    id: ChargingStationID, *, client: Client | None = None, **options: Unpack[RequestOptions]
) -> Call[ChargingStation]:
    """Retrieve a charging station with its live connector status and availability."""
    return Call(locals())


@operation(
    "GET",
    "/v1/charging_stations",
    requires={
        "latitude": ("longitude", "radius"),
        "longitude": ("latitude",),
        "radius": ("latitude",),
        "destination": ("origin",),
    },
)
def _list(
    *,
    available: bool | None = None,
    destination: str | None = None,
    driver: DriverID | None = None,
    latitude: Annotated[float, Range(-90, 90)] | None = None,
    longitude: Annotated[float, Range(-180, 180)] | None = None,
    origin: str | None = None,
    radius: float | None = None,
    limit: Limit | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[ChargingStation]:
    """List charging stations; iterate the result for every station of every page.

    ``available`` keeps stations with at least one free connector; ``driver`` those the driver
    marked favourite; ``latitude``, ``longitude`` and ``radius`` (together) those around a
    point; ``origin`` and ``destination`` (``"lat,lng"``) recommend stations along a route.
    """
    return ListCall(locals())


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_list_sync = sync(_list)
_list_async = asynchronous(_list)


@resource("charging_station")
@attrs.frozen(kw_only=True)
class ChargingStation(ChargeObject):
    """A charging station with its connectors, pricing and availability."""

    id: str
    object: Literal["charging_station"] = "charging_station"
    address: Address
    availability: Availability
    capabilities: Capabilities
    connectors: tuple[Connector, ...]
    created: datetime
    location: Location
    name: str | None = None
    operator: str | None = None
    operator_contact: str | None = None
    pricing: tuple[Pricing, ...]
    status: str
    updated: datetime

    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    list = _list_sync
    list_async = _list_async
