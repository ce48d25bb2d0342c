"""The SDK against the simulator in-process: `sim.client()` and `chargeapi.ChargingSession`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

import chargeapi
from chargeapi.testing import Simulator


def params(sim: Simulator) -> chargeapi.ChargingSessionCreateParams:
    return sim.sample_session_params()


def no_sleep(seconds: float) -> None:
    """Retries in these tests must not wait for real."""


async def no_async_sleep(seconds: float) -> None:
    """Async retries in these tests must not wait for real."""


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=0)


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    with sim.client(sleep=no_sleep, async_sleep=no_async_sleep) as client:
        yield client


@pytest.fixture
async def async_client(sim: Simulator) -> AsyncIterator[chargeapi.Client]:
    async with sim.client(sleep=no_sleep, async_sleep=no_async_sleep) as client:
        yield client


def posts(sim: Simulator) -> list[str | None]:
    """The Idempotency-Key of every POST the simulator received, in order."""
    return [r.headers.get("Idempotency-Key") for r in sim.requests if r.method == "POST"]


def test_sim_client_is_an_sdk_client_for_the_simulator(sim: Simulator) -> None:
    with sim.client() as client:
        assert isinstance(client, chargeapi.Client)
        assert client.base_url.startswith("https://api.chargeapi.co")


def test_create_retrieve_and_end_through_the_sdk(client: chargeapi.Client, sim: Simulator) -> None:
    session = chargeapi.ChargingSession.create(**params(sim), client=client)
    sim.advance(600)
    live = chargeapi.ChargingSession.retrieve(session.id, client=client)
    ended = chargeapi.ChargingSession.end(session.id, client=client)
    assert session.status == "active"
    assert session.energy_consumed == 0
    assert live.energy_consumed > 0
    assert live.amount_due > 0
    assert ended.status == "completed"
    assert ended.session_ended == sim.now
    request = sim.requests[0]
    assert request.headers["Authorization"] == f"Bearer {sim.api_key}"
    assert request.headers["Charge-Version"] == "2026-03-01"


def test_the_sdk_decodes_expanded_objects(client: chargeapi.Client, sim: Simulator) -> None:
    session = chargeapi.ChargingSession.create(**params(sim), client=client)
    expanded = chargeapi.ChargingSession.retrieve(
        session.id, expand=["driver", "charging_station"], client=client
    )
    assert isinstance(expanded.driver, chargeapi.Driver)
    assert isinstance(expanded.charging_station, chargeapi.ChargingStation)
    assert expanded.driver.id == session.driver


def test_the_sdk_lists_every_page_newest_first(client: chargeapi.Client, sim: Simulator) -> None:
    ids = []
    for _ in range(7):
        session = chargeapi.ChargingSession.create(**params(sim), client=client)
        chargeapi.ChargingSession.end(session.id, client=client)
        ids.append(session.id)
    listed = [s.id for s in chargeapi.ChargingSession.list(limit=3, client=client)]
    assert listed == ids[::-1]
    assert sum(r.method == "GET" for r in sim.requests) == 3


def test_an_unknown_session_raises_not_found_with_the_request_id(
    client: chargeapi.Client,
) -> None:
    with pytest.raises(chargeapi.NotFoundError) as caught:
        chargeapi.ChargingSession.retrieve("cs_" + "x" * 32, client=client)
    assert caught.value.code == "charging_session_not_found"
    assert caught.value.request_id is not None
    assert caught.value.request_id.startswith("req_")


def test_a_busy_connector_raises_conflict(client: chargeapi.Client, sim: Simulator) -> None:
    session_params = params(sim)
    chargeapi.ChargingSession.create(**session_params, client=client)
    with pytest.raises(chargeapi.ConflictError) as caught:
        chargeapi.ChargingSession.create(**session_params, client=client)
    assert caught.value.code == "charging_session_conflict"


def test_a_dropped_create_is_retried_with_the_same_key_and_starts_one_session(
    client: chargeapi.Client, sim: Simulator
) -> None:
    sim.drop_next(after_processing=True)
    session = chargeapi.ChargingSession.create(**params(sim), client=client)
    keys = posts(sim)
    assert len(keys) == 2
    assert keys[0] is not None
    assert keys[0] == keys[1]
    assert [s.id for s in chargeapi.ChargingSession.list(client=client)] == [session.id]


def test_a_retried_503_then_succeeds(client: chargeapi.Client, sim: Simulator) -> None:
    sim.fail_next(503, times=2)
    session = chargeapi.ChargingSession.create(**params(sim), client=client)
    assert session.status == "active"
    assert len(posts(sim)) == 3


def test_retries_give_up_after_max_retries(sim: Simulator) -> None:
    sim.fail_next(429, times=3, retry_after=0)
    with (
        sim.client(max_retries=2, sleep=no_sleep) as client,
        pytest.raises(chargeapi.RateLimitError),
    ):
        chargeapi.ChargingSession.create(**params(sim), client=client)
    assert len(posts(sim)) == 3


def test_sim_client_kwargs_override_the_defaults(sim: Simulator) -> None:
    with (
        sim.client(api_key="ch_sk_live_nope") as client,
        pytest.raises(chargeapi.AuthenticationError),
    ):
        chargeapi.ChargingSession.list(client=client)


async def test_the_async_sdk_creates_lists_and_ends(
    async_client: chargeapi.Client, sim: Simulator
) -> None:
    session = await chargeapi.ChargingSession.create_async(**params(sim), client=async_client)
    sim.advance(60)
    live = await chargeapi.ChargingSession.retrieve_async(session.id, client=async_client)
    ended = await chargeapi.ChargingSession.end_async(session.id, client=async_client)
    listed = [s.id async for s in chargeapi.ChargingSession.list_async(client=async_client)]
    assert live.energy_consumed > 0
    assert ended.status == "completed"
    assert listed == [session.id]


async def test_an_async_dropped_create_is_replayed_not_duplicated(
    async_client: chargeapi.Client, sim: Simulator
) -> None:
    sim.drop_next(after_processing=True)
    await chargeapi.ChargingSession.create_async(**params(sim), client=async_client)
    page = await chargeapi.ChargingSession.list_async(client=async_client)
    assert len(page.data) == 1
    assert len(set(posts(sim))) == 1


def test_the_sdk_works_against_the_http_server(sim: Simulator) -> None:
    with (
        sim.serve() as server,
        chargeapi.Client(api_key=sim.api_key, base_url=server.url, sleep=no_sleep) as client,
    ):
        sim.drop_next(after_processing=True)
        session = chargeapi.ChargingSession.create(**params(sim), client=client)
        fetched = chargeapi.ChargingSession.retrieve(session.id, client=client)
    assert fetched == session
