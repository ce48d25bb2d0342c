"""Fleet (``flt_``): drivers, vehicles and billing grouped under one operational unit.

The SDK decodes it where it appears (expanded on a session); its own endpoints come later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import attrs

from .._models import ChargeObject
from .._registry import register
from ._shared import Address

if TYPE_CHECKING:
    from .payment_method import PaymentMethod

__all__ = ["Fleet", "FleetPreferences"]


@attrs.frozen(kw_only=True)
class FleetPreferences(ChargeObject):
    billing_cycle: str | None = None
    default_currency: str | None = None
    default_payment_method: str | PaymentMethod | None = None
    notifications: bool | None = None
    report_frequency: str | None = None


@register("fleet")
@attrs.frozen(kw_only=True)
class Fleet(ChargeObject):
    """Aggregates are documented units: ``total_energy_consumed_kwh`` is kWh (a float, the one
    exception to integer Wh), ``wallet_balance`` minor currency units."""

    id: str
    object: Literal["fleet"] = "fleet"
    address: Address | None = None
    created: datetime | None = None
    description: str | None = None
    email: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    metric_system: str | None = None
    name: str | None = None
    phone: str | None = None
    policy_ids: tuple[str, ...] = ()
    preferences: FleetPreferences | None = None
    status: str | None = None
    timezone: str | None = None
    total_drivers: int | None = None
    total_energy_consumed_kwh: float | None = None
    total_sessions: int | None = None
    total_vehicles: int | None = None
    updated: datetime | None = None
    wallet_balance: int | None = None
