"""chargeapi: the typed Python client for ChargeAPI (EV charging sessions, stations, payments).

    import chargeapi
    session = chargeapi.ChargingSession.create(
        charging_station="chst_...", connector="connector_a1", driver="drv_...",
        payment_method="pm_...", vehicle="veh_...",
    )

Offline testing lives in ``chargeapi.testing`` (a stateful simulator), loaded only when used.
"""

import importlib

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
    SignatureVerificationError,
)
from ._models import ChargeObject
from ._pagination import AsyncPage, AsyncPager, Page
from ._version import __version__
from ._webhook import Webhook
from .resources import (
    Address,
    Availability,
    AvailabilityRange,
    BillingDetails,
    Capabilities,
    Card,
    ChargingSession,
    ChargingSessionCreateParams,
    ChargingSessionStatus,
    ChargingStation,
    Connector,
    ConnectorStatus,
    Driver,
    DriverPreferences,
    DriverStatus,
    Fleet,
    FleetPreferences,
    Location,
    OpeningHours,
    PaymentMethod,
    Pricing,
    Vehicle,
    VehicleInformation,
    VehicleStatus,
)
from .resources.event import Event, EventData, EventRequest


def __getattr__(name: str) -> object:
    # ``chargeapi.testing`` loads on first use: a plain create() never pays for the simulator.
    if name == "testing":
        return importlib.import_module("chargeapi.testing")
    raise AttributeError(f"module 'chargeapi' has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Address",
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
    "ChargingStation",
    "Client",
    "ConflictError",
    "Connector",
    "ConnectorStatus",
    "Driver",
    "DriverPreferences",
    "DriverStatus",
    "Event",
    "EventData",
    "EventRequest",
    "Fleet",
    "FleetPreferences",
    "InternalServerError",
    "InvalidResponseError",
    "Location",
    "NotFoundError",
    "OpeningHours",
    "Page",
    "PaymentMethod",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "Pricing",
    "RateLimitError",
    "SignatureVerificationError",
    "Vehicle",
    "VehicleInformation",
    "VehicleStatus",
    "Webhook",
    "__version__",
]
