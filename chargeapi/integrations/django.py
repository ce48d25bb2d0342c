"""Django: a view decorator that verifies a ChargeAPI delivery and calls the view with its Event.

    from chargeapi.integrations.django import webhook_view

    @webhook_view(settings.CHARGEAPI_WEBHOOK_SECRET)
    def charge_webhooks(request: HttpRequest, event: chargeapi.Event) -> None: ...

    urlpatterns = [path("webhooks/", charge_webhooks)]

The view is CSRF-exempt (the signature is the proof of origin), answers only POST (405
otherwise), and gets the request, the verified Event, then any URL parameters. It may return
any response, or None for a 200 ``{"status": "accepted"}``. A delivery that does not verify
gets a 400 naming the failed check, a duplicate a 200 and one whose event another delivery is
handling a 409, all as JSON, without calling the view. A delivery whose Content-Length is over
``max_body_bytes`` (1 MiB by default) gets a 413 ``payload_too_large`` before its body is read;
one without a Content-Length is measured once read. Django's own
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MiB by default) bounds what Django reads in every case,
chunked bodies included: a body over it is refused by Django with a 400. When the view raises
or answers anything but 2xx, the event is not recorded as handled, so the sender's retry runs
it again. Synchronous views only. Importing this module imports Django's HTTP layer; nothing
else in chargeapi does.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Concatenate, ParamSpec

try:
    from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed, JsonResponse
    from django.views.decorators.csrf import csrf_exempt
except ImportError as _missing:  # not a dependency of chargeapi: say what to install
    raise ImportError(
        "chargeapi.integrations.django needs Django, which is not installed: pip install django"
    ) from _missing

from .._exceptions import InvalidParameterError
from .._webhook import Webhook
from ..resources.event import Event
from ._dedupe import DedupeStore
from ._receiver import DEFAULT_MAX_BODY_BYTES, HEADER, Answer, Receiver, accepted, hide

__all__ = ["webhook_view"]

_P = ParamSpec("_P")


def webhook_view(
    secret: str | Sequence[str] | Webhook,
    *,
    store: DedupeStore | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Callable[
    [Callable[Concatenate[HttpRequest, Event, _P], HttpResponseBase | None]],
    Callable[Concatenate[HttpRequest, _P], HttpResponseBase],
]:
    """Decorate a view to receive ChargeAPI deliveries: it is called with each event once.

    ``secret`` is the endpoint's secret (a list while rotating), or a ``chargeapi.Webhook``
    for its tolerance and clock. ``store`` remembers the event ids handled; in memory by
    default (per process: with several workers, use a shared store). One store per endpoint.
    ``max_body_bytes`` bounds the body (a larger delivery gets a 413); Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` also applies, so a bound above it needs it raised too.
    """
    given = hide(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    receiver = Receiver(given, store, max_body_bytes)

    def decorate(
        view: Callable[Concatenate[HttpRequest, Event, _P], HttpResponseBase | None],
    ) -> Callable[Concatenate[HttpRequest, _P], HttpResponseBase]:
        if inspect.iscoroutinefunction(view):
            raise InvalidParameterError(
                "webhook_view decorates synchronous views only", param="view"
            )

        @csrf_exempt
        @functools.wraps(view)
        def receive(
            request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs
        ) -> HttpResponseBase:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            outcome = receiver.refuse_length(
                request.META.get("CONTENT_LENGTH") or None
            ) or receiver.accept(request.body, request.headers.get(HEADER))
            if isinstance(outcome, Answer):
                return JsonResponse(outcome.body, status=outcome.status)
            with receiver.handling(outcome) as settlement:
                response = view(request, outcome, *args, **kwargs)
                if response is None:
                    response = JsonResponse(accepted(outcome))
                settlement.answered(response.status_code)
            return response

        return receive

    return decorate
