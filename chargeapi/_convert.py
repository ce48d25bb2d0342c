"""The one place that knows how ChargeAPI JSON maps onto the models, both ways.

Rules (every model follows them; models themselves hold data only):

* Timestamps: RFC 3339 strings (``Z`` or an offset) and integer UNIX seconds both become aware
  UTC datetimes; they go back out as RFC 3339 with milliseconds and ``Z``.
* Open enums (``Status | str``): a known value becomes the StrEnum member (so ``status ==
  "active"`` works), an unknown one stays a plain str. Never an error.
* Expandable fields (``str | Driver``): an ID string stays a str; an expanded object becomes the
  model, checked against the registry (a ``vehicle`` object where a driver belongs is an error).
* Any object (``ChargeObject | dict[str, Any]``, an event's ``data.object``): the registry picks
  the model by the ``object`` field (else the ID prefix); an object it has no model for, or that
  does not fit its model, stays a plain dict. An event is a snapshot rendered with the event's own
  ``api_version``, which may not be the one the models describe: it must still be delivered.
* Unknown fields are ignored by decoding but kept, so ``to_dict()`` gives them back; fields the
  input left out (and that still hold their default) are left out again, so ``to_dict()`` gives
  back exactly what was decoded, even an elided or older payload.
* Scalars are strict: an amount that arrives as ``"1842"`` or ``18.42`` is a shape error, not a
  silent conversion, so money and energy stay exact integer minor units and Wh.
* A JSON key that is not a Python name (``24_7_access``) is declared on the field with
  ``json_name(...)``.

Decoding runs a fast converter; only when it fails is the input decoded again with detailed
validation to say *where* it is wrong. No cattrs exception leaves this module.
"""

from __future__ import annotations

import enum
import functools
import re
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from ._registry import class_for

__all__ = ["InvalidData", "from_json", "json_name", "to_json"]

T = TypeVar("T")

_JSON_NAME = "chargeapi_json_name"
UNKNOWN_FIELDS = "_unknown"  # the attribute every model keeps unknown JSON fields in
ABSENT_FIELDS = "_absent"  # ... and the JSON names of defaulted fields the input did not have


_resolvers: list[Callable[[], None]] = []
_resolve_lock = threading.Lock()


def resolve_annotations_later(resolve: Callable[[], None]) -> None:
    """Run ``resolve`` before the first model is decoded or encoded, not at import time.

    Models refer to each other across modules by name; resolving those names costs import time
    that a process which never decodes anything should not pay.
    """
    _resolvers.append(resolve)


def _resolve_pending() -> None:
    if _resolvers:  # once per process; threads decoding their first object wait for it
        with _resolve_lock:
            while _resolvers:
                _resolvers[-1]()
                _resolvers.pop()


class InvalidData(ValueError):
    """Data that does not fit a model; the message says where and why (no cattrs types)."""


_JSON_NAMES: dict[str, str] = {}  # Python attribute -> JSON key, for error paths


def json_name(name: str) -> dict[str, str]:
    """Field metadata for a JSON key that is no Python name: ``metadata=json_name("from")``."""
    return {_JSON_NAME: name}


def _json_path(message: str) -> str:
    """Error paths speak JSON: ``$.capabilities.24_7_access``, not the Python attribute."""
    return re.sub(r"\.(\w+)", lambda m: "." + _JSON_NAMES.get(m[1], m[1]), message)


# -- scalars ---------------------------------------------------------------------------------


def _strict(kind: type[T], *, allow: tuple[type, ...] = ()) -> Callable[[Any, Any], T]:
    accepted = (kind, *allow)

    def structure(value: Any, _: Any) -> T:
        if type(value) is kind:  # the common case, checked first
            return value
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got bool")
        if not isinstance(value, accepted):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value if type(value) is kind else kind(value)  # type: ignore[call-arg]

    return structure


def _structure_datetime(value: Any, _: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected an RFC 3339 timestamp, got {value!r}") from None
        if parsed.tzinfo is UTC:  # "...Z", as the API sends it
            return parsed
        if parsed.tzinfo is None:  # no offset given: the API speaks UTC
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    raise TypeError(
        f"expected a timestamp (RFC 3339 str or UNIX seconds), got {type(value).__name__}"
    )


def _unstructure_datetime(value: datetime) -> str:
    value = value.astimezone(UTC)
    spec = "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


# -- unions: open enums and expandable fields --------------------------------------------------


def _union_args(tp: Any) -> tuple[Any, ...]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return typing.get_args(tp)
    return ()


def _open_enum(tp: Any) -> type[enum.StrEnum] | None:
    args = _union_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, enum.StrEnum)]
    rest = set(args) - set(enums) - {str, type(None)}
    return enums[0] if len(enums) == 1 and str in args and not rest else None


def _expandable(tp: Any) -> type[Any] | None:
    args = _union_args(tp)
    models = [a for a in args if attrs.has(a)]
    rest = set(args) - set(models) - {str, type(None)}
    return models[0] if len(models) == 1 and str in args and not rest else None


def _any_object(tp: Any) -> type[Any] | None:
    args = _union_args(tp)
    models = [a for a in args if attrs.has(a)]
    dicts = [a for a in args if typing.get_origin(a) is dict]
    rest = set(args) - set(models) - set(dicts) - {type(None)}
    return models[0] if len(models) == 1 and len(dicts) == 1 and not rest else None


def _structure_number(value: Any, _: Any) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _configure(conv: cattrs.Converter, *, generate: bool = False) -> None:
    """Install every JSON rule on ``conv`` (used for the fast and the detailed converter).

    ``generate``: models decode through functions written for them (the fast converter).
    """
    _install_scalars(conv)
    _install_unions(conv)
    _install_any_object(conv)
    _install_models(conv, generate=generate)


def _install_scalars(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(str, _strict(str))
    conv.register_structure_hook(int, _strict(int))
    conv.register_structure_hook(float, _strict(float, allow=(int,)))
    conv.register_structure_hook(bool, _strict(bool))
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook(int | float, _structure_number)  # kept as sent: 150 or 7.4 kW
    conv.register_structure_hook(
        int | float | None, lambda v, t: None if v is None else _structure_number(v, t)
    )


def _install_unions(conv: cattrs.Converter) -> None:
    def open_enum_hooks(tp: Any) -> Callable[[Any, Any], Any]:
        members = typing.cast(type[enum.StrEnum], _open_enum(tp))._value2member_map_
        optional = type(None) in typing.get_args(tp)

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                return members.get(value, value)
            if value is None and optional:
                return None
            raise TypeError(f"expected str, got {type(value).__name__}")

        return structure

    conv.register_structure_hook_factory(lambda tp: _open_enum(tp) is not None, open_enum_hooks)
    conv.register_unstructure_hook_factory(
        lambda tp: _open_enum(tp) is not None,
        lambda _tp: lambda value: value.value if isinstance(value, enum.Enum) else value,
    )

    def expandable_hooks(tp: Any) -> Callable[[Any, Any], Any]:
        model = typing.cast(type[Any], _expandable(tp))
        structure_model = conv.get_structure_hook(model)
        optional = type(None) in typing.get_args(tp)

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                return value
            if isinstance(value, dict):
                found = class_for(value)
                if found is not None and found is not model:
                    raise TypeError(f"expected a {model.__name__} object, got {found.__name__}")
                return structure_model(value, model)
            if value is None and optional:
                return None
            raise TypeError(
                f"expected an ID or an expanded {model.__name__} object, got {type(value).__name__}"
            )

        return structure

    def unstructure_expandable(tp: Any) -> Callable[[Any], Any]:
        unstructure_model = conv.get_unstructure_hook(typing.cast(type[Any], _expandable(tp)))
        return lambda value: (
            value if value is None or isinstance(value, str) else unstructure_model(value)
        )

    conv.register_structure_hook_factory(lambda tp: _expandable(tp) is not None, expandable_hooks)
    conv.register_unstructure_hook_factory(
        lambda tp: _expandable(tp) is not None, unstructure_expandable
    )


def _install_any_object(conv: cattrs.Converter) -> None:
    def structure_hook(tp: Any) -> Callable[[Any, Any], Any]:
        base = typing.cast(type[Any], _any_object(tp))
        optional = type(None) in typing.get_args(tp)

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, dict):
                found = class_for(value)
                if found is not None and issubclass(found, base):
                    try:
                        return conv.get_structure_hook(found)(value, found)
                    except Exception:  # noqa: S110 - another version's shape: keep it as sent
                        pass
                return dict(value)  # no model for it, or not this version's shape: as sent
            if value is None and optional:
                return None
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")

        return structure

    def unstructure(value: Any) -> Any:
        if isinstance(value, dict):
            return dict(value)
        return None if value is None else conv.unstructure(value)  # by its own class

    conv.register_structure_hook_factory(lambda tp: _any_object(tp) is not None, structure_hook)
    conv.register_unstructure_hook_factory(
        lambda tp: _any_object(tp) is not None, lambda _tp: unstructure
    )


def _field_code(conv: cattrs.Converter, tp: Any, i: int, ns: dict[str, Any]) -> str:
    """The expression that decodes local ``v`` for a field of type ``tp``.

    Hooks are looked up here, once per model; ``X | None`` tests for None inline and exact
    str/int/bool values pass without a call, as the hooks themselves would let them.
    """
    args = _union_args(tp)
    if type(None) in args and _open_enum(tp) is None and _expandable(tp) is None:
        rest = [a for a in args if a is not type(None)]
        inner = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        return f"None if v is None else ({_field_code(conv, inner, i, ns)})"
    ns[f"h{i}"], ns[f"t{i}"] = conv.get_structure_hook(tp), tp
    if tp in (str, int) or _expandable(tp) is not None:  # an ID string stays as it is
        kind = "int" if tp is int else "str"
        return f"v if type(v) is {kind} else h{i}(v, t{i})"
    if (found := _open_enum(tp)) is not None:  # a known value becomes the member
        ns[f"m{i}"] = found._value2member_map_
        return f"m{i}.get(v, v) if type(v) is str else h{i}(v, t{i})"
    if typing.get_origin(tp) is typing.Literal and all(type(x) is str for x in typing.get_args(tp)):
        ns[f"l{i}"] = frozenset(typing.get_args(tp))
        return f"v if type(v) is str and v in l{i} else h{i}(v, t{i})"
    return f"h{i}(v, t{i})"


def _generated_structure(
    conv: cattrs.Converter, cls: type[Any]
) -> Callable[[Any, Any], Any] | None:
    """A structure function written for ``cls``: straight-line code, hooks bound in advance.

    It raises on the first problem (KeyError, TypeError, ValueError) and says little; callers
    decode again with the detailed converter to say where. None if an annotation of ``cls``
    cannot be resolved from its own module (cattrs' generic function is used then).
    """
    if any(isinstance(a.type, str) for a in attrs.fields(cls)):
        try:
            attrs.resolve_types(cls)
        except NameError:
            return None
    fields = [a for a in attrs.fields(cls) if a.name not in (UNKNOWN_FIELDS, ABSENT_FIELDS)]
    ns: dict[str, Any] = {
        "cls": cls,
        "proxy": types.MappingProxyType,
        "known": frozenset(a.metadata.get(_JSON_NAME, a.name) for a in fields),
    }
    lines = [
        "def structure(o, _):",
        "    if type(o) is not dict and not isinstance(o, dict):",
        f"        raise TypeError('expected a {cls.__name__} JSON object, got '"
        " + type(o).__name__)",
        "    kw = {}",
        "    absent = None",
    ]
    required = []
    for i, a in enumerate(fields):
        key = a.metadata.get(_JSON_NAME, a.name)
        code = _field_code(conv, a.type, i, ns)
        if a.default is attrs.NOTHING:
            lines += [f"    v = o[{key!r}]", f"    f{i} = {code}"]
            required.append(f"{a.alias}=f{i}")
        else:
            lines += [
                f"    if {key!r} in o:",
                f"        v = o[{key!r}]",
                f"        kw[{a.alias!r}] = {code}",
                "    else:",
                f"        absent = (absent or ()) + ({key!r},)",
            ]
    lines += [
        # Every key was a field's unless there are more keys than fields found.
        f"    if len(o) != {len(required)} + len(kw):",
        "        kw['_unknown'] = proxy({k: x for k, x in o.items() if k not in known})",
        "    if absent:",
        "        kw['_absent'] = frozenset(absent)",
        f"    return cls({', '.join([*required, '**kw'])})",
    ]
    exec(compile("\n".join(lines), f"<chargeapi structure {cls.__qualname__}>", "exec"), ns)  # noqa: S102 - code built above from field names only
    structure: Callable[[Any, Any], Any] = ns["structure"]
    return structure


def _install_models(conv: cattrs.Converter, *, generate: bool = False) -> None:  # noqa: PLR0915
    def overrides(cls: type[Any]) -> dict[str, Any]:
        # JSON names that are not Python names, and the unknown-fields slot (not a JSON field).
        found: dict[str, Any] = {}
        for a in attrs.fields(cls):
            if _JSON_NAME in a.metadata:
                found[a.name] = override(rename=a.metadata[_JSON_NAME])
                _JSON_NAMES[a.name] = a.metadata[_JSON_NAME]
        found[UNKNOWN_FIELDS] = override(omit=True)
        found[ABSENT_FIELDS] = override(omit=True)
        return found

    written: dict[type[Any], Callable[[Any, Any], Any]] = {}
    building: set[type[Any]] = set()
    lock = threading.RLock()  # racing first decodes write each model once

    def finished(cls: type[Any]) -> Callable[[Any, Any], Any]:
        with lock:  # held by whoever is still writing it
            return written[cls]

    def model_structure(cls: type[Any]) -> Callable[[Any, Any], Any]:
        _resolve_pending()
        if not generate:
            return generic_structure(cls)
        with lock:
            if cls in written:
                return written[cls]
            if cls in building:  # reached again through its own fields: found when called
                return lambda value, tp: finished(cls)(value, tp)  # noqa: PLW0108 - later
            building.add(cls)
            try:
                function = _generated_structure(conv, cls) or generic_structure(cls)
            finally:
                building.discard(cls)
            written[cls] = function
            return function

    def generic_structure(cls: type[Any]) -> Callable[[Any, Any], Any]:
        generated = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_use_alias=False,
            **overrides(cls),
        )
        fields = [a for a in attrs.fields(cls) if a.name not in (UNKNOWN_FIELDS, ABSENT_FIELDS)]
        known = frozenset(a.metadata.get(_JSON_NAME, a.name) for a in fields)
        defaulted = frozenset(
            a.metadata.get(_JSON_NAME, a.name) for a in fields if a.default is not attrs.NOTHING
        )

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(
                    f"expected a {cls.__name__} JSON object, got {type(value).__name__}"
                )
            obj = generated(value, cls)
            if not known.issuperset(value):
                unknown = {k: v for k, v in value.items() if k not in known}
                object.__setattr__(obj, UNKNOWN_FIELDS, types.MappingProxyType(unknown))
            if not defaulted.issubset(value):
                object.__setattr__(obj, ABSENT_FIELDS, defaulted.difference(value))
            return obj

        return structure

    def model_unstructure(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        _resolve_pending()
        generated = make_dict_unstructure_fn(
            cls,
            conv,
            _cattrs_use_alias=False,
            **overrides(cls),
        )

        defaults = {
            a.metadata.get(_JSON_NAME, a.name): a.default
            for a in attrs.fields(cls)
            if a.default is not attrs.NOTHING and a.name not in (UNKNOWN_FIELDS, ABSENT_FIELDS)
        }

        def unstructure(obj: Any) -> dict[str, Any]:
            data = generated(obj)
            for key in getattr(obj, ABSENT_FIELDS):  # absent on input, and still the default
                default = defaults[key]
                factory = getattr(default, "factory", None)  # an attrs.Factory
                value = default if factory is None else factory()
                if data[key] == conv.unstructure(value):
                    del data[key]
            data.update(getattr(obj, UNKNOWN_FIELDS))
            return data

        return unstructure

    conv.register_structure_hook_factory(attrs.has, model_structure)
    conv.register_unstructure_hook_factory(attrs.has, model_unstructure)


_fast = cattrs.Converter(detailed_validation=False, unstruct_collection_overrides={tuple: list})
_configure(_fast, generate=True)


@functools.cache
def _detailed() -> cattrs.Converter:
    """The slow converter that reports paths; built on the first failure only."""
    conv = cattrs.Converter(detailed_validation=True)
    _configure(conv)
    return conv


def _explain(cls: type[Any], data: Any, fallback: Exception) -> str:
    """Where and why ``data`` does not fit ``cls``, decoded again with detailed validation."""
    try:
        _detailed().structure(data, cls)
    except Exception as detailed:
        messages = cattrs.transform_error(detailed, path="$", format_exception=_describe)
        return _json_path("; ".join(messages[:5]))
    return str(fallback) or type(fallback).__name__


def _describe(error: BaseException, _type: Any) -> str:
    if isinstance(error, KeyError):
        return "required field missing"
    return str(error) or format_exception(error, _type)


_hooks: dict[Any, Callable[[Any, Any], Any]] = {}  # the fast converter's, by class


def from_json(cls: type[T], data: Any) -> T:
    """Decode JSON-shaped ``data`` into ``cls``, or raise InvalidData saying what is wrong."""
    try:
        hook = _hooks.get(cls)
        if hook is None:
            hook = _hooks[cls] = _fast.get_structure_hook(cls)
        result: T = hook(data, cls)
    except Exception as error:
        raise InvalidData(_explain(cls, data, error)) from None
    return result


def from_json_list(cls: type[T], items: list[Any]) -> list[T]:
    """``from_json`` for each item of a list (a page): one hook lookup for all of them."""
    hook = _hooks.get(cls)
    if hook is None:
        hook = _hooks[cls] = _fast.get_structure_hook(cls)
    try:
        return [hook(item, cls) for item in items]
    except Exception:  # noqa: S110 - decoded again one by one, to say which and why
        pass
    return [from_json(cls, item) for item in items]


def to_json(obj: Any) -> dict[str, Any]:
    """The JSON-shaped dict of a model; ``from_json(type(obj), to_json(obj)) == obj``."""
    result: dict[str, Any] = _fast.unstructure(obj)
    return result


def unknown_fields_default() -> Mapping[str, Any]:
    """The shared, empty, read-only default for a model's unknown fields."""
    return _EMPTY


_EMPTY: Mapping[str, Any] = types.MappingProxyType({})
