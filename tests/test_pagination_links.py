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
    ],
)
@respx.mock
def test_a_page_url_that_leaves_the_list_is_refused(link: str, message: str) -> None:
    respx.get(f"{API}/v1/drivers").mock(return_value=_page(link))
    with (
        chargeapi.Client(TEST_KEY, max_retries=0) as client,
        pytest.raises(chargeapi.InvalidResponseError, match=message),
    ):
        chargeapi.Driver.list(client=client)
