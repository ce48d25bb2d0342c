"""Sign webhook payloads as ChargeAPI does, to test a receiver offline.

Written apart from ``chargeapi._webhook`` on purpose: the verifier is tested against this
signer (and against a fixed vector), not against itself.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

__all__ = ["sign_webhook"]


def sign_webhook(payload: bytes, secret: str, *, timestamp: datetime | None = None) -> str:
    """A valid ``Charge-Signature`` header for ``payload``: ``t=<RFC 3339 ms>,v1=<hex>``.

    ``timestamp`` (an aware datetime) is the signing time, now by default; pass an old or
    future one to test the tolerance. Send exactly these ``payload`` bytes with the header.
    """
    if not isinstance(payload, bytes | bytearray):
        kind = type(payload).__name__
        raise TypeError(f"payload must be the bytes you will send as the body, got {kind}")
    if not isinstance(secret, str):
        raise TypeError(
            f"secret must be the endpoint's secret as a str, got {type(secret).__name__}"
        )
    secret = secret.strip()  # as the verifier does: a secret read from a file keeps its newline
    if not secret:
        raise ValueError("secret must not be empty: pass the endpoint's secret (whsec_...)")
    if timestamp is None:
        timestamp = datetime.now(UTC)
    elif not isinstance(timestamp, datetime) or timestamp.utcoffset() is None:
        raise ValueError("timestamp must be an aware datetime, e.g. datetime.now(UTC)")
    moment = timestamp.astimezone(UTC)
    stamp = f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"
    message = stamp.encode("ascii") + b"." + bytes(payload)
    signature = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={signature}"
