"""Invoice (``inv_``): what a period's charging cost, from ``draft`` to ``open`` to ``paid``.

A new invoice is a ``draft`` whose line items come from the period's transactions; ``finalize``
locks it (``open``), ``pay`` settles it, ``void`` makes it non-payable.

Where the docs are silent: update takes the create parameters (the docs show ``description``);
the expand table is cut before Invoice, so ``fleet`` and ``payment_method`` are typed as
expandable like everywhere else and ``expand`` is offered; the list ``status`` filter (documented
by the older generation only, not contradicted by the newer) takes every documented status: the
object's (``overdue`` is newer) and the older filter's ``uncollectible``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Literal, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven, Timestamp
from .._wait import Lifecycle
from ._ids import Expand, FleetID, InvoiceID, Limit, PaymentMethodID
from .fleet import Fleet
from .payment_method import PaymentMethod

__all__ = ["Invoice", "InvoiceLineItem", "InvoiceStatus"]

_Status = Literal["draft", "open", "paid", "overdue", "void", "uncollectible"]


class InvoiceStatus(StrEnum):
    """Where an invoice is in its life: draft, then open, then paid (or void)."""

    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    OVERDUE = "overdue"
    VOID = "void"


@operation("POST", "/v1/invoices")
def _create(
    *,
    period_start: Timestamp,
    period_end: Timestamp,
    fleet: FleetID | None = None,
    currency: str | None = None,
    description: str | None = None,
    metadata: Metadata | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Create a ``draft`` invoice for ``period_start`` (inclusive) to ``period_end``
    (exclusive); ``currency`` defaults to the account's."""
    return Call(locals())


@operation("GET", "/v1/invoices/{invoice}")
def _retrieve(
    id: InvoiceID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Retrieve an invoice; a draft's totals may change until it is finalized."""
    return Call(locals())


@operation("POST", "/v1/invoices/{invoice}")
def _update(
    id: InvoiceID,
    *,
    period_start: Timestamp | NotGiven = NOT_GIVEN,
    period_end: Timestamp | NotGiven = NOT_GIVEN,
    fleet: FleetID | NotGiven = NOT_GIVEN,
    currency: str | NotGiven = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Update an editable (draft) invoice: parameters you leave out keep their values;
    ``None`` clears a nullable one."""
    return Call(locals())


@operation("GET", "/v1/invoices")
def _list(
    *,
    fleet: FleetID | None = None,
    status: _Status | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[Invoice]:
    """List invoices, newest first; iterate the result for every page."""
    return ListCall(locals())


@operation("POST", "/v1/invoices/{invoice}/finalize")
def _finalize(
    id: InvoiceID,
    *,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Lock the line items and compute the totals: ``draft`` becomes ``open``."""
    return Call(locals())


@operation("POST", "/v1/invoices/{invoice}/pay")
def _pay(
    id: InvoiceID,
    *,
    payment_method: PaymentMethodID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Pay an open invoice with ``payment_method``, or the account's default one."""
    return Call(locals())


@operation("POST", "/v1/invoices/{invoice}/void")
def _void(
    id: InvoiceID,
    *,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Invoice]:
    """Void an open invoice: it can no longer be paid or updated."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class InvoiceLineItem(ChargeObject):
    """One line of an invoice; ``amount`` and ``unit_amount`` are in minor currency units."""

    amount: int
    """The line's total in minor currency units (``quantity * unit_amount``)."""
    description: str
    """What the line is for, e.g. ``"Charging sessions for March 2026"``."""
    quantity: int
    """How many units."""
    unit_amount: int
    """Price of one unit in minor currency units."""


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
_finalize_sync = on_object(sync(_finalize))
_finalize_async = on_object(asynchronous(_finalize))
_pay_sync = on_object(sync(_pay))
_pay_async = on_object(asynchronous(_pay))
_void_sync = on_object(sync(_void))
_void_async = on_object(asynchronous(_void))


# wait_until: nothing follows a terminal status (the docs' lifecycle), so it ends a wait.
_wait_until_sync, _wait_until_async = Lifecycle[_Status](
    _Status, terminal=("paid", "void")
).waiters(_retrieve)


@resource("invoice")
@attrs.frozen(kw_only=True)
class Invoice(ChargeObject):
    """An invoice; amounts are in minor currency units (``amount_paid`` is null in draft)."""

    id: str
    """Unique identifier (``inv_...``)."""
    object: Literal["invoice"] = "invoice"
    """Always ``"invoice"``."""
    amount_due: int | None = None
    """What remains to pay in minor currency units, or None: ``integer | null``."""
    amount_paid: int | None = None
    """What has been paid in minor currency units, or None: null in a draft."""
    created: datetime
    """When the invoice was created (aware UTC)."""
    currency: str
    """ISO 4217 currency, lowercase."""
    description: str | None = None
    """A memo, or None: null in the docs' example."""
    due_date: datetime
    """When payment is due (aware UTC)."""
    fleet: str | Fleet | None = None
    """The billed fleet (ID, or object when expanded), or None: set only "if scoped"."""
    line_items: tuple[InvoiceLineItem, ...]
    """The invoice's lines; a draft's may change until it is finalized."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    paid_at: datetime | None = None
    """When it was paid, or None until it is ``paid``."""
    payment_method: str | PaymentMethod | None = None
    """The payment method that paid it (ID, or object when expanded), or None: set only "if
    applicable" (once paid)."""
    period_end: datetime
    """End of the billed period (exclusive)."""
    period_start: datetime
    """Start of the billed period (inclusive)."""
    status: InvoiceStatus | str
    """``draft``, ``open``, ``paid``, ``overdue`` or ``void``."""

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
    finalize = _finalize_sync
    finalize_async = _finalize_async
    pay = _pay_sync
    pay_async = _pay_async
    void = _void_sync
    void_async = _void_async
    wait_until = _wait_until_sync
    wait_until_async = _wait_until_async
