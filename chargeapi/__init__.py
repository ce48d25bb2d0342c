"""chargeapi: the typed Python client for ChargeAPI (EV charging sessions, stations, payments).

    import chargeapi
    session = chargeapi.ChargingSession.create(
        charging_station="chst_...", connector="connector_a1", driver="drv_...",
        payment_method="pm_...", vehicle="veh_...",
    )

Offline testing lives in ``chargeapi.testing`` (a stateful simulator), loaded only when used.
"""

import importlib
import os
from typing import TYPE_CHECKING, Any

from ._budget import CircuitBreaker, RetryBudget
from ._client import API_VERSION, Client, default_client
from ._config import install as _install_settings
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ChargeAPIError,
    CircuitOpenError,
    ConflictError,
    InternalServerError,
    InvalidDataError,
    InvalidParameterError,
    InvalidResponseError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    SignatureVerificationError,
    UnreachableStatusError,
    WaitError,
    WaitTimeoutError,
)
from ._extras import RequestOptions
from ._middleware import (
    AsyncCallNext,
    AsyncMiddleware,
    CallNext,
    Middleware,
    MiddlewareCall,
    MiddlewareRequest,
    MiddlewareResponse,
    SyncMiddleware,
)
from ._models import ChargeObject
from ._pagination import AsyncPage, AsyncPager, Page
from ._params import NOT_GIVEN, NotGiven
from ._response import JSONObject, LastResponse
from ._version import __version__

# The default client's settings, assignable like stripe's and openai's:
# ``chargeapi.api_key = "ch_sk_test_..."``. They take precedence over the environment, are
# checked when assigned, and are read at the next call made without ``client=`` (``_config``).
api_key: str | None
base_url: str
max_retries: int
timeout: float
api_version: str

if os.environ.get("CHARGEAPI_LOG"):  # a dict lookup when unset: import stays cheap
    from ._log import configure_from_env

    configure_from_env(os.environ["CHARGEAPI_LOG"])

# -- lazy exports (tools/exports.py) --
if TYPE_CHECKING:
    from . import testing as testing
    from ._idempotency import (
        idempotency_key_for,
    )
    from ._lookup import (
        retrieve,
        retrieve_async,
    )
    from ._webhook import (
        Webhook,
    )
    from .resources._shared import (
        Address,
        AddressParams,
        DeletedObject,
        Location,
    )
    from .resources.account import (
        Account,
        AccountBillingDetails,
        AccountContact,
        AccountMetricSystem,
        AccountPreferences,
        AccountPreferencesParams,
        AccountType,
    )
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
    from .resources.driver import (
        Driver,
        DriverPreferences,
        DriverPreferencesParams,
        DriverStatus,
    )
    from .resources.estimation import (
        Estimation,
        EstimationCostItem,
        EstimationCostType,
    )
    from .resources.event import (
        Event,
        EventData,
        EventRequest,
    )
    from .resources.fleet import (
        Fleet,
        FleetMetricSystem,
        FleetPreferences,
        FleetPreferencesParams,
    )
    from .resources.invoice import (
        Invoice,
        InvoiceLineItem,
        InvoiceStatus,
    )
    from .resources.payment_method import (
        BankAccount,
        BankAccountUpdateParams,
        BillingDetails,
        BillingDetailsParams,
        Card,
        CardParams,
        CardUpdateParams,
        PaymentMethod,
        PaymentMethodType,
        Wallet,
    )
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
    from .resources.report import (
        Report,
        ReportFilters,
        ReportFiltersParams,
        ReportParameters,
        ReportParametersParams,
        ReportStatus,
    )
    from .resources.reservation import (
        Reservation,
        ReservationCancellationPolicy,
        ReservationConnectorType,
        ReservationFailedReason,
        ReservationLocation,
        ReservationLocationParams,
        ReservationStatus,
    )
    from .resources.transaction import (
        Transaction,
        TransactionStatus,
        TransactionType,
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
    from .resources.webhook_endpoint import (
        WebhookEndpoint,
        WebhookEndpointStatus,
    )

# Loaded on first use, so ``import chargeapi`` pays for no resource module.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "chargeapi.testing": ("testing",),
    "chargeapi._lookup": (
        "retrieve",
        "retrieve_async",
    ),
    "chargeapi._webhook": ("Webhook",),
    "chargeapi._idempotency": ("idempotency_key_for",),
    "chargeapi.resources._shared": (
        "Address",
        "AddressParams",
        "DeletedObject",
        "Location",
    ),
    "chargeapi.resources.account": (
        "Account",
        "AccountBillingDetails",
        "AccountContact",
        "AccountMetricSystem",
        "AccountPreferences",
        "AccountPreferencesParams",
        "AccountType",
    ),
    "chargeapi.resources.charging_session": (
        "ChargingSession",
        "ChargingSessionCreateParams",
        "ChargingSessionStatus",
    ),
    "chargeapi.resources.charging_station": (
        "Availability",
        "AvailabilityRange",
        "Capabilities",
        "ChargingStation",
        "Connector",
        "ConnectorStatus",
        "OpeningHours",
        "Pricing",
    ),
    "chargeapi.resources.driver": (
        "Driver",
        "DriverPreferences",
        "DriverPreferencesParams",
        "DriverStatus",
    ),
    "chargeapi.resources.vehicle": (
        "ChargingStandard",
        "Vehicle",
        "VehicleInformation",
        "VehicleInformationParams",
        "VehicleStatus",
    ),
    "chargeapi.resources.vehicle_telemetry": (
        "TelemetryBattery",
        "TelemetryLocation",
        "TelemetryOdometer",
        "VehicleTelemetry",
    ),
    "chargeapi.resources.fleet": (
        "Fleet",
        "FleetMetricSystem",
        "FleetPreferences",
        "FleetPreferencesParams",
    ),
    "chargeapi.resources.payment_method": (
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
    ),
    "chargeapi.resources.policy": (
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
    "chargeapi.resources.reservation": (
        "Reservation",
        "ReservationCancellationPolicy",
        "ReservationConnectorType",
        "ReservationFailedReason",
        "ReservationLocation",
        "ReservationLocationParams",
        "ReservationStatus",
    ),
    "chargeapi.resources.estimation": (
        "Estimation",
        "EstimationCostItem",
        "EstimationCostType",
    ),
    "chargeapi.resources.invoice": (
        "Invoice",
        "InvoiceLineItem",
        "InvoiceStatus",
    ),
    "chargeapi.resources.transaction": (
        "Transaction",
        "TransactionStatus",
        "TransactionType",
    ),
    "chargeapi.resources.report": (
        "Report",
        "ReportFilters",
        "ReportFiltersParams",
        "ReportParameters",
        "ReportParametersParams",
        "ReportStatus",
    ),
    "chargeapi.resources.webhook_endpoint": (
        "WebhookEndpoint",
        "WebhookEndpointStatus",
    ),
    "chargeapi.resources.event": (
        "Event",
        "EventData",
        "EventRequest",
    ),
}
# -- end of lazy exports --
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


if not TYPE_CHECKING:  # checkers see the imports above; a misspelt name stays an error for them

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'chargeapi' has no attribute {name!r}")
        loaded = importlib.import_module(module)
        value = loaded if name == "testing" else getattr(loaded, name)
        globals()[name] = value  # later lookups skip __getattr__
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, *_SETTINGS})


_SETTINGS = ("api_key", "api_version", "base_url", "max_retries", "timeout")
_install_settings(__name__)


__all__ = [
    "API_VERSION",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "AccountBillingDetails",
    "AccountContact",
    "AccountMetricSystem",
    "AccountPreferences",
    "AccountPreferencesParams",
    "AccountType",
    "Address",
    "AddressParams",
    "AsyncCallNext",
    "AsyncMiddleware",
    "AsyncPage",
    "AsyncPager",
    "AuthenticationError",
    "Availability",
    "AvailabilityRange",
    "BadRequestError",
    "BankAccount",
    "BankAccountUpdateParams",
    "BillingDetails",
    "BillingDetailsParams",
    "CallNext",
    "Capabilities",
    "Card",
    "CardParams",
    "CardUpdateParams",
    "ChargeAPIError",
    "ChargeObject",
    "ChargingSession",
    "ChargingSessionCreateParams",
    "ChargingSessionStatus",
    "ChargingStandard",
    "ChargingStation",
    "CircuitBreaker",
    "CircuitOpenError",
    "Client",
    "ConflictError",
    "Connector",
    "ConnectorStatus",
    "DeletedObject",
    "Driver",
    "DriverPreferences",
    "DriverPreferencesParams",
    "DriverStatus",
    "Estimation",
    "EstimationCostItem",
    "EstimationCostType",
    "Event",
    "EventData",
    "EventRequest",
    "Fleet",
    "FleetMetricSystem",
    "FleetPreferences",
    "FleetPreferencesParams",
    "Geofence",
    "GeofenceParams",
    "InternalServerError",
    "InvalidDataError",
    "InvalidParameterError",
    "InvalidResponseError",
    "Invoice",
    "InvoiceLineItem",
    "InvoiceStatus",
    "JSONObject",
    "LastResponse",
    "Location",
    "Middleware",
    "MiddlewareCall",
    "MiddlewareRequest",
    "MiddlewareResponse",
    "NotFoundError",
    "NotGiven",
    "OpeningHours",
    "Page",
    "PaymentMethod",
    "PaymentMethodType",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "Policy",
    "PolicyMode",
    "PolicyRules",
    "PolicyRulesParams",
    "PolicyStatus",
    "Pricing",
    "RateLimitError",
    "Report",
    "ReportFilters",
    "ReportFiltersParams",
    "ReportParameters",
    "ReportParametersParams",
    "ReportStatus",
    "RequestOptions",
    "Reservation",
    "ReservationCancellationPolicy",
    "ReservationConnectorType",
    "ReservationFailedReason",
    "ReservationLocation",
    "ReservationLocationParams",
    "ReservationStatus",
    "ResponseTooLargeError",
    "RetryBudget",
    "SignatureVerificationError",
    "SyncMiddleware",
    "TelemetryBattery",
    "TelemetryLocation",
    "TelemetryOdometer",
    "TimeWindow",
    "TimeWindowParams",
    "Transaction",
    "TransactionStatus",
    "TransactionType",
    "UnreachableStatusError",
    "Vehicle",
    "VehicleInformation",
    "VehicleInformationParams",
    "VehicleStatus",
    "VehicleTelemetry",
    "WaitError",
    "WaitTimeoutError",
    "Wallet",
    "Webhook",
    "WebhookEndpoint",
    "WebhookEndpointStatus",
    "__version__",
    "_install_settings",
    "default_client",
    "idempotency_key_for",
    "retrieve",
    "retrieve_async",
]
