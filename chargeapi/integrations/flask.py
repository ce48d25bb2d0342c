"""Flask: a view decorator that verifies a ChargeAPI delivery and calls the view with its Event.

    from chargeapi.integrations.flask import webhook_view

    @app.post("/webhooks")
    @webhook_view("whsec_...")
    def receive(event: chargeapi.Event) -> None: ...

The view gets the verified Event first (then any URL parameters) and may return any Flask
response, or None for a 200 ``{"status": "accepted"}``. A delivery that does not verify gets a
400 naming the failed check, a duplicate a 200 and one whose event another delivery is handling
a 409, all as JSON, without calling the view. When the view raises or answers anything but 2xx,
the event is not recorded as handled, so the sender's retry runs it again. Synchronous views
only. Importing this module imports Flask; nothing else in chargeapi does.
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
from ._receiver import HEADER, Answer, Receiver, accepted, hide

__all__ = ["webhook_view"]

_P = ParamSpec("_P")


def webhook_view(
    secret: str | Sequence[str] | Webhook, *, store: DedupeStore | None = None
) -> Callable[
    [Callable[Concatenate[Event, _P], ResponseReturnValue | None]],
    Callable[_P, flask.Response],
]:
    """Decorate a view to receive ChargeAPI deliveries: it is called with each event once.

    ``secret`` is the endpoint's secret (a list while rotating), or a ``chargeapi.Webhook``
    for its tolerance and clock. ``store`` remembers the event ids handled; in memory by
    default. Use one decorator (one store) per endpoint.
    """
    given = hide(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    receiver = Receiver(given, store)

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
            outcome = receiver.accept(request.get_data(), request.headers.get(HEADER))
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
