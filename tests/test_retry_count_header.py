"""Every attempt says which it is: ``X-Charge-Retry-Count: 0`` on the first, 1 on the first
retry ..., so a server's logs tell a retry from a new call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import API, BACKENDS, SEED_REQUEST, TEST_KEY, on_backend, seed_response

URL = f"{API}/v1/charging_sessions"


def _counts(route: respx.Route) -> list[str]:
    return [call.request.headers["X-Charge-Retry-Count"] for call in route.calls]


@respx.mock
def test_a_create_retried_twice_numbers_its_attempts_0_1_2(
    create_session: Callable[..., chargeapi.ChargingSession],
) -> None:
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.ConnectError("refused"),
            httpx.Response(200, json=seed_response()),
        ]
    )

    create_session()

    assert _counts(route) == ["0", "1", "2"]
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert len(keys) == 1


@respx.mock
def test_a_get_answered_at_once_says_0(sdk: Callable[..., Any]) -> None:
    route = respx.get(f"{URL}/cs_1").respond(200, json={**seed_response(), "id": "cs_1"})

    sdk(chargeapi.ChargingSession.retrieve, "cs_1")

    assert _counts(route) == ["0"]


@respx.mock
def test_through_a_passed_in_http_client_too(no_waiting: dict[str, Any]) -> None:
    route = respx.post(URL).mock(
        side_effect=[httpx.Response(500), httpx.Response(200, json=seed_response())]
    )
    with (
        httpx.Client() as http,
        chargeapi.Client(TEST_KEY, http_client=http, **no_waiting) as client,
    ):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    assert _counts(route) == ["0", "1"]
    assert {call.request.headers["Authorization"] for call in route.calls} == {f"Bearer {TEST_KEY}"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_on_the_wire_of_a_real_server(
    backend: str, sim: Simulator, server: SimulatorServer, no_waiting: dict[str, Any]
) -> None:
    sim.fail_next(502, times=2, retry_after=0)
    client = chargeapi.Client(
        sim.api_key,
        base_url=server.url,
        async_backend="aiohttp" if backend == "aiohttp" else "httpx",
        **no_waiting,
    )
    with client:
        on_backend(
            backend, chargeapi.ChargingSession.create, **sim.sample_session_params(), client=client
        )
        on_backend(backend, chargeapi.Driver.list, client=client)

    assert [r.headers["x-charge-retry-count"] for r in sim.requests] == ["0", "1", "2", "0"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: chargeapi.Client(TEST_KEY, default_headers={"X-Charge-Retry-Count": "5"}),
        lambda: chargeapi.ChargingSession.retrieve(
            "cs_1",
            client=chargeapi.Client(TEST_KEY),
            extra_headers={"x-charge-retry-count": "5"},
        ),
    ],
    ids=["default_headers", "extra_headers"],
)
def test_callers_cannot_set_it(make: Callable[[], object]) -> None:
    with respx.mock(assert_all_called=False) as mock:
        with pytest.raises(chargeapi.InvalidParameterError, match="numbers every attempt"):
            make()
        assert not mock.calls
