"""Pages of a list endpoint, followed through ``next_page_url`` as the API returns it.

The SDK never builds page tokens. The request carries the API key, so a ``next_page_url`` is
only ever sent to the client's own base URL: one on another origin (the API's public address
seen through a proxy or a mock ``base_url``) has its path and query followed there instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from ._convert import InvalidData, from_json_list
from ._request import origin

__all__ = ["AsyncPage", "AsyncPager", "Page"]

M = TypeVar("M")
F = TypeVar("F")


def parse_page(
    item_cls: type[M], body: Any, base_url: str
) -> tuple[list[M], str | None, str | None]:
    """``data``, ``next_page_url`` and ``previous_page_url`` of a list response, checked.

    Raises InvalidData (the call turns it into an InvalidResponseError).
    """
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise InvalidData(f"not a list object with a 'data' array (got {type(body).__name__})")
    try:
        items = from_json_list(item_cls, body["data"])
    except InvalidData as error:
        raise InvalidData(
            f"a listed {item_cls.__name__} that does not match the documented shape: {error}"
        ) from None
    return (
        items,
        _same_origin(body.get("next_page_url"), base_url),
        _same_origin(body.get("previous_page_url"), base_url),
    )


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

    __slots__ = ("_fetch", "data", "next_page_url", "previous_page_url")

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

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} of {len(self.data)} items, "
            f"next_page_url={self.next_page_url!r}>"
        )


class Page(_PageData[M, "Page[M]"]):
    """One page of results; iterating it yields every item of this page and all later ones.

    ``data``, ``next_page_url`` and ``previous_page_url`` are this page's own, for manual
    paging; ``next_page()`` fetches the next page (None at the end).
    """

    __slots__ = ()

    def next_page(self) -> Page[M] | None:
        return self._fetch(self.next_page_url) if self.next_page_url else None

    def __iter__(self) -> Iterator[M]:
        page: Page[M] | None = self
        while page is not None:
            yield from page.data
            page = page.next_page()


class AsyncPage(_PageData[M, "Awaitable[AsyncPage[M]]"]):
    """``Page`` for async code: ``async for item in page`` walks this page and all later ones."""

    __slots__ = ()

    async def next_page(self) -> AsyncPage[M] | None:
        return await self._fetch(self.next_page_url) if self.next_page_url else None

    async def __aiter__(self) -> AsyncIterator[M]:
        page: AsyncPage[M] | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()


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
