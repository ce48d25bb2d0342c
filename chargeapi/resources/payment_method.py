"""PaymentMethod (``pm_``): a card, bank account or wallet used to pay for charging.

The SDK decodes it where it appears (expanded on a session); its own endpoints come later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .._models import ChargeObject
from .._registry import register
from ._shared import Address

if TYPE_CHECKING:
    from .driver import Driver
    from .fleet import Fleet

__all__ = ["BillingDetails", "Card", "PaymentMethod"]


@attrs.frozen(kw_only=True)
class BillingDetails(ChargeObject):
    address: Address | None = None
    email: str | None = None
    name: str | None = None
    phone: str | None = None


@attrs.frozen(kw_only=True)
class Card(ChargeObject):
    """Masked card details: never the full number."""

    brand: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None
    fingerprint: str | None = None
    last4: str | None = None


@register("payment_method")
@attrs.frozen(kw_only=True)
class PaymentMethod(ChargeObject):
    """``type`` is ``card``, ``bank_account`` or ``wallet``; the field of that name holds details.

    ``bank_account`` and ``wallet`` stay plain mappings: their documented fields are cut short.
    """

    id: str
    object: Literal["payment_method"] = "payment_method"
    bank_account: Mapping[str, Any] | None = None
    billing_details: BillingDetails | None = None
    card: Card | None = None
    created: datetime | None = None
    driver: str | Driver | None = None
    fleet: str | Fleet | None = None
    type: str | None = None
    wallet: Mapping[str, Any] | None = None
