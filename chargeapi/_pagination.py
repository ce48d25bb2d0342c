"""Pages of a list endpoint, followed through ``next_page_url`` as the API returns it.

The SDK never builds page tokens. The request carries the API key, so a ``next_page_url`` is
only ever sent to the client's own base URL: one on another origin (the API's public address
seen through a proxy or a mock ``base_url``) has its path and query followed there instead.
A page URL must stay on the list's own path, and a walk stops with an InvalidResponseError when
the API hands back a page URL it already gave: following it would never end.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast
from urllib.parse import urlsplit

from ._convert import InvalidData, from_json_list
from ._exceptions import InvalidResponseError
from ._request import origin
from ._response import LastResponse

__all__ = ["AsyncPage", "AsyncPager", "Page"]

M = TypeVar("M")
F = TypeVar("F")


_MAX_PAGE_URL = 8192  # characters: far above a real page URL, far below httpx's limit


def parse_page(
    item_cls: type[M],
    body: Any,
    base_url: str,
    list_path: str | None = None,
    *,
    strict: bool = True,
) -> tuple[list[M], str | None, str | None]:
    """``data``, ``next_page_url`` and ``previous_page_url`` of a list response, checked.

    ``list_path`` (``/v1/drivers``) is the only path a page URL may have. Raises InvalidData
    (the call turns it into an InvalidResponseError). Items decode leniently unless ``strict``
    (see ``from_json``).
    """
    if not isinstance(body, dict):
        raise InvalidData(f"not a list object with a 'data' array (got {type(body).__name__})")
    page = cast("dict[str, Any]", body)
    data: Any = page.get("data")
    if not isinstance(data, list):
        raise InvalidData("not a list object with a 'data' array (got dict)")
    try:
        items = from_json_list(item_cls, data, strict=strict)  # pyright: ignore[reportUnknownArgumentType]
    except InvalidData as error:
        raise InvalidData(
            f"a listed {item_cls.__name__} that does not match the documented shape: {error}"
        ) from None
    return (
        items,
        _page_link(page.get("next_page_url"), base_url, list_path),
        _page_link(page.get("previous_page_url"), base_url, list_path),
    )


def _page_link(url: Any, base_url: str, list_path: str | None) -> str | None:
    followed = _same_origin(url, base_url)
    if followed is None:
        return None
    if len(followed) > _MAX_PAGE_URL:
        raise InvalidData(f"a page URL longer than {_MAX_PAGE_URL} characters")
    if list_path is not None:
        path = urlsplit(followed).path
        if path != urlsplit(base_url).path + list_path:
            raise InvalidData(
                f"a page URL for another path ({path[:200]!r}, expected {list_path!r}); "
                "it is not followed"
            )
    return followed


def _same_origin(url: Any, base_url: str) -> str | None:
    """The URL to fetch for a page link: always on ``base_url``'s origin."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise InvalidData(f"a page URL that is not a string ({type(url).__name__})")
    own = origin(base_url)
    if url.startswith("/") and not url.startswith("//"):
        return own + url
    try:
        target = urlsplit(url)
        same = origin(url) == own
    except ValueError:
        raise InvalidData("a page URL that is not an absolute URL or a path") from None
    if same:
        return url
    # Another origin: only its path and query are followed, on the client's own base URL.
    path = target.path if target.path.startswith("/") else "/" + target.path
    return f"{base_url}{path}" + (f"?{target.query}" if target.query else "")


class _PageData(Generic[M, F]):
    """What a page holds: its items, its neighbours' URLs, and how to fetch another page."""

    __slots__ = ("_fetch", "_last_response", "data", "next_page_url", "previous_page_url")

    data: Sequence[M]
    next_page_url: str | None
    previous_page_url: str | None

    def __init__(
        self,
        data: Sequence[M],
        next_page_url: str | None,
        previous_page_url: str | None,
        fetch: Callable[[str], F],
    ) -> None:
        self.data = data
        self.next_page_url = next_page_url
        self.previous_page_url = previous_page_url
        self._fetch = fetch
        self._last_response: LastResponse | None = None

    @property
    def last_response(self) -> LastResponse | None:
        """The HTTP answer this page came from (status, headers, request id, retries ...)."""
        return self._last_response

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
        return self._fetch(self.next_page_url) if self.next_page_url else None

    def previous_page(self) -> Page[M] | None:
        """The page before this one (``previous_page_url``), or None on the first page."""
        return self._fetch(self.previous_page_url) if self.previous_page_url else None

    def __iter__(self) -> Iterator[M]:
        page: Page[M] | None = self
        seen: set[str] = set()
        while page is not None:
            yield from page.data
            _check_new(page.next_page_url, seen)
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
        return await self._fetch(self.next_page_url) if self.next_page_url else None

    async def previous_page(self) -> AsyncPage[M] | None:
        """The page before this one (``previous_page_url``), or None on the first page."""
        return await self._fetch(self.previous_page_url) if self.previous_page_url else None

    next_page_async = next_page
    previous_page_async = previous_page

    async def __aiter__(self) -> AsyncIterator[M]:
        page: AsyncPage[M] | None = self
        seen: set[str] = set()
        while page is not None:
            for item in page.data:
                yield item
            _check_new(page.next_page_url, seen)
            page = await page.next_page()


def _check_new(url: str | None, seen: set[str]) -> None:
    """Stop a walk that would loop: the API gave this page URL before."""
    if url is None:
        return
    if url in seen:
        raise InvalidResponseError(
            f"the API returned the page URL {url[:200]!r} a second time while listing; "
            "following it would never end, so the walk stops here"
        )
    seen.add(url)


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
