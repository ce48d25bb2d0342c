"""The one place that knows how ChargeAPI JSON maps onto the models, both ways.

Rules (every model follows them; models themselves hold data only):

* Timestamps: RFC 3339 strings (``Z`` or an offset) and integer UNIX seconds both become aware
  UTC datetimes; they go back out as RFC 3339 with milliseconds and ``Z``.
* Open enums (``Status | str``): a known value becomes the StrEnum member (so ``status ==
  "active"`` works), an unknown one stays a plain str. Never an error.
* Expandable fields (``str | Driver``): an ID string stays a str; an expanded object becomes the
  model, checked against the registry (a ``vehicle`` object where a driver belongs is an error).
* Any object (``ChargeObject | dict[str, Any]``, an event's ``data.object``): the registry picks
  the model by the ``object`` field (else the ID prefix); an object it has no model for stays a
  plain dict. An event is a snapshot rendered with the event's own ``api_version``, which may
  not be the one the models describe: it must still be delivered, so a snapshot that does not
  fit its model decodes leniently (see below), whatever the caller asked for.
* Unknown fields are ignored by decoding but kept, so ``to_dict()`` gives them back; fields the
  input left out (and that still hold their default) are left out again, so ``to_dict()`` gives
  back exactly what was decoded, even an elided or older payload.
* Scalars are strict: an amount that arrives as ``"1842"`` or ``18.42`` is a shape error, not a
  silent conversion, so money and energy stay exact integer minor units and Wh. A ``float``
  field (a documented ``number``) takes a JSON integer as a float. Arrays must be JSON arrays
  and objects JSON objects (a string is no tuple of characters).
* A JSON key that is not a Python name (``24_7_access``) is declared on the field with
  ``json_name(...)``.

Decoding runs a fast converter that rejects anything off the declared types. Only when it fails
is the input walked again field by field (``_lenient.py``), to say *where* it is wrong: ``strict``
decoding raises InvalidData naming each path (``Invoice.period_start: missing``); lenient
decoding (API responses by default) keeps what was sent in those fields and logs one warning
per model field per process. Successful decodes never pay for either. No cattrs exception
leaves this module.
"""

from __future__ import annotations

import copy
import enum
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._exceptions import InvalidDataError
from ._json import key_objects
from ._registry import class_for

__all__ = ["InvalidData", "from_json", "json_name", "to_json"]

T = TypeVar("T")

_JSON_NAME = "chargeapi_json_name"
UNKNOWN_FIELDS = "_unknown"  # the attribute every model keeps unknown JSON fields in
LAST_RESPONSE = "_last_response"  # where a returned model keeps its HTTP answer: not JSON
ABSENT_FIELDS = "_absent"  # ... and the JSON names of defaulted fields the input did not have
_NOT_JSON = (UNKNOWN_FIELDS, ABSENT_FIELDS, LAST_RESPONSE)


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


# Data that does not fit a model; the message says where and why (no cattrs types). Public as
# chargeapi.InvalidDataError, which is also a ValueError.
InvalidData = InvalidDataError


def json_name(name: str) -> dict[str, str]:
    """Field metadata for a JSON key that is no Python name: ``metadata=json_name("from")``."""
    return {_JSON_NAME: name}


# -- scalars ---------------------------------------------------------------------------------


def _strict(kind: type[T], *, allow: tuple[type, ...] = ()) -> Callable[[Any, Any], T]:
    accepted = (kind, *allow)

    def structure(value: Any, _: Any) -> T:
        if type(value) is kind:  # the common case, checked first
            return value
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {kind.__name__}, got bool")
        if not isinstance(value, accepted):
            raise TypeError(f"expected {kind.__name__}, got {_json_type(value)}")
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
    raise TypeError(f"expected a timestamp (RFC 3339 str or UNIX seconds), got {_json_type(value)}")


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


def _configure(conv: cattrs.Converter, *, generate: bool = False) -> None:
    """Install every JSON rule on ``conv``.

    ``generate``: models decode through functions written for them (the fast converter).
    """
    _install_scalars(conv)
    _install_collections(conv)
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


def _homogeneous_tuple(tp: Any) -> Any | None:
    """The item type of ``tuple[X, ...]``, else None."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _string_mapping(tp: Any) -> Any | None:
    """The value type of ``Mapping[str, X]`` / ``dict[str, X]``, else None."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (dict, Mapping) and len(args) == 2 and args[0] is str:
        return args[1]
    return None


def _install_collections(conv: cattrs.Converter) -> None:
    """Arrays must be JSON arrays and objects JSON objects: cattrs alone would make a tuple of
    a string's characters, or of a dict's keys."""

    def tuple_hook(tp: Any) -> Callable[[Any, Any], Any]:
        item = _homogeneous_tuple(tp)
        structure_item = conv.get_structure_hook(item)
        exact = item if item in (str, int) else None  # such items pass as they are, unchecked

        def structure(value: Any, _: Any) -> Any:
            items: list[Any] = value  # checked next
            if type(items) is not list:
                raise TypeError(f"expected an array, got {_json_type(value)}")
            if exact is not None:
                for x in items:
                    if type(x) is not exact:
                        break
                else:
                    return tuple(items)
            return tuple([structure_item(x, item) for x in items])

        return structure

    def mapping_hook(tp: Any) -> Callable[[Any, Any], Any]:
        item = _string_mapping(tp)
        if item is Any:

            def structure_any(value: Any, _: Any) -> Any:
                values: dict[str, Any] = value  # checked next
                if type(values) is not dict:
                    raise TypeError(f"expected an object, got {_json_type(value)}")
                return dict(values)

            return structure_any
        structure_item = conv.get_structure_hook(item)
        exact = item if item in (str, int) else None  # such values pass as they are, unchecked

        def structure(value: Any, _: Any) -> Any:
            values: dict[str, Any] = value  # checked next
            if type(values) is not dict:
                raise TypeError(f"expected an object, got {_json_type(value)}")
            if exact is not None:
                for x in values.values():
                    if type(x) is not exact:
                        break
                else:
                    return dict(values)
            return {k: structure_item(x, item) for k, x in values.items()}

        return structure

    conv.register_structure_hook_factory(lambda tp: _homogeneous_tuple(tp) is not None, tuple_hook)
    conv.register_structure_hook_factory(lambda tp: _string_mapping(tp) is not None, mapping_hook)


def _json_type(value: Any) -> str:
    """How JSON would name ``value``'s type, for messages (``got null``, ``got float``)."""
    return "null" if value is None else type(value).__name__


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

    def unstructure_open_enum(value: Any) -> Any:
        return value.value if isinstance(value, enum.Enum) else value

    def unstructure_open_enum_hook(_tp: Any) -> Callable[[Any], Any]:
        return unstructure_open_enum

    conv.register_unstructure_hook_factory(
        lambda tp: _open_enum(tp) is not None, unstructure_open_enum_hook
    )

    def expandable_hooks(tp: Any) -> Callable[[Any, Any], Any]:
        model = typing.cast(type[Any], _expandable(tp))
        structure_model = conv.get_structure_hook(model)
        optional = type(None) in typing.get_args(tp)

        def structure(value: Any, _: Any) -> Any:
            if isinstance(value, str):
                return value
            if isinstance(value, dict):
                found = class_for(typing.cast("dict[str, Any]", value))
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
                data = typing.cast("dict[str, Any]", value)
                found = class_for(data)
                if found is not None and issubclass(found, base):
                    try:
                        return conv.get_structure_hook(found)(data, found)
                    except Exception:  # another version's shape: decoded leniently
                        from ._lenient import snapshot  # noqa: PLC0415 - only on a failure

                        return snapshot(found, data)
                return dict(data)  # no model for it: as sent
            if value is None and optional:
                return None
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")

        return structure

    def unstructure(value: Any) -> Any:
        if isinstance(value, dict):
            return dict(typing.cast("dict[str, Any]", value))
        return None if value is None else conv.unstructure(value)  # by its own class

    conv.register_structure_hook_factory(lambda tp: _any_object(tp) is not None, structure_hook)

    def unstructure_hook(_tp: Any) -> Callable[[Any], Any]:
        return unstructure

    conv.register_unstructure_hook_factory(lambda tp: _any_object(tp) is not None, unstructure_hook)


def _field_code(conv: cattrs.Converter, tp: Any, i: int, ns: dict[str, Any]) -> str:
    """The expression that decodes local ``v`` for a field of type ``tp``.

    Hooks are looked up here, once per model; ``X | None`` tests for None inline, exact
    str/int/bool values pass without a call (as the hooks themselves would let them), known
    enum values become their member by one dict lookup, and an RFC 3339 timestamp in UTC (as
    the API sends it) goes straight to ``datetime.fromisoformat``.
    """
    args = _union_args(tp)
    optional = type(None) in args
    if optional and _open_enum(tp) is None and _expandable(tp) is None:
        rest = [a for a in args if a is not type(None)]
        inner = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
        return f"None if v is None else ({_field_code(conv, inner, i, ns)})"
    ns[f"h{i}"], ns[f"t{i}"] = conv.get_structure_hook(tp), tp
    call = f"h{i}(v, t{i})"
    if optional:  # an optional ID or open enum: None stays None without a call
        call = f"None if v is None else {call}"
    if tp in (str, int, float, bool):
        return f"v if type(v) is {tp.__name__} else {call}"
    if (model := _expandable(tp)) is not None:  # an ID string stays as it is
        name = getattr(model, "__chargeapi_object__", None)
        if name is None:
            return f"v if type(v) is str else {call}"
        # An expanded object that says it is one: straight to the model's own function.
        ns[f"g{i}"], ns[f"M{i}"] = conv.get_structure_hook(model), model
        return (
            f"v if type(v) is str else g{i}(v, M{i}) if type(v) is dict"
            f" and v.get(key_object) == {name!r} else {call}"
        )
    if (found := _open_enum(tp)) is not None:  # a known value becomes the member
        ns[f"m{i}"] = found._value2member_map_
        return f"m{i}.get(v, v) if type(v) is str else {call}"
    if typing.get_origin(tp) is typing.Literal and all(type(x) is str for x in typing.get_args(tp)):
        ns[f"l{i}"] = frozenset(typing.get_args(tp))
        return f"v if type(v) is str and v in l{i} else {call}"
    if tp is datetime:  # "...Z" parses to UTC itself; anything else takes the hook's way
        ns["fromiso"], ns["UTC"] = datetime.fromisoformat, UTC
        return f"(d if type(v) is str and (d := fromiso(v)).tzinfo is UTC else {call})"
    return call


_HASH_CACHE = "_attrs_cached_hash"  # the slot attrs adds for cache_hash=True


def _slotted_fields(cls: type[Any]) -> bool:
    """Whether every attrs field of ``cls`` is a plain slot ``__init__`` would only store into
    (no validators, converters, pre/post-init hooks, no field ``__init__`` does not take, as a
    user's subclass may add): only then may decoding fill the slots without ``__init__``."""
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        return False
    if any(_HASH_CACHE in vars(k).get("__slots__", ()) for k in cls.__mro__):
        return False  # attrs' cache_hash=True: a slot only its __init__ empties
    for a in attrs.fields(cls):
        if a.validator is not None or a.converter is not None:
            return False
        if not a.init and a.name not in _NOT_JSON:
            return False
        slot = next((k.__dict__[a.name] for k in cls.__mro__ if a.name in k.__dict__), None)
        if type(slot) is not types.MemberDescriptorType:
            return False
    return True


def _filling_class(cls: type[Any]) -> type[Any]:
    """A subclass of ``cls`` with the same memory layout and plain attribute assignment.

    A new object is created as this class, its slots filled by ordinary assignments (which
    the interpreter specializes into direct slot stores: several times cheaper than calling
    each slot descriptor, or attrs' frozen ``__init__``'s ``object.__setattr__``), and then
    turned into ``cls`` by assigning ``__class__``, which the layouts allow. ``__setattr__``
    and ``__delattr__`` share one type slot, so both must be ``object``'s for the fast store.
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": cls.__module__,
        "__qualname__": f"{cls.__qualname__}._Filling",
    }
    return types.new_class(
        f"{cls.__name__}_Filling", (cls,), exec_body=lambda ns: ns.update(namespace)
    )


def _generated_structure(
    conv: cattrs.Converter, cls: type[Any]
) -> Callable[[Any, Any], Any] | None:
    """A structure function written for ``cls``: straight-line code, hooks bound in advance.

    It fills the slots of a new instance directly (see ``_filling_class``: what attrs' frozen
    ``__init__`` does through ``object.__setattr__``, without its cost), so a decoded object is
    the same as one built by ``cls(...)``. It raises on the first problem (KeyError,
    TypeError, ValueError) and says little; callers decode again with the detailed converter to
    say where. None if an annotation of ``cls`` cannot be resolved from its own module, or the
    class needs its ``__init__`` (cattrs' generic function is used then).
    """
    if any(isinstance(a.type, str) for a in attrs.fields(cls)):
        try:
            attrs.resolve_types(cls)
        except NameError:
            return None
    names = {a.name for a in attrs.fields(cls)}
    if not _slotted_fields(cls) or not names.issuperset(_NOT_JSON):
        return None
    if type(cls) is not type or hasattr(cls.__init_subclass__, "__func__"):
        return None  # a user's class that acts on its subclasses: it must not see a hidden one
    try:
        filling = _filling_class(cls)
    except Exception:  # a user's class whose __init_subclass__ refuses a subclass
        return None
    fields = [a for a in attrs.fields(cls) if a.name not in _NOT_JSON]
    keys = [a.metadata.get(_JSON_NAME, a.name) for a in fields]
    key_object = key_objects(["object", *keys])  # the str objects JSON decoding gives them
    ns: dict[str, Any] = {
        "new": object.__new__,
        "key_object": key_object["object"],
        "cls": cls,
        "Filling": filling,
        "proxy": types.MappingProxyType,
        "deepcopy": copy.deepcopy,
        "known": frozenset(keys),
        "EMPTY": _EMPTY,
        "NONE_ABSENT": frozenset(),
    }
    body = [
        "if type(o) is not dict and not isinstance(o, dict):",
        f"    raise TypeError('expected a {cls.__name__} JSON object, got ' + type(o).__name__)",
        "obj = new(Filling)",
        "absent = None",
    ]
    # Lines only the list function has: whether a field that can hold an object holds more
    # than an ID (by index into ``body``, after which each goes).
    flags: dict[int, str] = {}
    for i, (a, key) in enumerate(zip(fields, keys, strict=True)):
        code = _field_code(conv, a.type, i, ns)
        ns[f"k{i}"] = key_object[key]
        flag = "if v is not None and type(v) is not str: linked = True"
        if a.default is attrs.NOTHING:
            body += [f"v = o[k{i}]", f"obj.{a.name} = {code}"]
            if _holds_model(a.type):
                flags[len(body) - 1] = flag
            continue
        if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            if a.default.takes_self:
                return None
            ns[f"d{i}"], default = a.default.factory, f"d{i}()"
        else:
            ns[f"d{i}"], default = a.default, f"d{i}"
        body += [f"if k{i} in o:", f"    v = o[k{i}]", f"    obj.{a.name} = {code}"]
        if _holds_model(a.type):
            flags[len(body) - 1] = "    " + flag
        body += [
            "else:",
            f"    obj.{a.name} = {default}",
            f"    absent = (absent or ()) + ({key!r},)",
        ]
    body += [
        # Every key was a field's unless there are more keys than fields found.
        f"if len(o) == {len(fields)} - (0 if absent is None else len(absent)):",
        f"    obj.{UNKNOWN_FIELDS} = EMPTY",
        "else:",
        # Copied: a frozen model must not change when the caller's dict does.
        f"    obj.{UNKNOWN_FIELDS} = proxy("
        "{k: deepcopy(x) for k, x in o.items() if k not in known})",
        f"obj.{ABSENT_FIELDS} = NONE_ABSENT if absent is None else frozenset(absent)",
        f"obj.{LAST_RESPONSE} = None",
        "obj.__class__ = cls",
    ]
    lines = ["def structure(o, _):", *("    " + line for line in body), "    return obj"]
    if "id" in attrs.fields_dict(cls):  # an API object: pages of it can be listed
        each: list[str] = []
        for n, line in enumerate(body):
            each += [line, flags[n]] if n in flags else [line]
        lines += [
            "def structure_list(data, expected, prefix):",
            "    out = []",
            "    append = out.append",
            "    linked = False",
            "    for o in data:",
            *("        " + line for line in each),
            "        if o.get(key_object) != expected or not obj.id.startswith(prefix):",
            "            raise LookupError('an item of another type')",
            "        append(obj)",
            "    return out, linked",
        ]
    exec(compile("\n".join(lines), f"<chargeapi structure {cls.__qualname__}>", "exec"), ns)  # noqa: S102 - code built above from field names only
    if "structure_list" in ns:
        _list_hooks[cls] = ns["structure_list"]
    structure: Callable[[Any, Any], Any] = ns["structure"]
    return structure


def _holds_model(tp: Any) -> bool:
    """Whether a field of type ``tp`` can hold a model (an expanded object, a nested part)."""
    if isinstance(tp, type) and attrs.has(tp):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(tp))


# A page's items decoded and checked in one function: (items, whether a field that can hold an
# object holds more than an ID in any of them). Written with the model's structure function.
ListHook = Callable[[list[Any], str, str], tuple[list[Any], bool]]
_list_hooks: dict[type[Any], ListHook] = {}


def list_hook(cls: type[Any]) -> ListHook | None:
    """The function that decodes a page of ``cls`` (see ``_generated_structure``), if any: a
    ``list[dict]``, the ``object`` every item must name and the prefix of every item's ID.
    It raises on the first item that does not fit or is of another type, saying little."""
    fast_hook(cls)  # writes it, the first time
    return _list_hooks.get(cls)


def _install_models(conv: cattrs.Converter, *, generate: bool = False) -> None:  # noqa: PLR0915
    def overrides(cls: type[Any]) -> dict[str, Any]:
        # JSON names that are not Python names, and the unknown-fields slot (not a JSON field).
        found: dict[str, Any] = {}
        for a in attrs.fields(cls):
            if _JSON_NAME in a.metadata:
                found[a.name] = override(rename=a.metadata[_JSON_NAME])
        found[UNKNOWN_FIELDS] = override(omit=True)
        found[LAST_RESPONSE] = override(omit=True)
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
        fields = [a for a in attrs.fields(cls) if a.name not in _NOT_JSON]
        known = frozenset(a.metadata.get(_JSON_NAME, a.name) for a in fields)
        defaulted = frozenset(
            a.metadata.get(_JSON_NAME, a.name) for a in fields if a.default is not attrs.NOTHING
        )

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(
                    f"expected a {cls.__name__} JSON object, got {type(value).__name__}"
                )
            value = typing.cast("dict[str, Any]", value)
            obj = generated(value, cls)
            if not known.issuperset(value):
                # Copied: a frozen model must not change when the caller's dict does.
                unknown = {k: copy.deepcopy(v) for k, v in value.items() if k not in known}
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
            if a.default is not attrs.NOTHING and a.name not in _NOT_JSON
        }
        fields = [
            (a.name, a.metadata.get(_JSON_NAME, a.name), a.type)
            for a in attrs.fields(cls)
            if a.name not in _NOT_JSON
        ]
        known = frozenset(key for _, key, _ in fields)

        def as_sent(obj: Any, unknown: Mapping[str, Any], absent: frozenset[str]) -> dict[str, Any]:
            """A leniently decoded object: fields kept as sent (in ``unknown``) or missing
            though required hold values of other types; only the others are converted."""
            return {
                key: conv.unstructure(getattr(obj, name), tp)
                for name, key, tp in fields
                if key not in unknown and (key not in absent or key in defaults)
            }

        def unstructure(obj: Any) -> dict[str, Any]:
            unknown = getattr(obj, UNKNOWN_FIELDS)
            absent = getattr(obj, ABSENT_FIELDS)
            if (unknown and not known.isdisjoint(unknown)) or not absent.issubset(defaults):
                data = as_sent(obj, unknown, absent)
            else:
                data = generated(obj)
            for key in absent:  # absent on input, and still the default
                if key not in data:
                    continue
                default = defaults[key]
                factory = getattr(default, "factory", None)  # an attrs.Factory
                value = default if factory is None else factory()
                if data[key] == conv.unstructure(value):
                    del data[key]
            if unknown:  # copied out, so editing to_dict()'s result leaves the model alone
                data.update(copy.deepcopy(dict(unknown)))
            return data

        return unstructure

    conv.register_structure_hook_factory(attrs.has, model_structure)
    conv.register_unstructure_hook_factory(attrs.has, model_unstructure)


_fast = cattrs.Converter(detailed_validation=False, unstruct_collection_overrides={tuple: list})
_configure(_fast, generate=True)

_hooks: dict[Any, Callable[[Any, Any], Any]] = {}  # the fast converter's, by type


def fast_hook(tp: Any) -> Callable[[Any, Any], Any]:
    """The fast converter's structure function for ``tp`` (looked up once per type)."""
    hook = _hooks.get(tp)
    if hook is None:
        hook = _hooks[tp] = _fast.get_structure_hook(tp)
    return hook


class JsonField(typing.NamedTuple):
    name: str  # the attribute
    alias: str  # its __init__ keyword
    key: str  # its JSON key
    type: Any
    required: bool  # no default: the documented shape always has it


_json_fields: dict[type[Any], tuple[tuple[JsonField, ...], frozenset[str]]] = {}


def json_fields(cls: type[Any]) -> tuple[tuple[JsonField, ...], frozenset[str]]:
    """A model's JSON fields, and the set of their keys."""
    found = _json_fields.get(cls)
    if found is None:
        found = _json_fields[cls] = _json_fields_of(cls)
    return found


def _json_fields_of(cls: type[Any]) -> tuple[tuple[JsonField, ...], frozenset[str]]:
    _resolve_pending()
    attrs.resolve_types(cls)
    fields = tuple(
        JsonField(
            a.name,
            a.alias or a.name,
            a.metadata.get(_JSON_NAME, a.name),
            a.type,
            a.default is attrs.NOTHING,
        )
        for a in attrs.fields(cls)
        if a.name not in _NOT_JSON
    )
    return fields, frozenset(f.key for f in fields)


def from_json(cls: type[T], data: Any, *, strict: bool = True) -> T:
    """Decode JSON-shaped ``data`` into ``cls``.

    ``strict``: data off the declared types raises InvalidData naming each path. Lenient
    (``strict=False``): it decodes anyway, keeping what was sent, and logs each model field's
    first problem once per process; only data that is not a JSON object at all raises.
    """
    try:
        hook = _hooks.get(cls) or fast_hook(cls)  # inline lookup: this is every response's path
        result: T = hook(data, cls)
    except Exception as error:
        return _refused(cls, data, error, strict=strict)
    return result


def _refused(cls: type[T], data: Any, error: Exception, *, strict: bool) -> T:
    """The slow path, for data the fast decoder refused: walk it field by field."""
    if not (attrs.has(cls) and isinstance(data, dict)):
        raise InvalidData(str(error) or type(error).__name__) from None
    from ._lenient import explain, walk, warn_once  # noqa: PLC0415 - only on a failure

    try:
        result, problems = walk(cls, typing.cast("dict[str, Any]", data))
    except Exception:  # the walk found nothing better to say
        raise InvalidData(str(error) or type(error).__name__) from None
    if strict:
        raise InvalidData(explain(problems) if problems else str(error)) from None
    warn_once(problems)
    decoded: T = result
    return decoded


def from_json_list(cls: type[T], items: list[Any], *, strict: bool = True) -> list[T]:
    """``from_json`` for each item of a list (a page): one hook lookup for all of them."""
    hook = fast_hook(cls)
    try:
        return [hook(item, cls) for item in items]
    except Exception:  # noqa: S110 - decoded again one by one, to say which and why
        pass
    return [from_json(cls, item, strict=strict) for item in items]


def to_json(obj: Any) -> dict[str, Any]:
    """The JSON-shaped dict of a model; ``from_json(type(obj), to_json(obj)) == obj``."""
    result: dict[str, Any] = _fast.unstructure(obj)
    return result


def unknown_fields_default() -> Mapping[str, Any]:
    """The shared, empty, read-only default for a model's unknown fields."""
    return _EMPTY


_EMPTY: Mapping[str, Any] = types.MappingProxyType({})
