"""The README's Quickstart is what CI runs, and its first command is the main example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quickstart_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the Quickstart section needs a ```sh block"
    return block.group(1).strip().splitlines()


def test_quickstart_block_holds_exactly_two_commands() -> None:
    assert len(_quickstart_lines()) == 2


def test_first_command_runs_the_quickstart_example() -> None:
    assert _quickstart_lines()[0].endswith("python examples/quickstart.py")


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == _quickstart_lines()[1]
