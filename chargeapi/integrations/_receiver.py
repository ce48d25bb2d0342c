"""What every framework adapter does, without the framework: bound, verify, claim, settle.

An adapter first asks ``refuse_length`` about the declared Content-Length (an oversize
delivery is answered 413 before its body is read), then reads at most ``max_body_bytes + 1``
bytes of the raw body, calls ``accept`` with them and the ``Charge-Signature`` header, and
either sends the ``Answer`` it got (a refusal, a duplicate) as JSON or runs the view with the
Event inside ``handling``, which completes or releases the claim.

The bound exists because the frameworks set none by default (Starlette's ``request.body()``,
Flask's ``get_data()``): without it, a client could make the receiver buffer gigabytes before
the signature is checked. ChargeAPI's events are small; 1 MiB leaves ample room.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from contextlib import contextmanager
from typing import Any

from .._exceptions import InvalidParameterError, SignatureVerificationError
from .._validate import check_int
from .._webhook import DEFAULT_TOLERANCE, Webhook, _Hidden
from ..resources.event import Event
from ._dedupe import DedupeStore, MemoryDedupeStore

__all__ = ["Answer", "Receiver", "hide"]

HEADER = "Charge-Signature"

#: The default ``max_body_bytes``: 1 MiB, far above any event ChargeAPI sends.
DEFAULT_MAX_BODY_BYTES = 1_048_576


class Answer:
    """An HTTP answer the view never sees: its status and its JSON body."""

    __slots__ = ("body", "status")

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body


def accepted(event: Event) -> dict[str, Any]:
    """The JSON body sent when a view returns nothing."""
    return {"status": "accepted", "event": event.id}


def hide(secret: str | Sequence[str] | Webhook) -> _Hidden | Webhook:
    """The adapter's ``secret`` argument, out of plain sight (tracebacks show frames' locals)."""
    return secret if isinstance(secret, Webhook) else _Hidden(secret)


class Settlement:
    """Whether the view's answer acknowledged the delivery (2xx); set by the adapter."""

    __slots__ = ("acknowledged",)

    def __init__(self) -> None:
        self.acknowledged = True

    def answered(self, status: int) -> None:
        self.acknowledged = 200 <= status < 300


class Receiver:
    __slots__ = ("_store", "_webhook", "max_body_bytes")

    def __init__(
        self, secret: _Hidden | Webhook, store: DedupeStore | None, max_body_bytes: int
    ) -> None:
        self.max_body_bytes = check_int("max_body_bytes", max_body_bytes, low=1)
        self._webhook = (
            secret
            if isinstance(secret, Webhook)
            else Webhook._build(secret, DEFAULT_TOLERANCE, None)
        )
        if store is None:
            store = MemoryDedupeStore()
        for method in ("claim", "complete", "release"):
            if not callable(getattr(store, method, None)):
                raise InvalidParameterError(
                    f"store must have claim, complete and release methods (a DedupeStore), "
                    f"got {type(store).__name__}",
                    param="store",
                )
        self._store = store

    def refuse_length(self, declared: str | int | None) -> Answer | None:
        """The 413 to send, before reading the body, when its declared length is over the bound.

        ``declared`` is the Content-Length as the framework gives it; absent or not a number,
        nothing is refused here (the bounded read and ``accept`` still hold the line).
        """
        try:
            length = None if declared is None else int(declared)
        except ValueError:
            return None
        return self._too_large() if length is not None and length > self.max_body_bytes else None

    def _too_large(self) -> Answer:
        return Answer(
            413,
            {
                "error": "payload_too_large",
                "message": f"a webhook delivery must be at most {self.max_body_bytes} bytes",
            },
        )

    def accept(self, body: bytes, signature: str | None) -> Event | Answer:
        """The Event to hand to the view (its id now claimed), or the answer to send instead.

        ``body`` is what was read, at most ``max_body_bytes + 1`` bytes: one byte more than
        the bound says the delivery is too large (413), without verifying or claiming it.
        """
        if len(body) > self.max_body_bytes:
            return self._too_large()
        try:
            event = self._webhook.construct_event(body, signature)
        except SignatureVerificationError as error:
            return Answer(
                400,
                {
                    "error": "signature_verification_failed",
                    "reason": error.reason,
                    "message": str(error),
                },
            )
        except InvalidParameterError:
            raise
        except ValueError as error:  # authentic, but not an Event
            return Answer(400, {"error": "invalid_event", "message": str(error)})
        state: object = self._store.claim(event.id)
        if state == "claimed":
            return event
        if state == "done":
            return Answer(200, {"status": "duplicate", "event": event.id})
        if state == "in_progress":
            return Answer(
                409,
                {
                    "error": "event_in_progress",
                    "event": event.id,
                    "message": "another delivery of this event is being handled; retry later",
                },
            )
        raise InvalidParameterError(
            f"store.claim() must return 'claimed', 'in_progress' or 'done', got {state!r}",
            param="store",
        )

    @contextmanager
    def handling(self, event: Event) -> Generator[Settlement]:
        """Run the view inside: its id is completed if it acknowledged, else released."""
        settlement = Settlement()
        try:
            yield settlement
        except BaseException:  # cancelled and interrupted too: never leave a claim behind
            self._store.release(event.id)
            raise
        if settlement.acknowledged:
            self._store.complete(event.id)
        else:
            self._store.release(event.id)
