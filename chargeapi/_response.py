"""``.last_response``: what the HTTP exchange behind a returned object looked like.

Kept beside the data, never in it: a model's equality, hash, repr and ``to_dict()`` ignore it,
so two snapshots of the same object compare equal however they were fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["LastResponse", "attach", "copy_headers"]


class LastResponse:
    """The answer that produced an object or a page (the last attempt, after any retries).

    ``headers`` are the response headers (looked up case-insensitively); ``request_id`` is the
    ``Request-Id`` header; ``idempotency_key`` is the Idempotency-Key the call sent (POSTs
    only); ``idempotent_replayed`` is True when the server answered a repeated key with the
    first answer instead of acting again; ``retries`` counts the attempts after the first;
    ``elapsed`` is the seconds from the first attempt to the last answer, waits included.
    """

    __slots__ = ("_elapsed", "_headers", "_idempotency_key", "_retries", "_status_code")

    def __init__(
        self,
        *,
        status_code: int,
        headers: Mapping[str, str],
        idempotency_key: str | None,
        retries: int,
        elapsed: float,
    ) -> None:
        # Made on every call: only assignments here; header lookups wait until asked for.
        self._status_code = status_code
        self._headers = headers
        self._idempotency_key = idempotency_key
        self._retries = retries
        self._elapsed = elapsed

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
        raw = copy_headers(self._headers).raw
        return (
            _unpickle,
            (self._status_code, raw, self._idempotency_key, self._retries, self._elapsed),
        )


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


def _unpickle(
    status_code: int,
    pairs: list[tuple[bytes, bytes]],
    idempotency_key: str | None,
    retries: int,
    elapsed: float,
) -> LastResponse:
    return LastResponse(
        status_code=status_code,
        headers=httpx.Headers(pairs),
        idempotency_key=idempotency_key,
        retries=retries,
        elapsed=elapsed,
    )


def attach(result: object, info: LastResponse) -> None:
    """Record ``info`` on a model or page that has room for it; anything else is left as is."""
    if hasattr(result, "_last_response"):
        object.__setattr__(result, "_last_response", info)
