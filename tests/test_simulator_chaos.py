"""`Simulator.chaos`: seeded random faults, routable, checked like the scripted ones."""

from __future__ import annotations

import math

import pytest

import chargeapi
from chargeapi.testing import Simulator

CREATE = "POST /v1/charging_sessions"


def _create(sim: Simulator, client: chargeapi.Client) -> chargeapi.ChargingSession:
    return chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)


def _statuses(seed: int) -> list[int | str]:
    """What 30 creates saw under heavy chaos (one attempt each); a 429 as "429 after 7"."""
    sim = Simulator(seed=0)
    sim.chaos(seed=seed, server_errors=0.4, rate_limits=0.3, retry_after=7, route=CREATE)
    seen: list[int | str] = []
    with sim.client(max_retries=0) as client:
        for _ in range(30):
            try:
                _create(sim, client)
                seen.append("ok")
            except chargeapi.RateLimitError as error:
                seen.append(f"429 after {error.headers.get('Retry-After')}")
            except chargeapi.APIStatusError as error:
                seen.append(error.status_code)
    return seen


def test_the_same_seed_draws_the_same_faults_and_another_seed_others() -> None:
    first = _statuses(seed=3)

    assert first == _statuses(seed=3)
    assert first != _statuses(seed=4)
    assert set(first) <= {"ok", "429 after 7", 500, 502, 503, 504}
    assert {"ok", "429 after 7"} <= set(first)
    assert set(first) & {500, 502, 503, 504}


def test_a_route_leaves_other_requests_alone_and_counts_what_it_drew() -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, server_errors=1.0, route=CREATE)

    with sim.client(max_retries=0) as client:
        assert chargeapi.Driver.list(client=client).data  # GETs pass
        with pytest.raises(chargeapi.InternalServerError):
            _create(sim, client)

    assert sim.chaos_counts == {"server_error": 1}


def test_a_drop_after_processing_creates_the_session_and_the_call_says_it_may_exist() -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, drops_after_processing=1.0, route=CREATE)
    params = sim.sample_session_params()

    with sim.client(max_retries=0) as client:
        with pytest.raises(chargeapi.APIConnectionError) as caught:
            chargeapi.ChargingSession.create(**params, client=client)
        sim.chaos()  # off again
        sessions = [
            s
            for s in chargeapi.ChargingSession.list(limit=100, client=client)
            if (s.charging_station, s.connector)
            == (params["charging_station"], params["connector"])
        ]

    assert caught.value.outcome_unknown is True
    assert len(sessions) == 1
    assert sim.chaos_counts == {}


def test_a_drop_before_processing_creates_nothing_and_a_retry_creates_it_once() -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, drops=0.5, route=CREATE)
    params = sim.sample_session_params()

    with sim.client(max_retries=10, instant_retries=True) as client:
        session = chargeapi.ChargingSession.create(**params, client=client)
        assert chargeapi.ChargingSession.retrieve(session.id, client=client).id == session.id

    posts = [r for r in sim.requests if r.method == "POST"]
    assert len({r.headers["Idempotency-Key"] for r in posts}) == 1
    assert sim.chaos_counts.get("drop", 0) == len(posts) - 1


def test_delays_past_the_timeout_still_take_effect() -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, delays=1.0, delay_seconds=5, route=CREATE)
    params = sim.sample_session_params()

    with sim.client(max_retries=0, timeout=1) as client:
        with pytest.raises(chargeapi.APITimeoutError) as caught:
            chargeapi.ChargingSession.create(**params, client=client)
        sim.chaos()
        stations = {
            (s.charging_station, s.connector)
            for s in chargeapi.ChargingSession.list(limit=100, client=client)
        }

    assert caught.value.outcome_unknown is True
    assert (params["charging_station"], params["connector"]) in stations


def test_a_scripted_fault_goes_first_and_reset_ends_the_chaos() -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, server_errors=1.0)
    sim.fail_next(409)

    with sim.client(max_retries=0) as client:
        with pytest.raises(chargeapi.ConflictError):
            chargeapi.Driver.list(client=client)
        sim.reset()
        assert chargeapi.Driver.list(client=client).data

    assert sim.chaos_counts == {}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"drops": 0.6, "server_errors": 0.5}, "add up to at most 1"),
        ({"drops": -0.1}, "drops must be a probability"),
        ({"delays": math.nan}, "delays must be a probability"),
        ({"rate_limits": True}, "rate_limits must be a probability"),
        ({"server_errors": "0.1"}, "server_errors must be a probability"),
        ({"seed": 1.5}, "seed must be an int"),
        ({"retry_after": -1}, "retry_after must be"),
        ({"delay_seconds": 10**6}, "seconds must be"),
        ({"route": "/v1/charging_sessions"}, "route must look like"),
    ],
)
def test_bad_chaos_is_refused_and_leaves_the_old_one(
    options: dict[str, object], message: str
) -> None:
    sim = Simulator(seed=0)
    sim.chaos(seed=1, server_errors=1.0)

    with pytest.raises(ValueError, match=message):
        sim.chaos(**options)  # type: ignore[arg-type]

    with sim.client(max_retries=0) as client, pytest.raises(chargeapi.InternalServerError):
        chargeapi.Driver.list(client=client)
