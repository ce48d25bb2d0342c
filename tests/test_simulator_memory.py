"""Bounded memory: the simulator keeps the latest `log_limit` requests, events and deliveries,
so a long run (a soak, a developer's simulator left up for days) does not grow without end."""

from __future__ import annotations

import gc
import os
from typing import Any

import httpx
import pytest

import chargeapi
from chargeapi.testing import Simulator

API = "https://api.chargeapi.co"


def test_the_default_window_is_five_thousand() -> None:
    assert Simulator().log_limit == 5000


def test_the_logs_keep_the_latest_entries() -> None:
    sim = Simulator(log_limit=3)
    sim.webhook_endpoint("https://example.org/hooks", ["*"])  # never contacted: each is skipped
    with sim.client() as client:
        drivers = [
            chargeapi.Driver.create(name=f"Driver {n}", email=f"d{n}@example.com", client=client)
            for n in range(5)
        ]
        chargeapi.Driver.retrieve(drivers[0].id, client=client)

    assert [r.method for r in sim.requests] == ["POST", "POST", "GET"]
    assert [r.json()["name"] for r in sim.requests[:2]] == ["Driver 3", "Driver 4"]
    assert [e["data"]["object"]["id"] for e in sim.events] == [d.id for d in drivers[2:]]
    assert [d.event for d in sim.deliveries] == [e["id"] for e in sim.events]
    assert {d.outcome for d in sim.deliveries} == {"skipped"}


def test_an_event_out_of_the_window_cannot_be_redelivered() -> None:
    sim = Simulator(log_limit=1)
    with sim.client() as client:
        chargeapi.Driver.create(name="First", email="first@example.com", client=client)
        [first] = sim.events
        chargeapi.Driver.create(name="Second", email="second@example.com", client=client)

    with pytest.raises(
        ValueError, match=r"not an event this simulator recorded \(it keeps the last 1\)"
    ):
        sim.redeliver(first["id"])


@pytest.mark.parametrize("limit", [0, -1, 1.5, True, "100", 10**8])
def test_the_window_must_be_a_sensible_int(limit: Any) -> None:
    with pytest.raises(chargeapi.InvalidParameterError, match="log_limit must be an int") as caught:
        Simulator(log_limit=limit)
    assert caught.value.param == "log_limit"


def rss_mib() -> float:
    """This process's resident memory now (Linux: /proc, as CI runs)."""
    gc.collect()
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_resident_memory_stays_flat_over_100_000_requests() -> None:
    """100,000 requests straight into the handler (no sockets: this measures the simulator),
    each recorded; one in 50 updates a driver, recording an event and a (skipped) delivery.
    Kept forever (an unbounded window), they grow it by about 35 MiB over the measured 80,000.
    """
    sim = Simulator(log_limit=1000)
    sim.webhook_endpoint("https://example.org/hooks", ["*"])
    with sim.client() as client:
        driver = chargeapi.Driver.list(limit=1, client=client).data[0].id
    refused = httpx.Request("GET", f"{API}/v1/charging_stations")  # no key: a 401, recorded
    updates = [  # alternating metadata: each one changes the driver, an event every time
        httpx.Request(
            "POST",
            f"{API}/v1/drivers/{driver}",
            headers={"Authorization": f"Bearer {sim.api_key}"},
            json={"metadata": {"run": run}},
        )
        for run in ("even", "odd")
    ]

    for n in range(1000):  # fill every window first
        assert sim.handle(updates[n % 2]).status_code == 200
    for n in range(1000, 20_000):
        sim.handle(updates[n // 50 % 2] if n % 50 == 0 else refused)
    settled = rss_mib()
    for n in range(20_000, 100_000):
        sim.handle(updates[n // 50 % 2] if n % 50 == 0 else refused)
    grown = rss_mib() - settled

    assert grown < 8, f"resident memory grew by {grown:.1f} MiB over 80,000 requests"
    assert len(sim.requests) == len(sim.events) == len(sim.deliveries) == 1000
    assert sim.requests[-1].method == "GET"
    assert sim.events[-1]["data"]["object"]["metadata"] == {"run": "odd"}  # 99,950 // 50 is odd
