"""Webhook verification: ``Webhook`` turns a signed delivery into a typed Event.

Where the docs are silent the SDK assumes (section 0 of the API reference)::

    Charge-Signature: t=<RFC 3339 timestamp with ms>,v1=<hex>[,v1=<hex> ...]
    v1 = hex(HMAC-SHA256(key=secret as UTF-8, msg=t + "." + raw_body))

Any listed ``v1`` may match, under any of the secrets given (rotation); the timestamp must be
within ``tolerance`` seconds of now, into the past and into the future. Signatures are compared
in constant time, the body is parsed only after it verifies, and it must be the raw bytes as
received: a decoded or re-serialised body no longer matches. Verification is pure (no I/O), so
it is the same call in sync and async frameworks.

Parsing is as lenient as stripe's and openai's verifiers, where that cannot let a forgery in:
a ``v1`` value that is not 64 hex characters, an empty item and an item that is not
``name=value`` are skipped (nothing that matches can hide there), and when no ``v1`` matches
the answer is "no matching signature". ``t`` is RFC 3339 in either case (``t``/``z`` too).
Secrets are stripped of surrounding whitespace, like the API key (a secret read from a file
keeps its newline), and never sit in plain locals of a frame a traceback can show.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import MethodType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

from ._convert import InvalidData, from_json
from ._exceptions import InvalidParameterError, SignatureVerificationError
from .resources.event import Event

__all__ = ["DEFAULT_TOLERANCE", "Webhook"]

DEFAULT_TOLERANCE = 300.0  # seconds, both ways

_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_EXPECTED = "expected t=<RFC 3339 timestamp>,v1=<64 hex characters>"
_RAW_BODY_ADVICE = (
    "pass the raw request body exactly as received (Flask: request.get_data(), Django: "
    "request.body, Starlette/FastAPI: await request.body()); a decoded or re-serialised body "
    "no longer matches its signature"
)


class _Hidden:
    """A caller's secret argument, unchecked, behind a repr that never shows it.

    Every entry point wraps its ``secret`` parameter in one and deletes the parameter before
    anything can raise, so no frame of a traceback holds the secret as a plain local.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<webhook secret, hidden>"


class _Secrets:
    """The endpoint secret(s) as HMAC keys, in an object whose repr never shows them."""

    __slots__ = ("_keys",)

    def __init__(self, keys: tuple[bytes, ...]) -> None:
        self._keys = keys

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


def _secret_problem(secret: object) -> str | None:
    """What is wrong with a ``secret`` argument, if anything. It returns rather than raises, so
    its frame (which holds the secrets) never appears in a traceback."""
    secrets = [secret] if isinstance(secret, str) else secret
    if not isinstance(secrets, Sequence) or isinstance(secrets, bytes | bytearray):
        return f"secret must be a str or a sequence of str, got {type(secret).__name__}"
    if not secrets:
        return "secret must not be an empty sequence: pass the endpoint's secret"
    for each in cast("Sequence[object]", secrets):
        if not isinstance(each, str):
            return f"secret must be a str or a sequence of str, got a {type(each).__name__} in it"
        if not each.strip():
            return "secret must not be empty: pass the endpoint's secret (whsec_...)"
    return None


def _keys(secret: object) -> tuple[bytes, ...]:
    secrets = cast("Sequence[str]", [secret] if isinstance(secret, str) else secret)
    return tuple(each.strip().encode("utf-8") for each in secrets)


def _secrets(given: _Hidden) -> _Secrets:
    problem = _secret_problem(given.value)
    if problem is not None:
        raise InvalidParameterError(problem, param="secret")
    return _Secrets(_keys(given.value))


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, bytearray | memoryview):
        return bytes(payload)  # pyright: ignore[reportUnknownArgumentType] - memoryview[Unknown]
    if isinstance(payload, str):
        raise InvalidParameterError(
            f"payload must be bytes, not str: {_RAW_BODY_ADVICE}", param="payload"
        )
    kind = type(payload).__name__
    raise InvalidParameterError(
        f"payload must be the raw request body as bytes, got {kind}: {_RAW_BODY_ADVICE}",
        param="payload",
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _malformed(header: str, problem: str) -> SignatureVerificationError:
    shown = _shorten(header, 200)
    return SignatureVerificationError(
        f"Malformed Charge-Signature header ({problem}): {_EXPECTED}, got {shown!r}",
        reason="header_malformed",
    )


class _Header:
    """A parsed Charge-Signature: the raw ``t``, its instant, and the usable v1 values."""

    __slots__ = ("signatures", "signed_at", "skipped", "stamp")

    def __init__(self, stamp: str, signed_at: datetime, signatures: list[str], skipped: int):
        self.stamp = stamp
        self.signed_at = signed_at
        self.signatures = signatures  # lowercase hex, 64 characters each
        self.skipped = skipped  # v1 values that could not be a signature


def _parse_header(header: object) -> _Header:
    if header is None or (isinstance(header, str) and not header.strip()):
        raise SignatureVerificationError(
            "No Charge-Signature header: the request is not signed (pass the value of the "
            "request's Charge-Signature header as signature_header)",
            reason="header_missing",
        )
    if not isinstance(header, str):
        raise InvalidParameterError(
            f"signature_header must be the Charge-Signature header as a str, "
            f"got {type(header).__name__}",
            param="signature_header",
        )
    stamps: list[str] = []
    signatures: list[str] = []
    skipped = 0
    for item in header.split(","):
        name, equals, value = item.strip().partition("=")
        if not equals:
            continue  # an empty item (a stray comma) or a bare value: nothing to check
        if name == "t":
            stamps.append(value)
        elif name == "v1":
            if _HEX64.fullmatch(value):
                signatures.append(value.lower())
            else:
                skipped += 1  # cannot be a signature: skipped, as stripe and openai do
        # Other schemes (a future v2, a test-mode v0) are not ours to check: ignored.
    if len(stamps) != 1:
        raise _malformed(header, "no t=" if not stamps else "more than one t=")
    if not signatures and not skipped:
        raise _malformed(header, "no v1=")
    stamp = stamps[0]
    if not _RFC3339.fullmatch(stamp):
        raise _malformed(header, "t is not an RFC 3339 timestamp")
    try:
        signed_at = datetime.fromisoformat(stamp.upper())  # RFC 3339 allows t and z
    except ValueError:
        raise _malformed(header, "t is not a valid date and time") from None
    return _Header(stamp, signed_at, signatures, skipped)


def _check_tolerance(tolerance: object) -> float:
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise InvalidParameterError(
            f"tolerance must be a number of seconds, got {type(tolerance).__name__}",
            param="tolerance",
        )
    if not math.isfinite(tolerance) or tolerance < 0:
        raise InvalidParameterError(
            f"tolerance must be a finite number of seconds >= 0, got {tolerance!r}",
            param="tolerance",
        )
    return float(tolerance)


def _check_now(now: object, param: str = "now") -> datetime:
    what = f"{param} must be" if param == "now" else f"{param} must return"
    if not isinstance(now, datetime):
        raise InvalidParameterError(f"{what} a datetime, got {type(now).__name__}", param=param)
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidParameterError(
            f"{what} an aware datetime (e.g. datetime.now(UTC)), got a naive one", param=param
        )
    return now


def _verify(
    body: bytes, header: object, secrets: _Secrets, tolerance: float, now: datetime
) -> datetime:
    parsed = _parse_header(header)
    signed = parsed.stamp.encode("ascii") + b"." + body
    if not secrets.match(signed, parsed.signatures):
        count = f"{len(parsed.signatures)} v1 signature(s), {len(secrets)} secret(s)"
        if parsed.skipped:
            count += f"; {parsed.skipped} v1 value(s) skipped, not 64 hex characters"
        raise SignatureVerificationError(
            f"No signature in the Charge-Signature header matches the payload ({count} checked): "
            f"check that the secret is this endpoint's (whsec_...) and {_RAW_BODY_ADVICE}",
            reason="no_matching_signature",
        )
    age = (now - parsed.signed_at).total_seconds()
    if abs(age) > tolerance:
        when = f"{age:.0f} s ago" if age > 0 else f"{-age:.0f} s in the future"
        raise SignatureVerificationError(
            f"The Charge-Signature timestamp {parsed.stamp} is outside the tolerance of "
            f"{tolerance:g} s (signed {when}): a replayed or long-delayed delivery, or a wrong "
            "clock",
            reason="timestamp_outside_tolerance",
        )
    return parsed.signed_at


def _decode(body: bytes) -> Event:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise ValueError(
            "payload is correctly signed but is not JSON (is it the request body?)"
        ) from None
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ValueError(f"payload is correctly signed but is a JSON {kind}, not an Event")
    event = cast("dict[str, Any]", data)
    snapshot = event.get("data")
    missing = [key for key in ("id", "type") if not isinstance(event.get(key), str)]
    if not (isinstance(snapshot, dict) and "object" in snapshot):
        missing.append("data.object")
    if missing:  # what no handler can do without: dedupe by id, dispatch by type, the snapshot
        raise ValueError(
            f"payload is correctly signed but is not an Event: no {', '.join(missing)}"
        )
    try:  # the rest is lenient, like an API response: a drifted event is still delivered
        return from_json(Event, event, strict=False)
    except InvalidData as error:
        raise ValueError(f"payload is correctly signed but is not a valid Event: {error}") from None


# -- one name, two forms: Webhook.construct_event(body, header, secret) and
#    Webhook(secret).construct_event(body, header) ------------------------------------------

_Static = TypeVar("_Static", bound=Callable[..., Any])
_P = ParamSpec("_P")
_R = TypeVar("_R")


class _EitherForm(Generic[_Static, _P, _R]):
    """A method that is static on the class (the secret is an argument, as in stripe) and bound
    on an instance (which holds the secret). Typed precisely both ways."""

    __slots__ = ("_bound", "_static")

    def __init__(self, static: _Static, bound: Callable[Concatenate[Webhook, _P], _R]) -> None:
        self._static = static
        self._bound = bound

    @overload
    def __get__(self, instance: None, owner: type[Webhook]) -> _Static: ...
    @overload
    def __get__(
        self, instance: Webhook, owner: type[Webhook] | None = None
    ) -> Callable[_P, _R]: ...
    def __get__(
        self, instance: Webhook | None, owner: type[Webhook] | None = None
    ) -> _Static | Callable[_P, _R]:
        if instance is None:
            return self._static
        return MethodType(self._bound, instance)


def _static_form(
    static: _Static,
) -> Callable[[Callable[Concatenate[Webhook, _P], _R]], _EitherForm[_Static, _P, _R]]:
    """Give a ``Webhook`` instance method the static form ``static`` when called on the class."""

    def either(bound: Callable[Concatenate[Webhook, _P], _R]) -> _EitherForm[_Static, _P, _R]:
        return _EitherForm(static, bound)

    return either


def _construct_event(
    payload: bytes,
    signature_header: str | None,
    secret: str | Sequence[str],
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: datetime | None = None,
) -> Event:
    """Verify a delivery and return its Event; the payload is parsed only once it verifies.

    ``payload`` is the raw request body (bytes; a str is refused), ``signature_header`` the
    ``Charge-Signature`` header's value (None when absent), ``secret`` the endpoint's secret
    or, while rotating, a list of them (any may match). ``tolerance`` is in seconds, into the
    past and the future; ``now`` replaces the clock (tests, a simulator's clock).

    Raises SignatureVerificationError when the header is missing or malformed, no signature
    matches, or the timestamp is outside the tolerance; ValueError when an authentic payload
    is not an Event; InvalidParameterError (a TypeError and ValueError) naming the parameter
    for bad arguments. ``Webhook(secret).construct_event(payload, signature_header)`` is the
    same with the secret given once.
    """
    given = _Hidden(secret)
    del secret  # only ``given``, whose repr hides it, stays in this frame's locals
    webhook = Webhook._build(given, tolerance, None)
    return webhook.construct_event(payload, signature_header, now=now)


def _verify_header(
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
    given = _Hidden(secret)
    del secret
    webhook = Webhook._build(given, tolerance, None)
    return webhook.verify_header(payload, signature_header, now=now)


def _verify_signature(
    payload: bytes,
    signature_header: str | None,
    secret: str | Sequence[str],
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: datetime | None = None,
) -> bool:
    """Whether a delivery verifies: True, or False where ``verify_header`` would raise
    SignatureVerificationError. Bad arguments still raise InvalidParameterError."""
    given = _Hidden(secret)
    del secret
    webhook = Webhook._build(given, tolerance, None)
    return webhook.verify_signature(payload, signature_header, now=now)


class Webhook:
    """Verify ChargeAPI webhook deliveries (the ``Charge-Signature`` header) and decode them.

    Build one with the endpoint's secret and reuse it, or call the methods on the class with the
    secret as an argument (the stripe form)::

        webhook = chargeapi.Webhook(secret="whsec_...")            # or a list, while rotating
        event = webhook.construct_event(raw_body, signature_header)

        event = chargeapi.Webhook.construct_event(raw_body, signature_header, "whsec_...")

    ``secret`` is stripped of surrounding whitespace and never shown (repr, errors,
    tracebacks). ``tolerance`` is in seconds, both ways; ``clock`` replaces the wall clock for
    the timestamp check (a simulator's ``lambda: sim.now``), and a call's ``now=`` replaces both.
    """

    __slots__ = ("_clock", "_secrets", "_tolerance")

    def __init__(
        self,
        secret: str | Sequence[str],
        *,
        tolerance: float = DEFAULT_TOLERANCE,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        given = _Hidden(secret)
        del secret  # only ``given``, whose repr hides it, stays in this frame's locals
        self._setup(given, tolerance, clock)

    @classmethod
    def _build(cls, given: _Hidden, tolerance: object, clock: object) -> Webhook:
        webhook = cls.__new__(cls)
        webhook._setup(given, tolerance, clock)
        return webhook

    def _setup(self, given: _Hidden, tolerance: object, clock: object) -> None:
        self._secrets = _secrets(given)
        self._tolerance = _check_tolerance(tolerance)
        if clock is not None and not callable(clock):
            raise InvalidParameterError(
                f"clock must be a callable returning an aware datetime, got {type(clock).__name__}",
                param="clock",
            )
        self._clock = cast("Callable[[], object] | None", clock)

    @property
    def tolerance(self) -> float:
        """How far, in seconds, a signature's timestamp may be from now, either way."""
        return self._tolerance

    def __repr__(self) -> str:
        # getattr: a traceback may show an instance whose __init__ refused its arguments.
        secrets = getattr(self, "_secrets", None)
        hidden = "<hidden>" if secrets is None else f"<{len(secrets)} hidden>"
        tolerance = getattr(self, "_tolerance", None)
        shown = "?" if tolerance is None else f"{tolerance:g}"
        return f"chargeapi.Webhook(secret={hidden}, tolerance={shown})"

    def _now(self, now: object) -> datetime:
        if now is not None:
            return _check_now(now)
        if self._clock is not None:
            return _check_now(self._clock(), "clock")
        return datetime.now(UTC)

    @_static_form(_construct_event)
    def construct_event(
        self, payload: bytes, signature_header: str | None, *, now: datetime | None = None
    ) -> Event:
        """Verify a delivery and return its Event; the payload is parsed only once it verifies.

        ``payload`` is the raw request body (bytes; a str is refused), ``signature_header`` the
        ``Charge-Signature`` header's value (None when absent); ``now`` replaces the clock.
        On the class: ``Webhook.construct_event(payload, signature_header, secret,
        tolerance=300, *, now=None)``.

        Raises SignatureVerificationError when the header is missing or malformed, no signature
        matches, or the timestamp is outside the tolerance (its ``reason`` says which);
        ValueError when an authentic payload is no Event (a JSON object with an ``id``, a
        ``type`` and a ``data.object``); InvalidParameterError (a TypeError and ValueError)
        naming the parameter for bad arguments. An authentic event otherwise off the documented
        shape (a field missing, null or of another type) is still delivered, like an API
        response: those fields keep what was sent, and each is logged once.
        """
        body = _payload_bytes(payload)
        _verify(body, signature_header, self._secrets, self._tolerance, self._now(now))
        return _decode(body)

    @_static_form(_verify_header)
    def verify_header(
        self, payload: bytes, signature_header: str | None, *, now: datetime | None = None
    ) -> datetime:
        """Check a delivery's signature without decoding it; return the signed timestamp.

        Same arguments and errors as ``construct_event``, minus the decoding; use it to verify
        before handing the raw body to your own parser.
        """
        body = _payload_bytes(payload)
        return _verify(body, signature_header, self._secrets, self._tolerance, self._now(now))

    @_static_form(_verify_signature)
    def verify_signature(
        self, payload: bytes, signature_header: str | None, *, now: datetime | None = None
    ) -> bool:
        """Whether a delivery verifies (for code that only checks): True, or False where
        ``verify_header`` would raise SignatureVerificationError. Bad arguments still raise
        InvalidParameterError."""
        body = _payload_bytes(payload)
        now = self._now(now)
        try:
            _verify(body, signature_header, self._secrets, self._tolerance, now)
        except SignatureVerificationError:
            return False
        return True
