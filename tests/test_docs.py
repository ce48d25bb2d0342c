"""The documentation site runs: its code blocks are tests, and it builds with real signatures.

On the pages in ``RUN``, every ```python block runs, in order, in one namespace per page, with
``CHARGEAPI_API_KEY`` / ``CHARGEAPI_BASE_URL`` pointing at a freshly served ``Simulator(seed=0)``
(the default client works, as in a reader's shell after ``chargeapi simulator``). A ```python
block whose first line names a file (``# app.py``) is that file instead: it is written out, and
the ``test_*.py`` ones run with pytest in a subprocess (the chargeapi plugin loads by itself),
the summary line compared with the ```text block after it. Every ```sh block runs with bash, as
a subprocess, against the same kind of simulator. A ```text block right after a run block is
that block's expected output, with ``...`` matching anything (doctest's ELLIPSIS). Blocks meant
for reading only are ```console (commands), ```yaml or plain fences.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import enum
import gc
import html
import importlib
import inspect
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Literal

import attrs
import pytest

import chargeapi
from chargeapi._cli._main import EXIT_CODES
from chargeapi._operations import table
from chargeapi.testing import Simulator
from tools import docs_hooks, docs_objects

from .django_settings import configure as configure_django

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# The pages whose blocks run. The others (reliability, performance) are written by
# the helpers of those features; endpoints.md is generated.
RUN = (
    "simulator.md",
    "index.md",
    "configuration.md",
    "resources.md",
    "errors.md",
    "pagination.md",
    "async.md",
    "cli.md",
    "resilience.md",
    "reference.md",
    "architecture.md",
    "webhooks.md",
)
READ_ONLY_LANGUAGES = {"console", "text", "yaml", ""}
_FILE_NAME = re.compile(r"# (\w+\.py)\n")
# What the docs' example test files need from pytest: pytest-asyncio for their async tests.
_PYTEST_INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    line: int  # where the block starts in its page, for failure messages
    expected: str | None  # the ```text block that follows it, if any


def blocks(page: str) -> list[Block]:
    text = (DOCS / page).read_text()
    found = list(_FENCE.finditer(text))
    result = []
    for i, match in enumerate(found):
        language = match.group(1)
        if language in READ_ONLY_LANGUAGES:
            continue
        expected = None
        following = found[i + 1] if i + 1 < len(found) else None
        if (
            following is not None
            and following.group(1) == "text"
            and not text[match.end() : following.start()].strip()
        ):
            expected = following.group(2)
        line = text.count("\n", 0, match.start()) + 1
        result.append(Block(language, match.group(2), line, expected))
    return result


def matches(expected: str, output: str) -> bool:
    """``output`` is ``expected``, where ``...`` stands for any text (and the whitespace
    around it)."""
    pattern = ".*?".join(re.escape(part.strip()) for part in expected.strip().split("..."))
    return re.fullmatch(pattern, output.strip(), re.S) is not None


def check_output(page: str, block: Block, output: str) -> None:
    if block.expected is not None:
        assert matches(block.expected, output), (
            f"{page}:{block.line}: the output differs from the ```text block after it.\n"
            f"--- expected\n{block.expected}--- got\n{output}"
        )


@pytest.fixture
def served_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A fresh seed-0 simulator on loopback, and the environment that points the SDK at it."""
    sim = Simulator(seed=0)
    with sim.serve() as server:
        env = {"CHARGEAPI_API_KEY": sim.api_key, "CHARGEAPI_BASE_URL": server.url}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield env


@pytest.fixture
def quiet_chargeapi_logger() -> Iterator[None]:
    """Pages may turn on the ``chargeapi`` logger, as a reader would; undo it afterwards."""
    logger = logging.getLogger("chargeapi")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_every_page_is_in_the_nav_and_every_run_page_exists() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in RUN:
        assert (DOCS / page).exists(), page
        assert f": {page}" in nav, f"{page} is not in mkdocs.yml's nav"


@pytest.mark.parametrize("page", [p for p in RUN if p != "cli.md"])
def test_python_blocks_run_against_the_simulator(
    page: str, served_env: dict[str, str], quiet_chargeapi_logger: None, tmp_path: Path
) -> None:
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    test_files: list[Block] = []
    if page == "webhooks.md":
        configure_django()  # its Django view runs as in a project whose settings are loaded
    for block in blocks(page):
        assert block.language == "python", f"{page}:{block.line}: a ```{block.language} block"
        file = _FILE_NAME.match(block.code)
        if file is not None:
            (tmp_path / file.group(1)).write_text(block.code)
            if file.group(1).startswith("test_"):
                test_files.append(block)
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(block.code, f"docs/{page}:{block.line}", "exec"), namespace)
            except Exception as error:
                pytest.fail(f"docs/{page}:{block.line} raised {error!r}\n{block.code}")
        check_output(page, block, out.getvalue())
    namespace.clear()
    gc.collect()  # a socket the page's code left open warns here, failing this page's test
    for block in test_files:
        _run_test_file(page, block, tmp_path)


def _run_test_file(page: str, block: Block, project: Path) -> None:
    """Run a page's example test file with pytest, as its reader would, in a clean
    environment; its summary line is the ```text block after it."""
    (project / "pytest.ini").write_text(_PYTEST_INI)
    name = block.code.split("\n", 1)[0].removeprefix("# ")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", name],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{page}:{block.line} failed:\n{result.stdout}{result.stderr}"
    check_output(page, block, result.stdout.strip().splitlines()[-1])


def test_cli_page_shell_blocks_run_against_the_simulator(
    served_env: dict[str, str], tmp_path: Path
) -> None:
    shell = shutil.which("bash")
    assert shell is not None
    # The `chargeapi` script of this environment comes first, as after `pip install`.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHARGEAPI_")},
        **served_env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    ran = 0
    for block in blocks("cli.md"):
        assert block.language == "sh", f"cli.md:{block.line}: a ```{block.language} block"
        process = subprocess.Popen(
            [shell, "-euo", "pipefail", "-c", block.code],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so a block's background jobs are stopped with it
        )
        try:
            stdout, stderr = process.communicate(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        assert process.returncode == 0, f"cli.md:{block.line} failed:\n{block.code}\n{stderr}"
        check_output("cli.md", block, stdout)
        ran += 1
    assert ran >= 10


def test_cli_page_documents_every_exit_code() -> None:
    page = (DOCS / "cli.md").read_text()
    for cls, code, _ in EXIT_CODES:
        assert re.search(rf"^\| {code} \| `{cls.__name__}`", page, re.M), (code, cls.__name__)
    assert re.search(r"^\| 2 \| ", page, re.M)


def test_getting_started_shows_the_readmes_two_commands() -> None:
    readme = (ROOT / "README.md").read_text().split("## Quickstart", 1)[1]
    readme_block = re.search(r"```sh\n(.*?)```", readme, re.S)
    index = (DOCS / "index.md").read_text().split("## Quickstart", 1)[1]
    index_block = re.search(r"```console\n(.*?)```", index, re.S)
    assert readme_block is not None
    assert index_block is not None
    assert index_block.group(1) == readme_block.group(1)


def test_resources_page_has_a_section_with_an_example_for_every_resource() -> None:
    page = (DOCS / "resources.md").read_text()
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", page, re.S | re.M))
    for name in {op.resource.__name__ for op in table()}:
        assert name in sections, f"resources.md has no '## {name}' section"
        assert "```python\n" in sections[name], f"resources.md: {name} has no example"
        assert f"chargeapi.{name}." in sections[name], f"resources.md: {name}'s example"


def _drawn_tree(text: str) -> dict[str, int]:
    """The classes of the first exception tree drawn in ``text``, each with its depth."""
    block = re.search(r"^```\w*\n(ChargeAPIError .*?)^```", text, re.S | re.M)
    assert block is not None, "no exception tree"
    tree: dict[str, int] = {}
    for line in block.group(1).splitlines():
        match = re.match(r"^((?:[│ ]   )*)(?:[├└]── )?([A-Z]\w+)", line)
        if match:
            tree[match.group(2)] = len(match.group(1)) // 4 + (1 if "── " in line else 0)
    return tree


@pytest.mark.parametrize("page", ["README.md", "docs/errors.md"])
def test_the_exception_tree_drawn_in_the_docs_is_the_real_one(page: str) -> None:
    drawn = _drawn_tree((ROOT / page).read_text())
    real = {
        name: len(
            [c for c in getattr(chargeapi, name).__mro__ if issubclass(c, chargeapi.ChargeAPIError)]
        )
        - 1
        for name in docs_hooks.error_classes()
    }
    assert drawn == real


# Pages for readers of the SDK (architecture.md and docs/README.md are for its maintainers): no
# internal module paths, test files, issue numbers or the history of the API's docs.
_NOT_FOR_USERS = re.compile(
    r"chargeapi\._|\b_\w+\.py\b|\btests/\w|\b[Ii]ssue \d+|\bNEW\b|\bOLD\b|\bsection \d+ of"
    r"|reference, section"
)


def test_user_pages_speak_of_the_sdk_only() -> None:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        if page in (DOCS / "architecture.md", DOCS / "README.md"):  # for the SDK's maintainers
            continue
        for number, line in enumerate(page.read_text().splitlines(), 1):
            assert not _NOT_FOR_USERS.search(line), f"{page.name}:{number}: {line}"


def test_the_ellipsis_matcher_can_fail() -> None:
    assert matches("a ... c", "a b c")
    assert not matches("a ... c", "a b d")
    assert not matches("exit 5", "exit 6")


# -- the built site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build --strict``: any broken link, reference or missing page fails it."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def _signature_text(page: str, anchor: str) -> str:
    """The rendered signature of the object whose heading has id ``anchor``, as plain text."""
    start = page.index(f'id="{anchor}"')
    block = re.search(r'<div class="doc-signature[^"]*"[^>]*>(.*?)</div>', page[start:], re.S)
    assert block is not None, anchor
    return html.unescape(re.sub(r"<[^>]+>", "", block.group(1)))


def _compact(text: str) -> str:
    # quotes and a formatter's trailing commas: style only
    return re.sub(r",([)\]])", r"\1", re.sub(r"[\s'\"]", "", text))


def _with_literals_written_out(text: str, module: ModuleType) -> str:
    """``text`` with each unexported ``Literal`` alias replaced by its values, as the reference
    shows it (a reader cannot look up a name the package does not export)."""

    def replace(match: re.Match[str]) -> str:
        value = getattr(module, match.group(0), None)
        if match.group(0) in chargeapi.__all__ or typing.get_origin(value) is not Literal:
            return match.group(0)
        return "Literal[" + ", ".join(repr(v) for v in typing.get_args(value)) + "]"

    return re.sub(r"\b[A-Za-z_]\w*\b", replace, text)


def test_reference_shows_every_operation_with_its_real_signature(site: Path) -> None:
    page = (site / "reference" / "index.html").read_text()
    for op in table():
        anchor = f"chargeapi.{op.resource.__name__}.{op.sync.__name__}"
        shown = _signature_text(page, anchor)
        module = sys.modules[op.resource.__module__]
        real = _with_literals_written_out(f"{op.action}{inspect.signature(op.sync)}", module)
        assert _compact(shown) == _compact(real), f"{anchor}:\n{shown}\n!=\n{real}"


def test_no_built_page_names_an_internal_module(site: Path) -> None:
    """What a reader sees (tags stripped: anchors may use any path), "Bases:" lines included."""
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "architecture":  # for the SDK's maintainers
            continue
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))
        found = re.findall(r"chargeapi\._\w+(?:\.\w+)*", text)
        assert not found, f"{page.relative_to(site)}: {sorted(set(found))}"


def test_every_page_wraps_long_code_lines_instead_of_scrolling(site: Path) -> None:
    """No browser here: every page loads the stylesheet, and it wraps code blocks."""
    css = (site / "stylesheets" / "code.css").read_text()
    rule = re.search(r"\.md-typeset pre > code \{([^}]*)\}", css)
    assert rule is not None and "white-space: pre-wrap" in rule.group(1)
    for page in sorted(site.rglob("*.html")):
        assert re.search(r'<link[^>]+href="[./]*stylesheets/code\.css"', page.read_text()), page


def test_reference_names_each_async_twin_under_its_operation_instead_of_repeating_it(
    site: Path,
) -> None:
    page = (site / "reference" / "index.html").read_text()
    twins = [
        (f"{op.resource.__name__}.{op.sync.__name__}", op.sync, op.asynchronous) for op in table()
    ]
    twins.append(("retrieve", chargeapi.retrieve, chargeapi.retrieve_async))
    for path, sync_method, async_method in twins:
        assert (
            inspect.signature(async_method).parameters == inspect.signature(sync_method).parameters
        )
        start = page.index(f'id="chargeapi.{path}"')
        following = re.compile(r"<h[1-6][ >]").search(page, start + 1)
        section = page[start : following.start() if following else len(page)]
        twin = f"{path}_async"
        assert re.search(f'<a [^>]*id="chargeapi.{twin}"', section), f"{twin} not under {path}"
        assert (
            f"<code>{twin}(...)</code>" in section or f"<code>await {twin}(...)</code>" in section
        )
        assert page.count(f'id="chargeapi.{twin}"') == 1, f"{twin} is documented twice"


def _documented_types() -> dict[str, tuple[ModuleType, object]]:
    """Every model, enumeration, parameter dict and exported ``Literal`` of the package, by name:
    the public exports, every class the resource modules define, and the registry's models."""
    from chargeapi._registry import _CLASSES
    from chargeapi.resources import MODULES, resolve_annotations

    resolve_annotations()

    def kind(value: object) -> bool:
        return (
            (isinstance(value, type) and (attrs.has(value) or issubclass(value, enum.Enum)))
            or typing.is_typeddict(value)
            or typing.get_origin(value) is Literal
        )

    found: dict[str, tuple[ModuleType, object]] = {}
    for name in chargeapi.__all__:
        value = getattr(chargeapi, name)
        # The core's own (RequestOptions) are on the API reference page, with the Client.
        if kind(value) and value is not chargeapi.ChargeObject and name in chargeapi._LAZY:
            found[name] = (importlib.import_module(chargeapi._LAZY[name]), value)
    for module_name in (*MODULES, "_shared"):
        module = importlib.import_module(f"chargeapi.resources.{module_name}")
        for name, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == module.__name__
            if kind(value) and defined_here and not name.startswith("_"):
                found.setdefault(name, (module, value))
    for cls in _CLASSES.values():
        found.setdefault(cls.__name__, (sys.modules[cls.__module__], cls))
    return found


def _expected_names(value: object) -> list[str]:
    """What the reference must show of it: field names, dict keys, or values."""
    if isinstance(value, type) and attrs.has(value):
        return [f.name for f in attrs.fields(value) if not f.name.startswith("_")]
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return [f'"{member.value}"' for member in value]
    if typing.is_typeddict(value):
        return sorted(value.__required_keys__ | value.__optional_keys__)  # type: ignore[attr-defined]
    return [f'"{v}"' for v in typing.get_args(value)]


def _section(page: str, anchor: str) -> str:
    """The part of a page from the heading with id ``anchor`` to the next heading."""
    match = re.search(f'<h([1-6]) id="{re.escape(anchor)}"', page)
    assert match is not None, f"no heading for {anchor}"
    following = re.compile(r"<h[1-6][ >]").search(page, match.end())
    return html.unescape(page[match.start() : following.start() if following else len(page)])


def test_the_objects_page_shows_every_model_field_and_enum_value(site: Path) -> None:
    page = (site / "objects" / "index.html").read_text()
    documented = _documented_types()
    assert {"Invoice", "InvoiceLineItem", "ChargingSessionStatus", "CenterParams"} <= set(
        documented
    )
    for name, (module, value) in documented.items():
        anchor = f"chargeapi.{name}" if name in chargeapi.__all__ else f"{module.__name__}.{name}"
        section = _section(page, anchor)
        for expected in _expected_names(value):
            shown = f"<code>{expected}</code>"
            assert shown in section, f"objects page: {name} does not show {expected}"


def _aliases_defined_by_chargeapi() -> set[str]:
    """The names the package's own source assigns at top level (``SessionStatus = Literal[...]``)."""
    names: set[str] = set()
    for source in (ROOT / "chargeapi").rglob("*.py"):
        for node in ast.parse(source.read_text()).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_every_type_a_signature_names_links_to_its_explanation_or_is_plain_python(
    site: Path,
) -> None:
    page = (site / "reference" / "index.html").read_text()
    signatures = "".join(re.findall(r'<div class="doc-signature.*?</div>', page, re.S))
    ours = _aliases_defined_by_chargeapi()
    for path, name in set(re.findall(r'<span title="([^"]*)">(\w+)<', signatures)):  # unlinked
        if path.rpartition(".")[2] != name:  # an alias: a library's may stay, ours may not
            assert name not in ours, f"{name} stands for {path}: write it out or link it"
        if path.startswith("chargeapi."):  # only type variables stay unlinked
            value = getattr(importlib.import_module(path.rpartition(".")[0]), name)
            assert isinstance(value, typing.TypeVar | typing.ParamSpec), path
    linked = set(re.findall(r'href="#(types\.\w+)"', signatures))
    assert {"types.DriverID", "types.Timestamp", "types.Range", "types.NotGiven"} <= linked
    for anchor in linked:
        assert f'id="{anchor}"' in page, f"{anchor} is linked but not explained"


def test_the_objects_page_types_name_only_what_a_reader_can_look_up(site: Path) -> None:
    page = html.unescape((site / "objects" / "index.html").read_text())
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td><code>(.*?)</code></td>", page, re.S)
    cells = [cell for first, cell in rows if not first.startswith('<code>"')]  # not enum values
    assert len(cells) > 300
    reference = (site / "reference" / "index.html").read_text()
    explained = set(re.findall(r'id="types\.(\w+)"', reference))
    headed = set(re.findall(r'<h[23] id="[\w.]*\.(\w+)"', page))  # the entries of the page
    plain = {
        "None",
        "Literal",
        "Annotated",
        "Mapping",
        "Sequence",
        "Any",
        "datetime",
        *vars(builtins),
    }
    for cell in cells:
        for link_text in re.findall(r"<a [^>]*>(\w+)</a>", cell):
            assert link_text in explained | headed, cell
        text = re.sub(r"<[^>]+>", "", cell)
        for name in re.findall(r"\b[A-Za-z_]\w*\b", re.sub(r'"[^"]*"', "", text)):
            assert name in plain | explained | headed, (
                f"objects page: a type names {name}, which a reader cannot look up: {text}"
            )


def test_reference_shows_the_client_errors_pages_webhooks_and_simulator(site: Path) -> None:
    page = (site / "reference" / "index.html").read_text()
    for anchor in (
        "chargeapi.Client",
        "chargeapi.ChargeAPIError",
        "chargeapi.APIConnectionError",
        "chargeapi.ConflictError",
        "chargeapi.Page",
        "chargeapi.AsyncPager",
        "chargeapi.Webhook.construct_event",
        "chargeapi.testing.Simulator",
        "chargeapi.testing.SimulatorControl.advance",
        "chargeapi.testing.sign_webhook",
        "chargeapi.retrieve",
        "chargeapi.Report.wait_until",
        "chargeapi.ChargingSession.wait_until_async",
        "chargeapi.WaitTimeoutError",
    ):
        assert f'id="{anchor}"' in page, anchor
    client = _signature_text(page, "chargeapi.Client")
    assert "api_key: str | None = None" in client
    assert "max_retries: int = 2" in client


# -- the build hooks (tools/docs_hooks.py) ------------------------------------------------------


def test_a_field_docstring_is_its_meaning_on_the_objects_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scratch_meter.py").write_text(
        "from __future__ import annotations\n"
        "import enum\n"
        "import attrs\n"
        "from chargeapi import ChargeObject\n\n"
        "class MeterKind(enum.StrEnum):\n"
        "    AC = 'ac'\n"
        '    """Alternating current."""\n'
        "    DC = 'dc'\n\n"
        "@attrs.frozen(kw_only=True)\n"
        "class Meter(ChargeObject):\n"
        '    """A meter."""\n\n'
        "    reading: int\n"
        '    """Energy so far, in Wh;\n    never negative."""\n'
        "    label: str | None = None\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("scratch_meter")
    meter = docs_objects.render_entry(docs_objects.Entry("Meter", module.Meter, "model", module), 3)
    assert "| `reading` | <code>int</code> | Energy so far, in Wh; never negative. |" in meter
    assert "| `label` | <code>str &#124; None</code> |  |" in meter
    kind = docs_objects.render_entry(
        docs_objects.Entry("MeterKind", module.MeterKind, "enum", module), 3
    )
    assert '| `"ac"` | `AC` | Alternating current. |' in kind
    assert '| `"dc"` | `DC` |  |' in kind


def test_links_that_leave_docs_point_at_the_repository_and_a_missing_file_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    config = {"repo_url": "https://github.com/chargeapi/chargeapi-python"}
    text = (
        "[q](../examples/quickstart.py) [s](simulator.md) [g](../examples/gone.py#top) "
        "[o](https://example.com/x)"
    )
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.chargeapi"):
        result = docs_hooks.on_page_markdown(text, page, config, None)
    assert result == (
        "[q](https://github.com/chargeapi/chargeapi-python/blob/main/examples/quickstart.py) "
        "[s](simulator.md) [g](../examples/gone.py#top) [o](https://example.com/x)"
    )
    assert [r.getMessage() for r in caplog.records] == [
        "Doc file 'index.md' links to '../examples/gone.py', which is not in the repository"
    ]


def test_the_reference_markers_list_every_operation_and_every_public_error() -> None:
    resources = docs_hooks.resources_reference()
    for op in table():
        assert f"::: chargeapi.{op.resource.__name__}.{op.action}\n" in resources
    errors = docs_hooks.errors_reference()
    assert errors.index("chargeapi.APIConnectionError") < errors.index("chargeapi.APITimeoutError")
    for name in ("ChargeAPIError", "ConflictError", "ResponseTooLargeError"):
        assert f"::: chargeapi.{name}\n" in errors
