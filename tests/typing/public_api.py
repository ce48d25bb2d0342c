"""A user's code, checked by ``mypy --strict`` in CI (not run by pytest).

``assert_type`` fails the type check if the SDK's annotations drift from what users rely on.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, assert_type

import chargeapi


def sync_usage(client: chargeapi.Client) -> None:
    session = chargeapi.ChargingSession.create(
        charging_station="chst_a",
        connector="connector_a1",
        driver="drv_a",
        payment_method="pm_a",
        vehicle="veh_a",
        session_limit=30_000,
        client=client,
    )
    assert_type(session, chargeapi.ChargingSession)
    assert_type(session.amount_due, int)
    assert_type(session.energy_consumed, int)
    assert_type(session.created, datetime)
    assert_type(session.session_ended, datetime | None)
    assert_type(session.driver, str | chargeapi.Driver)
    assert_type(session.status, chargeapi.ChargingSessionStatus | str)
    if isinstance(session.driver, chargeapi.Driver):
        assert_type(session.driver.fleets, tuple[str, ...])

    params: chargeapi.ChargingSessionCreateParams = {
        "charging_station": "chst_a",
        "connector": "connector_a1",
        "driver": "drv_a",
        "payment_method": "pm_a",
        "vehicle": "veh_a",
    }
    assert_type(
        chargeapi.ChargingSession.create(**params, client=client), chargeapi.ChargingSession
    )

    page = chargeapi.ChargingSession.list(status="active", limit=10, client=client)
    assert_type(page, chargeapi.Page[chargeapi.ChargingSession])
    for item in page:
        assert_type(item, chargeapi.ChargingSession)
    assert_type(page.next_page_url, str | None)

    station = chargeapi.ChargingStation.retrieve("chst_a", client=client)
    assert_type(station.connectors[0].power, float)
    assert_type(station.capabilities.access_24_7, bool)

    ended = chargeapi.ChargingSession.end(session.id, idempotency_key="end-1", client=client)
    assert_type(ended.to_dict(), dict[str, Any])

    try:
        chargeapi.ChargingSession.retrieve("cs_x", expand=["driver"], client=client)
    except chargeapi.NotFoundError as error:
        assert_type(error.status_code, int)
        assert_type(error.code, str | None)
        assert_type(error.request_id, str | None)


async def async_usage(client: chargeapi.Client) -> None:
    session = await chargeapi.ChargingSession.retrieve_async("cs_x", client=client)
    assert_type(session, chargeapi.ChargingSession)
    async for item in chargeapi.ChargingSession.list_async(driver="drv_a", client=client):
        assert_type(item, chargeapi.ChargingSession)
    first = await chargeapi.ChargingSession.list_async(client=client)
    assert_type(first, chargeapi.AsyncPage[chargeapi.ChargingSession])


def run() -> None:
    with chargeapi.Client("ch_sk_test_x", max_retries=3, timeout=10) as client:
        sync_usage(client)
        asyncio.run(async_usage(client))


def whole_api_usage(client: chargeapi.Client) -> None:
    driver = chargeapi.Driver.create(
        name="A",
        email="a@example.com",
        preferences={"notifications": True, "preferred_cpos": ["ionity"]},
        metadata={"k": "v"},
        client=client,
    )
    assert_type(driver, chargeapi.Driver)
    assert_type(chargeapi.Driver.update(driver.id, phone=None, client=client), chargeapi.Driver)
    assert_type(
        chargeapi.Driver.list(fleet="flt_a", client=client), chargeapi.Page[chargeapi.Driver]
    )
    assert_type(chargeapi.Driver.attach(driver.id, fleet="flt_a", client=client), chargeapi.Driver)
    assert_type(chargeapi.retrieve("cs_a", client=client), chargeapi.ChargeObject)

    chargeapi.Driver.create(name="A", client=client)  # type: ignore[call-arg]
    chargeapi.Driver.create(name=1, email="a@example.com", client=client)  # type: ignore[arg-type]
    chargeapi.Driver.create(
        name="A",
        email="a@example.com",
        preferences={"notification": True},  # type: ignore[arg-type]
        client=client,
    )
    chargeapi.ChargingSession.list(status="actve", client=client)  # type: ignore[arg-type]
    chargeapi.Driver.attach(driver.id, client=client)  # type: ignore[call-arg]


async def whole_api_async_usage(client: chargeapi.Client) -> None:
    driver = await chargeapi.Driver.attach_async("drv_a", fleet="flt_a", client=client)
    assert_type(driver, chargeapi.Driver)
    pager = chargeapi.Driver.list_async(vehicle="veh_a", client=client)
    assert_type(pager, chargeapi.AsyncPager[chargeapi.Driver])
    assert_type(await chargeapi.retrieve_async("drv_a", client=client), chargeapi.ChargeObject)
