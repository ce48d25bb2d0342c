"""Webhook verification: ``Webhook.construct_event`` turns a signed delivery into a typed Event.

Where the docs are silent the SDK assumes (section 0 of the API reference)::

    Charge-Signature: t=<RFC 3339 timestamp with ms>,v1=<hex>[,v1=<hex> ...]
    v1 = hex(HMAC-SHA256(key=secret as UTF-8, msg=t + "." + raw_body))

Any listed ``v1`` may match, under any of the secrets given (rotation); the timestamp must be
within ``tolerance`` seconds of now, into the past and into the future. Signatures are compared
in constant time, the body is parsed only after it verifies, and it must be the raw bytes as
received: a decoded or re-serialised body no longer matches. Verification is pure (no I/O), so
it is the same call in sync and async frameworks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from ._convert import InvalidData, from_json
from ._exceptions import SignatureVerificationError
from .resources.event import Event

__all__ = ["DEFAULT_TOLERANCE", "Webhook"]

DEFAULT_TOLERANCE = 300.0  # seconds, both ways

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_EXPECTED = "expected t=<RFC 3339 timestamp>,v1=<64 hex characters>"
_RAW_BODY_ADVICE = (
    "pass the raw request body exactly as received (Flask: request.get_data(), Django: "
    "request.body, Starlette/FastAPI: await request.body()); a decoded or re-serialised body "
    "no longer matches its signature"
)


class _Secrets:
    """The endpoint secret(s) as HMAC keys, in an object whose repr never shows them.

    Holding the keys here (and not in plain locals) keeps them out of tracebacks formatted with
    their frames' locals, as error trackers do.
    """

    __slots__ = ("_keys",)

    def __init__(self, secret: object) -> None:
        secrets = [secret] if isinstance(secret, str) else secret
        if not isinstance(secrets, Sequence) or isinstance(secrets, bytes | bytearray):
            raise TypeError(
                f"secret must be a str or a sequence of str, got {type(secret).__name__}"
            )
        if not secrets:
            raise ValueError("secret must not be an empty sequence: pass the endpoint's secret")
        keys: list[bytes] = []
        for each in cast("Sequence[object]", secrets):
            if not isinstance(each, str):
                raise TypeError(
                    f"secret must be a str or a sequence of str, got a {type(each).__name__} in it"
                )
            if not each.strip():
                raise ValueError("secret must not be empty: pass the endpoint's secret (whsec_...)")
            keys.append(each.encode("utf-8"))
        self._keys = tuple(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<{len(self._keys)} webhook secret(s), hidden>"

    def match(self, signed: bytes, candidates: Sequence[str]) -> bool:
        """Whether any candidate is the signature of ``signed`` under any key (constant time)."""
        found = False
        for key in self._keys:
            expected = hmac.new(key, signed, hashlib.sha256).hexdigest().encode("ascii")
            for candidate in candidates:
                # No early exit: the time taken does not depend on which one matched.
                found |= hmac.compare_digest(expected, candidate.encode("ascii"))
        return found


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, bytearray | memoryview):
        return bytes(payload)  # pyright: ignore[reportUnknownArgumentType] - memoryview[Unknown]
    if isinstance(payload, str):
        raise TypeError(f"payload must be bytes, not str: {_RAW_BODY_ADVICE}")
    kind = type(payload).__name__
    raise TypeError(
        f"payload must be the raw request body as bytes, got {kind}: {_RAW_BODY_ADVICE}"
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _malformed(header: str, problem: str) -> SignatureVerificationError:
    shown = _shorten(header, 200)
    return SignatureVerificationError(
        f"Malformed Charge-Signature header ({problem}): {_EXPECTED}, got {shown!r}",
        reason="header_malformed",
    )


def _parse_header(header: object) -> tuple[str, datetime, list[str]]:
    """The header's raw ``t``, its instant, and its v1 signatures (lowercase hex)."""
    if header is None or (isinstance(header, str) and not header.strip()):
        raise SignatureVerificationError(
            "No Charge-Signature header: the request is not signed (pass the value of the "
            "request's Charge-Signature header as signature_header)",
            reason="header_missing",
        )
    if not isinstance(header, str):
        raise TypeError(
            f"signature_header must be the Charge-Signature header as a str, "
            f"got {type(header).__name__}"
        )
    if not header.isascii():
        raise _malformed(header, "not ASCII")
    stamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        name, equals, value = item.strip().partition("=")
        if not equals:
            raise _malformed(header, f"{_shorten(item.strip(), 20)!r} is not name=value")
        if name == "t":
            stamps.append(value)
        elif name == "v1":
            if not _HEX64.fullmatch(value):
                raise _malformed(header, "a v1 value is not 64 hex characters")
            signatures.append(value.lower())
        # Other schemes (a future v2, a test-mode v0) are not ours to check: ignored.
    if len(stamps) != 1:
        raise _malformed(header, "no t=" if not stamps else "more than one t=")
    if not signatures:
        raise _malformed(header, "no v1=")
    stamp = stamps[0]
    if not _RFC3339.fullmatch(stamp):
        raise _malformed(header, "t is not an RFC 3339 timestamp")
    try:
        signed_at = datetime.fromisoformat(stamp)
    except ValueError:
        raise _malformed(header, "t is not a valid date and time") from None
    return stamp, signed_at, signatures


def _check_tolerance(tolerance: object) -> float:
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise TypeError(f"tolerance must be a number of seconds, got {type(tolerance).__name__}")
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a finite number of seconds >= 0, got {tolerance!r}")
    return float(tolerance)


def _check_now(now: object) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if not isinstance(now, datetime):
        raise TypeError(f"now must be a datetime, got {type(now).__name__}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (e.g. datetime.now(UTC)), got a naive one")
    return now


def _verify(
    body: bytes, header: object, secrets: _Secrets, tolerance: float, now: datetime
) -> datetime:
    stamp, signed_at, signatures = _parse_header(header)
    if not secrets.match(stamp.encode("ascii") + b"." + body, signatures):
        count = f"{len(signatures)} v1 signature(s), {len(secrets)} secret(s)"
        raise SignatureVerificationError(
            f"No signature in the Charge-Signature header matches the payload ({count} checked): "
            f"check that the secret is this endpoint's (whsec_...) and {_RAW_BODY_ADVICE}",
            reason="no_matching_signature",
        )
    age = (now - signed_at).total_seconds()
    if abs(age) > tolerance:
        when = f"{age:.0f} s ago" if age > 0 else f"{-age:.0f} s in the future"
        raise SignatureVerificationError(
            f"The Charge-Signature timestamp {stamp} is outside the tolerance of {tolerance:g} s "
            f"(signed {when}): a replayed or long-delayed delivery, or a wrong clock",
            reason="timestamp_outside_tolerance",
        )
    return signed_at


class Webhook:
    """Verify ChargeAPI webhook deliveries (the ``Charge-Signature`` header) and decode them."""

    @staticmethod
    def construct_event(
        payload: bytes,
        signature_header: str | None,
        secret: str | Sequence[str],
        tolerance: float = DEFAULT_TOLERANCE,
        *,
        now: datetime | None = None,
    ) -> Event:
        """Verify a delivery and return its Event; the payload is parsed only once it verifies.

        ``payload`` is the raw request body (bytes; a str is refused), ``signature_header`` the
        ``Charge-Signature`` header's value (None when absent), ``secret`` the endpoint's
        secret or, while rotating, a list of them (any may match). ``tolerance`` is in seconds,
        into the past and the future; ``now`` replaces the clock (tests, a simulator's clock).

        Raises SignatureVerificationError when the header is missing or malformed, no signature
        matches, or the timestamp is outside the tolerance; ValueError when an authentic payload
        is not a JSON object; TypeError/ValueError naming the parameter for bad arguments. An
        authentic event off the documented shape (a field missing, null or of another type) is
        still delivered, like an API response: those fields keep what was sent and each is
        logged once.
        """
        body = _payload_bytes(payload)
        keys = _Secrets(secret)
        del secret  # only ``keys``, whose repr hides them, stays in this frame's locals
        _verify(body, signature_header, keys, _check_tolerance(tolerance), _check_now(now))
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
            raise ValueError(
                "payload is correctly signed but is not JSON (is it the request body?)"
            ) from None
        if not isinstance(data, dict):
            kind = type(data).__name__
            raise ValueError(f"payload is correctly signed but is a JSON {kind}, not an Event")
        try:
            return from_json(Event, data, strict=False)
        except InvalidData as error:
            raise ValueError(
                f"payload is correctly signed but is not a valid Event: {error}"
            ) from None

    @staticmethod
    def verify_header(
        payload: bytes,
        signature_header: str | None,
        secret: str | Sequence[str],
        tolerance: float = DEFAULT_TOLERANCE,
        *,
        now: datetime | None = None,
    ) -> datetime:
        """Check a delivery's signature without decoding it; return the signed timestamp.

        Same arguments and errors as ``construct_event``, minus the decoding; use it to verify
        before handing the raw body to your own parser.
        """
        body = _payload_bytes(payload)
        keys = _Secrets(secret)
        del secret
        return _verify(body, signature_header, keys, _check_tolerance(tolerance), _check_now(now))
