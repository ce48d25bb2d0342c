"""Event (``evt_``): what a webhook delivers; ``chargeapi.Webhook.construct_event`` returns one.

``type`` is an open string (``"charge.succeeded"``, ``"report.succeeded"``, and whatever the API
adds later). ``data.object`` is the snapshot of the resource the event is about, decoded by its
``object`` field (else its ID prefix) into the SDK's model, or left as a plain dict when the SDK
has no model for that object type yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .._convert import resolve_annotations_later
from .._models import ChargeObject
from .._registry import register

__all__ = ["Event", "EventData", "EventRequest"]


@attrs.frozen(kw_only=True)
class EventRequest(ChargeObject):
    """The API request that caused the event."""

    id: str | None = None
    """The request's ID (``req_...``), or None for an event no request caused (the clock:
    a reservation expiring, a session reaching its limit). The docs' example fills it."""
    idempotency_key: str | None = None
    """The request's Idempotency-Key, or None when it sent none (the header is optional) or
    no request caused the event."""


@attrs.frozen(kw_only=True)
class EventData(ChargeObject):
    """The resource snapshot, and for ``*.updated`` events the prior values of changed fields."""

    object: ChargeObject | dict[str, Any] = attrs.field(hash=False)
    """The snapshot: the SDK's model for its ``object`` type, or a dict when it has none (or
    the snapshot, rendered with another API version, does not fit it)."""
    previous_attributes: dict[str, Any] | None = attrs.field(default=None, hash=False)
    """The changed fields' previous values, or None on events that change nothing (only
    updates carry it)."""


@register("event")
@attrs.frozen(kw_only=True)
class Event(ChargeObject):
    """One thing that happened on the account, as rendered with ``api_version``.

    ``pending_webhooks`` counts the deliveries of this event still to be made (the docs show
    the field without describing it). ``created`` is an aware UTC datetime. Dedupe on ``id``:
    a delivery may arrive more than once.
    """

    id: str
    """Unique identifier (``evt_...``): dedupe deliveries on it."""
    object: Literal["event"] = "event"
    """Always ``"event"``."""
    api_version: str
    """The API version ``data`` was rendered with."""
    created: datetime
    """When the event happened (aware UTC)."""
    data: EventData
    """The resource snapshot (and the changed fields' previous values)."""
    livemode: bool
    """True in live mode, False in test mode."""
    pending_webhooks: int
    """Deliveries of this event still to be made."""
    request: EventRequest
    """The API request that caused the event."""
    type: str
    """The event type, e.g. ``"charge.succeeded"``; an open string."""


def _resolve_annotations() -> None:
    for cls in (EventRequest, EventData, Event):
        attrs.resolve_types(cls)


resolve_annotations_later(_resolve_annotations)
