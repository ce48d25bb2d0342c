"""Every error the SDK raises, and the pure mapping from an HTTP answer to one of them.

The tree (catch a branch to handle everything below it)::

    ChargeAPIError                     anything raised by chargeapi (also: no API key configured)
    ├── APIConnectionError             no HTTP answer at all: DNS, refused, reset, TLS ...
    │   └── APITimeoutError            ... or no answer in time
    ├── APIStatusError                 the API answered with a non-2xx status
    │   ├── BadRequestError            400  invalid parameters
    │   ├── AuthenticationError        401  missing or invalid API key
    │   ├── PaymentRequiredError       402  e.g. payment_authorization_failed
    │   ├── PermissionDeniedError      403  e.g. policy_blocked
    │   ├── NotFoundError              404  e.g. charging_session_not_found
    │   ├── ConflictError              409  e.g. charging_session_conflict (never retried)
    │   ├── RateLimitError             429  rate_limit_exceeded (retried first)
    │   └── InternalServerError        5xx  (retried first)
    ├── InvalidResponseError           a 2xx answer that is not the documented object
    │   └── ResponseTooLargeError      an answer over ``Client(max_response_bytes=...)``
    ├── InvalidDataError               ``Model.from_dict`` got data of another shape (a ValueError)
    ├── InvalidParameterError          bad caller input, refused before any I/O (also a ValueError
    │                                  and a TypeError); ``param`` names the parameter
    ├── CircuitOpenError               the circuit breaker is open: nothing was sent
    ├── SignatureVerificationError     a webhook delivery whose Charge-Signature does not verify
    └── WaitError                      ``wait_until`` ended without a wanted status; ``last`` is
        │                              the object as last retrieved
        ├── WaitTimeoutError           ... the timeout passed first
        └── UnreachableStatusError     ... it reached a terminal status that is not wanted

Errors raised for a POST carry its ``idempotency_key``. Every error a call raises says in
``outcome_unknown`` whether some attempt may have reached the server unseen (a timeout, a
dropped connection): then the object may exist, and retrying the same call with that key can
never create a second one. Every class is shown as ``chargeapi.<Name>``, where users import it
from, in tracebacks and reprs. Nothing here ever holds the API key: headers kept are the *response*
headers only. Text from the server is shown with control characters escaped, so a hostile
message cannot forge log lines. Every error pickles with all its fields (process pools).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlsplit

import httpx

from . import _json

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChargeAPIError",
    "CircuitOpenError",
    "ConflictError",
    "InternalServerError",
    "InvalidDataError",
    "InvalidParameterError",
    "InvalidResponseError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "SignatureVerificationError",
    "UnreachableStatusError",
    "WaitError",
    "WaitTimeoutError",
]

# C0 and C1 controls, DEL, line/paragraph separators and bidi overrides: anything that can start
# a new log line, move the cursor (ANSI escapes) or reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# An API key or a webhook secret anywhere in a text: its kind stays readable, its value does not.
# (Key material starts with a letter or digit: a placeholder such as "ch_sk_test_..." is kept.)
_SECRET = re.compile(r"(ch_sk_(?:live_|test_)?+|whsec_)[A-Za-z0-9][^\s'\"/?#&@,;)]*")


def redact(text: str) -> str:
    """``text`` with anything that looks like an API key or webhook secret masked
    (``ch_sk_live_<redacted>``): messages may quote configuration that holds one by mistake."""
    return _SECRET.sub(r"\1<redacted>", text) if "ch_sk_" in text or "whsec_" in text else text


def escape(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\n``, ``\\x1b``): one log line."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def loads_json(content: bytes) -> Any:
    """``json.loads`` (orjson's when installed), but JSON nested too deep to decode is a
    ValueError like any bad JSON."""
    try:
        return _json.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deeply to decode") from None


def _rebuild(cls: type[ChargeAPIError], args: tuple[Any, ...]) -> ChargeAPIError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class ChargeAPIError(Exception):
    """Base class of every error raised by chargeapi."""

    def __init__(
        self,
        message: str,
        *,
        idempotency_key: str | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        message = redact(message)  # a key that landed in some setting never shows in an error
        super().__init__(message)
        self.message = message
        #: The Idempotency-Key the failed call sent (POSTs only): reuse it to retry safely.
        self.idempotency_key = idempotency_key
        #: True when some attempt may have reached the server without the SDK seeing its answer
        #: (a timeout, a dropped connection): the object may exist. Retry with idempotency_key.
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        return escape(self.message)  # messages may quote the server (a content type, a body)

    def __repr__(self) -> str:
        # What a log line or a debugger needs to act on, for every class alike (the fields a
        # class lacks show as None); the message never holds the key, nor does any field.
        fields = (
            ("message", self.message),
            ("status_code", getattr(self, "status_code", None)),
            ("code", getattr(self, "code", None)),
            ("param", getattr(self, "param", None)),
            ("request_id", getattr(self, "request_id", None)),
        )
        shown = ", ".join(f"{name}={value!r}" for name, value in fields)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles as cls(*args), which keyword-only fields break; rebuild without
        # __init__ and restore every field from __dict__ (notes included).
        return (_rebuild, (type(self), self.args), dict(self.__dict__))


class APIConnectionError(ChargeAPIError):
    """The request got no HTTP answer, after every retry. Its outcome is unknown."""


class APITimeoutError(APIConnectionError):
    """The request timed out, after every retry. Its outcome is unknown."""


class InvalidDataError(ChargeAPIError, ValueError):
    """Data that does not fit a model (``Model.from_dict``); the message says where and why.

    Also a ValueError, as bad input to a decoder usually is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


class InvalidParameterError(ChargeAPIError, ValueError, TypeError):
    """Caller input the SDK refuses before anything is sent; ``param`` names the parameter.

    Also a ValueError and a TypeError, so code written as ``except ValueError`` (or
    ``except TypeError``) around a call keeps working, while ``except ChargeAPIError`` catches
    everything chargeapi raises. The message never echoes a value that looks like a secret.
    """

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        #: The parameter (or dotted path into one, ``address.city``) that was refused.
        self.param = param


class InvalidResponseError(ChargeAPIError):
    """A 2xx answer whose body is not the object the docs describe (or not JSON at all)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: Any = None,
        idempotency_key: str | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key, outcome_unknown=outcome_unknown)
        self.status_code = status_code
        self.body = body


class ResponseTooLargeError(InvalidResponseError):
    """An answer larger than ``Client(max_response_bytes=...)`` (decompressed); not read further.

    The server did answer, but the SDK did not see what: ``outcome_unknown`` is True.
    """


class CircuitOpenError(ChargeAPIError):
    """The Client's circuit breaker is open: the API failed to answer too many attempts in a
    row, so calls fail fast for a while. Nothing was sent (``outcome_unknown`` is False); the
    same call, with the same ``idempotency_key``, can be made again later.

    ``retry_after`` is the number of seconds until the breaker lets a probe call through (0.0
    while a probe is already under way).
    """

    def __init__(
        self, message: str, *, retry_after: float, idempotency_key: str | None = None
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.retry_after = retry_after


class SignatureVerificationError(ChargeAPIError):
    """A webhook delivery failed verification: do not trust its payload, answer it with a 400.

    ``reason`` says which check failed: ``"header_missing"``, ``"header_malformed"``,
    ``"no_matching_signature"`` or ``"timestamp_outside_tolerance"``. Neither the message nor
    any attribute holds the secret.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class WaitError(ChargeAPIError):
    """``wait_until`` ended before the object's status was one of those wanted.

    ``last`` is the object as last retrieved (the resource's model: ``last.status`` is where
    it stopped); ``wanted`` the statuses waited for. Catch this for both reasons below.
    """

    def __init__(self, message: str, *, last: Any, wanted: tuple[str, ...]) -> None:
        super().__init__(message)
        #: The object as last retrieved (a ChargingSession, Reservation, Invoice or Report).
        self.last: Any = last
        #: The statuses waited for.
        self.wanted = wanted


class WaitTimeoutError(WaitError):
    """The wait's ``timeout`` passed and the object's status is still not one of those wanted.

    Waiting longer may help: the object has not reached a terminal status.
    """


class UnreachableStatusError(WaitError):
    """The object reached a terminal status (nothing follows it) that is not one of those
    wanted, e.g. a report ``failed`` while waiting for ``succeeded``: raised at once, without
    waiting for the timeout, as no wanted status can come any more."""


class APIStatusError(ChargeAPIError):
    """The API answered with a non-2xx status; fields come from its flat error object.

    When the body is not the documented error object (an HTML page from a proxy, an empty
    502), ``type``/``code``/``param`` are None and ``body`` holds the raw text.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        doc_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        idempotency_key: str | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key, outcome_unknown=outcome_unknown)
        self.status_code = status_code
        self.type = type
        self.code = code
        self.param = param
        self.request_id = request_id
        self.doc_url = doc_url
        # Looked up case-insensitively, like any HTTP headers: ``headers["Retry-After"]``.
        self.headers: Mapping[str, str] = copy_headers(headers)
        self.body = body

    def __str__(self) -> str:
        # Every field but the status may come from the server: escaped, so it stays one line.
        parts = [f"{self.status_code}"]
        if self.code:
            parts.append(self.code)
        head = escape(" ".join(parts))
        tail: list[str] = []
        if self.param:
            tail.append(f"param: {self.param}")
        if self.request_id:
            tail.append(f"request: {self.request_id}")
        if self.doc_url:
            tail.append(self.doc_url)
        suffix = f" ({escape(', '.join(tail))})" if tail else ""
        return f"{head}: {escape(self.message)}{suffix}"


def copy_headers(headers: Mapping[str, str] | None) -> httpx.Headers:
    """A copy keeping repeated headers and any bytes a server sent.

    ``dict()`` would lose repeats; re-encoding text as ASCII or UTF-8 fails on bytes that were
    no UTF-8 (a ``Via: caf\\xe9`` that a library decoded with surrogate escapes).
    """
    if isinstance(headers, httpx.Headers):
        return headers.copy()
    items = getattr(headers, "multi_items", None) or getattr(headers, "items", None)
    pairs = list(items()) if items is not None else []
    return httpx.Headers(
        [
            (name.encode("utf-8", "surrogateescape"), value.encode("utf-8", "surrogateescape"))
            for name, value in pairs
        ]
    )


class BadRequestError(APIStatusError):
    """400: the request was invalid as sent; ``param`` names the culprit."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed or revoked."""


class PaymentRequiredError(APIStatusError):
    """402: the payment method could not be authorized."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this, or a policy blocked it (``policy_blocked``)."""


class NotFoundError(APIStatusError):
    """404: the object (or one the request references, see ``param``) does not exist."""


class ConflictError(APIStatusError):
    """409: a business conflict, e.g. the connector is busy or the session already ended."""


class RateLimitError(APIStatusError):
    """429: too many requests; the SDK already waited and retried ``max_retries`` times."""


class InternalServerError(APIStatusError):
    """5xx: a failure on ChargeAPI's side; the SDK already retried ``max_retries`` times."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}

_MAX_RAW_BODY = 2000  # characters of a non-JSON error body kept for the message and ``body``


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The most specific APIStatusError subclass for an HTTP status."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def status_error(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    idempotency_key: str | None = None,
) -> APIStatusError:
    """Build the error for a non-2xx answer; never raises, whatever the body holds."""
    body: Any
    try:
        body = loads_json(content) if content else ""
    except ValueError:
        body = content.decode("utf-8", "replace")[:_MAX_RAW_BODY]
    fields: Mapping[str, Any] = cast("dict[str, Any]", body) if isinstance(body, dict) else {}
    # Tolerate the Stripe-style nesting {"error": {...}} as well as the documented flat object.
    nested: Any = fields.get("error")
    if isinstance(nested, dict):
        fields = cast("dict[str, Any]", nested)
    message = _opt_str(fields.get("message"))
    if 300 <= status_code < 400:
        message = _redirect_message(status_code, headers.get("location"))
    elif message is None:
        shown = body.strip() if isinstance(body, str) else _dumps(body)
        described = shown[:200] or "empty body"
        kind = headers.get("content-type", "no content type")
        # A 404 page of some other server usually means base_url points somewhere else.
        hint = " Is base_url the ChargeAPI (or the simulator)?" if status_code == 404 else ""
        message = (
            f"HTTP {status_code} with a body that is not a ChargeAPI error ({kind}): "
            f"{described}.{hint}"
        )
    return error_class_for(status_code)(
        message,
        status_code=status_code,
        type=_opt_str(fields.get("type")),
        code=_opt_str(fields.get("code")),
        param=_opt_str(fields.get("param")),
        request_id=_opt_str(fields.get("request")) or headers.get("request-id"),
        doc_url=_opt_str(fields.get("doc_url")),
        headers=headers,
        body=body,
        idempotency_key=idempotency_key,
    )


def _dumps(body: Any) -> str:
    try:
        return json.dumps(body)
    except (ValueError, RecursionError):
        return f"a JSON {type(body).__name__}"


def _redirect_message(status_code: int, location: str | None) -> str:
    origin = "no Location"
    if location:
        try:
            target = urlsplit(location)
            origin = f"{target.scheme}://{target.netloc}" if target.netloc else "the same origin"
        except ValueError:
            origin = "an unparsable Location"
    return (
        f"HTTP {status_code} redirect to {origin}: the SDK does not follow redirects (a create "
        "would be re-sent, or turned into a GET, somewhere else). Check base_url, or a proxy "
        "in between."
    )


# Tracebacks and reprs name the public path (``chargeapi.NotFoundError``), not this module;
# pickle finds each class there too, as ``chargeapi`` exports every one of them.
def _show_as_public() -> None:
    for name in __all__:
        globals()[name].__module__ = "chargeapi"


_show_as_public()
