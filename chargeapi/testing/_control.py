"""The control API: drive a simulator from another process, over its own HTTP server.

Everything under `/_sim/` is answered here instead of by the API: not recorded, never faulted,
and only for `Authorization: Bearer <sim.api_key>` (any other key is a 401). Each route is a
thin JSON shell over the `Simulator` method of the same name, so both refuse the same input
(a `ValueError` there is a 400 here). Bodies are JSON objects of the method's keyword arguments.

    GET  /_sim/now          {"now": "2026-04-01T00:00:00+00:00"}
    POST /_sim/advance      {"seconds": 600}                       -> {"now": ...}
    POST /_sim/fail_next    {"status": 503, "times", "retry_after", "code", "message", "route"}
    POST /_sim/drop_next    {"times", "after_processing", "route"}
    POST /_sim/delay_next   {"seconds": 0.5, "times", "route"}
                            (the three fault routes answer the fault queued, every field)
    POST /_sim/chaos        {"seed", "server_errors", "rate_limits", "retry_after", "drops",
                             "drops_after_processing", "delays", "delay_seconds", "route"}
                                                               -> {"chaos": {...} or null}
    GET  /_sim/chaos        {"chaos": {...} or null, "counts": {"none": 12, ...}}
    POST /_sim/reset        {}                                     -> {"now": ...}
    POST /_sim/add          {"kind": "driver", "object": {...}}    -> the object as served
    GET  /_sim/requests     {"data": [{"method", "path", "url", "headers": [[name, value]],
                                       "body"}]}   (body: UTF-8 text, other bytes surrogate-escaped)
    GET  /_sim/events       {"data": [event, ...]}
    POST /_sim/webhook_endpoint {"url", "enabled_events", "secret", "status", "description"}
                                                               -> the endpoint as served
    POST /_sim/redeliver    {"event_id": "evt_..."}             -> {"data": [delivery, ...]}
    GET  /_sim/deliveries   {"data": [delivery, ...]}  (`Delivery.to_dict()`, oldest first)
    POST /_sim/wait_for_deliveries {"timeout": 10}              -> {"settled": true or false}

Arguments are checked by the Simulator methods; a number too large for them (`advance` by a
4,000-digit int) is a 400 like any other refused value, never a 500.
"""

from __future__ import annotations

import hmac
import json
import random
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import httpx

from chargeapi.testing._errors import ApiError, invalid
from chargeapi.testing._seed import JSON, is_object, random_id

if TYPE_CHECKING:
    from chargeapi.testing._simulator import Simulator

PREFIX = "/_sim"
_ids = random.Random()  # control answers need no reproducible request IDs


def is_control(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def handle_control(sim: Simulator, request: httpx.Request, body: bytes) -> httpx.Response:
    """Answer one control request with JSON: the result, or the documented error object."""
    request_id = random_id(_ids, "req_")
    try:
        _authenticate(sim, request)
        name = request.url.path.removeprefix(PREFIX + "/")
        if name not in _ROUTES:
            raise ApiError(
                404, "invalid_request_error", None, f"Unknown control route: {request.url.path}."
            )
        actions = _ROUTES[name]
        action = actions.get(request.method)
        if action is None:
            raise ApiError(
                405,
                "invalid_request_error",
                None,
                f"{request.method} is not allowed on {request.url.path}.",
                headers={"Allow": ", ".join(actions)},
            )
        for param in request.url.params:
            raise invalid(f"Received unknown parameter: {param}.", param)
        payload = action(sim, _json_object(body) if request.method == "POST" else {})
    except ApiError as error:
        return _response(error.status, error.body(request_id), request_id, error.headers)
    except (ValueError, TypeError, OverflowError) as error:  # what the Simulator refused, why
        failure = invalid(str(error), getattr(error, "param", None))
        return _response(400, failure.body(request_id), request_id)
    return _response(200, payload, request_id)


def _authenticate(sim: Simulator, request: httpx.Request) -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), sim.api_key.encode()):
        raise ApiError(
            401,
            "authentication_error",
            None,
            "The control API answers only the simulator's own test key (sim.api_key).",
        )


def _now(sim: Simulator, args: JSON) -> JSON:
    return {"now": sim.now.isoformat()}


def _advance(sim: Simulator, args: JSON) -> JSON:
    sim.advance(**_arguments(args, required=("seconds",)))
    return _now(sim, {})


_FAIL = {"times": 1, "retry_after": None, "code": None, "message": None, "route": None}
_DROP = {"times": 1, "after_processing": False, "route": None}
_DELAY = {"times": 1, "route": None}


def _fail_next(sim: Simulator, args: JSON) -> JSON:
    sim.fail_next(**_arguments(args, required=("status",), optional=tuple(_FAIL)))
    return _queued(args, ("status",), _FAIL)


def _drop_next(sim: Simulator, args: JSON) -> JSON:
    sim.drop_next(**_arguments(args, optional=tuple(_DROP)))
    return _queued(args, (), _DROP)


def _delay_next(sim: Simulator, args: JSON) -> JSON:
    sim.delay_next(**_arguments(args, required=("seconds",), optional=tuple(_DELAY)))
    return _queued(args, ("seconds",), _DELAY)


def _queued(args: JSON, required: tuple[str, ...], defaults: JSON) -> JSON:
    """The fault as queued: every argument, in the method's order, defaults filled in."""
    return {
        **{name: args[name] for name in required},
        **{name: args.get(name, default) for name, default in defaults.items()},
    }


def _set_chaos(sim: Simulator, args: JSON) -> JSON:
    optional = (
        "seed",
        "server_errors",
        "rate_limits",
        "retry_after",
        "drops",
        "drops_after_processing",
        "delays",
        "delay_seconds",
        "route",
    )
    sim.chaos(**_arguments(args, optional=optional))
    return {"chaos": _chaos_settings(sim)}


def _chaos(sim: Simulator, args: JSON) -> JSON:
    return {"chaos": _chaos_settings(sim), "counts": sim.chaos_counts}


def _chaos_settings(sim: Simulator) -> JSON | None:
    source = sim._chaos  # replaced whole, never changed in place
    return None if source is None else asdict(source.chaos)


def _reset(sim: Simulator, args: JSON) -> JSON:
    _arguments(args)
    sim.reset()
    return _now(sim, {})


def _wait_for_deliveries(sim: Simulator, args: JSON) -> JSON:
    try:
        sim.wait_for_deliveries(**_arguments(args, optional=("timeout",)))
    except TimeoutError:
        return {"settled": False}
    return {"settled": True}


def _add(sim: Simulator, args: JSON) -> JSON:
    _arguments(args, required=("kind", "object"))
    return sim.add(args["kind"], args["object"])


def _requests(sim: Simulator, args: JSON) -> JSON:
    return {
        "data": [
            {
                "method": r.method,
                "path": r.path,
                "url": r.url,
                "headers": [list(item) for item in r.headers.multi_items()],
                "body": r.body.decode("utf-8", "surrogateescape"),
            }
            for r in sim.requests
        ]
    }


def _events(sim: Simulator, args: JSON) -> JSON:
    return {"data": sim.events}


def _webhook_endpoint(sim: Simulator, args: JSON) -> JSON:
    optional = ("secret", "status", "description")
    return sim.webhook_endpoint(
        **_arguments(args, required=("url", "enabled_events"), optional=optional)
    )


def _redeliver(sim: Simulator, args: JSON) -> JSON:
    made = sim.redeliver(**_arguments(args, required=("event_id",)))
    return {"data": [d.to_dict() for d in made]}


def _deliveries(sim: Simulator, args: JSON) -> JSON:
    return {"data": [d.to_dict() for d in sim.deliveries]}


# route name -> {method: action}
_ROUTES: dict[str, dict[str, Callable[[Simulator, JSON], JSON]]] = {
    "now": {"GET": _now},
    "advance": {"POST": _advance},
    "fail_next": {"POST": _fail_next},
    "drop_next": {"POST": _drop_next},
    "delay_next": {"POST": _delay_next},
    "chaos": {"GET": _chaos, "POST": _set_chaos},
    "reset": {"POST": _reset},
    "add": {"POST": _add},
    "requests": {"GET": _requests},
    "events": {"GET": _events},
    "webhook_endpoint": {"POST": _webhook_endpoint},
    "redeliver": {"POST": _redeliver},
    "deliveries": {"GET": _deliveries},
    "wait_for_deliveries": {"POST": _wait_for_deliveries},
}


def _arguments(
    args: JSON, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    for name in args:
        if name not in required and name not in optional:
            raise invalid(f"Received unknown parameter: {name}.", name)
    for name in required:
        if name not in args:
            raise invalid(f"Missing required param: {name}.", name)
    return args


def _json_object(body: bytes) -> JSON:
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise invalid("Malformed JSON in the request body.") from None
    if not is_object(parsed):
        raise invalid("The request body must be a JSON object.")
    return parsed


def _response(
    status: int, payload: JSON, request_id: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Request-Id": request_id, **(headers or {})},
    )
