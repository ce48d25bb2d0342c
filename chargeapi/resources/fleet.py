"""Fleet (``flt_``): drivers, vehicles and billing grouped under one operational unit.

Where the docs are silent: create takes the documented ``name``, ``email``, ``timezone``,
``metric_system``, ``preferences``, ``metadata`` plus the object's ``address`` and
``description`` (the update example changes the description); update takes the create
parameters. A fleet's statuses, billing cycles and report frequencies are not listed in the
docs (the examples show ``active``, ``monthly``, ``weekly``), so those stay plain strings.
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
from ._ids import DriverID, Expand, FleetID, Limit, PaymentMethodID, VehicleID
from ._shared import Address, AddressParams

if TYPE_CHECKING:
    from .payment_method import PaymentMethod

__all__ = [
    "Fleet",
    "FleetMetricSystem",
    "FleetPreferences",
    "FleetPreferencesParams",
]


class FleetMetricSystem(StrEnum):
    """A fleet's units (an account's ``metric_system`` uses other names)."""

    INTERNATIONAL_SYSTEM = "international_system"
    US_CUSTOMARY_SYSTEM = "us_customary_system"
    IMPERIAL_SYSTEM = "imperial_system"


FleetMetricSystems = Literal["international_system", "us_customary_system", "imperial_system"]


class FleetPreferencesParams(TypedDict, total=False):
    """``preferences=`` of create and update."""

    billing_cycle: str
    default_currency: str
    default_payment_method: PaymentMethodID | None
    notifications: bool
    report_frequency: str


@operation("POST", "/v1/fleets")
def _create(
    *,
    name: str,
    address: AddressParams | None = None,
    description: str | None = None,
    email: str | None = None,
    metadata: Metadata | None = None,
    metric_system: FleetMetricSystems | None = None,
    preferences: FleetPreferencesParams | None = None,
    timezone: str | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Fleet]:
    """Create a fleet; ``timezone`` is an IANA name (``Europe/Paris``)."""
    return Call(locals())


@operation("GET", "/v1/fleets/{fleet}")
def _retrieve(
    id: FleetID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Fleet]:
    """Retrieve a fleet; ``expand`` may name ``preferences.default_payment_method``."""
    return Call(locals())


@operation("POST", "/v1/fleets/{fleet}")
def _update(
    id: FleetID,
    *,
    name: str | NotGiven = NOT_GIVEN,
    address: AddressParams | NotGiven = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
    email: str | NotGiven | None = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    metric_system: FleetMetricSystems | NotGiven = NOT_GIVEN,
    preferences: FleetPreferencesParams | NotGiven = NOT_GIVEN,
    timezone: str | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Fleet]:
    """Update a fleet: parameters you leave out keep their values; ``None`` clears a field."""
    return Call(locals())


@operation("GET", "/v1/fleets")
def _list(
    *,
    status: str | None = None,
    driver: DriverID | None = None,
    vehicle: VehicleID | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Fleet]:
    """List fleets, optionally by status (``active``) or those of one driver or vehicle."""
    return ListCall(locals())


@attrs.frozen(kw_only=True)
class FleetPreferences(ChargeObject):
    """Billing, notification and reporting preferences of a fleet."""

    billing_cycle: str
    """How often the fleet is billed, e.g. ``"monthly"``."""
    default_currency: str
    """Default currency, ISO 4217 lowercase."""
    default_payment_method: str | PaymentMethod | None = None
    """The payment method used by default (expandable), or None: null in the docs' example."""
    notifications: bool
    """Whether notifications are sent."""
    report_frequency: str
    """How often reports are generated, e.g. ``"weekly"``."""


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


@resource("fleet")
@attrs.frozen(kw_only=True)
class Fleet(ChargeObject):
    """Aggregates are documented units: ``total_energy_consumed_kwh`` is kWh (a float, the one
    exception to integer Wh), ``wallet_balance`` minor currency units."""

    id: str
    """Unique identifier (``flt_...``)."""
    object: Literal["fleet"] = "fleet"
    """Always ``"fleet"``."""
    address: Address
    """Headquarters or billing address."""
    created: datetime
    """When the fleet was created (aware UTC)."""
    description: str | None = None
    """An optional internal description; null in the docs' example."""
    email: str | None = None
    """Contact email, or None: the docs call the contact fields nullable."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    metric_system: FleetMetricSystem | str
    """Units: ``international_system``, ``us_customary_system`` or ``imperial_system``."""
    name: str
    """The fleet's name."""
    phone: str | None = None
    """Contact phone, or None: nullable in the docs (null in the example)."""
    policy_ids: tuple[str, ...]
    """IDs of the policies applied to the fleet."""
    preferences: FleetPreferences
    """Billing, notification and reporting preferences."""
    status: str
    """The fleet's status, e.g. ``"active"`` (the docs list no values)."""
    timezone: str
    """IANA time zone, e.g. ``"Europe/Paris"``."""
    total_drivers: int
    """How many drivers belong to the fleet."""
    total_energy_consumed_kwh: float
    """Energy consumed by the fleet's sessions, in kWh (a float)."""
    total_sessions: int
    """How many charging sessions the fleet has had."""
    total_vehicles: int
    """How many vehicles belong to the fleet."""
    updated: datetime
    """When the fleet last changed (aware UTC)."""
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
