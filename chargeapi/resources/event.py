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
    """The API request that caused the event; both fields are None for automatic events."""

    id: str | None = None
    idempotency_key: str | None = None


@attrs.frozen(kw_only=True)
class EventData(ChargeObject):
    """The resource snapshot, and for ``*.updated`` events the prior values of changed fields."""

    object: ChargeObject | dict[str, Any] = attrs.field(hash=False)
    previous_attributes: dict[str, Any] | None = attrs.field(default=None, hash=False)


@register("event")
@attrs.frozen(kw_only=True)
class Event(ChargeObject):
    """One thing that happened on the account, as rendered with ``api_version``.

    ``pending_webhooks`` counts the deliveries of this event still to be made (the docs show
    the field without describing it). ``created`` is an aware UTC datetime. Dedupe on ``id``:
    a delivery may arrive more than once.
    """

    id: str
    object: Literal["event"] = "event"
    api_version: str | None = None
    created: datetime
    data: EventData
    livemode: bool | None = None
    pending_webhooks: int | None = None
    request: EventRequest | None = None
    type: str


def _resolve_annotations() -> None:
    for cls in (EventRequest, EventData, Event):
        attrs.resolve_types(cls)


resolve_annotations_later(_resolve_annotations)
