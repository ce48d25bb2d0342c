"""Issue 11: read-only configuration, ``with_options`` (per-call options on shared pools), and
``.last_response`` on every object and page an operation returns."""

from __future__ import annotations

import asyncio
import pickle
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import httpx
import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator

from .conftest import API, SEED_REQUEST, TEST_KEY, seed_response

CREATE_URL = f"{API}/v1/charging_sessions"

# -- read-only configuration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_retries", 0),
        ("timeout", 1.0),
        ("api_version", "2020-01-01"),
        ("base_url", "https://other.example"),
    ],
)
def test_configuration_cannot_be_assigned_and_the_error_points_to_with_options(
    client: chargeapi.Client, name: str, value: object
) -> None:
    before, shown = getattr(client, name), repr(client)

    with pytest.raises(AttributeError, match=rf"with_options\({name}=") as excinfo:
        setattr(client, name, value)

    assert excinfo.value.name == name
    assert getattr(client, name) == before
    assert repr(client) == shown


@respx.mock
def test_a_refused_assignment_changes_nothing_on_the_wire(client: chargeapi.Client) -> None:
    route = respx.post(CREATE_URL).respond(503)

    with pytest.raises(AttributeError):
        client.max_retries = 0  # type: ignore[misc]
    with pytest.raises(chargeapi.InternalServerError):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    assert route.call_count == 3  # still the 2 retries the client was made with


# -- with_options ----------------------------------------------------------------------------------


@respx.mock
def test_with_options_is_a_per_call_override_and_leaves_the_original_alone(
    client: chargeapi.Client,
) -> None:
    route = respx.post(CREATE_URL).respond(503)

    quick = client.with_options(timeout=5, max_retries=0)
    with pytest.raises(chargeapi.InternalServerError):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=quick)
    assert route.call_count == 1
    with pytest.raises(chargeapi.InternalServerError):
        chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
    assert route.call_count == 1 + 3

    assert (quick.timeout, quick.max_retries) == (5.0, 0)
    assert (client.timeout, client.max_retries) == (60.0, 2)
    assert quick.base_url == client.base_url
    assert quick.api_version == client.api_version


@respx.mock
def test_with_options_changes_key_version_and_base_url_on_the_wire(
    client: chargeapi.Client,
) -> None:
    other = respx.get("https://eu.chargeapi.example/v1/drivers/drv_1").respond(
        200, json={"id": "drv_1", "object": "driver"}
    )

    derived = client.with_options(
        api_key="ch_sk_test_other",
        base_url="https://eu.chargeapi.example",
        api_version="2027-01-01",
    )
    chargeapi.Driver.retrieve("drv_1", client=derived)

    request = other.calls.last.request
    assert request.headers["Authorization"] == "Bearer ch_sk_test_other"
    assert request.headers["Charge-Version"] == "2027-01-01"
    assert "ch_sk_test_other" not in repr(derived)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"timeout": 0}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"base_url": "http://10.0.0.5"}, ValueError),
        ({"api_key": ""}, ValueError),
        ({"api_version": 2026}, TypeError),
    ],
)
def test_with_options_checks_what_it_is_given(
    client: chargeapi.Client, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        client.with_options(**options)


def _simulator_handler(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    """HTTP/1.1 keep-alive around ``sim.handle``: one socket serves many requests."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = httpx.Request(
                self.command,
                f"http://{self.headers['Host']}{self.path}",
                headers=list(self.headers.items()),
                content=self.rfile.read(length),
            )
            response = sim.handle(request)
            self.send_response(response.status_code)
            for name, value in response.headers.multi_items():
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _CountingServer(ThreadingHTTPServer):
    """The simulator on 127.0.0.1, counting connections accepted and closed by the client."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, sim: Simulator) -> None:
        super().__init__(("127.0.0.1", 0), _simulator_handler(sim))
        self.accepted = 0
        self.closed = 0

    def get_request(self) -> Any:
        connection = super().get_request()
        self.accepted += 1
        return connection

    def shutdown_request(self, request: Any) -> None:
        # The handler thread ends when the client closed its side (or after 30 s idle).
        self.closed += 1
        super().shutdown_request(request)


@pytest.fixture
def counting(sim: Simulator) -> Iterator[_CountingServer]:
    server = _CountingServer(sim)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _url(server: _CountingServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _wait_for(condition: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_derived_clients_reuse_the_original_connection(
    sim: Simulator, counting: _CountingServer
) -> None:
    driver = sim.sample_session_params()["driver"]
    with chargeapi.Client(sim.api_key, base_url=_url(counting)) as client:
        chargeapi.Driver.retrieve(driver, client=client)
        for options in ({"timeout": 5, "max_retries": 0}, {"max_retries": 1}, {"timeout": 9}):
            chargeapi.Driver.retrieve(driver, client=client.with_options(**options))
        assert counting.accepted == 1  # four calls, one socket

        with chargeapi.Client(sim.api_key, base_url=_url(counting)) as separate:
            chargeapi.Driver.retrieve(driver, client=separate)
        assert counting.accepted == 2  # a new Client, by contrast, opens its own


def test_derived_clients_reuse_the_original_connection_async(
    sim: Simulator, counting: _CountingServer
) -> None:
    driver = sim.sample_session_params()["driver"]

    async def main() -> None:
        async with chargeapi.Client(sim.api_key, base_url=_url(counting)) as client:
            await chargeapi.Driver.retrieve_async(driver, client=client)
            derived = client.with_options(timeout=5, max_retries=0)
            await chargeapi.Driver.retrieve_async(driver, client=derived)
            await chargeapi.Driver.retrieve_async(driver, client=derived.with_options(timeout=3))

    asyncio.run(main())
    assert counting.accepted == 1


def test_closing_a_derived_client_keeps_the_shared_pool_open(
    sim: Simulator, counting: _CountingServer
) -> None:
    driver = sim.sample_session_params()["driver"]
    client = chargeapi.Client(sim.api_key, base_url=_url(counting))
    derived = client.with_options(max_retries=0)
    chargeapi.Driver.retrieve(driver, client=derived)

    derived.close()

    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
        chargeapi.Driver.retrieve(driver, client=derived)
    time.sleep(0.2)  # time for the server to see a close, if there were one
    assert counting.closed == 0
    chargeapi.Driver.retrieve(driver, client=client)  # on the same, still open, socket
    assert counting.accepted == 1

    client.close()

    assert _wait_for(lambda: counting.closed == 1)  # closing the original closed the socket
    with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
        chargeapi.Driver.retrieve(driver, client=client.with_options(timeout=5))


# -- .last_response --------------------------------------------------------------------------------


def test_a_replayed_create_says_so_in_last_response(sim: Simulator) -> None:
    with sim.client() as client:
        params = sim.sample_session_params()
        first = chargeapi.ChargingSession.create(
            **params, idempotency_key="order-42", client=client
        )
        again = chargeapi.ChargingSession.create(
            **params, idempotency_key="order-42", client=client
        )

    assert first.last_response is not None
    assert again.last_response is not None
    assert first.last_response.status_code == 200
    assert first.last_response.idempotency_key == "order-42"
    assert first.last_response.idempotent_replayed is False
    assert again.last_response.idempotency_key == "order-42"
    assert again.last_response.idempotent_replayed is True
    assert again.last_response.headers["idempotent-replayed"] == "true"
    # The replay is the first answer, verbatim: the same object and the same request id.
    assert again == first
    assert first.last_response.request_id is not None
    assert first.last_response.request_id.startswith("req_")
    assert again.last_response.request_id == first.last_response.request_id
    assert len([r for r in sim.requests if r.method == "POST"]) == 2


def test_last_response_counts_retries_and_time(sim: Simulator, no_waiting: dict[str, Any]) -> None:
    sim.fail_next(503, times=2)
    with sim.client(**no_waiting) as client:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        fetched = chargeapi.ChargingSession.retrieve(session.id, client=client)

    assert session.last_response is not None
    assert session.last_response.retries == 2
    assert session.last_response.elapsed > 0
    assert session.last_response.idempotency_key == sim.requests[0].headers["idempotency-key"]
    assert fetched.last_response is not None
    assert fetched.last_response.retries == 0
    assert fetched.last_response.idempotency_key is None  # a GET sends none
    assert fetched.last_response.request_id is not None
    assert fetched.last_response.request_id != session.last_response.request_id


@respx.mock
def test_last_response_is_not_part_of_the_data(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(200, json=seed_response(), headers={"Request-Id": "req_abc"})
    created = chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)
    decoded = chargeapi.ChargingSession.from_dict(seed_response())

    assert created.last_response is not None
    assert created.last_response.request_id == "req_abc"
    assert decoded.last_response is None
    assert created == decoded
    assert hash(created) == hash(decoded)
    assert repr(created) == repr(decoded)
    assert "req_abc" not in repr(created)
    assert created.to_dict() == seed_response()
    assert chargeapi.ChargingSession.from_dict(created.to_dict()).last_response is None


@respx.mock
def test_models_with_last_response_stay_frozen_and_pickle(client: chargeapi.Client) -> None:
    respx.post(CREATE_URL).respond(
        200, json=seed_response(), headers=[("Request-Id", "req_abc"), ("X-Seen", "a")]
    )
    created = chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    with pytest.raises(AttributeError):
        created.last_response = None  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        created._last_response = None  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(created))

    assert copy == created
    assert copy.last_response is not None
    assert copy.last_response.request_id == "req_abc"
    assert copy.last_response.headers["x-seen"] == "a"
    assert copy.last_response.idempotency_key == created.last_response.idempotency_key  # type: ignore[union-attr]


def test_every_page_has_its_own_last_response(sim: Simulator) -> None:
    with sim.client() as client:
        first = chargeapi.ChargingStation.list(limit=2, client=client)
        second = first.next_page()

    assert first.last_response is not None
    assert first.last_response.status_code == 200
    assert second is not None
    assert second.last_response is not None
    assert second.last_response.request_id != first.last_response.request_id


async def test_async_objects_and_pages_have_last_response(sim: Simulator) -> None:
    async with sim.client() as client:
        page = await chargeapi.ChargingStation.list_async(limit=2, client=client)
        station = await chargeapi.ChargingStation.retrieve_async(page.data[0].id, client=client)
        later = await page.next_page()

    assert page.last_response is not None
    assert page.last_response.status_code == 200
    assert station.last_response is not None
    assert station.last_response.request_id != page.last_response.request_id
    assert later is not None
    assert later.last_response is not None


def test_nested_parts_have_no_last_response(sim: Simulator) -> None:
    with sim.client() as client:
        station = chargeapi.ChargingStation.list(limit=1, client=client).data[0]

    assert station.last_response is None  # an item of a page: the page holds the answer
    assert all(connector.last_response is None for connector in station.connectors)


def test_connection_errors_name_the_host_attempts_and_timeout(
    no_waiting: dict[str, Any],
) -> None:
    with (
        respx.mock,
        chargeapi.Client(TEST_KEY, max_retries=1, timeout=7, **no_waiting) as client,
    ):
        respx.post(CREATE_URL).mock(side_effect=httpx.ConnectError("refused"))
        with pytest.raises(chargeapi.APIConnectionError) as excinfo:
            chargeapi.ChargingSession.create(**SEED_REQUEST, client=client)

    assert str(excinfo.value).startswith(
        "POST /v1/charging_sessions to api.chargeapi.co failed: refused "
        "(2 attempts, timeout 7 s each)."
    )


@respx.mock
def test_last_response_is_read_only(client: chargeapi.Client) -> None:
    respx.get(f"{API}/v1/drivers/drv_1").respond(200, json={"id": "drv_1", "object": "driver"})
    response = chargeapi.Driver.retrieve("drv_1", client=client).last_response
    assert response is not None

    for name in ("status_code", "headers", "idempotency_key", "retries", "elapsed", "request_id"):
        with pytest.raises(AttributeError):
            setattr(response, name, None)
    assert response.status_code == 200


@respx.mock
async def test_with_options_sends_its_own_key_and_version_on_the_shared_async_pool(
    client: chargeapi.Client,
) -> None:
    route = respx.get(f"{API}/v1/drivers/drv_1").respond(
        200, json={"id": "drv_1", "object": "driver"}
    )

    await chargeapi.Driver.retrieve_async("drv_1", client=client)  # the pool is made here
    derived = client.with_options(api_key="ch_sk_test_other", api_version="2027-01-01")
    await chargeapi.Driver.retrieve_async("drv_1", client=derived)
    await chargeapi.Driver.retrieve_async("drv_1", client=client)

    sent = [
        (c.request.headers["Authorization"], c.request.headers["Charge-Version"])
        for c in route.calls
    ]
    assert sent == [
        (f"Bearer {TEST_KEY}", chargeapi.API_VERSION),
        ("Bearer ch_sk_test_other", "2027-01-01"),
        (f"Bearer {TEST_KEY}", chargeapi.API_VERSION),
    ]


@respx.mock
def test_with_options_sends_its_own_key_on_the_shared_sync_pool(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/drivers/drv_1").respond(
        200, json={"id": "drv_1", "object": "driver"}
    )

    chargeapi.Driver.retrieve("drv_1", client=client)  # the pool is made here
    chargeapi.Driver.retrieve("drv_1", client=client.with_options(api_key="ch_sk_test_other"))
    chargeapi.Driver.retrieve("drv_1", client=client)

    keys = [c.request.headers["Authorization"] for c in route.calls]
    assert keys == [f"Bearer {TEST_KEY}", "Bearer ch_sk_test_other", f"Bearer {TEST_KEY}"]


@respx.mock
def test_derived_clients_share_your_http_client_and_stop_with_the_original() -> None:
    route = respx.get(f"{API}/v1/drivers/drv_1").respond(
        200, json={"id": "drv_1", "object": "driver"}
    )
    with httpx.Client() as yours:
        client = chargeapi.Client(TEST_KEY, http_client=yours)
        derived = client.with_options(timeout=5)
        chargeapi.Driver.retrieve("drv_1", client=derived)

        client.close()

        with pytest.raises(chargeapi.ChargeAPIError, match="closed"):
            chargeapi.Driver.retrieve("drv_1", client=derived)
        assert not yours.is_closed  # yours: never closed by the SDK
    assert route.call_count == 1
