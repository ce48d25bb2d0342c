"""``.last_response``: what the HTTP exchange behind a returned object looked like.

Kept beside the data, never in it: a model's equality, hash, repr and ``to_dict()`` ignore it,
so two snapshots of the same object compare equal however they were fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["LastResponse", "attach"]


class LastResponse:
    """The answer that produced an object or a page (the last attempt, after any retries).

    ``headers`` are the response headers (looked up case-insensitively); ``request_id`` is the
    ``Request-Id`` header; ``idempotency_key`` is the Idempotency-Key the call sent (POSTs
    only); ``idempotent_replayed`` is True when the server answered a repeated key with the
    first answer instead of acting again; ``retries`` counts the attempts after the first;
    ``elapsed`` is the seconds from the first attempt to the last answer, waits included.
    """

    __slots__ = ("elapsed", "headers", "idempotency_key", "retries", "status_code")

    status_code: int
    headers: Mapping[str, str]
    idempotency_key: str | None
    retries: int
    elapsed: float

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
        self.status_code = status_code
        self.headers = headers
        self.idempotency_key = idempotency_key
        self.retries = retries
        self.elapsed = elapsed

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
        # Whatever mapping the HTTP library gave travels as plain pairs (repeats kept).
        items = self.headers.multi_items() if isinstance(self.headers, httpx.Headers) else None
        pairs = list(items if items is not None else self.headers.items())
        return (
            _unpickle,
            (self.status_code, pairs, self.idempotency_key, self.retries, self.elapsed),
        )


def _unpickle(
    status_code: int,
    pairs: list[tuple[str, str]],
    idempotency_key: str | None,
    retries: int,
    elapsed: float,
) -> LastResponse:
    return LastResponse(
        status_code=status_code,
        headers=httpx.Headers(pairs, encoding="utf-8"),
        idempotency_key=idempotency_key,
        retries=retries,
        elapsed=elapsed,
    )


def attach(result: object, info: LastResponse) -> None:
    """Record ``info`` on a model or page that has room for it; anything else is left as is."""
    if hasattr(result, "_last_response"):
        object.__setattr__(result, "_last_response", info)
