"""The docs' python blocks are type-checked in CI (tools/doc_snippets.py); these tests check the
tool itself: it sees every page's blocks in order and refuses workarounds for the types."""

from __future__ import annotations

from pathlib import Path

from tools import check, doc_snippets

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_it_after_the_type_checkers() -> None:
    names = [name for name, _ in check.STEPS]
    assert names.index("doc-types") > names.index("pyright")
    command = dict(check.STEPS)["doc-types"]
    assert command[-1] == "tools/doc_snippets.py"


def test_each_page_is_one_module_with_its_blocks_in_order(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\n```python\nfirst = 1\n```\n\ntext\n\n```console\n$ no\n```\n\n"
        "```python\nsecond = first + 1\n```\n"
    )
    module = doc_snippets.module_of(page, root=tmp_path)
    assert module is not None
    assert module.index("first = 1") < module.index("second = first + 1")
    assert "$ no" not in module
    (tmp_path / "prose.md").write_text("# Only prose\n\n```console\n$ chargeapi --help\n```\n")
    assert doc_snippets.module_of(tmp_path / "prose.md", root=tmp_path) is None


def test_every_page_with_python_blocks_is_checked() -> None:
    checked = {p.name for p in doc_snippets.pages()}
    assert "README.md" in checked
    assert {"resources.md", "configuration.md", "webhooks.md"} <= checked


def test_workarounds_for_the_types_are_refused(tmp_path: Path) -> None:
    module = tmp_path / "doc_x.py"
    module.write_text(
        "ok = 1\n"
        "x = cast(int, y)\n"
        "assert invoice.period_start is not None\n"
        "z = w  # type: ignore[attr-defined]\n"
    )
    found = doc_snippets.forbidden([module])
    assert [line.split(":")[1] for line in found] == ["2", "3", "4"]
