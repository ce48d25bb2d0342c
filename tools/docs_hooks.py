"""mkdocs hooks (``hooks:`` in mkdocs.yml), so the site can never drift from the code or the repo.

- ``<!-- chargeapi:resources -->`` in a page becomes, per resource of the operations table, one
  mkdocstrings entry per operation with its ``_async`` twin named right under it;
  ``<!-- chargeapi:errors -->`` one entry per public exception, parents first;
  ``<!-- chargeapi:ids -->`` the table of typed IDs; ``<!-- chargeapi:objects -->`` every
  model, enumeration and parameter dict (docs_objects.py). A new resource, operation, error,
  model or field appears in the reference with no edit to the docs.
- A link that leaves ``docs/`` (``../examples/quickstart.py``) works on GitHub as written; on the
  site it points at the file in the repository, and a missing file is a warning, which
  ``mkdocs build --strict`` turns into a failed build.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.chargeapi")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads this file by path; its neighbours import as tools.*
    sys.path.insert(0, str(ROOT))

from tools import docs_objects  # noqa: E402
from tools.docs_types import TYPES_ANCHOR, parameter_types  # noqa: E402

RESOURCES_MARKER = "<!-- chargeapi:resources -->"
ERRORS_MARKER = "<!-- chargeapi:errors -->"
IDS_MARKER = "<!-- chargeapi:ids -->"
OBJECTS_MARKER = "<!-- chargeapi:objects -->"
_LINK = re.compile(r"\]\((\.\./[^)#\s]+)(#[^)\s]*)?\)")
_CODE_LINE = re.compile(r'(<span id="__span-[\d-]+")>( +)')


def resources_reference() -> str:
    """Per resource: its operations, each with its ``_async`` twin named under it (the same
    parameters, so documented once)."""
    from chargeapi._operations import table  # late: only the docs build needs it

    blocks: list[str] = []
    by_resource: dict[type, list[tuple[str, bool]]] = {}
    for op in table():
        by_resource.setdefault(op.resource, []).append((op.action, op.returns.startswith("Page[")))
    for resource, operations in by_resource.items():
        name = resource.__name__
        blocks.append(f"### {name}\n")
        blocks.append(f"The object and its fields: [`{name}`][chargeapi.{name}].\n")
        waiter = [("wait_until", False)] if hasattr(resource, "wait_until") else []  # a lifecycle
        for action, listing in [*operations, *waiter]:
            blocks.append(
                f"::: chargeapi.{name}.{action}\n    options:\n      heading_level: 4\n"
                "      show_root_full_path: false\n"
            )
            blocks.append(async_twin(f"{name}.{action}", name, listing=listing))
    return "\n".join(blocks)


def async_twin(path: str, model: str, *, listing: bool) -> str:
    """The line naming an operation's ``_async`` twin (``Invoice.create_async``), anchored for
    links to it."""
    twin = f"{path}_async"
    if listing:
        return (
            f"[](){{#chargeapi.{twin}}} **Async:** `{twin}(...)`, with the same parameters, "
            f"returns an [`AsyncPager[{model}]`][chargeapi.AsyncPager]: `async for` over every "
            "item, or `await` it for the first page.\n"
        )
    return f"[](){{#chargeapi.{twin}}} **Async:** `await {twin}(...)`, with the same parameters.\n"


def error_classes() -> list[str]:
    """Every public exception, parents before children (the tree of ``ChargeAPIError``)."""
    import chargeapi  # late: only the docs build needs it

    public = {name for name in chargeapi.__all__ if isinstance(getattr(chargeapi, name), type)}
    names: list[str] = []

    def walk(cls: type[BaseException]) -> None:
        if cls.__name__ in public:
            names.append(cls.__name__)
        for sub in cls.__subclasses__():
            walk(sub)

    walk(chargeapi.ChargeAPIError)
    return names


def errors_reference() -> str:
    return "\n".join(
        f"::: chargeapi.{name}\n    options:\n      heading_level: 3\n" for name in error_classes()
    )


def repository_link(page_path: str, target: str, repo_url: str) -> str | None:
    """The repository URL of a relative link that leaves docs/, or None if the file is missing."""
    resolved = (ROOT / "docs" / Path(page_path).parent / target).resolve()
    if not resolved.is_relative_to(ROOT) or not resolved.exists():
        return None
    kind = "tree" if resolved.is_dir() else "blob"
    return f"{repo_url.rstrip('/')}/{kind}/main/{resolved.relative_to(ROOT).as_posix()}"


def ids_reference() -> str:
    """The typed IDs: each is a ``str`` that must carry its object's prefix."""
    from chargeapi._params import ID
    from chargeapi._registry import PREFIXES

    rows = []
    for name, value in parameter_types().items():
        marks = [m for m in getattr(value, "__metadata__", ()) if isinstance(m, ID)]
        if marks:
            prefix = PREFIXES[marks[0].object_name]
            rows.append(f"| [](){{#{TYPES_ANCHOR}{name}}}`{name}` | `{prefix}` |")
    return "| Type | Prefix |\n|---|---|\n" + "\n".join(rows) + "\n"


GENERATED = {
    RESOURCES_MARKER: resources_reference,
    ERRORS_MARKER: errors_reference,
    IDS_MARKER: ids_reference,
    OBJECTS_MARKER: docs_objects.render,
}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    for marker, render in GENERATED.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render())
    path = page.file.src_uri

    def replace(match: re.Match[str]) -> str:
        target, anchor = match.group(1), match.group(2) or ""
        if (ROOT / "docs" / Path(path).parent / target).resolve().is_relative_to(ROOT / "docs"):
            return match.group(0)  # a page of the site: mkdocs checks it
        url = repository_link(path, target, config["repo_url"])
        if url is None:
            log.warning("Doc file '%s' links to '%s', which is not in the repository", path, target)
            return match.group(0)
        return f"]({url}{anchor})"

    return _LINK.sub(replace, markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Tell each indented code line its indent (docs/stylesheets/code.css wraps long lines)."""
    return _CODE_LINE.sub(lambda m: f'{m[1]} style="--indent: {len(m[2])}">{m[2]}', html)
