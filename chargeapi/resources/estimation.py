"""Estimation (``est_``): a cost and duration preview for a session that has not started.

Values hold until ``valid_until``. Where the docs are silent: ``battery_level`` and
``battery_target_level`` are whole percents (the docs' examples and bounds are integers).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, asynchronous, on_object, operation, resource, sync
from .._params import Range
from ._ids import ChargingStationID, EstimationID, Expand, VehicleID
from .charging_station import ChargingStation
from .vehicle import Vehicle

__all__ = ["Estimation", "EstimationCostItem", "EstimationCostType"]


class EstimationCostType(StrEnum):
    """What a cost line is for."""

    ENERGY = "energy"
    SESSION_FEE = "session_fee"


@operation("POST", "/v1/estimations")
def _create(
    *,
    charging_station: ChargingStationID,
    vehicle: VehicleID,
    battery_level: Annotated[int, Range(0, 100)],
    battery_target_level: Annotated[int, Range(1, 100)],
    currency: str | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Estimation]:
    """Estimate charging ``vehicle`` at ``charging_station`` from ``battery_level`` to
    ``battery_target_level`` percent; ``currency`` overrides the station's."""
    return Call(locals())


@operation("GET", "/v1/estimations/{estimation}")
def _retrieve(
    id: EstimationID,
    *,
    expand: Expand = (),
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Estimation]:
    """Retrieve an estimation (an error once expired); ``expand`` any of ``charging_station``,
    ``vehicle``."""
    return Call(locals())


@attrs.frozen(kw_only=True)
class EstimationCostItem(ChargeObject):
    """One cost line: ``cost`` and ``unit_price`` in minor currency units, ``quantity`` in
    ``unit`` (``kWh``), ``tax_percent`` as the API writes it (``"20%"``).

    A flat line (a session fee) has no quantity, tax, unit or unit price: the docs' example
    shows them null."""

    cost: int
    """The line's cost in minor currency units."""
    description: str
    """What the line is, e.g. ``"Off-peak energy rate"``."""
    quantity: float | None = None
    """How much, in ``unit`` (``18.25`` kWh), or None: null on a flat fee in the docs."""
    tax_percent: str | None = None
    """The tax rate as written, ``"20%"``, or None: null on a flat fee in the docs."""
    type: EstimationCostType | str
    """``energy`` or ``session_fee``."""
    unit: str | None = None
    """The unit of ``quantity``, e.g. ``"kWh"``, or None: null on a flat fee in the docs."""
    unit_price: int | None = None
    """Minor currency units per ``unit``, or None: null on a flat fee in the docs."""


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))


@resource("estimation")
@attrs.frozen(kw_only=True)
class Estimation(ChargeObject):
    """An estimation: ``estimated_total_cost`` in minor currency units, ``estimated_duration``
    in seconds and ``estimated_energy_kwh`` in kWh (a float, unlike Wh elsewhere)."""

    id: str
    """Unique identifier (``est_...``)."""
    object: Literal["estimation"] = "estimation"
    """Always ``"estimation"``."""
    battery_level: int
    """Battery level at the start, percent (0-100)."""
    battery_target_level: int
    """Battery level to reach, percent (1-100)."""
    charging_station: str | ChargingStation
    """The station: its ID, or the object when expanded."""
    cost_breakdown: tuple[EstimationCostItem, ...]
    """The itemized costs."""
    created: datetime
    """When the estimation was made (aware UTC)."""
    currency: str
    """ISO 4217 currency, lowercase."""
    estimated_duration: int
    """Expected charging time in seconds."""
    estimated_energy_kwh: float
    """Expected energy in kWh (a float, unlike Wh elsewhere)."""
    estimated_total_cost: int
    """Expected total in minor currency units (cents)."""
    valid_until: datetime
    """After this instant the values may change."""
    vehicle: str | Vehicle
    """The vehicle: its ID, or the object when expanded."""

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
