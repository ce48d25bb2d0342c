"""Transaction: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, refused_before_io, seed_response

# The transaction example of the API reference (section 7.13), verbatim.
TRANSACTION: dict[str, Any] = {
    "id": "txn_Bn4hF4izCWt29CHG1jijO5YobJKdy8Of",
    "object": "transaction",
    "amount": 1842,
    "charging_session": "cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",
    "created": "2026-04-01T03:27:23.812Z",
    "currency": "eur",
    "description": "Charge for charging session cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",
    "driver": "drv_xCY8p1p5O6tFt0ccymP2GAQ3Mtd3qfky",
    "fleet": "flt_sAnhKFeQ0AVJkLyxdA39GAIrOzGtDFC2",
    "payment_method": "pm_9lA2pgJi9fkAiAAGBAABCIO9qASX5egE",
    "status": "succeeded",
    "type": "charge",
    "vehicle": "veh_r9o8w3cvwxvKKkBRIcoxvUCJgiUYqnhb",
}
TXN = "txn_Bn4hF4izCWt29CHG1jijO5YobJKdy8Of"
DRV = "drv_xCY8p1p5O6tFt0ccymP2GAQ3Mtd3qfky"
FLT = "flt_sAnhKFeQ0AVJkLyxdA39GAIrOzGtDFC2"
Sdk = Callable[..., Any]


def check_transaction(transaction: Any) -> None:
    assert isinstance(transaction, chargeapi.Transaction)
    assert transaction.id == TXN
    assert transaction.amount == 1842
    assert transaction.status == chargeapi.TransactionStatus.SUCCEEDED
    assert transaction.type == chargeapi.TransactionType.CHARGE
    assert transaction.created == datetime(2026, 4, 1, 3, 27, 23, 812000, tzinfo=UTC)


def test_documented_example_round_trips() -> None:
    decoded = chargeapi.Transaction.from_dict(TRANSACTION)
    check_transaction(decoded)
    assert decoded.charging_session == "cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8"
    assert decoded.to_dict() == TRANSACTION


def test_unknown_type_and_status_stay_strings() -> None:
    decoded = chargeapi.Transaction.from_dict({**TRANSACTION, "type": "payout", "status": "held"})
    assert decoded.type == "payout"
    assert decoded.status == "held"
    assert not isinstance(decoded.type, chargeapi.TransactionType)


@respx.mock
def test_retrieve_with_expand_decodes_the_session(sdk: Sdk) -> None:
    session = seed_response()
    expanded = {**TRANSACTION, "charging_session": session}
    route = respx.get(f"{API}/v1/transactions/{TXN}").mock(
        return_value=httpx.Response(200, json=expanded)
    )
    transaction = sdk(chargeapi.Transaction.retrieve, TXN, expand=["charging_session"])
    assert_get(route, [("expand", "charging_session")])
    check_transaction(transaction)
    assert isinstance(transaction.charging_session, chargeapi.ChargingSession)
    assert transaction.charging_session.id == session["id"]
    assert transaction.charging_session.status == chargeapi.ChargingSessionStatus.ACTIVE


@respx.mock
def test_retrieve_without_expand_sends_no_query(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/transactions/{TXN}").mock(
        return_value=httpx.Response(200, json=TRANSACTION)
    )
    check_transaction(sdk(chargeapi.Transaction.retrieve, TXN))
    assert_get(route, [])


@respx.mock
def test_list_sends_filters_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/transactions").mock(
        return_value=httpx.Response(
            200, json={"data": [TRANSACTION], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Transaction.list, driver=DRV, fleet=FLT, limit=5, expand="driver")
    assert_get(route, [("driver", DRV), ("fleet", FLT), ("limit", "5"), ("expand", "driver")])
    assert len(page.data) == 1
    check_transaction(page.data[0])


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error", "message"),
    [
        ("retrieve", ("cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",), {}, ValueError, r"^id must be"),
        ("retrieve", (TXN,), {"expand": [""]}, ValueError, r"expand"),
        ("list", (), {"driver": FLT}, ValueError, r"^driver must be a driver ID"),
        ("list", (), {"limit": 0}, ValueError, r"^limit must be between 1 and 100"),
        ("list", (), {"limit": "10"}, TypeError, r"^limit must be an int"),
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
        sdk(getattr(chargeapi.Transaction, method), *args, **kwargs)


@respx.mock
def test_chargeapi_retrieve_picks_transaction_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/transactions/{TXN}").mock(
        return_value=httpx.Response(200, json=TRANSACTION)
    )
    found = chargeapi.retrieve(TXN, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.Transaction)
    assert found.id == TXN
