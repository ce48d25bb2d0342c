"""``.last_response``: what the HTTP exchange behind a returned object looked like.

Kept beside the data, never in it: a model's equality, hash, repr and ``to_dict()`` ignore it,
so two snapshots of the same object compare equal however they were fetched.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from typing import Any, cast

import httpx

from ._convert import InvalidData
from ._exceptions import copy_headers, loads_json

__all__ = ["JSONObject", "LastResponse", "attach", "json_object"]


class LastResponse:
    """The answer that produced an object or a page (the last attempt, after any retries).

    ``headers`` are the response headers (looked up case-insensitively); ``request_id`` is the
    ``Request-Id`` header; ``idempotency_key`` is the Idempotency-Key the call sent (POSTs
    only); ``idempotent_replayed`` is True when the server answered a repeated key with the
    first answer instead of acting again; ``retries`` counts the attempts after the first;
    ``elapsed`` is the seconds from the first attempt to the last answer, waits included.
    ``content``, ``text`` and ``json()`` give the body as received (decompressed, and never
    more than the Client's ``max_response_bytes``).
    """

    __slots__ = (
        "_content",
        "_elapsed",
        "_headers",
        "_idempotency_key",
        "_retries",
        "_status_code",
    )

    def __init__(  # noqa: PLR0917 - made on every call: by position is the cheaper call
        self,
        status_code: int,
        headers: Mapping[str, str],
        idempotency_key: str | None,
        retries: int,
        elapsed: float,
        content: bytes = b"",
    ) -> None:
        # Made on every call: only assignments here; header lookups wait until asked for.
        self._status_code = status_code
        self._headers = headers
        self._idempotency_key = idempotency_key
        self._retries = retries
        self._elapsed = elapsed
        self._content = content

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer (2xx)."""
        return self._status_code

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers, looked up case-insensitively."""
        return self._headers

    @property
    def idempotency_key(self) -> str | None:
        """The Idempotency-Key the call sent (the same on every attempt); None for a GET."""
        return self._idempotency_key

    @property
    def retries(self) -> int:
        """Attempts after the first one: 0 when the first attempt succeeded."""
        return self._retries

    @property
    def elapsed(self) -> float:
        """Seconds from the first attempt to this answer, waits between retries included."""
        return self._elapsed

    @property
    def content(self) -> bytes:
        """The body as received (after decompression)."""
        return self._content

    @property
    def text(self) -> str:
        """The body as text, in the charset its Content-Type names (UTF-8 when none)."""
        return self._content.decode(_charset(self._headers.get("content-type")), "replace")

    def json(self) -> Any:
        """The body decoded from JSON (a new copy on every call; the SDK has checked it is JSON
        before returning the object)."""
        return loads_json(self._content)

    @property
    def request_id(self) -> str | None:
        """The ``Request-Id`` header: quote it to support."""
        return self.headers.get("request-id")

    @property
    def idempotent_replayed(self) -> bool:
        """True when the server answered a repeated Idempotency-Key from its record
        (``Idempotent-Replayed: true``) instead of acting again."""
        replayed = self.headers.get("idempotent-replayed")
        return replayed is not None and replayed.strip().lower() == "true"

    def __repr__(self) -> str:
        return (
            f"<LastResponse {self.status_code} request_id={self.request_id!r} "
            f"idempotency_key={self.idempotency_key!r} "
            f"idempotent_replayed={self.idempotent_replayed} retries={self.retries} "
            f"elapsed={self.elapsed:.3f}s>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # The headers travel as the bytes they came as (repeats kept, any encoding).
        return (
            _unpickle,
            (
                self._status_code,
                copy_headers(self._headers).raw,
                self._idempotency_key,
                self._retries,
                self._elapsed,
                self._content,
            ),
        )


def _unpickle(  # noqa: PLR0917 - pickle passes the fields by position
    status_code: int,
    pairs: list[tuple[bytes, bytes]],
    idempotency_key: str | None,
    retries: int,
    elapsed: float,
    content: bytes = b"",
) -> LastResponse:
    return LastResponse(
        status_code=status_code,
        headers=httpx.Headers(pairs),
        idempotency_key=idempotency_key,
        retries=retries,
        elapsed=elapsed,
        content=content,
    )


_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE | re.ASCII)


def _charset(content_type: str | None) -> str:
    """The charset a Content-Type names, if Python knows it; UTF-8 (JSON's own) otherwise."""
    found = _CHARSET.search(content_type or "")
    if found:
        try:
            return codecs.lookup(found[1]).name
        except LookupError:
            pass
    return "utf-8"


def attach(result: object, info: LastResponse) -> None:
    """Record ``info`` on a model or page that has room for it; anything else is left as is."""
    if hasattr(result, "_last_response"):
        object.__setattr__(result, "_last_response", info)


class JSONObject(dict[str, Any]):
    """A JSON object as ``Client.raw_request`` returns it: a plain dict of the decoded body,
    plus the ``last_response`` it came from (equality and repr are the dict's)."""

    __slots__ = ("_last_response",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_response: LastResponse | None = None

    @property
    def last_response(self) -> LastResponse | None:
        """The HTTP answer this object came from."""
        return self._last_response


def json_object(body: Any) -> JSONObject:
    """Decode a response body into a JSONObject; an empty body is an empty one."""
    if body is None:
        return JSONObject()
    if not isinstance(body, dict):
        raise InvalidData(f"not a JSON object (got a JSON {type(body).__name__})")
    return JSONObject(cast("dict[str, Any]", body))
