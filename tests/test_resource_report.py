"""Report: every operation's exact request on the wire, and the typed object that comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import chargeapi
from tests.conftest import API, assert_get, assert_post, refused_before_io

# The report example of the API reference (section 7.14), verbatim.
REPORT: dict[str, Any] = {
    "id": "rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd",
    "object": "report",
    "account": "acct_m1fAaBjTsocSgEAaAJMkNAG4dwP13R7X",
    "created": "2026-05-02T00:37:49.915Z",
    "fleet": "flt_P8fIJXDlGlEq6KQsUDSvV7DW8OQlZxgO",
    "parameters": {
        "filters": {"vehicle": ["veh_ZT57dmneTYSCr4PUAMg5p0Ynr5F85vpk"]},
        "group_by": "vehicle",
        "period_end": "2026-05-02T00:37:39.058Z",
        "period_start": "2026-04-01T00:37:49.196Z",
        "type": "charging_summary",
    },
    "size": 48312,
    "status": "succeeded",
    "succeeded_at": "2026-05-02T00:42:20.267Z",
    "type": "csv",
    "url": "https://files.chargeapi.co/reports/rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd.csv",
}
RPT = "rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd"
FLT = "flt_P8fIJXDlGlEq6KQsUDSvV7DW8OQlZxgO"
VEH = "veh_ZT57dmneTYSCr4PUAMg5p0Ynr5F85vpk"
PENDING = {**REPORT, "status": "pending", "size": 0, "url": None, "succeeded_at": None}
Sdk = Callable[..., Any]


def check_report(report: Any, status: chargeapi.ReportStatus) -> None:
    assert isinstance(report, chargeapi.Report)
    assert report.id == RPT
    assert report.status == status
    assert report.parameters == chargeapi.ReportParameters(
        filters=chargeapi.ReportFilters(vehicle=(VEH,)),
        group_by="vehicle",
        period_end=datetime(2026, 5, 2, 0, 37, 39, 58000, tzinfo=UTC),
        period_start=datetime(2026, 4, 1, 0, 37, 49, 196000, tzinfo=UTC),
        type="charging_summary",
    )


def test_documented_example_round_trips() -> None:
    decoded = chargeapi.Report.from_dict(REPORT)
    check_report(decoded, chargeapi.ReportStatus.SUCCEEDED)
    assert decoded.size == 48312
    assert decoded.type == "csv"
    assert decoded.to_dict() == REPORT


@respx.mock
def test_create_sends_nested_parameters(sdk: Sdk) -> None:
    route = respx.post(f"{API}/v1/reports").mock(return_value=httpx.Response(200, json=PENDING))
    report = sdk(
        chargeapi.Report.create,
        parameters={
            "type": "charging_summary",
            "period_start": datetime(2026, 4, 1, tzinfo=UTC),
            "period_end": "2026-05-01T00:00:00+02:00",
            "group_by": "vehicle",
            "filters": {"vehicle": [VEH]},
        },
        fleet=FLT,
    )
    assert_post(
        route,
        {
            "parameters": {
                "type": "charging_summary",
                "period_start": "2026-04-01T00:00:00.000Z",
                "period_end": "2026-04-30T22:00:00.000Z",
                "group_by": "vehicle",
                "filters": {"vehicle": [VEH]},
            },
            "fleet": FLT,
        },
    )
    check_report(report, chargeapi.ReportStatus.PENDING)
    assert report.url is None


@respx.mock
def test_retrieve_with_expand(sdk: Sdk) -> None:
    expanded = {**REPORT, "fleet": {"id": FLT, "object": "fleet", "name": "Example Fleet"}}
    route = respx.get(f"{API}/v1/reports/{RPT}").mock(
        return_value=httpx.Response(200, json=expanded)
    )
    report = sdk(chargeapi.Report.retrieve, RPT, expand=["fleet"])
    assert_get(route, [("expand", "fleet")])
    check_report(report, chargeapi.ReportStatus.SUCCEEDED)
    assert isinstance(report.fleet, chargeapi.Fleet)
    assert report.fleet.name == "Example Fleet"


@respx.mock
def test_list_sends_the_status_filter_and_limit(sdk: Sdk) -> None:
    route = respx.get(f"{API}/v1/reports").mock(
        return_value=httpx.Response(
            200, json={"data": [PENDING], "next_page_url": None, "previous_page_url": None}
        )
    )
    page = sdk(chargeapi.Report.list, status="pending", limit=10)
    assert_get(route, [("status", "pending"), ("limit", "10")])
    assert len(page.data) == 1
    check_report(page.data[0], chargeapi.ReportStatus.PENDING)


PARAMS: dict[str, Any] = {
    "type": "charging_summary",
    "period_start": "2026-04-01T00:00:00Z",
    "period_end": "2026-05-01T00:00:00Z",
}


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        (
            {"type": "charging_summary", "period_end": "2026-05-01T00:00:00Z"},
            ValueError,
            r"^parameters\.period_start is required",
        ),
        ({**PARAMS, "groupby": "vehicle"}, ValueError, r"^parameters\.groupby is not a"),
        (
            {**PARAMS, "period_end": datetime(2026, 5, 1)},
            ValueError,
            r"^parameters\.period_end has no time zone",
        ),
        (
            {**PARAMS, "filters": {"vehicle": [FLT]}},
            ValueError,
            r"^parameters\.filters\.vehicle\[0\] must be a vehicle ID",
        ),
        (
            {**PARAMS, "filters": {"vehicle": VEH}},
            TypeError,
            r"^parameters\.filters\.vehicle must be a list",
        ),
        ({**PARAMS, "filters": {"driver": []}}, ValueError, r"^parameters\.filters\.driver is"),
    ],
)
def test_bad_parameters_are_named_by_their_path_before_any_io(
    sdk: Sdk, parameters: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(chargeapi.Report.create, parameters=parameters)


@pytest.mark.parametrize(
    ("method", "kwargs", "error", "message"),
    [
        ("create", {"parameters": PARAMS, "fleet": VEH}, ValueError, r"^fleet must be a fleet"),
        ("list", {"status": "done"}, ValueError, r"^status must be one of 'pending'"),
        ("list", {"limit": 200}, ValueError, r"^limit must be between 1 and 100"),
    ],
)
def test_bad_input_names_the_parameter_before_any_io(
    sdk: Sdk, method: str, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with refused_before_io(error, match=message):
        sdk(getattr(chargeapi.Report, method), **kwargs)


@respx.mock
def test_chargeapi_retrieve_picks_report_by_its_prefix(client: chargeapi.Client) -> None:
    route = respx.get(f"{API}/v1/reports/{RPT}").mock(return_value=httpx.Response(200, json=REPORT))
    found = chargeapi.retrieve(RPT, client=client)
    assert_get(route, [])
    assert isinstance(found, chargeapi.Report)
    assert found.id == RPT
