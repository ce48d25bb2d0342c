"""Page-token pagination: `{"data", "next_page_url", "previous_page_url"}`, newest first.

A token is `page_` + base64url of `a:<id>` (the objects after, i.e. older than, that one) or
`b:<id>` (the objects before it). It anchors on the object's position in the whole
collection, not on an offset, so new sessions created while a client pages do not shift or
repeat items, and a session changing status mid-walk does not break a `status=` walk. A page
is found by walking from the anchor, so serving it costs O(page), not O(collection). Tokens
are opaque to clients; one that does not decode to an object of this collection is a 400
with `param: "page"`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

import httpx

from chargeapi.testing._errors import invalid

T = TypeVar("T")

_PREFIX = "page_"
_CURSOR = re.compile(r"([ab]):([A-Za-z0-9_]+)")


@dataclass(frozen=True)
class Cursor:
    direction: str  # "a" (after: older objects) or "b" (before: newer objects)
    object_id: str

    def encode(self) -> str:
        raw = f"{self.direction}:{self.object_id}".encode()
        return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, positions: Mapping[str, int]) -> Cursor:
    """The cursor in a token, checked against the collection's IDs (any ID it ever held)."""
    error = invalid(f"Invalid page token: {token!r}. Follow next_page_url as returned.", "page")
    if not token.startswith(_PREFIX):
        raise error
    body = token.removeprefix(_PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise error from None
    match = _CURSOR.fullmatch(raw)
    if match is None or match[2] not in positions:
        raise error
    return Cursor(match[1], match[2])


def paginate(
    order: Sequence[str],
    positions: Mapping[str, int],
    pick: Callable[[str], T | None],
    limit: int,
    cursor: Cursor | None,
) -> tuple[list[T], Cursor | None, Cursor | None]:
    """One page, newest first: (items, next cursor, previous cursor).

    `order` holds the collection's IDs oldest first; `pick(id)` is the object if it exists and
    matches the filters, else None. Only the page and one neighbour on each side are looked
    at (plus whatever the filters skip), so walking a whole list is linear, not quadratic.
    """
    if cursor is None:
        start, step = len(order) - 1, -1
    elif cursor.direction == "a":
        start, step = positions[cursor.object_id] - 1, -1
    else:
        start, step = positions[cursor.object_id] + 1, 1
    found: list[tuple[int, T]] = []
    index = start
    while 0 <= index < len(order) and len(found) < limit:
        item = pick(order[index])
        if item is not None:
            found.append((index, item))
        index += step
    if not found:
        return [], None, None
    if step == 1:
        found.reverse()
    newest, oldest = found[0][0], found[-1][0]
    more_older = _any(order, pick, oldest - 1, -1)
    more_newer = _any(order, pick, newest + 1, 1)
    return (
        [item for _, item in found],
        Cursor("a", order[oldest]) if more_older else None,
        Cursor("b", order[newest]) if more_newer else None,
    )


def _any(order: Sequence[str], pick: Callable[[str], object], index: int, step: int) -> bool:
    while 0 <= index < len(order):
        if pick(order[index]) is not None:
            return True
        index += step
    return False


def page_url(url: httpx.URL, cursor: Cursor | None, params: list[tuple[str, str]]) -> str | None:
    """The absolute URL of another page: same scheme://host:port and path, token first."""
    if cursor is None:
        return None
    query = urlencode([("page", cursor.encode()), *params])
    return str(url.copy_with(query=query.encode()))
