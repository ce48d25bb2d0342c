"""Pages of a list endpoint, followed through ``next_page_url`` as the API returns it.

The SDK never builds page tokens. The request carries the API key, so a page URL is only ever
sent to the client's own base URL: only its path and query are followed, whatever origin it
names (the API's public address seen through a proxy or a mock ``base_url``), under the base
URL's path prefix. A page URL must stay on the list's own path; one that cannot be followed
(another path, control characters, too long) leaves its page readable and stops the walk there
with an InvalidResponseError. A walk also stops when the API hands back a page URL it already
gave, or keeps answering empty pages with fresh URLs: following them would never end.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast
from urllib.parse import urlsplit

from ._convert import InvalidData, from_json_list, list_hook
from ._exceptions import InvalidResponseError
from ._registry import PREFIXES, wrong_object
from ._request import origin
from ._response import LastResponse

__all__ = ["AsyncPage", "AsyncPager", "Page"]

M = TypeVar("M")
F = TypeVar("F")


_MAX_PAGE_URL = 8192  # characters: far above a real page URL, far below httpx's limit
_MAX_EMPTY_PAGES = 10  # in a row, each with a next page: the API is not getting anywhere
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")  # never in a URL as sent (httpx refuses them)

# A page URL and, when it must not be followed, why.
Link = tuple[str, str | None]


def parse_page(
    item_cls: type[M],
    body: Any,
    base_url: str,
    list_path: str | None = None,
    *,
    strict: bool = True,
) -> tuple[list[M], Link | None, Link | None, bool]:
    """``data``, the next and previous page links of a list response, checked, and whether a
    field of an item that can hold an API object holds more than an ID (see
    ``remember_client_on_all``).

    ``list_path`` (``/v1/drivers``) is the only path a page URL may have. Raises InvalidData
    (the call turns it into an InvalidResponseError) for a body that is no list of ``item_cls``;
    a page URL that cannot be followed only says why, for when the walk gets there. Items
    decode leniently unless ``strict`` (see ``from_json``).
    """
    if not isinstance(body, dict):
        raise InvalidData(f"not a list object with a 'data' array (got {type(body).__name__})")
    page = cast("dict[str, Any]", body)
    data: Any = page.get("data")
    if not isinstance(data, list):
        raise InvalidData("not a list object with a 'data' array (got dict)")
    try:
        items, linked = _decoded_items(item_cls, data, strict=strict)  # pyright: ignore[reportUnknownArgumentType]
    except InvalidData as error:
        raise InvalidData(
            f"a listed {item_cls.__name__} that does not match the documented shape: {error}"
        ) from None
    return (
        items,
        _page_link(page.get("next_page_url"), base_url, list_path),
        _page_link(page.get("previous_page_url"), base_url, list_path),
        linked,
    )


def _decoded_items(item_cls: type[M], data: list[Any], *, strict: bool) -> tuple[list[M], bool]:
    """The items of a page, each checked to be the listed type and decoded; and whether a field
    that can hold an API object holds more than an ID in any of them (True when not known).

    The common page (every item names the listed type, its ID has that type's prefix, and it
    fits the model) is decoded and checked by one function written for the model, in one loop;
    any other page goes item by item through ``wrong_object`` and the detailed decoder, to say
    which item is wrong and why.
    """
    expected = getattr(item_cls, "__chargeapi_object__", None)
    prefix = PREFIXES.get(expected) if expected is not None else None
    decode = list_hook(item_cls) if prefix is not None else None
    if decode is not None:
        try:
            return decode(data, expected, prefix)  # type: ignore[arg-type]
        except Exception:  # noqa: S110 - checked and decoded again one by one, to say why
            pass
    for index, item in enumerate(data):
        problem = wrong_object(item, expected)
        if problem is not None:
            raise InvalidData(f"a list whose item {index} is {problem}")
    return from_json_list(item_cls, data, strict=strict), True


def _page_link(url: Any, base_url: str, list_path: str | None) -> Link | None:
    """The URL to fetch for a page link (on ``base_url``), and why it must not be, if so."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise InvalidData(f"a page URL that is not a string ({type(url).__name__})")
    if len(url) > _MAX_PAGE_URL:
        return url, f"a page URL longer than {_MAX_PAGE_URL} characters"
    if _UNSAFE.search(url):
        return url, "a page URL with whitespace or control characters in it"
    try:
        target = urlsplit(url)
        if not url.startswith("/") or url.startswith("//"):
            origin(url)  # an absolute URL, whose origin is not followed: only checked
    except ValueError:
        return url, "a page URL that is not an absolute URL or a path"
    # Only the path and query are followed, on the client's own origin and path prefix (a
    # user:password@ or another host never is).
    prefix = urlsplit(base_url).path
    path = target.path if target.path.startswith("/") else "/" + target.path
    if prefix and path != prefix and not path.startswith(prefix + "/"):
        path = prefix + path
    followed = origin(base_url) + path + (f"?{target.query}" if target.query else "")
    if list_path is not None and path != prefix + list_path:
        return url, (
            f"a page URL for another path ({path[:200]!r}, expected {prefix + list_path!r}); "
            "it is not followed"
        )
    return followed, None


class _PageData(Generic[M, F]):
    """What a page holds: its items, its neighbours' URLs, and how to fetch another page."""

    __slots__ = (
        "_fetch",
        "_last_response",
        "_refused",
        "data",
        "next_page_url",
        "previous_page_url",
    )

    data: Sequence[M]
    next_page_url: str | None
    previous_page_url: str | None

    def __init__(
        self,
        data: Sequence[M],
        next_page: Link | None,
        previous_page: Link | None,
        fetch: Callable[[str], F],
    ) -> None:
        self.data = data
        self.next_page_url = next_page[0] if next_page else None
        self.previous_page_url = previous_page[0] if previous_page else None
        # Page URLs that must not be followed, and why (usually empty).
        self._refused = {
            link[0]: link[1] for link in (next_page, previous_page) if link and link[1]
        }
        self._fetch = fetch
        self._last_response: LastResponse | None = None

    @property
    def last_response(self) -> LastResponse | None:
        """The HTTP answer this page came from (status, headers, request id, retries ...)."""
        return self._last_response

    def _follow(self, url: str) -> F:
        """Fetch the page at one of this page's URLs, unless the API gave one to refuse."""
        problem = self._refused.get(url)
        if problem is not None:
            status = self._last_response.status_code if self._last_response else None
            raise InvalidResponseError(
                f"the API answered a list page with {problem}: the pages after it are not "
                "fetched (the items so far were returned)",
                status_code=status,
            )
        return self._fetch(url)

    def __len__(self) -> int:
        """The number of items on this page (not on the pages after it)."""
        return len(self.data)

    def __bool__(self) -> bool:
        """False for a page without items (an empty list)."""
        return bool(self.data)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} of {len(self.data)} items, "
            f"next_page_url={self.next_page_url!r}>"
        )


class Page(_PageData[M, "Page[M]"]):
    """One page of results; iterating it yields every item of this page and all later ones.

    ``data``, ``next_page_url`` and ``previous_page_url`` are this page's own, for manual
    paging; ``next_page()`` and ``previous_page()`` fetch the neighbours (None past either
    end). ``len(page)`` counts this page's items; an empty page is false.
    """

    __slots__ = ()

    def next_page(self) -> Page[M] | None:
        """The page after this one, or None on the last page."""
        return self._follow(self.next_page_url) if self.next_page_url else None

    def previous_page(self) -> Page[M] | None:
        """The page before this one (``previous_page_url``), or None on the first page."""
        return self._follow(self.previous_page_url) if self.previous_page_url else None

    def __iter__(self) -> Iterator[M]:
        page: Page[M] | None = self
        walk = _Walk()
        while page is not None:
            yield from page.data
            walk.step(page)
            page = page.next_page()


class AsyncPage(_PageData[M, "Awaitable[AsyncPage[M]]"]):
    """``Page`` for async code: ``async for item in page`` walks this page and all later ones.

    ``await page.next_page()`` and ``await page.previous_page()`` fetch the neighbours (None
    past either end); ``next_page_async`` and ``previous_page_async`` are the same methods under
    the SDK's ``_async`` names. ``len(page)`` counts this page's items; an empty page is false.
    """

    __slots__ = ()

    async def next_page(self) -> AsyncPage[M] | None:
        """The page after this one, or None on the last page."""
        return await self._follow(self.next_page_url) if self.next_page_url else None

    async def previous_page(self) -> AsyncPage[M] | None:
        """The page before this one (``previous_page_url``), or None on the first page."""
        return await self._follow(self.previous_page_url) if self.previous_page_url else None

    next_page_async = next_page
    previous_page_async = previous_page

    async def __aiter__(self) -> AsyncIterator[M]:
        page: AsyncPage[M] | None = self
        walk = _Walk()
        while page is not None:
            for item in page.data:
                yield item
            walk.step(page)
            page = await page.next_page()


class _Walk:
    """What a walk over pages remembers, to stop one that would never end."""

    __slots__ = ("empty", "seen")

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.empty = 0  # pages in a row without items

    def step(self, page: _PageData[Any, Any]) -> None:
        """Before following ``page``'s next page: raise if the API is going in circles."""
        url = page.next_page_url
        if url is None:
            return
        if url in self.seen:
            raise InvalidResponseError(
                f"the API returned the page URL {url[:200]!r} a second time while listing; "
                "following it would never end, so the walk stops here"
            )
        self.seen.add(url)
        self.empty = 0 if page.data else self.empty + 1
        if self.empty >= _MAX_EMPTY_PAGES:
            raise InvalidResponseError(
                f"the API answered {self.empty} list pages in a row with no items, each with "
                "a next page; the walk stops here rather than follow them forever"
            )


class AsyncPager(Generic[M]):
    """What ``list_async()`` returns: ``await`` it for the first page, or ``async for`` over it
    for every item of every page. Parameters were already checked when it was made."""

    __slots__ = ("_first",)

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[M]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[M]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[M]:
        async for item in await self._first():
            yield item
