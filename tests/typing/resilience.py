"""Middleware, OpenTelemetry, the deadline, the retry budget and the circuit breaker as a user
types them. Checked by mypy --strict and pyright (strict), never run.

Each ``# type: ignore[...]`` line is a mistake both checkers must catch: both warn when an ignore
is not needed, so a signature that stops catching it fails the check.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Mapping, MutableMapping
from typing import Literal, assert_type

import chargeapi
from chargeapi.opentelemetry import OpenTelemetryMiddleware


class Timing(chargeapi.Middleware):
    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        assert_type(request.headers, MutableMapping[str, str])
        assert_type(request.operation, str)
        assert_type(request.url_template, str | None)
        assert_type(request.attempt, int)
        assert_type(request.idempotency_key, str | None)
        assert_type(request.timeout, float)
        request.headers["X-Tenant"] = "t-1"
        response = call_next(request)
        assert_type(response.status_code, int)
        assert_type(response.headers, Mapping[str, str])
        assert_type(response.elapsed, float)
        assert_type(response.request_id, str | None)
        return response

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        return await call_next(request)

    @contextlib.contextmanager
    def around_call(self, call: chargeapi.MiddlewareCall) -> Generator[None]:
        assert_type(call.attempts, int)
        assert_type(call.response, chargeapi.MiddlewareResponse | None)
        yield


class SyncOnly:
    """No subclass of Middleware: an object with ``handle`` will do."""

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        return call_next(request)


class NoMiddleware:
    def process(self, request: chargeapi.MiddlewareRequest) -> None: ...


def configured() -> None:
    client = chargeapi.Client(
        middleware=[OpenTelemetryMiddleware(), Timing(), SyncOnly()],
        deadline=30,
        retry_budget=chargeapi.RetryBudget(capacity=100, retry_cost=5),
        circuit_breaker=chargeapi.CircuitBreaker(failures=5, window=30.0, cooldown=30.0),
    )
    assert_type(client.deadline, float | None)
    assert_type(client.retry_budget, chargeapi.RetryBudget | None)
    assert_type(client.circuit_breaker, chargeapi.CircuitBreaker | None)
    quick = client.with_options(middleware=[], deadline=5, retry_budget=False)
    assert_type(quick, chargeapi.Client)
    chargeapi.Client(circuit_breaker=True, retry_budget=True)
    chargeapi.Client(middleware=[NoMiddleware()])  # type: ignore[list-item]
    chargeapi.Client(deadline="30")  # type: ignore[arg-type]
    chargeapi.Client(circuit_breaker="on")  # type: ignore[arg-type]
    client.deadline = 5  # type: ignore[misc]
    breaker = client.circuit_breaker
    if breaker is not None:
        assert_type(breaker.state, Literal["closed", "open", "half-open"])
    budget = client.retry_budget
    if budget is not None:
        assert_type(budget.available, int)


def failing_fast(client: chargeapi.Client) -> None:
    try:
        chargeapi.Driver.list(client=client)
    except chargeapi.CircuitOpenError as error:
        assert_type(error.retry_after, float)
        assert_type(error.outcome_unknown, bool)
