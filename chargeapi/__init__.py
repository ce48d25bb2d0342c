"""chargeapi: the typed Python client for ChargeAPI (EV charging sessions, stations, payments).

    import chargeapi
    session = chargeapi.ChargingSession.create(
        charging_station="chst_...", connector="connector_a1", driver="drv_...",
        payment_method="pm_...", vehicle="veh_...",
    )

Offline testing lives in ``chargeapi.testing`` (a stateful simulator), loaded only when used.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._client import API_VERSION, Client
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChargeAPIError,
    ConflictError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    SignatureVerificationError,
)
from ._models import ChargeObject
from ._pagination import AsyncPage, AsyncPager, Page
from ._params import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from . import testing as testing
    from ._lookup import retrieve, retrieve_async
    from ._webhook import Webhook
    from .resources._shared import Address, AddressParams, DeletedObject, Location
    from .resources.charging_session import (
        ChargingSession,
        ChargingSessionCreateParams,
        ChargingSessionStatus,
    )
    from .resources.charging_station import (
        Availability,
        AvailabilityRange,
        Capabilities,
        ChargingStation,
        Connector,
        ConnectorStatus,
        OpeningHours,
        Pricing,
    )
    from .resources.driver import Driver, DriverPreferences, DriverPreferencesParams, DriverStatus
    from .resources.event import Event, EventData, EventRequest
    from .resources.fleet import Fleet, FleetPreferences
    from .resources.payment_method import BillingDetails, Card, PaymentMethod
    from .resources.policy import (
        Geofence,
        GeofenceParams,
        Policy,
        PolicyMode,
        PolicyRules,
        PolicyRulesParams,
        PolicyStatus,
        TimeWindow,
        TimeWindowParams,
    )
    from .resources.vehicle import (
        ChargingStandard,
        Vehicle,
        VehicleInformation,
        VehicleInformationParams,
        VehicleStatus,
    )
    from .resources.vehicle_telemetry import (
        TelemetryBattery,
        TelemetryLocation,
        TelemetryOdometer,
        VehicleTelemetry,
    )

# Loaded on first use, so ``import chargeapi`` pays for no resource module: name -> module.
_LAZY = {
    "testing": "chargeapi.testing",
    "retrieve": "chargeapi._lookup",
    "retrieve_async": "chargeapi._lookup",
    "Webhook": "chargeapi._webhook",
    **dict.fromkeys(("Event", "EventData", "EventRequest"), "chargeapi.resources.event"),
    "Address": "chargeapi.resources._shared",
    "Location": "chargeapi.resources._shared",
    "AddressParams": "chargeapi.resources._shared",
    "DeletedObject": "chargeapi.resources._shared",
    **dict.fromkeys(
        ("ChargingSession", "ChargingSessionCreateParams", "ChargingSessionStatus"),
        "chargeapi.resources.charging_session",
    ),
    **dict.fromkeys(
        (
            "Availability",
            "AvailabilityRange",
            "Capabilities",
            "ChargingStation",
            "Connector",
            "ConnectorStatus",
            "OpeningHours",
            "Pricing",
        ),
        "chargeapi.resources.charging_station",
    ),
    **dict.fromkeys(
        ("Driver", "DriverPreferences", "DriverPreferencesParams", "DriverStatus"),
        "chargeapi.resources.driver",
    ),
    **dict.fromkeys(("Fleet", "FleetPreferences"), "chargeapi.resources.fleet"),
    **dict.fromkeys(
        ("BillingDetails", "Card", "PaymentMethod"), "chargeapi.resources.payment_method"
    ),
    **dict.fromkeys(
        ("Vehicle", "VehicleInformation", "VehicleStatus"), "chargeapi.resources.vehicle"
    ),
    **dict.fromkeys(
        ("ChargingStandard", "VehicleInformationParams"), "chargeapi.resources.vehicle"
    ),
    **dict.fromkeys(
        ("TelemetryBattery", "TelemetryLocation", "TelemetryOdometer", "VehicleTelemetry"),
        "chargeapi.resources.vehicle_telemetry",
    ),
    **dict.fromkeys(
        (
            "Geofence",
            "GeofenceParams",
            "Policy",
            "PolicyMode",
            "PolicyRules",
            "PolicyRulesParams",
            "PolicyStatus",
            "TimeWindow",
            "TimeWindowParams",
        ),
        "chargeapi.resources.policy",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chargeapi' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    value = loaded if name == "testing" else getattr(loaded, name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "API_VERSION",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Address",
    "AddressParams",
    "AsyncPage",
    "AsyncPager",
    "AuthenticationError",
    "Availability",
    "AvailabilityRange",
    "BadRequestError",
    "BillingDetails",
    "Capabilities",
    "Card",
    "ChargeAPIError",
    "ChargeObject",
    "ChargingSession",
    "ChargingSessionCreateParams",
    "ChargingSessionStatus",
    "ChargingStandard",
    "ChargingStation",
    "Client",
    "ConflictError",
    "Connector",
    "ConnectorStatus",
    "DeletedObject",
    "Driver",
    "DriverPreferences",
    "DriverPreferencesParams",
    "DriverStatus",
    "Event",
    "EventData",
    "EventRequest",
    "Fleet",
    "FleetPreferences",
    "Geofence",
    "GeofenceParams",
    "InternalServerError",
    "InvalidResponseError",
    "Location",
    "NotFoundError",
    "NotGiven",
    "OpeningHours",
    "Page",
    "PaymentMethod",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "Policy",
    "PolicyMode",
    "PolicyRules",
    "PolicyRulesParams",
    "PolicyStatus",
    "Pricing",
    "RateLimitError",
    "ResponseTooLargeError",
    "SignatureVerificationError",
    "TelemetryBattery",
    "TelemetryLocation",
    "TelemetryOdometer",
    "TimeWindow",
    "TimeWindowParams",
    "Vehicle",
    "VehicleInformation",
    "VehicleInformationParams",
    "VehicleStatus",
    "VehicleTelemetry",
    "Webhook",
    "__version__",
    "retrieve",
    "retrieve_async",
]
