"""`SimulatorControl`: the `Simulator` test controls, for a simulator in another process.

Each method calls the control API (`_control.py`) of a served simulator and mirrors the
`Simulator` method of the same name: same arguments, same `ValueError` for bad input (the
server's 400 message), same return values.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any

import httpx

from chargeapi._exceptions import InvalidParameterError
from chargeapi.testing._control import PREFIX
from chargeapi.testing._delivery import Delivery
from chargeapi.testing._seed import is_object
from chargeapi.testing._simulator import RecordedRequest


class SimulatorControlError(Exception):
    """The control API could not be reached or answered something other than success or 400.

    `status_code` is the HTTP status it answered, None when there was no answer at all.
    """

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SimulatorControl:
    """Drive a simulator served at `base_url` (`python -m chargeapi.testing`, `sim.serve()`).

    >>> control = SimulatorControl("http://127.0.0.1:12111", "ch_sk_test_simulator")
    >>> control.advance(1800)
    >>> control.fail_next(503, route="POST /v1/charging_sessions")
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http:// or https:// URL, got {base_url!r}")
        if not isinstance(api_key, str) or not api_key:
            raise TypeError("api_key must be the simulator's test key (a non-empty str)")
        if api_key.startswith("ch_sk_live_"):
            raise InvalidParameterError(
                "api_key is a live key (ch_sk_live_...): a simulator only has a test key "
                "(ch_sk_test_..., ch_sk_test_simulator by default), and a live key is never "
                "sent to one",
                param="api_key",
            )
        self.base_url: str = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url + PREFIX,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
        )

    def __repr__(self) -> str:
        return f"<SimulatorControl base_url={self.base_url!r}>"

    # -- the Simulator's controls -------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The simulator's test clock (aware UTC)."""
        return datetime.fromisoformat(self._call("GET", "now")["now"])

    def advance(self, seconds: float) -> None:
        """Move the test clock; active sessions accrue energy and cost."""
        self._call("POST", "advance", {"seconds": seconds})

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
        """The next `times` requests (to `route` only, if given) answer `status`."""
        self._call(
            "POST",
            "fail_next",
            {
                "status": status,
                "times": times,
                "retry_after": retry_after,
                "code": code,
                "message": message,
                "route": route,
            },
        )

    def drop_next(
        self, *, times: int = 1, after_processing: bool = False, route: str | None = None
    ) -> None:
        """The next `times` requests (to `route` only, if given) lose their connection."""
        self._call(
            "POST",
            "drop_next",
            {"times": times, "after_processing": after_processing, "route": route},
        )

    def delay_next(self, seconds: float, *, times: int = 1, route: str | None = None) -> None:
        """The next `times` requests (to `route` only, if given) are answered `seconds` late."""
        self._call("POST", "delay_next", {"seconds": seconds, "times": times, "route": route})

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
        """Random faults from now on, drawn per request at these rates (all 0: chaos off)."""
        settings: dict[str, Any] = {"seed": seed, "server_errors": server_errors}
        settings.update(rate_limits=rate_limits)
        settings.update(retry_after=retry_after, drops=drops, delays=delays, route=route)
        settings.update(drops_after_processing=drops_after_processing, delay_seconds=delay_seconds)
        self._call("POST", "chaos", settings)

    @property
    def chaos_counts(self) -> dict[str, int]:
        """How many requests the current chaos saw, by the fault each drew."""
        counts: dict[str, int] = self._call("GET", "chaos")["counts"]
        return counts

    def reset(self) -> None:
        """Back to the freshly seeded account (also forgets requests, events and faults)."""
        self._call("POST", "reset", {})

    def add(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Store `obj` as the newest object of `kind`; returns it as the API serves it."""
        added: dict[str, Any] = self._call("POST", "add", {"kind": kind, "object": obj})
        return added

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every API request the simulator received, oldest first."""
        return [
            RecordedRequest(
                r["method"],
                r["path"],
                r["url"],
                httpx.Headers([(name, value) for name, value in r["headers"]]),
                r["body"].encode("utf-8", "surrogateescape"),
            )
            for r in self._call("GET", "requests")["data"]
        ]

    @property
    def events(self) -> list[dict[str, Any]]:
        """Events the simulator recorded, oldest first."""
        events: list[dict[str, Any]] = self._call("GET", "events")["data"]
        return events

    def webhook_endpoint(
        self,
        url: str,
        enabled_events: list[str],
        *,
        secret: str | None = None,
        status: str = "enabled",
        description: str | None = None,
    ) -> dict[str, Any]:
        """Register a webhook endpoint at any http(s) `url` (simulator only); returns it."""
        args: dict[str, Any] = {"url": url, "enabled_events": enabled_events, "status": status}
        args.update(secret=secret, description=description)
        endpoint: dict[str, Any] = self._call("POST", "webhook_endpoint", args)
        return endpoint

    def redeliver(self, event_id: str) -> list[Delivery]:
        """Deliver a recorded event again, now; returns the deliveries this made or skipped."""
        made = self._call("POST", "redeliver", {"event_id": event_id})["data"]
        return [Delivery.from_dict(d) for d in made]

    @property
    def deliveries(self) -> list[Delivery]:
        """The latest webhook delivery attempts (and skipped deliveries), oldest first."""
        return [Delivery.from_dict(d) for d in self._call("GET", "deliveries")["data"]]

    def wait_for_deliveries(self, timeout: float = 10.0) -> None:
        """Block until no webhook attempt is due now or on its way; `TimeoutError` after
        `timeout` seconds."""
        answer = self._call("POST", "wait_for_deliveries", {"timeout": timeout}, wait=timeout)
        if answer.get("settled") is not True:
            raise TimeoutError(
                f"webhook deliveries were still due or on their way after {timeout:g} s"
            )

    # -- plumbing -----------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SimulatorControl:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(
        self, method: str, name: str, args: dict[str, Any] | None = None, *, wait: float = 0
    ) -> Any:
        """One control request; `wait` is how long the simulator may take on purpose."""
        timeout = self._http.timeout.read or 10.0
        try:
            response = self._http.request(
                method, "/" + name, json=args, timeout=timeout + wait if wait else timeout
            )
        except httpx.HTTPError as error:
            raise SimulatorControlError(
                f"cannot reach the simulator at {self.base_url}: {error}"
            ) from None
        try:
            payload = response.json()
        except ValueError:  # not JSON, or not even text: not a simulator
            payload = None
        if response.status_code == 200 and is_object(payload):
            return payload
        message = payload.get("message") if is_object(payload) else None
        if response.status_code == 400 and message:
            raise ValueError(message)
        raise SimulatorControlError(
            f"the simulator's control API answered {response.status_code} to {name}: "
            f"{message or response.text[:200]!r}",
            status_code=response.status_code,
        )
