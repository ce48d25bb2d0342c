"""Waiters as a user calls them; checked by ``mypy --strict`` and pyright strict (not run by pytest).

Each ``# type: ignore[...]`` line is a mistake both checkers must catch: both warn when an ignore
is not needed, so a signature that stops catching it fails the check.
"""

from __future__ import annotations

from typing import Any, assert_type

import chargeapi
from chargeapi import ChargingSession, Invoice, Report, Reservation


def waiting(client: chargeapi.Client) -> None:
    report = Report.wait_until("rpt_a", status="succeeded", timeout=300, client=client)
    assert_type(report, Report)
    assert_type(report.url, str | None)
    either = Report.wait_until("rpt_a", status=("succeeded", "failed"), timeout=60, interval=1)
    assert_type(either, Report)
    session = ChargingSession.wait_until("cs_a", status=["completed"], timeout=3600.0)
    assert_type(session, ChargingSession)
    reservation = Reservation.wait_until("res_a", status={"confirmed", "completed"}, timeout=60)
    assert_type(reservation, Reservation)
    assert_type(Invoice.wait_until("inv_a", status="paid", timeout=60), Invoice)
    Report.wait_until("rpt_a", status="succeded", timeout=60)  # type: ignore[arg-type]
    Invoice.wait_until("inv_a", status="succeeded", timeout=60)  # type: ignore[arg-type]
    ChargingSession.wait_until("cs_a", status="active")  # type: ignore[call-arg]
    Report.wait_until("rpt_a", status="pending", timeout="60")  # type: ignore[arg-type]
    Report.wait_until("rpt_a", status="pending", timeout=60, expand=["fleet"])  # type: ignore[call-arg]


async def waiting_async(client: chargeapi.Client) -> None:
    report = await Report.wait_until_async("rpt_a", status="succeeded", timeout=300)
    assert_type(report, Report)
    session = await ChargingSession.wait_until_async(
        "cs_a", status=("completed", "failed"), timeout=60, interval=5, client=client
    )
    assert_type(session, ChargingSession)
    await Reservation.wait_until_async("res_a", status="confirmd", timeout=60)  # type: ignore[arg-type]


def wait_errors(error: chargeapi.WaitError) -> None:
    assert_type(error.last, Any)
    assert_type(error.wanted, tuple[str, ...])
    try:
        Report.wait_until("rpt_a", status="succeeded", timeout=60)
    except chargeapi.WaitTimeoutError as timed_out:
        assert_type(timed_out.last, Any)
    except chargeapi.UnreachableStatusError as unreachable:
        assert_type(unreachable, chargeapi.UnreachableStatusError)


def waiting_on_objects(report: Report, session: ChargingSession, client: chargeapi.Client) -> None:
    assert_type(report.wait_until(status="succeeded", timeout=300), Report)
    assert_type(
        session.wait_until(status=("completed", "failed"), timeout=60, client=client),
        ChargingSession,
    )
    report.wait_until(status="succeded", timeout=60)  # type: ignore[arg-type]
    report.wait_until("rpt_a", status="succeeded", timeout=60)  # type: ignore[arg-type, misc]


async def waiting_on_objects_async(invoice: Invoice) -> None:
    assert_type(await invoice.wait_until_async(status="paid", timeout=60, interval=1), Invoice)
    await invoice.wait_until_async(status="paid")  # type: ignore[call-arg]
