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
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["dumps", "key_objects", "loads"]

# json.dumps(..., separators=..., allow_nan=False) builds a new encoder on every call, and
# JSONEncoder.encode still builds its C encoder per call; the C encoder's own factory is called
# directly here (a fresh circular-reference memo each time: one left over from a failed encode,
# or shared between threads, would refuse a body that is not circular).
_encoder = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
_c_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_escape = json.encoder.encode_basestring_ascii


def dumps(value: Any) -> bytes:
    """Compact JSON bytes; ValueError for NaN or infinity, TypeError for what JSON cannot hold."""
    if _c_encoder is None or type(value) is not dict:  # no C accelerator: JSONEncoder's way
        return _encoder.encode(value).encode()
    encode = _c_encoder({}, _encoder.default, _escape, None, ":", ",", False, False, False)
    return "".join(encode(value, 0)).encode()


def _stdlib_loads(content: bytes | str) -> Any:
    return json.loads(content)


def _pick() -> Callable[[bytes | str], Any]:  # pyright: ignore[reportUnusedFunction]
    """orjson's loads with ``json`` for what it refuses, or ``json``'s alone without orjson
    (what ``loads`` does, as one function: tests switch between the two with it)."""
    refused, fast = _orjson()
    if fast is None:
        return _stdlib_loads

    def loads(content: bytes | str) -> Any:
        try:
            return fast(content)
        except refused:
            return json.loads(content)

    return loads


class _NeverRaised(Exception):
    """What a loads without a fallback refuses: nothing."""


def _orjson() -> tuple[type[Exception], Callable[[bytes | str], Any] | None]:
    try:
        import orjson  # noqa: PLC0415 - optional, looked for once
    except ImportError:
        return _NeverRaised, None
    return orjson.JSONDecodeError, orjson.loads


# The loads in use (None until first use), and what it refuses that ``json`` decodes again.
# orjson's own loads is called directly, without a Python frame around it.
_loads: Callable[[bytes | str], Any] | None = None
_refused: type[Exception] = _NeverRaised


def loads(content: bytes | str) -> Any:
    """Decode JSON; ValueError (or RecursionError, from ``json``) for what is not JSON."""
    global _loads, _refused  # noqa: PLW0603 - chosen once, on first use
    if _loads is None:
        refused, fast = _orjson()
        _refused = refused  # before _loads: a thread that sees _loads sees its fallback
        _loads = fast or _stdlib_loads
    try:
        return _loads(content)
    except _refused:
        return json.loads(content)  # json's answer, or json's error


def key_objects(keys: Iterable[str]) -> dict[str, str]:
    """Each key as the str object ``loads`` gives it back (by its value).

    orjson reuses one str object per short key from one call to the next; a dict lookup with
    that very object matches at once, where an equal string is compared character by
    character (orjson's dicts take the slower general lookup, too). Decoders that look keys up
    with these objects are faster when orjson answers, and correct whatever answers.
    """
    wanted = list(keys)
    decoded: dict[str, Any] = loads(dumps(dict.fromkeys(wanted, 0)))
    found = {key: key for key in decoded}
    return {key: found.get(key, key) for key in wanted}
