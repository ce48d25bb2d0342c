"""Plain http to another host, for a simulator in another container: ``allow_insecure_http``
(or ``CHARGEAPI_ALLOW_INSECURE_HTTP=1``) permits it for test keys; a live key is refused
before anything is sent, whatever the setting, and never quoted."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import httpx
import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator
from tests.conftest import refused_before_io

TEST_KEY = "ch_sk_test_4eC39HqLyjWDarjtT1zdp7dc"
LIVE_KEY = "ch_sk_live_4eC39HqLyjWDarjtT1zdp7dc"
SIMULATOR = "http://simulator:12111"  # a docker-compose service name
DRIVER = "drv_QijceRZQZGGonQZArENR8wuhKulbqRxk"
DRIVER_JSON = (
    Simulator()
    .handle(
        httpx.Request(
            "GET",
            f"https://api.chargeapi.co/v1/drivers/{DRIVER}",
            headers={"Authorization": "Bearer ch_sk_test_simulator"},
        )
    )
    .json()
)


def test_plain_http_to_another_host_is_refused_by_default() -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="allow_insecure_http=True") as caught:
        chargeapi.Client(TEST_KEY, base_url=SIMULATOR)
    assert caught.value.param == "base_url"


def test_allowed_a_test_key_goes_over_plain_http_to_that_host() -> None:
    with respx.mock(base_url=SIMULATOR) as mock:
        route = mock.get(f"/v1/drivers/{DRIVER}").respond(json=DRIVER_JSON)
        with chargeapi.Client(TEST_KEY, base_url=SIMULATOR, allow_insecure_http=True) as client:
            driver = chargeapi.Driver.retrieve(DRIVER, client=client)

            async def twice() -> chargeapi.Driver:
                return await chargeapi.Driver.retrieve_async(DRIVER, client=client)

            again = asyncio.run(twice())

    assert (driver.id, again.id) == (DRIVER, DRIVER)
    assert client.allow_insecure_http is True
    requests = [call.request for call in route.calls]
    assert [str(r.url) for r in requests] == [f"{SIMULATOR}/v1/drivers/{DRIVER}"] * 2
    assert {r.headers["Authorization"] for r in requests} == {f"Bearer {TEST_KEY}"}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("CHARGEAPI_API_KEY", TEST_KEY)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", SIMULATOR)
    return monkeypatch


@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_the_environment_variable_allows_it_for_the_default_client(
    env: pytest.MonkeyPatch, value: str
) -> None:
    env.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", value)
    with respx.mock(base_url=SIMULATOR) as mock:
        route = mock.get(f"/v1/drivers/{DRIVER}").respond(json=DRIVER_JSON)
        assert chargeapi.Driver.retrieve(DRIVER).id == DRIVER
    assert str(route.calls.last.request.url) == f"{SIMULATOR}/v1/drivers/{DRIVER}"


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_the_environment_variable_off_still_refuses(env: pytest.MonkeyPatch, value: str) -> None:
    env.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", value)
    with refused_before_io(chargeapi.InvalidParameterError, "uses plain http"):
        chargeapi.Driver.retrieve(DRIVER)


def test_an_unreadable_environment_variable_is_named(env: pytest.MonkeyPatch) -> None:
    env.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", "maybe")
    with pytest.raises(
        chargeapi.InvalidParameterError, match="CHARGEAPI_ALLOW_INSECURE_HTTP must be 1 or 0"
    ) as caught:
        chargeapi.Client()
    assert caught.value.param == "allow_insecure_http"


def test_the_argument_wins_over_the_environment(env: pytest.MonkeyPatch) -> None:
    env.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", "1")
    with pytest.raises(chargeapi.InvalidParameterError, match="uses plain http"):
        chargeapi.Client(allow_insecure_http=False)
    with pytest.raises(chargeapi.InvalidParameterError, match="must be a bool"):
        chargeapi.Client(allow_insecure_http="yes")  # type: ignore[arg-type]


def test_a_live_key_is_refused_over_plain_http_whatever_the_setting() -> None:
    with refused_before_io(chargeapi.InvalidParameterError, "never sent over plain http"):
        chargeapi.Client(LIVE_KEY, base_url=SIMULATOR, allow_insecure_http=True)
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.Client(LIVE_KEY, base_url=SIMULATOR, allow_insecure_http=True)
    error = caught.value
    assert error.param == "api_key"
    assert "permits test keys (ch_sk_test_...) only" in str(error)
    assert "4eC39HqLyjWDarjtT1zdp7dc" not in str(error) + repr(error.args)


def test_a_live_key_from_the_environment_is_refused_before_the_call_sends(
    env: pytest.MonkeyPatch,
) -> None:
    env.setenv("CHARGEAPI_API_KEY", LIVE_KEY)
    env.setenv("CHARGEAPI_ALLOW_INSECURE_HTTP", "1")
    with refused_before_io(chargeapi.InvalidParameterError, "A live key .* is never sent"):
        chargeapi.Driver.retrieve(DRIVER)


def test_with_options_keeps_the_same_rules() -> None:
    strict = chargeapi.Client(TEST_KEY)
    with pytest.raises(chargeapi.InvalidParameterError, match="uses plain http"):
        strict.with_options(base_url=SIMULATOR)
    allowed = strict.with_options(base_url=SIMULATOR, allow_insecure_http=True)
    assert (allowed.base_url, allowed.allow_insecure_http) == (SIMULATOR, True)
    with pytest.raises(chargeapi.InvalidParameterError, match="never sent over plain http"):
        allowed.with_options(api_key=LIVE_KEY)
    with pytest.raises(AttributeError, match="read-only"):
        allowed.allow_insecure_http = False  # type: ignore[misc]
    strict.close()


def test_loopback_http_is_unchanged() -> None:
    for key in (TEST_KEY, LIVE_KEY):  # a local proxy may terminate TLS: as before
        with chargeapi.Client(key, base_url="http://127.0.0.1:12111") as client:
            assert client.allow_insecure_http is False


def own_address() -> str:
    """An address of this machine that is not loopback (the one its default route uses), or
    0.0.0.0, which reaches this machine too but is no loopback address to the SDK either."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # UDP: picks the route, sends nothing
            address: str = probe.getsockname()[0]
        except OSError:  # no route at all
            return "0.0.0.0"
    return "0.0.0.0" if address.startswith("127.") else address


def test_a_simulator_on_every_interface_is_reached_at_a_non_loopback_address() -> None:
    """`python -m chargeapi.testing --host 0.0.0.0`, as in a container: it warns, and a client
    reaches it at this machine's own address with allow_insecure_http and a test key."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chargeapi.testing", "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not (line := process.stdout.readline()).startswith("Ctrl-C"):
            assert line, "the simulator ended before printing its banner"
            lines.append(line)
        port = lines[0].rsplit(":", 1)[1].strip()
        url = f"http://{own_address()}:{port}"
        with chargeapi.Client(
            "ch_sk_test_simulator", base_url=url, allow_insecure_http=True, timeout=5
        ) as client:
            drivers = chargeapi.Driver.list(limit=1, client=client)
        with pytest.raises(chargeapi.InvalidParameterError, match="never sent over plain http"):
            chargeapi.Client(LIVE_KEY, base_url=url, allow_insecure_http=True)
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()

    assert lines[0].startswith("ChargeAPI simulator listening on http://0.0.0.0:")
    assert any(line.startswith("WARNING: listening on every network interface") for line in lines)
    assert drivers.data[0].id.startswith("drv_")
    assert drivers.last_response is not None
    assert drivers.last_response.status_code == 200
