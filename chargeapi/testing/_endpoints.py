"""The endpoints and their routing table: validate a call, ask the store, render the result.

Routes (all under `/v1`): retrieve and list for every served kind, plus
`POST /v1/charging_sessions` and `POST /v1/charging_sessions/{id}/end`.

Where the docs are silent (Stripe conventions):

* Unknown query or body parameters are a 400 naming the parameter (a repeated filter: first wins).
* A retrieve of an unknown ID is a 404 `<kind>_not_found` whose `param` is the path parameter's
  name, as in the docs' only example (`GET /v1/fleets/flt_...` -> `param: "fleet"`), so for
  sessions `param: "charging_session"`.
* References in a create body are only checked for existence, not for belonging together.
* A connector that the station does not have is a 404 `charging_session_dependency_not_found`
  with `param: "connector"` (the documented code for a session's missing dependency).
* Create answers 200 (not 201), like every other success.
* List filters: sessions `driver`, `fleet`, `vehicle`, `status`; drivers `fleet`, `vehicle`;
  vehicles `driver`, `fleet`; fleets `status`; payment methods `driver`, `fleet`, `type`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from chargeapi.testing._errors import ApiError, conflict, invalid, not_found
from chargeapi.testing._expand import Step, expand, plan
from chargeapi.testing._pagination import decode_cursor, page_url, paginate
from chargeapi.testing._render import KINDS, render, render_all, render_session
from chargeapi.testing._seed import JSON
from chargeapi.testing._store import SESSION_STATUSES, Store


@dataclass(frozen=True)
class Call:
    """One routed request: which kind and object it is about, with its query and raw body."""

    store: Store
    kind: str
    object_id: str
    url: httpx.URL
    body: bytes

    @property
    def params(self) -> httpx.QueryParams:
        return self.url.params


Endpoint = Callable[[Call], JSON]

# list filter parameter -> field of the rendered object it matches (equal, or contained in)
LIST_FILTERS: dict[str, dict[str, str]] = {
    "charging_session": {
        "driver": "driver",
        "fleet": "fleet",
        "vehicle": "vehicle",
        "status": "status",
    },
    "charging_station": {},
    "driver": {"fleet": "fleets", "vehicle": "vehicles"},
    "fleet": {"status": "status"},
    "payment_method": {"driver": "driver", "fleet": "fleet", "type": "type"},
    "vehicle": {"driver": "drivers", "fleet": "fleet"},
}
FILTER_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("charging_session", "status"): SESSION_STATUSES,
    ("payment_method", "type"): ("card", "bank_account", "wallet"),
}
SESSION_REFERENCES = ("charging_station", "connector", "driver", "payment_method", "vehicle")
DEFAULT_LIMIT, MAX_LIMIT = 10, 100


def retrieve(call: Call) -> JSON:
    _check_names(call.params.keys(), {"expand"})
    steps = _expansions(call)
    obj = _require(call.store, call.kind, call.object_id, call.kind)
    _expand_each([obj], steps, call.store)
    return obj


def list_objects(call: Call) -> JSON:
    filters = LIST_FILTERS[call.kind]
    _check_names(call.params.keys(), {"limit", "page", "expand", *filters})
    limit = _limit(call.params.get("limit"))
    steps = _expansions(call)
    wanted = {name: call.params[name] for name in filters if name in call.params}
    for name, value in wanted.items():
        allowed = FILTER_VALUES.get((call.kind, name))
        if allowed is not None and value not in allowed:
            raise invalid(f"Invalid {name}: {value!r}; expected one of {', '.join(allowed)}.", name)
    ids = call.store.ids(call.kind)
    token = call.params.get("page")
    cursor = None if token is None else decode_cursor(token, ids)
    items = [
        item
        for item in render_all(call.store, call.kind)
        if all(_matches(item[1][filters[name]], value) for name, value in wanted.items())
    ]
    data, after, before = paginate(items, limit, cursor, ids)
    _expand_each(data, steps, call.store)
    carried = [(k, v) for k, v in call.params.multi_items() if k not in ("page", "limit")]
    carried.append(("limit", str(limit)))
    return {
        "data": data,
        "next_page_url": page_url(call.url, after, carried),
        "previous_page_url": page_url(call.url, before, carried),
    }


def create_session(call: Call) -> JSON:
    _check_names(call.params.keys(), set())
    body = _json_object(call.body)
    _check_names(body.keys(), {*SESSION_REFERENCES, "session_limit"})
    for name in SESSION_REFERENCES:
        if body.get(name) is None:
            raise invalid(f"Missing required param: {name}.", name)
        if not isinstance(body[name], str) or not body[name]:
            raise invalid(f"Invalid {name}: expected a non-empty string.", name)
    limit = body.get("session_limit")
    if limit is not None and (type(limit) is not int or limit < 1):
        raise invalid("Invalid session_limit: expected a positive integer (Wh).", "session_limit")
    store = call.store
    station, connector = body["charging_station"], body["connector"]
    _require(store, "charging_station", station, "charging_station")
    if store.connector(station, connector) is None:
        raise ApiError(
            404,
            "invalid_request_error",
            "charging_session_dependency_not_found",
            f"Charging station {station} has no connector {connector!r}.",
            "connector",
        )
    for kind in ("driver", "vehicle", "payment_method"):
        _require(store, kind, body[kind], kind)
    if connector in store.occupied(station):
        raise conflict(
            "charging_session_conflict",
            f"Connector {connector} of {station} is already in use.",
            "connector",
        )
    session = store.start_session(
        charging_station=station,
        connector=connector,
        driver=body["driver"],
        vehicle=body["vehicle"],
        payment_method=body["payment_method"],
        session_limit=limit,
    )
    return render_session(session)


def end_session(call: Call) -> JSON:
    _check_names(call.params.keys(), set())
    _check_names(_json_object(call.body).keys(), set())
    session = call.store.sessions.get(call.object_id)
    if session is None:
        raise not_found("charging_session", "charging_session", call.object_id)
    if session.status != "active":
        raise conflict(
            "charging_session_state_conflict",
            f"Charging session {session.id} is {session.status}; only an active "
            "session can be ended.",
        )
    call.store.end_session(session)
    return render_session(session)


_RESOURCES = {kind + "s": kind for kind in KINDS}
_ROUTES: dict[tuple[str, str], dict[str, Endpoint]] = {
    **{(kind, ""): {"GET": list_objects} for kind in KINDS},
    **{(kind, "{id}"): {"GET": retrieve} for kind in KINDS},
    ("charging_session", ""): {"GET": list_objects, "POST": create_session},
    ("charging_session", "{id}/end"): {"POST": end_session},
}


def resolve(method: str, path: str) -> tuple[Endpoint, str, str]:
    """(endpoint, kind, object ID) for a request; 404 for an unknown path, 405 for a method."""
    _, version, resource, *rest = [*path.split("/"), "", ""][: max(3, path.count("/") + 1)]
    kind = _RESOURCES.get(resource, "")
    shape = "/".join(["{id}", *rest[1:]]) if rest else ""
    methods = _ROUTES.get((kind, shape)) if version == "v1" and all(rest) else None
    if methods is None:
        raise ApiError(404, "invalid_request_error", None, f"Unrecognized request URL: {path}.")
    if method not in methods:
        raise ApiError(
            405,
            "invalid_request_error",
            None,
            f"{method} is not allowed on {path}.",
            headers={"Allow": ", ".join(methods)},
        )
    return methods[method], kind, rest[0] if rest else ""


def _check_names(names: Iterable[str], allowed: set[str]) -> None:
    for name in names:
        if name not in allowed:
            raise invalid(f"Received unknown parameter: {name}.", name)


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid(
            f"Invalid limit: {raw!r}; expected an integer from 1 to {MAX_LIMIT}.", "limit"
        )
    return int(raw)


def _expansions(call: Call) -> list[list[Step]]:
    return [plan(call.kind, path) for path in call.params.get_list("expand")]


def _expand_each(objects: list[JSON], plans: list[list[Step]], store: Store) -> None:
    for obj in objects:
        for steps in plans:
            expand(obj, steps, lambda kind, object_id: render(store, kind, object_id))


def _matches(actual: object, wanted: str) -> bool:
    return wanted in actual if isinstance(actual, list) else actual == wanted


def _require(store: Store, kind: str, object_id: str, param: str) -> JSON:
    obj = render(store, kind, object_id)
    if obj is None:
        raise not_found(kind, param, object_id)
    return obj


def _json_object(body: bytes) -> JSON:
    """The request body as a JSON object; an empty body counts as `{}`."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        raise invalid("Malformed JSON in the request body.") from None
    if not isinstance(parsed, dict):
        raise invalid("The request body must be a JSON object.")
    return parsed
