"""Page URLs that would loop, leave the list, or not fit a URL: refused, never followed."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, TEST_KEY

DRIVER = {"id": "drv_1", "object": "driver"}


def _page(next_page_url: str | None) -> httpx.Response:
    return httpx.Response(
        200, json={"data": [DRIVER], "next_page_url": next_page_url, "previous_page_url": None}
    )


def _walk(mode: str, client: chargeapi.Client) -> list[Any]:
    if mode == "sync":
        return list(chargeapi.Driver.list(client=client))

    async def run() -> list[Any]:
        return [d async for d in chargeapi.Driver.list_async(client=client)]

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_page_url_given_twice_stops_the_walk(mode: str) -> None:
    same = f"{API}/v1/drivers?page=page_same&limit=10"
    first = respx.get(f"{API}/v1/drivers", params={"page": "page_same"}).mock(
        return_value=_page(same)
    )
    respx.get(f"{API}/v1/drivers").mock(return_value=_page(same))
    with (
        chargeapi.Client(TEST_KEY, max_retries=0) as client,
        pytest.raises(chargeapi.InvalidResponseError, match="a second time"),
    ):
        _walk(mode, client)
    assert first.call_count == 1  # fetched once, then recognised


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (f"{API}/v1/other?page=page_2", "another path"),
        ("/v1/drivers/../../x?page=page_2", "another path"),
        (f"{API}/v1/drivers?page={'p' * 70000}", "longer than 8192"),
        (f"{API}/v1/drivers?page=page_2\tx", "control characters"),
        (f"{API}/v1/drivers?page=page_2\nx", "control characters"),
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_page_url_that_cannot_be_followed_stops_the_walk_after_its_page(
    link: str, message: str, mode: str
) -> None:
    """The page that carries it is returned with its items; only following it is refused."""
    route = respx.get(f"{API}/v1/drivers").mock(return_value=_page(link))
    elsewhere = respx.route(host="api.chargeapi.co").respond(500)
    got: list[Any] = []

    async def walk_async(client: chargeapi.Client) -> None:
        page = await chargeapi.Driver.list_async(client=client)
        assert [d.id for d in page.data] == ["drv_1"]
        async for driver in page:
            got.append(driver.id)

    with chargeapi.Client(TEST_KEY, max_retries=0) as client:
        if mode == "sync":
            page = chargeapi.Driver.list(client=client)
            assert [d.id for d in page.data] == ["drv_1"]
            assert page.next_page_url == link  # shown as the API gave it
            with pytest.raises(chargeapi.InvalidResponseError, match=message):
                got.extend(d.id for d in page)
        else:
            with pytest.raises(chargeapi.InvalidResponseError, match=message):
                asyncio.run(walk_async(client))

    assert got == ["drv_1"]
    assert route.call_count == 1
    assert not elsewhere.called


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_empty_pages_with_fresh_links_stop_the_walk(mode: str) -> None:
    """An API that keeps answering empty pages, each linking to a new one, is not followed
    forever: ten in a row end the walk."""
    pages = iter(range(1, 1000))

    def empty_page(request: httpx.Request) -> httpx.Response:
        link = f"{API}/v1/drivers?page=page_{next(pages)}"
        return httpx.Response(200, json={"data": [], "next_page_url": link})

    route = respx.get(f"{API}/v1/drivers").mock(side_effect=empty_page)
    with (
        chargeapi.Client(TEST_KEY, max_retries=0) as client,
        pytest.raises(chargeapi.InvalidResponseError, match="10 list pages in a row with no items"),
    ):
        _walk(mode, client)
    assert route.call_count == 10


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_few_empty_pages_between_full_ones_are_walked_through(mode: str) -> None:
    bodies = iter(
        [{"data": [DRIVER]}] + [{"data": []}] * 9 + [{"data": [DRIVER]}] + [{"data": []}] * 3
    )
    count = iter(range(1, 100))

    def page(request: httpx.Request) -> httpx.Response:
        body = next(bodies)
        number = next(count)
        link = f"{API}/v1/drivers?page=page_{number}" if number < 14 else None
        return httpx.Response(200, json={**body, "next_page_url": link})

    respx.get(f"{API}/v1/drivers").mock(side_effect=page)
    with chargeapi.Client(TEST_KEY, max_retries=0) as client:
        assert [d.id for d in _walk(mode, client)] == ["drv_1", "drv_1"]
