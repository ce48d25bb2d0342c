"""The API key never leaks (repr, errors, tracebacks, logs, validation messages), and the
``chargeapi`` logger tells one DEBUG line per attempt."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import chargeapi

from ._hostile import Connection, Script, answer
from .conftest import API, BACKENDS, SEED_REQUEST, on_backend, seed_response

SECRET = "ch_sk_test_R3dactCanary7Qz9Xw2Lp5Vb8Nm4Kd6Hf"
SESSION = "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY"
SESSION_URL = f"{API}/v1/charging_sessions/{SESSION}"
CREATE_URL = f"{API}/v1/charging_sessions"


@pytest.fixture
def secret_client(no_waiting: dict[str, Any]) -> Iterator[chargeapi.Client]:
    # Strict, so an answer of the wrong shape raises too (it is one of the errors checked).
    with chargeapi.Client(SECRET, strict_responses=True, **no_waiting) as c:
        yield c


def everything_shown(error: BaseException) -> str:
    """All text a user, a log handler or an error tracker could see of ``error``."""
    parts = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),
        repr(vars(error)),
    ]
    for attribute in ("message", "headers", "body", "idempotency_key", "request_id"):
        parts.append(repr(getattr(error, attribute, None)))
    return "\n".join(parts)


# -- the client -----------------------------------------------------------------------------------


def test_repr_of_client_hides_the_key(secret_client: chargeapi.Client) -> None:
    assert SECRET not in repr(secret_client)
    assert SECRET not in str(secret_client)
    assert "api_key=set" in repr(secret_client)


def test_repr_of_client_without_key_says_missing() -> None:
    assert "api_key=missing" in repr(chargeapi.Client())


# -- errors -----------------------------------------------------------------------------------------


def unauthorized() -> None:
    respx.post(CREATE_URL).respond(
        401,
        json={
            "object": "error",
            "type": "authentication_error",
            "code": None,
            "message": "Invalid API key provided.",
            "request": "req_auth0001",
            "status": 401,
        },
        headers={"Request-Id": "req_auth0001"},
    )


def server_error_every_time() -> None:
    respx.post(CREATE_URL).respond(
        500, text="<html>oops</html>", headers={"Content-Type": "text/html"}
    )


def connection_refused() -> None:
    respx.post(CREATE_URL).mock(side_effect=httpx.ConnectError("connection refused"))


def timed_out() -> None:
    respx.post(CREATE_URL).mock(side_effect=httpx.ReadTimeout)


def not_json() -> None:
    respx.post(CREATE_URL).respond(200, text="<html>maintenance</html>")


def wrong_shape() -> None:
    body = seed_response()
    body["amount_due"] = "1842"
    respx.post(CREATE_URL).respond(200, json=body)


SCENARIOS: list[tuple[Callable[[], None], type[chargeapi.ChargeAPIError]]] = [
    (unauthorized, chargeapi.AuthenticationError),
    (server_error_every_time, chargeapi.InternalServerError),
    (connection_refused, chargeapi.APIConnectionError),
    (timed_out, chargeapi.APITimeoutError),
    (not_json, chargeapi.InvalidResponseError),
    (wrong_shape, chargeapi.InvalidResponseError),
]


@pytest.mark.parametrize(("arrange", "error_class"), SCENARIOS)
@respx.mock
def test_errors_never_show_the_key(
    secret_client: chargeapi.Client,
    arrange: Callable[[], None],
    error_class: type[chargeapi.ChargeAPIError],
) -> None:
    arrange()

    with pytest.raises(error_class) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=secret_client)

    assert respx.calls.last.request.headers["Authorization"] == f"Bearer {SECRET}"
    assert SECRET not in everything_shown(excinfo.value)


@pytest.mark.parametrize(("arrange", "error_class"), SCENARIOS)
async def test_async_errors_never_show_the_key(
    secret_client: chargeapi.Client,
    arrange: Callable[[], None],
    error_class: type[chargeapi.ChargeAPIError],
) -> None:
    with respx.mock:
        arrange()

        with pytest.raises(error_class) as excinfo:
            await chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=secret_client)

    assert SECRET not in everything_shown(excinfo.value)


@respx.mock
def test_status_error_headers_are_the_response_headers_only(
    secret_client: chargeapi.Client,
) -> None:
    unauthorized()

    with pytest.raises(chargeapi.AuthenticationError) as excinfo:
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=secret_client)

    names = {name.lower() for name in excinfo.value.headers}
    assert "authorization" not in names
    assert "request-id" in names


# -- validation messages --------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["charging_station", "driver", "payment_method", "vehicle"])
def test_key_passed_as_an_id_is_not_echoed(secret_client: chargeapi.Client, param: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route().respond(200, json=seed_response())

        with pytest.raises(ValueError, match=param) as excinfo:
            chargeapi.ChargingSession.create(
                **{**SEED_REQUEST, param: SECRET}, client=secret_client
            )

    assert SECRET not in everything_shown(excinfo.value)
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (
            lambda c: chargeapi.ChargingSession.create(
                **{**SEED_REQUEST, "connector": SECRET + "/x"}, client=c
            ),
            "connector",
        ),
        (lambda c: chargeapi.ChargingSession.retrieve(SECRET, client=c), "id"),
        (
            lambda c: chargeapi.ChargingSession.retrieve(SESSION, expand=[SECRET], client=c),
            "expand",
        ),
        (lambda c: chargeapi.ChargingSession.list(status=SECRET + "!", client=c), "status"),
        (
            lambda c: chargeapi.ChargingSession.create(
                **SEED_REQUEST, idempotency_key=SECRET + "\n", client=c
            ),
            "idempotency_key",
        ),
        (lambda c: chargeapi.ChargingStation.retrieve(SECRET, client=c), "id"),
    ],
)
def test_key_passed_to_any_checked_param_is_not_echoed(
    secret_client: chargeapi.Client, call: Callable[[chargeapi.Client], Any], param: str
) -> None:
    with pytest.raises(ValueError, match=rf"^{param}\b") as excinfo:
        call(secret_client)

    assert SECRET not in everything_shown(excinfo.value)


@pytest.mark.parametrize("bad", [SECRET + "\r\nX-Injected: 1", SECRET + "\x00", SECRET + "é"])
def test_refused_api_key_is_not_echoed(bad: str) -> None:
    with pytest.raises(ValueError, match="api_key") as excinfo:
        chargeapi.Client(bad)

    assert SECRET not in everything_shown(excinfo.value)


# -- configuration mistakes ------------------------------------------------------------------------

LIVE = "ch_sk_live_4eC39HqLyjWDarjtT1zdp7dcSwapped"
TESTS = str(Path(__file__).parent)


def locals_shown(error: BaseException) -> str:
    """What a traceback printed with its frames' locals shows (Sentry, ``pytest -l``,
    ``capture_locals=True``): the repr of every local of every frame outside the tests, in the
    error and every exception chained to it."""
    shown: list[str] = []
    pending: list[BaseException | None] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if not frame.f_code.co_filename.startswith(TESTS):
                shown.extend(f"{name}={value!r}" for name, value in frame.f_locals.items())
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__]
    return "\n".join(shown)


def _config_mistakes() -> list[Any]:
    def swapped_env(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHARGEAPI_API_KEY", "https://api.chargeapi.co")
        monkeypatch.setenv("CHARGEAPI_BASE_URL", LIVE)

    def key_with_bad_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CHARGEAPI_API_KEY", LIVE)
        monkeypatch.setenv("CHARGEAPI_BASE_URL", "ftp://files.example")

    def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
        pass

    default = chargeapi.ChargingStation.retrieve
    station = "chst_iMb1nAbiUhyudabADX74SMtWaNhC4Z1t"
    return [
        pytest.param(no_env, lambda: chargeapi.Client("https://api.chargeapi.co", base_url=LIVE),
                     "base_url", id="swapped"),
        pytest.param(no_env, lambda: chargeapi.Client(LIVE, base_url=f"https://{LIVE}.example"),
                     "base_url", id="key in the host"),
        pytest.param(no_env, lambda: chargeapi.Client(LIVE, base_url="ftp://x"), "base_url",
                     id="bad url"),
        pytest.param(no_env, lambda: chargeapi.Client(LIVE, timeout=float("inf")), "timeout",
                     id="timeout"),
        pytest.param(no_env, lambda: chargeapi.Client(LIVE, async_backend="trio"),  # type: ignore[arg-type]
                     "async_backend", id="backend"),
        pytest.param(no_env, lambda: chargeapi.Client(LIVE + "\x00"), "api_key", id="bad key"),
        pytest.param(no_env, lambda: chargeapi.Client("x").with_options(api_key=LIVE, timeout=-1),
                     "timeout", id="with_options"),
        pytest.param(no_env, lambda: chargeapi.Client("x").with_options(base_url=LIVE),
                     "base_url", id="with_options swapped"),
        pytest.param(swapped_env, lambda: default(station), "base_url", id="default swapped"),
        pytest.param(key_with_bad_base_url, lambda: default(station), "base_url",
                     id="default bad url"),
    ]  # fmt: skip


@pytest.mark.parametrize(("environment", "configure", "param"), _config_mistakes())
def test_a_configuration_mistake_never_shows_the_key(
    environment: Callable[[pytest.MonkeyPatch], None],
    configure: Callable[[], Any],
    param: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not in the message (a key given as base_url included), not in any frame's locals."""
    environment(monkeypatch)
    monkeypatch.setattr(chargeapi._client, "_default", None)

    with pytest.raises(ValueError, match=param) as caught:
        configure()

    assert LIVE not in everything_shown(caught.value)
    assert LIVE[:20] not in locals_shown(caught.value)  # not even most of it
    formatted = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert LIVE[:20] not in formatted


def test_a_key_given_as_base_url_says_the_two_were_swapped() -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="swapped") as caught:
        chargeapi.Client("https://api.chargeapi.co", base_url=LIVE)

    assert caught.value.param == "base_url"
    assert "ch_sk_" in str(caught.value)  # what it looks like, never what it is
    assert LIVE not in str(caught.value)


def test_a_half_built_client_has_a_repr() -> None:
    """Tracebacks printed with locals show ``self`` of a __init__ that failed."""
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        chargeapi.Client(LIVE, base_url="ftp://x")
    frames = [frame for frame, _ in traceback.walk_tb(caught.value.__traceback__)]
    (half_built,) = [f.f_locals["self"] for f in frames if f.f_code.co_name == "__init__"]

    assert repr(half_built) == "<chargeapi.Client (not configured)>"


# -- proxies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_connect_to_a_proxy_carries_no_key(
    backend: str,
    hostile: Callable[[Script], str],
    monkeypatch: pytest.MonkeyPatch,
    no_waiting: dict[str, Any],
) -> None:
    """The tunnel request goes to the proxy in clear: the key rides only inside the tunnel."""
    seen: list[bytes] = []

    def proxy(conn: Connection) -> None:
        assert conn.first is not None
        seen.append(conn.first.head)
        conn.sendall(answer(403, b"no", content_type="text/plain"))

    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", hostile(proxy))
    library = "aiohttp" if backend == "aiohttp" else "httpx"
    client = chargeapi.Client(SECRET, async_backend=library, max_retries=0, **no_waiting)

    with client, pytest.raises(chargeapi.APIConnectionError) as caught:
        on_backend(backend, chargeapi.ChargingSession.create, **SEED_REQUEST, client=client)

    (connect,) = seen
    assert connect.startswith(b"CONNECT api.chargeapi.co:443 ")
    assert b"ch_sk_" not in connect
    assert b"authorization" not in connect.lower()
    assert caught.value.outcome_unknown is False  # the proxy refused: nothing reached the API
    assert SECRET not in everything_shown(caught.value)


# -- logs -----------------------------------------------------------------------------------------


def chargeapi_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "chargeapi"]


def assert_no_key_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "expected log records to inspect"
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in repr(record.args)
        assert SECRET not in repr(vars(record))
    assert SECRET not in caplog.text


@respx.mock
def test_debug_logs_of_a_retried_create_never_show_the_key(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger, at DEBUG
    respx.post(CREATE_URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Request-Id": "req_first503"}),
            httpx.Response(200, json=seed_response(), headers={"Request-Id": "req_second200"}),
        ]
    )

    chargeapi.ChargingSession.create(**SEED_REQUEST, client=secret_client)

    assert_no_key_in_logs(caplog)


@respx.mock
def test_one_debug_line_per_attempt_with_method_path_status_attempt_and_request_id(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chargeapi")
    respx.post(CREATE_URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Request-Id": "req_first503"}),
            httpx.Response(200, json=seed_response(), headers={"Request-Id": "req_second200"}),
        ]
    )

    chargeapi.ChargingSession.create(**SEED_REQUEST, client=secret_client)

    everything = chargeapi_lines(caplog)
    lines = [line for line in everything if line.levelno == logging.DEBUG]
    assert len(lines) == 2
    # Between the attempts, one INFO line says a retry comes (what CHARGEAPI_LOG=info shows).
    retry = [line.getMessage() for line in everything if line.levelno == logging.INFO]
    assert len(retry) == 1
    assert re.fullmatch(
        r"POST /v1/charging_sessions -> 503; retrying in \d+\.\d\d s \(retry 1 of 2\)", retry[0]
    )
    first, second = (line.getMessage() for line in lines)
    for text in (first, second):
        assert "POST" in text
        assert "/v1/charging_sessions" in text
    assert "503" in first
    assert "attempt 1" in first
    assert "req_first503" in first
    assert "200" in second
    assert "attempt 2" in second
    assert "req_second200" in second


async def test_async_attempts_are_logged_the_same_way(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock:
        respx.get(SESSION_URL).mock(
            side_effect=[
                httpx.Response(429, headers={"Request-Id": "req_limited"}),
                httpx.Response(200, json=seed_response(), headers={"Request-Id": "req_ok"}),
            ]
        )

        await chargeapi.ChargingSession.retrieve_async(SESSION, client=secret_client)

    lines = [r.getMessage() for r in chargeapi_lines(caplog) if r.levelno == logging.DEBUG]
    assert len(lines) == 2
    assert "GET" in lines[0]
    assert f"/v1/charging_sessions/{SESSION}" in lines[0]
    assert "429" in lines[0]
    assert "attempt 1" in lines[0]
    assert "req_limited" in lines[0]
    assert "attempt 2" in lines[1]
    assert "req_ok" in lines[1]
    assert_no_key_in_logs(caplog)


@respx.mock
def test_failed_attempts_are_logged_without_the_key(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    respx.post(CREATE_URL).mock(side_effect=httpx.ConnectError("connection refused"))

    with pytest.raises(chargeapi.APIConnectionError):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=secret_client)

    lines = [r.getMessage() for r in chargeapi_lines(caplog) if r.levelno == logging.DEBUG]
    assert len(lines) == 3
    for number, text in enumerate(lines, start=1):
        assert "POST" in text
        assert "ConnectError" in text
        assert f"attempt {number}" in text
    assert_no_key_in_logs(caplog)


@respx.mock
def test_log_line_takes_the_request_id_from_an_error_body(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chargeapi")
    respx.get(SESSION_URL).respond(
        404,
        json={
            "object": "error",
            "type": "invalid_request_error",
            "code": "charging_session_not_found",
            "message": "Charging session not found.",
            "request": "req_inTheBody42",
            "status": 404,
        },
    )

    with pytest.raises(chargeapi.NotFoundError):
        chargeapi.ChargingSession.retrieve(SESSION, client=secret_client)

    (line,) = chargeapi_lines(caplog)
    assert "404" in line.getMessage()
    assert "req_inTheBody42" in line.getMessage()


@respx.mock
def test_nothing_is_logged_above_debug_for_a_successful_call(
    secret_client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chargeapi")
    respx.get(SESSION_URL).respond(200, json=seed_response())

    chargeapi.ChargingSession.retrieve(SESSION, client=secret_client)

    assert chargeapi_lines(caplog) == []
