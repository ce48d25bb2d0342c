"""Every operation's derived methods: real signatures, docstrings, sync/async twins, the table."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi._operations import Operation, table
from tests.conftest import API, SEED_RESPONSE, TEST_KEY, assert_get

OPERATIONS = table()


def _id(op: Operation) -> str:
    return f"{op.resource.__name__}.{op.action}"


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_sync_and_async_show_the_same_real_signature_and_docstring(op: Operation) -> None:
    sync_sig, async_sig = inspect.signature(op.sync), inspect.signature(op.asynchronous)
    assert list(sync_sig.parameters.values()) == list(async_sig.parameters.values())
    assert "client" in sync_sig.parameters
    assert op.sync.__doc__
    assert op.sync.__doc__ == op.asynchronous.__doc__
    assert op.sync.__qualname__ == f"{op.resource.__name__}.{op.action}"
    assert op.asynchronous.__qualname__ == f"{op.resource.__name__}.{op.action}_async"
    assert "Call[" not in str(sync_sig.return_annotation)


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_ids_are_positional_and_everything_else_keyword_only(op: Operation) -> None:
    params = list(inspect.signature(op.sync).parameters.values())
    positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert len(positional) == op.path.count("{")
    assert all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in params[:-1])
    last = params[-1]  # **options: extra_headers, extra_query, extra_body
    assert (last.name, last.kind) == ("options", last.VAR_KEYWORD)


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_async_twin_is_a_coroutine_function_except_for_lists(op: Operation) -> None:
    is_list = op.returns.startswith("Page[")
    assert inspect.iscoroutinefunction(op.asynchronous) is not is_list
    assert not inspect.iscoroutinefunction(op.sync)


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
def test_every_post_takes_an_idempotency_key_and_no_get_does(op: Operation) -> None:
    assert ("idempotency_key" in op.signature.parameters) is (op.method == "POST")


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.action == "update"], ids=_id)
def test_update_parameters_default_to_not_given(op: Operation) -> None:
    body = [
        p
        for p in op.signature.parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.name not in ("client", "idempotency_key")
    ]
    assert body
    assert all(p.default is chargeapi.NOT_GIVEN for p in body)


def test_help_shows_the_parameters() -> None:
    text = chargeapi.Driver.attach.__doc__ or ""
    assert "fleet" in text
    rendered = str(inspect.signature(chargeapi.Driver.attach))
    assert rendered.startswith("(id: 'DriverID', *, fleet: 'FleetID'")
    assert rendered.endswith("-> 'Driver'")


@respx.mock
def test_retrieve_any_object_by_its_id_prefix() -> None:
    session_id = SEED_RESPONSE["id"]
    route = respx.get(f"{API}/v1/charging_sessions/{session_id}").mock(
        return_value=httpx.Response(200, json=SEED_RESPONSE)
    )
    with chargeapi.Client(TEST_KEY) as client:
        found = chargeapi.retrieve(session_id, expand=["driver"], client=client)
        assert isinstance(found, chargeapi.ChargingSession)
        assert found.id == session_id
        assert_get(route, [("expand", "driver")])

        async def run() -> Any:
            return await chargeapi.retrieve_async(session_id, client=client)

        assert isinstance(asyncio.run(run()), chargeapi.ChargingSession)


@pytest.mark.parametrize("bad", ["evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT", "whsec_x", "nope", ""])
def test_retrieve_by_id_refuses_prefixes_without_a_retrieve_endpoint(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^id must start with a prefix that has a retrieve") as e:
        chargeapi.retrieve(bad, client=chargeapi.Client(TEST_KEY))
    assert "cs_" in str(e.value)
    assert "drv_" in str(e.value)
    assert "whsec_x" not in str(e.value)


def test_retrieve_by_id_wants_a_str() -> None:
    with pytest.raises(TypeError, match=r"^id must be an ID str"):
        chargeapi.retrieve(42, client=chargeapi.Client(TEST_KEY))  # type: ignore[arg-type]


def test_retrieve_by_id_refuses_expand_where_the_resource_has_none() -> None:
    with pytest.raises(ValueError, match=r"expand is not supported by ChargingStation\.retrieve"):
        chargeapi.retrieve("chst_a", expand="x", client=chargeapi.Client(TEST_KEY))
