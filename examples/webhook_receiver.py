"""A ChargeAPI webhook receiver on the standard library: verify, dedupe by event id, acknowledge.

    CHARGEAPI_WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py --port 8000

Each delivery is verified with ``chargeapi.Webhook.construct_event`` against the raw body: a
forged, tampered or stale one gets 400. An event id already accepted gets 200 and is not
handled again (ChargeAPI may deliver an event more than once). A new event is handled first and
acknowledged after: if handling raises, the answer is 500, the id is not recorded, and ChargeAPI
delivers it again later. During a secret rotation, set CHARGEAPI_WEBHOOK_SECRET to both secrets,
comma-separated. In production, put it behind your HTTPS reverse proxy.

Without CHARGEAPI_WEBHOOK_SECRET it runs an offline demo instead: it signs deliveries with
``chargeapi.testing.sign_webhook`` and posts them to itself (a valid one, the same one again,
a tampered one). Tests build a ``WebhookReceiver`` directly and post to ``receiver.url``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

import chargeapi

log = logging.getLogger("webhook_receiver")

MAX_BODY = 1024 * 1024  # an event is a few KiB; anything this large is refused unread


class WebhookReceiver:
    """An HTTP server (127.0.0.1 by default) that accepts signed ChargeAPI deliveries at ``path``.

    ``handle(event)`` runs once per event id, one delivery at a time; ``events`` lists the
    accepted events in order. ``clock`` replaces the wall clock for the timestamp check (for a
    simulator's test clock, pass ``sim.now``). The ids seen live in memory here; a real app
    records them in its database, in the same transaction as the handling.
    """

    def __init__(
        self,
        secret: str | Sequence[str],
        handle: Callable[[chargeapi.Event], None],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/webhooks",
        tolerance: float = 300,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = path
        self.events: list[chargeapi.Event] = []
        self._secret = secret
        self._handle = handle
        self._tolerance = tolerance
        self._clock = clock
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    def accept(self, body: bytes, signature: str | None) -> tuple[int, str]:
        """The answer to one delivery, as (HTTP status, reason): verify, dedupe, handle."""
        try:
            event = chargeapi.Webhook.construct_event(
                body,
                signature,
                self._secret,
                self._tolerance,
                now=self._clock() if self._clock else None,
            )
        except chargeapi.SignatureVerificationError as error:
            log.warning("refused a delivery: %s", error)
            return 400, "signature verification failed"
        except ValueError as error:  # authentic, but not an Event this SDK can read
            log.warning("refused a delivery: %s", error)
            return 400, "not an event"
        with self._lock:  # a duplicate arriving mid-handling waits here, then counts as seen
            if event.id in self._seen:
                return 200, "duplicate"
            try:
                self._handle(event)
            except Exception:
                log.exception(
                    "handling %s failed: answering 500 so it is delivered again", event.id
                )
                return 500, "handler failed"
            self._seen.add(event.id)
            self.events.append(event)
        return 200, "accepted"

    def start(self) -> Self:
        """Serve from a background thread (tests, the demo)."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # close() waits for one poll
            name="webhook-receiver",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if urlsplit(self.path).path != receiver.path:
                self._answer(404, "not found")
                return
            length = self.headers.get("Content-Length", "")
            if not length.isdigit():
                self._answer(411, "Content-Length required")
                return
            if int(length) > MAX_BODY:
                self._answer(413, "body too large")
                return
            body = self.rfile.read(int(length))  # the raw bytes: exactly what was signed
            if len(body) != int(length):
                self._answer(400, "body shorter than its Content-Length")
                return
            self._answer(*receiver.accept(body, self.headers.get("Charge-Signature")))

        def _answer(self, status: int, message: str) -> None:
            content = json.dumps({"message": message}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s " + format, self.address_string(), *args)

    return Handler


def print_event(event: chargeapi.Event) -> None:
    """A stand-in handler: say what happened to which object."""
    obj = event.data.object
    if isinstance(obj, dict):  # no model for it, or another API version's shape
        about = f"{obj.get('object')} {obj.get('id')}"
    else:
        about = f"{getattr(obj, 'object', '')} {getattr(obj, 'id', '')}"
    print(f"{event.type} {event.id}: {about}")


# The charge.succeeded event a ChargeAPI delivery carries (API reference, sections 6 and 7.13).
SAMPLE_EVENT: dict[str, Any] = {
    "id": "evt_11R9a6NUWsRmOW3RM41L6nFOS1ekDGHo",
    "object": "event",
    "api_version": "2026-03-01",
    "created": "2026-03-03T14:05:23.789Z",
    "data": {
        "object": {
            "id": "txn_Bn4hF4izCWt29CHG1jijO5YobJKdy8Of",
            "object": "transaction",
            "amount": 1842,
            "charging_session": "cs_JOfFUrmbtCNKK0fA5OAuGy18dxlrNSp8",
            "currency": "eur",
            "status": "succeeded",
            "type": "charge",
        },
        "previous_attributes": None,
    },
    "livemode": False,
    "pending_webhooks": 1,
    "request": {"id": None, "idempotency_key": None},
    "type": "charge.succeeded",
}


def demo() -> None:
    """Post a valid, a duplicate and a tampered delivery to a receiver on a free local port."""
    from chargeapi.testing import sign_webhook

    print("CHARGEAPI_WEBHOOK_SECRET is not set: signing demo deliveries.", file=sys.stderr)
    secret = "whsec_" + os.urandom(16).hex()  # a throwaway secret for this run
    body = json.dumps(SAMPLE_EVENT, separators=(",", ":")).encode()
    header = {"Charge-Signature": sign_webhook(body, secret), "Content-Type": "application/json"}
    deliveries = [
        ("valid", body),
        ("duplicate", body),
        ("tampered", body.replace(b'"amount":1842', b'"amount":1')),
    ]
    with WebhookReceiver(secret, print_event) as receiver, httpx.Client(trust_env=False) as http:
        for label, content in deliveries:
            answer = http.post(receiver.url, content=content, headers=header, timeout=10)
            print(f"{label} delivery: {answer.status_code} {answer.json()['message']}")
        print(f"Events handled: {len(receiver.events)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Receive ChargeAPI webhooks (see the docstring).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--path", default="/webhooks", help="the endpoint's URL path")
    args = parser.parse_args(argv)
    secrets = [s.strip() for s in os.environ.get("CHARGEAPI_WEBHOOK_SECRET", "").split(",")]
    if not any(secrets):
        demo()
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    receiver = WebhookReceiver(
        [s for s in secrets if s], print_event, host=args.host, port=args.port, path=args.path
    )
    print(f"Receiving ChargeAPI webhooks at {receiver.url} (Ctrl-C to stop)", file=sys.stderr)
    try:
        receiver.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.close()


if __name__ == "__main__":
    main()
