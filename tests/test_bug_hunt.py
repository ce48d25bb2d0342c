"""Bugs found by using the SDK, the CLI and the simulator as a demanding user would.

Each test failed before its fix: bad input that escaped as a RecursionError, OverflowError,
httpx.InvalidURL or a message naming no parameter; a CLI that printed a traceback or
misread its options.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi._cli._main import main
from chargeapi.testing import Simulator, SimulatorServer, sign_webhook
from chargeapi.testing.__main__ import main as simulator_main


def _deep_list(depth: int) -> list[Any]:
    top: list[Any] = []
    current = top
    for _ in range(depth):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    return top


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=3)


# --- SDK input checks: the parameter is named, nothing is sent ---------------------------------


async def test_a_deeply_nested_expand_is_a_value_error_not_a_recursion_error(
    sim: Simulator,
) -> None:
    client = sim.client()
    with pytest.raises(ValueError, match="expand entries must be field paths"):
        chargeapi.Driver.retrieve("drv_x", expand=[_deep_list(5000)], client=client)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="expand entries must be field paths"):
        await chargeapi.Invoice.retrieve_async("inv_x", expand=[_deep_list(5000)], client=client)  # type: ignore[list-item]
    assert sim.requests == []


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:00:00-05:00",
    ],
)
def test_a_timestamp_beyond_the_utc_range_names_the_parameter(sim: Simulator, value: Any) -> None:
    with pytest.raises(ValueError, match=r"^period_end is out of range once converted to UTC"):
        chargeapi.Invoice.create(
            period_start="2026-03-01T00:00:00Z", period_end=value, client=sim.client()
        )
    assert sim.requests == []


async def test_a_timestamp_beyond_the_utc_range_names_the_parameter_async(sim: Simulator) -> None:
    with pytest.raises(ValueError, match=r"^ideal_start is out of range"):
        await chargeapi.Reservation.create_async(
            connector_type=["CCS"],
            driver="drv_x",
            ideal_end="2026-04-01T10:00:00Z",
            ideal_start=datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
            location={"latitude": 48.8, "longitude": 2.3, "radius": 1500},
            vehicle="veh_x",
            client=sim.client(),
        )
    assert sim.requests == []


@pytest.mark.parametrize("url", ["https://[::1", "https://[zz]/hooks"])
def test_a_malformed_webhook_url_names_url(sim: Simulator, url: str) -> None:
    with pytest.raises(ValueError, match=r"^url must be an absolute https:// URL"):
        chargeapi.WebhookEndpoint.create(
            url=url, enabled_events=["charge.succeeded"], client=sim.client()
        )
    assert sim.requests == []


async def test_a_filter_too_long_for_a_url_names_the_parameter(sim: Simulator) -> None:
    client = sim.client()
    with pytest.raises(ValueError, match=r"^status is too long to send in a URL query"):
        chargeapi.Fleet.list(status="a" * 100_000, client=client)
    with pytest.raises(ValueError, match=r"^origin is too long to send in a URL query"):
        await chargeapi.ChargingStation.list_async(origin="é" * 3000, client=client)
    assert sim.requests == []
    # A long but sane filter still goes out as written.
    assert list(chargeapi.Fleet.list(status="é" * 200, client=client)) == []
    assert httpx.URL(sim.requests[-1].url).params["status"] == "é" * 200


async def test_a_lone_surrogate_names_the_parameter(sim: Simulator) -> None:
    client = sim.client()
    with pytest.raises(ValueError, match=r"^status is not valid Unicode text"):
        chargeapi.Fleet.list(status="\ud800", client=client)  # was UnicodeEncodeError in httpx
    with pytest.raises(ValueError, match=r"^metadata\.k is not valid Unicode text"):
        await chargeapi.Driver.create_async(
            name="Zoë", email="zoe@example.com", metadata={"k": "a\udfff"}, client=client
        )
    assert sim.requests == []


def test_a_wrong_call_is_named_as_the_caller_wrote_it(sim: Simulator) -> None:
    client = sim.client()
    with pytest.raises(TypeError, match=r"^Driver\.create\(\) missing 2 required"):
        chargeapi.Driver.create(client=client)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^PaymentMethod\.update\(\) got an unexpected keyword"):
        chargeapi.PaymentMethod.update("pm_x", metadata={}, client=client)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^Driver\.retrieve\(\) missing 1 required positional"):
        chargeapi.Driver.retrieve(client=client)  # type: ignore[call-arg]


# --- webhooks and the simulator: nested JSON past the parser's depth --------------------------


def test_a_signed_payload_nested_too_deep_is_a_value_error() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    header = sign_webhook(body, "whsec_test")
    with pytest.raises(ValueError, match="is not JSON"):
        chargeapi.Webhook.construct_event(
            payload=body, signature_header=header, secret="whsec_test"
        )


@pytest.mark.parametrize("idempotency_key", [None, "hunt-deep-1"])
def test_the_simulator_answers_400_to_a_body_nested_too_deep(
    sim: Simulator, idempotency_key: str | None
) -> None:
    headers = {"Authorization": f"Bearer {sim.api_key}", "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    body = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = sim.handle(
        httpx.Request("POST", "https://api.chargeapi.co/v1/drivers", headers=headers, content=body)
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Malformed JSON in the request body."


@pytest.mark.parametrize("seconds", [1e308, 10**30, 2**63])
def test_advancing_the_clock_past_any_date_is_a_value_error(sim: Simulator, seconds: float) -> None:
    before = sim.now
    with pytest.raises(ValueError, match=r"^seconds would move the test clock past the year 9000"):
        sim.advance(seconds)
    assert sim.now == before
    # The control API answers 400 (it let an OverflowError escape: no answer at all).
    response = sim.handle(
        httpx.Request(
            "POST",
            "http://127.0.0.1/_sim/advance",
            headers={"Authorization": f"Bearer {sim.api_key}"},
            content=json.dumps({"seconds": seconds}).encode(),
        )
    )
    assert response.status_code == 400
    assert "past the year 9000" in response.json()["message"]


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Simulator, SimulatorServer]]:
    sim = Simulator(seed=11)
    with sim.serve() as server:
        yield sim, server


def _cli(served: tuple[Simulator, SimulatorServer], *args: str) -> list[str]:
    sim, server = served
    return ["--base-url", server.url, "--api-key", sim.api_key, "--max-retries", "0", *args]


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that must be refused before sending; its JSON error message."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    assert (exit_info.value.code, captured.out) == (2, "")
    error = json.loads(captured.err)["error"]
    assert error["type"] == "usage_error"
    message: str = error["message"]
    return message


def test_cli_null_clears_a_nullable_nested_field(
    served: tuple[Simulator, SimulatorServer], capsys: pytest.CaptureFixture[str]
) -> None:
    sim, _ = served
    driver = next(iter(chargeapi.Driver.list(client=sim.client())))
    set_price = ["drivers", "update", driver.id, "--preferences.max-price-per-kwh"]
    assert main(_cli(served, *set_price, "30")) == 0
    assert json.loads(capsys.readouterr().out)["preferences"]["max_price_per_kwh"] == 30
    assert main(_cli(served, *set_price, "null")) == 0
    assert json.loads(capsys.readouterr().out)["preferences"]["max_price_per_kwh"] is None
    assert sim.requests[-1].json() == {"preferences": {"max_price_per_kwh": None}}


def test_cli_names_data_when_it_is_no_json_object(
    served: tuple[Simulator, SimulatorServer], capsys: pytest.CaptureFixture[str]
) -> None:
    message = _usage_error(_cli(served, "drivers", "create", "--data", "[1]"), capsys)
    assert message == "--data: expected a JSON object, got '[1]'"


@pytest.mark.parametrize("count", ["0", "-1", "x"])
def test_cli_limit_items_below_one_is_refused(
    served: tuple[Simulator, SimulatorServer], capsys: pytest.CaptureFixture[str], count: str
) -> None:
    message = _usage_error(_cli(served, "drivers", "list", "--limit-items", count), capsys)
    assert message.startswith("argument --limit-items: must be a whole number of at least 1")


def test_cli_a_reader_that_stops_early_is_no_traceback(
    served: tuple[Simulator, SimulatorServer],
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `chargeapi ... | head -0`: every write meets a closed pipe
    try:
        result = subprocess.run(
            [sys.executable, "-m", "chargeapi", *_cli(served, "drivers", "list")],
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr.decode() == ""
    assert result.returncode == 0


def test_cli_webhooks_verify_without_a_secret_is_a_json_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARGEAPI_WEBHOOK_SECRET", raising=False)
    message = _usage_error(["webhooks", "verify", "--header", "t=1,v1=2"], capsys)
    assert message == "pass --secret or set CHARGEAPI_WEBHOOK_SECRET"


@pytest.mark.parametrize(
    "argv",
    [
        ["drivers", "list", "ch_sk_live_KEYKEY123"],
        ["ch_sk_live_KEYKEY123"],
        ["drivers", "list", "--limit", "ch_sk_live_KEYKEY123"],
        ["--timeout", "ch_sk_live_KEYKEY123", "drivers", "list"],
        ["webhooks", "verify", "--header", "t=1", "--tolerance", "whsec_SECRET123"],
    ],
)
def test_cli_a_misplaced_key_is_never_echoed(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    message = _usage_error(argv, capsys)
    assert "<secret redacted>" in message
    assert "KEYKEY123" not in message
    assert "SECRET123" not in message


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_simulator_command_refuses_a_port_out_of_range(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        simulator_main(["--port", port])  # was an OverflowError traceback from bind()
    assert exit_info.value.code == 2
    assert "--port: must be a port number from 0 to 65535" in capsys.readouterr().err


def test_serve_refuses_a_port_out_of_range(sim: Simulator) -> None:
    with pytest.raises(ValueError, match=r"^port must be an int from 0 to 65535, got 70000"):
        sim.serve(port=70000)
