"""The retry budget and the circuit breaker: what a failing API gets from a Client (counted on
the simulator's real HTTP server), on the sync client and both async backends."""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from ._hostile import Connection
from .conftest import BACKENDS, TEST_KEY, backend_client, on_backend


async def _no_sleep(seconds: float) -> None:
    pass


def _client(backend: str, sim: Simulator, url: str, **options: Any) -> chargeapi.Client:
    options.setdefault("max_retries", 2)
    return chargeapi.Client(
        sim.api_key,
        base_url=url,
        async_backend="aiohttp" if backend == "aiohttp" else "httpx",
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
        **options,
    )


def _create(backend: str, sim: Simulator, client: chargeapi.Client, **options: Any) -> Any:
    params = {**sim.sample_session_params(), **options}
    return on_backend(backend, chargeapi.ChargingSession.create, **params, client=client)


def _posts(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.method == "POST")


# -- retry budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_with_the_budget_spent_a_call_fails_after_its_first_attempt_and_says_why(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    budget = chargeapi.RetryBudget(capacity=10, retry_cost=5)
    with _client(backend, sim, server.url, retry_budget=budget) as client:
        sim.fail_next(503, times=3, retry_after=0)
        with pytest.raises(chargeapi.InternalServerError) as first:
            _create(backend, sim, client)
        assert _posts(sim) == 3  # two retries, 5 tokens each
        assert budget.available == 0
        assert "Not retried" not in str(first.value)

        sim.fail_next(503, times=1, retry_after=0)  # would be retried into a success
        with pytest.raises(chargeapi.InternalServerError) as second:
            _create(backend, sim, client)
        assert _posts(sim) == 4  # one attempt, no retry
        assert "Not retried: the Client's retry budget is spent" in str(second.value)
        assert second.value.status_code == 503  # the real error, as the API answered
        assert second.value.idempotency_key is not None
        assert not second.value.outcome_unknown

        _create(backend, sim, client)  # a success without retries gives back 1 token
        assert budget.available == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_budget_refunds_a_retried_success_and_a_plain_one(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    budget = chargeapi.RetryBudget(capacity=500)
    with _client(backend, sim, server.url, retry_budget=budget) as client:
        sim.fail_next(503, times=2, retry_after=0)
        _create(backend, sim, client)  # two retries: 10 taken, the last retry's 5 given back
        assert budget.available == 495
        _create(backend, sim, client)  # no retry: 1 back
        assert budget.available == 496


def _hanging(conn: Connection) -> None:
    """Reads the request and never answers; ends when the client hangs up."""
    conn.request()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_retry_after_a_timeout_takes_ten_tokens(
    backend: str, hostile: Callable[[Any], str]
) -> None:
    budget = chargeapi.RetryBudget(capacity=15)
    client = backend_client(
        backend,
        hostile(_hanging),
        timeout=0.2,
        max_retries=2,
        retry_budget=budget,
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
    )
    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)

    assert budget.available == 5  # one retry (10); the second would have needed 10 more
    assert "2 attempts" in str(caught.value)
    assert "Not retried: the Client's retry budget is spent" in str(caught.value)
    assert caught.value.outcome_unknown


def test_the_budget_is_on_by_default_shared_with_copies_and_can_be_turned_off() -> None:
    client = chargeapi.Client(TEST_KEY)
    budget = client.retry_budget
    assert isinstance(budget, chargeapi.RetryBudget)
    assert (budget.capacity, budget.retry_cost, budget.timeout_retry_cost) == (500, 5, 10)
    assert budget.success_refund == 1
    assert budget.available == 500
    assert client.with_options(timeout=5).retry_budget is budget
    assert client.with_options(retry_budget=True).retry_budget is budget
    assert client.with_options(retry_budget=False).retry_budget is None
    assert chargeapi.Client(TEST_KEY, retry_budget=False).retry_budget is None
    shared = chargeapi.RetryBudget()
    first = chargeapi.Client(TEST_KEY, retry_budget=shared)
    second = chargeapi.Client(TEST_KEY).with_options(retry_budget=shared)
    assert first.retry_budget is second.retry_budget is shared
    assert chargeapi.Client(TEST_KEY).retry_budget is not budget  # each Client its own


@pytest.mark.parametrize(
    "make",
    [
        lambda: chargeapi.RetryBudget(capacity=0),
        lambda: chargeapi.RetryBudget(retry_cost=-1),
        lambda: chargeapi.RetryBudget(timeout_retry_cost=1.5),  # type: ignore[arg-type]
        lambda: chargeapi.RetryBudget(success_refund=True),  # type: ignore[arg-type]
        lambda: chargeapi.Client(TEST_KEY, retry_budget="yes"),  # type: ignore[arg-type]
        lambda: chargeapi.CircuitBreaker(failures=0),
        lambda: chargeapi.CircuitBreaker(window=float("inf")),
        lambda: chargeapi.CircuitBreaker(cooldown=-1),
        lambda: chargeapi.Client(TEST_KEY, circuit_breaker=5),  # type: ignore[arg-type]
    ],
    ids=[
        "capacity-0",
        "negative-cost",
        "float-cost",
        "bool-refund",
        "budget-str",
        "failures-0",
        "infinite-window",
        "negative-cooldown",
        "breaker-int",
    ],
)
def test_bad_settings_are_refused_with_the_parameter_named(make: Callable[[], object]) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        make()
    assert caught.value.param in {
        "capacity",
        "retry_cost",
        "timeout_retry_cost",
        "success_refund",
        "retry_budget",
        "failures",
        "window",
        "cooldown",
        "circuit_breaker",
    }


def test_the_budget_keeps_count_across_threads() -> None:
    budget = chargeapi.RetryBudget(capacity=10_000, retry_cost=1)

    def take() -> None:
        for _ in range(1000):
            assert budget._take(False) == 1

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert budget.available == 2000


# -- circuit breaker --------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_breaker_opens_fails_fast_without_sending_and_a_probe_closes_it(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    breaker = chargeapi.CircuitBreaker(failures=3, window=30, cooldown=0.5)
    with _client(backend, sim, server.url, circuit_breaker=breaker) as client:
        sim.fail_next(503, times=3, retry_after=0)
        with pytest.raises(chargeapi.InternalServerError):
            _create(backend, sim, client)  # three attempts, three failures: it opens
        assert _posts(sim) == 3
        assert breaker.state == "open"

        requests = len(sim.requests)
        for _ in range(3):
            with pytest.raises(chargeapi.CircuitOpenError) as caught:
                _create(backend, sim, client, idempotency_key="try-later")
        with pytest.raises(chargeapi.CircuitOpenError):
            on_backend(backend, chargeapi.Driver.list, client=client)
        assert len(sim.requests) == requests  # nothing was sent while open
        error = caught.value
        assert error.outcome_unknown is False
        assert error.idempotency_key == "try-later"
        assert 0 < error.retry_after <= 0.5
        assert "circuit breaker is open" in str(error)
        assert isinstance(error, chargeapi.ChargeAPIError)

        time.sleep(0.6)  # the cool-down passes: the next call is the probe
        assert breaker.state == "half-open"
        session = _create(backend, sim, client)
        assert breaker.state == "closed"
        assert _create(backend, sim, client).id != session.id
        assert _posts(sim) == 5


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_probe_opens_the_breaker_again_and_is_not_retried(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    breaker = chargeapi.CircuitBreaker(failures=2, window=30, cooldown=0.3)
    with _client(backend, sim, server.url, circuit_breaker=breaker) as client:
        sim.drop_next(times=2)  # connection errors count, as 502/503/504 do
        with pytest.raises(chargeapi.APIConnectionError):
            _create(backend, sim, client)  # the breaker opens before the third attempt
        assert _posts(sim) == 2
        time.sleep(0.4)
        sim.fail_next(504, times=3, retry_after=0)
        with pytest.raises(chargeapi.InternalServerError) as caught:
            _create(backend, sim, client)
        assert _posts(sim) == 3  # the probe only
        assert "Not retried: the circuit breaker opened" in str(caught.value)
        assert breaker.state == "open"
        with pytest.raises(chargeapi.CircuitOpenError):
            _create(backend, sim, client)
        assert _posts(sim) == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_answers_other_than_502_503_504_mean_the_api_is_there(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    breaker = chargeapi.CircuitBreaker(failures=3)
    with _client(backend, sim, server.url, circuit_breaker=breaker) as client:
        sim.fail_next(500, times=3, retry_after=0)
        with pytest.raises(chargeapi.InternalServerError):
            _create(backend, sim, client)
        sim.fail_next(503, times=2, retry_after=0)
        sim.fail_next(429, times=1, retry_after=0)
        with pytest.raises(chargeapi.RateLimitError):
            _create(backend, sim, client)  # 503, 503, then 429: the count starts again
        assert breaker.state == "closed"
        _create(backend, sim, client)
    assert _posts(sim) == 7


def test_one_probe_at_a_time_others_fail_fast_meanwhile(
    sim: Simulator, server: SimulatorServer
) -> None:
    breaker = chargeapi.CircuitBreaker(failures=1, cooldown=0.2)
    with _client("sync", sim, server.url, circuit_breaker=breaker, max_retries=0) as client:
        sim.fail_next(503)
        with pytest.raises(chargeapi.InternalServerError):
            chargeapi.Driver.list(client=client)
        time.sleep(0.3)
        sim.delay_next(0.5)  # the probe's answer takes a while
        results: list[object] = []
        probe = threading.Thread(
            target=lambda: results.append(chargeapi.Driver.list(client=client))
        )
        probe.start()
        time.sleep(0.2)
        requests = len(sim.requests)
        with pytest.raises(chargeapi.CircuitOpenError, match="probe call is under way") as caught:
            chargeapi.Driver.list(client=client)
        assert caught.value.retry_after == 0.0
        assert len(sim.requests) == requests
        probe.join()
        assert len(results) == 1
        assert breaker.state == "closed"


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_further_apart_than_the_window_do_not_open_it() -> None:
    breaker = chargeapi.CircuitBreaker(failures=3, window=10, cooldown=30)
    clock = breaker._clock = _Clock()
    for _ in range(5):
        breaker._record_attempt(False, False)
        breaker._record_attempt(False, False)
        clock.now += 11  # the third one comes too late: a new run starts
    assert breaker.state == "closed"
    breaker._record_attempt(False, False)
    clock.now += 4
    breaker._record_attempt(False, False)
    clock.now += 5
    assert breaker.state == "closed"
    breaker._record_attempt(False, False)  # three within 9 s
    assert breaker.state == "open"
    clock.now += 30
    assert breaker.state == "half-open"


def test_the_breaker_is_off_by_default_and_shared_with_copies() -> None:
    assert chargeapi.Client(TEST_KEY).circuit_breaker is None
    client = chargeapi.Client(TEST_KEY, circuit_breaker=True)
    breaker = client.circuit_breaker
    assert isinstance(breaker, chargeapi.CircuitBreaker)
    assert (breaker.failures, breaker.window, breaker.cooldown) == (5, 30.0, 30.0)
    assert client.with_options(timeout=1).circuit_breaker is breaker
    assert client.with_options(circuit_breaker=True).circuit_breaker is breaker
    assert client.with_options(circuit_breaker=False).circuit_breaker is None
    mine = chargeapi.CircuitBreaker(failures=2, window=5, cooldown=60)
    assert chargeapi.Client(TEST_KEY, circuit_breaker=mine).circuit_breaker is mine


# -- fork ----------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_starts_with_a_closed_breaker_and_a_full_budget_and_free_locks() -> None:
    breaker = chargeapi.CircuitBreaker(failures=1)
    breaker._record_attempt(False, False)
    budget = chargeapi.RetryBudget(capacity=10)
    budget._take(True)
    assert (breaker.state, budget.available) == ("open", 0)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # a parent thread holds both locks while the process forks
        with breaker._lock, budget._lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # 3.12+ warns about forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        said = "?"
        try:
            state = breaker.state
            admitted = breaker._admit()  # takes the lock only if the breaker were open
            breaker._record_attempt(False, False)  # takes the lock
            budget._refund(1)
            said = f"{state} {admitted} {breaker.state} {budget.available} {budget._take(False)}"
        except BaseException as error:
            said = repr(error)
        finally:
            os.write(write_end, said.encode())
            os._exit(0)
    os.close(write_end)
    release.set()
    holder.join()
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        child_said = pipe.read().decode()

    assert child_said == "closed 0 open 10 5"
    assert (breaker.state, budget.available) == ("open", 0)  # the parent's are its own
