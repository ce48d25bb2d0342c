"""What every endpoint shares: the routed call, parameter checks, retrieve/list, updates.

Where the docs are silent (Stripe conventions):

* Unknown query or body parameters are a 400 naming the parameter (a repeated filter: first
  wins); a nested one is named by its dotted path (`rules.max_price_per_kwh`).
* A 400 carries the resource's documented validation code where the docs have one
  (`reservation_invalid_input`, `invoice_validation_error`, ...), else `code: null`.
* An unknown ID is a 404 `<kind>_not_found` whose `param` is the parameter that named it: the
  path parameter's name for the object of the URL, as in the docs' only example
  (`GET /v1/fleets/flt_...` -> `param: "fleet"`).
* Creates answer 200 (not 201), like every other success.
* A currency is three letters (ISO 4217), served lowercase (`EUR` is served as `eur`).
* Updates merge: omitted parameters keep their values, `null` clears a nullable field, nested
  objects (`preferences`, `rules`, ...) merge key by key, and `metadata` merges too (a key set
  to `""` or `null` is removed; `metadata: null` empties it). A create leaves such keys out.
* Every object is served in the documented shape: a field the docs type non-null is never
  null. A string such a field needs that the request left out (an account created without
  `email`, a vehicle without `registration_plate`, an address without `state`) is served as
  `""`; `null` is refused for them (400) where the docs allow no null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from chargeapi.testing._errors import ApiError, invalid, not_found
from chargeapi.testing._expand import Step, expand, plan
from chargeapi.testing._pagination import decode_cursor, page_url, paginate
from chargeapi.testing._render import render, render_stored
from chargeapi.testing._seed import JSON, is_array, is_object
from chargeapi.testing._store import Session, Store
from chargeapi.testing._time import format_timestamp, parse_timestamp

DEFAULT_LIMIT, MAX_LIMIT = 10, 100


@dataclass
class Call:
    """One routed request: the object its path names (if any), its query and raw body."""

    store: Store
    object_id: str
    param: str  # the path parameter's documented name ("driver"), or ""
    url: httpx.URL
    body: bytes
    _json: JSON | None = field(default=None, repr=False)

    @property
    def params(self) -> httpx.QueryParams:
        return self.url.params

    def json(self) -> JSON:
        """The request body as a JSON object; an empty body counts as `{}`."""
        if self._json is None:
            self._json = _json_object(self.body)
        return self._json


Endpoint = Callable[[Call], JSON]


# -- parameter checks -----------------------------------------------------------------------


class Bad(Exception):
    """A parameter failed its check; becomes a 400 naming it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param, self.message = param, message


Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False


def req(check: Check) -> Field:
    return Field(check, required=True)


def opt(check: Check) -> Field:
    return Field(check)


Spec = Mapping[str, Field]


def string(max_length: int = 5000) -> Check:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise Bad(name, f"Invalid {name}: expected a string.")
        if len(value) > max_length:
            raise Bad(name, f"Invalid {name}: at most {max_length} characters.")
        return value

    return check


def text(max_length: int = 5000) -> Check:
    """A non-empty string."""
    inner = string(max_length)

    def check(name: str, value: Any) -> Any:
        if inner(name, value) == "":
            raise Bad(name, f"Invalid {name}: must not be empty.")
        return value

    return check


def integer(low: int | None = None, high: int | None = None) -> Check:
    def check(name: str, value: Any) -> Any:
        if type(value) is not int:
            raise Bad(name, f"Invalid {name}: expected an integer.")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise Bad(name, f"Invalid {name}: expected an integer {span}.")
        return value

    return check


def number(low: float, high: float) -> Check:
    def check(name: str, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Bad(name, f"Invalid {name}: expected a number.")
        if not low <= value <= high:
            raise Bad(name, f"Invalid {name}: expected a number from {low} to {high}.")
        return value

    return check


def boolean(name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise Bad(name, f"Invalid {name}: expected true or false.")
    return value


def one_of(*values: str) -> Check:
    def check(name: str, value: Any) -> Any:
        if value not in values:
            raise Bad(name, f"Invalid {name}: {value!r}; expected one of {', '.join(values)}.")
        return value

    return check


def ident(kind: str) -> Check:
    """An ID of `kind`: a non-empty string. Whether it exists (its prefix included) is the
    endpoint's 404, as the old simulator answered."""
    del kind
    return text(255)


def array(item: Check, *, min_items: int = 0, max_items: int = 100) -> Check:
    def check(name: str, value: Any) -> Any:
        if not is_array(value):
            raise Bad(name, f"Invalid {name}: expected an array.")
        if not min_items <= len(value) <= max_items:
            raise Bad(name, f"Invalid {name}: expected {min_items} to {max_items} items.")
        return [item(f"{name}[{i}]", v) for i, v in enumerate(value)]

    return check


def obj(spec: Spec) -> Check:
    """A nested object: its keys checked like top-level parameters, named `parent.key`."""

    def check(name: str, value: Any) -> Any:
        if not is_object(value):
            raise Bad(name, f"Invalid {name}: expected an object.")
        return _checked(value, spec, f"{name}.")

    return check


def nullable(check: Check) -> Check:
    def nullable_check(name: str, value: Any) -> Any:
        return None if value is None else check(name, value)

    return nullable_check


def timestamp(name: str, value: Any) -> Any:
    """An RFC 3339 string or integer UNIX seconds; kept as the NEW format (UTC, ms)."""
    instant = parse_timestamp(value)
    if instant is None:
        raise Bad(name, f"Invalid {name}: expected an RFC 3339 timestamp.")
    return format_timestamp(instant)


def https_url(name: str, value: Any) -> Any:
    string(2048)(name, value)
    if not re.fullmatch(r"https://[^\s/?#]+[^\s]*", value):
        raise Bad(name, f"Invalid {name}: expected an https:// URL.")
    return value


def metadata(name: str, value: Any) -> Any:
    """At most 50 keys of up to 40 characters, string values of up to 500 (null removes a key
    in an update)."""
    if not is_object(value):
        raise Bad(name, f"Invalid {name}: expected an object of strings.")
    if len(value) > 50:
        raise Bad(name, f"Invalid {name}: at most 50 keys.")
    for key, item in value.items():
        if len(key) > 40:
            raise Bad(f"{name}.{key}", f"Invalid {name}: keys are at most 40 characters.")
        if item is not None and (not isinstance(item, str) or len(item) > 500):
            raise Bad(f"{name}.{key}", f"Invalid {name}.{key}: a string of at most 500 characters.")
    return dict(value)


ADDRESS = obj(
    {
        "city": opt(string(200)),
        "country": opt(string(2)),
        "line1": opt(string(200)),
        "line2": opt(string(200)),
        "postal_code": opt(string(20)),
        "state": opt(string(200)),
    }
)


def address(given: JSON | None = None) -> JSON:
    """An address as served: every line the request left out is empty (the docs type each
    line a string, `line2` included), so no non-null field is ever null."""
    empty: JSON = {"city": "", "country": "", "line1": "", "line2": ""}
    return {**empty, "postal_code": "", "state": "", **(given or {})}


def currency(name: str, value: Any) -> Any:
    """An ISO 4217 code: three letters, served lowercase like the docs' `eur`."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value):
        raise Bad(name, f"Invalid {name}: expected a three-letter ISO 4217 currency code.")
    return value.lower()


CURRENCY = currency


def _checked(values: JSON, spec: Spec, prefix: str = "") -> JSON:
    for name in values:
        if name not in spec:
            raise Bad(prefix + name, f"Received unknown parameter: {prefix + name}.")
    out: JSON = {}
    for name, rule in spec.items():
        if values.get(name) is None and rule.required:
            raise Bad(prefix + name, f"Missing required param: {prefix + name}.")
        if name in values:
            out[name] = rule.check(prefix + name, values[name])
    return out


def body(call: Call, spec: Spec, code: str | None = None) -> JSON:
    """The checked JSON body (no query parameters allowed): only the keys the caller sent."""
    check_names(call.params.keys(), set(), code)
    try:
        return _checked(call.json(), spec)
    except Bad as bad:
        raise invalid(bad.message, bad.param, code=code) from None


def exactly_one(values: JSON, names: tuple[str, str], code: str) -> str:
    """The one of `names` given (and not null); a 400 with `code` otherwise."""
    given = [n for n in names if values.get(n) is not None]
    if len(given) != 1:
        either = " or ".join(names)
        raise invalid(
            f"Pass exactly one of {either}.", names[0] if not given else given[1], code=code
        )
    return given[0]


def check_names(names: Iterable[str], allowed: set[str], code: str | None = None) -> None:
    for name in names:
        if name not in allowed:
            raise invalid(f"Received unknown parameter: {name}.", name, code=code)


# -- objects --------------------------------------------------------------------------------


def stored(store: Store, kind: str, object_id: str, param: str, code: str | None = None) -> JSON:
    """The stored (mutable) object, or a 404 naming `param`."""
    found = store.get(kind, object_id)
    if found is None:
        raise _missing(kind, param, object_id, code)
    return found


def require(store: Store, kind: str, object_id: str, param: str, code: str | None = None) -> JSON:
    """The rendered object, or a 404 naming `param`."""
    found = render(store, kind, object_id)
    if found is None:
        raise _missing(kind, param, object_id, code)
    return found


def _missing(kind: str, param: str, object_id: str, code: str | None) -> ApiError:
    error = not_found(kind, param, object_id)
    if code is not None:
        error.code = code
    return error


def created(store: Store, kind: str, obj: JSON) -> JSON:
    """Store a new object, record `<kind>.created`, and return it rendered.

    Metadata keys given as `""` or `null` are left out, as an update would remove them: every
    metadata value served is a string."""
    if is_object(obj.get("metadata")):
        obj["metadata"] = {k: v for k, v in obj["metadata"].items() if v not in (None, "")}
    store.insert(kind, obj)
    shaped = render(store, kind, obj["id"])
    assert shaped is not None
    store.emit(f"{kind}.created", shaped)
    return shaped


def updated(store: Store, kind: str, target: JSON, values: JSON, event: str | None = None) -> JSON:
    """Apply an update's values (merging nested objects and metadata) and render the result."""
    changes: JSON = {}
    for name, value in values.items():
        current = target.get(name)
        if name == "metadata" and value is None:
            changes[name] = {}
        elif name == "metadata":
            merged = dict(current or {})
            for key, item in value.items():
                if item in (None, ""):
                    merged.pop(key, None)
                else:
                    merged[key] = item
            changes[name] = merged
        elif isinstance(value, dict) and isinstance(current, dict):
            changes[name] = {**current, **value}
        else:
            changes[name] = value
    store.transition(kind, target, event, **changes)
    shaped = render(store, kind, target["id"])
    assert shaped is not None
    return shaped


# -- retrieve and list ----------------------------------------------------------------------


def retrieve(kind: str, code: str | None = None) -> Endpoint:
    """`GET /v1/<kind>s/{id}` with `expand`."""

    def handle(call: Call) -> JSON:
        check_names(call.params.keys(), {"expand"})
        steps = expansions(call, kind)
        found = require(call.store, kind, call.object_id, call.param, code)
        expand_all([found], steps, call.store)
        return found

    return handle


Match = Callable[[Store, Any, str], bool]


@dataclass(frozen=True)
class Filter:
    """A list filter: how its query value is checked and how an object matches it."""

    check: Check
    match: Match


def value_of(obj: Any, name: str) -> Any:
    return getattr(obj, name) if isinstance(obj, Session) else obj.get(name)


def equals(field_name: str, check: Check | None = None) -> Filter:
    return Filter(check or text(255), lambda _, o, v: value_of(o, field_name) == v)


def contains(field_name: str) -> Filter:
    return Filter(text(255), lambda _, o, v: v in (value_of(o, field_name) or ()))


def list_of(kind: str, filters: Mapping[str, Filter], code: str | None = None) -> Endpoint:
    """`GET /v1/<kind>s`: newest first, filtered, one page rendered."""

    def handle(call: Call) -> JSON:
        check_names(call.params.keys(), {"limit", "page", "expand", *filters}, code)
        limit = _limit(call.params.get("limit"))
        steps = expansions(call, kind)
        wanted: list[tuple[Filter, str]] = []
        for name, rule in filters.items():
            if name in call.params:
                value = call.params[name]
                try:
                    rule.check(name, value)
                except Bad as bad:
                    raise invalid(bad.message, bad.param, code=code) from None
                wanted.append((rule, value))
        store = call.store
        collection = store.collection(kind)
        token = call.params.get("page")
        cursor = None if token is None else decode_cursor(token, collection.position)

        def pick(object_id: str) -> Any:
            candidate = collection.get(object_id)
            if candidate is None:
                return None
            return candidate if all(r.match(store, candidate, v) for r, v in wanted) else None

        page, after, before = paginate(collection.order, collection.position, pick, limit, cursor)
        data = [render_stored(store, kind, item) for item in page]
        expand_all(data, steps, store)
        carried = [(k, v) for k, v in call.params.multi_items() if k not in ("page", "limit")]
        carried.append(("limit", str(limit)))
        return {
            "data": data,
            "next_page_url": page_url(call.url, after, carried),
            "previous_page_url": page_url(call.url, before, carried),
        }

    return handle


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid(
            f"Invalid limit: {raw!r}; expected an integer from 1 to {MAX_LIMIT}.", "limit"
        )
    return int(raw)


def expansions(call: Call, kind: str) -> list[list[Step]]:
    return [plan(kind, path) for path in call.params.get_list("expand")]


def expand_all(objects: list[JSON], plans: list[list[Step]], store: Store) -> None:
    for item in objects:
        for steps in plans:
            expand(item, steps, lambda kind, object_id: render(store, kind, object_id))


def _json_object(raw: bytes) -> JSON:
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise invalid("Malformed JSON in the request body.") from None
    if not is_object(parsed):
        raise invalid("The request body must be a JSON object.")
    return parsed
