"""``--format csv``, ``--fields`` and ``--ids`` on list commands, against the simulator."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

import chargeapi
from chargeapi._cli import main
from chargeapi._cli._main import USAGE_EXIT
from chargeapi.testing import Simulator

SESSION_COLUMNS = [
    "id",
    "object",
    "amount_due",
    "amount_paid",
    "charging_station",
    "connector",
    "country",
    "created",
    "currency",
    "driver",
    "energy_consumed",
    "fleet",
    "payment_method",
    "session_ended",
    "session_limit",
    "session_started",
    "status",
    "updated",
    "vehicle",
]


def expected_cell(data: dict[str, Any], column: str) -> str:
    """The documented cell for a JSON value: text as is, numbers as JSON, true/false, empty for
    null or absent, arrays and objects as compact JSON."""
    value: Any = data
    for key in column.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(seed=0)
    with sim.serve() as server:
        yield sim, server.url


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--base-url", url, "--api-key", "ch_sk_test_simulator", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_thousand_sessions_as_csv_load_with_csv_and_equal_the_json_lines(
    served: tuple[Simulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sim, url = served
    with sim.client() as client:
        for i in range(1000):
            params = sim.sample_session_params()
            # Every tenth one charges until its limit (a clock step later); the others are
            # ended at once, some of them with no limit.
            limit = None if i % 3 and i % 10 else 1000 + i
            session = chargeapi.ChargingSession.create(**params, session_limit=limit, client=client)
            if i % 10:
                chargeapi.ChargingSession.end(session.id, client=client)
            else:
                sim.advance(60)
    code, jsonl, _ = run(capsys, url, "charging-sessions", "list", "--limit", "100")
    assert code == 0
    objects = [json.loads(line) for line in jsonl.splitlines()]
    code, text, _ = run(
        capsys, url, "charging-sessions", "list", "--limit", "100", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == SESSION_COLUMNS
    assert len(rows) == 1 + len(objects) == 1001
    for row, data in zip(rows[1:], objects, strict=True):
        assert row == [expected_cell(data, column) for column in SESSION_COLUMNS]
    energy = {row[SESSION_COLUMNS.index("energy_consumed")] for row in rows[1:]}
    assert len(energy) > 1  # the columns carry each session's own values
    limits = {row[SESSION_COLUMNS.index("session_limit")] for row in rows[1:]}
    assert "" in limits
    assert "1000" in limits


def test_nested_objects_flatten_to_dotted_columns_and_arrays_are_json(
    served: tuple[Simulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = served
    code, jsonl, _ = run(capsys, url, "charging-stations", "list", "--limit", "3")
    assert code == 0
    objects = [json.loads(line) for line in jsonl.splitlines()]
    code, text, _ = run(capsys, url, "charging-stations", "list", "--limit", "3", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["address.city"] == objects[0]["address"]["city"]
    assert rows[0]["capabilities.24_7_access"] in ("true", "false")
    assert json.loads(rows[0]["connectors"]) == objects[0]["connectors"]
    assert "address" not in rows[0]  # flattened, not a JSON cell
    for row, data in zip(rows, objects, strict=True):
        assert row == {column: expected_cell(data, column) for column in row}


def test_fields_pick_columns_in_order_and_reach_into_objects(
    served: tuple[Simulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    sim, url = served
    with sim.client() as client:
        chargeapi.Fleet.create(
            name="Depot North", metadata={"invoice_group": "north-monthly"}, client=client
        )
    code, text, _ = run(
        capsys, url, "fleets", "list", "--format", "csv", "--fields", "metadata.invoice_group,name",
        "--limit-items", "1",
    )  # fmt: skip
    assert code == 0
    assert text == "metadata.invoice_group,name\nnorth-monthly,Depot North\n"


def test_csv_streams_across_pages(
    served: tuple[Simulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = served
    code, text, _ = run(
        capsys, url, "drivers", "list", "--limit", "1", "--limit-items", "3", "--format", "csv",
        "--fields", "id",
    )  # fmt: skip
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "id"
    assert len(lines) == 4
    assert len(set(lines[1:])) == 3


def test_ids_print_one_id_per_line(
    served: tuple[Simulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, url = served
    code, ids, _ = run(capsys, url, "drivers", "list", "--ids")
    _, jsonl, _ = run(capsys, url, "drivers", "list")
    assert code == 0
    assert ids.splitlines() == [json.loads(line)["id"] for line in jsonl.splitlines()]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--format", "csv", "--fields", "id,stauts"), "'stauts' is not a field"),
        (("--format", "csv", "--fields", "id,,status"), "--fields"),
        (("--fields", "id"), "--fields needs --format csv"),
        (("--ids", "--format", "csv"), "not allowed with"),
    ],
)
def test_bad_output_options_are_usage_errors_before_any_request(
    served: tuple[Simulator, str],
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    sim, url = served
    before = len(sim.requests)
    code, _, err = run(capsys, url, "charging-sessions", "list", *argv)
    assert code == USAGE_EXIT
    assert message in json.loads(err)["error"]["message"]
    assert len(sim.requests) == before
