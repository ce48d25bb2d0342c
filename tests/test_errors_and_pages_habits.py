"""What users of stripe/openai expect of errors and pages: bad input inside the ChargeAPIError
tree with ``.param``, an informative ``repr(error)``, ``len(page)``, ``bool(page)`` and
``previous_page()``."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import pytest
import respx

import chargeapi
from tests.conftest import API, TEST_KEY, invalid_parameter, refused_before_io

FLEET = {"id": "flt_1", "object": "fleet", "name": "Vans"}


# -- invalid input is a ChargeAPIError ---------------------------------------------------------


@pytest.mark.parametrize("caught_as", [chargeapi.ChargeAPIError, ValueError, TypeError])
def test_a_bad_id_is_caught_as_chargeapi_error_value_error_and_type_error(
    client: chargeapi.Client, caught_as: type[Exception]
) -> None:
    with refused_before_io(caught_as, "^driver must be a driver ID"):
        chargeapi.ChargingSession.list(driver="cs_not_a_driver", client=client)


def test_a_bad_id_names_its_parameter(client: chargeapi.Client) -> None:
    caught = invalid_parameter(lambda: chargeapi.Driver.retrieve("veh_1", client=client))

    assert caught.param == "id"
    assert (
        str(caught)
        == "id must be a driver ID like 'drv_...' (letters, digits and _ only), got 'veh_1'"
    )


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda c: chargeapi.Driver.retrieve(42, client=c), "id"),
        (lambda c: chargeapi.Driver.list(limit=0, client=c), "limit"),
        (lambda c: chargeapi.Driver.list(expand=["../x"], client=c), "expand"),
        (lambda c: chargeapi.Vehicle.attach("veh_1", client=c), "driver"),
        (
            lambda c: chargeapi.Vehicle.attach("veh_1", driver="drv_1", fleet="flt_1", client=c),
            "fleet",
        ),
        (lambda c: chargeapi.Fleet.create(name="x", metadata={"k": 1}, client=c), "metadata.k"),
        (
            lambda c: chargeapi.Fleet.create(name="x", idempotency_key="", client=c),
            "idempotency_key",
        ),
        (lambda c: chargeapi.Driver.retrieve("drv_1", client="c"), "client"),
        (lambda c: chargeapi.retrieve("nope_1", client=c), "id"),
        (lambda c: chargeapi.Client(base_url="ftp://x"), "base_url"),
        (lambda c: chargeapi.Client(TEST_KEY, timeout=-1), "timeout"),
        (lambda c: chargeapi.Webhook.construct_event("body", "t=1,v1=a", "whsec_x"), "payload"),
        (lambda c: chargeapi.Webhook.construct_event(b"{}", "t=1,v1=a", []), "secret"),
    ],
)
def test_every_caller_input_check_raises_invalid_parameter_error(
    client: chargeapi.Client, call: Any, param: str
) -> None:
    assert invalid_parameter(lambda: call(client)).param == param


def test_invalid_parameter_error_pickles_with_its_param() -> None:
    error = chargeapi.InvalidParameterError("limit must be between 1 and 100", param="limit")

    copy = pickle.loads(pickle.dumps(error))

    assert (type(copy), copy.param, str(copy)) == (type(error), "limit", str(error))


def test_the_cli_keeps_bad_input_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from chargeapi._cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--api-key", TEST_KEY, "drivers", "retrieve", "veh_not_a_driver"])

    assert exited.value.code == 2
    assert "id must be a driver ID" in capsys.readouterr().err


# -- repr(error) -------------------------------------------------------------------------------


def test_repr_of_an_api_error_shows_what_to_act_on() -> None:
    body = {
        "type": "invalid_request",
        "code": "resource_missing",
        "message": "No such driver",
        "param": "driver",
        "request": "req_42",
    }
    with (
        chargeapi.Client(TEST_KEY, max_retries=0) as client,
        respx.mock(base_url=API) as mock,
    ):
        mock.get("/v1/drivers/drv_1").respond(404, json=body)
        with pytest.raises(chargeapi.NotFoundError) as caught:
            chargeapi.Driver.retrieve("drv_1", client=client)

    assert repr(caught.value) == (
        "NotFoundError(message='No such driver', status_code=404, code='resource_missing', "
        "param='driver', request_id='req_42')"
    )
    assert TEST_KEY not in repr(caught.value)


def test_repr_of_every_error_has_the_same_fields() -> None:
    errors: list[chargeapi.ChargeAPIError] = [
        chargeapi.ChargeAPIError("No API key"),
        chargeapi.InvalidParameterError("limit must be at least 1", param="limit"),
        chargeapi.APITimeoutError("GET /v1/drivers timed out"),
        chargeapi.InvalidResponseError("not JSON", status_code=200),
        chargeapi.SignatureVerificationError("no match", reason="no_matching_signature"),
        chargeapi.RateLimitError("slow down", status_code=429, code="rate_limit_exceeded"),
    ]

    shown = [repr(e) for e in errors]

    assert shown == [
        "ChargeAPIError(message='No API key', status_code=None, code=None, param=None, "
        "request_id=None)",
        "InvalidParameterError(message='limit must be at least 1', status_code=None, code=None, "
        "param='limit', request_id=None)",
        "APITimeoutError(message='GET /v1/drivers timed out', status_code=None, code=None, "
        "param=None, request_id=None)",
        "InvalidResponseError(message='not JSON', status_code=200, code=None, param=None, "
        "request_id=None)",
        "SignatureVerificationError(message='no match', status_code=None, code=None, param=None, "
        "request_id=None)",
        "RateLimitError(message='slow down', status_code=429, code='rate_limit_exceeded', "
        "param=None, request_id=None)",
    ]


def test_repr_escapes_control_characters_from_the_server() -> None:
    error = chargeapi.BadRequestError("bad\nFAKE LOG LINE", status_code=400)

    assert "\n" not in repr(error)


# -- pages ---------------------------------------------------------------------------------------


def _page(data: list[dict[str, Any]], previous: str | None, next_: str | None) -> dict[str, Any]:
    return {"data": data, "previous_page_url": previous, "next_page_url": next_}


def test_len_and_bool_count_this_pages_items(client: chargeapi.Client) -> None:
    with respx.mock(base_url=API) as mock:
        mock.get("/v1/fleets", params={"limit": "2"}).respond(
            200, json=_page([FLEET, {**FLEET, "id": "flt_2"}], None, "/v1/fleets?page=p2")
        )
        mock.get("/v1/fleets", params={"status": "inactive"}).respond(
            200, json=_page([], None, None)
        )
        full = chargeapi.Fleet.list(limit=2, client=client)
        empty = chargeapi.Fleet.list(status="inactive", client=client)

    assert (len(full), bool(full)) == (2, True)
    assert (len(empty), bool(empty)) == (0, False)


def test_previous_page_follows_previous_page_url(client: chargeapi.Client) -> None:
    with respx.mock(base_url=API) as mock:
        second = mock.get("/v1/fleets", params={"page": "p2"}).respond(
            200, json=_page([{**FLEET, "id": "flt_2"}], "/v1/fleets?page=p1", None)
        )
        first = mock.get("/v1/fleets", params={"page": "p1"}).respond(
            200, json=_page([FLEET], None, "/v1/fleets?page=p2")
        )
        page = chargeapi.Fleet.list(client=client, extra_query={"page": "p2"})

        previous = page.previous_page()
        assert previous is not None
        before_first = previous.previous_page()

    assert (second.call_count, first.call_count) == (1, 1)
    assert [f.id for f in previous.data] == ["flt_1"]
    assert before_first is None


def test_previous_page_async(client: chargeapi.Client) -> None:
    async def walk() -> list[list[str]]:
        page = await chargeapi.Fleet.list_async(client=client, extra_query={"page": "p2"})
        assert len(page) == 1
        previous = await page.previous_page()
        assert previous is not None
        also = await page.previous_page_async()
        assert also is not None
        nothing = await previous.previous_page()
        assert nothing is None
        return [[f.id for f in p.data] for p in (page, previous, also)]

    with respx.mock(base_url=API) as mock:
        mock.get("/v1/fleets", params={"page": "p2"}).respond(
            200, json=_page([{**FLEET, "id": "flt_2"}], "/v1/fleets?page=p1", None)
        )
        mock.get("/v1/fleets", params={"page": "p1"}).respond(
            200, json=_page([FLEET], None, "/v1/fleets?page=p2")
        )
        ids = asyncio.run(walk())

    assert ids == [["flt_2"], ["flt_1"], ["flt_1"]]


def test_a_previous_page_url_on_another_path_is_not_followed(client: chargeapi.Client) -> None:
    """The page that carries it is returned; only following it is refused."""
    with respx.mock(base_url=API, assert_all_called=False) as mock:
        mock.get("/v1/fleets").respond(200, json=_page([FLEET], "/v1/drivers?page=p0", None))
        drivers = mock.get("/v1/drivers").respond(500)
        page = chargeapi.Fleet.list(client=client)
        with pytest.raises(chargeapi.InvalidResponseError, match="another path"):
            page.previous_page()
    assert len(page) == 1
    assert not drivers.called
