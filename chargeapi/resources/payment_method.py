"""PaymentMethod (``pm_``): a card, bank account or wallet used to pay for charging.

Where the docs are silent: create takes the documented ``type`` and ``card`` (number,
expiry and optional ``cvc``; the full number is sent once and only ``last4`` and a fingerprint
come back) plus ``billing_details``, which update documents; update takes the documented
``billing_details``, ``card`` (expiry only) and ``bank_account`` (``bank_name``, ``currency``).
Retrieve offers the older docs' ``driver`` / ``fleet`` scoping. The bank account and wallet
details are cut short in the docs: their documented fields are typed, the rest kept as unknown.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, NotGiven, Range
from ._ids import DriverID, Expand, FleetID, Limit, PaymentMethodID
from ._shared import Address, AddressParams

if TYPE_CHECKING:
    from .driver import Driver
    from .fleet import Fleet

__all__ = [
    "BankAccount",
    "BankAccountUpdateParams",
    "BillingDetails",
    "BillingDetailsParams",
    "Card",
    "CardParams",
    "CardUpdateParams",
    "PaymentMethod",
    "PaymentMethodType",
    "Wallet",
]


class PaymentMethodType(StrEnum):
    """The kind of payment method; the field of that name holds its details."""

    BANK_ACCOUNT = "bank_account"
    CARD = "card"
    WALLET = "wallet"


PaymentMethodTypes = Literal["bank_account", "card", "wallet"]
Month = Annotated[int, Range(1, 12)]


class _RequiredCardParams(TypedDict):
    number: str
    exp_month: Month
    exp_year: int


class CardParams(_RequiredCardParams, total=False):
    """``card=`` of create: the full number and expiry are required, ``cvc`` is optional."""

    cvc: str


class CardUpdateParams(TypedDict, total=False):
    """``card=`` of update: only the expiry can change."""

    exp_month: Month
    exp_year: int


class BankAccountUpdateParams(TypedDict, total=False):
    """``bank_account=`` of update; ``currency`` is ISO 4217 (``"eur"``)."""

    bank_name: str
    currency: str


class BillingDetailsParams(TypedDict, total=False):
    """``billing_details=``; ``phone`` may include an extension."""

    address: AddressParams
    email: str
    name: str
    phone: str


@operation("POST", "/v1/payment_methods")
def _create(
    *,
    type: PaymentMethodTypes,
    card: CardParams | None = None,
    billing_details: BillingDetailsParams | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[PaymentMethod]:
    """Create a payment method; ``card`` holds the details when ``type`` is ``card``."""
    return Call(locals())


@operation("GET", "/v1/payment_methods/{payment_method}")
def _retrieve(
    id: PaymentMethodID,
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[PaymentMethod]:
    """Retrieve a payment method (only if it belongs to ``driver`` / ``fleet`` when given);
    ``expand`` may name ``driver`` and ``fleet``."""
    return Call(locals())


@operation("POST", "/v1/payment_methods/{payment_method}")
def _update(
    id: PaymentMethodID,
    *,
    bank_account: BankAccountUpdateParams | NotGiven = NOT_GIVEN,
    billing_details: BillingDetailsParams | NotGiven = NOT_GIVEN,
    card: CardUpdateParams | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[PaymentMethod]:
    """Update a payment method: parameters you leave out keep their values."""
    return Call(locals())


@operation("GET", "/v1/payment_methods", at_most_one=("driver", "fleet"))
def _list(
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    type: PaymentMethodTypes | None = None,
    limit: Limit | None = None,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> ListCall[PaymentMethod]:
    """List payment methods of a driver or of a fleet (not both), optionally of one type."""
    return ListCall(locals())


@operation("POST", "/v1/payment_methods/{payment_method}/attach", exactly_one=("driver", "fleet"))
def _attach(
    id: PaymentMethodID,
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[PaymentMethod]:
    """Attach a payment method to a driver or to a fleet (exactly one of them)."""
    return Call(locals())


@operation("POST", "/v1/payment_methods/{payment_method}/detach", exactly_one=("driver", "fleet"))
def _detach(
    id: PaymentMethodID,
    *,
    driver: DriverID | None = None,
    fleet: FleetID | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[PaymentMethod]:
    """Detach a payment method from a driver or a fleet: it no longer pays for that one."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class BillingDetails(ChargeObject):
    """Who pays, and where: the billing contact of a payment method."""

    address: Address
    """The billing address."""
    email: str
    """Billing email."""
    name: str
    """Name on the payment method."""
    phone: str
    """Billing phone number, extension included."""


@attrs.frozen(kw_only=True)
class Card(ChargeObject):
    """Masked card details: never the full number."""

    brand: str
    """The card brand, e.g. ``"visa"``."""
    exp_month: int
    """Expiry month (1-12)."""
    exp_year: int
    """Expiry year, four digits."""
    fingerprint: str
    """Identifies the card number: the same card has the same fingerprint."""
    last4: str
    """The last four digits."""


@attrs.frozen(kw_only=True)
class BankAccount(ChargeObject):
    """Masked bank account details; ``fingerprint`` identifies the account."""

    bank_name: str | None = None
    """The bank's name, or None. Nullable: only the older docs show it, and creating a bank
    account does not require it."""
    country: str
    """Two-letter country code of the account."""
    currency: str
    """ISO 4217 currency, lowercase."""
    fingerprint: str
    """Identifies the account: the same account has the same fingerprint."""
    last4: str
    """The last four digits of the account number."""
    status: str
    """Verification status, e.g. ``"pending"``."""


@attrs.frozen(kw_only=True)
class Wallet(ChargeObject):
    """A prepaid wallet; ``balance`` in minor currency units."""

    balance: int
    """The balance in minor currency units."""
    currency: str
    """ISO 4217 currency, lowercase."""
    fingerprint: str
    """Identifies the wallet."""
    status: str
    """The wallet's status, e.g. ``"active"``."""


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


@resource("payment_method")
@attrs.frozen(kw_only=True)
class PaymentMethod(ChargeObject):
    """``type`` is ``card``, ``bank_account`` or ``wallet``: the field of that name holds the
    details, the other two are ``None``."""

    id: str
    """Unique identifier (``pm_...``)."""
    object: Literal["payment_method"] = "payment_method"
    """Always ``"payment_method"``."""
    bank_account: BankAccount | None = None
    """The bank account's details when ``type`` is ``bank_account``, else None
    (``object | null``)."""
    billing_details: BillingDetails
    """The billing contact and address."""
    card: Card | None = None
    """The card's details when ``type`` is ``card``, else None (``object | null``)."""
    created: datetime
    """When the payment method was created (aware UTC)."""
    driver: str | Driver | None = None
    """The driver it is attached to (ID, or object when expanded), or None:
    ``string | null``."""
    fleet: str | Fleet | None = None
    """The fleet it is attached to (ID, or object when expanded), or None: ``string | null``."""
    type: PaymentMethodType | str
    """``card``, ``bank_account`` or ``wallet``: the field of that name holds the details."""
    wallet: Wallet | None = None
    """The wallet's details when ``type`` is ``wallet``, else None (``object | null``)."""

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
