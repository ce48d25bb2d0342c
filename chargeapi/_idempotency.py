"""``idempotency_key_for``: the same Idempotency-Key for the same logical action, every time.

A random key per call (the SDK's default) protects the retries of one process. A job that can
be run twice (a Celery task retried after a worker died, a script re-run after a crash) needs
the *same* key on the second run, so it must be derived from what identifies the action.

The derivation, exactly, so that other languages can reproduce it:

1. Build the JSON array ``[namespace, part1, part2, ...]``.
2. Serialise it canonically, as RFC 8785 (the JSON Canonicalization Scheme) does: no whitespace,
   object keys sorted by their UTF-16 code units, strings escaped as ``JSON.stringify`` does
   (only ``"``, ``\\`` and control characters; no ``\\u`` escapes for other characters), numbers
   as ECMAScript writes them (``1.0`` is ``1``, ``1e21`` is ``1e+21``); integers beyond 2**53
   are written in full. Encode it as UTF-8.
3. The key is the UUID version 5 (RFC 9562: SHA-1) of those bytes in the namespace UUID
   ``116181bc-c1bf-5dde-99d0-2c27d00e1d0a`` (itself ``uuid5(NAMESPACE_URL,
   "https://docs.chargeapi.co/idempotency")``), as a lower-case string with dashes.

``idempotency_key_for("onboarding", 7, {"b": 1, "a": [true, null]})`` names the UUIDv5 of
``["onboarding",7,{"a":[true,null],"b":1}]``. ChargeAPI remembers a key for 24 hours (the docs'
idempotency page); a later request with the same key acts again.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import cast

from ._exceptions import InvalidParameterError

__all__ = ["NAMESPACE", "canonical_json", "idempotency_key_for"]

#: The UUIDv5 namespace of every key: uuid5(NAMESPACE_URL, "https://docs.chargeapi.co/idempotency").
NAMESPACE = uuid.UUID("116181bc-c1bf-5dde-99d0-2c27d00e1d0a")
_MAX_DEPTH = 100  # far past any real parameters; a cycle or a bomb stops here, not in Python


def idempotency_key_for(namespace: str, *parts: object) -> str:
    """A deterministic Idempotency-Key (a UUIDv5 string) for one logical action.

    ``namespace`` says what kind of action it is (``"fleet-onboarding"``); ``parts`` say which
    one: JSON values (str, int, float, bool, None, lists or tuples, mappings with str keys),
    such as a row number and the call's parameters. Equal parts give equal keys (mapping key
    order does not matter; ``1`` and ``1.0`` are equal); anything else gives another key::

        key = chargeapi.idempotency_key_for("onboarding", row_number, params)
        chargeapi.Driver.create(**params, idempotency_key=key)

    The derivation is documented in the module and in the docs' CLI page, so other languages
    can make the same keys. Raises InvalidParameterError for an empty namespace or a part that
    is not a JSON value (``param`` says where: ``"parts[1].created"``).
    """
    if not isinstance(namespace, str) or not namespace:
        raise InvalidParameterError(
            f"namespace must be a non-empty str, got {namespace!r}", param="namespace"
        )
    items = [canonical_json(namespace, "namespace")]
    items += [canonical_json(part, f"parts[{i}]") for i, part in enumerate(parts)]
    return str(uuid.uuid5(NAMESPACE, f"[{','.join(items)}]"))


def canonical_json(value: object, param: str = "value") -> str:
    """``value`` as RFC 8785 canonical JSON text (see the module docstring); ``param`` names
    it in errors."""
    out: list[str] = []
    _write(value, out, param, 0)
    text = "".join(out)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidParameterError(
            f"{param} holds a string that is not valid Unicode (a lone surrogate)", param=param
        ) from None
    return text


def _write(value: object, out: list[str], path: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise InvalidParameterError(
            f"{path} is nested more than {_MAX_DEPTH} levels deep (a cycle?)", param=path
        )
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(_number(value, path))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(cast("Sequence[object]", value)):
            if i:
                out.append(",")
            _write(item, out, f"{path}[{i}]", depth + 1)
        out.append("]")
    elif isinstance(value, Mapping):
        items: list[tuple[str, object]] = []
        for key, item in cast("Mapping[object, object]", value).items():
            if not isinstance(key, str):
                raise InvalidParameterError(
                    f"{path} has a key that is not a str ({key!r}): not a JSON object", param=path
                )
            items.append((key, item))
        out.append("{")
        for i, (key, item) in enumerate(sorted(items, key=lambda kv: _utf16(kv[0], path))):
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(item, out, f"{path}.{key}", depth + 1)
        out.append("}")
    else:
        raise InvalidParameterError(
            f"{path} must be a JSON value (str, int, float, bool, None, list, dict), got "
            f"{type(value).__name__}",
            param=path,
        )


def _utf16(key: str, path: str) -> bytes:
    try:
        return key.encode("utf-16-be")
    except UnicodeEncodeError:
        raise InvalidParameterError(
            f"{path} has a key that is not valid Unicode (a lone surrogate)", param=path
        ) from None


def _number(value: float, path: str) -> str:
    """A float as ECMAScript's Number.prototype.toString writes it (RFC 8785, section 3.2.2.3)."""
    if not math.isfinite(value):
        raise InvalidParameterError(f"{path} must be a finite number, got {value!r}", param=path)
    if value == 0:
        return "0"  # -0 too
    sign = "-" if value < 0 else ""
    # repr() is the shortest text that reads back as the same float: ECMAScript's digits too.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent = int(exponent) + len(digits) - len(stripped)
    digits, k = stripped, len(stripped)
    n = exponent + k  # the value is 0.<digits> x 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        power = f"{'+' if n - 1 > 0 else '-'}{abs(n - 1)}"
        text = f"{digits}e{power}" if k == 1 else f"{digits[0]}.{digits[1:]}e{power}"
    return sign + text
