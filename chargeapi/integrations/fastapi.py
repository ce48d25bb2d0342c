"""FastAPI: a dependency that verifies a ChargeAPI delivery and gives the route its Event.

    from typing import Annotated
    from fastapi import Depends, FastAPI
    from chargeapi.integrations.fastapi import webhook_event

    ChargeEvent = Annotated[chargeapi.Event, Depends(webhook_event("whsec_..."))]

    @app.post("/webhooks")
    def receive(event: ChargeEvent) -> None: ...

The dependency reads the raw body, so the route must not declare a body parameter. A delivery
that does not verify gets a 400 naming the failed check, a duplicate a 200 and one whose event
another delivery is handling a 409, all without running the route (as FastAPI's HTTPException,
so the JSON is under ``detail``). When the route raises, the event is not recorded as handled
and the sender's retry runs it again; a route that wants a retry raises (HTTPException too).
Importing this module imports FastAPI; nothing else in chargeapi does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence

try:
    from fastapi import HTTPException, Request
except ImportError as _missing:  # not a dependency of chargeapi: say what to install
    raise ImportError(
        "chargeapi.integrations.fastapi needs FastAPI, which is not installed: pip install fastapi"
    ) from _missing

from .._webhook import Webhook
from ..resources.event import Event
from ._dedupe import DedupeStore
from ._receiver import HEADER, Answer, Receiver, hide

__all__ = ["webhook_event"]


def webhook_event(
    secret: str | Sequence[str] | Webhook, *, store: DedupeStore | None = None
) -> Callable[[Request], AsyncIterator[Event]]:
    """A dependency giving the route the verified Event of a delivery, once per event id.

    ``secret`` is the endpoint's secret (a list while rotating), or a ``chargeapi.Webhook``
    for its tolerance and clock. ``store`` remembers the event ids handled; in memory by
    default. Use one dependency (one store) per endpoint.
    """
    given = hide(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    receiver = Receiver(given, store)

    async def verified_event(request: Request) -> AsyncIterator[Event]:
        outcome = receiver.accept(await request.body(), request.headers.get(HEADER))
        if isinstance(outcome, Answer):
            raise HTTPException(status_code=outcome.status, detail=outcome.body)
        with receiver.handling(outcome):
            yield outcome

    return verified_event
