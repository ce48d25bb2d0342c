"""A user's choice of async backend, checked by ``mypy --strict`` in CI (not run by pytest)."""

from __future__ import annotations

from typing import assert_type

import chargeapi


async def with_aiohttp() -> None:
    async with chargeapi.Client("ch_sk_test_x", async_backend="aiohttp") as client:
        session = await chargeapi.ChargingSession.retrieve_async("cs_a", client=client)
        assert_type(session, chargeapi.ChargingSession)
    chargeapi.Client("ch_sk_test_x", async_backend="httpx").close()
    chargeapi.Client("ch_sk_test_x", async_backend="trio")  # type: ignore[arg-type]
