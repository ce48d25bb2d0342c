"""Every check CI runs, in order, from the repository root: ``python tools/check.py``.

Lint, format, both type checkers, then the test suite last: its summary is the run's last line
(CI reads it). Each step prints its name; the first failure stops the run with its exit code.
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
    # strict, on what pyrightconfig.json includes (the package, the examples, tests/typing)
    ("pyright", [str(BIN / "pyright")]),
    # the docs as a user's editor sees them: each page's python blocks, mypy --strict and pyright
    ("doc-types", [sys.executable, "tools/doc_snippets.py"]),
    # (pyright finds the package through PYTHONPATH: the editable install is invisible to it)
    (
        "verifytypes",
        [
            "env",
            f"PYTHONPATH={ROOT}",
            str(BIN / "pyright"),
            "--verifytypes",
            "chargeapi",
            "--ignoreexternal",
        ],
    ),
    # what PyPI would get: build, twine check, the wheel in a clean venv (nox -s dist: + sdist)
    ("dist", [sys.executable, "tools/check_dist.py", "--skip-sdist-tests"]),
    # Speed: ratios against raw httpx / pydantic / the deps' import, in one run, with generous
    # bounds (docs/performance.md); never absolute times.
    ("bench", [sys.executable, "-m", "bench", "--check"]),
    ("tests", [str(BIN / "pytest")]),
]


def main() -> int:
    for name, command in STEPS:
        shown = " ".join(command).replace(f"{BIN}/", "").replace(str(ROOT), ".")
        print(f"== {name}: {shown}", flush=True)
        started = time.monotonic()
        code = subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603
        if code != 0:
            print(f"== {name}: FAILED (exit {code})", flush=True)
            return code
        if name != STEPS[-1][0]:  # nothing after the tests' own summary line
            print(f"== {name}: ok in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
