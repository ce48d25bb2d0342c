"""A user's test file for the pytest plugin: it only names the fixtures (sync and async).

Not collected here (no ``test_`` prefix): tests/test_pytest_plugin.py runs it in an inner pytest
session, and tools/check_dist.py runs it with pytest in a fresh venv holding the built wheel.
Its async test needs pytest-asyncio with ``asyncio_mode = auto``.
"""

import os

import httpx
import pytest

import chargeapi

served = []


def test_a_session_charges_on_the_test_clock(chargeapi_simulator, chargeapi_client):
    assert chargeapi_simulator.seed == 0  # without --chargeapi-seed
    params = chargeapi_simulator.sample_session_params()
    session = chargeapi.ChargingSession.create(**params, client=chargeapi_client)
    chargeapi_simulator.advance(1800)
    later = chargeapi.ChargingSession.retrieve(session.id, client=chargeapi_client)
    assert later.energy_consumed > 0


async def test_async_code_uses_the_same_client(chargeapi_simulator, chargeapi_client):
    params = chargeapi_simulator.sample_session_params()
    session = await chargeapi.ChargingSession.create_async(**params, client=chargeapi_client)
    assert [s.id async for s in chargeapi.ChargingSession.list_async(client=chargeapi_client)] == [
        session.id
    ]


def test_retries_do_not_wait(chargeapi_simulator, chargeapi_client):
    chargeapi_simulator.fail_next(503, times=2, retry_after=30)
    assert chargeapi.Driver.list(client=chargeapi_client).data


def test_each_test_gets_a_fresh_simulator(chargeapi_client):
    assert chargeapi.ChargingSession.list(client=chargeapi_client).data == []


def test_the_server_over_http(chargeapi_server):
    served.append(chargeapi_server.url)
    assert chargeapi_server.url.startswith("http://127.0.0.1:")
    with chargeapi.Client(chargeapi_server.api_key, base_url=chargeapi_server.url) as client:
        chargeapi_server.control.advance(60)
        assert chargeapi.Driver.list(client=client).data
    assert chargeapi_server.control.now.isoformat() == "2026-04-01T00:01:00+00:00"


def test_the_server_stopped_after_its_test():
    with pytest.raises(httpx.ConnectError):
        httpx.get(served[0] + "/v1/drivers")


def test_the_default_client_reaches_the_server(chargeapi_env):
    assert os.environ["CHARGEAPI_BASE_URL"] == chargeapi_env.url
    assert chargeapi.Driver.list().data  # no client=: the environment's


def test_the_environment_is_restored():
    assert "CHARGEAPI_BASE_URL" not in os.environ
    assert "CHARGEAPI_API_KEY" not in os.environ
