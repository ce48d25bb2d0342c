"""Async: start sessions on every free connector at once, then list what is charging.

    python examples/async_fleet_report.py

Runs against the built-in simulator (``chargeapi.testing``): async calls on one Client, a list
walked with ``async for`` across pages, and ending everything that was started.
"""

from __future__ import annotations

import asyncio

import chargeapi
from chargeapi.testing import Simulator


async def main() -> None:
    sim = Simulator(seed=1)
    async with sim.client() as client:
        params = [sim.sample_session_params() for _ in range(3)]
        started = await asyncio.gather(
            *(chargeapi.ChargingSession.create_async(**p, client=client) for p in params)
        )
        print(f"Started {len(started)} sessions concurrently")

        sim.advance(seconds=900)
        active = [
            s
            async for s in chargeapi.ChargingSession.list_async(
                status="active", limit=2, client=client
            )
        ]
        for session in active:
            print(f"  {session.id}: {session.energy_consumed} Wh so far, {session.amount_due} due")

        ended = await asyncio.gather(
            *(chargeapi.ChargingSession.end_async(s.id, client=client) for s in started)
        )
        total = sum(s.energy_consumed for s in ended)
        print(f"Ended {len(ended)} sessions, {total / 1000:.2f} kWh in total")


if __name__ == "__main__":
    asyncio.run(main())
