"""Issue 8, property tests: every model, with payloads generated from its own attrs fields.

A new model (or field) is covered as soon as it is registered: the strategies below read the
annotations, so nothing here lists fields by hand. Payloads round-trip (all fields, and sparse);
mutated payloads decode or raise ValueError (from ``from_dict``) or InvalidResponseError (from a
call); any non-2xx answer is an APIStatusError subclass. Nothing else may escape.
"""

from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import types
import typing
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx
import pytest
import respx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import chargeapi
import chargeapi.resources
from chargeapi import _lookup, _registry
from chargeapi._models import ChargeObject

from .conftest import API, SEED_RESPONSE

NAMES: dict[str, Any] = {}  # every resource module's names: models refer across modules
for _module in pkgutil.iter_modules(chargeapi.resources.__path__):
    NAMES.update(vars(importlib.import_module(f"chargeapi.resources.{_module.name}")))

CI = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays stable
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, not shrunk
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # the client holds no state between examples
    ],
)
MODELS = dict(sorted(_registry._CLASSES.items()))
MAX_DEPTH = 2  # expanded objects inside expanded objects; deeper ones are IDs
JSON_NAME = "chargeapi_json_name"


def _nested(cls: type[Any], seen: set[type[Any]]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    for tp in typing.get_type_hints(cls, localns=NAMES).values():
        stack = [tp]
        while stack:
            t = stack.pop()
            if attrs.has(t):
                _nested(t, seen)
            stack.extend(typing.get_args(t))


def _all_models() -> list[type[Any]]:
    chargeapi.ChargingSession.from_dict(SEED_RESPONSE)  # resolves the lazy annotations
    seen: set[type[Any]] = set()
    for cls in MODELS.values():
        _nested(cls, seen)
    return sorted(seen, key=lambda c: c.__qualname__)


ALL_MODELS = _all_models()


def _fields(cls: type[Any]) -> list[tuple[str, Any, bool]]:
    """(JSON name, annotation, required) of each public field."""
    hints = typing.get_type_hints(cls, localns=NAMES)
    return [
        (f.metadata.get(JSON_NAME, f.name), hints[f.name], f.default is attrs.NOTHING)
        for f in attrs.fields(cls)
        if not f.name.startswith("_")
    ]


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_json_scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _text
_json = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_timestamp = st.datetimes(  # naive, made aware (UTC) below
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1)
).map(
    lambda d: (
        d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )
)


def _value(tp: Any, depth: int, sparse: bool) -> st.SearchStrategy[Any]:
    """A JSON value of the documented shape for annotation `tp`."""
    if tp is typing.Any:
        return _json
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = typing.get_args(tp)
        options = [
            a for a in args if not (attrs.has(a) and a in MODELS.values() and depth >= MAX_DEPTH)
        ]
        return st.one_of(*(_value(a, depth, sparse) for a in options))
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(tp))
    if origin is tuple:
        return st.lists(_value(typing.get_args(tp)[0], depth + 1, sparse), max_size=2)
    if origin in (dict, Mapping):
        _, value_type = typing.get_args(tp)
        return st.dictionaries(
            st.text(max_size=6).map("x_".__add__), _value(value_type, 9, sparse), max_size=3
        )
    if tp is type(None):
        return st.none()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**53), 2**53)
    if tp is float:
        return st.floats(allow_nan=False, allow_infinity=False, width=64)
    if tp is str:
        return _text
    if tp is datetime:
        return _timestamp
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([m.value for m in tp])
    if tp is ChargeObject:
        return st.sampled_from(sorted(MODELS)).flatmap(
            lambda name: _payload(MODELS[name], depth + 1, sparse)
        )
    if attrs.has(tp):
        return _payload(tp, depth + 1, sparse)
    raise AssertionError(f"no strategy for {tp!r}: teach _value this annotation")


def _payload(cls: type[Any], depth: int = 0, sparse: bool = False) -> st.SearchStrategy[Any]:
    fields = _fields(cls)
    required = {name: _value(tp, depth, sparse) for name, tp, req in fields if req or not sparse}
    optional = {name: _value(tp, depth, sparse) for name, tp, req in fields if not req and sparse}
    return st.fixed_dictionaries(required, optional=optional)


@pytest.mark.parametrize("cls", ALL_MODELS, ids=lambda c: c.__qualname__)
@CI
@given(data=st.data())
def test_every_field_present_round_trips(cls: type[Any], data: st.DataObject) -> None:
    payload = data.draw(_payload(cls))
    assert cls.from_dict(payload).to_dict() == payload


@pytest.mark.parametrize("cls", ALL_MODELS, ids=lambda c: c.__qualname__)
@CI
@given(data=st.data())
def test_sparse_payloads_round_trip(cls: type[Any], data: st.DataObject) -> None:
    payload = data.draw(_payload(cls, sparse=True))
    assert cls.from_dict(payload).to_dict() == payload


# -- mutations ----------------------------------------------------------------------------------


def _deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


DEEP = "__deep__"  # in a JSON body this string becomes 100,000 nested arrays
_JSON_MUTANTS = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        10**400,
        2**64,
        1.5,
        1e308,
        "",
        "x",
        "1842",
        [],
        {},
        [1, "a"],
        {"a": 1},
        DEEP,
    ]
)
_PYTHON_MUTANTS = (
    _JSON_MUTANTS.filter(lambda v: v != DEEP)
    | st.sampled_from(
        [float("nan"), float("inf"), b"bytes", (1, 2), frozenset({1}), object(), 1j, ...]
    )
    | st.builds(_deep, st.sampled_from([50, 5_000, 100_000]))
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _mutate(data: st.DataObject, payload: dict[str, Any], mutants: Any) -> dict[str, Any]:
    """Replace or delete values at random places (a copy)."""
    payload = json.loads(json.dumps(payload))
    paths = _paths(payload)  # before any mutant (100,000 levels deep) is in
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3)):
        parent: Any = payload
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):  # an earlier mutation removed it
                break
        else:
            if isinstance(parent, dict) and data.draw(st.booleans()):
                parent.pop(path[-1], None)
            elif isinstance(parent, dict) or (
                isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent)
            ):
                parent[path[-1]] = data.draw(mutants)
    return payload


@pytest.mark.parametrize("cls", list(MODELS.values()), ids=lambda c: c.__qualname__)
@CI
@given(data=st.data())
def test_mutated_payloads_decode_or_raise_value_error(cls: type[Any], data: st.DataObject) -> None:
    payload = _mutate(data, data.draw(_payload(cls)), _PYTHON_MUTANTS)
    try:
        decoded = cls.from_dict(payload)
    except ValueError:
        return
    assert isinstance(decoded, cls)


RETRIEVABLE = [  # every model chargeapi.retrieve(id) can fetch (not events, telemetry)
    name for name in MODELS if _registry.PREFIXES[name] in _lookup._by_prefix()
]


@pytest.mark.parametrize("name", RETRIEVABLE)
@CI
@given(data=st.data())
def test_mutated_200_answers_decode_or_raise_invalid_response(
    client: chargeapi.Client, name: str, data: st.DataObject
) -> None:
    object_id = _registry.PREFIXES[name] + "prop"
    payload = _mutate(data, data.draw(_payload(MODELS[name])), _JSON_MUTANTS)
    body = json.dumps(payload).replace(json.dumps(DEEP), "[" * 100_000 + "]" * 100_000)
    with respx.mock:
        respx.get(url__regex=rf"^{API}/v1/.*/{object_id}$").respond(200, text=body)
        try:
            decoded = chargeapi.retrieve(object_id, client=client)
        except chargeapi.InvalidResponseError:
            return
    assert isinstance(decoded, MODELS[name])


# -- error bodies -------------------------------------------------------------------------------

_error_body = st.one_of(
    st.binary(max_size=64),
    _json.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "type": _json,
            "code": _json,
            "message": _json,
            "param": _json,
            "request": _json,
            "doc_url": _json,
        },
    ).map(lambda v: json.dumps(v).encode()),
    st.builds(lambda n: b"[" * n + b"]" * n, st.sampled_from([10, 100_000])),
)
_header_value = st.binary(max_size=16).map(
    lambda b: bytes(c for c in b if c not in b"\r\n\x00").strip()
)
_headers = st.lists(
    st.tuples(
        st.sampled_from(
            [b"Retry-After", b"Request-Id", b"Content-Type", b"X-Odd", b"Content-Encoding"]
        ),
        _header_value,
    ),
    max_size=4,
)


@CI
@given(
    status=st.integers(300, 599).filter(lambda s: s not in (304,)),
    body=_error_body,
    headers=_headers,
)
def test_any_error_answer_is_an_api_status_error(
    client: chargeapi.Client, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    with respx.mock:
        respx.get(f"{API}/v1/charging_sessions/cs_prop").mock(
            return_value=httpx.Response(status, headers=headers, content=body)
        )
        with pytest.raises(chargeapi.APIStatusError) as caught:
            chargeapi.ChargingSession.retrieve("cs_prop", client=client)
    assert caught.value.status_code == status
