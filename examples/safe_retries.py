"""Retries never double-start a session: watch it against scripted network faults.

    python examples/safe_retries.py

The simulator drops the connection *after* creating the session (the answer is lost), then
answers 503 once. The SDK retries with the same Idempotency-Key, so exactly one session exists.
"""

from __future__ import annotations

import logging

import chargeapi
from chargeapi.testing import Simulator


def main() -> None:
    logging.basicConfig(format="%(name)s: %(message)s")
    logging.getLogger("chargeapi").setLevel(logging.DEBUG)  # one line per attempt

    sim = Simulator(seed=2)
    sim.drop_next(after_processing=True)
    sim.fail_next(503, retry_after=0)

    with sim.client(max_retries=3) as client:
        session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
        keys = {r.headers["idempotency-key"] for r in sim.requests if r.method == "POST"}
        count = sum(1 for _ in chargeapi.ChargingSession.list(client=client))
    print(f"Created {session.id} after {len(sim.requests) - 1} requests, one key: {len(keys) == 1}")
    print(f"Sessions on the account: {count}")


if __name__ == "__main__":
    main()
