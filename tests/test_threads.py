"""Several threads sharing one Client (and the first decode of the process) in parallel."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import chargeapi
from chargeapi.testing import Simulator


def test_threads_share_one_client_and_each_gets_its_own_session() -> None:
    sim = Simulator(seed=4)
    params = [sim.sample_session_params() for _ in range(6)]

    with sim.client() as client, ThreadPoolExecutor(max_workers=6) as pool:
        sessions = list(
            pool.map(lambda p: chargeapi.ChargingSession.create(**p, client=client), params)
        )

    assert len({s.id for s in sessions}) == 6
    assert {(s.charging_station, s.connector) for s in sessions} == {
        (p["charging_station"], p["connector"]) for p in params
    }


def test_the_first_decodes_of_a_fresh_process_may_race() -> None:
    # Model annotations are resolved lazily, before the first decode; a fresh interpreter whose
    # first decodes happen on many threads at once must still decode every one of them.
    script = textwrap.dedent(
        """
        import sys
        import threading
        import chargeapi

        sys.setswitchinterval(1e-6)  # switch threads as often as possible: widen any race
        from tests.conftest import SEED_RESPONSE

        barrier = threading.Barrier(8)
        errors = []

        def decode():
            barrier.wait()
            try:
                chargeapi.ChargingSession.from_dict(SEED_RESPONSE)
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=decode) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(errors or "ok")
        """
    )
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert result.stdout.strip() == "ok", result.stdout + result.stderr
