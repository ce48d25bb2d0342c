"""Habits from stripe-python and openai-python, as a user types them: objects that act, the
escape hatches, module-level settings, errors and pages. Checked by mypy --strict and pyright
(strict), never run.

``assert_type`` pins every result; each ``# type: ignore[...]`` line is a mistake both checkers
must catch (both report unused ignores, so an ignore that stops being needed fails too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_type

import chargeapi
from chargeapi import Client

CS = "cs_cjLWDmaRAF1Nvr7FxQaYTIYf4nR5XqOS"
PM = "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD"
FLT = "flt_GcCTjfCFc1Yv9Ez8YmSmP5x0RGRYoF0e"


def objects_act(session: chargeapi.ChargingSession, client: Client) -> None:
    assert_type(session.end(), chargeapi.ChargingSession)
    assert_type(session.end(client=client, idempotency_key="k"), chargeapi.ChargingSession)
    assert_type(session.refresh(expand=["driver"]), chargeapi.ChargingSession)
    assert_type(session.retrieve(), chargeapi.ChargingSession)
    # The class forms keep their parameters.
    assert_type(chargeapi.ChargingSession.end(CS, client=client), chargeapi.ChargingSession)
    assert_type(chargeapi.ChargingSession.refresh(CS), chargeapi.ChargingSession)

    session.end(CS)  # type: ignore[call-arg]
    session.refresh(expand=1)  # type: ignore[arg-type]
    session.end(idempotency_key=1)  # type: ignore[arg-type]
    chargeapi.ChargingSession.end()  # type: ignore[call-arg]
    chargeapi.ChargingSession.end(42)  # type: ignore[arg-type]


def other_objects(
    invoice: chargeapi.Invoice,
    driver: chargeapi.Driver,
    policy: chargeapi.Policy,
    telemetry: chargeapi.VehicleTelemetry,
) -> None:
    assert_type(invoice.pay(payment_method=PM), chargeapi.Invoice)
    assert_type(invoice.finalize(), chargeapi.Invoice)
    assert_type(invoice.update(description=None), chargeapi.Invoice)
    assert_type(driver.attach(fleet=FLT), chargeapi.Driver)
    assert_type(policy.delete(), chargeapi.DeletedObject)
    assert_type(telemetry.refresh(expand="vehicle"), chargeapi.VehicleTelemetry)

    invoice.pay(payment_method=7)  # type: ignore[arg-type]
    invoice.pay(payment="pm_1")  # type: ignore[call-arg]
    driver.attach()  # type: ignore[call-arg]
    driver.attach(fleet=FLT, vehicle="veh_1")  # type: ignore[call-arg]


async def objects_act_async(session: chargeapi.ChargingSession, invoice: chargeapi.Invoice) -> None:
    assert_type(await session.end_async(), chargeapi.ChargingSession)
    assert_type(await session.refresh_async(), chargeapi.ChargingSession)
    assert_type(await invoice.pay_async(payment_method=PM), chargeapi.Invoice)
    assert_type(
        await chargeapi.ChargingSession.end_async(CS, idempotency_key="k"),
        chargeapi.ChargingSession,
    )
    await session.end_async(CS)  # type: ignore[call-arg]
    await invoice.pay_async(payment_method=7)  # type: ignore[arg-type]


def escape_hatches(client: Client) -> None:
    session = chargeapi.ChargingSession.retrieve(
        CS,
        client=client,
        extra_headers={"Charge-Beta": "telemetry=1"},
        extra_query={"include": ["a", "b"], "page_size": 5},
    )
    assert_type(session, chargeapi.ChargingSession)
    chargeapi.Invoice.pay("inv_1", extra_body={"note": {"a": [1, 2]}})
    session.end(extra_headers={"X-Trace": "1"}, extra_body={"reason": "user"})
    chargeapi.ChargingSession.retrieve(CS, extra_headers={"X-Trace": 1})  # type: ignore[dict-item]
    chargeapi.ChargingSession.retrieve(CS, extra_body=["x"])  # type: ignore[arg-type]
    chargeapi.ChargingSession.retrieve(CS, extras={})  # type: ignore[call-arg]
    options: chargeapi.RequestOptions = {"extra_headers": {"X-Trace": "1"}}
    chargeapi.Driver.list(**options)

    raw = client.raw_request("POST", "/v1/beta/things", json={"a": 1}, idempotency_key="k")
    assert_type(raw, chargeapi.JSONObject)
    assert_type(raw["a"], Any)
    assert_type(raw.last_response, chargeapi.LastResponse | None)
    client.raw_request("PATCH", "/v1/things")  # type: ignore[arg-type]
    client.raw_request("GET", "/v1/things", query={"a": object()})  # type: ignore[dict-item]

    response = session.last_response
    if response is not None:
        assert_type(response.content, bytes)
        assert_type(response.text, str)
        assert_type(response.json(), Any)

    configured = Client(
        default_headers={"X-Team": "fleet-ops"}, app_info=("MyApp", "1.2.0", "https://x.io")
    )
    assert_type(configured.default_headers, Mapping[str, str])
    derived = configured.with_options(
        max_response_bytes=1024, default_headers={"X-Other": "1"}, app_info=("MyApp",)
    )
    assert_type(derived, Client)
    Client(app_info=("MyApp", 1))  # type: ignore[arg-type]
    configured.with_options(http_client=None)  # type: ignore[call-arg]


def module_settings() -> None:
    # (pyright does not check what is assigned to a module's attribute; the SDK does, at once.)
    chargeapi.api_key = "ch_sk_test_123"
    chargeapi.base_url = "http://127.0.0.1:12111"
    chargeapi.max_retries = 5
    chargeapi.timeout = 10.0
    chargeapi.api_version = "2026-03-01"
    chargeapi.api_key = None


def module_settings_read() -> None:
    assert_type(chargeapi.api_key, str | None)
    assert_type(chargeapi.base_url, str)
    assert_type(chargeapi.max_retries, int)
    assert_type(chargeapi.timeout, float)
    assert_type(chargeapi.api_version, str)


def errors_and_pages(page: chargeapi.Page[chargeapi.Driver]) -> None:
    try:
        chargeapi.Driver.retrieve("nope")
    except chargeapi.InvalidParameterError as error:
        assert_type(error.param, str | None)
    assert_type(len(page), int)
    assert_type(page.previous_page(), chargeapi.Page[chargeapi.Driver] | None)


async def async_pages() -> None:
    page = await chargeapi.Driver.list_async()
    assert_type(len(page), int)
    assert_type(await page.previous_page(), chargeapi.AsyncPage[chargeapi.Driver] | None)
    assert_type(await page.previous_page_async(), chargeapi.AsyncPage[chargeapi.Driver] | None)
