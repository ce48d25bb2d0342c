"""``chargeapi.retrieve(id)``: any object by its ID, the resource picked from the ID's prefix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._client import Client
from ._exceptions import InvalidParameterError
from ._models import ChargeObject
from ._operations import table
from ._registry import PREFIXES

__all__ = ["retrieve", "retrieve_async"]

_retrievers: dict[str, Any] | None = None


def _by_prefix() -> dict[str, Any]:
    """ID prefix -> the resource class whose ``retrieve`` takes an ID of that prefix."""
    global _retrievers  # noqa: PLW0603 - built once from the operations table
    if _retrievers is None:
        found: dict[str, Any] = {}
        for op in table():
            object_name: str = op.resource.__chargeapi_object__
            # /v1/vehicles/{vehicle}/telemetry takes a vehicle ID: it is no retrieve by vtel_.
            if op.action == "retrieve" and op.path.endswith("/{" + object_name + "}"):
                found[PREFIXES[object_name]] = op.resource
        _retrievers = found
    return _retrievers


def _resource_for(id: object) -> Any:
    if not isinstance(id, str):
        raise InvalidParameterError(
            f"id must be an ID str such as 'cs_...', got {type(id).__name__}", param="id"
        )
    resources = _by_prefix()
    prefix = id[: id.find("_") + 1] if "_" in id else ""
    resource = resources.get(prefix)
    if resource is None:
        known = ", ".join(sorted(resources))
        raise InvalidParameterError(
            f"id must start with a prefix that has a retrieve endpoint ({known}); "
            f"got one starting with {prefix or id[:8]!r}",
            param="id",
        )
    return resource


def _retrieve_method(id: object, name: str) -> Callable[..., Any]:
    method: Callable[..., Any] = getattr(_resource_for(id), name)
    return method


def retrieve(
    id: str, *, expand: str | Sequence[str] = (), client: Client | None = None
) -> ChargeObject:
    """Retrieve any object by ID: ``cs_...`` a ChargingSession, ``drv_...`` a Driver, and so on.

    The resource is picked from the ID's prefix; ``expand`` goes only to resources that take it.
    """
    method = _retrieve_method(id, "retrieve")
    result: ChargeObject = method(id, client=client, **_expand_for(method, expand))
    return result


async def retrieve_async(
    id: str, *, expand: str | Sequence[str] = (), client: Client | None = None
) -> ChargeObject:
    """``retrieve`` for async code."""
    method = _retrieve_method(id, "retrieve_async")
    result: ChargeObject = await method(id, client=client, **_expand_for(method, expand))
    return result


def _expand_for(method: Callable[..., Any], expand: str | Sequence[str]) -> dict[str, Any]:
    import inspect  # noqa: PLC0415 - only for the rare resource without expand

    if "expand" in inspect.signature(method).parameters:
        return {"expand": expand}
    if expand:
        raise InvalidParameterError(
            f"expand is not supported by {method.__qualname__}", param="expand"
        )
    return {}
