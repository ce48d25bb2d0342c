"""``Client(deadline=...)``: a bound on the whole call, its attempts, waits and the answer's
reading included, on the sync client and both async backends, against real loopback servers
and real sleeps."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import pytest

import chargeapi

from ._hostile import Connection, answer
from .conftest import BACKENDS, TEST_KEY, backend_client, on_backend

Script = Callable[[Connection], None]


def _always(status: int, retry_after: str | None, seen: list[float]) -> Script:
    """Answers every request ``status`` (with Retry-After, when given), noting when."""
    headers = [("Retry-After", retry_after)] if retry_after is not None else []

    def script(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            seen.append(time.monotonic())
            conn.sendall(answer(status, b'{"type":"api_error","message":"busy"}', headers))
            request = conn.request()

    return script


def _hanging(seen: list[float]) -> Script:
    """Reads a request and never answers; stops when the client hangs up."""

    def script(conn: Connection) -> None:
        seen.append(time.monotonic())
        conn.request()

    return script


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_wait_that_would_pass_the_deadline_is_not_taken(
    backend: str, hostile: Callable[[Script], str]
) -> None:
    seen: list[float] = []
    client = backend_client(backend, hostile(_always(503, "10", seen)), max_retries=2, deadline=2)
    started = time.monotonic()
    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)
    took = time.monotonic() - started

    assert took < 2.5
    assert len(seen) == 1  # the retry 10 s later was not taken
    error = caught.value
    assert "deadline of 2 s" in str(error)
    assert error.idempotency_key is not None
    assert error.outcome_unknown is False  # the one attempt was answered
    assert isinstance(error.__cause__, chargeapi.InternalServerError)
    assert error.__cause__.status_code == 503


@pytest.mark.parametrize("backend", BACKENDS)
def test_waits_that_fit_are_taken_and_the_call_ends_before_the_deadline(
    backend: str, hostile: Callable[[Script], str]
) -> None:
    seen: list[float] = []
    url = hostile(_always(503, "0.4", seen))
    client = backend_client(backend, url, max_retries=10, deadline=1.5)
    started = time.monotonic()
    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        on_backend(backend, chargeapi.Driver.list, client=client)
    took = time.monotonic() - started

    assert took < 1.5
    assert 3 <= len(seen) <= 4  # at 0, 0.4, 0.8, 1.2 s (at most): the next would be at 1.6
    assert all(b - a >= 0.35 for a, b in itertools.pairwise(seen))
    assert "would pass it" in str(caught.value)
    assert caught.value.idempotency_key is None  # a GET


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_attempt_gets_only_the_time_left_and_the_outcome_is_unknown(
    backend: str, hostile: Callable[[Script], str]
) -> None:
    seen: list[float] = []
    client = backend_client(backend, hostile(_hanging(seen)), timeout=60, deadline=1)
    started = time.monotonic()
    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)
    took = time.monotonic() - started

    assert 0.9 < took < 1.5  # the attempt was cut to the deadline, not the 60 s timeout
    assert len(seen) == 1
    error = caught.value
    assert "deadline of 1 s" in str(error)
    assert error.outcome_unknown is True  # the request went out and no answer came
    assert error.idempotency_key is not None
    assert f"idempotency_key={error.idempotency_key!r}" in str(error)


def test_middleware_sees_each_attempt_timeout_shrink_with_the_time_left(
    hostile: Callable[[Script], str],
) -> None:
    seen: list[float] = []
    timeouts: list[float] = []

    class Timeouts(chargeapi.Middleware):
        def handle(
            self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
        ) -> chargeapi.MiddlewareResponse:
            timeouts.append(request.timeout)
            return call_next(request)

    url = hostile(_always(503, "0.3", seen))
    client = backend_client("sync", url, max_retries=5, deadline=1, middleware=[Timeouts()])
    with client, pytest.raises(chargeapi.APITimeoutError):
        chargeapi.Driver.list(client=client)

    assert len(timeouts) >= 2
    assert all(t <= 1 for t in timeouts)
    assert timeouts == sorted(timeouts, reverse=True)
    assert timeouts[-1] < 0.5


def test_without_a_deadline_the_call_goes_by_timeout_and_retries_alone() -> None:
    client = chargeapi.Client(TEST_KEY)
    assert client.deadline is None
    assert client.with_options(deadline=3).deadline == 3.0
    assert client.with_options(deadline=3).with_options(timeout=1).deadline == 3.0


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "2", True, 10**9])
def test_a_bad_deadline_is_refused(value: Any) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="deadline must be") as caught:
        chargeapi.Client(TEST_KEY, deadline=value)
    assert caught.value.param == "deadline"
    with pytest.raises(chargeapi.InvalidParameterError, match="deadline must be"):
        chargeapi.Client(TEST_KEY).with_options(deadline=value)
