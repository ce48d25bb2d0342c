"""``chargeapi simulator advance|now|reset|fail-next|drop-next|delay-next|chaos``: driving a
running simulator from the shell. The command runs in-process (``main``) against a simulator
served on loopback, and once as a real subprocess for its exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import chargeapi
from chargeapi._cli import main
from chargeapi.testing import Simulator, SimulatorServer

START = datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def served(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as server:
        yield server


@pytest.fixture
def shell(
    served: SimulatorServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    """``shell("advance", "600")``: ``chargeapi simulator ...`` with CHARGEAPI_BASE_URL set to
    the served simulator; returns (exit code, parsed stdout or None, parsed stderr or None)."""
    monkeypatch.setenv("CHARGEAPI_BASE_URL", served.url)

    def run(*args: str) -> tuple[int, Any, Any]:
        try:
            code = main(["simulator", *args])
        except SystemExit as exit:  # usage errors
            code = int(exit.code or 0)
        out, err = capsys.readouterr()
        return code, json.loads(out) if out else None, json.loads(err) if err else None

    return run


def test_advance_moves_the_running_simulators_clock(shell: Any, sim: Simulator) -> None:
    assert shell("advance", "0") == (0, {"now": "2026-04-01T00:00:00+00:00"}, None)
    assert shell("advance", "600") == (0, {"now": "2026-04-01T00:10:00+00:00"}, None)
    assert shell("advance", "0.5") == (0, {"now": "2026-04-01T00:10:00.500000+00:00"}, None)
    assert shell("now") == (0, {"now": "2026-04-01T00:10:00.500000+00:00"}, None)
    assert sim.now == START + timedelta(seconds=600.5)


def test_url_names_the_simulator_instead_of_the_environment(
    shell: Any, sim: Simulator, served: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEAPI_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    assert shell("advance", "60", "--url", served.url)[0] == 0
    assert sim.now == START + timedelta(seconds=60)


def test_fail_next_queues_a_fault_the_next_call_meets(
    shell: Any, sim: Simulator, served: SimulatorServer
) -> None:
    route = "POST /v1/charging_sessions"
    code, queued, _ = shell("fail-next", "--route", route, "--code", "charging_session_conflict")
    with chargeapi.Client(sim.api_key, base_url=served.url, max_retries=0) as client:
        with pytest.raises(chargeapi.ConflictError) as raised:
            chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        stations = chargeapi.ChargingStation.list(client=client).data  # another route: untouched

    assert code == 0
    assert queued == {
        "status": 409,  # the status the API pairs with a *_conflict code
        "code": "charging_session_conflict",
        "times": 1,
        "retry_after": None,
        "message": None,
        "route": route,
    }
    assert raised.value.code == "charging_session_conflict"
    assert stations


def test_fail_next_takes_a_status_retry_after_and_times(shell: Any, sim: Simulator) -> None:
    code, queued, _ = shell("fail-next", "503", "--retry-after", "2", "--times", "2")
    assert code == 0
    assert queued["status"] == 503
    assert queued["retry_after"] == 2
    assert queued["times"] == 2
    with sim.client(max_retries=0) as client:
        for _ in range(2):
            with pytest.raises(chargeapi.InternalServerError) as raised:
                chargeapi.Driver.list(client=client)
            assert raised.value.headers["Retry-After"] == "2"
        assert chargeapi.Driver.list(client=client).data


def test_drop_and_delay_next(shell: Any, sim: Simulator) -> None:
    assert shell("drop-next", "--after-processing")[1] == {
        "after_processing": True,
        "times": 1,
        "route": None,
    }
    assert shell("delay-next", "0.01", "--route", "GET /v1/fleets")[1] == {
        "seconds": 0.01,
        "times": 1,
        "route": "GET /v1/fleets",
    }
    with sim.client(max_retries=0) as client, pytest.raises(chargeapi.APIConnectionError):
        chargeapi.Driver.list(client=client)


def test_chaos_on_and_off(shell: Any, sim: Simulator) -> None:
    code, on, _ = shell("chaos", "--seed", "4", "--server-errors", "1", "--route", "GET /v1/fleets")
    with sim.client(max_retries=0) as client, pytest.raises(chargeapi.InternalServerError):
        chargeapi.Fleet.list(client=client)
    _, off, _ = shell("chaos")
    with sim.client(max_retries=0) as client:
        fleets = chargeapi.Fleet.list(client=client).data

    assert code == 0
    assert on["chaos"]["server_errors"] == 1
    assert on["chaos"]["route"] == "GET /v1/fleets"
    assert off == {"chaos": None}
    assert fleets


def test_reset_goes_back_to_the_seeded_account(shell: Any, sim: Simulator) -> None:
    with sim.client() as client:
        chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    shell("advance", "3600")
    assert shell("reset") == (0, {"now": "2026-04-01T00:00:00+00:00"}, None)
    with sim.client() as client:
        assert chargeapi.ChargingSession.list(client=client).data == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["advance", "600", "--bogus"], "unrecognized arguments: --bogus"),
        (["advance", "600", "extra"], "unrecognized arguments: extra"),
        (["teleport"], "invalid choice: 'teleport'"),
        (["advance", "ten"], "argument seconds: must be a number, got 'ten'"),
        (["advance"], "the following arguments are required: seconds"),
        (["--seed", "3", "reset"], "--seed is an option for serving a simulator, not for reset"),
        (["fail-next", "--route", "GET /v1/drivers"], "fail-next needs a STATUS"),
        (["--start", "yesterday"], 'argument --start: must be "now"'),
        (["--webhook-timeout", "61"], "argument --webhook-timeout: must be a number of seconds"),
        (["--webhook-timeout", "8", "now"], "--webhook-timeout is an option for serving"),
    ],
)
def test_mistakes_are_usage_errors(
    shell: Any, sim: Simulator, args: list[str], message: str
) -> None:
    code, out, err = shell(*args)
    assert (code, out) == (2, None)
    assert err["error"]["type"] == "usage_error"
    assert message in err["error"]["message"]
    assert sim.now == START


def test_refused_values_exit_10_naming_the_problem(shell: Any, sim: Simulator) -> None:
    code, out, err = shell("advance", "1e300")
    assert (code, out) == (10, None)
    assert err["error"]["status"] == 400
    assert "seconds would move the test clock past the year 9000" in err["error"]["message"]
    assert shell("fail-next", "200")[0] == 10
    assert shell("fail-next", "503", "--times", "0")[2]["error"]["message"] == (
        "times must be an int of at least 1, got 0"
    )
    assert sim.now == START


def test_without_a_url_it_says_how_to_name_one(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARGEAPI_BASE_URL")
    code, _, err = shell("now")
    assert code == 2
    assert "--url http://127.0.0.1:12111 (or set CHARGEAPI_BASE_URL)" in err["error"]["message"]


def test_unreachable_is_exit_12_and_a_wrong_key_exit_3(
    shell: Any, served: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shell("now", "--url", "http://127.0.0.1:9")[0] == 12
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_someone_else")
    code, _, err = shell("now")
    assert (code, err["error"]["status"]) == (3, 401)
    assert "ch_sk_test_someone_else" not in json.dumps(err)


def test_as_a_real_command(sim: Simulator, served: SimulatorServer) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    env["CHARGEAPI_BASE_URL"] = served.url
    command = [sys.executable, "-m", "chargeapi", "simulator"]
    moved = subprocess.run(
        [*command, "advance", "600"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    bogus = subprocess.run(
        [*command, "--bogus"], check=False, env=env, capture_output=True, text=True, timeout=60
    )

    assert (moved.returncode, moved.stdout) == (0, '{"now": "2026-04-01T00:10:00+00:00"}\n')
    assert sim.now == START + timedelta(seconds=600)
    assert (bogus.returncode, bogus.stdout) == (2, "")
    assert json.loads(bogus.stderr)["error"]["message"].startswith("unrecognized arguments")
