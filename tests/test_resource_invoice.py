"""Invoice: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The invoice example of the API reference (section 7.12), verbatim.
INVOICE: dict[str, Any] = {
    "id": "inv_x1QYytVkSXm5EPAsZCFVnnEW4DSSkY8K",
    "object": "invoice",
    "amount_due": 2500,
    "amount_paid": None,
    "created": "2026-05-02T00:40:50.892Z",
    "currency": "eur",
    "description": None,
    "due_date": "2026-05-09T00:41:23.968Z",
    "fleet": "flt_FCnMkyIiidV4Go6AyA3EkQ8J3to4PYip",
    "line_items": [
        {
            "amount": 1842,
            "description": "Charging sessions for March 2026",
            "quantity": 1,
            "unit_amount": 1842,
        },
        {"amount": 658, "description": "Reservation fees", "quantity": 2, "unit_amount": 329},
    ],
    "metadata": {},
    "paid_at": None,
    "payment_method": None,
    "period_end": "2026-05-02T00:41:19.481Z",
    "period_start": "2026-04-01T00:41:30.118Z",
    "status": "draft",
}
INV = "inv_x1QYytVkSXm5EPAsZCFVnnEW4DSSkY8K"
FLT = "flt_FCnMkyIiidV4Go6AyA3EkQ8J3to4PYip"
PM = "pm_A8uQn2ZeMw5kLp1XrT7cHsJvBy4dFoN9"
Sdk = Callable[..., Any]


def check_invoice(invoice: Any, status: chargeapi.InvoiceStatus) -> None:
    assert isinstance(invoice, chargeapi.Invoice)
    assert invoice.id == INV
    assert invoice.status == status
    assert invoice.fleet == FLT
    assert invoice.line_items[1] == chargeapi.InvoiceLineItem(
        amount=658, description="Reservation fees", quantity=2, unit_amount=329
    )
    assert invoice.period_start == datetime(2026, 4, 1, 0, 41, 30, 118000, tzinfo=UTC)


def invoice(**changes: Any) -> dict[str, Any]:
    return {**INVOICE, **changes}


def test_documented_example_round_trips() -> None:
    decoded = chargeapi.Invoice.from_dict(INVOICE)
    check_invoice(decoded, chargeapi.InvoiceStatus.DRAFT)
    assert decoded.amount_due == 2500
    assert decoded.amount_paid is None
    assert decoded.to_dict() == INVOICE


def test_old_unix_timestamps_decode() -> None:
    decoded = chargeapi.Invoice.from_dict(invoice(period_start=1711929600))
    assert decoded.period_start == datetime(2024, 4, 1, tzinfo=UTC)


@respx.mock
def test_create_sends_documented_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/invoices").mock(return_value=httpx.Response(200, json=INVOICE))
    created = sdk(
        chargeapi.Invoice.create,
        period_start=datetime(2026, 4, 1, tzinfo=UTC),
        period_end="2026-05-01T00:00:00Z",
        fleet=FLT,
        currency="eur",
        description="April",
        metadata={"invoice_group": "paris-monthly"},
    )
    assert_post(
        route,
        {
            "period_start": "2026-04-01T00:00:00.000Z",
            "period_end": "2026-05-01T00:00:00.000Z",
            "fleet": FLT,
            "currency": "eur",
            "description": "April",
            "metadata": {"invoice_group": "paris-monthly"},
        },
    )
    check_invoice(created, chargeapi.InvoiceStatus.DRAFT)


@respx.mock
def test_retrieve_with_expand(sdk: Sdk) -> None:
    expanded = invoice(fleet={"id": FLT, "object": "fleet", "name": "Example Fleet"})
    route = respx.get(f"{API}/v1/invoices/{INV}").mock(
        return_value=httpx.Response(200, json=expanded)
    )
    retrieved = sdk(chargeapi.Invoice.retrieve, INV, expand="fleet")
    assert_get(route, [("expand", "fleet")])
    assert isinstance(retrieved.fleet, chargeapi.Fleet)
    assert retrieved.fleet.name == "Example Fleet"
    assert retrieved.status == chargeapi.InvoiceStatus.DRAFT


@respx.mock
def test_update_sends_only_what_was_given_and_none_as_null(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/invoices/{INV}").mock(
        return_value=httpx.Response(200, json=INVOICE)
    )
    updated = sdk(chargeapi.Invoice.update, INV, description=None, metadata={"k": "v"})
    assert_post(route, {"description": None, "metadata": {"k": "v"}})
    check_invoice(updated, chargeapi.InvoiceStatus.DRAFT)


@respx.mock
def test_list_sends_filters_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/invoices").mock(
        return_value=httpx.Response(
            200, json={"data": [INVOICE], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Invoice.list, fleet=FLT, status="open", limit=100)
    assert_get(route, [("fleet", FLT), ("status", "open"), ("limit", "100")])
    assert len(page.data) == 1
    check_invoice(page.data[0], chargeapi.InvoiceStatus.DRAFT)


@pytest.mark.parametrize(("action", "status"), [("finalize", "open"), ("void", "void")])
@respx.mock
def test_finalize_and_void_send_an_empty_body(sdk: Sdk, action: str, status: str) -> None:
    route = respx.post(f"{API}/v1/invoices/{INV}/{action}").mock(
        return_value=httpx.Response(200, json=invoice(status=status))
    )
    result = sdk(getattr(chargeapi.Invoice, action), INV)
    assert_post(route, {})
    check_invoice(result, chargeapi.InvoiceStatus(status))


@respx.mock
def test_pay_sends_the_payment_method_override(sdk: Sdk) -> None:
    paid = invoice(
        status="paid",
        amount_due=0,
        amount_paid=2500,
        paid_at="2026-05-03T10:00:00.000Z",
        payment_method=PM,
    )
    route = respx.post(f"{API}/v1/invoices/{INV}/pay").mock(
        return_value=httpx.Response(200, json=paid)
    )
    result = sdk(chargeapi.Invoice.pay, INV, payment_method=PM)
    assert_post(route, {"payment_method": PM})
    check_invoice(result, chargeapi.InvoiceStatus.PAID)
    assert result.amount_paid == 2500
    assert result.paid_at == datetime(2026, 5, 3, 10, tzinfo=UTC)


@respx.mock
def test_pay_with_the_default_payment_method_sends_an_empty_body(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/invoices/{INV}/pay").mock(
        return_value=httpx.Response(200, json=invoice(status="paid"))
    )
    check_invoice(sdk(chargeapi.Invoice.pay, INV), chargeapi.InvoiceStatus.PAID)
    assert_post(route, {})


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error", "message"),
    [
        ("create", (), {"period_end": "2026-05-01T00:00:00Z"}, TypeError, r"period_start"),
        (
            "create",
            (),
            {"period_start": datetime(2026, 4, 1), "period_end": "2026-05-01T00:00:00Z"},
            ValueError,
            r"^period_start has no time zone",
        ),
        (
            "create",
            (),
            {"period_start": "2026-04-01T00:00:00Z", "period_end": 1714521600},
            TypeError,
            r"^period_end must be a datetime or an RFC 3339 str",
        ),
        ("list", (), {"status": "uncollectable"}, ValueError, r"^status must be one of 'draft'"),
        ("list", (), {"limit": 101}, ValueError, r"^limit must be between 1 and 100"),
        ("pay", (INV,), {"payment_method": FLT}, ValueError, r"^payment_method must be a"),
        ("void", (FLT,), {}, ValueError, r"^id must be an? invoice ID"),
        ("update", (INV,), {"metadata": {"k": "v" * 501}}, ValueError, r"^metadata\.k must be"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with refused_before_io(error, match=message):
        sdk(getattr(chargeapi.Invoice, method), *args, **kwargs)


@respx.mock
def test_chargeapi_retrieve_picks_invoice_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/invoices/{INV}").mock(
        return_value=httpx.Response(200, json=INVOICE)
    )
    found = chargeapi.retrieve(INV, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.Invoice)
    assert found.id == INV
