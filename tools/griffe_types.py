"""Griffe extension (mkdocs.yml, mkdocstrings ``extensions``): signatures name types a reader can
follow.

Inspected signatures name ``DriverID`` or ``Timestamp`` without anything to resolve them to, and
an unexported alias (``SessionStatus``) is a name the reader cannot look up. This rewrites every
function's annotations with the rules of docs_types.py: parameter types link to their
explanation on the reference page, unexported aliases are written out, and exported names link
by their public path (``chargeapi.Invoice``).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import griffe

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # griffe loads this file by path
from tools.docs_types import linked_type, public_name, written_out


class ParameterTypes(griffe.Extension):
    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if pkg.path == "chargeapi":
            for function in _functions(pkg):
                module = importlib.import_module(function.module.path)
                for parameter in function.parameters:
                    parameter.annotation = _rewrite(parameter.annotation, module)
                function.returns = _rewrite(function.returns, module)
            for cls in _classes(pkg):
                cls.bases = [b for base in cls.bases if (b := _public_base(base)) is not None]


def _classes(obj: griffe.Module | griffe.Class) -> list[griffe.Class]:
    found: list[griffe.Class] = []
    for member in obj.members.values():
        if member.is_alias or not isinstance(member, griffe.Module | griffe.Class):
            continue
        if isinstance(member, griffe.Class):
            found.append(member)
        found.extend(_classes(member))
    return found


def _public_base(base: Any) -> Any:
    """A base class by the name a reader imports (``chargeapi.Middleware``), or None for a
    private helper base (a page's ``_PageData``): "Bases:" never names an internal module."""
    path = str(base)
    if not path.startswith("chargeapi.") or "._" not in path:
        return base
    chargeapi = importlib.import_module("chargeapi")
    name = path.rsplit(".", 1)[1]
    if not name.startswith("_") and name in getattr(chargeapi, "__all__", ()):
        return f"chargeapi.{name}"
    return None


def _functions(obj: griffe.Module | griffe.Class) -> list[griffe.Function]:
    found: list[griffe.Function] = []
    for member in obj.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Function):
            found.append(member)
        elif isinstance(member, griffe.Module | griffe.Class):
            found.extend(_functions(member))
    return found


def _rewrite(expr: Any, module: ModuleType) -> Any:
    if isinstance(expr, griffe.ExprName):
        if isinstance(expr.parent, griffe.ExprName):  # ``httpx.Client``: a module's member
            return expr
        anchor = linked_type(module, expr.name)
        if anchor is not None:
            return griffe.ExprName(expr.name, parent=anchor.removesuffix(f".{expr.name}"))
        if public_name(module, expr.name):  # linked by the name a reader imports
            return griffe.ExprName(expr.name, parent="chargeapi")
        definition = written_out(module, expr.name)
        if definition is not None and isinstance(expr.parent, griffe.Module | griffe.Class):
            node = ast.parse(definition, mode="eval").body
            return _rewrite(griffe.safe_get_annotation(node, expr.parent), module)
        return expr
    if isinstance(expr, griffe.Expr):
        for field in dataclasses.fields(expr):
            value = getattr(expr, field.name)
            if isinstance(value, list):
                setattr(expr, field.name, [_rewrite(item, module) for item in value])
            else:
                setattr(expr, field.name, _rewrite(value, module))
    return expr
