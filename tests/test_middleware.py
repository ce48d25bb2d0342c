"""Middleware: code of the user's around every attempt, on the sync client and both async
backends, over real loopback sockets (the simulator's server, or a raw one that misbehaves)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from ._hostile import Connection, answer
from .conftest import BACKENDS, TEST_KEY, backend_client, on_backend

Script = Callable[[Connection], None]


class Recorder(chargeapi.Middleware):
    """Writes down what each attempt's request looked like and what call_next gave back;
    adds a header of its own."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.outcomes: list[int | BaseException] = []

    def _before(self, request: chargeapi.MiddlewareRequest) -> None:
        self.requests.append(
            {
                "method": request.method,
                "url": request.url,
                "operation": request.operation,
                "url_template": request.url_template,
                "attempt": request.attempt,
                "idempotency_key": request.idempotency_key,
                "headers": {name.lower(): value for name, value in request.headers.items()},
            }
        )
        request.headers["X-Request-Source"] = "recorder"

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        self._before(request)
        try:
            response = call_next(request)
        except chargeapi.ChargeAPIError as error:
            self.outcomes.append(error)
            raise
        self.outcomes.append(response.status_code)
        return response

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        self._before(request)
        try:
            response = await call_next(request)
        except chargeapi.ChargeAPIError as error:
            self.outcomes.append(error)
            raise
        self.outcomes.append(response.status_code)
        return response


@pytest.fixture
def served(sim: Simulator, server: SimulatorServer) -> SimulatorServer:
    return server


def _client(backend: str, url: str, middleware: list[Any], **options: Any) -> chargeapi.Client:
    return backend_client(
        backend,
        url,
        middleware=middleware,
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
        **options,
    )


async def _no_sleep(seconds: float) -> None:
    pass


def _sim_client(
    backend: str, sim: Simulator, url: str, middleware: list[Any], **options: Any
) -> chargeapi.Client:
    options.setdefault("max_retries", 2)
    async_backend = "aiohttp" if backend == "aiohttp" else "httpx"
    return chargeapi.Client(
        sim.api_key,
        base_url=url,
        async_backend=async_backend,
        middleware=middleware,
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
        **options,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_recording_middleware_sees_every_attempt_of_a_create_retried_twice(
    backend: str, sim: Simulator, served: SimulatorServer
) -> None:
    recorder = Recorder()
    sim.fail_next(503, times=2, retry_after=0)
    with _sim_client(backend, sim, served.url, [recorder]) as client:
        session = on_backend(
            backend, chargeapi.ChargingSession.create, **sim.sample_session_params(), client=client
        )

    assert [r["attempt"] for r in recorder.requests] == [0, 1, 2]
    keys = {r["idempotency_key"] for r in recorder.requests}
    assert len(keys) == 1
    assert keys == {session.last_response.idempotency_key}  # type: ignore[union-attr]
    assert {r["operation"] for r in recorder.requests} == {"charging_sessions.create"}
    assert {r["url_template"] for r in recorder.requests} == {"/v1/charging_sessions"}
    assert {r["url"] for r in recorder.requests} == {f"{served.url}/v1/charging_sessions"}
    assert {r["method"] for r in recorder.requests} == {"POST"}
    assert recorder.outcomes == [503, 503, 200]
    for request in recorder.requests:
        assert "authorization" not in {name.lower() for name in request["headers"]}
        assert not any(sim.api_key in value for value in request["headers"].values())
        assert request["headers"]["idempotency-key"] == request["idempotency_key"]
        assert request["headers"]["x-charge-retry-count"] == str(request["attempt"])
    # What the server got: the header the middleware added, on each attempt, and the key.
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers.get("x-request-source") for r in posts] == ["recorder"] * 3
    assert {r.headers["authorization"] for r in posts} == {f"Bearer {sim.api_key}"}
    assert [r.headers["x-charge-retry-count"] for r in posts] == ["0", "1", "2"]


@pytest.mark.parametrize("backend", ["sync", "httpx"])
def test_on_a_passed_in_http_client_the_key_stays_out_of_the_headers_and_still_goes_out(
    backend: str, sim: Simulator, served: SimulatorServer
) -> None:
    recorder = Recorder()
    if backend == "sync":
        with (
            httpx.Client() as http,
            _sim_client(backend, sim, served.url, [recorder], http_client=http) as client,
        ):
            chargeapi.Driver.create(email="a@example.com", name="A", client=client)
    else:

        async def run() -> None:
            async with httpx.AsyncClient() as http:
                client = _sim_client(backend, sim, served.url, [recorder], async_http_client=http)
                async with client:
                    await chargeapi.Driver.create_async(
                        email="a@example.com", name="A", client=client
                    )

        asyncio.run(run())

    (request,) = recorder.requests
    assert "authorization" not in {name.lower() for name in request["headers"]}
    assert not any(sim.api_key in value for value in request["headers"].values())
    (post,) = [r for r in sim.requests if r.method == "POST"]
    assert post.headers["authorization"] == f"Bearer {sim.api_key}"
    assert post.headers["x-request-source"] == "recorder"


def _drop_then(status: int, drops: int) -> tuple[Script, list[str]]:
    """A server that closes the first ``drops`` connections unanswered, then answers
    ``status`` (empty JSON object); it records the retry count of every request."""
    seen: list[str] = []

    def script(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            seen.append(request.headers.get("x-charge-retry-count", "-"))
            if len(seen) <= drops:
                return  # closes the connection: no answer
            conn.sendall(answer(status, b"{}"))
            request = conn.request()

    return script, seen


@pytest.mark.parametrize("backend", BACKENDS)
def test_call_next_raises_the_attempts_own_error_when_no_answer_came_and_the_sdk_retries(
    backend: str, hostile: Callable[[Script], str]
) -> None:
    script, seen = _drop_then(500, drops=1)
    recorder = Recorder()
    client = _client(backend, hostile(script), [recorder], max_retries=1)
    with client, pytest.raises(chargeapi.InternalServerError) as caught:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)

    first, second = recorder.outcomes
    assert isinstance(first, chargeapi.APIConnectionError)
    assert first.idempotency_key == caught.value.idempotency_key
    assert first.outcome_unknown  # the request went out and no answer came back
    assert second == 500
    assert seen == ["0", "1"]
    assert caught.value.outcome_unknown  # the dropped attempt may have created the driver


class Stopper(chargeapi.Middleware):
    """Stops the call: before sending (``before=True``) or after the first answer."""

    def __init__(self, *, before: bool) -> None:
        self.before = before

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        if self.before:
            raise LookupError("no budget for this today")
        response = call_next(request)
        raise LookupError(f"refusing a {response.status_code}")

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        if self.before:
            raise LookupError("no budget for this today")
        response = await call_next(request)
        raise LookupError(f"refusing a {response.status_code}")


@pytest.mark.parametrize("before", [True, False], ids=["before-sending", "after-an-answer"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_an_exception_a_middleware_raises_reaches_the_caller_as_itself_and_ends_the_call(
    backend: str, before: bool, sim: Simulator, served: SimulatorServer
) -> None:
    sim.fail_next(503, times=3, retry_after=0)  # would be retried, without the middleware
    with (
        _sim_client(backend, sim, served.url, [Stopper(before=before)]) as client,
        pytest.raises(LookupError) as caught,
    ):
        on_backend(
            backend,
            chargeapi.ChargingSession.create,
            **sim.sample_session_params(),
            idempotency_key="key-of-the-stopped-call",
            client=client,
        )

    assert type(caught.value) is LookupError
    assert str(caught.value) == ("no budget for this today" if before else "refusing a 503")
    assert any("idempotency_key='key-of-the-stopped-call'" in n for n in caught.value.__notes__)
    posts = [r for r in sim.requests if r.method == "POST"]
    assert len(posts) == (0 if before else 1)


class Rewriter(chargeapi.Middleware):
    def __init__(self, change: Callable[[chargeapi.MiddlewareRequest], None]) -> None:
        self.change = change

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        self.change(request)
        return call_next(request)

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        self.change(request)
        return await call_next(request)


def _set(name: str, value: str) -> Callable[[chargeapi.MiddlewareRequest], None]:
    def change(request: chargeapi.MiddlewareRequest) -> None:
        request.headers[name] = value

    return change


def _drop(name: str) -> Callable[[chargeapi.MiddlewareRequest], None]:
    def change(request: chargeapi.MiddlewareRequest) -> None:
        del request.headers[name]

    return change


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (_set("Authorization", "Bearer ch_sk_test_other"), "cannot set Authorization"),
        (_set("Idempotency-Key", "another"), "cannot set Idempotency-Key"),
        (_drop("idempotency-key"), "cannot set Idempotency-Key"),
        (_set("X-Charge-Retry-Count", "7"), "cannot set X-Charge-Retry-Count"),
        (_set("X-Note", "two\r\nlines"), "not allowed in an HTTP header"),
    ],
    ids=["authorization", "idempotency-key", "no-idempotency-key", "retry-count", "crlf"],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_middleware_cannot_change_the_headers_the_sdk_owns_and_nothing_is_sent(
    backend: str,
    change: Callable[[chargeapi.MiddlewareRequest], None],
    match: str,
    sim: Simulator,
    served: SimulatorServer,
) -> None:
    with (
        _sim_client(backend, sim, served.url, [Rewriter(change)]) as client,
        pytest.raises(chargeapi.InvalidParameterError, match=match) as caught,
    ):
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)

    assert caught.value.param == "middleware"
    assert [r for r in sim.requests if r.method == "POST"] == []
    assert "ch_sk_test_other" not in str(caught.value)


class CallLog(chargeapi.Middleware):
    """Writes down each call as a whole: its attempts, last status, and how it ended."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int | None, str]] = []

    @contextlib.contextmanager
    def around_call(self, call: chargeapi.MiddlewareCall) -> Generator[None]:
        try:
            yield
        except BaseException as error:
            ended = type(error).__name__
            raise
        else:
            ended = "returned"
        finally:
            status = call.response.status_code if call.response is not None else None
            self.calls.append((call.operation, call.attempts, status, ended))


@pytest.mark.parametrize("backend", BACKENDS)
def test_around_call_spans_the_whole_call_its_retries_and_the_error_it_raises(
    backend: str, sim: Simulator, served: SimulatorServer
) -> None:
    log = CallLog()
    with _sim_client(backend, sim, served.url, [log]) as client:
        sim.fail_next(503, times=1, retry_after=0)
        session = on_backend(
            backend, chargeapi.ChargingSession.create, **sim.sample_session_params(), client=client
        )
        with pytest.raises(chargeapi.NotFoundError):
            on_backend(backend, chargeapi.Driver.retrieve, "drv_missing", client=client)
        sim.fail_next(500, times=3, retry_after=0)
        with pytest.raises(chargeapi.InternalServerError):
            on_backend(backend, chargeapi.ChargingSession.retrieve, session.id, client=client)

    assert log.calls == [
        ("charging_sessions.create", 2, 200, "returned"),
        ("drivers.retrieve", 1, 404, "NotFoundError"),
        ("charging_sessions.retrieve", 3, 500, "InternalServerError"),
    ]


def test_every_request_has_an_operation_name_page_follow_ups_and_raw_requests_too(
    sim: Simulator, served: SimulatorServer
) -> None:
    recorder = Recorder()
    with _sim_client("sync", sim, served.url, [recorder]) as client:
        page = chargeapi.ChargingStation.list(limit=2, client=client)
        page.next_page()
        station = page.data[0].id
        client.raw_request("GET", f"/v1/charging_stations/{station}")
        client.raw_request("GET", "/v1/charging_stations", query={"limit": 1})
        with pytest.raises(chargeapi.NotFoundError):
            client.raw_request("GET", "/v1/not_documented/x_1")

    assert [(r["operation"], r["url_template"]) for r in recorder.requests] == [
        ("charging_stations.list", "/v1/charging_stations"),
        ("charging_stations.list", "/v1/charging_stations"),
        ("raw_request", "/v1/charging_stations/{charging_station}"),
        ("raw_request", "/v1/charging_stations"),
        ("raw_request", None),
    ]


class SyncOnly(chargeapi.Middleware):
    def __init__(self) -> None:
        self.seen = 0

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        self.seen += 1
        return call_next(request)


def test_a_subclass_that_overrides_only_handle_leaves_async_calls_alone(
    sim: Simulator, served: SimulatorServer
) -> None:
    middleware = SyncOnly()
    with _sim_client("httpx", sim, served.url, [middleware]) as client:
        on_backend("httpx", chargeapi.Driver.list, client=client)
        assert middleware.seen == 0
        chargeapi.Driver.list(client=client)
        assert middleware.seen == 1


def test_with_options_replaces_the_middleware_and_leaves_the_original_alone(
    sim: Simulator, served: SimulatorServer
) -> None:
    first, second = Recorder(), Recorder()
    with _sim_client("sync", sim, served.url, [first]) as client:
        other = client.with_options(middleware=[second, first])
        none = client.with_options(middleware=[])
        chargeapi.Driver.list(client=other)
        chargeapi.Driver.list(client=none)
        chargeapi.Driver.list(client=client.with_options(timeout=5))

    assert client.middleware == (first,)
    assert other.middleware == (second, first)
    assert none.middleware == ()
    assert len(second.requests) == 1
    assert len(first.requests) == 2  # through other, then through the copy that kept it
    # The outer middleware's header was already there when the inner one looked.
    assert first.requests[0]["headers"]["x-request-source"] == "recorder"


class AsyncHandleNamedHandle:
    async def handle(self, request: Any, call_next: Any) -> Any:
        return await call_next(request)


class SyncAhandle:
    def ahandle(self, request: Any, call_next: Any) -> Any:
        return call_next(request)


@pytest.mark.parametrize(
    ("middleware", "match"),
    [
        ("not a list", "must be a list of middleware objects, got str"),
        (Recorder(), "must be a list of middleware objects, got Recorder"),
        ([object()], "has neither"),
        ([AsyncHandleNamedHandle()], "handle is async: name it ahandle"),
        ([SyncAhandle()], "ahandle must be an async def"),
    ],
    ids=["str", "one-middleware", "object", "async-handle", "sync-ahandle"],
)
def test_what_is_no_middleware_is_refused_when_the_client_is_made(
    middleware: Any, match: str
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match=match) as caught:
        chargeapi.Client(TEST_KEY, middleware=middleware)
    assert caught.value.param == "middleware"


class ReturnsNothing(chargeapi.Middleware):
    def handle(self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext) -> Any:
        call_next(request)


def test_a_middleware_that_returns_no_response_stops_the_call_with_a_clear_error(
    sim: Simulator, served: SimulatorServer
) -> None:
    with (
        _sim_client("sync", sim, served.url, [ReturnsNothing()]) as client,
        pytest.raises(chargeapi.InvalidParameterError, match="must return the response"),
    ):
        chargeapi.Driver.list(client=client)


def test_pass_through_middleware_changes_nothing_on_the_wire(
    sim: Simulator, served: SimulatorServer
) -> None:
    passing = chargeapi.Middleware()
    with _sim_client("sync", sim, served.url, [passing]) as client:
        chargeapi.Driver.list(client=client)
        assert client.middleware == (passing,)
    with _sim_client("sync", sim, served.url, []) as client:
        chargeapi.Driver.list(client=client)
    first, second = (dict(r.headers) for r in sim.requests)
    assert first == second


def test_the_request_id_of_an_error_answer_comes_from_its_body(
    hostile: Callable[[Script], str],
) -> None:
    """The docs put it in the error body's ``request``; no Request-Id header here."""

    def script(conn: Connection) -> None:
        conn.sendall(answer(404, b'{"type":"invalid_request_error","request":"req_from_body"}'))

    seen: list[str | None] = []

    class Ids(chargeapi.Middleware):
        def handle(
            self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
        ) -> chargeapi.MiddlewareResponse:
            response = call_next(request)
            seen.append(response.request_id)
            return response

    client = _client("sync", hostile(script), [Ids()])
    with client, pytest.raises(chargeapi.NotFoundError) as caught:
        chargeapi.Driver.retrieve("drv_1", client=client)
    assert seen == ["req_from_body"] == [caught.value.request_id]
