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

import contextlib
import gc
import html
import inspect
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from chargeapi._cli._main import EXIT_CODES
from chargeapi._operations import table
from chargeapi.testing import Simulator
from tools import docs_hooks

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
    return re.sub(r"[\s'\"]", "", text).replace(",)", ")")  # quotes: style only


def test_reference_shows_every_operation_with_its_real_signature(site: Path) -> None:
    page = (site / "reference" / "index.html").read_text()
    for op in table():
        for method in (op.sync, op.asynchronous):
            anchor = f"chargeapi.{op.resource.__name__}.{method.__name__}"
            shown = _signature_text(page, anchor)
            real = f"{method.__name__}{inspect.signature(method)}"
            assert _compact(shown) == _compact(real), f"{anchor}:\n{shown}\n!=\n{real}"


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
    ):
        assert f'id="{anchor}"' in page, anchor
    client = _signature_text(page, "chargeapi.Client")
    assert "api_key: str | None = None" in client
    assert "max_retries: int = 2" in client


# -- the build hooks (tools/docs_hooks.py) ------------------------------------------------------


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


def test_the_reference_markers_list_every_resource_and_every_public_error() -> None:
    resources = docs_hooks.resources_reference()
    for name in {op.resource.__name__ for op in table()}:
        assert f"::: chargeapi.{name}\n" in resources
    errors = docs_hooks.errors_reference()
    assert errors.index("chargeapi.APIConnectionError") < errors.index("chargeapi.APITimeoutError")
    for name in ("ChargeAPIError", "ConflictError", "ResponseTooLargeError"):
        assert f"::: chargeapi.{name}\n" in errors
