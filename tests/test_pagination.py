"""Lists: iterate every item of every page by following next_page_url exactly as returned."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

import chargeapi

from .conftest import API, STATION_EXAMPLE, seed_response

URL = f"{API}/v1/charging_sessions"
PAGE_2 = f"{URL}?page=page_vTAqG8c9R32ps8le7rxCVudUeguIaNstI0LBO09jrOg&status=active&limit=2"
PAGE_3 = f"{URL}?page=page_Zz9&status=active&limit=2"


def _session(n: int) -> dict[str, Any]:
    return seed_response() | {"id": f"cs_{n:032d}"}


def _page(ids: range, next_url: str | None, previous_url: str | None = None) -> dict[str, Any]:
    return {
        "data": [_session(n) for n in ids],
        "next_page_url": next_url,
        "previous_page_url": previous_url,
    }


def _three_pages() -> respx.Route:
    """Route GET /v1/charging_sessions by exact query: first page, then the two URLs."""

    def answer(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == PAGE_2:
            return httpx.Response(200, json=_page(range(2, 4), PAGE_3, URL))
        if url == PAGE_3:
            return httpx.Response(200, json=_page(range(4, 5), None, PAGE_2))
        assert request.url.params.get("page") is None, f"unexpected page request {url}"
        return httpx.Response(200, json=_page(range(2), PAGE_2))

    return respx.get(url__startswith=URL).mock(side_effect=answer)


@respx.mock
def test_iterating_a_list_yields_every_item_of_every_page(client: chargeapi.Client) -> None:
    route = _three_pages()

    sessions = list(chargeapi.ChargingSession.list(status="active", limit=2, client=client))

    assert [s.id for s in sessions] == [f"cs_{n:032d}" for n in range(5)]
    assert all(isinstance(s, chargeapi.ChargingSession) for s in sessions)
    assert [str(c.request.url) for c in route.calls][1:] == [PAGE_2, PAGE_3]


@respx.mock
def test_the_first_page_stays_reachable_for_manual_paging(client: chargeapi.Client) -> None:
    _three_pages()

    page = chargeapi.ChargingSession.list(status="active", limit=2, client=client)

    assert [s.id for s in page.data] == [f"cs_{n:032d}" for n in range(2)]
    assert page.next_page_url == PAGE_2
    second = page.next_page()
    assert second is not None
    assert second.previous_page_url == URL
    third = second.next_page()
    assert third is not None and third.next_page_url is None
    assert third.next_page() is None


@respx.mock
async def test_async_for_over_list_async_yields_every_item(client: chargeapi.Client) -> None:
    _three_pages()

    ids = [s.id async for s in chargeapi.ChargingSession.list_async(status="active", client=client)]

    assert ids == [f"cs_{n:032d}" for n in range(5)]


@respx.mock
async def test_awaiting_list_async_gives_the_first_page(client: chargeapi.Client) -> None:
    _three_pages()

    page = await chargeapi.ChargingSession.list_async(status="active", limit=2, client=client)

    assert len(page.data) == 2 and page.next_page_url == PAGE_2
    second = await page.next_page()
    assert second is not None and [s.id for s in second.data][0] == f"cs_{2:032d}"


@respx.mock
def test_a_page_url_on_another_host_is_followed_on_the_clients_own_origin(
    client: chargeapi.Client,
) -> None:
    evil = respx.get(host="evil.example").respond(500)
    respx.get(f"{URL}?page=p2").respond(200, json=_page(range(1, 2), None))
    respx.get(URL).respond(
        200, json=_page(range(1), "https://evil.example/v1/charging_sessions?page=p2")
    )

    ids = [s.id for s in chargeapi.ChargingSession.list(client=client)]

    assert ids == [f"cs_{0:032d}", f"cs_{1:032d}"]
    assert not evil.called


@respx.mock
def test_a_relative_next_page_url_is_followed_on_the_api_origin(client: chargeapi.Client) -> None:
    relative = "/v1/charging_sessions?page=page_abc&limit=1"
    respx.get(f"{API}{relative}").respond(200, json=_page(range(1, 2), None))
    respx.get(URL).respond(200, json=_page(range(1), relative))

    ids = [s.id for s in chargeapi.ChargingSession.list(client=client)]

    assert ids == [f"cs_{0:032d}", f"cs_{1:032d}"]


@respx.mock
def test_an_empty_list_iterates_to_nothing(client: chargeapi.Client) -> None:
    respx.get(URL).respond(200, json=_page(range(0), None))

    assert list(chargeapi.ChargingSession.list(client=client)) == []


@respx.mock
def test_a_list_body_without_data_is_an_invalid_response(client: chargeapi.Client) -> None:
    respx.get(URL).respond(200, json={"object": "list"})

    with pytest.raises(chargeapi.InvalidResponseError, match="'data'"):
        chargeapi.ChargingSession.list(client=client)


@respx.mock
def test_a_malformed_item_names_the_model_and_field(client: chargeapi.Client) -> None:
    respx.get(URL).respond(200, json={"data": [seed_response() | {"energy_consumed": "12"}]})
    strict = client.with_options(strict_responses=True)

    with pytest.raises(
        chargeapi.InvalidResponseError, match=r"ChargingSession\.energy_consumed: expected int"
    ):
        chargeapi.ChargingSession.list(client=strict)


@respx.mock
def test_stations_list_pages_the_same_way(client: chargeapi.Client) -> None:
    url = f"{API}/v1/charging_stations"
    next_url = f"{url}?page=page_CGNm&limit=1"
    respx.get(next_url).respond(
        200, json={"data": [STATION_EXAMPLE | {"id": "chst_b"}], "next_page_url": None}
    )
    respx.get(url).respond(200, json={"data": [STATION_EXAMPLE], "next_page_url": next_url})

    ids = [s.id for s in chargeapi.ChargingStation.list(limit=1, client=client)]

    assert ids == [STATION_EXAMPLE["id"], "chst_b"]
