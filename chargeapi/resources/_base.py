"""What every resource's operations share: pick the client, build common requests, decode.

The methods that ``_operations`` derives from each definition hand their operation's plan and
bound parameters to ``call`` (one object; the ``_async`` method does the same work inline, with
``resolved_client`` and ``remember``), or the checked RequestSpec to ``page`` / ``pager`` (a
list).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .._client import API_VERSION, Client, call_plan, default_client
from .._convert import InvalidData, fast_hook, from_json
from .._exceptions import InvalidParameterError
from .._models import ChargeObject, remember_client, remember_client_on_all
from .._pagination import AsyncPage, AsyncPager, Page, parse_page
from .._registry import object_name_of_id, wrong_object
from .._request import RequestSpec

if TYPE_CHECKING:
    from .._operations import Plan

M = TypeVar("M")


def resolve_client(client: Client | None) -> Client:
    """The client to use: the one passed in, or the process-wide default from the environment."""
    if client is None:
        return default_client()
    if not isinstance(client, Client):
        kind = f"{type(client).__module__}.{type(client).__qualname__}"
        raise InvalidParameterError(
            f"client must be a chargeapi.Client, got {kind}", param="client"
        )
    return client


def decoder(cls: type[M], strict: bool = True, path: str = "") -> Callable[[Any], M]:
    """Decode a response body into ``cls``; a body of another shape raises InvalidData, or with
    ``strict=False`` decodes anyway (only a body that is no JSON object raises). Another object
    than the one the call at ``path`` asked for (see ``expected``) raises InvalidData either way.

    It holds nothing of one call, so an operation whose path names no object (a create)
    builds it once per mode (``decoders``).
    """
    return functools.partial(checked_decoder(cls, strict), expected(cls, path))


def checked_decoder(cls: type[M], strict: bool) -> Callable[[Asked, Any], M]:
    """``decoder``'s function, made once per model and mode: it is given the object the call
    asked for (``expected``) with each body, so an operation whose path names an object
    (a retrieve) needs no decoder made per call either."""

    try:
        structure = fast_hook(cls)  # what from_json calls first
    except Exception:  # a type the fast converter refuses: from_json says why
        structure = None

    def decode(asked: Asked, body: Any) -> M:
        problem = wrong_object(body, asked[0], asked[1])
        if problem is not None:
            raise InvalidData(problem)
        if structure is not None:
            try:
                result: M = structure(body, cls)
            except Exception:  # noqa: S110 - from_json tries again, then explains
                pass
            else:
                return result
        try:
            return from_json(cls, body, strict=strict)
        except InvalidData as error:
            raise InvalidData(
                f"a {cls.__name__} that does not match the documented shape "
                f"(this SDK describes API version {API_VERSION}): {error}"
            ) from None

    return decode


def decoders(cls: type[M], path: str) -> tuple[Callable[[Any], M], Callable[[Any], M]]:
    """The lenient and the strict decoder for answers to ``path`` (indexed by ``strict``): made
    once by an operation whose path is the same on every call (it names no object)."""
    return decoder(cls, False, path), decoder(cls, True, path)


#: The object type an answer must have, and its ID when the call names it (``expected``).
Asked = tuple[str | None, str | None]


def expected(cls: type[Any], path: str) -> Asked:
    """The object type an answer to the call at ``path`` must have, and its ID when the call
    names it: ``/v1/charging_sessions/cs_A/end`` must answer charging session ``cs_A``.

    The type is the model's (for a delete, whose model is shared, that of the ID in the path);
    the ID is the path's when it is of that type (``/v1/vehicles/veh_A/telemetry`` answers a
    vehicle_telemetry whose ID is its own).
    """
    parts = path.split("/", 4)
    named = parts[3] if len(parts) > 3 and parts[1] == "v1" else None
    return asked_for(getattr(cls, "__chargeapi_object__", None), named)


def asked_for(object_name: str | None, named: str | None) -> Asked:
    """``expected`` for a model of ``object_name`` (None: a shared one) and the path segment
    that may name the object (``cs_A`` of ``/v1/charging_sessions/cs_A/end``)."""
    kind = object_name_of_id(named) if named else None
    if object_name is None:
        object_name = kind
    return object_name, named if kind is not None and kind == object_name else None


def remember(result: M, client: Client | None) -> M:
    """The object remembers ``client`` (when one was given), so its own methods use it again;
    without one they use the default client, as rebuilt at the time."""
    if client is not None and isinstance(result, ChargeObject):
        remember_client(result, client)
    return result


def resolved_client(plan: Plan, params: dict[str, Any], client: Client | None) -> Client:
    """``resolve_client(client)``, its errors raised after those of the parameters (checked
    first, as they were before a client could be resolved)."""
    try:
        return resolve_client(client)
    except Exception as error:  # re-raised below, after the parameters' own errors
        failure = error
    plan.request(params)
    raise failure


def call(plan: Plan, params: dict[str, Any]) -> Any:
    """Run one operation that returns an object: ``params`` are its definition's bound ones."""
    client: Client | None = params["client"]
    if type(client) is Client:  # given: the object remembers it (``remember``, inline)
        result = call_plan(client, plan, params)
        if isinstance(result, ChargeObject):
            remember_client(result, client)
        return result
    return remember(call_plan(resolved_client(plan, params, client), plan, params), client)


def _remember_all(items: list[Any], client: Client | None, linked: bool) -> None:
    if client is not None:
        remember_client_on_all(items, client, linked=linked)


def follow(spec: RequestSpec, url: str) -> RequestSpec:
    """The request for another page of the list ``spec`` asked for: the same operation."""
    return RequestSpec("GET", url, operation=spec.operation, template=spec.template)


def page(cls: type[M], spec: RequestSpec, client: Client | None) -> Page[M]:
    """Fetch the first page of a list; the Page fetches later ones on the same client."""
    resolved = resolve_client(client)
    list_path = spec.path  # every page URL must stay on it

    def fetch(spec: RequestSpec) -> Page[M]:
        # Decoded into the Page itself, so the call records its answer as page.last_response.
        return resolved.request(spec, decode)

    def decode(body: Any) -> Page[M]:
        data, next_url, previous_url, linked = parse_page(
            cls, body, resolved.base_url, list_path, strict=resolved.strict_responses
        )
        _remember_all(data, client, linked)
        return Page(data, next_url, previous_url, lambda url: fetch(follow(spec, url)))

    return fetch(spec)


def pager(cls: type[M], spec: RequestSpec, client: Client | None) -> AsyncPager[M]:
    """An AsyncPager over a list; nothing is sent until it is awaited or iterated."""
    resolved = resolve_client(client)
    list_path = spec.path  # every page URL must stay on it

    async def fetch(spec: RequestSpec) -> AsyncPage[M]:
        return await resolved.request_async(spec, decode)

    def decode(body: Any) -> AsyncPage[M]:
        data, next_url, previous_url, linked = parse_page(
            cls, body, resolved.base_url, list_path, strict=resolved.strict_responses
        )
        _remember_all(data, client, linked)
        return AsyncPage(data, next_url, previous_url, lambda url: fetch(follow(spec, url)))

    return AsyncPager(lambda: fetch(spec))
