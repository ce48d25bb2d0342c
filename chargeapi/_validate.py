"""Checks on caller input, run before any I/O so a mistake never reaches the network.

Each raises TypeError (wrong kind of value) or ValueError (right kind, bad value) whose message
names the parameter and says what is expected. Values that look like secrets are never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._registry import PREFIXES

# IDs and tokens are ASCII letters, digits and underscores: nothing that can change a URL path
# (no "/", "?", "#", "%", "..", whitespace).
_TOKEN = re.compile(r"[A-Za-z0-9_]+", re.ASCII)
_EXPAND_PATH = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*", re.ASCII)
_HEADER_SAFE = re.compile(r"[\x20-\x7e]+", re.ASCII)
_SECRET_PREFIXES = ("ch_sk_", "whsec_")
_MAX_TOKEN = 255


def shown(value: object) -> str:
    """A short repr of a bad value for an error message; secrets are masked."""
    if isinstance(value, str) and value.startswith(_SECRET_PREFIXES):
        return "'<secret redacted>'"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_ID_PATTERNS: dict[str, re.Pattern[str]] = {}


def _id_pattern(object_name: str) -> re.Pattern[str]:
    prefix = PREFIXES[object_name]
    pattern = re.compile(
        rf"{re.escape(prefix)}[A-Za-z0-9_]{{1,{_MAX_TOKEN - len(prefix)}}}", re.ASCII
    )
    _ID_PATTERNS[object_name] = pattern
    return pattern


def check_id(param: str, value: object, object_name: str) -> str:
    """``value`` as an ID of ``object_name`` (e.g. a ``drv_`` ID for ``driver``)."""
    pattern = _ID_PATTERNS.get(object_name) or _id_pattern(object_name)
    if type(value) is str and pattern.fullmatch(value):  # the hot path: one regex, no strings
        return value
    prefix = PREFIXES[object_name]
    noun = object_name.replace("_", " ")
    if not isinstance(value, str):
        hint = " (pass its .id)" if hasattr(value, "id") else ""
        raise TypeError(
            f"{param} must be a {noun} ID str starting with {prefix!r}, "
            f"got {type(value).__name__}{hint}"
        )
    if (
        not value.startswith(prefix)
        or len(value) > _MAX_TOKEN
        or not _TOKEN.fullmatch(value, len(prefix))
    ):
        raise ValueError(
            f"{param} must be a {noun} ID like {prefix + '...'!r} "
            f"(letters, digits and _ only), got {shown(value)}"
        )
    return value


def check_token(param: str, value: object) -> str:
    """A plain identifier without prefix (a connector ID, a status filter)."""
    if not isinstance(value, str):
        raise TypeError(f"{param} must be a str, got {type(value).__name__}")
    if len(value) > _MAX_TOKEN or not _TOKEN.fullmatch(value):
        raise ValueError(f"{param} must be letters, digits and _ only, got {shown(value)}")
    return value


def check_int(param: str, value: object, *, low: int = 1, high: int | None = None) -> int:
    """An int (not a bool, not a float) within [low, high]."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{param} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{param} must be {bound}, got {value}")
    return value


def check_expand(expand: str | Sequence[str]) -> tuple[str, ...]:
    """Expand paths such as ``driver`` or ``vehicle.fleet``; a lone str is one path."""
    paths = (expand,) if isinstance(expand, str) else expand
    if not isinstance(paths, Sequence):
        raise TypeError(f"expand must be a str or a sequence of str, got {type(expand).__name__}")
    for path in paths:
        if not isinstance(path, str) or not _EXPAND_PATH.fullmatch(path):
            raise ValueError(
                f"expand entries must be field paths like 'driver' or 'vehicle.fleet', "
                f"got {shown(path)}"
            )
    return tuple(paths)


def check_header_value(param: str, value: str) -> None:
    """Refuse what could split or smuggle HTTP headers (CR, LF, NUL, non-ASCII).

    The value itself is never echoed: ``param`` may be the API key.
    """
    if not _HEADER_SAFE.fullmatch(value):
        raise ValueError(
            f"{param} contains characters not allowed in an HTTP header "
            "(control characters such as CR/LF, or non-ASCII)"
        )
