"""Type-check the docs as a user's editor would: ``python tools/doc_snippets.py``.

Every ```python block of README.md and docs/*.md becomes one module per page (its blocks in
order, as a reader runs them one after the other), checked by ``mypy --strict`` and pyright in
strict mode. A snippet must pass as written: no ``cast``, no ``assert x is not None`` and no
``# type: ignore`` for a field the docs type as non-null (the checker's fix is in the snippet).
tools/check.py runs this in CI; ``--keep DIR`` leaves the modules in DIR to look at.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
# What a snippet must never need to type-check (see the module docstring).
_FORBIDDEN = re.compile(r"\bcast\(|assert [\w.\[\]\"']+ is not None|# type: ignore|# pyright:")


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def module_of(page: Path, root: Path = ROOT) -> str | None:
    """The page's python blocks, in order, as one module; None if it has none."""
    text = page.read_text()
    blocks: list[str] = []
    for match in _FENCE.finditer(text):
        if match.group(1) != "python":
            continue
        line = text.count("\n", 0, match.start()) + 2
        blocks.append(f"# {page.relative_to(root)}:{line}\n{match.group(2)}")
    return "\n".join(blocks) if blocks else None


def write_modules(directory: Path) -> list[Path]:
    written: list[Path] = []
    for page in pages():
        module = module_of(page)
        if module is None:
            continue
        target = directory / f"doc_{page.stem.lower().replace('-', '_')}.py"
        target.write_text(module)
        written.append(target)
    return written


def forbidden(modules: list[Path]) -> list[str]:
    found: list[str] = []
    for module in modules:
        for number, line in enumerate(module.read_text().splitlines(), start=1):
            if _FORBIDDEN.search(line):
                found.append(f"{module.name}:{number}: {line.strip()}")
    return found


def check(directory: Path) -> int:
    modules = write_modules(directory)
    problems = forbidden(modules)
    for problem in problems:
        print(f"a snippet works around the types: {problem}")
    files = [str(m) for m in modules]
    mypy = subprocess.run(  # noqa: S603 - our own venv's checkers on files we wrote
        [str(BIN / "mypy"), "--strict", "--no-incremental", *files], cwd=ROOT, check=False
    )
    pyright = subprocess.run(  # noqa: S603 - strict: pyrightconfig.json's mode
        [str(BIN / "pyright"), *files], cwd=ROOT, check=False
    )
    return int(bool(problems)) or mypy.returncode or pyright.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the modules here and keep them")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return check(args.keep)
    with tempfile.TemporaryDirectory(prefix="chargeapi-doc-snippets-") as directory:
        return check(Path(directory))


if __name__ == "__main__":
    sys.exit(main())
