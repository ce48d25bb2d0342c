"""WebhookEndpoint (``wh_``): where Charge delivers signed events, and which types it sends.

Where the docs are silent: there is no delete (not documented) and ``url`` cannot be updated (no
such parameter on the update page); ``enabled_events`` are plain strings because the docs'
examples use event types beyond the documented list; create needs at least one (the older docs'
minimum), update takes any list (the older docs also say an empty one clears them all).
``secret`` (``whsec_``) signs deliveries:
it is left out of the model's repr.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Unpack

import attrs

from .._client import Client
from .._extras import RequestOptions
from .._models import ChargeObject
from .._operations import Call, ListCall, asynchronous, on_object, operation, resource, sync
from .._params import NOT_GIVEN, HttpsURL, Metadata, MinItems, NotGiven
from ._ids import Limit, WebhookEndpointID

__all__ = ["WebhookEndpoint", "WebhookEndpointStatus"]


class WebhookEndpointStatus(StrEnum):
    """Whether events are delivered to the endpoint."""

    ENABLED = "enabled"
    DISABLED = "disabled"


@operation("POST", "/v1/webhook_endpoints")
def _create(
    *,
    enabled_events: Annotated[Sequence[str], MinItems(1)],
    url: HttpsURL,
    api_version: str | None = None,
    description: str | None = None,
    metadata: Metadata | None = None,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[WebhookEndpoint]:
    """Create an endpoint that receives ``enabled_events`` at ``url`` (public, https);
    ``api_version`` pins the version events are rendered in. The result holds the ``secret``."""
    return Call(locals())


@operation("GET", "/v1/webhook_endpoints/{webhook_endpoint}")
def _retrieve(
    id: WebhookEndpointID, *, client: Client | None = None, **options: Unpack[RequestOptions]
) -> Call[WebhookEndpoint]:
    """Retrieve a webhook endpoint."""
    return Call(locals())


@operation("POST", "/v1/webhook_endpoints/{webhook_endpoint}")
def _update(
    id: WebhookEndpointID,
    *,
    enabled_events: Sequence[str] | NotGiven = NOT_GIVEN,
    status: Literal["enabled", "disabled"] | NotGiven = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
    metadata: Metadata | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    client: Client | None = None,
    **options: Unpack[RequestOptions],
) -> Call[WebhookEndpoint]:
    """Update an endpoint: ``enabled_events`` replaces the whole list, ``status`` turns
    delivery on or off; parameters you leave out keep their values."""
    return Call(locals())


@operation("GET", "/v1/webhook_endpoints")
def _list(
    *, limit: Limit | None = None, client: Client | None = None, **options: Unpack[RequestOptions]
) -> ListCall[WebhookEndpoint]:
    """List webhook endpoints, newest first; iterate the result for every page."""
    return ListCall(locals())


# The methods, derived once; the class aliases them (pyright --verifytypes needs
# a plain name there, not a call).
_create_sync = sync(_create)
_create_async = asynchronous(_create)
_retrieve_sync = on_object(sync(_retrieve))
_retrieve_async = on_object(asynchronous(_retrieve))
_update_sync = on_object(sync(_update))
_update_async = on_object(asynchronous(_update))
_list_sync = sync(_list)
_list_async = asynchronous(_list)


@resource("webhook_endpoint")
@attrs.frozen(kw_only=True)
class WebhookEndpoint(ChargeObject):
    """A webhook endpoint; ``api_version`` null means the account's default version."""

    id: str
    """Unique identifier (``wh_...``)."""
    object: Literal["webhook_endpoint"] = "webhook_endpoint"
    """Always ``"webhook_endpoint"``."""
    api_version: str | None = None
    """The API version events are rendered with, or None for the account's default:
    ``string | null``."""
    application: str | None = None
    """ID of the associated application, or None: ``string | null``, "if applicable"."""
    created: datetime
    """When the endpoint was created (aware UTC)."""
    description: str | None = None
    """An optional description: ``string | null``."""
    enabled_events: tuple[str, ...]
    """The event types delivered to this endpoint."""
    livemode: bool
    """True in live mode, False in test mode."""
    metadata: Mapping[str, str] = attrs.field(hash=False)
    """Your key-value pairs."""
    secret: str = attrs.field(repr=False)
    """Signs the deliveries (``whsec_...``); left out of repr."""
    status: WebhookEndpointStatus | str
    """``enabled`` or ``disabled``."""
    url: str
    """Where events are POSTed."""

    create = _create_sync
    create_async = _create_async
    retrieve = _retrieve_sync
    retrieve_async = _retrieve_async
    refresh = _retrieve_sync
    refresh_async = _retrieve_async
    update = _update_sync
    update_async = _update_async
    list = _list_sync
    list_async = _list_async
