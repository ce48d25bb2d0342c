"""An answer off the documented shape: decoded anyway by default, refused in strict mode.

A real loopback server answers with the docs' invoice example minus (or nulling) a field the
docs type as non-null. By default the SDK returns the object, keeps what the server sent and logs
one warning per model field per process; ``Client(strict_responses=True)`` raises
InvalidResponseError naming the JSON path instead. Sync, and async on both backends.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi import _lenient
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import TEST_KEY

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
MISSING = "inv_missingPeriodStartxxxxxxxxxxxxx"  # answered without period_start
NULL = "inv_nullPeriodStartxxxxxxxxxxxxxxxxx"  # answered with "period_start": null
FLOATS = "inv_floatAmountsxxxxxxxxxxxxxxxxxxxx"  # an int field and a nested one sent as floats
MODES = ["sync", "httpx", "aiohttp"]


def answer(invoice_id: str) -> dict[str, Any]:
    """What the drifting server sends for an invoice ID (the docs' example, changed)."""
    body = copy.deepcopy(INVOICE) | {"id": invoice_id}
    if invoice_id == MISSING:
        del body["period_start"]
    elif invoice_id == NULL:
        body["period_start"] = None
    elif invoice_id == FLOATS:
        body["amount_due"] = 2500.5
        body["line_items"][1]["quantity"] = 1.5
    return body


def drifting(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if request.method == "POST" and path == "/v1/invoices":
        return httpx.Response(200, json=answer(MISSING))
    if request.method == "GET" and path == "/v1/invoices":
        page = {"data": [answer(MISSING)], "next_page_url": None, "previous_page_url": None}
        return httpx.Response(200, json=page)
    if request.method == "GET" and path.startswith("/v1/invoices/"):
        return httpx.Response(200, json=answer(path.rsplit("/", 1)[1]))
    return httpx.Response(404, json={"object": "error", "message": "no such route"})


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings are once per field per *process*: each test starts as a new process would."""
    monkeypatch.setattr(_lenient, "_warned", set())


@pytest.fixture
def server() -> Iterator[SimulatorServer]:
    with SimulatorServer(drifting) as running:
        yield running


def make_client(server: SimulatorServer, mode: str, **options: Any) -> chargeapi.Client:
    backend = "aiohttp" if mode == "aiohttp" else "httpx"
    return chargeapi.Client(
        TEST_KEY, base_url=server.url, max_retries=0, async_backend=backend, **options
    )


def retrieve(mode: str, client: chargeapi.Client, *ids: str) -> list[chargeapi.Invoice]:
    """Retrieve each invoice in turn, with the sync method or its async twin."""
    if mode == "sync":
        return [chargeapi.Invoice.retrieve(i, client=client) for i in ids]

    async def run() -> list[chargeapi.Invoice]:
        found = [await chargeapi.Invoice.retrieve_async(i, client=client) for i in ids]
        await client.aclose()
        return found

    return asyncio.run(run())


def create(mode: str, client: chargeapi.Client) -> chargeapi.Invoice:
    params: dict[str, Any] = {
        "period_start": "2026-04-01T00:00:00Z",
        "period_end": "2026-05-01T00:00:00Z",
        "idempotency_key": "invoice-april",
        "client": client,
    }
    if mode == "sync":
        return chargeapi.Invoice.create(**params)

    async def run() -> chargeapi.Invoice:
        try:
            return await chargeapi.Invoice.create_async(**params)
        finally:
            await client.aclose()

    return asyncio.run(run())


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "chargeapi" and r.levelno == logging.WARNING
    ]


# -- the default: decoded anyway, kept as sent, one warning per field --------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_missing_required_field_decodes_and_warns_once(
    server: SimulatorServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with make_client(server, mode) as client:
        first, second, third = retrieve(mode, client, MISSING, MISSING, NULL)

    assert isinstance(first, chargeapi.Invoice)
    assert first.id == MISSING
    assert first.period_start is None  # nothing was sent
    assert first.period_end == first.created.replace(
        month=5, day=2, hour=0, minute=41, second=19, microsecond=481000
    )
    assert first.line_items[1].unit_amount == 329
    assert first.to_dict() == answer(MISSING)  # still left out, as it came
    assert second == first
    assert third.period_start is None
    (warning,) = warnings_logged(caplog)  # three answers, one field: one line
    assert warning.startswith("Invoice.period_start: missing")
    assert "strict_responses=True" in warning


@pytest.mark.parametrize("mode", MODES)
def test_a_null_required_field_decodes_keeping_the_null(
    server: SimulatorServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with make_client(server, mode) as client:
        (invoice,) = retrieve(mode, client, NULL)

    assert invoice.period_start is None
    assert invoice.status == chargeapi.InvoiceStatus.DRAFT
    assert invoice.to_dict() == answer(NULL)  # the null is given back, as sent
    (warning,) = warnings_logged(caplog)
    assert warning.startswith("Invoice.period_start: null")


@pytest.mark.parametrize("mode", MODES)
def test_a_value_of_another_json_type_is_kept_as_sent(
    server: SimulatorServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with make_client(server, mode) as client:
        (invoice,) = retrieve(mode, client, FLOATS)

    assert invoice.amount_due == 2500.5
    assert invoice.line_items[1].quantity == 1.5
    assert invoice.line_items[0].quantity == 1  # its neighbour fits: decoded as usual
    assert invoice.to_dict() == answer(FLOATS)
    assert json.dumps(invoice.to_dict(), sort_keys=True) == json.dumps(
        answer(FLOATS), sort_keys=True
    )
    assert sorted(w.split(". ")[0] for w in warnings_logged(caplog)) == [
        "Invoice.amount_due: expected int, got float",
        "Invoice.line_items[1].quantity: expected int, got float",
    ]


# -- strict: refused, naming the path ------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("invoice_id", "problem"), [(MISSING, "missing"), (NULL, "null")])
def test_strict_raises_naming_the_path(
    server: SimulatorServer,
    mode: str,
    invoice_id: str,
    problem: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        make_client(server, mode, strict_responses=True) as client,
        pytest.raises(chargeapi.InvalidResponseError) as caught,
    ):
        retrieve(mode, client, invoice_id)

    error = caught.value
    assert f"Invoice.period_start: {problem}" in str(error)
    assert f"/v1/invoices/{invoice_id}" in str(error)
    assert error.status_code == 200
    assert error.body == answer(invoice_id)
    assert error.outcome_unknown is False  # a GET changed nothing
    assert warnings_logged(caplog) == []


@pytest.mark.parametrize("mode", MODES)
def test_strict_create_whose_answer_does_not_decode_is_outcome_unknown(
    server: SimulatorServer, mode: str
) -> None:
    # The invoice may well exist: the caller must retry with the same key to find out.
    with (
        make_client(server, mode, strict_responses=True) as client,
        pytest.raises(chargeapi.InvalidResponseError) as caught,
    ):
        create(mode, client)

    assert "Invoice.period_start: missing" in str(caught.value)
    assert caught.value.outcome_unknown is True
    assert caught.value.idempotency_key == "invoice-april"


@pytest.mark.parametrize("mode", MODES)
def test_lenient_create_returns_the_object(server: SimulatorServer, mode: str) -> None:
    with make_client(server, mode) as client:
        invoice = create(mode, client)

    assert invoice.id == MISSING
    assert invoice.last_response is not None
    assert invoice.last_response.idempotency_key == "invoice-april"


@pytest.mark.parametrize("mode", MODES)
def test_one_create_follows_each_clients_mode_in_turn(server: SimulatorServer, mode: str) -> None:
    # The same operation on a lenient, a strict and a lenient client again, in one process:
    # what one call decoded with never decides the next call's mode.
    with make_client(server, mode) as lenient:
        assert create(mode, lenient).period_start is None
    with (
        make_client(server, mode, strict_responses=True) as strict,
        pytest.raises(chargeapi.InvalidResponseError, match=r"Invoice\.period_start: missing"),
    ):
        create(mode, strict)
    with make_client(server, mode) as lenient_again:
        invoice = create(mode, lenient_again)
    assert invoice.id == MISSING
    assert invoice.period_start is None


def test_a_listed_item_follows_the_mode(
    server: SimulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    with make_client(server, "sync") as client:
        (listed,) = chargeapi.Invoice.list(client=client).data
        assert listed.period_start is None
        assert [w.split(". ")[0] for w in warnings_logged(caplog)] == [
            "Invoice.period_start: missing"
        ]
        with pytest.raises(chargeapi.InvalidResponseError, match=r"Invoice\.period_start: missing"):
            chargeapi.Invoice.list(client=client.with_options(strict_responses=True))


def test_with_options_switches_the_mode_both_ways(server: SimulatorServer) -> None:
    with make_client(server, "sync") as lenient:
        strict = lenient.with_options(strict_responses=True)
        assert (lenient.strict_responses, strict.strict_responses) == (False, True)
        with pytest.raises(chargeapi.InvalidResponseError):
            chargeapi.Invoice.retrieve(MISSING, client=strict)
        again = strict.with_options(timeout=5)  # other options keep it
        with pytest.raises(chargeapi.InvalidResponseError):
            chargeapi.Invoice.retrieve(MISSING, client=again)
        relaxed = strict.with_options(strict_responses=False)
        assert chargeapi.Invoice.retrieve(MISSING, client=relaxed).period_start is None


def test_strict_responses_must_be_a_bool() -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="strict_responses") as caught:
        chargeapi.Client(TEST_KEY, strict_responses="yes")  # type: ignore[arg-type]
    assert caught.value.param == "strict_responses"
    with pytest.raises(AttributeError, match="read-only"):
        chargeapi.Client(TEST_KEY).strict_responses = True  # type: ignore[misc]


def test_from_dict_stays_strict() -> None:
    with pytest.raises(chargeapi.InvalidDataError, match=r"Invoice\.period_start: missing"):
        chargeapi.Invoice.from_dict(answer(MISSING))


# -- the simulator's client is strict: a test sees drift that production would only log ---------


def test_the_simulators_client_is_strict_by_default(caplog: pytest.LogCaptureFixture) -> None:
    sim = Simulator(seed=0)
    with sim.client() as client:
        vehicle = chargeapi.Vehicle.list(limit=1, client=client).data[0].to_dict()
    drifted = vehicle | {"id": "veh_driftedxxxxxxxxxxxxxxxxxxxxxxxxxx", "vin": None}
    sim.add("vehicle", drifted)

    with sim.client() as client:
        assert client.strict_responses is True
        with pytest.raises(chargeapi.InvalidResponseError, match=r"Vehicle\.vin: null"):
            chargeapi.Vehicle.retrieve(drifted["id"], client=client)
    with sim.client(strict_responses=False) as client:
        assert chargeapi.Vehicle.retrieve(drifted["id"], client=client).vin is None
    assert [w.split(". ")[0] for w in warnings_logged(caplog)] == ["Vehicle.vin: null"]
