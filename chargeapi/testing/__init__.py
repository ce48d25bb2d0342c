"""An offline ChargeAPI: a seeded, stateful simulator for tests, demos and local development.

`Simulator` is the API as a pure `httpx.Request -> httpx.Response` handler; `sim.client()`
wires the SDK to it in-process and `sim.serve()` (or `python -m chargeapi.testing`) serves it
over HTTP. It delivers the events it records to loopback webhook endpoints (`sim.deliveries`
lists each `Delivery`). `SimulatorControl` drives a simulator in another process through its
control API; `openapi_document()` is the documented API as OpenAPI 3.1, which the simulator
answers within. The pytest fixtures (`chargeapi_simulator`, `chargeapi_client`, `chargeapi_server`,
`chargeapi_env`) come from `chargeapi.testing.pytest_plugin`, which pytest loads by itself.

The names load on first use, so importing the package (as pytest does for its plugin) is cheap.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chargeapi.testing._delivery import Delivery
    from chargeapi.testing._openapi import openapi_document
    from chargeapi.testing._remote import SimulatorControl, SimulatorControlError
    from chargeapi.testing._server import SimulatorServer
    from chargeapi.testing._simulator import RecordedRequest, Simulator
    from chargeapi.testing._webhooks import sign_webhook

__all__ = [
    "Delivery",
    "RecordedRequest",
    "Simulator",
    "SimulatorControl",
    "SimulatorControlError",
    "SimulatorServer",
    "openapi_document",
    "sign_webhook",
]

_LAZY = {
    "Delivery": "chargeapi.testing._delivery",
    "RecordedRequest": "chargeapi.testing._simulator",
    "Simulator": "chargeapi.testing._simulator",
    "SimulatorControl": "chargeapi.testing._remote",
    "SimulatorControlError": "chargeapi.testing._remote",
    "SimulatorServer": "chargeapi.testing._server",
    "openapi_document": "chargeapi.testing._openapi",
    "sign_webhook": "chargeapi.testing._webhooks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chargeapi.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
