"""Checks on caller input, run before any I/O so a mistake never reaches the network.

Each raises InvalidParameterError (a ChargeAPIError that is also a TypeError and a ValueError)
whose message names the parameter and says what is expected, and whose ``param`` is its name.
Values that look like secrets are never echoed.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Sequence
from typing import TypeVar

from ._exceptions import InvalidParameterError
from ._registry import PREFIXES

E = TypeVar("E", bound=BaseException)

# IDs and tokens are ASCII letters, digits and underscores: nothing that can change a URL path
# (no "/", "?", "#", "%", "..", whitespace).
_TOKEN = re.compile(r"[A-Za-z0-9_]+", re.ASCII)
_EXPAND_PATH = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*", re.ASCII)
_HEADER_SAFE = re.compile(r"[\x20-\x7e]+", re.ASCII)
_SECRET_PREFIXES = ("ch_sk_", "whsec_")
_MAX_TOKEN = 255
# JSON numbers beyond 2**53 - 1 lose precision in most parsers; no count, amount or Wh gets near.
_MAX_INT = 2**53 - 1
# Far above any real expand (a few paths of a few fields each), low enough to keep URLs sane.
_MAX_EXPAND_PATHS = 20
_MAX_EXPAND_LENGTH = 200


def detached(error: E) -> E:
    """``error`` without its traceback and chained exceptions, to raise again from a frame that
    deleted its secrets first: the frames of the failed check, whose locals held an API key or
    a webhook secret, are then reachable from no traceback."""
    error.__traceback__ = error.__context__ = error.__cause__ = None
    return error


def shown(value: object) -> str:
    """A short repr of a bad value for an error message; secrets are masked."""
    if isinstance(value, str) and value.startswith(_SECRET_PREFIXES):
        return "'<secret redacted>'"
    # reprlib stops at a depth and length (a deeply nested list's repr is a RecursionError) and
    # survives a __repr__ that raises; a str is cut before its repr is built.
    text = repr(str.__str__(value)[:61]) if isinstance(value, str) else _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxother = 3, 60


_ID_PATTERNS: dict[str, re.Pattern[str]] = {}


def _id_pattern(object_name: str) -> re.Pattern[str]:
    prefix = PREFIXES[object_name]
    pattern = re.compile(
        rf"{re.escape(prefix)}[A-Za-z0-9_]{{1,{_MAX_TOKEN - len(prefix)}}}", re.ASCII
    )
    _ID_PATTERNS[object_name] = pattern
    return pattern


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def check_id(param: str, value: object, object_name: str) -> str:
    """``value`` as an ID of ``object_name`` (e.g. a ``drv_`` ID for ``driver``)."""
    pattern = _ID_PATTERNS.get(object_name) or _id_pattern(object_name)
    if type(value) is str and pattern.fullmatch(value):  # the hot path: one regex, no strings
        return value
    if isinstance(value, str):  # a str subclass may override __str__, __eq__ ...: use its value
        value = str.__str__(value)
        if pattern.fullmatch(value):
            return value
    prefix = PREFIXES[object_name]
    noun = object_name.replace("_", " ")
    if not isinstance(value, str):
        hint = " (pass its .id)" if hasattr(value, "id") else ""
        raise InvalidParameterError(
            f"{param} must be {_article(noun)} {noun} ID str starting with {prefix!r}, "
            f"got {type(value).__name__}{hint}",
            param=param,
        )
    if (
        not value.startswith(prefix)
        or len(value) > _MAX_TOKEN
        or not _TOKEN.fullmatch(value, len(prefix))
    ):
        raise InvalidParameterError(
            f"{param} must be {_article(noun)} {noun} ID like {prefix + '...'!r} "
            f"(letters, digits and _ only), got {shown(value)}",
            param=param,
        )
    return value


def id_check(object_name: str) -> Callable[[str, object], str]:
    """``check_id`` for IDs of ``object_name``, as one function: an exact ``str`` that fits
    (nearly every call) passes with one regular-expression match and no second call."""
    fullmatch = (_ID_PATTERNS.get(object_name) or _id_pattern(object_name)).fullmatch

    def check(param: str, value: object) -> str:
        if type(value) is str and fullmatch(value):
            return value
        return check_id(param, value, object_name)

    return check


def check_token(param: str, value: object) -> str:
    """A plain identifier without prefix (a connector ID, a status filter)."""
    if type(value) is str and len(value) <= _MAX_TOKEN and _TOKEN.fullmatch(value):
        return value  # an exact str that fits (nearly every call): as the checks below return it
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"{param} must be a str, got {type(value).__name__}", param=param
        )
    if len(value) > _MAX_TOKEN or not _TOKEN.fullmatch(value):
        raise InvalidParameterError(
            f"{param} must be letters, digits and _ only, got {shown(value)}", param=param
        )
    return str.__str__(value)


def check_int(param: str, value: object, *, low: int = 1, high: int | None = None) -> int:
    """An int (not a bool, not a float) within [low, high]; never above 2**53 - 1 (JSON-safe)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidParameterError(
            f"{param} must be an int, got {type(value).__name__}", param=param
        )
    top = _MAX_INT if high is None else min(high, _MAX_INT)
    if value < low or value > top:
        bound = f"between {low} and {top}" if high is not None else f"at least {low}"
        if high is None and value > top:
            bound = f"at most 2**53 - 1 ({top})"
        # Never print a huge int: str() of one with thousands of digits raises ValueError.
        got = str(value) if -(10**30) < value < 10**30 else "an int that large"
        raise InvalidParameterError(f"{param} must be {bound}, got {got}", param=param)
    return int(value)


def check_expand(expand: str | Sequence[str]) -> tuple[str, ...]:
    """Expand paths such as ``driver`` or ``vehicle.fleet``; a lone str is one path."""
    paths = (expand,) if isinstance(expand, str) else expand
    if not isinstance(paths, Sequence):
        raise InvalidParameterError(
            f"expand must be a str or a sequence of str, got {type(expand).__name__}",
            param="expand",
        )
    if len(paths) > _MAX_EXPAND_PATHS:
        raise InvalidParameterError(
            f"expand takes at most {_MAX_EXPAND_PATHS} paths, got {len(paths)}", param="expand"
        )
    checked: list[str] = []
    for path in paths:
        if (
            not isinstance(path, str)
            or len(path) > _MAX_EXPAND_LENGTH
            or not _EXPAND_PATH.fullmatch(path)
        ):
            raise InvalidParameterError(
                f"expand entries must be field paths like 'driver' or 'vehicle.fleet' "
                f"(at most {_MAX_EXPAND_LENGTH} characters), got {shown(path)}",
                param="expand",
            )
        checked.append(str.__str__(path))
    return tuple(checked)


def check_header_value(param: str, value: str, *, named: str | None = None) -> None:
    """Refuse what could split or smuggle HTTP headers (CR, LF, NUL, non-ASCII).

    The value itself is never echoed: ``param`` may be the API key. Leading or trailing
    whitespace is refused too: HTTP strips or rejects it, so it would not arrive as given.
    ``named`` is how the message names the value, when it is one entry of ``param``.
    """
    name = named or param
    if not value:
        raise InvalidParameterError(f"{name} must not be empty", param=param)
    if not _HEADER_SAFE.fullmatch(value):
        raise InvalidParameterError(
            f"{name} contains characters not allowed in an HTTP header "
            "(control characters such as CR/LF, or non-ASCII)",
            param=param,
        )
    if value[0] == " " or value[-1] == " ":
        raise InvalidParameterError(f"{name} must not start or end with whitespace", param=param)
