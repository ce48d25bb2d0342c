"""What the contract audit against the API reference found, each as the request a user sees.

Every expected request is written out by hand from the reference (sections 1, 5, 6, 7).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post
from tests.test_documented_examples import example

Sdk = Callable[..., Any]

ACCT = "acct_cdxZGYZlXIlJYGA3TaAkXFI2YnUXR6Bv"
DRV = "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3"
VEH = "veh_LYAsb3EGOvpMEVohGGwyONPPQTSO040H"
FLT = "flt_nnMosKd4naheDFTiLmLhZ3Yw64xg9enI"
POL = "pol_BAmcmCVnWzqSlC5BFWKtpgHsOAo22N9N"
RES = "res_nfJiRR1ok35nSfnIpS4tC7SAsUk0K3As"
INV = "inv_x1QYytVkSXm5EPAsZCFVnnEW4DSSkY8K"
WH = "wh_ciX3YSgbziEUrUrZ7eUwNnAJm89uT45f"


def _page(name: str) -> dict[str, Any]:
    return {"data": [example(name)], "next_page_url": None, "previous_page_url": None}


# -- metadata is an object, never null: an update sends a dict or nothing -----------------------

UPDATES = [
    (chargeapi.Account.update, ACCT, f"/v1/accounts/{ACCT}", "account"),
    (chargeapi.Driver.update, DRV, f"/v1/drivers/{DRV}", "driver"),
    (chargeapi.Vehicle.update, VEH, f"/v1/vehicles/{VEH}", "vehicle"),
    (chargeapi.Fleet.update, FLT, f"/v1/fleets/{FLT}", "fleet"),
    (chargeapi.Policy.update, POL, f"/v1/policies/{POL}", "policy"),
    (chargeapi.Reservation.update, RES, f"/v1/reservations/{RES}", "reservation"),
    (chargeapi.Invoice.update, INV, f"/v1/invoices/{INV}", "invoice"),
    (chargeapi.WebhookEndpoint.update, WH, f"/v1/webhook_endpoints/{WH}", "webhook_endpoint"),
]


@pytest.mark.parametrize(("method", "object_id", "path", "name"), UPDATES)
@respx.mock
def test_update_metadata_none_is_refused_not_sent_as_null(
    sdk: Sdk, method: Any, object_id: str, path: str, name: str
) -> None:
    route = respx.post(f"{API}{path}").mock(return_value=httpx.Response(200, json=example(name)))
    with pytest.raises(TypeError, match="metadata"):
        sdk(method, object_id, metadata=None)
    assert not route.called


@pytest.mark.parametrize(("method", "object_id", "path", "name"), UPDATES)
@respx.mock
def test_update_metadata_is_sent_as_an_object(
    sdk: Sdk, method: Any, object_id: str, path: str, name: str
) -> None:
    route = respx.post(f"{API}{path}").mock(return_value=httpx.Response(200, json=example(name)))
    updated = sdk(method, object_id, metadata={"invoice_group": "paris-monthly"})
    assert_post(route, {"metadata": {"invoice_group": "paris-monthly"}})
    assert updated.id == object_id


# -- charging stations: the list filters the reference documents --------------------------------


@respx.mock
def test_station_list_sends_the_documented_filters(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/charging_stations").mock(
        return_value=httpx.Response(200, json=_page("charging_station"))
    )
    page = sdk(
        chargeapi.ChargingStation.list,
        available=True,
        driver=DRV,
        latitude=48.8698,
        longitude=2.3319,
        radius=1500,
        limit=5,
    )
    assert_get(
        route,
        [
            ("available", "true"),
            ("driver", DRV),
            ("latitude", "48.8698"),
            ("longitude", "2.3319"),
            ("radius", "1500"),
            ("limit", "5"),
        ],
    )
    assert [station.id for station in page.data] == ["chst_iMb1nAbiUhyudabADX74SMtWaNhC4Z1t"]


@respx.mock
def test_station_list_sends_a_route_between_origin_and_destination(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/charging_stations").mock(
        return_value=httpx.Response(200, json=_page("charging_station"))
    )
    sdk(chargeapi.ChargingStation.list, origin="48.8698,2.3319", destination="45.764,4.8357")
    assert_get(route, [("destination", "45.764,4.8357"), ("origin", "48.8698,2.3319")])


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"latitude": 48.8}, "longitude"),
        ({"latitude": 48.8, "longitude": 2.3}, "radius"),
        ({"radius": 100}, "latitude"),
        ({"destination": "45.764,4.8357"}, "origin"),
        ({"latitude": 91.0, "longitude": 2.3, "radius": 5}, "latitude"),
    ],
)
@respx.mock
def test_station_list_refuses_incomplete_search_areas(
    sdk: Sdk, kwargs: dict[str, Any], named: str
) -> None:
    route = respx.get(f"{API}/v1/charging_stations")
    with pytest.raises(ValueError, match=named):
        sdk(chargeapi.ChargingStation.list, **kwargs)
    assert not route.called


# -- invoices: the list filter takes every documented status ------------------------------------


@pytest.mark.parametrize("status", ["draft", "open", "paid", "overdue", "void", "uncollectible"])
@respx.mock
def test_invoice_list_status_filter_takes_every_documented_status(sdk: Sdk, status: str) -> None:
    route = respx.get(f"{API}/v1/invoices").mock(
        return_value=httpx.Response(200, json=_page("invoice"))
    )
    sdk(chargeapi.Invoice.list, status=status)
    assert_get(route, [("status", status)])


# -- webhook endpoints: at least one event type -------------------------------------------------


@respx.mock
def test_webhook_endpoint_create_refuses_no_event_types(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/webhook_endpoints")
    with pytest.raises(ValueError, match="enabled_events"):
        sdk(chargeapi.WebhookEndpoint.create, enabled_events=[], url="https://example.com/hook")
    assert not route.called


# -- timestamps: RFC 3339 needs four year digits -------------------------------------------------


@respx.mock
def test_timestamps_before_year_1000_keep_four_year_digits(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/invoices").mock(
        return_value=httpx.Response(200, json=example("invoice"))
    )
    sdk(
        chargeapi.Invoice.create,
        period_start=datetime(999, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        period_end="2026-05-02T02:41:19.481+02:00",
    )
    assert_post(
        route,
        {"period_start": "0999-01-02T03:04:05.678Z", "period_end": "2026-05-02T00:41:19.481Z"},
    )


# -- chargeapi.retrieve(id): every prefix that has a retrieve endpoint ---------------------------

RETRIEVABLE = [
    ("account", "/v1/accounts/"),
    ("charging_session", "/v1/charging_sessions/"),
    ("charging_station", "/v1/charging_stations/"),
    ("driver", "/v1/drivers/"),
    ("vehicle", "/v1/vehicles/"),
    ("fleet", "/v1/fleets/"),
    ("payment_method", "/v1/payment_methods/"),
    ("policy", "/v1/policies/"),
    ("reservation", "/v1/reservations/"),
    ("estimation", "/v1/estimations/"),
    ("invoice", "/v1/invoices/"),
    ("transaction", "/v1/transactions/"),
    ("report", "/v1/reports/"),
    ("webhook_endpoint", "/v1/webhook_endpoints/"),
]


@pytest.mark.parametrize(("name", "path"), RETRIEVABLE)
@respx.mock
def test_retrieve_by_id_reaches_every_retrieve_endpoint(
    client: chargeapi.Client, name: str, path: str
) -> None:
    data = example(name)
    route = respx.get(f"{API}{path}{data['id']}").mock(return_value=httpx.Response(200, json=data))
    found = chargeapi.retrieve(data["id"], client=client)
    assert_get(route, [])
    assert found.to_dict() == data
    assert type(found).__name__ == "".join(part.title() for part in name.split("_"))


@pytest.mark.parametrize("object_id", ["vtel_QqrK9N8ew14uY0Qi7gHlQD0vWQ48hdBP", "evt_NmNUTThi"])
def test_retrieve_by_id_names_the_prefixes_that_work(object_id: str) -> None:
    with pytest.raises(ValueError, match="retrieve endpoint") as caught:
        chargeapi.retrieve(object_id, client=chargeapi.Client("ch_sk_test_x"))
    listed = str(caught.value).split("(")[1].split(")")[0].split(", ")
    assert sorted(listed) == sorted(RETRIEVABLE_PREFIXES)


RETRIEVABLE_PREFIXES = ["acct_", "cs_", "chst_", "drv_", "veh_", "flt_", "pm_", "pol_", "res_"]
RETRIEVABLE_PREFIXES += ["est_", "inv_", "txn_", "rpt_", "wh_"]


# -- list filters: every documented enum value goes out as written --------------------------------

FILTER_VALUES = [
    ("/v1/charging_sessions", chargeapi.ChargingSession.list, "charging_session", "status", s)
    for s in ("active", "completed", "cancelled", "failed")
]
FILTER_VALUES += [
    ("/v1/reservations", chargeapi.Reservation.list, "reservation", "status", s)
    for s in ("pending", "confirmed", "completed", "cancelled", "failed", "expired")
]
FILTER_VALUES += [
    ("/v1/reports", chargeapi.Report.list, "report", "status", s)
    for s in ("pending", "processing", "succeeded", "failed")
]
FILTER_VALUES += [
    ("/v1/policies", chargeapi.Policy.list, "policy", "status", s) for s in ("active", "inactive")
]
FILTER_VALUES += [
    ("/v1/payment_methods", chargeapi.PaymentMethod.list, "payment_method", "type", t)
    for t in ("card", "bank_account", "wallet")
]


@pytest.mark.parametrize(("path", "method", "name", "param", "value"), FILTER_VALUES)
@respx.mock
def test_list_filter_sends_each_documented_value(
    sdk: Sdk, path: str, method: Any, name: str, param: str, value: str
) -> None:
    route = respx.get(f"{API}{path}").mock(return_value=httpx.Response(200, json=_page(name)))
    page = sdk(method, **{param: value, "limit": 100})
    assert_get(route, [(param, value), ("limit", "100")])
    assert [item.id for item in page.data] == [example(name)["id"]]


@pytest.mark.parametrize(
    ("method", "param", "value"),
    [
        (chargeapi.ChargingSession.list, "status", "ended"),
        (chargeapi.Reservation.list, "status", "locked"),  # an older generation's status
        (chargeapi.Report.list, "status", "done"),
        (chargeapi.Policy.list, "status", "enabled"),
        (chargeapi.PaymentMethod.list, "type", "credit_card"),
        (chargeapi.Invoice.list, "limit", 101),
        (chargeapi.Invoice.list, "limit", 0),
    ],
)
@respx.mock
def test_list_filter_refuses_undocumented_values(
    sdk: Sdk, method: Any, param: str, value: Any
) -> None:
    route = respx.route(host="api.chargeapi.co")
    with pytest.raises(ValueError, match=param):
        sdk(method, **{param: value})
    assert not route.called
