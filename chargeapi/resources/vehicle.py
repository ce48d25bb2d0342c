"""Vehicle (``veh_``): an EV with its battery, connector standard and links.

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
    from .fleet import Fleet

__all__ = ["Vehicle", "VehicleInformation", "VehicleStatus"]


class VehicleStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


@attrs.frozen(kw_only=True)
class VehicleInformation(ChargeObject):
    make: str | None = None
    model: str | None = None
    year: str | None = None


@register("vehicle")
@attrs.frozen(kw_only=True)
class Vehicle(ChargeObject):
    """``battery_capacity`` is in Wh."""

    id: str
    object: Literal["vehicle"] = "vehicle"
    battery_capacity: int | None = None
    charging_standard: str | None = None
    created: datetime | None = None
    drivers: tuple[str, ...] = ()
    fleet: str | Fleet | None = None
    information: VehicleInformation | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    policy_ids: tuple[str, ...] = ()
    registration_plate: str | None = None
    status: VehicleStatus | str | None = None
    telemetry: str | None = None
    updated: datetime | None = None
    vin: str | None = None
