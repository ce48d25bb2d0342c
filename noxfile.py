"""Automation: ``nox`` runs tests (on each Python found), lint and typecheck in their own venvs;
``nox -s bench`` measures speed; ``nox -s dist`` checks the sdist and wheel (tools/check_dist.py);
``nox -s docs`` builds the site; ``nox -s fuzz`` runs the simulator's schema fuzz at full size.
CI runs the README's command instead (see .ci/run)."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    """The whole test suite (respx, the simulator, a real loopback server, the examples, the
    docs' code blocks and their strict build)."""
    groups = nox.project.dependency_groups(PYPROJECT, "test", "docs", "integrations")
    session.install("-e", ".", *groups)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package, the examples and a user's typed snippet; pyright strict on
    the snippet; both on the docs' python blocks."""
    groups = nox.project.dependency_groups(PYPROJECT, "typecheck", "integrations")
    session.install("-e", ".", *groups)
    session.run("mypy", "--strict", "chargeapi", "examples", "tests/typing")
    session.run("pyright", "tests/typing")
    session.run("python", "tools/doc_snippets.py")  # README.md and docs/*.md, both checkers


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, built strict: a broken link, reference or page fails it
    (``nox -s docs -- --site-dir /tmp/site``; ``mkdocs serve`` to preview)."""
    groups = nox.project.dependency_groups(PYPROJECT, "docs", "integrations")
    session.install("-e", ".", *groups)
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def soak(session: nox.Session) -> None:
    """The fault soak at full size: 10,000 creates per mode (sync threads, async httpx, async
    aiohttp) through random faults, stale and wrong answers over real sockets; the tallies print
    at the end. CI runs 400 per mode."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    creates = os.environ.get("CHARGEAPI_SOAK_CREATES", "10000")
    session.run(
        "pytest", "tests/test_soak.py", *session.posargs, env={"CHARGEAPI_SOAK_CREATES": creates}
    )


@nox.session
def fuzz(session: nox.Session) -> None:
    """The schema fuzz of the simulator at full size: 1,000 generated requests per operation
    (``CHARGEAPI_FUZZ_EXAMPLES``), a table of statuses per operation and every failure found
    (tools/conformance.py). CI runs 24 per operation (tests/test_conformance_fuzz.py)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    examples = os.environ.get("CHARGEAPI_FUZZ_EXAMPLES", "1000")
    session.run("python", "tools/conformance.py", "--examples", examples, *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Ratios against raw httpx, raw aiohttp and pydantic, measured side by side in one run.

    ``nox -s bench -- --check`` is the CI guard; ``-- --only loopback`` one group.
    """
    session.install("-e", ".[aiohttp,orjson]", *nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "-m", "bench", *session.posargs)


@nox.session
def dist(session: nox.Session) -> None:
    """Build, ``twine check``, the wheel in a clean venv, the test suite from the sdist."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "dist"))
    session.run("python", "tools/check_dist.py", *session.posargs)
