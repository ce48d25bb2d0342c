"""Driver (``drv_``): a person who charges, with preferences and fleet memberships.

Create's parameters and which are required (``name``, ``email``) come from the older docs
generation; the newer one does not contradict them. Its older preference names
(``charging_notifications``, ``payment_method``, ``preferred_stations``) are not offered: the
newer object renames them. Where the docs are silent: update takes the create parameters (the
docs show only ``phone``); a driver's ``status`` cannot be set through the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven
from ._ids import (
    ChargingStationID,
    DriverID,
    Expand,
    FleetID,
    Limit,
    PaymentMethodID,
    VehicleID,
)

if TYPE_CHECKING:
    from .payment_method import PaymentMethod

__all__ = ["Driver", "DriverPreferences", "DriverPreferencesParams", "DriverStatus"]


class DriverStatus(StrEnum):
    """A driver's status."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class DriverPreferencesParams(TypedDict, total=False):
    """``preferences=`` of create and update; ``max_price_per_kwh`` in minor currency units."""

    charging_speed: str
    currency: str
    default_payment_method: PaymentMethodID | None
    max_price_per_kwh: int | None
    notifications: bool
    preferred_charging_stations: Sequence[ChargingStationID]
    preferred_cpos: Sequence[str]


@operation("POST", "/v1/drivers")
def _create(
    *,
    name: str,
    email: str,
    phone: str | None = None,
    license_number: str | None = None,
    preferences: DriverPreferencesParams | None = None,
    metadata: Metadata | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Driver]:
    """Create a driver (``POST /v1/drivers``)."""
    return Call(locals())


@operation("GET", "/v1/drivers/{driver}")
def _retrieve(
    id: DriverID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Driver]:
    """Retrieve a driver; ``expand`` may name ``preferences.default_payment_method``."""
    return Call(locals())


@operation("POST", "/v1/drivers/{driver}")
def _update(
    id: DriverID,
    *,
    name: str | NotGiven = NOT_GIVEN,
    email: str | NotGiven = NOT_GIVEN,
    phone: str | NotGiven | None = NOT_GIVEN,
    license_number: str | NotGiven | None = NOT_GIVEN,
    preferences: DriverPreferencesParams | NotGiven = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Driver]:
    """Update a driver: parameters you leave out keep their values; ``None`` clears a field."""
    return Call(locals())


@operation("GET", "/v1/drivers")
def _list(
    *,
    fleet: FleetID | None = None,
    vehicle: VehicleID | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Driver]:
    """List drivers, optionally those of one fleet or vehicle; iterate for every page."""
    return ListCall(locals())


@operation("POST", "/v1/drivers/{driver}/attach")
def _attach(
    id: DriverID,
    *,
    fleet: FleetID,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Driver]:
    """Attach a driver to a fleet: it then shows in that fleet's sessions and transactions."""
    return Call(locals())


@operation("POST", "/v1/drivers/{driver}/detach")
def _detach(
    id: DriverID,
    *,
    fleet: FleetID,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Driver]:
    """Detach a driver from a fleet; the driver stays in Charge and can be attached again."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class DriverPreferences(ChargeObject):
    """Charging behaviour and routing; ``max_price_per_kwh`` in minor currency units."""

    charging_speed: str
    """Preferred charging speed, e.g. ``"fast"``."""
    currency: str
    """Preferred currency, ISO 4217 lowercase."""
    default_payment_method: str | PaymentMethod | None = None
    """The payment method used by default (expandable), or None: nullable in the docs."""
    max_price_per_kwh: int | None = None
    """The highest price accepted, minor currency units per kWh, or None: nullable in the
    docs."""
    notifications: bool
    """Whether the driver gets notifications."""
    preferred_charging_stations: tuple[str, ...]
    """IDs of favourite stations (``chst_...``)."""
    preferred_cpos: tuple[str, ...]
    """IDs of preferred charge point operators."""


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


@resource("driver")
@attrs.frozen(kw_only=True)
class Driver(ChargeObject):
    """A driver; ``wallet_balance`` is in minor currency units."""

    id: str
    """Unique identifier (``drv_...``)."""
    object: Literal["driver"] = "driver"
    """Always ``"driver"``."""
    created: datetime
    """When the driver was created (aware UTC)."""
    email: str
    """Email address, for login and notifications."""
    fleets: tuple[str, ...]
    """IDs of the fleets the driver belongs to."""
    license_number: str | None = None
    """Driving licence or certification number, or None: ``string | null``."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    name: str
    """Full name."""
    phone: str | None = None
    """Phone number, for communication and account recovery, or None: ``string | null``."""
    policy_ids: tuple[str, ...]
    """IDs of the policies applied to the driver."""
    preferences: DriverPreferences
    """Charging behaviour and routing preferences."""
    status: DriverStatus | str
    """``active``, ``suspended`` or ``archived``."""
    updated: datetime
    """When the driver last changed (aware UTC)."""
    vehicles: tuple[str, ...]
    """IDs of the driver's vehicles."""
    wallet_balance: int
    """Prepaid balance in minor currency units (cents)."""

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
