"""What the fast decoder refused, walked field by field: explained (strict) or kept (lenient).

Loaded only when a decode fails. ``walk`` decodes a model again one field at a time with the
fast converter's own hooks; a field that still does not fit is a *problem*, reported with its
JSON path (``Invoice.period_start: missing``, ``VehicleTelemetry.battery.level: expected int,
got float``). Nested objects and array items are walked the same way, so a problem is pinned
to the innermost field that has it.

The lenient result keeps what the server sent: a missing required field holds None (and stays
left out of ``to_dict()``); a null, or a value of another JSON type, is kept as it came (also
under the model's unknown fields, so ``to_dict()`` gives it back exactly). Like Stainless SDKs,
a response that drifts from the documented shape still reaches the caller;
``Client(strict_responses=True)`` turns the same problems into an InvalidResponseError.
"""

from __future__ import annotations

import copy
import logging
import threading
import types
import typing
from typing import Any, NamedTuple

import attrs

from ._convert import (
    ABSENT_FIELDS,
    UNKNOWN_FIELDS,
    _expandable,
    _homogeneous_tuple,
    _union_args,
    fast_hook,
    json_fields,
)
from ._registry import class_for

__all__ = ["Problem", "explain", "snapshot", "walk", "warn_once"]

logger = logging.getLogger("chargeapi")

_MAX_SHOWN = 5  # problems named in one error message


class Problem(NamedTuple):
    """One field that does not fit: the model and attribute that declare it, where it is in the
    JSON, and what is wrong with it."""

    owner: type[Any]
    field: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _Walk:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.owned = 0  # problems of the field being decoded, outside any nested model

    def model(self, cls: type[Any], data: dict[str, Any], path: str) -> Any:
        kw: dict[str, Any] = {}
        absent: list[str] = []
        kept: dict[str, Any] = {}
        fields, known = json_fields(cls)
        for field in fields:
            where = f"{path}.{field.key}"
            if field.key not in data:
                if field.required:
                    self.report(cls, field.name, where, "missing")
                    kw[field.alias] = None
                absent.append(field.key)
                continue
            value = data[field.key]
            outer, self.owned = self.owned, 0
            kw[field.alias] = self.value(field.type, value, where, (cls, field.name))
            if self.owned:  # not the declared type here: to_dict() gives it back as sent
                kept[field.key] = copy.deepcopy(value)
            self.owned = outer
        unknown = {k: copy.deepcopy(v) for k, v in data.items() if k not in known}
        unknown.update(kept)
        if unknown:
            kw[UNKNOWN_FIELDS] = types.MappingProxyType(unknown)
        if absent:
            kw[ABSENT_FIELDS] = frozenset(absent)
        return cls(**kw)

    def value(self, tp: Any, value: Any, path: str, owner: tuple[type[Any], str]) -> Any:
        try:
            return fast_hook(tp)(value, tp)
        except Exception as error:  # any refusal is a problem to report
            message = str(error) or type(error).__name__
        if value is None:  # a type that takes None would have taken it
            self.report(*owner, path, "null")
            return None
        args = _union_args(tp)
        if type(None) in args:  # X | None, and the X did not fit: say why, within it
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                return self.value(rest[0], value, path, owner)
        is_object, is_array = isinstance(value, dict), isinstance(value, list)
        if attrs.has(tp) and is_object:
            return self.model(tp, typing.cast("dict[str, Any]", value), path)
        model = _expandable(tp)
        if model is not None and is_object:
            found = class_for(typing.cast("dict[str, Any]", value))
            if found is None or found is model:
                return self.model(model, typing.cast("dict[str, Any]", value), path)
        item = _homogeneous_tuple(tp)
        if item is not None and is_array:
            items = typing.cast("list[Any]", value)
            return tuple(self.value(item, x, f"{path}[{i}]", owner) for i, x in enumerate(items))
        self.report(*owner, path, message)
        return value

    def report(self, owner: type[Any], field: str, path: str, message: str) -> None:
        self.problems.append(Problem(owner, field, path, message))
        self.owned += 1


def walk(cls: type[Any], data: dict[str, Any]) -> tuple[Any, list[Problem]]:
    """``data`` decoded into ``cls`` as far as it fits, and every problem on the way."""
    walker = _Walk()
    return walker.model(cls, data, cls.__name__), walker.problems


def snapshot(cls: type[Any], data: dict[str, Any]) -> Any:
    """An event's ``data.object`` that its model refused, decoded leniently (and warned about
    once per field); a plain dict if even that fails."""
    try:
        result, problems = walk(cls, data)
    except Exception:  # kept as sent
        return dict(data)
    warn_once(problems)
    return result


def explain(problems: list[Problem]) -> str:
    """The problems for an error message: the first few, and how many more there are."""
    shown = "; ".join(str(p) for p in problems[:_MAX_SHOWN])
    more = len(problems) - _MAX_SHOWN
    return f"{shown} (and {more} more)" if more > 0 else shown


_warned: set[tuple[type[Any], str]] = set()
_warned_lock = threading.Lock()


def warn_once(problems: list[Problem]) -> None:
    """Log each model field's first problem in this process, once: a drifting server is worth
    knowing about, not worth a line per object of every page."""
    for problem in problems:
        key = (problem.owner, problem.field)
        if key in _warned:
            continue
        with _warned_lock:
            if key in _warned:
                continue
            _warned.add(key)
        logger.warning(
            "%s: %s. Not the documented shape: decoded anyway, keeping what was sent (logged "
            "once per field; chargeapi.Client(strict_responses=True) raises on such responses).",
            problem.path,
            problem.message,
        )
