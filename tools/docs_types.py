"""How the docs show a type, the same way in signatures and in the objects' field tables.

- The parameter types (``DriverID``, ``Timestamp``, ``Limit``, ``Range`` ...) are explained once,
  in the API reference's "Parameter types" section; every mention links there (``types.<name>``).
- An alias the package does not export (``SessionStatus``, ``Month``, a module's ``_Status``) is
  written out (``Literal["active", ...]``): a reader can neither import it nor look it up.
- Every other name is left alone: exported classes link to their own entries.

Read by the mkdocs hooks (the field tables) and by the griffe extension (the signatures).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
import types
import typing
from functools import cache
from types import ModuleType

#: The anchor prefix of the parameter types' explanations (``types.DriverID``).
TYPES_ANCHOR = "types."
_NOT_TYPES = {"NOT_GIVEN", "compile_check", "ID"}  # in _params.__all__, but not types in signatures


@cache
def parameter_types() -> dict[str, object]:
    """Name -> value of every parameter type the reference page explains: the typed IDs,
    ``Expand`` and ``Limit`` (resources/_ids.py), and the annotations of _params.py."""
    ids = importlib.import_module("chargeapi.resources._ids")
    params = importlib.import_module("chargeapi._params")
    found = {name: getattr(ids, name) for name in _definitions(ids)}
    found.update((n, getattr(params, n)) for n in params.__all__ if n not in _NOT_TYPES)
    return found


def linked_type(module: ModuleType, name: str) -> str | None:
    """The anchor explaining ``name`` as used in ``module``, if it is a parameter type."""
    known = parameter_types()
    if name in known and getattr(module, name, None) is known[name]:
        return TYPES_ANCHOR + name
    return None


def written_out(module: ModuleType, name: str) -> str | None:
    """The definition of an unexported alias used in ``module`` (``Literal[...]``), else None.

    The alias may be defined in another module of the package (``from ._transport import
    SyncSleep``): the definition is the assignment whose value is the same object.
    """
    import chargeapi

    if name in chargeapi.__all__ or linked_type(module, name) is not None:
        return None
    value = getattr(module, name, None)
    if not _is_alias(value):
        return None
    candidates = [module] + [
        m for path, m in sorted(sys.modules.items()) if path.startswith("chargeapi.") and m
    ]
    for candidate in candidates:
        if name in _definitions(candidate) and getattr(candidate, name, None) is value:
            return _definitions(candidate)[name]
    return None


def public_name(module: ModuleType, name: str) -> bool:
    """Whether ``name`` in ``module`` is the object exported as ``chargeapi.<name>``."""
    import chargeapi

    return name in chargeapi.__all__ and getattr(module, name, None) is getattr(chargeapi, name)


def _is_alias(value: object) -> bool:
    """A typing construct (``Literal[...]``, ``X | Y``, ``Callable[...]``), not a class."""
    return isinstance(value, types.UnionType) or typing.get_origin(value) is not None


@cache
def _definitions(module: ModuleType) -> dict[str, str]:
    """The source text of each top-level ``Name = <annotation>`` of a module."""
    source = inspect.getsource(module)
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                found[target.id] = ast.get_source_segment(source, node.value) or ""
    return found
