"""What goes to PyPI: the sdist holds what its tests need and nothing half-shipped, the metadata
links the project, and the README renders there (no links relative to the repository).

The full check (build, ``twine check``, the wheel in a clean venv, the suite from the sdist) is
``python tools/check_dist.py``; this module keeps its fast parts in every test run.
"""

from __future__ import annotations

import re
import tarfile
from email.parser import Parser
from pathlib import Path

import pytest
from hatchling.builders.sdist import SdistBuilder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], str]:
    """The member paths (without the top directory) and PKG-INFO of a freshly built sdist."""
    out = tmp_path_factory.mktemp("sdist")
    (built,) = SdistBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    with tarfile.open(built) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        top = archive.getnames()[0].split("/", 1)[0]
        info = archive.extractfile(f"{top}/PKG-INFO")
        assert info is not None
        return names, info.read().decode()


def test_the_sdist_ships_what_its_test_suite_reads(sdist: tuple[set[str], str]) -> None:
    names, _ = sdist
    for needed in (
        ".ci/run",  # tests/test_readme.py compares it with the README
        "tools/endpoints_page.py",  # tests/test_endpoints_page.py renders the endpoint page
        "examples/quickstart.py",
        "docs/endpoints.md",
        "tests/conftest.py",
        "tests/typing/public_api.py",
        "pyproject.toml",  # pytest's configuration
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
    ):
        assert needed in names, f"{needed} is missing from the sdist"


def test_the_sdist_ships_no_part_of_the_bench(sdist: tuple[set[str], str]) -> None:
    names, _ = sdist
    assert not [name for name in names if name.startswith("bench/")]
    assert not [name for name in names if "__pycache__" in name]


def test_the_metadata_links_home_docs_source_and_issues(sdist: tuple[set[str], str]) -> None:
    _, pkg_info = sdist
    urls = dict(
        value.split(", ", 1) for value in Parser().parsestr(pkg_info).get_all("Project-URL", [])
    )
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(urls)
    assert all(
        url.startswith("https://github.com/chargeapi/chargeapi-python") for url in urls.values()
    )


def test_the_readme_has_no_links_relative_to_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)", readme)  # [text](target)
    targets += re.findall(r"^\s*\[[^\]]+\]:\s*(\S+)", readme, re.M)  # [ref]: target
    targets += re.findall(r"""(?:src|href)=["']([^"']+)""", readme)  # inline HTML
    assert targets, "expected the README to link somewhere"
    relative = [t for t in targets if not re.match(r"https?://|mailto:|#", t)]
    assert relative == [], "PyPI shows the README without the repository: use absolute URLs"
