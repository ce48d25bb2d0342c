"""The framework adapters (chargeapi.integrations.*): verify, decode, deduplicate and refuse.

Every behaviour runs on the three frameworks, each driven by its own test client (FastAPI's
TestClient, Flask's test_client, Django's test Client with CSRF checks on). Deliveries are
signed here by hand with ``hmac``, never by the code under test. No ``from __future__ import
annotations`` here: FastAPI reads the routes' annotations, which name local dependencies.
"""

import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Protocol

import flask
import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client as DjangoClient
from django.test.utils import override_settings
from django.urls import path
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.testclient import TestClient
from werkzeug.test import EnvironBuilder

import chargeapi
from chargeapi import Event
from chargeapi.integrations import DedupeStore, MemoryDedupeStore
from chargeapi.integrations.django import webhook_view as django_webhook_view
from chargeapi.integrations.fastapi import webhook_event
from chargeapi.integrations.flask import webhook_view as flask_webhook_view

from .conftest import SEED_RESPONSE
from .django_settings import configure as configure_django

configure_django()  # before the first request; each test sets its own ROOT_URLCONF

SECRET = "whsec_b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA"
EVENT_ID = "evt_11R9a6NUWsRmOW3RM41L6nFOS1ekDGHo"
FRAMEWORKS = ["fastapi", "flask", "django"]


def event_body(event_id: str = EVENT_ID) -> bytes:
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2026-03-01",
        "created": "2026-04-01T03:27:23.812Z",
        "data": {"object": SEED_RESPONSE},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "charging_session.updated",
    }
    return json.dumps(event, separators=(",", ":")).encode()


def signed(body: bytes, *, secret: str = SECRET, at: datetime | None = None) -> str:
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    stamp = f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


# -- one harness per framework: post(body, signature) -> (status, JSON body) --------------------


class Post(Protocol):
    """Deliver ``body``; ``declared`` is a Content-Length to send instead of its true length."""

    def __call__(
        self, body: bytes, signature: str | None, /, *, declared: int | None = None
    ) -> tuple[int, Any]: ...


# The view's work: it records the event, may raise, and may ask for a non-2xx answer.
Handle = Callable[[Event], "int | None"]


@contextmanager
def fastapi_app(
    secret: Any, store: DedupeStore | None, handle: Handle, **options: Any
) -> Iterator[Post]:
    app = FastAPI()
    ChargeEvent = Annotated[Event, Depends(webhook_event(secret, store=store, **options))]

    @app.post("/webhooks")
    def receive(event: ChargeEvent) -> dict[str, str]:
        status = handle(event)
        if status is not None:
            raise HTTPException(status_code=status)  # how a FastAPI route asks for a retry
        return {"handled": event.id}

    with TestClient(app, raise_server_exceptions=False) as client:

        def post(
            body: bytes, signature: str | None, /, *, declared: int | None = None
        ) -> tuple[int, Any]:
            headers = {"Content-Type": "application/json"}
            if signature is not None:
                headers["Charge-Signature"] = signature
            if declared is not None:
                headers["Content-Length"] = str(declared)  # httpx sends it as given
            answer = client.post("/webhooks", content=body, headers=headers)
            shown = (
                answer.json()
                if answer.headers.get("content-type") == "application/json"
                else answer.text
            )
            # FastAPI puts an HTTPException's body under "detail"; the other two send it as is.
            return answer.status_code, shown["detail"] if isinstance(
                shown, dict
            ) and "detail" in shown else shown

        yield post


@contextmanager
def flask_app(
    secret: Any, store: DedupeStore | None, handle: Handle, **options: Any
) -> Iterator[Post]:
    app = flask.Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a view that raises is a 500, as in production

    @app.post("/webhooks")
    @flask_webhook_view(secret, store=store, **options)
    def receive(event: Event) -> flask.typing.ResponseReturnValue | None:
        status = handle(event)
        return None if status is None else ("", status)

    client = app.test_client()

    def post(
        body: bytes, signature: str | None, /, *, declared: int | None = None
    ) -> tuple[int, Any]:
        headers = {} if signature is None else {"Charge-Signature": signature}
        answer = client.post(
            "/webhooks",
            data=body,
            headers=headers,
            content_type="application/json",
            environ_overrides={} if declared is None else {"CONTENT_LENGTH": str(declared)},
        )
        return answer.status_code, answer.get_json(silent=True) or answer.get_data(as_text=True)

    yield post


class URLConf:
    """A ROOT_URLCONF made in a test (Django accepts any object with ``urlpatterns``)."""

    def __init__(self, *patterns: Any) -> None:
        self.urlpatterns = list(patterns)


@contextmanager
def django_app(
    secret: Any, store: DedupeStore | None, handle: Handle, **options: Any
) -> Iterator[Post]:
    @django_webhook_view(secret, store=store, **options)
    def receive(request: HttpRequest, event: Event) -> HttpResponseBase | None:
        status = handle(event)
        return None if status is None else HttpResponse(status=status)

    with override_settings(ROOT_URLCONF=URLConf(path("webhooks", receive))):
        # CSRF checks on, as for a browser: the adapter's view is exempt, not the test client.
        client = DjangoClient(enforce_csrf_checks=True, raise_request_exception=False)

        def post(
            body: bytes, signature: str | None, /, *, declared: int | None = None
        ) -> tuple[int, Any]:
            headers = {} if signature is None else {"Charge-Signature": signature}
            wire = {} if declared is None else {"CONTENT_LENGTH": str(declared)}
            answer = client.post(
                "/webhooks",
                data=body,
                content_type="application/json",
                headers=headers,
                **wire,  # type: ignore[arg-type]
            )
            is_json = answer.headers.get("Content-Type") == "application/json"
            return answer.status_code, json.loads(answer.content) if is_json else answer.content

        yield post


APPS = {"fastapi": fastapi_app, "flask": flask_app, "django": django_app}


class Recorder:
    """The view's side: the events it got, and failures to inject."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.raise_next = 0
        self.answer_next: int | None = None

    def __call__(self, event: Event) -> int | None:
        self.events.append(event)
        if self.raise_next:
            self.raise_next -= 1
            raise RuntimeError("database unavailable")
        status, self.answer_next = self.answer_next, None
        return status


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def view() -> Recorder:
    return Recorder()


@pytest.fixture
def store() -> MemoryDedupeStore:
    return MemoryDedupeStore()


@pytest.fixture
def post(framework: str, view: Recorder, store: MemoryDedupeStore) -> Iterator[Post]:
    with APPS[framework](SECRET, store, view) as deliver:
        yield deliver


# -- a valid delivery --------------------------------------------------------------------------


def test_a_valid_delivery_reaches_the_view_as_a_typed_event(post: Post, view: Recorder) -> None:
    body = event_body()

    status, _ = post(body, signed(body))

    assert status == 200
    [event] = view.events
    assert isinstance(event, Event)
    assert event.id == EVENT_ID
    assert event.type == "charging_session.updated"
    assert event.created == datetime(2026, 4, 1, 3, 27, 23, 812000, tzinfo=UTC)
    assert isinstance(event.data.object, chargeapi.ChargingSession)
    assert event.data.object.amount_due == 1842


@pytest.mark.parametrize("framework", ["flask", "django"])  # a FastAPI route's value is its answer
def test_a_view_that_returns_nothing_answers_accepted(framework: str) -> None:
    body = event_body()

    with APPS[framework](SECRET, None, Recorder()) as post:
        assert post(body, signed(body)) == (200, {"status": "accepted", "event": EVENT_ID})


def test_a_secret_with_a_trailing_newline_verifies(framework: str, view: Recorder) -> None:
    body = event_body()

    with APPS[framework](SECRET + "\n", None, view) as post:
        status, _ = post(body, signed(body))

    assert status == 200
    assert [e.id for e in view.events] == [EVENT_ID]


def test_a_webhook_instance_brings_its_clock_and_tolerance(framework: str, view: Recorder) -> None:
    # A simulator's deliveries are signed at its test clock: the receiver checks against it.
    then = datetime(2026, 4, 1, 3, 27, 24, tzinfo=UTC)
    webhook = chargeapi.Webhook(SECRET, tolerance=5, clock=lambda: then)
    body = event_body()

    with APPS[framework](webhook, None, view) as post:
        assert post(body, signed(body, at=then - timedelta(seconds=4)))[0] == 200
        late = event_body("evt_LateEventXXXXXXXXXXXXXXXXXXXXXXXX")
        status, answer = post(late, signed(late, at=then - timedelta(seconds=6)))

    assert status == 400
    assert answer["reason"] == "timestamp_outside_tolerance"
    assert [e.id for e in view.events] == [EVENT_ID]


# -- deduplication -----------------------------------------------------------------------------


def test_a_duplicate_is_acknowledged_without_reaching_the_view_again(
    post: Post, view: Recorder
) -> None:
    body = event_body()

    first = post(body, signed(body))
    again = post(body, signed(body))
    # Redelivered later, with a fresh signature: still the same event.
    resigned = post(body, signed(body, at=datetime.now(UTC) - timedelta(seconds=30)))

    assert first[0] == 200
    assert again == (200, {"status": "duplicate", "event": EVENT_ID})
    assert resigned == again
    assert len(view.events) == 1


def test_other_events_each_reach_the_view(post: Post, view: Recorder) -> None:
    ids = [EVENT_ID, "evt_0therEventIdXXXXXXXXXXXXXXXXXXXX", "evt_ThirdEventIdXXXXXXXXXXXXXXXXXXX"]
    for event_id in ids:
        body = event_body(event_id)
        assert post(body, signed(body))[0] == 200

    assert [e.id for e in view.events] == ids


def test_a_view_that_raises_leaves_the_event_retryable(post: Post, view: Recorder) -> None:
    body = event_body()
    view.raise_next = 1

    failed = post(body, signed(body))
    retried = post(body, signed(body))
    duplicate = post(body, signed(body))

    assert failed[0] == 500
    assert retried[0] == 200
    assert duplicate == (200, {"status": "duplicate", "event": EVENT_ID})
    assert [e.id for e in view.events] == [EVENT_ID, EVENT_ID]  # the retry ran the view again


def test_a_view_that_answers_non_2xx_leaves_the_event_retryable(
    post: Post, view: Recorder, store: MemoryDedupeStore
) -> None:
    body = event_body()
    view.answer_next = 503

    assert post(body, signed(body))[0] == 503
    assert len(store) == 0
    assert post(body, signed(body))[0] == 200
    assert len(view.events) == 2
    assert len(store) == 1


def test_an_event_another_delivery_is_handling_gets_409_and_is_not_handled(
    post: Post, view: Recorder, store: MemoryDedupeStore
) -> None:
    body = event_body()
    assert store.claim(EVENT_ID) == "claimed"  # a delivery of the same event, in progress

    status, answer = post(body, signed(body))

    assert status == 409
    assert answer["error"] == "event_in_progress"
    assert view.events == []
    store.release(EVENT_ID)  # that delivery failed: the sender's retry is handled
    assert post(body, signed(body))[0] == 200
    assert len(view.events) == 1


def test_concurrent_deliveries_of_one_event_reach_the_view_once(framework: str) -> None:
    started, go_on = threading.Event(), threading.Event()
    events: list[Event] = []

    def slow(event: Event) -> None:
        events.append(event)
        started.set()
        assert go_on.wait(10)

    body = event_body()
    answers: list[tuple[int, Any]] = []
    with APPS[framework](SECRET, None, slow) as post:
        first = threading.Thread(target=lambda: answers.append(post(body, signed(body))))
        first.start()
        assert started.wait(10)
        second = post(body, signed(body))  # while the first is in the view
        go_on.set()
        first.join(10)
        third = post(body, signed(body))

    assert second[0] == 409
    assert answers[0][0] == 200
    assert third == (200, {"status": "duplicate", "event": EVENT_ID})
    assert len(events) == 1


# -- refusals: 400, naming the failed check ---------------------------------------------------


@pytest.mark.parametrize(
    ("delivery", "reason"),
    [
        ("tampered", "no_matching_signature"),
        ("wrong-secret", "no_matching_signature"),
        ("re-serialised", "no_matching_signature"),
        ("stale", "timestamp_outside_tolerance"),
        ("future", "timestamp_outside_tolerance"),
        ("missing", "header_missing"),
        ("malformed", "header_malformed"),
    ],
)
def test_a_delivery_that_does_not_verify_gets_400_naming_the_check(
    delivery: str, reason: str, post: Post, view: Recorder, store: MemoryDedupeStore
) -> None:
    body = event_body()
    now = datetime.now(UTC)
    payload, signature = {
        "tampered": (body.replace(b'"livemode":false', b'"livemode":true '), signed(body)),
        "wrong-secret": (body, signed(body, secret="whsec_NotThisEndpoints000000000000")),
        "re-serialised": (json.dumps(json.loads(body), indent=2).encode(), signed(body)),
        "stale": (body, signed(body, at=now - timedelta(minutes=10))),
        "future": (body, signed(body, at=now + timedelta(minutes=10))),
        "missing": (body, None),
        "malformed": (body, "t=yesterday,v1=abc"),
    }[delivery]

    status, answer = post(payload, signature)

    assert status == 400
    assert answer["error"] == "signature_verification_failed"
    assert answer["reason"] == reason
    assert answer["message"]
    assert SECRET not in json.dumps(answer)
    assert view.events == []
    assert store.claim(EVENT_ID) == "claimed"  # a refused delivery claims nothing


def test_an_authentic_payload_that_is_no_event_gets_400(post: Post, view: Recorder) -> None:
    body = b'{"id": "evt_x", "object": "event"}'

    status, answer = post(body, signed(body))

    assert status == 400
    assert answer["error"] == "invalid_event"
    assert view.events == []


# -- the body's bound: 413, before the signature is checked -------------------------------------

ONE_MIB = 1_048_576  # the documented default max_body_bytes


def padded(size: int) -> bytes:
    """The event, as JSON with trailing spaces (still the same event), ``size`` bytes long."""
    body = event_body()
    assert len(body) <= size
    return body + b" " * (size - len(body))


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("limit", "over"), [(None, ONE_MIB + 1), (2000, 2001)])
def test_a_delivery_one_byte_over_the_bound_gets_413_and_claims_nothing(
    framework: str, limit: int | None, over: int, view: Recorder, store: MemoryDedupeStore
) -> None:
    body = padded(over)
    options = {} if limit is None else {"max_body_bytes": limit}

    with APPS[framework](SECRET, store, view, **options) as post:
        status, answer = post(body, signed(body))

    assert status == 413
    assert answer == {
        "error": "payload_too_large",
        "message": f"a webhook delivery must be at most {over - 1} bytes",
    }
    assert view.events == []
    assert len(store) == 0
    assert store.claim(EVENT_ID) == "claimed"  # nothing was claimed, nor left in progress


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("limit", "size"), [(None, ONE_MIB), (2000, 2000)])
def test_a_delivery_exactly_at_the_bound_is_handled(
    framework: str, limit: int | None, size: int, view: Recorder, store: MemoryDedupeStore
) -> None:
    body = padded(size)
    options = {} if limit is None else {"max_body_bytes": limit}

    with APPS[framework](SECRET, store, view, **options) as post:
        status, _ = post(body, signed(body))

    assert status == 200
    assert [e.id for e in view.events] == [EVENT_ID]
    assert len(store) == 1


def test_a_declared_length_over_the_bound_is_refused_before_the_body_is_read(
    post: Post, view: Recorder, store: MemoryDedupeStore
) -> None:
    # The body itself is small: only its Content-Length, read before the body, is over 1 MiB.
    body = event_body()

    status, answer = post(body, signed(body), declared=ONE_MIB + 1)

    assert status == 413
    assert answer["error"] == "payload_too_large"
    assert view.events == []
    assert store.claim(EVENT_ID) == "claimed"


def test_fastapi_refuses_a_chunked_body_over_the_bound() -> None:
    app = FastAPI()
    seen: list[Event] = []
    wire: list[dict[str, str | None]] = []

    @app.middleware("http")
    async def record_headers(request: Request, call_next: Any) -> Any:
        wire.append({h: request.headers.get(h) for h in ("content-length", "transfer-encoding")})
        return await call_next(request)

    @app.post("/webhooks")
    def receive(
        event: Annotated[Event, Depends(webhook_event(SECRET, max_body_bytes=2000))],
    ) -> None:
        seen.append(event)

    body = padded(2001)
    with TestClient(app) as client:
        answer = client.post(
            "/webhooks",
            content=(body[i : i + 100] for i in range(0, len(body), 100)),  # chunked
            headers={"Charge-Signature": signed(body)},
        )

    assert wire == [{"content-length": None, "transfer-encoding": "chunked"}]
    assert answer.status_code == 413
    assert answer.json()["detail"]["error"] == "payload_too_large"
    assert seen == []


def test_fastapi_reads_an_endless_chunked_body_no_further_than_the_bound() -> None:
    # Straight through ASGI, one message per chunk: the test client would buffer the body first.
    app = FastAPI()

    @app.post("/webhooks")
    def receive(
        event: Annotated[Event, Depends(webhook_event(SECRET, max_body_bytes=4096))],
    ) -> None:
        raise AssertionError("an oversize delivery reached the route")

    pulled = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive_message() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > 1000:  # a client that gives up after ~1 MB
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b" " * 1024, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/webhooks",
        "raw_path": b"/webhooks",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"transfer-encoding", b"chunked"), (b"charge-signature", b"t=0,v1=0")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive_message, send))

    assert sent[0]["status"] == 413
    assert pulled == 5  # 5 KiB: the first read past 4096 bytes, and no more


def test_fastapi_routes_can_still_read_the_raw_body() -> None:
    app = FastAPI()
    seen: list[bytes] = []

    @app.post("/webhooks")
    async def receive(
        event: Annotated[Event, Depends(webhook_event(SECRET))], request: Request
    ) -> None:
        seen.append(await request.body())

    body = event_body()
    with TestClient(app) as client:
        answer = client.post("/webhooks", content=body, headers={"Charge-Signature": signed(body)})

    assert answer.status_code == 200
    assert seen == [body]


def chunked_delivery(body: bytes, signature: str) -> flask.Request:
    """What a WSGI server hands Flask for a chunked request: no CONTENT_LENGTH, and an input
    stream that the server ends at the last chunk (``wsgi.input_terminated``)."""
    environ = EnvironBuilder(
        "/webhooks", method="POST", data=body, headers=[("Charge-Signature", signature)]
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input_terminated"] = True
    return flask.Request(environ)  # sent as is (an environ dict would be rebuilt, with a length)


def test_flask_refuses_a_chunked_body_over_the_bound_reading_no_further() -> None:
    app = flask.Flask(__name__)
    seen: list[Event] = []
    wire: list[int | None] = []

    @app.post("/webhooks")
    @flask_webhook_view(SECRET, max_body_bytes=2000)
    def receive(event: Event) -> None:
        seen.append(event)

    @app.before_request
    def record_length() -> None:
        wire.append(flask.request.content_length)

    body = padded(2001) + b" " * 100_000  # a long chunked body: only 2001 bytes may be read
    delivery = chunked_delivery(body, signed(body))
    stream = delivery.environ["wsgi.input"]

    answer = app.test_client().open(delivery)

    assert "CONTENT_LENGTH" not in answer.request.environ
    assert wire == [None]
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "payload_too_large"
    assert seen == []
    assert stream.tell() == 2001


def test_flask_handles_a_chunked_body_within_the_bound() -> None:
    app = flask.Flask(__name__)
    seen: list[str] = []

    @app.post("/webhooks")
    @flask_webhook_view(SECRET)
    def receive(event: Event) -> None:
        seen.append(event.id)

    body = event_body()
    answer = app.test_client().open(chunked_delivery(body, signed(body)))

    assert answer.status_code == 200
    assert seen == [EVENT_ID]


# -- what each framework adds ---------------------------------------------------------------


def test_fastapi_sends_refusals_under_detail_and_runs_async_routes() -> None:
    app = FastAPI()
    seen: list[str] = []

    @app.post("/webhooks")
    async def receive(event: Annotated[Event, Depends(webhook_event(SECRET))]) -> None:
        seen.append(event.id)

    body = event_body()
    with TestClient(app) as client:
        refused = client.post("/webhooks", content=body)
        accepted = client.post(
            "/webhooks", content=body, headers={"Charge-Signature": signed(body)}
        )

    assert refused.status_code == 400
    assert refused.json()["detail"]["reason"] == "header_missing"
    assert accepted.status_code == 200
    assert seen == [EVENT_ID]


def test_flask_passes_url_parameters_after_the_event() -> None:
    app = flask.Flask(__name__)
    seen: list[tuple[str, str]] = []

    @app.post("/webhooks/<tenant>")
    @flask_webhook_view(SECRET)
    def receive(event: Event, tenant: str) -> tuple[str, int]:
        seen.append((event.id, tenant))
        return "", 204

    body = event_body()
    answer = app.test_client().post(
        "/webhooks/acme", data=body, headers={"Charge-Signature": signed(body)}
    )

    assert answer.status_code == 204
    assert seen == [(EVENT_ID, "acme")]


@pytest.mark.parametrize("decorator", [flask_webhook_view, django_webhook_view])
def test_async_views_are_refused_when_decorated(decorator: Callable[..., Any]) -> None:
    async def receive(*args: Any) -> None:
        return None

    with pytest.raises(chargeapi.InvalidParameterError, match="synchronous views only") as caught:
        decorator(SECRET)(receive)

    assert caught.value.param == "view"


def test_django_view_is_csrf_exempt_answers_only_post_and_passes_url_parameters() -> None:
    seen: list[tuple[str, str]] = []

    @django_webhook_view(SECRET)
    def receive(request: HttpRequest, event: Event, tenant: str) -> HttpResponse:
        seen.append((event.id, tenant))
        return HttpResponse(status=202)

    urls = URLConf(path("webhooks/<str:tenant>", receive))
    body = event_body()
    with override_settings(ROOT_URLCONF=urls):
        client = DjangoClient(enforce_csrf_checks=True)
        got = client.get("/webhooks/acme")
        posted = client.post(
            "/webhooks/acme",
            data=body,
            content_type="application/json",
            headers={"Charge-Signature": signed(body)},
        )

    assert got.status_code == 405
    assert got.headers["Allow"] == "POST"
    assert posted.status_code == 202
    assert seen == [(EVENT_ID, "acme")]
    assert getattr(receive, "csrf_exempt", False) is True


# -- arguments, and what is never shown --------------------------------------------------------


@pytest.mark.parametrize("factory", [webhook_event, flask_webhook_view, django_webhook_view])
@pytest.mark.parametrize(
    ("secret", "store", "param"),
    [
        ("", None, "secret"),
        ([SECRET, 7], None, "secret"),
        (SECRET, object(), "store"),
    ],
)
def test_bad_arguments_are_refused_at_setup_naming_them(
    factory: Callable[..., Any], secret: Any, store: Any, param: str
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        factory(secret, store=store)

    assert caught.value.param == param
    tb = caught.value.__traceback__
    shown = []
    while tb is not None:
        if tb.tb_frame.f_code.co_filename != __file__:
            shown += [repr(v) for v in tb.tb_frame.f_locals.values()]
        tb = tb.tb_next
    assert shown
    assert not [s for s in shown if "b5YszBNO5VEYUYlqK3fZ6IkhmgDQ4dLA" in s]


@pytest.mark.parametrize("factory", [webhook_event, flask_webhook_view, django_webhook_view])
@pytest.mark.parametrize("max_body_bytes", [0, -1, 1.5, True, "1048576", None])
def test_a_bad_body_bound_is_refused_at_setup_naming_it(
    factory: Callable[..., Any], max_body_bytes: Any
) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        factory(SECRET, max_body_bytes=max_body_bytes)

    assert caught.value.param == "max_body_bytes"
    assert "max_body_bytes" in str(caught.value)


def test_a_store_that_answers_nonsense_is_named(framework: str) -> None:
    class Broken:
        def claim(self, event_id: str) -> bool:
            return True

        def complete(self, event_id: str) -> None: ...
        def release(self, event_id: str) -> None: ...

    body = event_body()
    with APPS[framework](SECRET, Broken(), Recorder()) as post:  # type: ignore[arg-type]
        status, _ = post(body, signed(body))

    assert status == 500


# -- the in-memory store -------------------------------------------------------------------------


def test_the_memory_store_claims_completes_and_releases() -> None:
    store = MemoryDedupeStore()

    assert store.claim("evt_a") == "claimed"
    assert store.claim("evt_a") == "in_progress"
    store.release("evt_a")
    assert store.claim("evt_a") == "claimed"
    store.complete("evt_a")
    assert store.claim("evt_a") == "done"
    assert len(store) == 1


def test_the_memory_store_is_bounded_forgetting_the_oldest_handled_first() -> None:
    store = MemoryDedupeStore(max_events=3)
    for n in range(5):
        assert store.claim(f"evt_{n}") == "claimed"
        store.complete(f"evt_{n}")
    assert store.claim("evt_busy") == "claimed"  # in progress: never dropped

    assert len(store) == 3
    assert [store.claim(f"evt_{n}") for n in range(2, 5)] == ["done"] * 3
    assert store.claim("evt_0") == "claimed"  # forgotten: the oldest went first
    assert store.claim("evt_busy") == "in_progress"


def test_the_memory_store_gives_one_claim_among_racing_threads() -> None:
    store = MemoryDedupeStore()
    barrier = threading.Barrier(8)
    results: list[str] = []

    def race() -> None:
        barrier.wait(10)
        results.extend(store.claim(f"evt_{n}") for n in range(500))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert results.count("claimed") == 500
    assert results.count("in_progress") == 7 * 500


@pytest.mark.parametrize("max_events", [0, -1, 1.5, True, "10"])
def test_the_memory_store_refuses_a_bad_bound(max_events: Any) -> None:
    with pytest.raises(chargeapi.InvalidParameterError) as caught:
        MemoryDedupeStore(max_events)

    assert caught.value.param == "max_events"


# -- imports ------------------------------------------------------------------------------------

FRAMEWORK_MODULES = ("fastapi", "starlette", "flask", "werkzeug", "django", "fakeredis")


def loaded_after(code: str) -> list[str]:
    probe = (
        f"import json, sys; {code}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORK_MODULES!r} "
        "or m.startswith('chargeapi.integrations'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_import_chargeapi_loads_no_integration_and_no_framework() -> None:
    assert loaded_after("import chargeapi; chargeapi.Webhook") == []


def test_import_chargeapi_integrations_loads_no_framework() -> None:
    loaded = loaded_after("import chargeapi.integrations")

    assert [m for m in loaded if not m.startswith("chargeapi.")] == []


@pytest.mark.parametrize(
    ("module", "framework_module"),
    [("fastapi", "fastapi"), ("flask", "flask"), ("django", "django")],
)
def test_each_adapter_loads_only_its_own_framework(module: str, framework_module: str) -> None:
    loaded = loaded_after(f"import chargeapi.integrations.{module}")
    frameworks = {m.split(".")[0] for m in loaded if not m.startswith("chargeapi.")}

    others = {"fastapi", "flask", "django"} - {framework_module}
    assert framework_module in frameworks
    assert not frameworks & others


def test_an_adapter_without_its_framework_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['flask'] = None\n"
        "try:\n    import chargeapi.integrations.flask\n"
        "except ImportError as e:\n    print(e)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert "pip install flask" in out.stdout
