"""Driver (``drv_``): a person who charges, with preferences and fleet memberships.

The SDK decodes it where it appears (expanded on a session); its own endpoints come later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

import attrs

from .._models import ChargeObject
from .._registry import register

if TYPE_CHECKING:
    from .payment_method import PaymentMethod

__all__ = ["Driver", "DriverPreferences", "DriverStatus"]


class DriverStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


@attrs.frozen(kw_only=True)
class DriverPreferences(ChargeObject):
    """``max_price_per_kwh`` is in minor currency units, like every amount."""

    charging_speed: str | None = None
    currency: str | None = None
    default_payment_method: str | PaymentMethod | None = None
    max_price_per_kwh: int | None = None
    notifications: bool | None = None
    preferred_charging_stations: tuple[str, ...] = ()
    preferred_cpos: tuple[str, ...] = ()


@register("driver")
@attrs.frozen(kw_only=True)
class Driver(ChargeObject):
    """``wallet_balance`` is in minor currency units."""

    id: str
    object: Literal["driver"] = "driver"
    created: datetime | None = None
    email: str | None = None
    fleets: tuple[str, ...] = ()
    license_number: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    name: str | None = None
    phone: str | None = None
    policy_ids: tuple[str, ...] = ()
    preferences: DriverPreferences | None = None
    status: DriverStatus | str | None = None
    updated: datetime | None = None
    vehicles: tuple[str, ...] = ()
    wallet_balance: int | None = None
