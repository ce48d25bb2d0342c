"""Type-check the docs as a user's editor would: ``python tools/doc_snippets.py``.

Every ```python block of README.md and docs/*.md becomes one module per page (its blocks in
order, as a reader runs them one after the other), checked by ``mypy --strict`` and pyright in
strict mode. A block whose first line names a file (``# app.py``) is that file instead, beside
the page's module, as the docs' tests write it (so ``import app`` finds it). A snippet must
pass as written: no ``cast``, no ``assert x is not None`` and no ``# type: ignore`` for a field
the docs type as non-null (the checker's fix is in the snippet).
tools/check.py runs this in CI; ``--keep DIR`` leaves the modules in DIR to look at.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_FILE_NAME = re.compile(r"# (\w+\.py)\n")
# What a snippet must never need to type-check (see the module docstring).
_FORBIDDEN = re.compile(r"\bcast\(|assert [\w.\[\]\"']+ is not None|# type: ignore|# pyright:")


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def files_of(page: Path) -> dict[str, str]:
    """The files a page's blocks name (``# app.py`` on their first line), by name."""
    return {
        found.group(1): code
        for language, code in _blocks(page)
        if language == "python" and (found := _FILE_NAME.match(code)) is not None
    }


def module_of(page: Path, root: Path = ROOT) -> str | None:
    """The page's other python blocks, in order, as one module; None if it has none."""
    text = page.read_text()
    blocks: list[str] = []
    for match in _FENCE.finditer(text):
        if match.group(1) != "python" or _FILE_NAME.match(match.group(2)):
            continue
        line = text.count("\n", 0, match.start()) + 2
        blocks.append(f"# {page.relative_to(root)}:{line}\n{match.group(2)}")
    return "\n".join(blocks) if blocks else None


def _blocks(page: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(page.read_text())]


def write_modules(directory: Path) -> list[Path]:
    """Each page's module, and its named files, in a directory of its own (named files may
    import each other: ``import app``)."""
    written: list[Path] = []
    for page in pages():
        module = module_of(page)
        files = files_of(page)
        if module is None and not files:
            continue
        stem = page.stem.lower().replace("-", "_")
        home = directory / stem
        home.mkdir(parents=True, exist_ok=True)
        if module is not None:
            (home / f"doc_{stem}.py").write_text(module)
            written.append(home / f"doc_{stem}.py")
        for name, code in files.items():
            (home / name).write_text(code)
            written.append(home / name)
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
    config = directory / "pyrightconfig.json"
    config.write_text(json.dumps(_pyright_config(sorted({m.parent for m in modules}))))
    pyright = subprocess.run(  # noqa: S603
        [str(BIN / "pyright"), "--project", str(config), *files], cwd=directory, check=False
    )
    return int(bool(problems)) or mypy.returncode or pyright.returncode


def _pyright_config(homes: list[Path]) -> dict[str, object]:
    """pyright strict, as for the package (pyrightconfig.json), with each page's directory an
    execution root of its own (its named files import each other) and the SDK importable."""
    return {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "reportUnnecessaryTypeIgnoreComment": "error",
        "venvPath": str(Path(sys.prefix).parent),
        "venv": Path(sys.prefix).name,
        "executionEnvironments": [{"root": str(home), "extraPaths": [str(ROOT)]} for home in homes],
    }


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
