"""The objects page (``<!-- chargeapi:objects -->`` in docs/objects.md), written from the code.

For every resource module, in the docs' order: the object, its nested parts, its enumerations
and its parameter dicts, each field with its type (as written in the code) and its meaning (the
attribute docstring under the field, when there is one). A new model, field or enum value shows
up with no edit to the docs; tests/test_docs.py fails when one is missing from the built site.

Each entry's heading carries its public name as anchor (``chargeapi.Invoice``), and its
defining path as a second one, which is what signatures cross-reference.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import json
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

import attrs

from tools.docs_types import linked_type, written_out

SHARED = "_shared"  # nested parts that several resources use


@dataclass
class Entry:
    """One documented thing: a model, an enumeration, a ``Literal`` alias or a parameter dict."""

    name: str
    value: object
    kind: str  # "model", "enum", "literal" or "params"
    module: ModuleType
    used_in: list[str] = field(default_factory=list)  # Markdown links to where it appears

    @property
    def anchor(self) -> str:
        return f"{self.module.__name__}.{self.name}"

    @property
    def anchors(self) -> list[str]:
        """The heading's anchor first (the public name, if any), then the defining path."""
        import chargeapi

        if self.name in chargeapi.__all__:
            return [f"chargeapi.{self.name}", self.anchor]
        return [self.anchor]

    @property
    def link(self) -> str:
        return self.anchors[0]


def modules() -> list[str]:
    """The resource modules in the docs' order, then the shared parts."""
    from chargeapi.resources import MODULES, resolve_annotations

    resolve_annotations()
    return [*MODULES, SHARED]


def _kind(value: object) -> str | None:
    if isinstance(value, type) and attrs.has(value):
        return "model"
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return "enum"
    if typing.is_typeddict(value):
        return "params"
    if typing.get_origin(value) is typing.Literal:
        return "literal"
    return None


@cache
def entries() -> dict[str, list[Entry]]:
    """Module name -> its entries: the registered object first, then models, enums, params.

    A module's entries are its classes (a private ``TypedDict`` base is folded into the public
    class that extends it) and its exported ``Literal`` aliases.
    """
    from chargeapi._registry import _CLASSES

    found: dict[str, list[Entry]] = {}
    for name in modules():
        module = importlib.import_module(f"chargeapi.resources.{name}")
        items = []
        for attr, value in vars(module).items():
            kind = _kind(value)
            if kind == "literal":  # an alias has no __module__: it is exported from here
                if attr not in getattr(module, "__all__", ()):
                    continue  # unexported: written out where it is used
            elif kind is None or value.__module__ != module.__name__:  # type: ignore[attr-defined]
                continue
            if kind == "params" and attr.startswith("_") and _is_base(value, module):
                continue
            items.append(Entry(attr, value, kind, module))
        order = {"model": 1, "enum": 2, "literal": 2, "params": 3}
        main = set(_CLASSES.values())
        items.sort(key=lambda e: 0 if e.value in main else order[e.kind])
        found[name] = items
    _fill_used_in(found)
    return found


def _is_base(value: object, module: ModuleType) -> bool:
    return any(other is not value and value in _bases(other) for other in vars(module).values())


def _bases(cls: object) -> list[type]:
    """The classes a class inherits fields from, farthest first. A TypedDict keeps no trace of
    its bases before Python 3.12: they are read from its ``class`` statement."""
    if not isinstance(cls, type):
        return []
    if typing.is_typeddict(cls):
        module = importlib.import_module(cls.__module__)
        found: list[type] = []
        for base in _class_node(cls).bases:
            value = getattr(module, ast.unparse(base), None)
            if isinstance(value, type) and typing.is_typeddict(value):
                found += [*_bases(value), value]
        return found
    return [b for b in reversed(cls.__mro__[1:]) if b.__module__.startswith("chargeapi.resources.")]


# -- fields, from the source: the annotation as written and the docstring under it ---------------


@dataclass(frozen=True)
class Field:
    """A model's field or a parameter dict's key."""

    name: str
    annotation: str  # as written in the code
    doc: str
    note: str = ""  # what the name alone does not say (JSON name, required key)


def _class_node(cls: type) -> ast.ClassDef:
    return next(
        n
        for n in ast.parse(_source(cls.__module__)).body
        if isinstance(n, ast.ClassDef) and n.name == cls.__name__
    )


@cache
def _source(module: str) -> str:
    return inspect.getsource(importlib.import_module(module))


def _class_source(cls: type) -> tuple[dict[str, str], dict[str, str]]:
    """Annotation text and docstring of each field a class body declares."""
    source = _source(cls.__module__)
    node = _class_node(cls)
    annotations: dict[str, str] = {}
    docs: dict[str, str] = {}
    body = node.body
    for i, statement in enumerate(body):
        name = None
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            annotations[name] = ast.get_source_segment(source, statement.annotation) or ""
        elif isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
            name = statement.targets[0].id  # an enum member
        following = body[i + 1] if i + 1 < len(body) else None
        if (
            name is not None
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[name] = inspect.cleandoc(following.value.value)
    return annotations, docs


def _declared(cls: type) -> tuple[dict[str, str], dict[str, str]]:
    """Like _class_source, over the class and the bases it inherits fields from."""
    annotations: dict[str, str] = {}
    docs: dict[str, str] = {}
    for base in [*_bases(cls), cls]:
        a, d = _class_source(base)
        annotations.update(a)
        docs.update(d)
    return annotations, docs


def fields(entry: Entry) -> list[Field]:
    """The fields of a model, or the keys of a parameter dict (inherited ones included)."""
    from chargeapi._convert import _JSON_NAME

    cls = typing.cast(type, entry.value)
    annotations, docs = _declared(cls)
    if entry.kind == "params":
        required: frozenset[str] = cls.__required_keys__  # type: ignore[attr-defined]
        return [
            Field(key, annotations[key], docs.get(key, ""), "required" if key in required else "")
            for key in cls.__annotations__
        ]
    result = []
    for attribute in attrs.fields(cls):
        if not attribute.name.startswith("_"):
            json_name = attribute.metadata.get(_JSON_NAME)
            note = f"JSON `{json_name}`" if json_name else ""
            doc = docs.get(attribute.name, "")
            result.append(Field(attribute.name, annotations[attribute.name], doc, note))
    return result


def members(entry: Entry) -> list[tuple[str, str, str]]:
    """An enumeration's (JSON value, member name, docstring), or a ``Literal``'s values."""
    if entry.kind == "literal":
        return [(json.dumps(v), "", "") for v in typing.get_args(entry.value)]
    cls = typing.cast(type[enum.Enum], entry.value)
    docs = _declared(cls)[1]
    return [(json.dumps(m.value), m.name, docs.get(m.name, "")) for m in cls]


# -- where each entry is used -----------------------------------------------------------------


def _names(annotation: str) -> set[str]:
    return set(re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r"\"[^\"]*\"|'[^']*'", "", annotation)))


def _fill_used_in(found: dict[str, list[Entry]]) -> None:
    """Link each entry to the fields and the operation parameters whose types name it."""
    from chargeapi._operations import table

    by_name = {e.name: e for items in found.values() for e in items}

    def add(names: set[str], link: str) -> None:
        for name in names & by_name.keys():
            if link not in by_name[name].used_in:
                by_name[name].used_in.append(link)

    for owner in (e for items in found.values() for e in items):
        if owner.kind in ("model", "params"):
            for f in fields(owner):
                add(
                    _names(_expanded(f.annotation, owner.module)),
                    f"[`{owner.name}.{f.name}`][{owner.link}]",
                )
    for op in table():
        module = importlib.import_module(op.resource.__module__)
        path = f"{op.resource.__name__}.{op.action}"
        for parameter in inspect.signature(op.sync).parameters.values():
            names = _names(_expanded(str(parameter.annotation), module))
            add(names, f"[`{path}({parameter.name}=)`][chargeapi.{path}]")


def _expanded(annotation: str, module: ModuleType) -> str:
    """The annotation with unexported aliases written out (so ``Month`` shows as its bound)."""

    def replace(match: re.Match[str]) -> str:
        definition = written_out(module, match.group(0))
        return _expanded(definition, module) if definition is not None else match.group(0)

    return re.sub(r"\b[A-Za-z_]\w*\b", replace, annotation)


# -- rendering ---------------------------------------------------------------------------------

# Inside a Markdown table cell, in raw HTML: characters Markdown or the table would act on.
_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>|[]_*`\\"})


def type_html(annotation: str, module: ModuleType) -> str:
    """An annotation as inline code whose names link to their entries or explanations."""
    by_name = {e.name: e for items in entries().values() for e in items}
    parts: list[str] = []
    for match in re.finditer(r"\"[^\"]*\"|'[^']*'|[A-Za-z_]\w*|.", annotation, re.S):
        token = match.group(0)
        anchor = linked_type(module, token) or (by_name[token].link if token in by_name else None)
        definition = written_out(module, token) if anchor is None else None
        if anchor is not None:
            parts.append(f'<autoref identifier="{anchor}">{token.translate(_ESCAPES)}</autoref>')
        elif definition is not None:
            parts.append(
                type_html(definition, module).removeprefix("<code>").removesuffix("</code>")
            )
        else:
            parts.append(token.translate(_ESCAPES))
    return "<code>" + "".join(parts) + "</code>"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_entry(entry: Entry, level: int) -> str:
    primary, *others = entry.anchors
    lines = [f"[](){{#{a}}}" for a in others]
    lines.append(f"{'#' * level} {entry.name} {{ #{primary} }}\n")
    own = vars(entry.value).get("__doc__") if isinstance(entry.value, type) else None
    doc = inspect.cleandoc(own) if isinstance(own, str) else None
    if doc:
        lines.append(doc + "\n")
    operations = _operations(entry)
    if operations:
        lines.append(f"Operations: {operations}.\n")
    if entry.used_in:
        lines.append(f"Used in: {', '.join(entry.used_in)}.\n")
    lines.append(_table(entry))
    return "\n".join(lines)


def _operations(entry: Entry) -> str:
    from chargeapi._operations import table

    names = [op.action for op in table() if op.resource is entry.value]
    return ", ".join(f"[`{n}`][chargeapi.{entry.name}.{n}]" for n in names)


def _table(entry: Entry) -> str:
    if entry.kind == "literal":
        return "One of: " + ", ".join(f"`{value}`" for value, _, _ in members(entry)) + ".\n"
    if entry.kind == "enum":
        rows = [f"| `{v}` | `{name}` | {_cell(doc)} |" for v, name, doc in members(entry)]
        return "| Value | Member | Meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    rows = []
    for f in fields(entry):
        note = f" ({f.note})" if f.note else ""
        rows.append(
            f"| `{f.name}`{note} | {type_html(f.annotation, entry.module)} | {_cell(f.doc)} |"
        )
    first = "Key" if entry.kind == "params" else "Field"
    return f"| {first} | Type | Meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"


def render() -> str:
    """The objects page's generated part: one ``##`` section per resource module."""
    blocks = []
    for name, items in entries().items():
        if name == SHARED:
            blocks.append("## Shared parts\n\nNested parts that several objects use.\n")
            blocks.extend(render_entry(e, 3) for e in items)
            continue
        main, *rest = items
        blocks.append(render_entry(main, 2))
        blocks.extend(render_entry(e, 3) for e in rest)
    return "\n".join(blocks)
