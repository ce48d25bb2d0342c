"""Shared fixtures: the seed page's example session, and clients that never really sleep."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
import respx

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

if TYPE_CHECKING:
    from ._hostile import HostileServer, Script

# pytester: the pytest plugin's tests run user test files in an inner pytest session.
pytest_plugins = ["pytester"]

API = "https://api.chargeapi.co"
TEST_KEY = "ch_sk_test_4eC39HqLyjWDarjtT1zdp7dc"

# The create request and response of ../shared/seed/create-a-charging-session.txt, verbatim.
SEED_REQUEST: dict[str, Any] = {
    "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
    "connector": "connector_a1",
    "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
    "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
    "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
}
SEED_RESPONSE: dict[str, Any] = {
    "id": "cs_ccJe4CNvGc5CRBiPnoPEPrZUuCfPqUbY",
    "object": "charging_session",
    "amount_due": 1842,
    "amount_paid": 0,
    "charging_station": "chst_dxNYlw4nSLzUm4GWwPJ5ochwR3myCKsA",
    "connector": "connector_a1",
    "country": "FR",
    "created": "2026-04-01T01:09:14.087Z",
    "currency": "eur",
    "driver": "drv_AxAS7yPHekpPhbGMcO4wAAZrt3OA9mEc",
    "energy_consumed": 0,
    "fleet": "flt_VPncsNUF64r6IMozGsQXGXBrA3USpxxb",
    "payment_method": "pm_BEAD5NIY9aCx3nSplzYUe7cxJ6QkI1BD",
    "session_ended": None,
    "session_limit": None,
    "session_started": "2026-04-01T01:15:03.983Z",
    "status": "active",
    "updated": "2026-04-01T01:18:50.258Z",
    "vehicle": "veh_s2hlA8r7yI5C1Xo8bjJyglHiJBegvTA3",
}
# The charging station example of the API reference (section 7.2), verbatim.
STATION_EXAMPLE: dict[str, Any] = {
    "id": "chst_iMb1nAbiUhyudabADX74SMtWaNhC4Z1t",
    "object": "charging_station",
    "address": {
        "city": "Paris",
        "country": "FR",
        "line1": "10 Rue de la Paix",
        "line2": "Batiment A",
        "postal_code": "75002",
        "state": "Ile-de-France",
    },
    "availability": {
        "connectors_available": 3,
        "connectors_total": 8,
        "opening_hours": [{"day": "mon", "from": "08:00", "until": "20:00"}],
        "range": [{"from": "2026-04-01T01:42:32.276Z", "until": "2026-04-01T02:41:49.904Z"}],
    },
    "capabilities": {
        "24_7_access": False,
        "amenities": ["cafe", "restrooms", "wifi"],
        "payment_methods": ["credit_card", "rfid"],
        "requires_membership": False,
        "reservable": True,
    },
    "connectors": [
        {"id": "connector_a1", "power": 150, "status": "available", "type": "CCS"},
        {"id": "connector_a2", "power": 150, "status": "occupied", "type": "CCS"},
    ],
    "created": "2026-04-01T00:41:56.862Z",
    "location": {"latitude": 48.8698, "longitude": 2.3319},
    "name": "Example Station",
    "operator": "Example Operator",
    "operator_contact": "support@example.com",
    "pricing": [{"currency": "eur", "price": 42, "step_size": 1, "tax": "vat", "type": "ENERGY"}],
    "status": "active",
    "updated": "2026-04-01T01:41:54.099Z",
}


def seed_response() -> dict[str, Any]:
    """A fresh copy of the seed response (tests may mutate it)."""
    return json.loads(json.dumps(SEED_RESPONSE))


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never pick up a developer's real key or base URL from the environment, nor
    module-level settings (``chargeapi.api_key = ...``) another test assigned."""
    monkeypatch.delenv("CHARGEAPI_API_KEY", raising=False)
    monkeypatch.delenv("CHARGEAPI_BASE_URL", raising=False)
    assigned = chargeapi._client.assigned
    assigned.clear()
    yield
    assigned.clear()


@pytest.fixture
def sleeps() -> list[float]:
    """Every delay the client asked to sleep, in order (nothing really sleeps)."""
    return []


@pytest.fixture
def no_waiting(sleeps: list[float]) -> dict[str, Any]:
    """``Client(**no_waiting)``: retries record their delay in ``sleeps`` instead of sleeping."""

    async def async_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return {"sleep": sleeps.append, "async_sleep": async_sleep}


@pytest.fixture
def client(no_waiting: dict[str, Any]) -> Iterator[chargeapi.Client]:
    """A client on the default base URL (mock it with respx) whose retries do not wait."""
    with chargeapi.Client(TEST_KEY, **no_waiting) as c:
        yield c


@pytest.fixture
def sim() -> Simulator:
    """A fresh simulator; modules that want another seed override this fixture."""
    return Simulator(seed=0)


@pytest.fixture
def server(sim: Simulator) -> Iterator[SimulatorServer]:
    """``sim`` served over HTTP on a free 127.0.0.1 port for the test's duration."""
    with sim.serve() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def create_session(
    request: pytest.FixtureRequest, client: chargeapi.Client
) -> Callable[..., chargeapi.ChargingSession]:
    """``ChargingSession.create`` with the seed params, run once as sync and once as async."""

    def create(**overrides: Any) -> chargeapi.ChargingSession:
        params: dict[str, Any] = {**SEED_REQUEST, "client": client, **overrides}
        if request.param == "sync":
            return chargeapi.ChargingSession.create(**params)
        return asyncio.run(chargeapi.ChargingSession.create_async(**params))

    return create


@pytest.fixture(params=["httpx", "aiohttp"])
def async_backend(request: pytest.FixtureRequest) -> str:
    """Each async backend in turn: tests using it (or ``net_client``) run on both."""
    return str(request.param)


@pytest.fixture
def net_client(
    sim: Simulator, server: SimulatorServer, no_waiting: dict[str, Any], async_backend: Any
) -> Iterator[chargeapi.Client]:
    """A client talking to ``server`` over real loopback sockets; retries do not wait.

    Runs once per async backend (httpx, aiohttp): the retry and loopback suites cover both.
    Strict, like ``sim.client()``: an answer off the documented shape fails the test.
    """
    with chargeapi.Client(
        sim.api_key,
        base_url=server.url,
        timeout=5,
        async_backend=async_backend,
        strict_responses=True,
        **no_waiting,
    ) as client:
        yield client


#: Every way a call can go out: the sync httpx client, the async httpx client, aiohttp.
BACKENDS = ("sync", "httpx", "aiohttp")


def backend_client(backend: str, base_url: str, **options: Any) -> chargeapi.Client:
    """A Client on ``base_url`` whose async calls use ``backend``'s library; no retries unless
    ``options`` say otherwise."""
    options.setdefault("max_retries", 0)
    async_backend = "aiohttp" if backend == "aiohttp" else "httpx"
    return chargeapi.Client(TEST_KEY, base_url=base_url, async_backend=async_backend, **options)


def on_backend(backend: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run an SDK method (``chargeapi.ChargingSession.create``) as ``backend`` calls it: the
    sync method itself, or its ``_async`` twin on a fresh event loop (a list: its first page)."""
    if backend == "sync":
        return method(*args, **kwargs)
    resource = getattr(chargeapi, method.__qualname__.split(".")[0])
    twin = getattr(resource, f"{method.__name__}_async")

    async def run() -> Any:
        return await twin(*args, **kwargs)

    return asyncio.run(run())


def walk_on(backend: str, page_or_pager: Callable[[], Any], items: list[Any]) -> None:
    """Walk every page of a list as ``backend`` does (``for`` or ``async for``), collecting
    the items into ``items`` (so a test sees how far it got when the walk raises)."""
    if backend == "sync":
        items.extend(page_or_pager())
        return

    async def run() -> None:
        async for item in page_or_pager():
            items.append(item)

    asyncio.run(run())


@pytest.fixture
def hostile() -> Iterator[Callable[[Script], str]]:
    """``hostile(script)`` serves every connection with ``script(conn)`` on 127.0.0.1 (raw
    sockets, see ``tests/_hostile.py``); returns the base URL."""
    from ._hostile import HostileServer  # here: the bench loads this file on its own

    servers: list[HostileServer] = []

    def start(script: Script) -> str:
        server = HostileServer(script)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.close()


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest, client: chargeapi.Client) -> Callable[..., Any]:
    """``sdk(chargeapi.Driver.create, **kw)`` runs the sync method, or its ``_async`` twin.

    For a list, the async run awaits the AsyncPager: both give the first page.
    """

    def call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("client", client)
        if request.param == "sync":
            return method(*args, **kwargs)
        resource = getattr(chargeapi, method.__qualname__.split(".")[0])
        twin = getattr(resource, f"{method.__name__}_async")

        async def run() -> Any:
            return await twin(*args, **kwargs)

        return asyncio.run(run())

    return call


def sent(route: Any) -> Any:
    """The one request a respx route received (fails if it got none or several)."""
    assert route.call_count == 1, f"expected one request, got {route.call_count}"
    return route.calls.last.request


def assert_post(route: Any, body: dict[str, Any]) -> None:
    """The route got one POST whose JSON body is exactly ``body``, with an Idempotency-Key."""
    request = sent(route)
    assert request.method == "POST"
    assert json.loads(request.content) == body
    assert request.headers["Content-Type"] == "application/json"
    assert len(request.headers["Idempotency-Key"]) > 0


def assert_get(route: Any, query: list[tuple[str, str]]) -> None:
    """The route got one GET (or DELETE) whose query pairs are exactly ``query``, no body and no
    Idempotency-Key."""
    request = sent(route)
    assert request.method in ("GET", "DELETE")
    assert list(request.url.params.multi_items()) == query
    assert request.content == b""
    assert "Idempotency-Key" not in request.headers


RECEIVER_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "webhook_receiver.py"


@pytest.fixture(scope="module")
def receiver_module() -> ModuleType:
    """examples/webhook_receiver.py, loaded as a module (its WebhookReceiver, its handlers)."""
    spec = importlib.util.spec_from_file_location("webhook_receiver", RECEIVER_EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def handled() -> list[chargeapi.Event]:
    """The events a test's receiver accepted, in order."""
    return []


@contextmanager
def refused_before_io(error: type[BaseException], match: str) -> Iterator[None]:
    """The block raises ``error`` (its message matching ``match``) and sends no request."""
    with respx.mock(assert_all_called=False) as mock, pytest.raises(error, match=match):
        yield
    assert not mock.calls


def invalid_parameter(call: Callable[[], object]) -> chargeapi.InvalidParameterError:
    """The InvalidParameterError ``call`` raises, having sent nothing."""
    with respx.mock(assert_all_called=False) as mock:
        with pytest.raises(chargeapi.InvalidParameterError) as caught:
            call()
        assert not mock.calls
    return caught.value
