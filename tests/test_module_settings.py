"""Module-level settings: ``chargeapi.api_key = ...`` (the stripe/openai habit) configures the
default client, ahead of the environment, from the next call on."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer
from tests.conftest import API, refused_before_io, sent

FLEET = {"id": "flt_1", "object": "fleet", "name": "Vans"}


@pytest.fixture
def served(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as server:
        yield server


def test_assigning_the_key_and_base_url_alone_makes_calls_work(
    sim: Simulator, served: SimulatorServer
) -> None:
    chargeapi.api_key = sim.api_key
    chargeapi.base_url = served.url

    stations = chargeapi.ChargingStation.list(limit=3)

    assert len(stations.data) == 3
    assert all(isinstance(s, chargeapi.ChargingStation) for s in stations.data)
    assert [(r.method, r.path) for r in sim.requests] == [("GET", "/v1/charging_stations")]
    assert sim.requests[0].headers["authorization"] == f"Bearer {sim.api_key}"


def test_async_calls_use_them_too(sim: Simulator, served: SimulatorServer) -> None:
    import asyncio

    chargeapi.api_key = sim.api_key
    chargeapi.base_url = served.url

    async def first_page() -> chargeapi.AsyncPage[chargeapi.ChargingStation]:
        return await chargeapi.ChargingStation.list_async(limit=2)

    page = asyncio.run(first_page())

    assert len(page) == 2


def test_settings_come_before_the_environment_and_apply_at_the_next_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_from_env")
    with respx.mock(base_url=API) as mock:
        route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)
        chargeapi.Fleet.retrieve("flt_1")
        chargeapi.api_key = "ch_sk_test_assigned"
        chargeapi.max_retries = 0
        chargeapi.api_version = "2026-06-01"
        chargeapi.Fleet.retrieve("flt_1")
        chargeapi.api_key = None  # back to the environment
        chargeapi.Fleet.retrieve("flt_1")

    keys = [call.request.headers["Authorization"] for call in route.calls]
    assert keys == [
        "Bearer ch_sk_test_from_env",
        "Bearer ch_sk_test_assigned",
        "Bearer ch_sk_test_from_env",
    ]
    assert route.calls[1].request.headers["Charge-Version"] == "2026-06-01"
    assert chargeapi.default_client().max_retries == 0


def test_max_retries_and_timeout_reach_the_default_client() -> None:
    chargeapi.api_key = "ch_sk_test_x"
    chargeapi.max_retries = 0
    chargeapi.timeout = 7
    with respx.mock(base_url=API) as mock:
        route = mock.get("/v1/fleets/flt_1").respond(503, json={"message": "busy"})
        with pytest.raises(chargeapi.InternalServerError):
            chargeapi.Fleet.retrieve("flt_1")

    assert route.call_count == 1  # no retry
    assert chargeapi.default_client().timeout == 7.0


def test_reading_gives_the_value_in_effect(monkeypatch: pytest.MonkeyPatch) -> None:
    assert chargeapi.api_key is None
    assert chargeapi.base_url == "https://api.chargeapi.co"
    assert (chargeapi.max_retries, chargeapi.timeout) == (2, 60.0)
    assert chargeapi.api_version == chargeapi.API_VERSION

    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_from_env")
    monkeypatch.setenv("CHARGEAPI_BASE_URL", "http://localhost:12111/")
    assert chargeapi.api_key == "ch_sk_test_from_env"
    assert chargeapi.base_url == "http://localhost:12111"

    chargeapi.api_key = "  ch_sk_test_assigned  "
    chargeapi.base_url = "https://eu.api.chargeapi.co/v1/"
    chargeapi.timeout = 5
    assert chargeapi.api_key == "ch_sk_test_assigned"
    assert chargeapi.base_url == "https://eu.api.chargeapi.co"
    assert chargeapi.timeout == 5.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("api_key", ""),
        ("api_key", 42),
        ("api_key", "ch_sk_test_x\r\nX-Evil: 1"),
        ("base_url", "http://api.example.com"),
        ("base_url", "not a url"),
        ("max_retries", -1),
        ("max_retries", True),
        ("timeout", 0),
        ("timeout", "5"),
        ("api_version", ""),
    ],
)
def test_a_bad_value_is_refused_when_assigned_and_changes_nothing(name: str, value: object) -> None:
    before = getattr(chargeapi, name)

    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        setattr(chargeapi, name, value)

    assert caught.value.param == name
    assert getattr(chargeapi, name) == before


def test_a_bad_key_is_never_shown_in_the_error() -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.api_key = "ch_sk_live_s3cr\r\net"

    assert "s3cr" not in str(caught.value)
    assert "s3cr" not in repr(caught.value)


def test_the_key_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    chargeapi.api_key = "ch_sk_test_s3cretvalue"
    caplog.set_level(logging.DEBUG, logger="chargeapi")
    with respx.mock(base_url=API) as mock:
        mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)
        chargeapi.Fleet.retrieve("flt_1")

    client = chargeapi.default_client()
    shown = [repr(chargeapi), repr(client), repr(chargeapi._client.settings()), caplog.text]
    assert all("s3cretvalue" not in text for text in shown)


def test_without_any_key_the_call_says_how_to_set_one() -> None:
    with refused_before_io(chargeapi.ChargeAPIError, "No API key"):
        chargeapi.Fleet.retrieve("flt_1")


def test_a_client_you_make_is_configured_by_its_arguments_and_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chargeapi.api_key = "ch_sk_test_module"
    chargeapi.max_retries = 0
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_env")
    with respx.mock(base_url=API) as mock:
        route = mock.get("/v1/fleets/flt_1").respond(200, json=FLEET)
        with chargeapi.Client() as client:
            chargeapi.Fleet.retrieve("flt_1", client=client)

    assert sent(route).headers["Authorization"] == "Bearer ch_sk_test_env"
    assert client.max_retries == 2


def test_the_settings_are_listed_and_import_stays_lazy() -> None:
    assert {"api_key", "base_url", "max_retries", "timeout", "api_version"} <= set(dir(chargeapi))
    code = (
        "import sys, chargeapi; chargeapi.api_key = 'ch_sk_test_x'; "
        "print(chargeapi.api_key, sorted(m for m in sys.modules if m.startswith("
        "'chargeapi.resources.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "ch_sk_test_x []"


def test_a_plain_http_base_url_elsewhere_needs_the_insecure_opt_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="plain http"):
        chargeapi.base_url = "http://simulator:12111"

    monkeypatch.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", "1")
    chargeapi.base_url = "http://simulator:12111"
    chargeapi.api_key = "ch_sk_test_x"

    assert chargeapi.default_client().base_url == "http://simulator:12111"
