"""ChargingSession (``cs_``): one vehicle charging at one connector, and its bill.

Operations: create (starts power delivery), retrieve, list, end. Where the docs are silent the
SDK assumes ``POST /v1/charging_sessions/{id}/end`` with an empty JSON body, like every other
action (``POST /v1/<resource>/{id}/<action>``).

The list's ``created`` range filter is documented by name only: its sub-parameter syntax is cut
from the docs, so it is not offered rather than sent in a guessed, undocumented shape. Like every
list, ``page`` is not a parameter: pages are followed through ``next_page_url`` as returned.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import Range, Token
from .._wait import Lifecycle
from ._ids import (
    ChargingSessionID,
    ChargingStationID,
    DriverID,
    Expand,
    FleetID,
    Limit,
    PaymentMethodID,
    VehicleID,
)
from .charging_station import ChargingStation
from .driver import Driver
from .fleet import Fleet
from .payment_method import PaymentMethod
from .vehicle import Vehicle

__all__ = ["ChargingSession", "ChargingSessionCreateParams", "ChargingSessionStatus"]


class ChargingSessionCreateParams(TypedDict):
    """The required ``create()`` parameters as one typed dict: ``create(**params)`` type-checks."""

    charging_station: str
    connector: str
    driver: str
    payment_method: str
    vehicle: str


class ChargingSessionStatus(StrEnum):
    """The state of a charging session."""

    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


SessionStatus = Literal["active", "completed", "cancelled", "failed"]


@operation("POST", "/v1/charging_sessions")
def _create(
    *,
    charging_station: ChargingStationID,
    connector: Token,
    driver: DriverID,
    payment_method: PaymentMethodID,
    vehicle: VehicleID,
    session_limit: Annotated[int, Range(1, 2**53 - 1)] | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[ChargingSession]:
    """Start a session: power flows on ``connector`` until it is ended or the limit is hit.

    ``session_limit`` (Wh) stops charging automatically. Retries reuse one Idempotency-Key
    (yours, or a fresh uuid4), so a network failure can never start two sessions.
    """
    return Call(locals())


@operation("GET", "/v1/charging_sessions/{charging_session}")
def _retrieve(
    id: ChargingSessionID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[ChargingSession]:
    """Retrieve a session; ``expand`` any of ``charging_station``, ``driver``, ``fleet``,
    ``payment_method``, ``vehicle``."""
    return Call(locals())


@operation("GET", "/v1/charging_sessions")
def _list(
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    vehicle: VehicleID | None = None,
    status: SessionStatus | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[ChargingSession]:
    """List sessions, newest first; iterate the result for every session of every page."""
    return ListCall(locals())


@operation("POST", "/v1/charging_sessions/{charging_session}/end")
def _end(
    id: ChargingSessionID,
    *,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[ChargingSession]:
    """Stop power delivery and finalize billing; returns the ``completed`` session."""
    return Call(locals())


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_list_sync = sync(_list)
_list_async = asynchronous(_list)
_end_sync = on_object(sync(_end))
_end_async = on_object(asynchronous(_end))


# wait_until: nothing follows a terminal status (the docs' lifecycle), so it ends a wait.
_wait_until_sync, _wait_until_async = Lifecycle[SessionStatus](
    SessionStatus, terminal=("completed", "cancelled", "failed")
).waiters(_retrieve)


@resource("charging_session")
@attrs.frozen(kw_only=True)
class ChargingSession(ChargeObject):
    """The operational and billing record of a vehicle charging at a station.

    Amounts are integer minor currency units (cents), energy is integer Wh. Expandable fields
    hold an ID string, or the full object when requested with ``expand``.
    """

    id: str
    """Unique identifier (``cs_...``)."""
    object: Literal["charging_session"] = "charging_session"
    """Always ``"charging_session"``."""
    amount_due: int
    """Total cost in minor currency units (cents)."""
    amount_paid: int
    """Amount already paid, in minor currency units."""
    charging_station: str | ChargingStation
    """The station used: its ID, or the object when expanded."""
    connector: str
    """ID of the connector used, e.g. ``"connector_a1"``."""
    country: str | None
    """Where the session took place (ISO 3166-1 alpha-2), or None: ``string | null``."""
    created: datetime
    """When the session was created (aware UTC)."""
    currency: str
    """ISO 4217 currency, lowercase (``"eur"``)."""
    driver: str | Driver
    """The driver: their ID, or the object when expanded."""
    energy_consumed: int
    """Energy delivered so far, in Wh."""
    fleet: str | Fleet | None
    """The fleet (ID, or object when expanded), or None: a fleet only "if any"."""
    payment_method: str | PaymentMethod
    """The payment method billed: its ID, or the object when expanded."""
    session_ended: datetime | None
    """When the session ended, or None until it has completed (``string | null``)."""
    session_limit: int | None = None  # the docs' list example leaves it out
    """The energy limit in Wh that stops the session, or None (``integer | null``)."""
    session_started: datetime
    """When power delivery started (aware UTC)."""
    status: ChargingSessionStatus | str
    """``active``, ``completed``, ``cancelled`` or ``failed``."""
    updated: datetime
    """When the session last changed (aware UTC)."""
    vehicle: str | Vehicle
    """The vehicle: its ID, or the object when expanded."""

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    list = _list_sync
    list_async = _list_async
    end = _end_sync
    end_async = _end_async
    wait_until = _wait_until_sync
    wait_until_async = _wait_until_async
