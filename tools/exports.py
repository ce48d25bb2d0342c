"""Rewrite the lazy exports of chargeapi/__init__.py from each resource module's ``__all__``.

``python tools/exports.py`` after adding a resource module (or a public name to one); a test fails
when chargeapi/__init__.py is stale. Between the markers it writes the TYPE_CHECKING imports (for
type checkers) and ``_LAZY`` (for ``__getattr__``); ``__all__`` gets every name, sorted.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "chargeapi" / "__init__.py"
BEGIN, END = "# -- lazy exports (tools/exports.py) --", "# -- end of lazy exports --"

#: Lazy names outside the resource modules: name -> module.
EXTRA = {
    "testing": "chargeapi.testing",
    "retrieve": "chargeapi._lookup",
    "retrieve_async": "chargeapi._lookup",
    "Webhook": "chargeapi._webhook",
    "idempotency_key_for": "chargeapi._idempotency",
}


def lazy_names() -> dict[str, str]:
    """Every lazily loaded public name -> the module that defines it."""
    from chargeapi.resources import MODULES

    found = dict(EXTRA)
    for module in ("_shared", *MODULES):
        path = f"chargeapi.resources.{module}"
        for name in importlib.import_module(path).__all__:
            found[name] = path
    return found


def render(text: str) -> str:
    names = lazy_names()
    by_module: dict[str, list[str]] = {}
    for name, module in names.items():
        by_module.setdefault(module, []).append(name)
    imports = []
    for module, members in by_module.items():
        relative = "." + module.removeprefix("chargeapi.")
        if members == ["testing"]:
            imports.append("    from . import testing as testing")
            continue
        listed = "".join(f"        {m},\n" for m in sorted(members))
        imports.append(f"    from {relative} import (\n{listed}    )")
    entries = "".join(
        f"    {module!r}: (\n{''.join(f'        {m!r},{chr(10)}' for m in sorted(members))}    ),\n"
        for module, members in by_module.items()
    )
    block = (
        f"{BEGIN}\nif TYPE_CHECKING:\n"
        + "\n".join(imports)
        + "\n\n# Loaded on first use, so ``import chargeapi`` pays for no resource module.\n"
        + f"_LAZY_MODULES: dict[str, tuple[str, ...]] = {{\n{entries}}}\n{END}"
    ).replace("'", '"')
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    eager = _eager_names(text)
    everything = sorted({*eager, *(n for n in names if n != "testing")})
    listed = "".join(f'    "{n}",\n' for n in everything)
    return re.sub(r"__all__ = \[\n.*?\n\]", lambda _: f"__all__ = [\n{listed}]", text, flags=re.S)


def _eager_names(text: str) -> set[str]:
    """Names imported at module level (outside TYPE_CHECKING) and meant to be public."""
    names: set[str] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 1:
            names.update(a.asname or a.name for a in node.names)
    return names


if __name__ == "__main__":
    import subprocess

    sys.path.insert(0, str(ROOT))
    INIT.write_text(render(INIT.read_text()))
    for step in (["check", "--fix", "-q"], ["format", "-q"]):  # sorted, as ruff wants it
        subprocess.run([sys.executable, "-m", "ruff", *step, str(INIT)], check=True)  # noqa: S603
    print(f"wrote {INIT}")
