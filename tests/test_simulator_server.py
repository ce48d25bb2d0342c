"""The simulator over real HTTP: `sim.serve()` and `python -m chargeapi.testing`."""

from __future__ import annotations

import contextlib
import http.client
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer


@pytest.fixture
def client(sim: Simulator, server: SimulatorServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=5) as client:
        yield client


def test_serve_listens_on_an_ephemeral_localhost_port(server: SimulatorServer) -> None:
    url = httpx.URL(server.url)
    assert (url.scheme, url.host) == ("http", "127.0.0.1")
    assert url.port not in (None, 0)


def test_a_session_can_be_created_and_retrieved_over_http(
    client: httpx.Client, sim: Simulator
) -> None:
    created = client.post("/v1/charging_sessions", json=sim.sample_session_params())
    fetched = client.get(f"/v1/charging_sessions/{created.json()['id']}")
    assert created.status_code == fetched.status_code == 200
    assert fetched.json() == created.json()
    assert fetched.headers["Content-Length"] == str(len(fetched.content))
    assert fetched.headers["Request-Id"].startswith("req_")


def test_next_page_url_points_back_at_the_server(
    client: httpx.Client, server: SimulatorServer
) -> None:
    first = client.get("/v1/payment_methods", params={"limit": 2}).json()
    assert first["next_page_url"].startswith(server.url + "/v1/payment_methods?page=page_")
    second = client.get(first["next_page_url"])
    assert second.status_code == 200
    assert {p["id"] for p in second.json()["data"]}.isdisjoint(p["id"] for p in first["data"])


def test_errors_come_back_with_their_status_and_body(client: httpx.Client) -> None:
    response = client.get("/v1/drivers/drv_missing")
    assert response.status_code == 404
    assert response.json()["code"] == "driver_not_found"


def test_the_connection_is_kept_alive_between_requests(
    server: SimulatorServer, sim: Simulator
) -> None:
    url = httpx.URL(server.url)
    assert url.port is not None
    conn = http.client.HTTPConnection(url.host, url.port, timeout=5)
    try:
        statuses = []
        sockets = []
        for path in ("/v1/drivers", "/v1/nowhere", "/v1/fleets"):
            conn.request("GET", path, headers={"Authorization": f"Bearer {sim.api_key}"})
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
            sockets.append(conn.sock)
        assert statuses == [200, 404, 200]
        assert sockets[0] is not None
        assert sockets[0] is sockets[1] is sockets[2]
    finally:
        conn.close()


def test_a_scripted_failure_sends_status_and_retry_after(
    client: httpx.Client, sim: Simulator
) -> None:
    sim.fail_next(429, retry_after=1.5)
    response = client.get("/v1/charging_stations")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1.5")
    assert client.get("/v1/charging_stations").status_code == 200


def test_a_drop_closes_the_connection_without_a_response(
    client: httpx.Client, sim: Simulator
) -> None:
    sim.drop_next()
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/v1/charging_stations")
    assert client.get("/v1/charging_stations").status_code == 200


def test_a_drop_after_processing_keeps_the_effect_for_the_replay(
    client: httpx.Client, sim: Simulator
) -> None:
    params = sim.sample_session_params()
    headers = {"Idempotency-Key": "over-http"}
    sim.drop_next(after_processing=True)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/v1/charging_sessions", json=params, headers=headers)
    replay = client.post("/v1/charging_sessions", json=params, headers=headers)
    listed = client.get("/v1/charging_sessions").json()["data"]
    assert [s["id"] for s in listed] == [replay.json()["id"]]


async def test_an_async_client_works_over_http(server: SimulatorServer, sim: Simulator) -> None:
    headers = {"Authorization": f"Bearer {sim.api_key}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=5) as client:
        responses = [await client.get("/v1/vehicles") for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200]


@contextlib.contextmanager
def simulator_process(seed: int) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    """``python -m chargeapi.testing`` on a free port: yields its URL, test key and process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chargeapi.testing", "--port", "0", "--seed", str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        key_line = process.stdout.readline()
        assert line.startswith("ChargeAPI simulator listening on http://127.0.0.1:")
        yield line.rsplit(" ", 1)[-1].strip(), key_line.rsplit(" ", 1)[-1].strip(), process
    finally:
        process.terminate()
        process.wait(timeout=5)
        if process.stdout is not None:
            process.stdout.close()


def test_python_m_chargeapi_testing_serves_until_terminated() -> None:
    with simulator_process(seed=3) as (url, key, process):
        assert key.startswith("ch_sk_test_")
        response = httpx.get(
            url + "/v1/charging_stations", headers={"Authorization": f"Bearer {key}"}, timeout=5
        )
        expected = Simulator(seed=3).handle(
            httpx.Request(
                "GET",
                url + "/v1/charging_stations",
                headers={"Authorization": f"Bearer {key}"},
            )
        )
        assert response.status_code == 200
        assert response.json() == expected.json()
    assert process.returncode == 0


def test_another_process_can_be_driven_with_in_process_sample_params() -> None:
    params = Simulator(seed=9).sample_session_params()  # same seed: same IDs, any process

    with (
        simulator_process(seed=9) as (url, key, _),
        chargeapi.Client(key, base_url=url) as client,
    ):
        session = chargeapi.ChargingSession.create(**params, client=client)
        ended = chargeapi.ChargingSession.end(session.id, client=client)

    assert session.charging_station == params["charging_station"]
    assert ended.status == "completed"
