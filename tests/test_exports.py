"""chargeapi's public names: lazily loaded, complete, and visible to type checkers."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

import chargeapi
from tools.exports import INIT, lazy_names


def _type_checking_imports() -> set[str]:
    tree = ast.parse(INIT.read_text())
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
    )
    return {
        a.asname or a.name
        for n in ast.walk(block)
        if isinstance(n, ast.ImportFrom)
        for a in n.names
    }


def test_every_public_name_of_every_resource_module_is_exported_lazily() -> None:
    expected = lazy_names()
    assert expected == chargeapi._LAZY, "chargeapi/__init__.py is stale: run tools/exports.py"
    assert _type_checking_imports() == set(expected)
    assert set(expected) - {"testing"} <= set(chargeapi.__all__)


def test_every_name_in_all_resolves() -> None:
    for name in chargeapi.__all__:
        assert getattr(chargeapi, name) is not None, name


def test_import_loads_no_resource_module_nor_the_simulator() -> None:
    code = "import sys, chargeapi; print(sorted(m for m in sys.modules if m.startswith(('chargeapi.resources.', 'chargeapi.testing', 'chargeapi._cli.', 'chargeapi._webhook'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        chargeapi.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
