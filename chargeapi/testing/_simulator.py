"""`Simulator`: the ChargeAPI HTTP API as a pure `httpx.Request -> httpx.Response` handler.

The same `handle` serves in-process tests (`httpx.MockTransport`, sync and async) and the real
HTTP server, so both see one behaviour. Per request, in order: record it, apply the next
scripted fault, authenticate, route, apply idempotency (POST), run the endpoint, render JSON.
Requests under `/_sim/` go to the control API instead (`_control.py`): not recorded, no faults.

Idempotency, where the docs are silent (Stripe semantics): a POST's first outcome for a key -
success or an error the endpoint produced - is stored and replayed verbatim (status, body,
`Request-Id`, plus `Idempotent-Replayed: true`) to any later POST with that key, the same
method and path and the same JSON body. The same key with another path or body is a 400
`idempotency_error` / `idempotency_key_reused`. Requests rejected before an endpoint runs (auth,
routing, scripted faults) store nothing. Keys never expire within a simulator's life.

Webhooks (`_delivery.py`): in-process, the events a request or a clock step records are
delivered to the loopback webhook endpoints right after it, outside the lock, before `handle`
returns; retries fall due as `advance()` moves the clock. While it is served (`serve()`),
requests and clock steps only plan the deliveries and the server's worker (`_worker.py`) makes
them, one after another, so no API answer waits for a receiver.

The clock starts at `start` and moves only with `advance()`, unless `realtime=True`: then every
entry point first catches it up with the wall clock (a monotonic one) since the start, running
what falls due on the way, and `advance()` still jumps ahead.

Memory stays bounded: the request, event and delivery logs keep the latest `log_limit` entries.
"""

from __future__ import annotations

import copy
import json
import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import httpx

from chargeapi._exceptions import InvalidParameterError
from chargeapi.resources.charging_session import ChargingSessionCreateParams
from chargeapi.testing._control import handle_control, is_control
from chargeapi.testing._delivery import (
    DEFAULT_TIMEOUT,
    Delivery,
    Outbox,
    check_timeout,
    register_endpoint,
)
from chargeapi.testing._endpoints import Call, Endpoint, report_file
from chargeapi.testing._errors import ApiError, scripted, shown
from chargeapi.testing._faults import (
    Chaos,
    ChaosSource,
    ConnectionDropped,
    Delay,
    Drop,
    Fail,
    FaultQueue,
    retry_after_header,
)
from chargeapi.testing._render import render
from chargeapi.testing._routes import router
from chargeapi.testing._seed import JSON, is_object
from chargeapi.testing._store import IdempotencyRecord, Store
from chargeapi.testing._time import EPOCH, start_instant, to_datetime
from chargeapi.testing._worker import Worker

if TYPE_CHECKING:
    import chargeapi
    from chargeapi.testing._server import SimulatorServer

TEST_KEY_PREFIX = "ch_sk_test_"
# The test clock stops well before datetime's year 9999, so dates computed from it (a due date, an
# estimation's valid_until) still exist.
_CLOCK_LIMIT = Fraction(int((datetime(9000, 1, 1, tzinfo=UTC) - EPOCH).total_seconds()))
MAX_IDEMPOTENCY_KEY_LENGTH = 255
IDEMPOTENCY_WINDOW = Fraction(24 * 3600)  # the docs: keys expire after 24 hours
BASE_URL = "https://api.chargeapi.co"
DEFAULT_START = "2026-04-01T00:00:00Z"
DEFAULT_LOG_LIMIT = 5000
MAX_LOG_LIMIT = 10_000_000


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the simulator received it (before any fault was applied)."""

    method: str
    path: str
    url: str
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Simulator:
    """A seeded, stateful, deterministic ChargeAPI account with a test clock and faults.

    >>> sim = Simulator(seed=0)
    >>> with sim.client() as client: ...          # the SDK, talking to this simulator
    >>> sim.advance(600)                           # ten minutes of charging

    `start` is where the clock starts: `"now"`, an aware datetime or an RFC 3339 string (the
    seeded account moves with it); `realtime=True` makes the clock follow the wall clock from
    there. `log_limit` is how many of the latest requests, events and deliveries are kept.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        api_key: str = TEST_KEY_PREFIX + "simulator",
        webhook_timeout: float = DEFAULT_TIMEOUT,
        start: datetime | str = DEFAULT_START,
        realtime: bool = False,
        log_limit: int = DEFAULT_LOG_LIMIT,
    ) -> None:
        self.seed = seed
        self.api_key = api_key
        self.webhook_timeout: float = check_timeout(webhook_timeout)
        if not isinstance(realtime, bool):
            raise InvalidParameterError(
                f"realtime must be a bool, got {realtime!r}", param="realtime"
            )
        if type(log_limit) is not int or not 1 <= log_limit <= MAX_LOG_LIMIT:
            raise InvalidParameterError(
                f"log_limit must be an int from 1 to {MAX_LOG_LIMIT:,}, got {log_limit!r}",
                param="log_limit",
            )
        self._realtime = realtime
        self._log_limit = log_limit
        self._start = start
        first = start_instant(start)
        self._store = Store(seed, first, log_limit)
        # (monotonic ns, clock) at the last start or jump: the realtime clock runs from there.
        self._anchor = (time.monotonic_ns(), first)
        self._faults = FaultQueue()
        self._chaos: ChaosSource | None = None
        self._requests: deque[RecordedRequest] = deque(maxlen=log_limit)
        self._outbox = Outbox(log_limit)
        self._lock = threading.Lock()
        # Notified (under the lock) whenever a webhook attempt finishes.
        self._settled = threading.Condition(self._lock)
        self._in_flight = 0  # webhook attempts taken and not yet finished
        self._workers: list[Worker] = []  # of the servers running now: they do the sending

    @property
    def realtime(self) -> bool:
        """Whether the clock follows the wall clock (`advance()` still jumps ahead)."""
        return self._realtime

    @property
    def log_limit(self) -> int:
        """How many of the latest requests, events and deliveries are kept (each)."""
        return self._log_limit

    # -- the handler --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request; thread-safe. May raise `httpx.RemoteProtocolError` (a drop) or,
        in-process, `httpx.ReadTimeout` (a delay longer than the request's read timeout).

        The webhooks of the events it recorded are delivered before it returns or raises; while
        the simulator is served, its worker delivers them instead."""
        self._follow_wall_clock()
        try:
            return self._handle(request)
        finally:
            self._deliver_due()

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if is_control(request.url.path):
            return handle_control(self, request, body)
        with self._lock:
            self._requests.append(
                RecordedRequest(
                    request.method, request.url.path, str(request.url), request.headers.copy(), body
                )
            )
            fault = self._faults.pop(request.method, request.url.path)
            chaos = self._chaos
        if fault is None and chaos is not None:
            fault = chaos.draw(request.method, request.url.path)
        if isinstance(fault, Delay):
            timeout = _read_timeout(request)
            if timeout is not None and fault.seconds > timeout:
                # The request arrived and takes effect; only its answer is too late.
                with self._lock:
                    self._respond(request, body)
                raise httpx.ReadTimeout(
                    f"Simulated: the answer came {fault.seconds:g} s late, after the "
                    f"{timeout:g} s read timeout.",
                    request=request,
                )
            time.sleep(fault.seconds)
        if isinstance(fault, Drop) and not fault.after_processing:
            raise ConnectionDropped(request)
        with self._lock:
            if isinstance(fault, Fail):
                response = self._scripted_failure(fault)
            else:
                response = self._respond(request, body)
        if isinstance(fault, Drop):
            raise ConnectionDropped(request)
        return response

    def _respond(self, request: httpx.Request, body: bytes) -> httpx.Response:
        request_id = self._store.new_request_id()
        self._store.origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        try:
            if request.method == "GET":
                file = report_file(self._store, request.url.path)
                if file is not None:
                    return file
            self._authenticate(request)
            route, object_id = router().resolve(request.method, request.url.path)
            call = Call(self._store, object_id, route.param, request.url, body)
            key = _idempotency_key(request)
            self._store.request = {"id": request_id, "idempotency_key": key}
            try:
                if key is None:
                    return _run(route.endpoint, call, request_id)
                return self._idempotent(
                    key, request, body, lambda: _run(route.endpoint, call, request_id)
                )
            finally:
                self._store.request = None
        except ApiError as error:
            return _error_response(error, request_id)

    def _authenticate(self, request: httpx.Request) -> None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if (
            scheme.lower() != "bearer"
            or not token.startswith(TEST_KEY_PREFIX)
            or token == TEST_KEY_PREFIX
        ):
            raise ApiError(
                401,
                "authentication_error",
                None,
                "Invalid API key: send 'Authorization: Bearer ch_sk_test_...'.",
            )

    def _idempotent(
        self, key: str, request: httpx.Request, body: bytes, run: Callable[[], httpx.Response]
    ) -> httpx.Response:
        fingerprint = (request.method, request.url.path, _canonical(body))
        records = self._store.idempotency
        # Keys expire after 24 hours (the docs); records are kept in the order they expire (the
        # clock only moves forward), so forgetting expired ones keeps a long run's memory flat.
        while records and next(iter(records.values())).expires <= self._store.now:
            del records[next(iter(records))]
        record = records.get(key)
        if record is not None and record.expires <= self._store.now:
            del records[key]
            record = None
        if record is None:
            response = run()
            records[key] = IdempotencyRecord(
                fingerprint,
                response.status_code,
                response.content,
                response.headers["Request-Id"],
                self._store.now + IDEMPOTENCY_WINDOW,
            )
            return response
        if record.fingerprint != fingerprint:
            raise ApiError(
                400,
                "idempotency_error",
                "idempotency_key_reused",
                f"Idempotency-Key {key!r} was already used for a different request "
                f"({record.fingerprint[0]} {record.fingerprint[1]}).",
                "Idempotency-Key",
            )
        return _response(
            record.status, record.content, record.request_id, {"Idempotent-Replayed": "true"}
        )

    def _scripted_failure(self, fault: Fail) -> httpx.Response:
        error = scripted(fault.status, fault.code, fault.message)
        if fault.retry_after is not None:
            error.headers["Retry-After"] = retry_after_header(fault.retry_after)
        return _error_response(error, self._store.new_request_id())

    # -- test controls ------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The test clock (aware UTC); starts at `start` (2026-04-01T00:00:00Z by default)."""
        self._follow_wall_clock()
        with self._lock:
            return to_datetime(self._store.now)

    def advance(self, seconds: float) -> None:
        """Move the test clock; active sessions accrue energy and cost, limits complete them.

        With `realtime=True` the clock jumps ahead and keeps following the wall clock from there.
        """
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or (isinstance(seconds, float) and not math.isfinite(seconds))
            or seconds < 0
        ):
            raise InvalidParameterError(
                f"seconds must be a finite number >= 0, got {seconds!r}", param="seconds"
            )
        if seconds > _CLOCK_LIMIT:  # an int of any size compares exactly, without converting
            raise InvalidParameterError(
                f"seconds would move the test clock past the year 9000, got {shown(seconds)}",
                param="seconds",
            )
        # str() first: 0.1 means 1/10, so ten advance(0.1) are exactly one advance(1).
        step = Fraction(seconds) if isinstance(seconds, int) else Fraction(str(seconds))
        self._follow_wall_clock()
        with self._lock:
            store = self._store
            end = store.now + step
            if end > _CLOCK_LIMIT:  # datetime (and RFC 3339) end at year 9999
                raise InvalidParameterError(
                    f"seconds would move the test clock past the year 9000, got {seconds!r}",
                    param="seconds",
                )
            ticks, at = self._anchor
            self._anchor = (ticks, at + step)  # the realtime clock goes on from the jump
        self._advance_to(store, end)

    def _follow_wall_clock(self) -> None:
        """With `realtime=True`, move the clock to where the wall clock says it is."""
        if not self._realtime:
            return
        with self._lock:
            store, end = self._store, self._wall_clock()
            if end <= store.now:
                return
        self._advance_to(store, end)

    def _wall_clock(self) -> Fraction:
        """Where the realtime clock is now (under the lock), in whole microseconds."""
        ticks, at = self._anchor
        return at + Fraction((time.monotonic_ns() - ticks) // 1000, 1_000_000)

    def _advance_to(self, store: Store, end: Fraction) -> None:
        """Move `store`'s clock to `end`, delivering webhooks at each instant that needs it."""
        self._deliver_due()
        while True:
            # Step to each instant where a lifecycle step or a webhook retry falls due, so each
            # delivery is made (and signed) at its own time on the test clock.
            with self._lock:
                if self._store is not store:  # reset meanwhile
                    return
                due = [store._next_due(end), self._outbox.next_due(store.now, end)]
                target = min((at for at in due if at is not None), default=end)
                store.advance(max(Fraction(0), target - store.now))
            self._deliver_due()
            if target >= end:
                return

    def _instant_wait(self, seconds: float) -> None:
        """A client's wait (`instant_retries=True`): no real time, the test clock moves."""
        self.advance(seconds)

    async def _instant_wait_async(self, seconds: float) -> None:
        """The same for async calls (it does not even yield to the event loop)."""
        self.advance(seconds)

    def sample_session_params(self) -> ChargingSessionCreateParams:
        """Create params that are valid now: the next free connector and a driver's own
        vehicle and payment method."""
        self._follow_wall_clock()
        with self._lock:
            params = self._store.sample_session_params()
        return ChargingSessionCreateParams(
            charging_station=params["charging_station"],
            connector=params["connector"],
            driver=params["driver"],
            payment_method=params["payment_method"],
            vehicle=params["vehicle"],
        )

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | str | None = None,
        code: str | None = None,
        message: str | None = None,
        route: str | None = None,
    ) -> None:
        """The next `times` requests (to `route` only, if given, e.g. `"POST
        /v1/charging_sessions"`) answer `status` (an int from 400 to 599) with the documented
        error body, carrying `code` and `message` if given, without taking effect."""
        self._faults.add(Fail(status, retry_after, code, message, route), times)

    def drop_next(
        self, *, times: int = 1, after_processing: bool = False, route: str | None = None
    ) -> None:
        """The next `times` requests (to `route` only, if given) lose their connection without
        a response; with `after_processing=True` each request takes effect first (and is
        stored for idempotent replay)."""
        self._faults.add(Drop(after_processing, route), times)

    def delay_next(self, seconds: float, *, times: int = 1, route: str | None = None) -> None:
        """The next `times` requests (to `route` only, if given) are answered `seconds` late.

        A real `time.sleep` (in-process it also blocks an async caller's event loop: keep it
        short), except in-process when `seconds` exceeds the client's read timeout: then the
        request takes effect and the client gets `httpx.ReadTimeout` at once (the SDK raises
        `APITimeoutError` once its retries are spent), without waiting.
        """
        self._faults.add(Delay(seconds, route), times)

    def chaos(
        self,
        *,
        seed: int = 0,
        server_errors: float = 0.0,
        rate_limits: float = 0.0,
        retry_after: float | str = 0,
        drops: float = 0.0,
        drops_after_processing: float = 0.0,
        delays: float = 0.0,
        delay_seconds: float = 1.0,
        route: str | None = None,
    ) -> None:
        """From now on each request (to `route` only, if given) that no scripted fault takes
        draws a random fault from an RNG seeded with `seed`; the rates are probabilities per
        request, at most 1 together (all 0: chaos off). Replaces any earlier chaos.

        `server_errors`: a 500, 502, 503 or 504; `rate_limits`: a 429 with `Retry-After:
        retry_after`; `drops`: the connection closes before the request takes effect,
        `drops_after_processing`: after; `delays`: answered `delay_seconds` late, like
        `delay_next` (past the client's timeout the request still takes effect).
        """
        source = ChaosSource(
            Chaos(
                seed,
                server_errors,
                rate_limits,
                retry_after,
                drops,
                drops_after_processing,
                delays,
                delay_seconds,
                route,
            )
        )
        with self._lock:
            self._chaos = source if any(rate for _, rate in source.chaos.rates()) else None

    @property
    def chaos_counts(self) -> dict[str, int]:
        """How many requests the current chaos saw, by the fault each drew (`"none"`, `"drop"`,
        `"drop_after_processing"`, `"server_error"`, `"rate_limit"`, `"delay"`)."""
        with self._lock:
            chaos = self._chaos
        return {} if chaos is None else chaos.counts()

    def reset(self) -> None:
        """Back to the freshly seeded account: clock, objects, idempotency keys, events,
        webhook deliveries (made and pending), recorded requests, pending faults and chaos.

        The clock goes back to `start`; with `start="now"`, to the wall clock's time now."""
        start = start_instant(self._start)
        with self._lock:
            self._store = Store(self.seed, start, self.log_limit)
            self._anchor = (time.monotonic_ns(), start)
            self._outbox = Outbox(self.log_limit)
            self._requests.clear()
            self._faults.clear()
            self._chaos = None

    def add(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Store `obj` as the newest object of `kind` (`"driver"`, `"charging_station"`, ...)
        and return it as the API renders it. It is served as given, so it needs every field
        of its kind (copy a seeded one and change what matters), an unused `id` with the
        kind's prefix and `"object": kind`; otherwise `ValueError`."""
        with self._lock:
            self._store.add(kind, obj)
            rendered = render(self._store, kind, obj["id"])
        assert rendered is not None
        return rendered

    @property
    def requests(self) -> list[RecordedRequest]:
        """The latest `log_limit` API requests received, oldest first (a copy; control API
        requests are not recorded)."""
        with self._lock:
            return list(self._requests)

    @property
    def events(self) -> list[dict[str, Any]]:
        """The latest `log_limit` events the simulator recorded, oldest first (a copy)."""
        self._follow_wall_clock()
        with self._lock:
            self._outbox.collect(self._store)  # pending_webhooks as planned
            return copy.deepcopy(list(self._store.events))

    # -- webhooks ---------------------------------------------------------------------------

    @property
    def deliveries(self) -> list[Delivery]:
        """The latest `log_limit` webhook delivery attempts (and skipped deliveries), oldest
        first (a copy)."""
        self._follow_wall_clock()
        with self._lock:
            self._outbox.collect(self._store)
            return list(self._outbox.log)

    def webhook_endpoint(
        self,
        url: str,
        enabled_events: list[str],
        *,
        secret: str | None = None,
        status: str = "enabled",
        description: str | None = None,
    ) -> dict[str, Any]:
        """Register a webhook endpoint at any http(s) `url`, e.g. a receiver on 127.0.0.1.

        A simulator-only allowance: the API (and the SDK) take only https URLs, but the
        simulator delivers only to loopback `http://` ones. `secret` defaults to a new
        `whsec_...`; pass your receiver's own to share it. Returns the endpoint as served
        (no `webhook_endpoint.created` event: this is test setup)."""
        with self._lock:
            endpoint = register_endpoint(
                self._store,
                url,
                enabled_events,
                secret=secret,
                status=status,
                description=description,
            )
            rendered = render(self._store, "webhook_endpoint", endpoint["id"])
        assert rendered is not None
        return rendered

    def redeliver(self, event_id: str) -> list[Delivery]:
        """Deliver a recorded event again, now, to every endpoint subscribed to it (a duplicate
        delivery, as a receiver must expect); returns the deliveries this made or skipped.

        While served, the worker makes them afterwards: only the skipped ones are returned.
        """
        self._follow_wall_clock()
        with self._lock:
            skipped = self._outbox.redeliver(self._store, event_id)
        made = self._deliver_due()
        return skipped + [d for d in made if d.event == event_id]

    def wait_for_deliveries(self, timeout: float = 10.0) -> None:
        """Block until no webhook attempt is due now or on its way (while served, the server's
        worker makes them); `TimeoutError` after `timeout` seconds. Retries due later on the
        clock are not waited for."""
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not 0 < timeout <= 3600  # NaN fails this too
        ):
            raise InvalidParameterError(
                f"timeout must be a number of seconds from 0 to 3600, got {timeout!r}",
                param="timeout",
            )
        deadline = time.monotonic() + timeout
        while True:
            self._follow_wall_clock()
            self._deliver_due()  # served: the worker sends; otherwise this thread
            with self._settled:
                if not self._in_flight and not self._outbox.any_due(self._store.now):
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"webhook deliveries were still due or on their way after {timeout:g} s"
                    )
                self._settled.wait(min(left, 0.05))

    def _deliver_due(self) -> list[Delivery]:
        """Make the webhook attempts due now: on this thread; while served, plan them here and
        leave the sending to the server's worker, off the request path and in order."""
        with self._lock:
            worker = self._workers[0] if self._workers else None
            if worker is not None:
                self._outbox.collect(self._store)  # planned while the events are fresh
        if worker is None:
            return self._send_due()
        worker.wake()
        return []

    def _send_due(self) -> list[Delivery]:
        """Send the attempts due now: planned and signed under the lock, sent outside it (a
        receiver may call this simulator back), recorded under it again."""
        with self._lock:
            outbox = self._outbox
            outbox.collect(self._store)
            sends = outbox.take_due(self._store)
            self._in_flight += len(sends)
        made: list[Delivery] = []
        for send in sends:
            status: int | None = None
            error: str | None = "the delivery was interrupted"
            try:
                status, error = send.post(self.webhook_timeout)
            finally:
                with self._lock:
                    made.append(outbox.finish(send, status, error))
                    self._in_flight -= 1
                    self._settled.notify_all()
        return made

    def _next_wake(self) -> float | None:
        """Seconds until something falls due on the realtime clock (None: nothing will by
        itself), for the worker's sleep."""
        if not self.realtime:
            return None
        with self._lock:
            store, now = self._store, self._wall_clock()
            due = [
                store._next_due(_CLOCK_LIMIT),
                store.next_limit(),
                self._outbox.next_due(store.now, _CLOCK_LIMIT),
            ]
        soonest = min((at for at in due if at is not None), default=None)
        return None if soonest is None else max(0.0, min(float(soonest - now), 60.0))

    # -- wiring -------------------------------------------------------------------------------

    def client(
        self,
        *,
        api_key: str | None = None,
        max_retries: int = 2,
        timeout: float = 60.0,
        api_version: str | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], None] | None = None,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
        instant_retries: bool = False,
        strict_responses: bool = True,
    ) -> chargeapi.Client:
        """A `chargeapi.Client` whose sync and async transports call this simulator in-process.

        The options are `chargeapi.Client`'s (`api_key` defaults to `self.api_key`), except
        that `strict_responses` is on by default: an answer off the documented shape raises
        InvalidResponseError, so tests catch drift that production code would only log.
        `instant_retries=True` makes the client's waits (sync and async: between retries, and
        a `wait_until`'s between two retrieves) return at once and move the test clock by their
        length instead, as time would pass against the real API: a test of retry behaviour or of
        waiting for a report takes no time. It excludes `sleep` and `async_sleep`.
        """
        import chargeapi  # noqa: PLC0415 - the SDK is optional for the simulator itself

        if not isinstance(instant_retries, bool):
            raise TypeError(f"instant_retries must be a bool, got {instant_retries!r}")
        if instant_retries:
            if sleep is not None or async_sleep is not None:
                raise TypeError("pass either instant_retries=True or sleep/async_sleep, not both")
            sleep, async_sleep = self._instant_wait, self._instant_wait_async
        return chargeapi.Client(
            self.api_key if api_key is None else api_key,
            base_url=BASE_URL,
            max_retries=max_retries,
            timeout=timeout,
            api_version=chargeapi.API_VERSION if api_version is None else api_version,
            http_client=(
                httpx.Client(transport=httpx.MockTransport(self.handle))
                if http_client is None
                else http_client
            ),
            async_http_client=(
                httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
                if async_http_client is None
                else async_http_client
            ),
            sleep=sleep,
            async_sleep=async_sleep,
            strict_responses=strict_responses,
        )

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
        """Serve this simulator over HTTP from a background thread (port 0 = any free port).

        While it runs, a worker thread makes every webhook delivery (also those caused
        in-process), so no answer waits for a receiver; `wait_for_deliveries()` waits for it.
        Closing the server stops the worker; the simulator then delivers in-process again."""
        from chargeapi.testing._server import SimulatorServer  # noqa: PLC0415 - import cycle

        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an int from 0 to 65535, got {port!r}")
        worker = Worker(self._follow_wall_clock, self._send_due, self._next_wake)
        try:
            server = SimulatorServer(self.handle, host, port, api_key=self.api_key)
        except BaseException:
            worker.close()
            raise
        with self._lock:
            self._workers.append(worker)

        def stop() -> None:
            with self._lock:
                self._workers.remove(worker)
            worker.close()

        server.on_close(stop)
        return server


def _read_timeout(request: httpx.Request) -> float | None:
    """The read timeout an httpx client attached to the request (in-process), if any."""
    timeouts = request.extensions.get("timeout")
    read = timeouts.get("read") if is_object(timeouts) else None
    return float(read) if isinstance(read, int | float) else None


def _run(endpoint: Endpoint, call: Call, request_id: str) -> httpx.Response:
    try:
        payload = endpoint(call)
    except ApiError as error:
        return _error_response(error, request_id)
    return _response(200, _encode(payload), request_id)


def _idempotency_key(request: httpx.Request) -> str | None:
    key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH:
        raise ApiError(
            400,
            "invalid_request_error",
            None,
            f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} characters.",
            "Idempotency-Key",
        )
    return key


def _canonical(body: bytes) -> str:
    """A body's identity for idempotency: key order and whitespace do not matter."""
    try:
        return json.dumps(json.loads(body or b"{}"), sort_keys=True)
    except (ValueError, RecursionError):
        return body.decode("utf-8", "replace")


def _error_response(error: ApiError, request_id: str) -> httpx.Response:
    return _response(error.status, _encode(error.body(request_id)), request_id, error.headers)


def _encode(payload: JSON) -> bytes:
    return json.dumps(payload).encode()


def _response(
    status: int, content: bytes, request_id: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        content=content,
        headers={"Content-Type": "application/json", "Request-Id": request_id, **(headers or {})},
    )
