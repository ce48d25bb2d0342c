"""Every file in examples/ runs end to end against the simulator, as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_against_the_simulator(path: Path) -> None:
    result = _run(path)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_quickstart_charges_bills_and_says_it_used_the_simulator() -> None:
    result = _run(EXAMPLES[0].parent / "quickstart.py")

    assert "simulator" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Started cs_")
    assert "status completed" in lines[1]
    # 30 simulated minutes on a seeded connector deliver energy and cost money.
    kwh = float(lines[2].split(":")[1].split()[0])
    amount, currency = lines[3].split(":")[1].split()
    assert kwh > 0
    assert float(amount) > 0
    assert currency == "EUR"


def test_safe_retries_example_ends_with_exactly_one_session() -> None:
    result = _run(EXAMPLES[0].parent / "safe_retries.py")

    assert "one key: True" in result.stdout
    assert "Sessions on the account: 1" in result.stdout


def test_quickstart_with_a_key_says_which_ids_to_set() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    env["CHARGEAPI_API_KEY"] = "ch_sk_test_from_env"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES[0].parent / "quickstart.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "CHARGEAPI_STATION" in result.stderr
    assert "simulator" not in result.stderr
    assert "ch_sk_test_from_env" not in result.stderr + result.stdout
