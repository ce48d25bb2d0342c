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
    ``unit`` (``kWh``), ``tax_percent`` as the API writes it (``"20%"``)."""

    cost: int
    description: str | None = None
    quantity: float | None = None
    tax_percent: str | None = None
    type: EstimationCostType | str | None = None
    unit: str | None = None
    unit_price: int | None = None


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
    object: Literal["estimation"] = "estimation"
    battery_level: int | None = None
    battery_target_level: int | None = None
    charging_station: str | ChargingStation | None = None
    cost_breakdown: tuple[EstimationCostItem, ...] = ()
    created: datetime | None = None
    currency: str | None = None
    estimated_duration: int | None = None
    estimated_energy_kwh: float | None = None
    estimated_total_cost: int | None = None
    valid_until: datetime | None = None
    vehicle: str | Vehicle | None = None

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
