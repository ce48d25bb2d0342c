"""Parameters: one annotation says what a type checker enforces and what is checked at run time.

An operation's signature is its only description. Each parameter's annotation is compiled, once,
into a check that runs before any I/O and returns the value to send:

* ``str``, ``int``, ``float``, ``bool``: the exact kind (a bool is no int; a ``str`` subclass is
  sent as its plain ``str`` value, so an overridden ``__str__`` can never change a path).
* ``Literal[...]``: one of the documented values (a checker also catches ``"actve"``).
* ``Annotated[str, ID("driver")]``: an ID with its documented prefix (``drv_``).
* ``Annotated[int, Range(0, 100)]``: a documented bound.
* ``Annotated[Sequence[str], MinItems(1)]``: a list with a documented least length.
* ``Timestamp``: an aware ``datetime`` or an RFC 3339 string, sent as RFC 3339 UTC with ms and Z.
* ``Metadata``: at most 50 string keys of up to 40 characters, string values of up to 500.
* ``HttpsURL``: an absolute ``https://`` URL.
* ``Sequence[X]``: a list or tuple (never a lone str) of checked items.
* A ``TypedDict``: only its documented keys, each checked; messages name the nested path
  (``rules.max_price_per_kwh``, ``rules.time_windows[0].start_time``).
* ``X | None``: ``None`` is allowed and sent as JSON ``null`` (updates clear a field that way).

Errors are ``InvalidParameterError`` (a ChargeAPIError that is also a TypeError and a
ValueError), whose message and ``param`` name the parameter (or the path into it).
"""

from __future__ import annotations

import collections.abc
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Final, Literal, cast, get_args, get_origin
from urllib.parse import urlsplit

from ._exceptions import InvalidParameterError
from ._validate import check_token, id_check, shown

__all__ = [
    "ID",
    "NOT_GIVEN",
    "HttpsURL",
    "Metadata",
    "MinItems",
    "NotGiven",
    "Range",
    "Timestamp",
    "Token",
    "compile_check",
]

Check = Callable[[str, Any], Any]  # (parameter path, value) -> the JSON value to send

_MAX_SAFE_INT: Final = 2**53 - 1  # larger integers do not survive a JSON round trip everywhere


class NotGiven:
    """The default of update parameters: "leave this field as it is" (nothing is sent).

    ``None`` cannot mean that, because an explicit ``None`` clears a nullable field (sent as
    ``null``). There is one instance, ``NOT_GIVEN``; it is falsy.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


@dataclass(frozen=True)
class ID:
    """``Annotated[str, ID("driver")]``: an ID carrying the documented prefix of that object."""

    object_name: str


@dataclass(frozen=True)
class Range:
    """``Annotated[int, Range(1, 100)]``: a documented inclusive bound."""

    low: float
    high: float


@dataclass(frozen=True)
class MinItems:
    """``Annotated[Sequence[str], MinItems(1)]``: a documented least number of items."""

    count: int


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_TIMESTAMP = _Marker("Timestamp")
_METADATA = _Marker("Metadata")
_HTTPS_URL = _Marker("HttpsURL")
_TOKEN = _Marker("Token")

#: An aware datetime or an RFC 3339 string; sent as ``2026-04-01T01:09:14.087Z``.
Timestamp = Annotated[datetime | str, _TIMESTAMP]
#: Your own key-value strings (documented limits: 50 keys, 40-char keys, 500-char values). An
#: object, never null in the docs: an update sends a dict or leaves it out, never ``null``.
Metadata = Annotated[Mapping[str, str], _METADATA]
#: A plain identifier without prefix, such as a connector ID (``connector_a1``).
Token = Annotated[str, _TOKEN]
#: An absolute https:// URL (webhook endpoints must be reachable over TLS).
HttpsURL = Annotated[str, _HTTPS_URL]

_METADATA_KEYS, _METADATA_KEY_LENGTH, _METADATA_VALUE_LENGTH = 50, 40, 500


def compile_check(annotation: Any) -> Check:
    """The run-time check for an evaluated annotation (see the module docstring)."""
    origin = get_origin(annotation)
    if origin in (typing.Required, typing.NotRequired):  # TypedDict keys: the type inside
        return compile_check(get_args(annotation)[0])
    if origin is Annotated:
        return _annotated(annotation)
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        return _union(annotation)
    if origin is Literal:
        return _literal(get_args(annotation))
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    if origin in (collections.abc.Sequence, list, tuple):
        return _sequence(compile_check(get_args(annotation)[0]))
    if typing.is_typeddict(annotation):
        return _typed_dict(annotation)
    raise TypeError(f"chargeapi cannot check parameters annotated {annotation!r}")


def _annotated(annotation: Any) -> Check:
    base, *extras = get_args(annotation)
    for extra in extras:
        if isinstance(extra, ID):
            return id_check(extra.object_name)
        if isinstance(extra, Range):
            return _ranged(compile_check(base), extra)
        if isinstance(extra, MinItems):
            return _min_items(compile_check(base), extra.count)
        if extra is _TIMESTAMP:
            return _timestamp
        if extra is _METADATA:
            return _metadata
        if extra is _HTTPS_URL:
            return _https_url
        if extra is _TOKEN:
            return check_token
    return compile_check(base)


def _union(annotation: Any) -> Check:
    members = [a for a in get_args(annotation) if a not in (type(None), NotGiven)]
    if len(members) != 1:
        raise TypeError(f"chargeapi cannot check parameters annotated {annotation!r}")
    inner = compile_check(members[0])
    if type(None) not in get_args(annotation):
        return inner  # ``X | NotGiven``: None is no value to send (the field is not nullable)
    return lambda param, value: None if value is None else inner(param, value)


def _kind(value: object) -> str:
    return type(value).__name__


def _str(param: str, value: Any, *, named: str | None = None) -> str:
    name = named or param  # how the message names it: "metadata keys" for a key of metadata
    if not isinstance(value, str):
        raise InvalidParameterError(f"{name} must be a str, got {_kind(value)}", param=param)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ('\ud800'): no UTF-8 URL or body holds it
            raise InvalidParameterError(
                f"{name} is not valid Unicode text (it holds a lone surrogate such as '\\ud800')",
                param=param,
            ) from None
    return value if type(value) is str else str.__str__(value)


def _int(param: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidParameterError(f"{param} must be an int, got {_kind(value)}", param=param)
    if not -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
        raise InvalidParameterError(
            f"{param} must be between -(2**53 - 1) and 2**53 - 1", param=param
        )
    return int(value)


def _float(param: str, value: Any) -> float | int:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidParameterError(f"{param} must be a number, got {_kind(value)}", param=param)
    if isinstance(value, int):
        return _int(param, value)
    if not math.isfinite(value):
        raise InvalidParameterError(f"{param} must be a finite number, got {value!r}", param=param)
    return float(value)


def _bool(param: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidParameterError(f"{param} must be a bool, got {_kind(value)}", param=param)
    return value


_SCALARS: dict[Any, Check] = {str: _str, int: _int, float: _float, bool: _bool}


def _ranged(inner: Check, bounds: Range) -> Check:
    def check(param: str, value: Any) -> Any:
        checked = inner(param, value)
        if not bounds.low <= checked <= bounds.high:
            raise InvalidParameterError(
                f"{param} must be between {bounds.low:g} and {bounds.high:g}, got {checked!r}",
                param=param,
            )
        return checked

    return check


def _min_items(inner: Check, count: int) -> Check:
    def check(param: str, value: Any) -> Any:
        checked = inner(param, value)
        if len(checked) < count:
            raise InvalidParameterError(
                f"{param} must have at least {count} item(s), got {len(checked)}", param=param
            )
        return checked

    return check


def _literal(choices: tuple[Any, ...]) -> Check:
    allowed = frozenset(choices)
    listed = ", ".join(repr(c) for c in choices)

    def check(param: str, value: Any) -> str:
        if not isinstance(value, str):
            raise InvalidParameterError(
                f"{param} must be one of {listed}, got {_kind(value)}", param=param
            )
        if value not in allowed:
            raise InvalidParameterError(
                f"{param} must be one of {listed}, got {shown(value)}", param=param
            )
        return value.value if isinstance(value, Enum) else str.__str__(value)

    return check


def _sequence(item: Check) -> Check:
    def check(param: str, value: Any) -> list[Any]:
        if isinstance(value, str | bytes) or not isinstance(value, collections.abc.Sequence):
            raise InvalidParameterError(f"{param} must be a list, got {_kind(value)}", param=param)
        items = cast("Sequence[object]", value)
        return [item(f"{param}[{i}]", v) for i, v in enumerate(items)]

    return check


def _typed_dict(cls: Any) -> Check:
    fields: dict[str, Check] | None = None  # compiled on first use: hints may name later classes
    documented = ", ".join(typing.get_type_hints(cls))
    # In declaration order, so the first missing key named is always the same one.
    required = [key for key in typing.get_type_hints(cls) if key in cls.__required_keys__]

    def check(param: str, value: Any) -> dict[str, Any]:
        nonlocal fields
        if fields is None:
            hints = typing.get_type_hints(cls, include_extras=True)
            fields = {key: compile_check(hint) for key, hint in hints.items()}
        if not isinstance(value, Mapping):
            raise InvalidParameterError(f"{param} must be a dict, got {_kind(value)}", param=param)
        value = cast("Mapping[object, object]", value)
        for key in value:
            if key not in fields:
                raise InvalidParameterError(
                    f"{param}.{key} is not a documented parameter (expected: {documented})",
                    param=f"{param}.{key}",
                )
        for key in required:
            if key not in value:
                raise InvalidParameterError(f"{param}.{key} is required", param=f"{param}.{key}")
        return {str(key): fields[str(key)](f"{param}.{key}", v) for key, v in value.items()}

    return check


def _timestamp(param: str, value: Any) -> str:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidParameterError(
                f"{param} must be an RFC 3339 timestamp such as '2026-04-01T09:30:00Z', "
                f"got {shown(value)}",
                param=param,
            ) from None
        value = parsed
    elif not isinstance(value, datetime):
        raise InvalidParameterError(
            f"{param} must be a datetime or an RFC 3339 str, got {_kind(value)}", param=param
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidParameterError(
            f"{param} has no time zone; pass an aware datetime (e.g. tzinfo=datetime.UTC) "
            "or a string ending in Z or an offset",
            param=param,
        )
    try:
        utc: datetime = value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it
        raise InvalidParameterError(
            f"{param} is out of range once converted to UTC, got {value}", param=param
        ) from None
    return utc.isoformat(timespec="milliseconds") + "Z"  # four year digits, even before 1000


def _metadata(param: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            f"{param} must be a dict of str to str, got {_kind(value)}", param=param
        )
    value = cast("Mapping[object, object]", value)
    if len(value) > _METADATA_KEYS:
        raise InvalidParameterError(
            f"{param} may have at most {_METADATA_KEYS} keys, got {len(value)}", param=param
        )
    checked: dict[str, str] = {}
    for raw_key, raw_value in value.items():
        key = _str(param, raw_key, named=f"{param} keys")
        if not 1 <= len(key) <= _METADATA_KEY_LENGTH:
            raise InvalidParameterError(
                f"{param} keys must be 1 to {_METADATA_KEY_LENGTH} characters, got {shown(key)}",
                param=param,
            )
        item = _str(f"{param}.{key}", raw_value)
        if len(item) > _METADATA_VALUE_LENGTH:
            raise InvalidParameterError(
                f"{param}.{key} must be at most {_METADATA_VALUE_LENGTH} characters, "
                f"got {len(item)}",
                param=f"{param}.{key}",
            )
        checked[key] = item
    return checked


def _https_url(param: str, value: Any) -> str:
    url = _str(param, value)
    try:
        parts = urlsplit(url)
        usable = parts.scheme == "https" and bool(parts.hostname)
    except ValueError:  # urllib's own message ("Invalid IPv6 URL") names no parameter
        usable = False
    if not usable:
        raise InvalidParameterError(
            f"{param} must be an absolute https:// URL, got {shown(url)}", param=param
        )
    return url
