"""JSON in and out of the wire: orjson's loads when it is installed (``chargeapi[orjson]``), the
standard library otherwise, and one prebuilt encoder for request bodies.

orjson is looked for on first use, not at import. Whatever orjson refuses to decode (NaN,
nesting past 1024) is decoded again by ``json``, which gives its own answer or error. One
difference remains: orjson reads an integer past 64 bits as a float (no amount comes near).
Bodies stay with ``json``: orjson writes NaN as ``null`` where the SDK must refuse it, and a
prebuilt encoder already skips most of ``json.dumps``' cost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["dumps", "loads"]

# json.dumps(..., separators=..., allow_nan=False) builds a new encoder on every call.
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


def dumps(value: Any) -> bytes:
    """Compact JSON bytes; ValueError for NaN or infinity, TypeError for what JSON cannot hold."""
    return _encode(value).encode()


def _stdlib_loads(content: bytes | str) -> Any:
    return json.loads(content)


def _pick() -> Callable[[bytes | str], Any]:
    try:
        import orjson  # noqa: PLC0415 - optional, looked for once
    except ImportError:
        return _stdlib_loads
    fast, refused = orjson.loads, orjson.JSONDecodeError

    def loads(content: bytes | str) -> Any:
        try:
            return fast(content)
        except refused:
            return json.loads(content)  # json's answer, or json's error

    return loads


_loads: Callable[[bytes | str], Any] | None = None


def loads(content: bytes | str) -> Any:
    """Decode JSON; ValueError (or RecursionError, from ``json``) for what is not JSON."""
    global _loads  # noqa: PLW0603 - chosen once, on first use
    if _loads is None:
        _loads = _pick()
    return _loads(content)
