"""The simulator's documented behaviour, observed through the SDK, sync and async alike."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator

Session = chargeapi.ChargingSession


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=3)


@pytest.fixture
def client(sim: Simulator) -> Iterator[chargeapi.Client]:
    with sim.client(max_retries=0) as c:
        yield c


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest, client: chargeapi.Client) -> Callable[..., Any]:
    """``sdk(Session.create, **kw)`` calls the sync method or runs its ``_async`` twin."""

    def call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("client", client)
        if request.param == "sync":
            return method(*args, **kwargs)
        resource = getattr(chargeapi, method.__qualname__.split(".")[0])
        twin = getattr(resource, f"{method.__name__}_async")

        async def run() -> Any:
            return await twin(*args, **kwargs)  # list_async returns an awaitable AsyncPager

        return asyncio.run(run())

    return call


def test_energy_and_cost_accrue_on_the_test_clock(sim: Simulator, sdk: Callable[..., Any]) -> None:
    params = sim.sample_session_params()
    station = sdk(chargeapi.ChargingStation.retrieve, params["charging_station"])
    connector = next(c for c in station.connectors if c.id == params["connector"])
    started = sdk(Session.create, **params)

    sim.advance(seconds=3600)
    later = sdk(Session.retrieve, started.id)

    assert later.energy_consumed == round(connector.power * 1000)  # kW for an hour, in Wh
    price = station.pricing[0].price  # minor units per kWh
    assert later.amount_due == pytest.approx(later.energy_consumed * price / 1000, abs=1)
    assert later.updated - started.updated == timedelta(hours=1)


def test_a_session_limit_completes_the_session_at_exactly_the_limit(
    sim: Simulator, sdk: Callable[..., Any]
) -> None:
    started = sdk(Session.create, **sim.sample_session_params(), session_limit=5000)

    sim.advance(seconds=24 * 3600)
    done = sdk(Session.retrieve, started.id)

    assert done.status == chargeapi.ChargingSessionStatus.COMPLETED
    assert done.energy_consumed == 5000
    assert done.session_ended is not None
    assert done.session_ended < sim.now


def test_end_frees_the_connector_and_ending_again_is_a_state_conflict(
    sim: Simulator, sdk: Callable[..., Any]
) -> None:
    params = sim.sample_session_params()
    started = sdk(Session.create, **params)
    busy = sdk(chargeapi.ChargingStation.retrieve, params["charging_station"])
    assert next(c for c in busy.connectors if c.id == params["connector"]).status == "occupied"

    ended = sdk(Session.end, started.id)
    free = sdk(chargeapi.ChargingStation.retrieve, params["charging_station"])

    assert ended.status == "completed"
    assert next(c for c in free.connectors if c.id == params["connector"]).status == "available"
    with pytest.raises(chargeapi.ConflictError) as caught:
        sdk(Session.end, started.id)
    assert caught.value.code == "charging_session_state_conflict"


@pytest.mark.parametrize(
    ("param", "value", "code"),
    [
        ("driver", "drv_" + "0" * 32, "driver_not_found"),
        ("vehicle", "veh_" + "0" * 32, "vehicle_not_found"),
        ("payment_method", "pm_" + "0" * 32, "payment_method_not_found"),
        ("charging_station", "chst_" + "0" * 32, "charging_station_not_found"),
    ],
)
def test_unknown_references_are_404s_naming_the_param(
    param: str, value: str, code: str, sim: Simulator, sdk: Callable[..., Any]
) -> None:
    with pytest.raises(chargeapi.NotFoundError) as caught:
        sdk(Session.create, **{**sim.sample_session_params(), param: value})

    assert caught.value.code == code
    assert caught.value.param == param
    assert caught.value.request_id is not None
    assert caught.value.doc_url == f"https://docs.chargeapi.co/errors#{code}"


def test_a_key_reused_with_other_params_is_refused(sim: Simulator, sdk: Callable[..., Any]) -> None:
    sdk(Session.create, **sim.sample_session_params(), idempotency_key="same-key")

    with pytest.raises(chargeapi.BadRequestError) as caught:
        sdk(Session.create, **sim.sample_session_params(), idempotency_key="same-key")

    assert caught.value.type == "idempotency_error"


def test_a_key_reused_with_the_same_params_returns_the_first_session(
    sim: Simulator, sdk: Callable[..., Any]
) -> None:
    params = sim.sample_session_params()
    first = sdk(Session.create, **params, idempotency_key="k1")
    second = sdk(Session.create, **params, idempotency_key="k1")

    assert second == first
    assert [s.id for s in sdk(Session.list).data] == [first.id]


def test_a_non_test_key_is_an_authentication_error(sim: Simulator) -> None:
    with (
        sim.client(api_key="ch_sk_live_notallowedhere") as live,
        pytest.raises(chargeapi.AuthenticationError) as caught,
    ):
        chargeapi.ChargingSession.list(client=live)

    assert caught.value.type == "authentication_error"


def test_list_filters_by_driver_and_status(sim: Simulator, sdk: Callable[..., Any]) -> None:
    sessions = [sdk(Session.create, **sim.sample_session_params()) for _ in range(4)]
    sdk(Session.end, sessions[0].id)
    driver = sessions[1].driver

    active = sdk(Session.list, status="active")
    mine = sdk(Session.list, driver=driver)

    assert {s.id for s in active.data} == {s.id for s in sessions[1:]}
    assert all(s.driver == driver for s in mine.data)
    assert sessions[1].id in {s.id for s in mine.data}


def test_expand_returns_the_referenced_objects(sim: Simulator, sdk: Callable[..., Any]) -> None:
    started = sdk(Session.create, **sim.sample_session_params())

    expanded = sdk(
        Session.retrieve,
        started.id,
        expand=["charging_station", "driver", "payment_method", "vehicle"],
    )

    assert isinstance(expanded.charging_station, chargeapi.ChargingStation)
    assert isinstance(expanded.driver, chargeapi.Driver)
    assert isinstance(expanded.payment_method, chargeapi.PaymentMethod)
    assert isinstance(expanded.vehicle, chargeapi.Vehicle)
    assert expanded.driver.id == started.driver
    with pytest.raises(chargeapi.BadRequestError) as caught:
        sdk(Session.retrieve, started.id, expand=["connector"])
    assert caught.value.code == "unsupported_expand_value"


def test_same_seed_same_ids_across_simulators() -> None:
    assert Simulator(seed=5).sample_session_params() == Simulator(seed=5).sample_session_params()
    assert Simulator(seed=5).sample_session_params() != Simulator(seed=6).sample_session_params()
