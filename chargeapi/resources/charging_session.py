"""ChargingSession (``cs_``): one vehicle charging at one connector, and its bill.

Operations: create (starts power delivery), retrieve, list, end. Where the docs are silent the
SDK assumes ``POST /v1/charging_sessions/{id}/end`` with an empty JSON body, like every other
action (``POST /v1/<resource>/{id}/<action>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Literal, TypedDict

import attrs

from .._client import Client
from .._models import ChargeObject
from .._pagination import AsyncPager, Page
from .._registry import register
from .._request import RequestSpec, body, idempotency_key_for, query
from .._validate import check_id, check_int, check_token
from ._base import call, call_async, list_query, page, pager, retrieve_spec
from .charging_station import ChargingStation
from .driver import Driver
from .fleet import Fleet
from .payment_method import PaymentMethod
from .vehicle import Vehicle

__all__ = ["ChargingSession", "ChargingSessionCreateParams", "ChargingSessionStatus"]

_PATH = "/v1/charging_sessions"


class ChargingSessionCreateParams(TypedDict):
    """The required ``create()`` parameters as one typed dict: ``create(**params)`` type-checks."""

    charging_station: str
    connector: str
    driver: str
    payment_method: str
    vehicle: str


class ChargingSessionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


@register("charging_session")
@attrs.frozen(kw_only=True)
class ChargingSession(ChargeObject):
    """The operational and billing record of a vehicle charging at a station.

    Amounts are integer minor currency units (cents), energy is integer Wh. Expandable fields
    hold an ID string, or the full object when requested with ``expand``.
    """

    id: str
    object: Literal["charging_session"] = "charging_session"
    amount_due: int
    amount_paid: int
    charging_station: str | ChargingStation
    connector: str
    country: str | None
    created: datetime
    currency: str
    driver: str | Driver
    energy_consumed: int
    fleet: str | Fleet | None
    payment_method: str | PaymentMethod
    session_ended: datetime | None
    session_limit: int | None = None  # the docs' list example leaves it out
    session_started: datetime
    status: ChargingSessionStatus | str
    updated: datetime
    vehicle: str | Vehicle

    @classmethod
    def create(
        cls,
        *,
        charging_station: str,
        connector: str,
        driver: str,
        payment_method: str,
        vehicle: str,
        session_limit: int | None = None,
        idempotency_key: str | None = None,
        client: Client | None = None,
    ) -> ChargingSession:
        """Start a session: power flows on ``connector`` until it is ended or the limit is hit.

        ``session_limit`` (Wh) stops charging automatically. Retries reuse one Idempotency-Key
        (yours, or a fresh uuid4), so a network failure can never start two sessions.
        """
        spec = _create_spec(
            charging_station=charging_station,
            connector=connector,
            driver=driver,
            payment_method=payment_method,
            vehicle=vehicle,
            session_limit=session_limit,
            idempotency_key=idempotency_key,
        )
        return call(cls, spec, client)

    @classmethod
    async def create_async(
        cls,
        *,
        charging_station: str,
        connector: str,
        driver: str,
        payment_method: str,
        vehicle: str,
        session_limit: int | None = None,
        idempotency_key: str | None = None,
        client: Client | None = None,
    ) -> ChargingSession:
        """``create`` for async code."""
        spec = _create_spec(
            charging_station=charging_station,
            connector=connector,
            driver=driver,
            payment_method=payment_method,
            vehicle=vehicle,
            session_limit=session_limit,
            idempotency_key=idempotency_key,
        )
        return await call_async(cls, spec, client)

    @classmethod
    def retrieve(
        cls, id: str, *, expand: str | Sequence[str] = (), client: Client | None = None
    ) -> ChargingSession:
        """``GET /v1/charging_sessions/{id}``; ``expand`` any of ``charging_station``,
        ``driver``, ``fleet``, ``payment_method``, ``vehicle``."""
        return call(cls, retrieve_spec("charging_session", "charging_sessions", id, expand), client)

    @classmethod
    async def retrieve_async(
        cls, id: str, *, expand: str | Sequence[str] = (), client: Client | None = None
    ) -> ChargingSession:
        """``retrieve`` for async code."""
        spec = retrieve_spec("charging_session", "charging_sessions", id, expand)
        return await call_async(cls, spec, client)

    @classmethod
    def list(
        cls,
        *,
        driver: str | None = None,
        fleet: str | None = None,
        vehicle: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        client: Client | None = None,
    ) -> Page[ChargingSession]:
        """``GET /v1/charging_sessions``; iterate the result for every session of every page."""
        return page(cls, _list_spec(driver, fleet, vehicle, status, limit), client)

    @classmethod
    def list_async(
        cls,
        *,
        driver: str | None = None,
        fleet: str | None = None,
        vehicle: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        client: Client | None = None,
    ) -> AsyncPager[ChargingSession]:
        """``list`` for async code: ``async for`` over it, or ``await`` it for the first page."""
        return pager(cls, _list_spec(driver, fleet, vehicle, status, limit), client)

    @classmethod
    def end(
        cls, id: str, *, idempotency_key: str | None = None, client: Client | None = None
    ) -> ChargingSession:
        """Stop power delivery and finalize billing; returns the ``completed`` session."""
        return call(cls, _end_spec(id, idempotency_key), client)

    @classmethod
    async def end_async(
        cls, id: str, *, idempotency_key: str | None = None, client: Client | None = None
    ) -> ChargingSession:
        """``end`` for async code."""
        return await call_async(cls, _end_spec(id, idempotency_key), client)


def _create_spec(
    *,
    charging_station: str,
    connector: str,
    driver: str,
    payment_method: str,
    vehicle: str,
    session_limit: int | None,
    idempotency_key: str | None,
) -> RequestSpec:
    return RequestSpec(
        "POST",
        _PATH,
        body=body(
            charging_station=check_id("charging_station", charging_station, "charging_station"),
            connector=check_token("connector", connector),
            driver=check_id("driver", driver, "driver"),
            payment_method=check_id("payment_method", payment_method, "payment_method"),
            vehicle=check_id("vehicle", vehicle, "vehicle"),
            session_limit=None
            if session_limit is None
            else check_int("session_limit", session_limit),
        ),
        idempotency_key=idempotency_key_for(idempotency_key),
    )


def _list_spec(
    driver: str | None,
    fleet: str | None,
    vehicle: str | None,
    status: str | None,
    limit: int | None,
) -> RequestSpec:
    filters = query(
        driver=None if driver is None else check_id("driver", driver, "driver"),
        fleet=None if fleet is None else check_id("fleet", fleet, "fleet"),
        vehicle=None if vehicle is None else check_id("vehicle", vehicle, "vehicle"),
        status=None if status is None else check_token("status", status),
    )
    return RequestSpec("GET", _PATH, list_query(filters, limit))


def _end_spec(id: str, idempotency_key: str | None) -> RequestSpec:
    session_id = check_id("id", id, "charging_session")
    return RequestSpec(
        "POST",
        f"{_PATH}/{session_id}/end",
        body={},
        idempotency_key=idempotency_key_for(idempotency_key),
    )
