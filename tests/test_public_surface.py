"""Issue 11: logging from the environment, the public default client, errors under public names."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
import traceback

import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import TEST_KEY

# -- CHARGEAPI_LOG ----------------------------------------------------------------------------------

# A create that is retried once, against the in-process simulator, with a key that must not show.
_RETRIED_CREATE = textwrap.dedent(
    """
    import chargeapi
    from chargeapi.testing import Simulator

    sim = Simulator(api_key="ch_sk_test_SECRETsecretSECRET0123456789")
    sim.fail_next(503)
    with sim.client(sleep=lambda _: None) as client:
        chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    """
)


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that shows every warning, ResourceWarning included."""
    clean = {"PATH": "", "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(
        [sys.executable, "-W", "always", "-X", "tracemalloc", "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_chargeapi_log_debug_prints_every_attempt_to_stderr_without_the_key() -> None:
    done = _run(_RETRIED_CREATE, CHARGEAPI_LOG="debug")

    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 3
    assert "chargeapi DEBUG POST /v1/charging_sessions -> 503 (attempt 1," in lines[0]
    assert "chargeapi INFO POST /v1/charging_sessions -> 503; retrying in" in lines[1]
    assert "chargeapi DEBUG POST /v1/charging_sessions -> 200 (attempt 2," in lines[2]
    assert "SECRET" not in done.stderr
    assert done.stdout == ""


def test_chargeapi_log_info_prints_only_retries() -> None:
    done = _run(_RETRIED_CREATE, CHARGEAPI_LOG="INFO")

    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert "chargeapi INFO POST /v1/charging_sessions -> 503; retrying in" in lines[0]


def test_without_chargeapi_log_nothing_is_printed() -> None:
    done = _run(_RETRIED_CREATE)

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_an_unknown_chargeapi_log_value_is_named_in_a_warning() -> None:
    done = _run("import chargeapi", CHARGEAPI_LOG="verbose")

    assert done.returncode == 0, done.stderr
    assert "CHARGEAPI_LOG='verbose' is ignored: use 'debug' or 'info'" in done.stderr


# -- the default client ---------------------------------------------------------------------------


def test_default_client_is_public() -> None:
    assert "default_client" in chargeapi.__all__
    assert chargeapi.default_client is chargeapi._client.default_client


def test_a_replaced_default_client_is_closed(
    sim: Simulator, server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", sim.api_key)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", server.url)
    first = chargeapi.default_client()
    driver = sim.sample_session_params()["driver"]
    chargeapi.Driver.retrieve(driver)  # opens its socket

    monkeypatch.setenv("CHARGEAPI_API_KEY", sim.api_key + " ")  # the environment changed
    try:
        second = chargeapi.default_client()
        assert second is not first
        assert chargeapi.default_client() is second
        with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
            chargeapi.Driver.retrieve(driver, client=first)
    finally:
        chargeapi.default_client().close()


def test_nothing_warns_at_exit_about_the_default_clients_sockets() -> None:
    code = textwrap.dedent(
        """
        import asyncio, os
        import chargeapi
        from chargeapi.testing import Simulator

        sim = Simulator()
        server = sim.serve()
        os.environ["CHARGEAPI_API_KEY"] = sim.api_key
        os.environ["CHARGEAPI_BASE_URL"] = server.url
        driver = sim.sample_session_params()["driver"]
        chargeapi.Driver.retrieve(driver)
        asyncio.run(chargeapi.Driver.retrieve_async(driver))
        print("done")
        # No close(): the interpreter exits with the default client's sockets open.
        """
    )
    done = _run(code)

    assert done.returncode == 0, done.stderr
    assert done.stdout == "done\n"
    assert done.stderr == ""  # -W always shows every ResourceWarning


# -- errors under their public names ------------------------------------------------------------------


def _public_errors() -> list[type[BaseException]]:
    return [
        value
        for name in chargeapi.__all__
        if isinstance(value := getattr(chargeapi, name), type) and issubclass(value, BaseException)
    ]


def test_every_error_is_shown_under_its_public_name() -> None:
    errors = _public_errors()
    assert {cls.__name__ for cls in errors} == set(chargeapi._exceptions.__all__)

    for cls in errors:
        assert cls.__module__ == "chargeapi"
        assert getattr(chargeapi, cls.__qualname__) is cls


def test_a_traceback_names_chargeapi_not_found_error() -> None:
    error = chargeapi.NotFoundError("No such session", status_code=404, code="not_found")

    shown = traceback.format_exception_only(error)[-1]

    assert shown == "chargeapi.NotFoundError: 404 not_found: No such session\n"


def test_errors_under_public_names_still_pickle() -> None:
    error = chargeapi.NotFoundError("gone", status_code=404, request_id="req_1")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is chargeapi.NotFoundError
    assert (copy.status_code, copy.request_id, str(copy)) == (404, "req_1", str(error))


def test_from_dict_raises_the_public_invalid_data_error_a_value_error() -> None:
    with pytest.raises(chargeapi.InvalidDataError) as excinfo:
        chargeapi.Driver.from_dict({"id": 5})

    assert isinstance(excinfo.value, ValueError)
    assert isinstance(excinfo.value, chargeapi.ChargeAPIError)
    assert str(excinfo.value).startswith(
        "data is not a valid Driver: Driver.id: expected str, got int; Driver.created: missing;"
    )
    assert traceback.format_exception_only(excinfo.value)[-1].startswith(
        "chargeapi.InvalidDataError: "
    )
    assert type(pickle.loads(pickle.dumps(excinfo.value))) is chargeapi.InvalidDataError


def test_the_key_is_not_in_the_default_clients_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEAPI_API_KEY", TEST_KEY)
    try:
        assert TEST_KEY not in repr(chargeapi.default_client())
    finally:
        chargeapi.default_client().close()
