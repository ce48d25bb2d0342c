"""`python -m chargeapi.testing`: options, a busy port, the start-up example, stopping."""

from __future__ import annotations

import shlex
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from chargeapi.testing import Simulator, SimulatorControl

COMMAND = [sys.executable, "-m", "chargeapi.testing"]


def test_help_explains_every_option() -> None:
    result = subprocess.run(
        [*COMMAND, "--help"], check=False, capture_output=True, text=True, timeout=30
    )
    text = " ".join(result.stdout.split())  # argparse wraps lines
    assert result.returncode == 0
    assert "--host HOST address to listen on (default: 127.0.0.1;" in text
    assert "--port PORT port to listen on; 0 picks a free one (default: 12111)" in text
    assert "--seed SEED seed of the sample account: the same seed gives the same IDs" in text


def test_a_busy_port_is_one_line_and_exit_code_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*COMMAND, "--port", str(port)], check=False, capture_output=True, text=True, timeout=30
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port}: the port is already in use "
        "(pick another --port, or 0 for any free one)\n"
    )


@pytest.fixture(scope="module")
def started() -> tuple[subprocess.Popen[str], list[str]]:
    """A simulator process (seed 4) and everything it printed at start."""
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", "--seed", "4"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    lines = []
    while not (line := process.stdout.readline()).startswith("Ctrl-C"):
        assert line, "the process ended before printing its example"
        lines.append(line.rstrip("\n"))
    return process, lines


@pytest.fixture(scope="module", autouse=True)
def _stop(started: tuple[subprocess.Popen[str], list[str]]) -> object:
    yield None
    process = started[0]
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()


def section(lines: list[str], title: str) -> list[str]:
    """The lines after the one starting with `title`, up to the next blank line."""
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_the_printed_curl_line_works(started: tuple[subprocess.Popen[str], list[str]]) -> None:
    _, lines = started
    (curl,) = section(lines, "Try it with curl:")
    words = shlex.split(curl)
    assert words[:2] == ["curl", "-H"]
    name, _, value = words[2].partition(": ")
    response = httpx.get(words[3], headers={name: value}, timeout=5)
    station_id = words[3].rsplit("/", 1)[1]
    assert response.status_code == 200
    assert response.json()["id"] == station_id
    assert station_id == Simulator(seed=4).sample_session_params()["charging_station"]


def test_the_printed_python_snippet_creates_a_session(
    started: tuple[subprocess.Popen[str], list[str]],
) -> None:
    _, lines = started
    snippet = "\n".join(section(lines, "Or with the SDK"))
    result = subprocess.run(
        [sys.executable, "-"],
        input=snippet,
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    session_id, status = result.stdout.split()
    assert session_id.startswith("cs_")
    assert status == "active"


def test_the_printed_control_snippet_moves_the_clock(
    started: tuple[subprocess.Popen[str], list[str]],
) -> None:
    _, lines = started
    snippet = "\n".join(section(lines, "Drive it from your tests"))
    url = lines[0].rsplit(" ", 1)[1]
    key = lines[1].rsplit(" ", 1)[1]
    with SimulatorControl(url, key) as control:
        before = control.now
        result = subprocess.run(
            [sys.executable, "-"],
            input=snippet,
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        assert (control.now - before).total_seconds() == 1800


def _as_in_a_terminal() -> None:
    """Ctrl-C as a terminal sends it: a job started in the background by a shell without job
    control (``cmd &`` in a script, as some CI runners do) inherits SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_it_cleanly() -> None:
    with subprocess.Popen(
        [*COMMAND, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_in_a_terminal,  # noqa: PLW1509 - only resets one signal's disposition
    ) as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            line = process.stdout.readline()
            assert line.startswith("ChargeAPI simulator listening on http://")
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=5)
            assert (code, process.stderr.read()) == (0, "")  # no KeyboardInterrupt traceback
        finally:
            if process.poll() is None:  # it did not stop: fail, never hang the suite
                process.kill()
