"""One module per resource: its models, its parameter types and its operations.

Modules load on first use (``import chargeapi`` loads none of them). Models refer to each other
across modules (a session's ``driver`` may be an expanded Driver, whose preferences may hold an
expanded PaymentMethod ...), so before the first decode every module is loaded and those
annotations are resolved at once, with no import cycle between modules.
"""

from __future__ import annotations

import importlib
import threading

import attrs

from .._convert import resolve_annotations_later

#: Every resource module, in the order the docs list the resources. A new resource is one more
#: module here: its models, parameter types and operations.
MODULES = (
    "account",
    "charging_session",
    "charging_station",
    "driver",
    "vehicle",
    "vehicle_telemetry",
    "fleet",
    "payment_method",
    "policy",
    "reservation",
    "estimation",
    "invoice",
    "transaction",
    "report",
    "webhook_endpoint",
    "event",
)

_resolved = False
_lock = threading.Lock()


def resolve_annotations() -> None:
    """Load every resource module and resolve the models' annotations (once per process)."""
    global _resolved  # noqa: PLW0603 - a once-per-process flag, set under a lock
    if _resolved:
        return
    with _lock:
        if _resolved:
            return
        from .. import _models  # noqa: PLC0415

        modules = [importlib.import_module(f"{__name__}.{name}") for name in MODULES]
        namespace: dict[str, object] = dict(vars(_models))
        for module in modules:
            namespace.update(vars(module))
        for module in modules:
            for value in list(vars(module).values()):
                if attrs.has(value) and value.__module__ == module.__name__:
                    attrs.resolve_types(value, globalns=namespace)
        _resolved = True


resolve_annotations_later(resolve_annotations)
