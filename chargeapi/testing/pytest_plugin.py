"""The pytest plugin: fixtures that put the simulator in a test by naming them.

pytest loads it by itself wherever chargeapi is installed (the ``pytest11`` entry point named
``chargeapi``; ``-p no:chargeapi`` turns it off). It is imported in every pytest run of every
project that installs chargeapi, so it imports nothing of the simulator until a fixture runs.

- ``chargeapi_simulator``: a fresh ``Simulator`` per test, seeded by ``--chargeapi-seed``
  (default 0);
- ``chargeapi_client``: a ``chargeapi.Client`` bound to it in-process (strict about responses,
  retries without waiting), for sync and async code;
- ``chargeapi_server``: that simulator served over HTTP on 127.0.0.1 for the test, with
  ``.url``, ``.api_key`` and ``.control`` (a ``SimulatorControl``);
- ``chargeapi_env``: ``CHARGEAPI_API_KEY`` and ``CHARGEAPI_BASE_URL`` pointing at that server
  for code that uses the default client, restored after the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from chargeapi import Client
    from chargeapi.testing import Simulator, SimulatorServer

__all__ = [
    "chargeapi_client",
    "chargeapi_env",
    "chargeapi_server",
    "chargeapi_simulator",
    "pytest_addoption",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("chargeapi", "chargeapi simulator fixtures")
    group.addoption(
        "--chargeapi-seed",
        type=int,
        default=0,
        dest="chargeapi_seed",
        help="seed of the sample account chargeapi_simulator starts with (default: 0)",
    )


@pytest.fixture
def chargeapi_simulator(request: pytest.FixtureRequest) -> Simulator:
    """A fresh, seeded simulator for this test (``--chargeapi-seed``, default 0)."""
    from chargeapi.testing import Simulator  # noqa: PLC0415 - loaded only when a test uses it

    seed = request.config.getoption("chargeapi_seed")
    return Simulator(seed=seed if isinstance(seed, int) else 0)


@pytest.fixture
def chargeapi_client(chargeapi_simulator: Simulator) -> Iterator[Client]:
    """A ``chargeapi.Client`` calling ``chargeapi_simulator`` in-process; its waits (retries,
    ``wait_until``) take no real time and move the simulator's clock instead."""
    with chargeapi_simulator.client(instant_retries=True) as client:
        yield client


@pytest.fixture
def chargeapi_server(chargeapi_simulator: Simulator) -> Iterator[SimulatorServer]:
    """``chargeapi_simulator`` served on a free 127.0.0.1 port until the test ends."""
    with chargeapi_simulator.serve() as server:
        yield server


@pytest.fixture
def chargeapi_env(
    chargeapi_server: SimulatorServer, monkeypatch: pytest.MonkeyPatch
) -> SimulatorServer:
    """``CHARGEAPI_API_KEY`` / ``CHARGEAPI_BASE_URL`` set to ``chargeapi_server`` for the test
    (the default client follows them), restored afterwards; returns the server."""
    monkeypatch.setenv("CHARGEAPI_API_KEY", chargeapi_server.api_key)
    monkeypatch.setenv("CHARGEAPI_BASE_URL", chargeapi_server.url)
    return chargeapi_server
