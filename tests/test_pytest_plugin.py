"""The pytest plugin: a user's test file names the fixtures and gets a simulator, a client, a
server and the environment, with no import or configuration. Each test runs such a file in an
inner pytest session (pytester), where the plugin loads through its entry point as for a user.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chargeapi.testing import Simulator

INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"

USER_TESTS = (Path(__file__).parent / "pytest_plugin_user.py").read_text()


@pytest.fixture
def user_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("CHARGEAPI_API_KEY", raising=False)
    monkeypatch.delenv("CHARGEAPI_BASE_URL", raising=False)
    pytester.makeini(INI)
    return pytester


def test_a_user_test_file_only_names_the_fixtures(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user=USER_TESTS)
    result = user_project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)


def test_the_seed_option_seeds_the_simulator(user_project: pytest.Pytester) -> None:
    expected = Simulator(seed=7).sample_session_params()["charging_station"]
    user_project.makepyfile(
        test_seed=f"""
def test_seed(chargeapi_simulator):
    assert chargeapi_simulator.seed == 7
    assert chargeapi_simulator.sample_session_params()["charging_station"] == {expected!r}
"""
    )
    user_project.runpytest("--chargeapi-seed", "7").assert_outcomes(passed=1)


def test_the_plugin_can_be_turned_off(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_off="def test_off(chargeapi_simulator):\n    pass\n")
    result = user_project.runpytest("-p", "no:chargeapi")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'chargeapi_simulator' not found*"])


def test_pytest_lists_the_fixtures_with_their_help(user_project: pytest.Pytester) -> None:
    fixtures = user_project.runpytest("--fixtures")
    fixtures.stdout.fnmatch_lines(
        [
            "*chargeapi_simulator*",
            "*A fresh, seeded simulator for this test*",
            "*chargeapi_client*",
            "*chargeapi_server*",
            "*chargeapi_env*",
        ]
    )


def test_importing_the_plugin_loads_no_simulator() -> None:
    code = (
        "import sys, chargeapi.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith('chargeapi.') and "
        "not m.startswith(('chargeapi._', 'chargeapi.testing.pytest_plugin'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['chargeapi.testing']"  # the package, none of its modules
