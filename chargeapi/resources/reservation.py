"""Reservation (``res_``): a driver's intent to charge within a time window and an area.

New reservations are ``pending``; about 30 minutes before the window Charge assigns a station and
locks a connector (``confirmed``), or gives up (``failed`` with ``failed_reason``).

Where the docs are silent: the ``connector_type`` values are the connector standards the docs
list for vehicles (``CCS``, ``CHAdeMO``, ``Type2``); ``location`` needs ``latitude`` and
``longitude``, ``radius`` may be left out; update takes the create parameters (the docs show only
``ideal_start``); confirm's ``payment_method`` is optional (not marked required). Create's
required parameters and its optional ``earliest_start``, ``latest_end``, ``metadata`` and
``payment_method`` come from the older docs generation (the newer example sends the required six);
their UNIX-second timestamps do not: every timestamp is sent as RFC 3339, as the newer docs say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven, Timestamp
from .._wait import Lifecycle
from ._ids import (
    ChargingStationID,
    DriverID,
    Expand,
    Limit,
    PaymentMethodID,
    ReservationID,
    VehicleID,
)
from .charging_station import ChargingStation
from .driver import Driver
from .payment_method import PaymentMethod
from .vehicle import Vehicle

__all__ = [
    "Reservation",
    "ReservationCancellationPolicy",
    "ReservationConnectorType",
    "ReservationFailedReason",
    "ReservationLocation",
    "ReservationLocationParams",
    "ReservationStatus",
]

#: An acceptable connector standard (``connector_type=["CCS"]``).
ReservationConnectorType = Literal["CCS", "CHAdeMO", "Type2"]
_Status = Literal["pending", "confirmed", "completed", "cancelled", "failed", "expired"]


class ReservationStatus(StrEnum):
    """Where a reservation is in its life."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"
    EXPIRED = "expired"


class ReservationFailedReason(StrEnum):
    """Why a reservation failed."""

    NO_AVAILABLE_CONNECTORS = "no_available_connectors"
    PAYMENT_FAILED = "payment_failed"
    OTHER = "other"


class _LocationCenter(TypedDict):
    latitude: float
    longitude: float


class ReservationLocationParams(_LocationCenter, total=False):
    """``location=``: the search area, decimal degrees and a radius (``1500`` in the docs)."""

    radius: float


@operation("POST", "/v1/reservations")
def _create(
    *,
    connector_type: Sequence[ReservationConnectorType],
    driver: DriverID,
    ideal_end: Timestamp,
    ideal_start: Timestamp,
    location: ReservationLocationParams,
    vehicle: VehicleID,
    earliest_start: Timestamp | None = None,
    latest_end: Timestamp | None = None,
    metadata: Metadata | None = None,
    payment_method: PaymentMethodID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Reservation]:
    """Reserve a connector for ``vehicle`` around ``ideal_start``-``ideal_end`` near
    ``location``; the reservation starts ``pending``."""
    return Call(locals())


@operation("GET", "/v1/reservations/{reservation}")
def _retrieve(
    id: ReservationID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Reservation]:
    """Retrieve a reservation; ``expand`` any of ``charging_station``, ``driver``,
    ``payment_method``, ``vehicle`` (and ``vehicle.fleet``)."""
    return Call(locals())


@operation("POST", "/v1/reservations/{reservation}")
def _update(
    id: ReservationID,
    *,
    connector_type: Sequence[ReservationConnectorType] | NotGiven = NOT_GIVEN,
    driver: DriverID | NotGiven = NOT_GIVEN,
    ideal_end: Timestamp | NotGiven = NOT_GIVEN,
    ideal_start: Timestamp | NotGiven = NOT_GIVEN,
    location: ReservationLocationParams | NotGiven = NOT_GIVEN,
    vehicle: VehicleID | NotGiven = NOT_GIVEN,
    earliest_start: Timestamp | NotGiven | None = NOT_GIVEN,
    latest_end: Timestamp | NotGiven | None = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    payment_method: PaymentMethodID | NotGiven | None = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Reservation]:
    """Update a reservation that is not yet confirmed: parameters you leave out keep their
    values; ``None`` clears a nullable one."""
    return Call(locals())


@operation("GET", "/v1/reservations")
def _list(
    *,
    status: _Status | None = None,
    driver: DriverID | None = None,
    vehicle: VehicleID | None = None,
    charging_station: ChargingStationID | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Reservation]:
    """List reservations, newest first; iterate the result for every page."""
    return ListCall(locals())


@operation("POST", "/v1/reservations/{reservation}/confirm")
def _confirm(
    id: ReservationID,
    *,
    payment_method: PaymentMethodID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Reservation]:
    """Assign a station and lock a connector now (Charge does it ~30 minutes before the window);
    the result is ``confirmed``, or ``failed`` with ``failed_reason``."""
    return Call(locals())


@operation("POST", "/v1/reservations/{reservation}/cancel")
def _cancel(
    id: ReservationID,
    *,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Reservation]:
    """Cancel a ``pending`` or ``confirmed`` reservation; the cancellation policy may still
    charge a fee."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class ReservationLocation(ChargeObject):
    """The search area: decimal degrees and a radius (unit not documented; ``1500``)."""

    latitude: float
    """Latitude of the area's center."""
    longitude: float
    """Longitude of the area's center."""
    radius: float
    """The area's radius, e.g. ``1500`` (metres; the docs give no unit)."""


@attrs.frozen(kw_only=True)
class ReservationCancellationPolicy(ChargeObject):
    """``type`` such as ``free_cancellation``; ``free_until_before`` e.g. ``1800`` (the docs
    give no unit)."""

    type: str
    """The kind of policy, e.g. ``"free_cancellation"``."""
    free_until_before: int
    """Cancelling is free until this long before the window, e.g. ``1800`` (seconds; the docs
    give no unit)."""


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
_confirm_sync = on_object(sync(_confirm))
_confirm_async = on_object(asynchronous(_confirm))
_cancel_sync = on_object(sync(_cancel))
_cancel_async = on_object(asynchronous(_cancel))


# wait_until: nothing follows a terminal status (the docs' lifecycle), so it ends a wait.
_wait_until_sync, _wait_until_async = Lifecycle[_Status](
    _Status, terminal=("completed", "cancelled", "failed", "expired")
).waiters(_retrieve)


@resource("reservation")
@attrs.frozen(kw_only=True)
class Reservation(ChargeObject):
    """A reservation; ``reservation_fee`` is in minor currency units. ``charging_station`` and
    ``reserved_*`` are null until it is confirmed."""

    id: str
    """Unique identifier (``res_...``)."""
    object: Literal["reservation"] = "reservation"
    """Always ``"reservation"``."""
    cancellation_policy: ReservationCancellationPolicy
    """What cancelling costs, and until when it is free."""
    charging_station: str | ChargingStation | None = None
    """The assigned station (ID, or object when expanded), or None until it is confirmed."""
    confirmed_at: datetime | None = None
    """When it became ``confirmed``, or None before (set only then)."""
    connector_type: tuple[str, ...]
    """Acceptable connector types, e.g. ``("CCS",)``."""
    created: datetime
    """When the reservation was made (aware UTC)."""
    currency: str
    """Currency of the fee, ISO 4217 lowercase."""
    driver: str | Driver
    """The driver: their ID, or the object when expanded."""
    earliest_start: datetime | None = None
    """The earliest acceptable start, or None: nullable in the docs."""
    failed_reason: ReservationFailedReason | str | None = None
    """Why it failed (``no_available_connectors``, ``payment_failed``, ``other``), or None
    unless it has failed."""
    ideal_end: datetime
    """End of the window the driver asked for."""
    ideal_start: datetime
    """Start of the window the driver asked for."""
    latest_end: datetime | None = None
    """The latest acceptable end, or None: nullable in the docs."""
    location: ReservationLocation
    """The area to charge in."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    payment_method: str | PaymentMethod | None = None
    """The payment method for the fee (ID, or object when expanded), or None. Nullable though
    the docs' example fills it: create's ``payment_method`` is optional and nullable, and
    confirm sets it."""
    reservation_fee: int
    """The fee in minor currency units."""
    reserved_end: datetime | None = None
    """End of the window reserved, or None while it is pending."""
    reserved_start: datetime | None = None
    """Start of the window reserved, or None while it is pending."""
    status: ReservationStatus | str
    """``pending``, ``confirmed``, ``completed``, ``cancelled``, ``failed`` or ``expired``."""
    updated: datetime
    """When the reservation last changed (aware UTC)."""
    vehicle: str | Vehicle
    """The vehicle: its ID, or the object when expanded."""

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
    confirm = _confirm_sync
    confirm_async = _confirm_async
    cancel = _cancel_sync
    cancel_async = _cancel_async
    wait_until = _wait_until_sync
    wait_until_async = _wait_until_async
