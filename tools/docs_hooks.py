"""mkdocs hooks (``hooks:`` in mkdocs.yml), so the site can never drift from the code or the repo.

- ``<!-- chargeapi:resources -->`` in a page becomes one mkdocstrings entry per resource class of
  the operations table, and ``<!-- chargeapi:errors -->`` one per public exception, parents
  first: a new resource or error appears in the API reference with no edit to the docs.
- A link that leaves ``docs/`` (``../examples/quickstart.py``) works on GitHub as written; on the
  site it points at the file in the repository, and a missing file is a warning, which
  ``mkdocs build --strict`` turns into a failed build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.chargeapi")

ROOT = Path(__file__).resolve().parent.parent
RESOURCES_MARKER = "<!-- chargeapi:resources -->"
ERRORS_MARKER = "<!-- chargeapi:errors -->"
_LINK = re.compile(r"\]\((\.\./[^)#\s]+)(#[^)\s]*)?\)")


def resource_classes() -> list[str]:
    """The public name of every class with operations, in the operations table's order."""
    from chargeapi._operations import table  # late: only the docs build needs it

    names: list[str] = []
    for op in table():
        if op.resource.__name__ not in names:
            names.append(op.resource.__name__)
    return names


def resources_reference() -> str:
    """The mkdocstrings entries for every resource class, each listing its operations."""
    blocks = [
        f"### {name}\n\n::: chargeapi.{name}\n    options:\n      heading_level: 4\n"
        "      show_root_heading: false\n      show_attribute_values: false\n"
        "      show_bases: false\n"
        for name in resource_classes()
    ]
    return "\n".join(blocks)


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


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if RESOURCES_MARKER in markdown:
        markdown = markdown.replace(RESOURCES_MARKER, resources_reference())
    if ERRORS_MARKER in markdown:
        markdown = markdown.replace(ERRORS_MARKER, errors_reference())
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
