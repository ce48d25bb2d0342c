"""What every resource's operations share: pick the client, build common requests, decode.

The methods that ``_operations`` derives from each definition hand the checked RequestSpec to
``call`` / ``call_async`` (one object) or ``page`` / ``pager`` (a list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._client import API_VERSION, Client, default_client
from .._convert import InvalidData, from_json
from .._exceptions import InvalidParameterError
from .._models import ChargeObject, remember_client
from .._pagination import AsyncPage, AsyncPager, Page, parse_page
from .._request import RequestSpec

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


def decoder(cls: type[M], client: Client | None, strict: bool = True) -> Callable[[Any], M]:
    """Decode a response body into ``cls``; a body of another shape raises InvalidData, or with
    ``strict=False`` decodes anyway (only a body that is no JSON object raises).

    The object remembers ``client`` (when one was given), so its own methods use it again;
    without one they use the default client, as rebuilt at the time.
    """

    def decode(body: Any) -> M:
        try:
            result = from_json(cls, body, strict=strict)
        except InvalidData as error:
            raise InvalidData(
                f"a {cls.__name__} that does not match the documented shape "
                f"(this SDK describes API version {API_VERSION}): {error}"
            ) from None
        if client is not None and isinstance(result, ChargeObject):
            remember_client(result, client)
        return result

    return decode


def call(cls: type[M], spec: RequestSpec, client: Client | None) -> M:
    resolved = resolve_client(client)
    return resolved.request(spec, decoder(cls, client, resolved.strict_responses))


async def call_async(cls: type[M], spec: RequestSpec, client: Client | None) -> M:
    resolved = resolve_client(client)
    return await resolved.request_async(spec, decoder(cls, client, resolved.strict_responses))


def _remember_all(items: list[Any], client: Client | None) -> None:
    if client is not None:
        for item in items:
            remember_client(item, client)


def page(cls: type[M], spec: RequestSpec, client: Client | None) -> Page[M]:
    """Fetch the first page of a list; the Page fetches later ones on the same client."""
    resolved = resolve_client(client)
    list_path = spec.path  # every page URL must stay on it

    def fetch(spec: RequestSpec) -> Page[M]:
        # Decoded into the Page itself, so the call records its answer as page.last_response.
        return resolved.request(spec, decode)

    def decode(body: Any) -> Page[M]:
        data, next_url, previous_url = parse_page(
            cls, body, resolved.base_url, list_path, strict=resolved.strict_responses
        )
        _remember_all(data, client)
        return Page(data, next_url, previous_url, lambda url: fetch(RequestSpec("GET", url)))

    return fetch(spec)


def pager(cls: type[M], spec: RequestSpec, client: Client | None) -> AsyncPager[M]:
    """An AsyncPager over a list; nothing is sent until it is awaited or iterated."""
    resolved = resolve_client(client)
    list_path = spec.path  # every page URL must stay on it

    async def fetch(spec: RequestSpec) -> AsyncPage[M]:
        return await resolved.request_async(spec, decode)

    def decode(body: Any) -> AsyncPage[M]:
        data, next_url, previous_url = parse_page(
            cls, body, resolved.base_url, list_path, strict=resolved.strict_responses
        )
        _remember_all(data, client)
        return AsyncPage(data, next_url, previous_url, lambda url: fetch(RequestSpec("GET", url)))

    return AsyncPager(lambda: fetch(spec))
