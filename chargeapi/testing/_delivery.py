"""Webhook delivery: the simulator POSTs the events it records to its webhook endpoints.

Each recorded event goes to every endpoint whose `status` is `enabled` and whose
`enabled_events` list its type (or `*`): a POST of the Event's JSON, `Content-Type:
application/json`, `Charge-Signature` signed with the endpoint's `secret` at the test clock's
time by `sign_webhook` (the one signer). Where the docs are silent (their retry policy is cut):

* Only loopback `http://` URLs are contacted (hosts in 127.0.0.0/8, `::1`, `localhost`); any
  other delivery is recorded as `skipped` with the reason and never sent, so a test can never
  POST to the internet (the seeded endpoint, `https://example.com/...`, is always skipped).
* 200, 201, 202 and 204 acknowledge; anything else, including a redirect, a connection error or
  no answer within the timeout (5 s), is a failure, retried `RETRY_SCHEDULE` seconds after the
  failed attempt, on the test clock: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then given up.
* `pending_webhooks` counts the deliveries of the event still to make: planned and not yet
  acknowledged or given up (skipped ones never count). The body carries the value at the time
  of the attempt.
* A retry to an endpoint disabled (or gone) since is not sent: recorded as `skipped`.

The simulator plans deliveries under its lock (`Outbox.collect`, `take_due`, `finish`) and
sends them outside it (`Send.post`), so a receiver may call the simulator while it answers.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any, Literal, TypeGuard
from urllib.parse import urlsplit

from chargeapi.testing._seed import JSON
from chargeapi.testing._store import API_VERSION, Store
from chargeapi.testing._time import format_timestamp, to_datetime
from chargeapi.testing._webhooks import sign_webhook

__all__ = [
    "DEFAULT_TIMEOUT",
    "RETRY_SCHEDULE",
    "Delivery",
    "Outbox",
    "Send",
    "check_timeout",
    "register_endpoint",
    "undeliverable",
]

DEFAULT_TIMEOUT = 5.0  # seconds to wait for an endpoint's answer (real time)
RETRY_SCHEDULE = (60, 300, 1800, 7200, 18000, 36000)  # seconds after each failed attempt
ACKNOWLEDGED = frozenset({200, 201, 202, 204})
USER_AGENT = "chargeapi-simulator"
MAX_ANSWER = 64 * 1024  # bytes of an endpoint's answer read (and ignored)

Outcome = Literal["succeeded", "failed", "given_up", "skipped"]


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt of an event to an endpoint, or one that was skipped.

    `outcome` is `succeeded` (acknowledged), `failed` (retried at `next_attempt`), `given_up`
    (the last attempt failed) or `skipped` (not sent: `error` says why; `attempt` is the
    attempt not made, 0 for a URL that is never contacted). `status` is the endpoint's HTTP
    answer, None when there was none; `error` says why there was none. `at` is the test
    clock's time of the attempt.
    """

    endpoint: str
    url: str
    event: str
    event_type: str
    attempt: int
    at: datetime
    outcome: Outcome
    status: int | None = None
    error: str | None = None
    next_attempt: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        data["next_attempt"] = None if self.next_attempt is None else self.next_attempt.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Delivery:
        """The inverse of `to_dict` (the control API's JSON)."""
        following = data["next_attempt"]
        fields: dict[str, Any] = {
            **data,
            "at": datetime.fromisoformat(data["at"]),
            "next_attempt": None if following is None else datetime.fromisoformat(following),
        }
        return cls(**fields)


def undeliverable(url: object) -> str | None:
    """Why the simulator will not contact `url`, or None for a loopback `http://` URL."""
    if not isinstance(url, str):
        return "the URL is not a string"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "the URL is not valid"
    if parts.scheme != "http":
        return (
            "not an http:// URL: the simulator delivers only to loopback http:// URLs "
            "(127.0.0.0/8, ::1, localhost) and never contacts any other"
        )
    host = parts.hostname or ""
    if host == "localhost" or _loopback_ip(host):
        return None
    return (
        f"{host or 'no host'} is not a loopback host: the simulator delivers only to "
        "127.0.0.0/8, ::1 and localhost, and never contacts any other"
    )


def _loopback_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name other than localhost: never resolved
    if isinstance(address, ipaddress.IPv4Address):
        return address in ipaddress.IPv4Network("127.0.0.0/8")
    return address == ipaddress.IPv6Address("::1")


def check_timeout(timeout: object) -> float:
    """`Simulator(webhook_timeout=...)`: seconds to wait for an endpoint's answer."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 60:
        raise ValueError(f"webhook_timeout must be a number of seconds in (0, 60], got {timeout!r}")
    return float(timeout)


def _is_sequence(value: object) -> TypeGuard[list[Any] | tuple[Any, ...]]:
    return isinstance(value, list | tuple)


def register_endpoint(
    store: Store,
    url: object,
    enabled_events: object,
    *,
    secret: object,
    status: object,
    description: object,
) -> JSON:
    """Store a webhook endpoint at any http(s) URL (`Simulator.webhook_endpoint`), no event."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"url must be an http:// or https:// URL, got {url!r}")
    if (
        not _is_sequence(enabled_events)
        or not enabled_events
        or not all(isinstance(e, str) and e for e in enabled_events)
    ):
        raise ValueError(
            "enabled_events must be a non-empty list of event types (e.g. "
            f"['charge.succeeded'], or ['*'] for all), got {enabled_events!r}"
        )
    if secret is not None and (not isinstance(secret, str) or not secret):
        raise ValueError("secret must be a non-empty str (or None for a new whsec_...)")
    if status not in ("enabled", "disabled"):
        raise ValueError(f"status must be 'enabled' or 'disabled', got {status!r}")
    if description is not None and not isinstance(description, str):
        raise ValueError(f"description must be a str or None, got {description!r}")
    return store.insert(
        "webhook_endpoint",
        {
            "id": store.new_id("webhook_endpoint"),
            "object": "webhook_endpoint",
            "api_version": API_VERSION,
            "application": None,
            "created": format_timestamp(store.now),
            "description": description,
            "enabled_events": list(enabled_events),
            "livemode": False,
            "metadata": {},
            "secret": store.new_token("whsec_") if secret is None else secret,
            "status": status,
            "url": url,
        },
    )


def subscribed(endpoint: JSON, event_type: str) -> bool:
    """Whether an endpoint receives events of this type now."""
    events = endpoint.get("enabled_events")
    if endpoint.get("status") != "enabled" or not isinstance(events, list):
        return False
    return event_type in events or "*" in events


@dataclass
class _Task:
    """A delivery still to make: its next attempt and when it is due (test clock)."""

    event: JSON  # the stored event: its pending_webhooks changes as deliveries finish
    endpoint: str
    url: str
    attempt: int
    due: Fraction
    order: int


@dataclass(frozen=True)
class Send:
    """One attempt ready to go: the exact bytes and headers, signed under the lock."""

    task: _Task
    body: bytes
    headers: dict[str, str]
    at: Fraction

    def post(self, timeout: float) -> tuple[int | None, str | None]:
        """POST it (no lock held): the HTTP status, or None and why there was none.

        Plain `http.client` to exactly this loopback host and port: no proxy from the
        environment, no redirect followed, no TLS set up (it is never used)."""
        parts = urlsplit(self.task.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(
            parts.hostname or "", parts.port or 80, timeout=timeout
        )
        try:
            connection.request("POST", target, body=self.body, headers=self.headers)
            response = connection.getresponse()
            response.read(MAX_ANSWER)
        except TimeoutError:
            return None, f"no answer within {timeout:g} s"
        except Exception as error:  # whatever stops a delivery is the endpoint's failure
            return None, f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        return response.status, None


class Outbox:
    """The deliveries a simulator has planned and made; reset with its store."""

    def __init__(self, log_limit: int) -> None:
        # The most recent attempts and skips; older ones are forgotten (bounded memory).
        self.log: deque[Delivery] = deque(maxlen=log_limit)
        self.waiting: list[_Task] = []  # deliveries still to make, first attempts and retries
        self._order = 0

    # -- under the simulator's lock -----------------------------------------------------------

    def collect(self, store: Store) -> None:
        """Plan deliveries of the events recorded since the last call."""
        for event in store.unplanned:
            event["pending_webhooks"], _ = self.plan(store, event)
        store.unplanned.clear()

    def plan(self, store: Store, event: JSON) -> tuple[int, list[Delivery]]:
        """Plan one delivery of `event` to each endpoint subscribed to it, due now; record the
        skipped ones. Returns how many will be made, and the skipped ones."""
        planned = 0
        skipped: list[Delivery] = []
        for endpoint in store.objects("webhook_endpoint").values():
            if not subscribed(endpoint, event["type"]):
                continue
            reason = undeliverable(endpoint.get("url"))
            if reason is not None:
                url = str(endpoint.get("url"))
                task = _Task(event, endpoint["id"], url, 0, store.now, -1)
                skipped.append(self._skip(task, reason))
                continue
            self.waiting.append(
                _Task(event, endpoint["id"], endpoint["url"], 1, store.now, self._order)
            )
            self._order += 1
            planned += 1
        return planned, skipped

    def redeliver(self, store: Store, event_id: object) -> list[Delivery]:
        """Plan a recorded event's delivery again, due now; returns the skipped ones."""
        self.collect(store)
        event = next((e for e in store.events if e["id"] == event_id), None)
        if event is None:
            raise ValueError(
                f"event_id {event_id!r} is not an event this simulator recorded "
                f"(it keeps the last {store.events.maxlen})"
            )
        planned, skipped = self.plan(store, event)
        event["pending_webhooks"] += planned
        return skipped

    def next_due(self, after: Fraction, until: Fraction) -> Fraction | None:
        """The earliest attempt due in (`after`, `until`]."""
        return min((t.due for t in self.waiting if after < t.due <= until), default=None)

    def any_due(self, now: Fraction) -> bool:
        """Whether an attempt is due (and not yet taken) at `now`."""
        return any(t.due <= now for t in self.waiting)

    def take_due(self, store: Store) -> list[Send]:
        """The attempts due now, signed and removed from `waiting` (so each is sent once)."""
        now = store.now
        due = sorted((t for t in self.waiting if t.due <= now), key=lambda t: (t.due, t.order))
        if not due:
            return []
        self.waiting = [t for t in self.waiting if t.due > now]
        sends: list[Any] = []
        for task in due:
            endpoint = store.get("webhook_endpoint", task.endpoint) or {}
            secret = endpoint.get("secret")
            if endpoint.get("status") != "enabled" or not isinstance(secret, str) or not secret:
                task.event["pending_webhooks"] -= 1
                task.due = now
                self._skip(task, "the endpoint was disabled (or lost its secret) since then")
                continue
            body = json.dumps(task.event, separators=(",", ":")).encode()
            signature = sign_webhook(body, secret, timestamp=to_datetime(now))
            headers = {
                "Content-Type": "application/json",
                "Charge-Signature": signature,
                "User-Agent": USER_AGENT,
            }
            sends.append(Send(task, body, headers, now))
        return sends

    def finish(self, send: Send, status: int | None, error: str | None) -> Delivery:
        """Record an attempt's outcome; schedule the retry of a failure, or give up."""
        task = send.task
        next_attempt = None
        outcome: Outcome
        if status in ACKNOWLEDGED:
            outcome = "succeeded"
        elif task.attempt > len(RETRY_SCHEDULE):
            outcome = "given_up"
        else:
            outcome = "failed"
            due = send.at + RETRY_SCHEDULE[task.attempt - 1]
            self.waiting.append(
                _Task(task.event, task.endpoint, task.url, task.attempt + 1, due, task.order)
            )
            next_attempt = to_datetime(due)
        if outcome != "failed":
            task.event["pending_webhooks"] -= 1
        delivery = Delivery(
            endpoint=task.endpoint,
            url=task.url,
            event=task.event["id"],
            event_type=task.event["type"],
            attempt=task.attempt,
            at=to_datetime(send.at),
            outcome=outcome,
            status=status,
            error=error,
            next_attempt=next_attempt,
        )
        self.log.append(delivery)
        return delivery

    def _skip(self, task: _Task, reason: str) -> Delivery:
        skipped = Delivery(
            endpoint=task.endpoint,
            url=task.url,
            event=task.event["id"],
            event_type=task.event["type"],
            attempt=task.attempt,
            at=to_datetime(task.due),
            outcome="skipped",
            error=reason,
        )
        self.log.append(skipped)
        return skipped
