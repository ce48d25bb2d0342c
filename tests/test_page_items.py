"""The items of a list page: each checked to be the listed type, decoded, and tied to the
client that listed it (expanded objects inside them too)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from chargeapi._convert import from_json
from chargeapi.testing import Simulator

from .conftest import API, STATION_EXAMPLE, seed_response

LIST_URL = f"{API}/v1/charging_sessions"
STATION_URL = f"{API}/v1/charging_stations/{STATION_EXAMPLE['id']}"


def _page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"object": "list", "data": list(items), "next_page_url": None}


def _session(number: int, **changes: Any) -> dict[str, Any]:
    item = seed_response()
    item["id"] = f"cs_{number:032d}"
    item.update(changes)
    return item


def test_an_item_naming_the_listed_type_with_another_types_id_is_refused(
    client: chargeapi.Client,
) -> None:
    page = _page(_session(1), _session(2, id="drv_" + "D" * 32))
    with respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=page))
        with pytest.raises(chargeapi.InvalidResponseError, match="item 1 is a driver ID"):
            chargeapi.ChargingSession.list(client=client)


def test_an_item_that_leaves_object_out_is_read_by_its_id() -> None:
    page = _page(_session(1), {k: v for k, v in _session(2).items() if k != "object"})
    with chargeapi.Client("ch_sk_test_" + "k" * 24) as client, respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=page))
        listed = chargeapi.ChargingSession.list(client=client)

    assert [s.id for s in listed.data] == [f"cs_{1:032d}", f"cs_{2:032d}"]
    assert [s.object for s in listed.data] == ["charging_session", "charging_session"]


def test_an_item_with_an_id_of_no_known_prefix_is_kept(client: chargeapi.Client) -> None:
    page = _page(_session(1, id="cs" + "9" * 32), _session(2))
    with respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=page))
        listed = chargeapi.ChargingSession.list(client=client)

    assert [s.id for s in listed.data] == ["cs" + "9" * 32, f"cs_{2:032d}"]


def test_listed_items_and_the_objects_expanded_in_them_act_through_the_listing_client() -> None:
    """No default client is configured: an object that forgot its client could not refresh."""
    expanded = _session(2, charging_station=copy.deepcopy(STATION_EXAMPLE))
    page = _page(_session(1), expanded)
    changed_station = {**STATION_EXAMPLE, "name": "Renamed Station"}
    with chargeapi.Client("ch_sk_test_" + "k" * 24, base_url=API) as client, respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=page))
        session_route = mock.get(f"{LIST_URL}/cs_{1:032d}").mock(
            return_value=httpx.Response(200, json=_session(1, energy_consumed=999))
        )
        station_route = mock.get(STATION_URL).mock(
            return_value=httpx.Response(200, json=changed_station)
        )
        first, second = chargeapi.ChargingSession.list(client=client).data
        station = second.charging_station
        assert isinstance(station, chargeapi.ChargingStation)

        assert first.refresh().energy_consumed == 999
        assert station.refresh().name == "Renamed Station"

    assert session_route.calls.last.request.headers["authorization"].endswith("k" * 24)
    assert station_route.calls.last.request.headers["authorization"].endswith("k" * 24)


def test_objects_expanded_in_a_models_only_linked_field_act_through_the_listing_client(
    sim: Simulator,
) -> None:
    """A vehicle has one field that can hold an API object (its fleet)."""
    with sim.client() as client:
        vehicles = chargeapi.Vehicle.list(client=client, expand=["fleet"]).data
        fleets = [v.fleet for v in vehicles if isinstance(v.fleet, chargeapi.Fleet)]

        assert fleets
        assert [fleet.refresh().id for fleet in fleets] == [fleet.id for fleet in fleets]


def _tricky_pages() -> list[list[dict[str, Any]]]:
    unknown_and_left_out = _session(2, loyalty_points={"earned": 12})
    del unknown_and_left_out["session_limit"]
    no_object = {k: v for k, v in _session(3).items() if k != "object"}
    return [
        [_session(1), unknown_and_left_out],
        [_session(1), _session(2, charging_station=copy.deepcopy(STATION_EXAMPLE))],
        [_session(1), no_object],
        [_session(1), _session(2, amount_due="1842")],  # off the documented shape
        [_session(1), _session(2, fleet=None, country=None, session_limit=5000)],
    ]


@pytest.mark.parametrize("items", _tricky_pages())
def test_a_page_decodes_its_items_as_each_would_decode_alone(items: list[dict[str, Any]]) -> None:
    """Pages decode in one pass of their own; the items come out as ``from_dict`` (or, for an
    answer off the documented shape, the lenient decoder) makes each of them alone."""
    with chargeapi.Client("ch_sk_test_" + "k" * 24) as client, respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=_page(*items)))
        listed = chargeapi.ChargingSession.list(client=client).data

    alone = [from_json(chargeapi.ChargingSession, item, strict=False) for item in items]
    assert listed == alone
    assert [type(item) for item in listed] == [chargeapi.ChargingSession] * len(items)
    assert [item.to_dict() for item in listed] == items


def test_a_page_item_off_the_shape_is_named_as_a_lone_object_would_be() -> None:
    items = [_session(1), _session(2, amount_due="1842")]
    strict = chargeapi.Client("ch_sk_test_" + "k" * 24, strict_responses=True)
    with strict, respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=_page(*items)))
        with pytest.raises(chargeapi.InvalidResponseError) as listed:
            chargeapi.ChargingSession.list(client=strict)

    with pytest.raises(chargeapi.InvalidDataError) as alone:
        from_json(chargeapi.ChargingSession, items[1])
    assert str(alone.value) in str(listed.value)
    assert "amount_due" in str(listed.value)


def test_an_item_naming_another_type_with_the_listed_types_id_is_refused(
    client: chargeapi.Client,
) -> None:
    page = _page(_session(1), _session(2, object="driver"))
    with respx.mock() as mock:
        mock.get(LIST_URL).mock(return_value=httpx.Response(200, json=page))
        with pytest.raises(chargeapi.InvalidResponseError, match="item 1 is a 'driver' object"):
            chargeapi.ChargingSession.list(client=client)
