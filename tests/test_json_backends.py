"""Responses decode the same with orjson installed (``chargeapi[orjson]``) as without it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi import _json

from .conftest import API, SEED_REQUEST, seed_response


@pytest.fixture(params=["orjson", "json"])
def json_library(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with orjson's loads (when importable), then with the standard library's."""
    if request.param == "orjson":
        import orjson  # the test group installs it

        assert orjson.loads(b"1") == 1
        monkeypatch.setattr(_json, "_loads", _json._pick())
    else:
        monkeypatch.setattr(_json, "_loads", _json._stdlib_loads)
    return str(request.param)


def _create(client: chargeapi.Client, content: bytes) -> Any:
    with respx.mock(base_url=API) as mock:
        mock.post("/v1/charging_sessions").mock(return_value=httpx.Response(200, content=content))
        return chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)


def test_a_session_decodes_the_same(json_library: str, client: chargeapi.Client) -> None:
    body = seed_response()
    body["large"] = 2**63 - 1
    body["ratio"] = 0.1
    body["text"] = "caf\u00e9 \u26a1"

    session = _create(client, json.dumps(body).encode())

    assert session.to_dict() == body
    assert type(session.to_dict()["large"]) is int


def test_an_amount_of_the_wrong_type_is_refused_on_both(
    json_library: str, client: chargeapi.Client
) -> None:
    body = seed_response()
    body["amount_due"] = 18.42
    strict = client.with_options(strict_responses=True)

    with pytest.raises(chargeapi.InvalidResponseError, match="amount_due"):
        _create(strict, json.dumps(body).encode())


def test_nan_in_an_unknown_field_decodes_as_json_does(
    json_library: str, client: chargeapi.Client
) -> None:
    content = json.dumps(seed_response())[:-1].encode() + b', "extra": NaN}'

    session = _create(client, content)

    assert session.to_dict()["extra"] != session.to_dict()["extra"]  # NaN, as json.loads gives


@pytest.mark.parametrize(
    "content", [b"not json", b"[" * 5000 + b"]" * 5000, b'{"id": "cs_' + b"\xff" + b'"}']
)
def test_what_is_not_json_is_an_invalid_response(
    json_library: str, client: chargeapi.Client, content: bytes
) -> None:
    with pytest.raises(chargeapi.InvalidResponseError) as caught:
        _create(client, content)

    assert caught.value.status_code == 200


def test_request_bodies_refuse_nan(client: chargeapi.Client) -> None:
    from chargeapi._request import RequestSpec, prepare

    with pytest.raises(ValueError, match="cannot be sent as JSON"):
        prepare(RequestSpec("POST", "/v1/x", body={"x": float("nan")}), API, {})
