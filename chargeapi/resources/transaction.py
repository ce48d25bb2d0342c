"""Transaction (``txn_``): a finalized financial event of charging activity.

It is also the payload of the ``charge.succeeded`` webhook. There is no create endpoint.

Where the docs are silent: the expand table is cut inside the Transaction row after
``charging_session``; the SDK types ``driver``, ``fleet``, ``payment_method`` and ``vehicle`` as
expandable too, as they are on charging sessions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from ._ids import DriverID, Expand, FleetID, Limit, TransactionID
from .charging_session import ChargingSession
from .driver import Driver
from .fleet import Fleet
from .payment_method import PaymentMethod
from .vehicle import Vehicle

__all__ = ["Transaction", "TransactionStatus", "TransactionType"]


class TransactionStatus(StrEnum):
    """Whether the transaction went through."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"


class TransactionType(StrEnum):
    """What kind of money movement it is."""

    CHARGE = "charge"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"


@operation("GET", "/v1/transactions/{transaction}")
def _retrieve(
    id: TransactionID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Transaction]:
    """Retrieve a transaction; ``expand`` e.g. ``charging_session``."""
    return Call(locals())


@operation("GET", "/v1/transactions")
def _list(
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Transaction]:
    """List transactions, newest first, optionally of one driver or fleet."""
    return ListCall(locals())


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_list_sync = sync(_list)
_list_async = asynchronous(_list)


@resource("transaction")
@attrs.frozen(kw_only=True)
class Transaction(ChargeObject):
    """A transaction; ``amount`` is in minor currency units."""

    id: str
    """Unique identifier (``txn_...``)."""
    object: Literal["transaction"] = "transaction"
    """Always ``"transaction"``."""
    amount: int
    """The amount in minor currency units (negative for a refund)."""
    charging_session: str | ChargingSession | None = None
    """The session it is for (ID, or object when expanded), or None. Nullable though the docs
    list it plainly: an ``adjustment`` (a wallet top-up) belongs to no session."""
    created: datetime
    """When the transaction was made (aware UTC)."""
    currency: str
    """ISO 4217 currency, lowercase."""
    description: str | None = None
    """What it was for, or None: the docs call it optional."""
    driver: str | Driver | None = None
    """The driver (ID, or object when expanded), or None: only "if any"."""
    fleet: str | Fleet | None = None
    """The fleet (ID, or object when expanded), or None: only "if any"."""
    payment_method: str | PaymentMethod | None = None
    """The payment method (ID, or object when expanded), or None: only "if any"."""
    status: TransactionStatus | str
    """``succeeded``, ``failed`` or ``pending``."""
    type: TransactionType | str
    """``charge``, ``refund`` or ``adjustment``."""
    vehicle: str | Vehicle | None = None
    """The vehicle (ID, or object when expanded), or None: only "if any"."""

    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    list = _list_sync
    list_async = _list_async
