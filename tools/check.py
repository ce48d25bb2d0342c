"""Every check CI runs, in order, from the repository root: ``python tools/check.py``.

Lint, format, both type checkers, then the test suite last (its summary is the run's last line).
Each step prints its name and time; the first failure stops the run with its exit code.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

STEPS: list[tuple[str, list[str]]] = [
    ("lint", [str(BIN / "ruff"), "check", "."]),
    ("format", [str(BIN / "ruff"), "format", "--check", "."]),
    ("mypy", [str(BIN / "mypy"), "--strict", "chargeapi", "examples", "tests/typing"]),
    ("pyright", [str(BIN / "pyright"), "tests/typing"]),
    ("tests", [str(BIN / "pytest")]),
]


def main() -> int:
    started = time.monotonic()
    for name, command in STEPS:
        shown = " ".join([Path(command[0]).name, *command[1:]])
        print(f"== {name}: {shown}", flush=True)
        step = time.monotonic()
        code = subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603
        outcome = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"== {name}: {outcome} in {time.monotonic() - step:.0f} s", flush=True)
        if code != 0:
            return code
    print(f"== all checks passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
