"""Shared fixtures: the seed page's example session, and clients that never really sleep."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import chargeapi

API = "https://api.chargeapi.co"
TEST_KEY = "ch_sk_test_4eC39HqLyjWDarjtT1zdp7dc"

# The create request and response of ../shared/seed/create-a-charging-session.txt, verbatim.
SEED_REQUEST: dict[str, Any] = {
    "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
    "connector": "connector_a1",
    "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
    "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
    "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
}
SEED_RESPONSE: dict[str, Any] = {
    "id": "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY",
    "object": "charging_session",
    "amount_due": 1842,
    "amount_paid": 0,
    "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
    "connector": "connector_a1",
    "country": "FR",
    "created": "2026-04-01T01:09:14.087Z",
    "currency": "eur",
    "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
    "energy_consumed": 0,
    "fleet": "flt_VPncsNUF64r6IMozGsQXGXBrA3USpxxb",
    "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
    "session_ended": None,
    "session_limit": None,
    "session_started": "2026-04-01T01:15:03.983Z",
    "status": "active",
    "updated": "2026-04-01T01:18:50.258Z",
    "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
}

def seed_response() -> dict[str, Any]:
    """A fresh copy of the seed response (tests may mutate it)."""
    return json.loads(json.dumps(SEED_RESPONSE))


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real key or base URL from the environment."""
    monkeypatch.delenv("CHARGEAPI_API_KEY", raising=False)
    monkeypatch.delenv("CHARGEAPI_BASE_URL", raising=False)


@pytest.fixture
def sleeps() -> list[float]:
    """Every delay the client asked to sleep, in order (nothing really sleeps)."""
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[chargeapi.Client]:
    """A client on the default base URL (mock it with respx) whose retries do not wait."""

    async def async_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    with chargeapi.Client(TEST_KEY, sleep=sleeps.append, async_sleep=async_sleep) as c:
        yield c
