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
    ENFORCEMENT = "enforcement"  # enforced when a charging session starts
    SUGGESTION = "suggestion"  # recommendations only, never blocks a session


class PolicyStatus(StrEnum):
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
    center: Location | None = None
    name: str | None = None
    radius_meters: int | float | None = None  # kept as sent: the docs show 1500


@attrs.frozen(kw_only=True)
class TimeWindow(ChargeObject):
    """``days_of_week`` are day names (``"monday"``); times are ``"HH:MM"``."""

    days_of_week: tuple[str, ...] = ()
    end_time: str | None = None
    start_time: str | None = None


@attrs.frozen(kw_only=True)
class PolicyRules(ChargeObject):
    """``max_price_per_kwh`` is in minor currency units, like every amount."""

    allowed_operators: tuple[str, ...] = ()
    denied_operators: tuple[str, ...] = ()
    geofences: tuple[Geofence, ...] = ()
    max_price_per_kwh: int | None = None
    time_windows: tuple[TimeWindow, ...] = ()


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
    object: Literal["policy"] = "policy"
    created: datetime | None = None
    description: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict[str, str], hash=False)
    mode: PolicyMode | str
    name: str
    rules: PolicyRules
    status: PolicyStatus | str | None = None

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
