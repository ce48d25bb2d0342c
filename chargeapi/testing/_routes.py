"""The router: the SDK's operations table, each row compiled to a matcher and mapped to its handler.

The table (`chargeapi._operations.table()`) is the one list of operations: method, documented
path template (`/v1/drivers/{driver}/attach`) and (resource, action). The simulator writes no
route of its own: a row's template becomes a regular expression whose placeholder captures
the object ID, and its (resource class name, action) picks the handler in `HANDLERS`.

An unknown path is a 404 and a known path with another method a 405 (with `Allow`), both as
the JSON error object. A row with no handler (an operation added to the SDK before the
simulator learned it) answers 501, also as JSON.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chargeapi.testing._endpoints import HANDLERS, Call, Endpoint
from chargeapi.testing._errors import ApiError
from chargeapi.testing._seed import JSON

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class OperationRow(Protocol):
    """What the router reads from a row of the operations table."""

    @property
    def resource(self) -> type[Any]: ...
    @property
    def action(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Route:
    key: tuple[str, str]  # ("Reservation", "confirm")
    method: str
    template: str
    pattern: re.Pattern[str]
    param: str  # the placeholder's name ("reservation"), or ""
    endpoint: Endpoint


def compile_template(template: str) -> tuple[re.Pattern[str], str]:
    """`/v1/drivers/{driver}/attach` -> a full-match pattern capturing the ID, and `driver`."""
    pieces = _PLACEHOLDER.split(template)
    names = pieces[1::2]
    regex = "".join(
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>[^/]+)" for i, piece in enumerate(pieces)
    )
    if len(names) > 1:
        raise ValueError(f"{template}: the router expects at most one path parameter")
    return re.compile(regex), names[0] if names else ""


class Router:
    """Routes compiled from operations rows; `resolve` picks one for a method and path."""

    def __init__(self, rows: Iterable[OperationRow], handlers: Mapping[tuple[str, str], Endpoint]):
        self.routes: list[Route] = []
        for row in rows:
            key = (row.resource.__name__, row.action)
            pattern, param = compile_template(row.path)
            endpoint = handlers.get(key) or _not_simulated(key)
            self.routes.append(Route(key, row.method, row.path, pattern, param, endpoint))

    def resolve(self, method: str, path: str) -> tuple[Route, str]:
        """(route, object ID) for a request; 404 for an unknown path, 405 for a method."""
        allowed: list[str] = []
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match is None:
                continue
            if route.method == method:
                return route, match[route.param] if route.param else ""
            allowed.append(route.method)
        if not allowed:
            raise ApiError(404, "invalid_request_error", None, f"Unrecognized request URL: {path}.")
        raise ApiError(
            405,
            "invalid_request_error",
            None,
            f"{method} is not allowed on {path}.",
            headers={"Allow": ", ".join(sorted(set(allowed)))},
        )


def _not_simulated(key: tuple[str, str]) -> Endpoint:
    def endpoint(call: Call) -> JSON:
        raise ApiError(501, "api_error", None, f"{key[0]}.{key[1]} is not simulated yet.")

    return endpoint


_router: Router | None = None
_lock = threading.Lock()


def router() -> Router:
    """The router for the SDK's whole table (built once per process, on first use)."""
    global _router  # noqa: PLW0603 - a once-per-process cache, set under a lock
    if _router is None:
        with _lock:
            if _router is None:
                from chargeapi._operations import table  # noqa: PLC0415 - loads every resource

                _router = Router(table(), HANDLERS)
    return _router
