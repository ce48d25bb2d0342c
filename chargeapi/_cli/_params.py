"""From an operation's annotations to command-line options, and from text back to values.

Scalars become typed options, ``Literal`` choices become ``choices``, lists repeat their option,
nested parameters (TypedDicts, metadata) take JSON (``--rules '{"max_price_per_kwh": 25}'``) or
dotted options (``--rules.max-price-per-kwh 25``), converted by the nested field's own type.
"""

from __future__ import annotations

import collections.abc
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, cast, get_args, get_origin

from .._exceptions import redact
from .._params import ID, NotGiven, Range
from .._registry import PREFIXES


def plain(annotation: Any) -> Any:
    """The annotation without ``Annotated``, ``None`` and ``NotGiven``: what the user types."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin is typing.Union or isinstance(annotation, types.UnionType):
            members = [a for a in get_args(annotation) if a not in (type(None), NotGiven)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def choices(annotation: Any) -> tuple[str, ...] | None:
    base = plain(annotation)
    if is_list(annotation):
        base = plain(get_args(base)[0])
    return tuple(get_args(base)) if get_origin(base) is Literal else None


def nullable(annotation: Any) -> bool:
    """An update parameter that ``null`` clears (``X | None | NotGiven``)."""
    members = get_args(annotation)
    return type(None) in members and NotGiven in members


def accepts_null(annotation: Any) -> bool:
    """A nested field whose type allows ``None`` (``max_price_per_kwh: int | None``)."""
    while get_origin(annotation) in (Annotated, typing.Required, typing.NotRequired):
        annotation = get_args(annotation)[0]
    return type(None) in get_args(annotation)


def is_list(annotation: Any) -> bool:
    return get_origin(plain(annotation)) in (collections.abc.Sequence, list, tuple)


def is_nested(annotation: Any) -> bool:
    base = plain(annotation)
    return typing.is_typeddict(base) or get_origin(base) in (collections.abc.Mapping, dict)


def nested_fields(annotation: Any) -> dict[str, Any]:
    """The keys of a TypedDict parameter with their annotations ({} for a free mapping)."""
    base = plain(annotation)
    return typing.get_type_hints(base, include_extras=True) if typing.is_typeddict(base) else {}


def converter(annotation: Any) -> Callable[[str], Any]:
    """Text -> value, by the parameter's type (lists: one item; nested: a JSON object)."""
    base = plain(annotation)
    if is_list(annotation):
        return converter(get_args(base)[0])
    if is_nested(annotation):
        return _json_object
    if base is bool:
        return _bool
    if base is int:
        return int
    if base is float:
        return float
    return str


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError(f"expected true or false, got {excerpt(text)}")


def _json_object(text: str) -> Any:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise ValueError(f"expected a JSON object, got {excerpt(text)}") from None
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {excerpt(text)}")
    return cast("dict[str, Any]", value)


def excerpt(text: str, limit: int = 40) -> str:
    """What the user gave, quoted short with secrets masked: enough to recognise it, never a
    whole file (``--data @file.json``) or a key."""
    short = text[:limit] + ("..." if len(text) > limit else "")
    return redact(repr(short))


def set_dotted(target: dict[str, Any], path: list[str], text: str, annotation: Any) -> None:
    """Put ``--rules.max-price-per-kwh 25`` into ``target["rules"]["max_price_per_kwh"]``,
    converting the text by the nested field's annotation."""
    holder = target
    current = annotation
    for depth, key in enumerate(path):
        fields = nested_fields(current)
        if fields and key not in fields:
            known = ", ".join(fields)
            raise ValueError(
                f"{'.'.join(path[: depth + 1])} is not a parameter (expected: {known})"
            )
        current = fields.get(key, str)
        if depth == len(path) - 1:
            try:
                value = (
                    None if text == "null" and accepts_null(current) else converter(current)(text)
                )
            except ValueError:
                raise ValueError(f"expected {describe(current)}, got {excerpt(text)}") from None
            if is_list(current):
                values: list[Any] = holder.setdefault(key, [])
                values.append(value)
            else:
                holder[key] = value
            return
        child: Any = holder.setdefault(key, {})
        if not isinstance(child, dict):
            raise ValueError(
                f"{'.'.join(path[: depth + 1])} is given both as a value and as fields"
            )
        holder = cast("dict[str, Any]", child)


def merge(into: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` (dotted options) into ``into`` (a JSON value)."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], cast("dict[str, Any]", value))
        else:
            into[key] = value
    return into


def describe(annotation: Any) -> str:
    """A short help text from the annotation: ``a driver ID (drv_...)``, ``1 to 100`` ..."""
    extras: list[Any] = []
    base = annotation
    while True:  # collect Annotated extras through unions (``DriverID | None``)
        origin = get_origin(base)
        if origin is Annotated:
            extras.extend(get_args(base)[1:])
            base = get_args(base)[0]
        elif origin is typing.Union or isinstance(base, types.UnionType):
            members = [a for a in get_args(base) if a not in (type(None), NotGiven)]
            if len(members) != 1:
                break
            base = members[0]
        else:
            break
    clear = "; 'null' clears it" if nullable(annotation) else ""
    for extra in extras:
        if isinstance(extra, ID):
            noun = extra.object_name.replace("_", " ")
            return f"a {noun} ID ({PREFIXES[extra.object_name]}...){clear}"
        if isinstance(extra, Range):
            if extra.high >= 2**53 - 1:
                return f"at least {extra.low:g}{clear}"
            return f"{extra.low:g} to {extra.high:g}{clear}"
        if repr(extra) == "Token":
            return "an identifier such as connector_a1"
        if repr(extra) == "Timestamp":
            return f"an RFC 3339 timestamp, e.g. 2026-04-01T09:30:00Z{clear}"
        if repr(extra) == "HttpsURL":
            return "an https:// URL"
        if repr(extra) == "Metadata":
            return "a JSON object of string values (up to 50 keys)"
    if is_list(annotation):
        item = get_args(plain(annotation))[0]
        return f"repeat for each item: {describe(item)}".rstrip(": ")
    if get_origin(base) is Literal:
        return "one of the choices" + clear
    kind: dict[Any, str] = {
        bool: "true or false",
        int: "an integer",
        float: "a number",
        str: "text",
    }
    return kind.get(base, "") + clear
