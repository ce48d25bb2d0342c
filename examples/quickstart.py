"""Start a charging session, let it charge, end it, and print the energy and the bill.

    python examples/quickstart.py

Without ``CHARGEAPI_API_KEY`` it runs against the built-in simulator (and says so on stderr),
advancing the simulator's test clock by half an hour. With a key it talks to the real API: set
CHARGEAPI_STATION, CHARGEAPI_CONNECTOR, CHARGEAPI_DRIVER, CHARGEAPI_VEHICLE and
CHARGEAPI_PAYMENT_METHOD to the IDs to use, and CHARGE_SECONDS to how long to charge (default 60).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import chargeapi

REAL_PARAMS = {
    "charging_station": "CHARGEAPI_STATION",
    "connector": "CHARGEAPI_CONNECTOR",
    "driver": "CHARGEAPI_DRIVER",
    "vehicle": "CHARGEAPI_VEHICLE",
    "payment_method": "CHARGEAPI_PAYMENT_METHOD",
}


def setup() -> tuple[chargeapi.Client, chargeapi.ChargingSessionCreateParams, Callable[[], None]]:
    """The client, the create() params, and how to 'let it charge'."""
    if not os.environ.get("CHARGEAPI_API_KEY"):
        from chargeapi.testing import Simulator

        print("CHARGEAPI_API_KEY is not set: using the built-in simulator.", file=sys.stderr)
        sim = Simulator(seed=0)
        return sim.client(), sim.sample_session_params(), lambda: sim.advance(seconds=1800)

    missing = [env for env in REAL_PARAMS.values() if not os.environ.get(env)]
    if missing:
        sys.exit(f"Set {', '.join(missing)} to the IDs to charge with (see the docstring).")
    params = chargeapi.ChargingSessionCreateParams(
        charging_station=os.environ["CHARGEAPI_STATION"],
        connector=os.environ["CHARGEAPI_CONNECTOR"],
        driver=os.environ["CHARGEAPI_DRIVER"],
        vehicle=os.environ["CHARGEAPI_VEHICLE"],
        payment_method=os.environ["CHARGEAPI_PAYMENT_METHOD"],
    )
    seconds = float(os.environ.get("CHARGE_SECONDS", "60"))
    return chargeapi.Client(), params, lambda: time.sleep(seconds)


def main() -> None:
    client, params, let_it_charge = setup()
    with client:
        session = chargeapi.ChargingSession.create(**params, client=client)
        print(f"Started {session.id} on {session.connector} at {session.charging_station}")

        let_it_charge()

        session = chargeapi.ChargingSession.end(session.id, client=client)
        kwh = session.energy_consumed / 1000  # the API counts integer Wh
        bill = session.amount_due / 100  # and integer minor currency units
        print(f"Ended {session.id}: status {session.status}")
        print(f"Energy delivered: {kwh:.3f} kWh")
        print(f"Amount due: {bill:.2f} {session.currency.upper()}")


if __name__ == "__main__":
    main()
