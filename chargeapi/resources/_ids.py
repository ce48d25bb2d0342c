"""Typed IDs for parameters: ``str`` to a type checker, checked for their prefix at run time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from .._params import ID, Range

AccountID = Annotated[str, ID("account")]
ChargingSessionID = Annotated[str, ID("charging_session")]
ChargingStationID = Annotated[str, ID("charging_station")]
DriverID = Annotated[str, ID("driver")]
EstimationID = Annotated[str, ID("estimation")]
FleetID = Annotated[str, ID("fleet")]
InvoiceID = Annotated[str, ID("invoice")]
PaymentMethodID = Annotated[str, ID("payment_method")]
PolicyID = Annotated[str, ID("policy")]
ReportID = Annotated[str, ID("report")]
ReservationID = Annotated[str, ID("reservation")]
TransactionID = Annotated[str, ID("transaction")]
VehicleID = Annotated[str, ID("vehicle")]
WebhookEndpointID = Annotated[str, ID("webhook_endpoint")]

#: ``expand=`` takes one field path or a list of them (``"driver"``, ``["vehicle.fleet"]``).
Expand = str | Sequence[str]

#: ``limit=`` of every list: 1 to 100 objects a page (the API's default is 10).
Limit = Annotated[int, Range(1, 100)]
