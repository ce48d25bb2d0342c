"""FastAPI: a dependency that verifies a ChargeAPI delivery and gives the route its Event.

    from typing import Annotated
    from fastapi import Depends, FastAPI
    from chargeapi.integrations.fastapi import webhook_event

    ChargeEvent = Annotated[chargeapi.Event, Depends(webhook_event("whsec_..."))]

    @app.post("/webhooks")
    def receive(event: ChargeEvent) -> None: ...

The dependency reads the raw body, so the route must not declare a body parameter (an async
route can still ``await request.body()``: it gets the same bytes). A delivery that does not
verify gets a 400 naming the failed check, a duplicate a 200 and one whose event another
delivery is handling a 409, all without running the route (as FastAPI's HTTPException, so the
JSON is under ``detail``). A delivery over ``max_body_bytes`` (1 MiB by default) gets a 413
``payload_too_large``: refused on its Content-Length before any of it is read, and a chunked
one (no Content-Length) is read only up to one byte past the bound. When the route raises,
the event is not recorded as handled and the sender's retry runs it again; a route that wants
a retry raises (HTTPException too). Importing this module imports FastAPI; nothing else in
chargeapi does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import aclosing

try:
    from fastapi import HTTPException, Request
except ImportError as _missing:  # not a dependency of chargeapi: say what to install
    raise ImportError(
        "chargeapi.integrations.fastapi needs FastAPI, which is not installed: pip install fastapi"
    ) from _missing

from .._webhook import Webhook
from ..resources.event import Event
from ._dedupe import DedupeStore
from ._receiver import DEFAULT_MAX_BODY_BYTES, HEADER, Answer, Receiver, hide

__all__ = ["webhook_event"]


def webhook_event(
    secret: str | Sequence[str] | Webhook,
    *,
    store: DedupeStore | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Callable[[Request], AsyncIterator[Event]]:
    """A dependency giving the route the verified Event of a delivery, once per event id.

    ``secret`` is the endpoint's secret (a list while rotating), or a ``chargeapi.Webhook``
    for its tolerance and clock. ``store`` remembers the event ids handled; in memory by
    default. Use one dependency (one store) per endpoint. ``max_body_bytes`` bounds the body
    read (a larger delivery gets a 413); an ASGI server's own limit, if any, applies too.
    """
    given = hide(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    receiver = Receiver(given, store, max_body_bytes)

    async def verified_event(request: Request) -> AsyncIterator[Event]:
        outcome = receiver.refuse_length(request.headers.get("content-length")) or (
            receiver.accept(
                await _read(request, receiver.max_body_bytes), request.headers.get(HEADER)
            )
        )
        if isinstance(outcome, Answer):
            raise HTTPException(status_code=outcome.status, detail=outcome.body)
        with receiver.handling(outcome):
            yield outcome

    return verified_event


async def _read(request: Request, limit: int) -> bytes:
    """The body, or its first ``limit + 1`` bytes when longer (whatever its Content-Length)."""
    chunks: list[bytes] = []
    size = 0
    async with aclosing(request.stream()) as stream:
        async for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return b"".join(chunks)[: limit + 1]
    body = b"".join(chunks)
    # Kept where ``request.body()`` looks, as it would have cached it: the route may read it.
    request._body = body
    return body
