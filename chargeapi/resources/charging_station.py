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
    """Whether a connector is free."""

    AVAILABLE = "available"
    OCCUPIED = "occupied"


@attrs.frozen(kw_only=True)
class OpeningHours(ChargeObject):
    """One opening slot: ``day`` like ``"mon"``, local times like ``"08:00"``."""

    day: str
    """The day, e.g. ``"mon"``."""
    from_: str = attrs.field(metadata=json_name("from"))
    """Opening time, ``"HH:MM"`` (the JSON field ``from``)."""
    until: str
    """Closing time, ``"HH:MM"``."""


@attrs.frozen(kw_only=True)
class AvailabilityRange(ChargeObject):
    """A forecast window in which connectors are expected to be free."""

    from_: datetime = attrs.field(metadata=json_name("from"))
    """Start of the window (the JSON field ``from``)."""
    until: datetime
    """End of the window."""


@attrs.frozen(kw_only=True)
class Availability(ChargeObject):
    """Real-time and forecast availability."""

    connectors_available: int
    """Connectors free right now."""
    connectors_total: int
    """Connectors the station has."""
    opening_hours: tuple[OpeningHours, ...]
    """When the station is open (empty when it always is)."""
    range: tuple[AvailabilityRange, ...]
    """Forecast windows with free connectors."""


@attrs.frozen(kw_only=True)
class Capabilities(ChargeObject):
    """``access_24_7`` is the JSON field ``24_7_access``."""

    access_24_7: bool = attrs.field(metadata=json_name("24_7_access"))
    """Open around the clock (the JSON field ``24_7_access``)."""
    amenities: tuple[str, ...]
    """Amenities on site, e.g. ``"cafe"``, ``"wifi"``."""
    payment_methods: tuple[str, ...]
    """Accepted means of payment, e.g. ``"credit_card"``, ``"rfid"``."""
    requires_membership: bool
    """Whether charging needs a membership."""
    reservable: bool
    """Whether connectors can be reserved."""


@attrs.frozen(kw_only=True)
class Connector(ChargeObject):
    """A plug: ``id`` like ``connector_a1``, ``power`` in kW, ``type`` like ``CCS``."""

    id: str
    """The connector's ID within its station, e.g. ``"connector_a1"``."""
    power: float
    """Maximum power in kW (``150``; a fractional 7.4 too)."""
    status: ConnectorStatus | str
    """``available`` or ``occupied``."""
    type: str
    """The plug standard, e.g. ``"CCS"``."""


@attrs.frozen(kw_only=True)
class Pricing(ChargeObject):
    """``price`` in minor currency units per kWh, billed in steps of ``step_size`` Wh."""

    currency: str
    """ISO 4217 currency, lowercase."""
    price: int
    """Minor currency units per kWh."""
    step_size: int
    """Billing step in Wh."""
    tax: str
    """The tax applied, e.g. ``"vat"``."""
    type: str
    """What is priced, e.g. ``"ENERGY"``."""


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
    """Unique identifier (``chst_...``)."""
    object: Literal["charging_station"] = "charging_station"
    """Always ``"charging_station"``."""
    address: Address
    """Where the station is."""
    availability: Availability
    """Real-time and forecast availability."""
    capabilities: Capabilities
    """Service features."""
    connectors: tuple[Connector, ...]
    """The station's plugs, with their live status."""
    created: datetime
    """When the station was added (aware UTC)."""
    location: Location
    """GPS coordinates."""
    name: str | None = None
    """A user-facing name, or None: the docs call it optional."""
    operator: str
    """The operator or network running the station."""
    operator_contact: str
    """How to reach the operator, e.g. a support email."""
    pricing: tuple[Pricing, ...]
    """Pricing components."""
    status: str
    """The station's status, e.g. ``"active"`` (the docs list no values)."""
    updated: datetime
    """When the station last changed (aware UTC)."""

    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    list = _list_sync
    list_async = _list_async
