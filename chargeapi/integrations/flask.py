"""Flask: a view decorator that verifies a ChargeAPI delivery and calls the view with its Event.

    from chargeapi.integrations.flask import webhook_view

    @app.post("/webhooks")
    @webhook_view("whsec_...")
    def receive(event: chargeapi.Event) -> None: ...

The view gets the verified Event first (then any URL parameters) and may return any Flask
response, or None for a 200 ``{"status": "accepted"}``. A delivery that does not verify gets a
400 naming the failed check, a duplicate a 200 and one whose event another delivery is handling
a 409, all as JSON, without calling the view. A delivery over ``max_body_bytes`` (1 MiB by
default) gets a 413 ``payload_too_large``: refused on its Content-Length before any of it is
read, and a chunked one (no Content-Length) is read only up to one byte past the bound. When
the view raises or answers anything but 2xx, the event is not recorded as handled, so the
sender's retry runs it again. Synchronous views only. Importing this module imports Flask;
nothing else in chargeapi does.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Concatenate, ParamSpec

try:
    import flask
    from flask.typing import ResponseReturnValue
except ImportError as _missing:  # not a dependency of chargeapi: say what to install
    raise ImportError(
        "chargeapi.integrations.flask needs Flask, which is not installed: pip install flask"
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
    [Callable[Concatenate[Event, _P], ResponseReturnValue | None]],
    Callable[_P, flask.Response],
]:
    """Decorate a view to receive ChargeAPI deliveries: it is called with each event once.

    ``secret`` is the endpoint's secret (a list while rotating), or a ``chargeapi.Webhook``
    for its tolerance and clock. ``store`` remembers the event ids handled; in memory by
    default. Use one decorator (one store) per endpoint. ``max_body_bytes`` bounds the body
    read (a larger delivery gets a 413); Flask's ``MAX_CONTENT_LENGTH``, if set, applies too.
    """
    given = hide(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    receiver = Receiver(given, store, max_body_bytes)

    def decorate(
        view: Callable[Concatenate[Event, _P], ResponseReturnValue | None],
    ) -> Callable[_P, flask.Response]:
        if inspect.iscoroutinefunction(view):
            raise InvalidParameterError(
                "webhook_view decorates synchronous views only", param="view"
            )

        @functools.wraps(view)
        def receive(*args: _P.args, **kwargs: _P.kwargs) -> flask.Response:
            request = flask.request
            outcome = receiver.refuse_length(request.content_length) or receiver.accept(
                _read(request, receiver.max_body_bytes), request.headers.get(HEADER)
            )
            if isinstance(outcome, Answer):
                response = flask.jsonify(outcome.body)
                response.status_code = outcome.status
                return response
            with receiver.handling(outcome) as settlement:
                returned = view(outcome, *args, **kwargs)
                response = flask.make_response(accepted(outcome) if returned is None else returned)
                settlement.answered(response.status_code)
            return response

        return receive

    return decorate


def _read(request: flask.Request, limit: int) -> bytes:
    """The body, or its first ``limit + 1`` bytes when it is longer and has no Content-Length.

    With a Content-Length (checked against ``limit`` already), Werkzeug reads no further than
    it; without one (chunked), the stream is read up to one byte past ``limit``.
    """
    if request.content_length is None:
        return request.stream.read(limit + 1)
    return request.get_data()
