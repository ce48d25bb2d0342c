"""An offline ChargeAPI: a seeded, stateful simulator for tests, demos and local development.

`Simulator` is the API as a pure `httpx.Request -> httpx.Response` handler; `sim.client()`
wires the SDK to it in-process and `sim.serve()` (or `python -m chargeapi.testing`) serves it
over HTTP. It delivers the events it records to loopback webhook endpoints (`sim.deliveries`
lists each `Delivery`). `SimulatorControl` drives a simulator in another process through its
control API.
"""

from chargeapi.testing._delivery import Delivery
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
    "sign_webhook",
]
