"""Reservations, invoices, transactions, reports, estimations and webhook endpoints, as a user
calls them; checked by ``mypy --strict`` and pyright strict (not run by pytest).

Each ``# type: ignore[...]`` line is a mistake both checkers must catch: both warn when an ignore
is not needed, so a signature that stops catching it fails the check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import assert_type

import chargeapi
from chargeapi import (
    AsyncPage,
    AsyncPager,
    Estimation,
    Invoice,
    Page,
    Report,
    Reservation,
    Transaction,
    WebhookEndpoint,
)

START = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)


def reservations(client: chargeapi.Client) -> None:
    location: chargeapi.ReservationLocationParams = {"latitude": 48.8698, "longitude": 2.3319}
    created = Reservation.create(
        connector_type=["CCS", "Type2"],
        driver="drv_a",
        ideal_start=START,
        ideal_end="2026-04-01T03:00:00Z",
        location={**location, "radius": 1500},
        vehicle="veh_a",
        earliest_start=None,
        metadata={"job": "1"},
        client=client,
    )
    assert_type(created, Reservation)
    assert_type(created.status, chargeapi.ReservationStatus | str)
    assert_type(created.driver, str | chargeapi.Driver)
    assert_type(created.charging_station, str | chargeapi.ChargingStation | None)
    assert_type(created.ideal_start, datetime)
    assert_type(created.connector_type, tuple[str, ...])
    assert_type(created.location.radius, float)
    assert_type(Reservation.retrieve(created.id, expand=["driver"], client=client), Reservation)
    assert_type(
        Reservation.update(created.id, latest_end=None, ideal_start=START, client=client),
        Reservation,
    )
    assert_type(
        Reservation.list(status="pending", driver="drv_a", limit=10, client=client),
        Page[Reservation],
    )
    assert_type(Reservation.confirm(created.id, payment_method="pm_a", client=client), Reservation)
    assert_type(Reservation.cancel(created.id, idempotency_key="k", client=client), Reservation)

    Reservation.list(status="actve")  # type: ignore[arg-type]
    Reservation.create(  # type: ignore[call-arg]
        connector_type=["CCS"],
        driver="drv_a",
        ideal_start=START,
        ideal_end=START,
        vehicle="veh_a",
    )
    Reservation.create(
        connector_type=["CCX"],  # type: ignore[list-item]
        driver="drv_a",
        ideal_start=START,
        ideal_end=START,
        location=location,
        vehicle="veh_a",
    )
    Reservation.update("res_a", location={"lat": 1.0, "longitude": 2.0})  # type: ignore[arg-type]
    Reservation.update("res_a", ideal_start=1711933200)  # type: ignore[arg-type]
    Reservation.update("res_a", driver=None)  # type: ignore[arg-type]


def invoices(client: chargeapi.Client) -> None:
    created = Invoice.create(period_start=START, period_end=START, fleet="flt_a", client=client)
    assert_type(created, Invoice)
    assert_type(created.status, chargeapi.InvoiceStatus | str)
    assert_type(created.fleet, str | chargeapi.Fleet | None)
    assert_type(created.line_items[0].amount, int)
    assert_type(created.amount_due, int | None)
    assert_type(Invoice.retrieve(created.id, expand="fleet", client=client), Invoice)
    assert_type(Invoice.update(created.id, description=None, client=client), Invoice)
    assert_type(Invoice.list(fleet="flt_a", status="open", client=client), Page[Invoice])
    assert_type(Invoice.finalize(created.id, client=client), Invoice)
    assert_type(Invoice.pay(created.id, payment_method="pm_a", client=client), Invoice)
    assert_type(Invoice.void(created.id, client=client), Invoice)

    Invoice.create(period_start=START)  # type: ignore[call-arg]
    Invoice.list(status="uncollectable")  # type: ignore[arg-type]
    Invoice.pay(created.id, payment_method=42)  # type: ignore[arg-type]


def transactions(client: chargeapi.Client) -> None:
    transaction = Transaction.retrieve("txn_a", expand=["charging_session"], client=client)
    assert_type(transaction, Transaction)
    assert_type(transaction.amount, int)
    assert_type(transaction.type, chargeapi.TransactionType | str)
    assert_type(transaction.charging_session, str | chargeapi.ChargingSession | None)
    assert_type(Transaction.list(driver="drv_a", limit=5, client=client), Page[Transaction])

    Transaction.list(limit="5")  # type: ignore[arg-type]
    Transaction.retrieve()  # type: ignore[call-arg]


def reports(client: chargeapi.Client) -> None:
    parameters: chargeapi.ReportParametersParams = {
        "type": "charging_summary",
        "period_start": START,
        "period_end": "2026-05-01T00:00:00Z",
        "filters": {"vehicle": ["veh_a"]},
    }
    report = Report.create(parameters=parameters, fleet="flt_a", client=client)
    assert_type(report, Report)
    assert_type(report.status, chargeapi.ReportStatus | str)
    assert_type(report.parameters.filters.vehicle, tuple[str, ...])
    assert_type(Report.retrieve(report.id, expand=["fleet"], client=client), Report)
    assert_type(Report.list(status="processing", client=client), Page[Report])

    Report.create()  # type: ignore[call-arg]
    Report.create(parameters={"type": "charging_summary", "period_start": START})  # type: ignore[typeddict-item]
    Report.list(status="done")  # type: ignore[arg-type]


def estimations(client: chargeapi.Client) -> None:
    estimation = Estimation.create(
        charging_station="chst_a",
        vehicle="veh_a",
        battery_level=20,
        battery_target_level=80,
        client=client,
    )
    assert_type(estimation, Estimation)
    assert_type(estimation.estimated_total_cost, int)
    assert_type(estimation.estimated_energy_kwh, float)
    assert_type(estimation.cost_breakdown[0].type, chargeapi.EstimationCostType | str)
    assert_type(Estimation.retrieve(estimation.id, expand="vehicle", client=client), Estimation)

    Estimation.create(charging_station="chst_a", vehicle="veh_a", battery_level=20)  # type: ignore[call-arg]
    Estimation.create(
        charging_station="chst_a",
        vehicle="veh_a",
        battery_level="20%",  # type: ignore[arg-type]
        battery_target_level=80,
    )


def webhook_endpoints(client: chargeapi.Client) -> None:
    endpoint = WebhookEndpoint.create(
        enabled_events=["report.succeeded"], url="https://example.com/hook", client=client
    )
    assert_type(endpoint, WebhookEndpoint)
    assert_type(endpoint.status, chargeapi.WebhookEndpointStatus | str)
    assert_type(endpoint.enabled_events, tuple[str, ...])
    assert_type(WebhookEndpoint.retrieve(endpoint.id, client=client), WebhookEndpoint)
    assert_type(
        WebhookEndpoint.update(endpoint.id, status="disabled", client=client), WebhookEndpoint
    )
    assert_type(WebhookEndpoint.list(limit=10, client=client), Page[WebhookEndpoint])

    WebhookEndpoint.create(url="https://example.com/hook")  # type: ignore[call-arg]
    WebhookEndpoint.update(endpoint.id, status="paused")  # type: ignore[arg-type]
    WebhookEndpoint.update(endpoint.id, url="https://example.com/new")  # type: ignore[call-arg]
    WebhookEndpoint.retrieve(endpoint.id, expand=["url"])  # type: ignore[call-arg]
    WebhookEndpoint.delete(endpoint.id)  # type: ignore[attr-defined]


async def async_usage(client: chargeapi.Client) -> None:
    location: chargeapi.ReservationLocationParams = {"latitude": 48.0, "longitude": 2.0}
    reservation = await Reservation.create_async(
        connector_type=["CHAdeMO"],
        driver="drv_a",
        ideal_start=START,
        ideal_end=START,
        location=location,
        vehicle="veh_a",
        client=client,
    )
    assert_type(reservation, Reservation)
    assert_type(await Reservation.retrieve_async("res_a", client=client), Reservation)
    assert_type(await Reservation.update_async("res_a", metadata={}), Reservation)
    assert_type(Reservation.list_async(client=client), AsyncPager[Reservation])
    assert_type(await Reservation.list_async(client=client), AsyncPage[Reservation])
    async for item in Reservation.list_async(vehicle="veh_a", client=client):
        assert_type(item, Reservation)
    assert_type(await Reservation.confirm_async("res_a", client=client), Reservation)
    assert_type(await Reservation.cancel_async("res_a", client=client), Reservation)

    invoice = await Invoice.create_async(period_start=START, period_end=START, client=client)
    assert_type(invoice, Invoice)
    assert_type(await Invoice.retrieve_async("inv_a", client=client), Invoice)
    assert_type(await Invoice.update_async("inv_a", currency="eur", client=client), Invoice)
    assert_type(await Invoice.list_async(client=client), AsyncPage[Invoice])
    assert_type(await Invoice.finalize_async("inv_a", client=client), Invoice)
    assert_type(await Invoice.pay_async("inv_a", client=client), Invoice)
    assert_type(await Invoice.void_async("inv_a", client=client), Invoice)

    assert_type(await Transaction.retrieve_async("txn_a", client=client), Transaction)
    async for transaction in Transaction.list_async(fleet="flt_a", client=client):
        assert_type(transaction, Transaction)

    parameters: chargeapi.ReportParametersParams = {
        "type": "charging_summary",
        "period_start": START,
        "period_end": START,
    }
    assert_type(await Report.create_async(parameters=parameters, client=client), Report)
    assert_type(await Report.retrieve_async("rpt_a", client=client), Report)
    assert_type(await Report.list_async(status="failed", client=client), AsyncPage[Report])

    estimation = await Estimation.create_async(
        charging_station="chst_a",
        vehicle="veh_a",
        battery_level=0,
        battery_target_level=100,
        currency="eur",
        client=client,
    )
    assert_type(estimation, Estimation)
    assert_type(await Estimation.retrieve_async("est_a", client=client), Estimation)

    endpoint = await WebhookEndpoint.create_async(
        enabled_events=["charge.succeeded"], url="https://example.com/hook", client=client
    )
    assert_type(endpoint, WebhookEndpoint)
    assert_type(await WebhookEndpoint.retrieve_async("wh_a", client=client), WebhookEndpoint)
    assert_type(
        await WebhookEndpoint.update_async("wh_a", enabled_events=[], client=client),
        WebhookEndpoint,
    )
    assert_type(await WebhookEndpoint.list_async(client=client), AsyncPage[WebhookEndpoint])

    await Reservation.cancel_async("res_a", reason="x")  # type: ignore[call-arg]
    await Invoice.list_async(status="paid ")  # type: ignore[arg-type]
