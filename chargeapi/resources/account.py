"""Account (``acct_``): the top-level container of vehicles, drivers, payments and reporting.

Where the docs are silent: they do not say which create parameters are required, so all are
optional; update takes the create parameters. Plans, statuses, billing cycles and report
frequencies are not listed in the docs (the examples show ``professional``, ``active``,
``monthly``, ``weekly``), so those stay plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Literal, TypedDict, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, Metadata, NotGiven
from ._ids import AccountID, Expand, PaymentMethodID
from ._shared import Address
from .payment_method import PaymentMethod

__all__ = [
    "Account",
    "AccountBillingDetails",
    "AccountContact",
    "AccountMetricSystem",
    "AccountPreferences",
    "AccountPreferencesParams",
    "AccountType",
]


class AccountType(StrEnum):
    """The legal entity type."""

    INDIVIDUAL = "individual"
    BUSINESS = "business"


class AccountMetricSystem(StrEnum):
    """An account's units (a fleet's ``metric_system`` uses other names)."""

    METRIC = "metric"
    IMPERIAL = "imperial"


AccountTypes = Literal["individual", "business"]
AccountMetricSystems = Literal["metric", "imperial"]


class AccountPreferencesParams(TypedDict, total=False):
    """``preferences=`` of create and update: billing, notifications and reporting."""

    billing_cycle: str
    default_currency: str
    default_payment_method: PaymentMethodID | None
    notifications: bool
    report_frequency: str
    reporting_enabled: bool


@operation("POST", "/v1/accounts")
def _create(
    *,
    default_currency: str | None = None,
    email: str | None = None,
    name: str | None = None,
    plan: str | None = None,
    type: AccountTypes | None = None,
    metadata: Metadata | None = None,
    metric_system: AccountMetricSystems | None = None,
    preferences: AccountPreferencesParams | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Account]:
    """Create an account; ``default_currency`` is ISO 4217 (``"eur"``), ``email`` the primary
    contact, ``plan`` the subscription plan."""
    return Call(locals())


@operation("GET", "/v1/accounts/{account}")
def _retrieve(
    id: AccountID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Account]:
    """Retrieve an account; ``expand`` may name ``preferences.default_payment_method``."""
    return Call(locals())


@operation("POST", "/v1/accounts/{account}")
def _update(
    id: AccountID,
    *,
    default_currency: str | NotGiven = NOT_GIVEN,
    email: str | NotGiven = NOT_GIVEN,
    name: str | NotGiven = NOT_GIVEN,
    plan: str | NotGiven = NOT_GIVEN,
    type: AccountTypes | NotGiven = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    metric_system: AccountMetricSystems | NotGiven = NOT_GIVEN,
    preferences: AccountPreferencesParams | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Account]:
    """Update an account: parameters you leave out keep their values; ``None`` clears a field."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class AccountBillingDetails(ChargeObject):
    """Where the account is billed."""

    billing_address: Address
    """The billing address."""


@attrs.frozen(kw_only=True)
class AccountContact(ChargeObject):
    """Who to contact about the account."""

    email: str
    """The contact's email address."""
    name: str
    """The contact's name."""
    phone: str | None = None
    """The contact's phone number, or None. Nullable though the docs' example fills it: no
    parameter sets it, and phone numbers are nullable on drivers and fleets."""


@attrs.frozen(kw_only=True)
class AccountPreferences(ChargeObject):
    """Billing, notification and reporting preferences."""

    billing_cycle: str
    """How often the account is billed, e.g. ``"monthly"``."""
    default_currency: str
    """Default currency, ISO 4217 lowercase (``"eur"``)."""
    default_payment_method: str | PaymentMethod | None = None
    """The payment method used by default (expandable), or None: null in the docs' example."""
    notifications: bool
    """Whether notifications are sent."""
    report_frequency: str
    """How often reports are generated, e.g. ``"weekly"``."""
    reporting_enabled: bool
    """Whether reporting is enabled."""


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_update_sync = on_object(sync(_update))
_update_async = on_object(asynchronous(_update))


@resource("account")
@attrs.frozen(kw_only=True)
class Account(ChargeObject):
    """An account; ``wallet_balance`` is in minor currency units."""

    id: str
    """Unique identifier (``acct_...``)."""
    object: Literal["account"] = "account"
    """Always ``"account"``."""
    billing_details: AccountBillingDetails
    """Where the account is billed."""
    business_type: str | None = None
    """The kind of business, or None: null in the docs' example."""
    contact: AccountContact
    """Who to contact about the account."""
    created: datetime
    """When the account was created (aware UTC)."""
    default_currency: str
    """Default currency, ISO 4217 lowercase (``"eur"``)."""
    description: str | None = None
    """An optional description; null in the docs' example."""
    email: str
    """The primary contact email."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    metric_system: AccountMetricSystem | str
    """Units: ``metric`` or ``imperial``."""
    name: str
    """The display name."""
    plan: str
    """The subscription plan, e.g. ``"professional"``."""
    preferences: AccountPreferences
    """Billing, notification and reporting preferences."""
    registration_number: str | None = None
    """The company registration number, or None: null in the docs' example."""
    status: str
    """The account's status, e.g. ``"active"`` (the docs list no values)."""
    type: AccountType | str
    """The legal entity type: ``individual`` or ``business``."""
    updated: datetime
    """When the account last changed (aware UTC)."""
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
