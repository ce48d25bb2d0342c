"""The ``chargeapi`` command, run as a subprocess against the simulator's HTTP server."""

from __future__ import annotations

import inspect
import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chargeapi._cli._main import EXIT_CODES, build_parser, command_name, main
from chargeapi._operations import table
from chargeapi.testing import Simulator, SimulatorServer

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Simulator, SimulatorServer]]:
    sim = Simulator(seed=7)
    with sim.serve() as server:
        yield sim, server


@pytest.fixture
def run(served: tuple[Simulator, SimulatorServer]) -> Run:
    sim, server = served

    def run(*args: str, key: str | None = None, stdin: str | None = None) -> Any:
        command = [sys.executable, "-m", "chargeapi", "--base-url", server.url]
        command += ["--api-key", key or sim.api_key, "--max-retries", "0", *args]
        return subprocess.run(
            command, check=False, capture_output=True, text=True, input=stdin, timeout=60
        )

    return run


def test_create_retrieve_end_flow(served: tuple[Simulator, SimulatorServer], run: Run) -> None:
    sim, _ = served
    params = sim.sample_session_params()
    flags = [x for k, v in params.items() for x in ("--" + k.replace("_", "-"), v)]
    created = run("charging-sessions", "create", *flags, "--session-limit", "30000")
    assert created.returncode == 0, created.stderr
    session = json.loads(created.stdout)
    assert session["status"] == "active"
    assert session["session_limit"] == 30000
    assert session["connector"] == params["connector"]
    fetched = run("charging-sessions", "retrieve", session["id"], "--expand", "driver")
    assert json.loads(fetched.stdout)["driver"]["id"] == params["driver"]
    ended = run("charging-sessions", "end", session["id"])
    assert json.loads(ended.stdout)["status"] == "completed"
    again = run("charging-sessions", "end", session["id"])
    assert again.returncode == 6
    error = json.loads(again.stderr)
    assert error["error"]["code"] == "charging_session_state_conflict"
    assert error["request_id"].startswith("req_")
    assert error["outcome_unknown"] is False


def test_a_list_streams_json_lines_across_pages(run: Run) -> None:
    listed = run("drivers", "list", "--limit", "1", "--limit-items", "3")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 3
    ids = [json.loads(line)["id"] for line in lines]
    assert len(set(ids)) == 3
    assert all(i.startswith("drv_") for i in ids)


def test_a_bad_key_is_exit_3_and_the_key_never_shows(run: Run) -> None:
    result = run("drivers", "list", key="ch_sk_live_not_a_simulator_key")
    assert result.returncode == 3
    assert json.loads(result.stderr)["error"]["type"] == "AuthenticationError"
    assert "ch_sk_live_not_a_simulator_key" not in result.stderr + result.stdout


def test_not_found_is_exit_5(run: Run) -> None:
    result = run("drivers", "retrieve", "drv_doesnotexist")
    assert result.returncode == 5
    assert json.loads(result.stderr)["error"]["code"] == "driver_not_found"


def test_bad_input_is_exit_2_before_anything_is_sent(run: Run) -> None:
    missing = run("drivers", "attach", "drv_x")
    assert missing.returncode == 2
    assert "--fleet" in missing.stderr
    wrong = run("drivers", "attach", "drv_x", "--fleet", "veh_x")
    assert wrong.returncode == 2
    assert "fleet must be a fleet ID" in wrong.stderr


def test_no_key_anywhere_is_exit_1(served: tuple[Simulator, SimulatorServer]) -> None:
    _, server = served
    result = subprocess.run(
        [sys.executable, "-m", "chargeapi", "--base-url", server.url, "drivers", "list"],
        check=False,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1
    assert "CHARGEAPI_API_KEY" in json.loads(result.stderr)["error"]["message"]


def test_data_file_and_dotted_flags_build_nested_parameters(run: Run, tmp_path: Any) -> None:
    data = tmp_path / "driver.json"
    data.write_text(json.dumps({"name": "From File", "email": "f@example.com"}))
    result = run(
        "drivers",
        "create",
        "--data",
        f"@{data}",
        "--preferences.max-price-per-kwh",
        "25",
        "--preferences.preferred-cpos",
        "ionity",
        "--preferences.preferred-cpos",
        "fastned",
    )
    assert result.returncode == 0, result.stderr
    driver = json.loads(result.stdout)
    assert driver["name"] == "From File"
    assert driver["preferences"]["max_price_per_kwh"] == 25
    assert driver["preferences"]["preferred_cpos"] == ["ionity", "fastned"]


def test_help_at_every_level_lists_actions_and_parameters() -> None:
    parser = build_parser()
    top = parser.format_help()
    for op in table():
        assert command_name(op) in top
    sub = subprocess.run(
        [sys.executable, "-m", "chargeapi", "drivers", "attach", "--help"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "POST /v1/drivers/{driver}/attach" in sub.stdout
    assert "--fleet" in sub.stdout
    assert "Attach a driver to a fleet" in sub.stdout


@pytest.mark.parametrize("op", table(), ids=lambda op: f"{command_name(op)} {op.action}")
def test_every_operation_is_a_command_with_its_parameters(op: Any) -> None:
    parser = build_parser()
    argv = [command_name(op), op.action.replace("_", "-"), "--help"]
    with pytest.raises(SystemExit):
        parser.parse_args(argv)
    leaf = parser._subparsers._group_actions[0].choices[command_name(op)]  # type: ignore[union-attr]
    action = leaf._subparsers._group_actions[0].choices[op.action.replace("_", "-")]  # type: ignore[union-attr]
    options = {s for a in action._actions for s in a.option_strings}
    for param in inspect.signature(op.sync).parameters.values():
        if param.name == "client" or param.kind is param.VAR_KEYWORD:
            continue
        if param.kind is param.POSITIONAL_OR_KEYWORD:
            assert any(a.dest == param.name for a in action._actions)
        else:
            assert "--" + param.name.replace("_", "-") in options, param.name


def test_exit_codes_are_distinct_per_error_class() -> None:
    codes = [code for _, code, _ in EXIT_CODES]
    assert len(codes) == len(set(codes))
    assert 0 not in codes
    assert 2 not in codes


def test_completion_script_names_resources_and_options() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "chargeapi", "completion", "bash"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "complete -F _chargeapi chargeapi" in out
    assert (
        '"drivers attach") words="--help --fleet --idempotency-key --data --input --concurrency '
        '--rate --ordered --resume --run-id --no-progress";;'
    ) in out
    assert (
        '"drivers list") words="--help --fleet --vehicle --limit --expand --data '
        '--limit-items --format --ids --fields";;'
    ) in out


def _verify(payload: bytes, header: str, *secrets: str) -> subprocess.CompletedProcess[bytes]:
    flags = [x for s in secrets for x in ("--secret", s)]
    return subprocess.run(
        [sys.executable, "-m", "chargeapi", "webhooks", "verify", "--header", header, *flags],
        input=payload,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_webhooks_verify_prints_the_event_or_exits_14() -> None:
    from chargeapi.testing import sign_webhook

    secret = "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"
    payload = json.dumps(
        {
            "id": "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT",
            "object": "event",
            "type": "report.succeeded",
            "api_version": "2026-03-01",
            "created": "2026-05-02T00:15:38.499Z",
            "data": {"object": {"id": "rpt_x", "object": "report", "status": "succeeded"}},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
        }
    ).encode()
    good = _verify(payload, sign_webhook(payload, secret), "whsec_old", secret)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["id"] == "evt_NmNUTThiOjk3oAzDtQpWLV79AFhr78FT"
    tampered = _verify(
        payload.replace(b"succeeded", b"failed"), sign_webhook(payload, secret), secret
    )
    assert tampered.returncode == 14
    report = json.loads(tampered.stderr)
    assert report["error"]["type"] == "SignatureVerificationError"
    assert secret not in tampered.stderr.decode()


def test_parameter_help_is_derived_from_the_types() -> None:
    text = subprocess.run(
        [sys.executable, "-m", "chargeapi", "drivers", "update", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout
    assert "'null' clears it" in " ".join(text.split())
    listing = subprocess.run(
        [sys.executable, "-m", "chargeapi", "charging-sessions", "list", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout
    assert "a driver ID (drv_...)" in listing
    assert "{active,completed,cancelled,failed}" in listing
    assert "1 to 100" in listing


def test_usage_errors_are_json_on_stderr_too(run: Run) -> None:
    missing_id = run("drivers", "retrieve")
    assert missing_id.returncode == 2
    assert json.loads(missing_id.stderr)["error"]["type"] == "usage_error"
    bad_choice = run("charging-sessions", "list", "--status", "actve")
    assert bad_choice.returncode == 2
    assert "actve" in json.loads(bad_choice.stderr)["error"]["message"]
    bad_nested = run(
        "policies",
        "create",
        "--name",
        "a",
        "--mode",
        "enforcement",
        "--rules.max-price-per-kwh",
        "abc",
    )
    assert bad_nested.returncode == 2
    message = json.loads(bad_nested.stderr)["error"]["message"]
    assert message == "--rules.max-price-per-kwh: expected an integer, got 'abc'"


def test_the_simulator_command_takes_its_own_options() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "chargeapi", "simulator", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        process.terminate()
        process.wait(timeout=30)
    assert first.startswith("ChargeAPI simulator listening on http://127.0.0.1:")
    assert not first.rstrip().endswith(":0")


def test_a_missing_argument_names_the_public_method() -> None:
    import chargeapi

    with pytest.raises(TypeError, match=r"^Driver\.create\(\) missing 1 required"):
        chargeapi.Driver.create(name="x")  # type: ignore[call-arg]


def test_a_flag_wins_over_the_same_key_in_data(run: Run) -> None:
    result = run(
        "drivers",
        "create",
        "--data",
        '{"name": "From Data", "email": "d@example.com"}',
        "--name",
        "From Flag",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "From Flag"


# -- crashes that were tracebacks, and what an error may quote -------------------------------------------


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Run a command that must end in a JSON usage error (exit 2) and nothing on stdout."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    assert (exit_info.value.code, captured.out) == (2, "")
    error: dict[str, Any] = json.loads(captured.err)["error"]
    return error


@pytest.mark.parametrize(
    "argv",
    [
        ["drivers", "create", "--data", "[" * 100_000],
        ["drivers", "create", "--data", '{"a":' * 100_000],
        ["--timeout", "inf", "drivers", "list"],
        ["--timeout", "nan", "drivers", "list"],
        ["--timeout", "1e10", "drivers", "list"],
        ["webhooks", "verify", "--header", "t=1", "--secret", "whsec_x", "--tolerance", "-1"],
        ["webhooks", "verify", "--header", "t=1", "--secret", "whsec_x", "--tolerance", "inf"],
    ],
    ids=["deep list", "deep object", "timeout inf", "timeout nan", "timeout 1e10",
         "tolerance -1", "tolerance inf"],
)  # fmt: skip
def test_bad_options_are_json_usage_errors_not_tracebacks(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", "ch_sk_test_x")
    error = _refused(argv, capsys)
    assert error["type"] == "usage_error"
    assert len(error["message"]) < 300


def test_a_data_file_that_is_no_object_is_quoted_short_and_without_secrets(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "params.json"
    data.write_text('["ch_sk_live_abcdefghijklmnop", ' + '"password=hunter2", ' * 50_000 + "1]")

    error = _refused(["drivers", "create", "--data", f"@{data}"], capsys)

    assert error["message"].startswith("--data: expected a JSON object, got '[")
    assert len(error["message"]) < 200
    assert "abcdefghijklmnop" not in error["message"]
    assert "hunter2" not in error["message"]


def test_webhooks_verify_of_a_signed_payload_that_is_no_event_is_a_json_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from chargeapi.testing import sign_webhook

    secret = "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"
    payload = b"<html>not json</html>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))

    code = main(
        ["webhooks", "verify", "--header", sign_webhook(payload, secret), "--secret", secret]
    )

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "not JSON" in json.loads(captured.err)["error"]["message"]
    assert secret not in captured.err


def test_help_says_the_environment_is_the_safe_place_for_the_key() -> None:
    help_text = " ".join(build_parser().format_help().split())
    assert "prefer $CHARGEAPI_API_KEY" in help_text
    assert "visible to other users of this machine" in help_text
