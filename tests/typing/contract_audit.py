"""What the contract audit changed, as a user's code sees it; checked by ``mypy --strict`` and
``pyright`` (strict) in CI, never run. Each ``# type: ignore[...]`` line must stay an error."""

from __future__ import annotations

from typing import assert_type

import chargeapi
from chargeapi import Client

DRV = "drv_rc5aCZyDxMT6ZAORNxsNnsFXvdP1CqB3"
RPT = "rpt_HmS9nyVBU8YimkBftwAwPp5bqA31LyPd"


def stations(client: Client) -> None:
    nearby = chargeapi.ChargingStation.list(
        available=True, driver=DRV, latitude=48.87, longitude=2.33, radius=1500, client=client
    )
    assert_type(nearby, chargeapi.Page[chargeapi.ChargingStation])
    route = chargeapi.ChargingStation.list_async(origin="48.87,2.33", destination="45.76,4.84")
    assert_type(route, chargeapi.AsyncPager[chargeapi.ChargingStation])
    chargeapi.ChargingStation.list(available="yes")  # type: ignore[arg-type]


def invoices_and_reports(client: Client) -> None:
    listed = chargeapi.Invoice.list(status="uncollectible", client=client)
    assert_type(listed, chargeapi.Page[chargeapi.Invoice])
    chargeapi.Invoice.list(status="unpaid")  # type: ignore[arg-type]
    report = chargeapi.Report.retrieve(RPT, expand=["account"], client=client)
    assert_type(report.account, str | chargeapi.Account)


def metadata_is_never_null(client: Client) -> None:
    chargeapi.Driver.update(DRV, metadata={"k": "v"}, client=client)
    chargeapi.Driver.update(DRV, metadata=None)  # type: ignore[arg-type]
