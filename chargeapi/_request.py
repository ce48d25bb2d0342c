"""What one API call asks for (RequestSpec) and how it becomes bytes on the wire (prepare).

Pure: no I/O, no HTTP library. Resources build a RequestSpec; the client's transport shells
send what ``prepare`` returns, unchanged, on every attempt, so a retried POST carries the same
Idempotency-Key and the same body.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol, TypeVar, cast
from urllib.parse import urlencode, urlsplit

from . import _json
from ._exceptions import InvalidParameterError
from ._validate import check_header_value

# The query of a request: ordered pairs, so ``expand`` can repeat (expand=a&expand=b).
Query = tuple[tuple[str, str], ...]
#: Extra request headers, as ordered pairs.
Headers = tuple[tuple[str, str], ...]

_MAX_IDEMPOTENCY_KEY = 255  # documented maximum length
#: Sent on every attempt: 0 on the first, 1 on the first retry ... (a server's logs tell a retry
#: from a new call). The Client's fixed headers carry the 0; a retry's request overrides it.
#: Where the docs are silent: they name no such header; a server that does not know it ignores
#: it, as HTTP servers do any header they do not know.
RETRY_COUNT_HEADER = "X-Charge-Retry-Count"


class RequestSpec(NamedTuple):
    """One logical API call, before configuration (key, base URL, version) is applied.

    ``path`` starts with ``/v1/`` or is an absolute URL already checked to be on the API's
    origin (a ``next_page_url``). ``body`` is None for GET; POSTs always send a JSON object.
    ``headers`` are the caller's checked ``extra_headers``. ``operation`` names the call
    (``charging_sessions.create``) and ``template`` is its documented path template
    (``/v1/charging_sessions/{charging_session}``), for middleware and tracing only.
    """

    method: str
    path: str
    query: Query = ()
    body: Mapping[str, Any] | None = None
    idempotency_key: str | None = None
    headers: Headers = ()
    operation: str = ""
    template: str | None = None


_NT = TypeVar("_NT", bound=tuple[Any, ...])


class _TupleNew(Protocol):
    def __call__(self, cls: type[_NT], fields: tuple[Any, ...], /) -> _NT: ...


#: ``new_tuple(Send, (request, seconds))`` is ``Send(request, seconds)`` without the generated
#: ``__new__`` of a NamedTuple (a Python frame): for the tuples built on every call.
new_tuple = cast("_TupleNew", tuple.__new__)  # pyright: ignore[reportUnknownMemberType]


class RedactedHeaders(dict[str, str]):
    """Request headers whose repr hides the Authorization value.

    Tracebacks with locals (Sentry, ``pytest -l``, ``capture_locals=True``) print every local
    with ``repr``; a request held in a frame must not show the API key there.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if k.lower() == "authorization" else v) for k, v in self.items()}
        return f"RedactedHeaders({shown!r})"


class PreparedRequest(NamedTuple):
    """Exactly what goes on the wire, identical on every attempt of one call."""

    method: str
    url: str
    headers: RedactedHeaders
    content: bytes | None
    idempotency_key: str | None


# The variant nibble of a UUID (10xx in binary) for each hex digit of random bits.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_idempotency_key() -> str:
    """A random UUID version 4 string, as the docs recommend (3x faster than str(uuid4()))."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def checked_idempotency_key(key: str | None) -> str:
    """The caller's key, checked, or a fresh uuid4: one per logical action, never per attempt."""
    if key is None:
        return new_idempotency_key()
    if not isinstance(key, str):
        raise InvalidParameterError(
            f"idempotency_key must be a str, got {type(key).__name__}", param="idempotency_key"
        )
    if not key:
        raise InvalidParameterError("idempotency_key must not be empty", param="idempotency_key")
    if len(key) > _MAX_IDEMPOTENCY_KEY:
        raise InvalidParameterError(
            f"idempotency_key must be at most {_MAX_IDEMPOTENCY_KEY} characters",
            param="idempotency_key",
        )
    check_header_value("idempotency_key", key)
    return str(key)


def query(**params: str | int | None) -> Query:
    """Query pairs in call order, leaving out parameters the caller did not set."""
    return tuple((name, str(value)) for name, value in params.items() if value is not None)


def body(**params: Any) -> dict[str, Any]:
    """A JSON body leaving out parameters the caller did not set (None is never sent as null)."""
    return {name: value for name, value in params.items() if value is not None}


def prepare(spec: RequestSpec, base_url: str, headers: Mapping[str, str]) -> PreparedRequest:
    """Apply the client's base URL and headers; POSTs get their Idempotency-Key here.

    Raises ValueError for a body JSON cannot encode (an int of thousands of digits, NaN).
    An operation's plan builds its requests from the same pieces (``url_of``, ``post_request``,
    ``get_request``)
    without a RequestSpec when nothing of the call needs one.
    """
    if spec.headers:
        headers = with_headers(headers, spec.headers)
    target = url_of(base_url, spec.path, spec.query)
    if spec.method != "POST":
        return get_request(spec.method, target, headers)
    # Resources check a caller's key when they build the spec; only a missing one is made here.
    return post_request(
        target, headers, spec.body or {}, spec.idempotency_key or new_idempotency_key()
    )


def url_of(base_url: str, path: str, query: Query = ()) -> str:
    """The URL of ``path`` with its query: under ``base_url`` when it starts with "/" (every
    operation's and ``raw_request``'s), else as it is (a next page's absolute URL, checked to
    be on the base URL when it was read). A "://" inside a path stays in the path."""
    joined = base_url + path if path.startswith("/") else path
    return f"{joined}?{urlencode(query)}" if query else joined


def get_request(method: str, url: str, headers: Mapping[str, str]) -> PreparedRequest:
    """A request without a body (GET, DELETE): the headers as they are."""
    return new_tuple(PreparedRequest, (method, url, RedactedHeaders(headers), None, None))


def post_request(url: str, headers: Mapping[str, str], body: Any, key: str) -> PreparedRequest:
    """A POST of ``body`` as JSON with its Idempotency-Key (the same bytes on every attempt)."""
    try:
        content = _json.dumps(body)
    except (ValueError, TypeError, RecursionError) as error:
        raise InvalidParameterError(
            f"the request body cannot be sent as JSON: {error}", param=None
        ) from None
    all_headers = RedactedHeaders(headers)
    all_headers["Content-Type"] = "application/json"
    all_headers["Idempotency-Key"] = key
    return new_tuple(PreparedRequest, ("POST", url, all_headers, content, key))


def with_headers(headers: Mapping[str, str], extra: Headers) -> RedactedHeaders:
    """``headers`` with ``extra`` set over them; names compare case-insensitively, as in HTTP."""
    replaced = {name.lower() for name, _ in extra}
    merged = RedactedHeaders((k, v) for k, v in headers.items() if k.lower() not in replaced)
    merged.update(extra)
    return merged


def origin(url: str) -> str:
    """``scheme://host[:port]`` normalised: lower case, default port left out, IPv6 bracketed.

    Raises ValueError for a URL without scheme and host, or with a bad port.
    """
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    if not scheme or not host:
        raise ValueError(f"not an absolute URL: {url!r}")
    port = parts.port
    if ":" in host:
        host = f"[{host}]"
    default = {"https": 443, "http": 80}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"
