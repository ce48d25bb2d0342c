"""``--format csv`` for list commands: one row per object, columns from the model.

Columns are stable per resource: the model's fields in order, nested models flattened to dotted
columns (``address.city``). A cell holds a string as is, a number as JSON writes it,
``true``/``false``, nothing for null or an absent field, and an array or an object (metadata,
an expanded object) as compact JSON. ``--fields`` picks columns, and may reach into an object
cell (``metadata.invoice_group``, ``driver.name`` with ``--expand driver``).
"""

from __future__ import annotations

import csv
import json
import types
import typing
from collections.abc import Iterable, Sequence
from typing import IO, Any

import attrs

from .._convert import json_name
from .._models import ChargeObject

(_JSON_NAME,) = json_name("").keys()  # the field metadata key of a renamed JSON field


def columns(model: type[Any], prefix: str = "") -> list[str]:
    """The model's columns: JSON field names in definition order, nested models dotted."""
    from ..resources import resolve_annotations  # noqa: PLC0415 - loads every resource

    resolve_annotations()
    found: list[str] = []
    for field in attrs.fields(model):
        if field.name.startswith("_"):  # unknown fields, the last response: not columns
            continue
        name = prefix + field.metadata.get(_JSON_NAME, field.name)
        nested = _nested_model(field.type)
        if nested is None:
            found.append(name)
        else:
            found.extend(columns(nested, name + "."))
    return found


def _nested_model(annotation: Any) -> type[ChargeObject] | None:
    """The model a field holds (``Address | None``), or None for a leaf: a scalar, a list, a
    mapping, or an expandable ID-or-object (``str | Driver``)."""
    members: tuple[Any, ...] = (annotation,)
    if typing.get_origin(annotation) is typing.Union or isinstance(annotation, types.UnionType):
        members = tuple(m for m in typing.get_args(annotation) if m is not type(None))
    if len(members) == 1 and isinstance(members[0], type) and issubclass(members[0], ChargeObject):
        return members[0]
    return None


def check_fields(fields: Sequence[str], known: Sequence[str]) -> None:
    """Refuse a field that is no column and reaches into no object column; ValueError says
    which columns there are."""
    for field in fields:
        top = field.split(".", 1)[0]
        if field in known or (top in known and top != field):
            continue
        raise ValueError(
            f"--fields: {field!r} is not a field of this list (fields: {', '.join(known)})"
        )


def cell(value: Any) -> str:
    """One CSV cell from a JSON value (see the module docstring)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def value_at(data: dict[str, Any], path: str) -> Any:
    """The JSON value at a dotted path, or None where the path leads nowhere."""
    current: Any = data
    for key in path.split("."):
        if not isinstance(current, dict):
            return None
        current = typing.cast("dict[str, Any]", current).get(key)
    return current


def write(
    items: Iterable[ChargeObject], fields: Sequence[str], out: IO[str], limit: int | None
) -> None:
    """A header row, then one row per item as it arrives (pages are fetched while writing)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    out.flush()
    for count, item in enumerate(items, 1):
        data = item.to_dict()
        writer.writerow([cell(value_at(data, field)) for field in fields])
        out.flush()
        if limit is not None and count >= limit:
            break
