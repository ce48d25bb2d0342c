"""One module per resource: its model and its operations.

Models refer to each other (a session's ``driver`` may be an expanded Driver, whose preferences
may hold an expanded PaymentMethod ...). Those annotations are resolved here, once every module
is loaded (lazily, just before the first decode), so no module imports another in a cycle.
"""

from __future__ import annotations

import attrs

from .. import _models
from .._convert import resolve_annotations_later
from . import _shared, charging_session, charging_station, driver, fleet, payment_method, vehicle
from ._shared import Address, Location
from .charging_session import ChargingSession, ChargingSessionCreateParams, ChargingSessionStatus
from .charging_station import (
    Availability,
    AvailabilityRange,
    Capabilities,
    ChargingStation,
    Connector,
    ConnectorStatus,
    OpeningHours,
    Pricing,
)
from .driver import Driver, DriverPreferences, DriverStatus
from .fleet import Fleet, FleetPreferences
from .payment_method import BillingDetails, Card, PaymentMethod
from .vehicle import Vehicle, VehicleInformation, VehicleStatus

__all__ = [
    "Address",
    "Availability",
    "AvailabilityRange",
    "BillingDetails",
    "Capabilities",
    "Card",
    "ChargingSession",
    "ChargingSessionCreateParams",
    "ChargingSessionStatus",
    "ChargingStation",
    "Connector",
    "ConnectorStatus",
    "Driver",
    "DriverPreferences",
    "DriverStatus",
    "Fleet",
    "FleetPreferences",
    "Location",
    "OpeningHours",
    "PaymentMethod",
    "Pricing",
    "Vehicle",
    "VehicleInformation",
    "VehicleStatus",
]


def _resolve_annotations() -> None:
    modules = (_shared, charging_session, charging_station, driver, fleet, payment_method, vehicle)
    namespace: dict[str, object] = dict(vars(_models))
    for module in modules:
        namespace.update(vars(module))
    namespace.update((name, globals()[name]) for name in __all__)
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
                attrs.resolve_types(value, globalns=namespace)


resolve_annotations_later(_resolve_annotations)
