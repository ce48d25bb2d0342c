"""The simulator answers every operation within the documented API: a schema fuzz (schemathesis).

Each of the 61 operations gets a small, deterministic budget here (Hypothesis derandomized, no
example database, each request answered by a fresh copy of one prepared simulator):
no 5xx and no crash, only documented statuses, every body in the documented schema of its
status (objects closed, so no undocumented field either), 2xx bodies decoding strictly into
the SDK's models, and at least one 2xx per operation. ``nox -s fuzz`` runs the same fuzz
with a long budget (tools/conformance.py); ``CHARGEAPI_FUZZ_EXAMPLES`` sets it here too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from chargeapi._operations import Operation, table
from tools import conformance

EXAMPLES = int(os.environ.get("CHARGEAPI_FUZZ_EXAMPLES", "24"))
OPERATIONS = table()


@dataclass
class Fuzz:
    world: conformance.World
    schema: Any
    checks: list[Any]

    def run(self, row: Operation, examples: int = EXAMPLES) -> conformance.Tally:
        return conformance.fuzz_operation(self.schema, self.world, row, examples, self.checks)


@pytest.fixture(scope="module")
def fuzz() -> Fuzz:
    import schemathesis

    world = conformance.build_world()
    return Fuzz(
        world,
        schemathesis.openapi.from_dict(conformance.fuzz_document(world)),
        conformance.checks(),
    )


def operation(name: str) -> Operation:
    return next(op for op in OPERATIONS if f"{op.resource.__name__}.{op.action}" == name)


def test_the_fuzz_covers_all_61_operations() -> None:
    assert len(OPERATIONS) == 61


@pytest.mark.parametrize("row", OPERATIONS, ids=lambda op: f"{op.resource.__name__}.{op.action}")
def test_every_answer_is_in_the_documented_shape(fuzz: Fuzz, row: Operation) -> None:
    tally = fuzz.run(row)

    assert tally.failures == {}, conformance.report([tally])
    assert tally.successes > 0, f"no 2xx in {tally.examples} requests: {dict(tally.statuses)}"
    assert tally.statuses[401] == 1  # the one request without a valid key


def test_the_fuzz_catches_a_null_field_and_an_undocumented_one(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chargeapi.testing import _render

    served = _render.render_session

    def off_the_docs(session: Any) -> dict[str, Any]:
        return {**served(session), "currency": None, "_energy": 1}

    monkeypatch.setattr(_render, "render_session", off_the_docs)

    failures = " ".join(fuzz.run(operation("ChargingSession.retrieve"), 8).failures)

    assert 'null is not of type "string"' in failures
    assert "'_energy' was unexpected" in failures
    assert "SDK strict decode: ChargingSession.currency" in failures


def test_the_fuzz_catches_a_crash_and_an_undocumented_status(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chargeapi.testing import _endpoints, _errors, _routes

    def crash(call: Any) -> Any:
        raise KeyError("status")

    def teapot(call: Any) -> Any:
        raise _errors.ApiError(418, "invalid_request_error", None, "I'm a teapot.")

    monkeypatch.setitem(_endpoints.HANDLERS, ("Reservation", "cancel"), crash)
    monkeypatch.setitem(_endpoints.HANDLERS, ("Reservation", "confirm"), teapot)
    monkeypatch.setattr(_routes, "_router", None)  # routed again with these two

    cancel = fuzz.run(operation("Reservation.cancel"), 4)
    confirm = fuzz.run(operation("Reservation.confirm"), 4)

    assert any(kind.startswith("crash: KeyError") for kind in cancel.failures)
    assert cancel.statuses[500] > 0
    assert any(kind.startswith("Undocumented status code") for kind in confirm.failures)


def test_the_fuzz_is_deterministic(fuzz: Fuzz) -> None:
    row = operation("Invoice.pay")

    first, second = fuzz.run(row, 12), fuzz.run(row, 12)

    assert (first.examples, first.statuses) == (second.examples, second.statuses)
