"""Policy (``pol_``): rules that restrict charging, or only suggest, for fleets, drivers and
vehicles (linked through their ``policy_ids``).

Where the docs are silent (they show create as ``mode``, ``name``, ``rules`` only): create also
takes the object's other writable fields ``description`` and ``metadata``; update takes every
create parameter plus ``status`` (only active policies are evaluated); the ID placeholder is
``{policy}``, like every other resource's; ``days_of_week`` are the lowercase English day names
of the docs' example; latitude and longitude are checked to lie on the globe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven, Range
from ._ids import Limit, PolicyID
from ._shared import DeletedObject, Location

__all__ = [
    "Geofence",
    "GeofenceParams",
    "Policy",
    "PolicyMode",
    "PolicyRules",
    "PolicyRulesParams",
    "PolicyStatus",
    "TimeWindow",
    "TimeWindowParams",
]


class PolicyMode(StrEnum):
    """How a policy applies."""

    ENFORCEMENT = "enforcement"  # enforced when a charging session starts
    SUGGESTION = "suggestion"  # recommendations only, never blocks a session


class PolicyStatus(StrEnum):
    """Only active policies are evaluated."""

    ACTIVE = "active"
    INACTIVE = "inactive"


PolicyModes = Literal["enforcement", "suggestion"]
PolicyStatuses = Literal["active", "inactive"]
DayOfWeek = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class CenterParams(TypedDict):
    """A geofence's center in decimal degrees."""

    latitude: Annotated[float, Range(-90, 90)]
    longitude: Annotated[float, Range(-180, 180)]


class GeofenceParams(TypedDict, total=False):
    """An area where charging is permitted: ``radius_meters`` around ``center``."""

    center: CenterParams
    name: str
    radius_meters: float


class TimeWindowParams(TypedDict, total=False):
    """When charging is permitted; times are ``"HH:MM"`` (``"09:00"`` to ``"18:00"``)."""

    days_of_week: Sequence[DayOfWeek]
    end_time: str
    start_time: str


class PolicyRulesParams(TypedDict, total=False):
    """``rules=`` of create and update; ``max_price_per_kwh`` in minor currency units."""

    allowed_operators: Sequence[str]
    denied_operators: Sequence[str]
    geofences: Sequence[GeofenceParams]
    max_price_per_kwh: int
    time_windows: Sequence[TimeWindowParams]


@operation("POST", "/v1/policies")
def _create(
    *,
    mode: PolicyModes,
    name: str,
    rules: PolicyRulesParams,
    description: str | None = None,
    metadata: Metadata | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Policy]:
    """Create a policy; ``enforcement`` blocks sessions that break its rules, ``suggestion``
    only recommends."""
    return Call(locals())


@operation("GET", "/v1/policies/{policy}")
def _retrieve(
    id: PolicyID, *, client: Client | None = None, **options: Unpack[RequestOptions]
) -> Call[Policy]:
    """Retrieve a policy."""
    return Call(locals())


@operation("POST", "/v1/policies/{policy}")
def _update(
    id: PolicyID,
    *,
    mode: PolicyModes | NotGiven = NOT_GIVEN,
    name: str | NotGiven = NOT_GIVEN,
    rules: PolicyRulesParams | NotGiven = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    status: PolicyStatuses | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Policy]:
    """Update a policy: parameters you leave out keep their values; ``None`` clears a field."""
    return Call(locals())


@operation("GET", "/v1/policies")
def _list(
    *,
    status: PolicyStatuses | None = None,
    limit: Limit | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Policy]:
    """List the account's policies, optionally only active or inactive ones."""
    return ListCall(locals())


@operation("DELETE", "/v1/policies/{policy}")
def _delete(
    id: PolicyID, *, client: Client | None = None, **options: Unpack[RequestOptions]
) -> Call[DeletedObject]:
    """Delete a policy, permanently: it stops applying at once."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class Geofence(ChargeObject):
    """An area where charging is permitted: ``radius_meters`` around ``center``."""

    center: Location
    """The area's center."""
    name: str
    """The area's name, e.g. ``"Example Zone"``."""
    radius_meters: float
    """The area's radius in metres."""


@attrs.frozen(kw_only=True)
class TimeWindow(ChargeObject):
    """When charging is permitted: ``days_of_week`` are day names (``"monday"``); times are
    ``"HH:MM"``."""

    days_of_week: tuple[str, ...]
    """The days it applies to, e.g. ``("monday", "tuesday")``."""
    end_time: str
    """End time, ``"HH:MM"``."""
    start_time: str
    """Start time, ``"HH:MM"``."""


@attrs.frozen(kw_only=True)
class PolicyRules(ChargeObject):
    """What a policy allows; ``max_price_per_kwh`` is in minor currency units."""

    allowed_operators: tuple[str, ...]
    """Operator IDs charging is permitted with (empty: any)."""
    denied_operators: tuple[str, ...]
    """Operator IDs charging is forbidden with."""
    geofences: tuple[Geofence, ...]
    """Areas where charging is permitted (empty: anywhere)."""
    max_price_per_kwh: int | None = None
    """The highest price allowed, minor currency units per kWh, or None when the policy sets
    no cap: create's rules may leave it out (the docs' example is filled)."""
    time_windows: tuple[TimeWindow, ...]
    """When charging is permitted (empty: any time)."""


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
_delete_sync = on_object(sync(_delete))
_delete_async = on_object(asynchronous(_delete))


@resource("policy")
@attrs.frozen(kw_only=True)
class Policy(ChargeObject):
    """Rules for charging; only ``active`` policies are evaluated."""

    id: str
    """Unique identifier (``pol_...``)."""
    object: Literal["policy"] = "policy"
    """Always ``"policy"``."""
    created: datetime
    """When the policy was created (aware UTC)."""
    description: str | None = None
    """An optional description; nullable in the docs."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    mode: PolicyMode | str
    """``enforcement`` (blocks sessions that break the rules) or ``suggestion`` (only
    recommends)."""
    name: str
    """The policy's name."""
    rules: PolicyRules
    """What the policy allows."""
    status: PolicyStatus | str
    """``active`` or ``inactive``; only active policies are evaluated."""

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
    delete = _delete_sync
    delete_async = _delete_async
