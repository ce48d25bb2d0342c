"""Page-token pagination: `{"data", "next_page_url", "previous_page_url"}`, newest first.

A token is `page_` + base64url of `a:<id>` (the objects after, i.e. older than, that one) or
`b:<id>` (the objects before it). It anchors on the object's position in the whole
collection, not on an offset, so new sessions created while a client pages do not shift or
repeat items, and a session changing status mid-walk does not break a `status=` walk. Tokens
are opaque to clients; one that does not decode to an object of this collection is a 400
with `param: "page"`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from chargeapi.testing._errors import invalid
from chargeapi.testing._seed import JSON

_PREFIX = "page_"
_CURSOR = re.compile(r"([ab]):([A-Za-z0-9_]+)")


@dataclass(frozen=True)
class Cursor:
    direction: str  # "a" (after: older objects) or "b" (before: newer objects)
    object_id: str

    def encode(self) -> str:
        raw = f"{self.direction}:{self.object_id}".encode()
        return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, ids: list[str]) -> Cursor:
    """The cursor in a token, checked against the collection's IDs (oldest first)."""
    error = invalid(f"Invalid page token: {token!r}. Follow next_page_url as returned.", "page")
    if not token.startswith(_PREFIX):
        raise error
    body = token.removeprefix(_PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise error from None
    match = _CURSOR.fullmatch(raw)
    if match is None or match[2] not in ids:
        raise error
    return Cursor(match[1], match[2])


def paginate(
    items: list[tuple[int, JSON]], limit: int, cursor: Cursor | None, ids: list[str]
) -> tuple[list[JSON], Cursor | None, Cursor | None]:
    """One page of (position, object) pairs, newest first: (data, next cursor, previous cursor)."""
    if cursor is None:
        window = items[:limit]
    else:
        anchor = ids.index(cursor.object_id)
        if cursor.direction == "a":
            window = [item for item in items if item[0] < anchor][:limit]
        else:
            window = [item for item in items if item[0] > anchor][-limit:]
    if not window:
        return [], None, None
    newest, oldest = window[0][0], window[-1][0]
    more_older = any(rank < oldest for rank, _ in items)
    more_newer = any(rank > newest for rank, _ in items)
    return (
        [obj for _, obj in window],
        Cursor("a", window[-1][1]["id"]) if more_older else None,
        Cursor("b", window[0][1]["id"]) if more_newer else None,
    )


def page_url(url: httpx.URL, cursor: Cursor | None, params: list[tuple[str, str]]) -> str | None:
    """The absolute URL of another page: same scheme://host:port and path, token first."""
    if cursor is None:
        return None
    query = urlencode([("page", cursor.encode()), *params])
    return str(url.copy_with(query=query.encode()))
