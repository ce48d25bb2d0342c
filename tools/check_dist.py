"""Check what would be uploaded to PyPI: ``python tools/check_dist.py`` (or ``nox -s dist``).

1. ``python -m build``: the sdist and the wheel, in an isolated build environment.
2. ``twine check --strict``: the metadata, and the README renders on PyPI.
3. The wheel in a clean venv, run from an empty directory (so nothing is imported from the
   checkout): a smoke test through the simulator, the typing marker, the ``chargeapi`` command,
   a user's test file run with pytest (the pytest plugin loads by itself: sync and async tests
   that only name its fixtures), and ``pyright --verifytypes`` on the installed package (when
   pyright is installed here).
4. The sdist unpacked, installed with the ``test`` group, and its own test suite run.

Needs ``build`` and ``twine`` (the ``dist`` dependency group) and the package registry for the
build and test dependencies. Exits non-zero on the first failure; prints what it runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a user's project installs to run the plugin's example tests (the test group's pins).
USER_PYTEST = ("pytest>=8", "pytest-asyncio>=0.24")
USER_INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"

SMOKE = """
import importlib.metadata, pathlib
import chargeapi
from chargeapi.testing import Simulator

assert chargeapi.__version__ == importlib.metadata.version("chargeapi"), chargeapi.__version__
assert "site-packages" in chargeapi.__file__, chargeapi.__file__
assert (pathlib.Path(chargeapi.__file__).parent / "py.typed").is_file(), "py.typed missing"
sim = Simulator(seed=0)
with sim.client() as client:
    session = chargeapi.ChargingSession.create(**sim.sample_session_params(), client=client)
    assert session.status == "active", session.status
    assert session.last_response is not None and session.last_response.status_code == 200
    ended = chargeapi.ChargingSession.end(session.id, client=client)
    assert ended.status == "completed", ended.status
print("smoke test passed:", chargeapi.__version__, session.id)
"""


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    shown = " ".join(str(part) for part in command)
    print(f"$ {shown}", flush=True)
    full_env = {**os.environ, **env} if env else None
    subprocess.run([str(part) for part in command], cwd=cwd, env=full_env, check=True)  # noqa: S603


def new_venv(path: Path) -> Path:
    """A clean venv (no system site-packages) with a current pip; returns its python."""
    venv.create(path, with_pip=True, clear=True)
    python = path / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-sdist-tests", action="store_true", help="skip step 4 (the slowest)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="chargeapi-dist-") as tmp:
        work = Path(tmp)
        dist = work / "dist"
        run(sys.executable, "-m", "build", "--outdir", dist, ROOT)
        wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
        if len(wheels) != 1 or len(sdists) != 1:
            raise SystemExit(f"expected one wheel and one sdist, got {sorted(dist.iterdir())}")
        run(sys.executable, "-m", "twine", "check", "--strict", *wheels, *sdists)

        python = new_venv(work / "wheel-venv")
        run(python, "-m", "pip", "install", "-q", wheels[0])
        empty = work / "empty"
        empty.mkdir()
        run(python, "-c", SMOKE, cwd=empty)
        run(python.parent / "chargeapi", "--help", cwd=empty)
        project = work / "user-project"  # no conftest, no plugin named: the entry point loads it
        project.mkdir()
        (project / "pytest.ini").write_text(USER_INI)
        shutil.copy(ROOT / "tests" / "pytest_plugin_user.py", project / "test_user.py")
        run(python, "-m", "pip", "install", "-q", *USER_PYTEST)
        run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py", cwd=project)
        pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
        if pyright is not None:  # what a user's checker sees: 100% of the public API typed
            site = subprocess.run(  # noqa: S603 - our own interpreter
                [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()  # pyright finds the installed package through PYTHONPATH only
            run(
                pyright,
                "--verifytypes",
                "chargeapi",
                "--ignoreexternal",
                cwd=empty,
                env={"PYTHONPATH": site},
            )

        if not args.skip_sdist_tests:
            with tarfile.open(sdists[0]) as archive:
                archive.extractall(work / "sdist", filter="data")
            (source,) = (work / "sdist").iterdir()
            python = new_venv(work / "sdist-venv")
            run(python, "-m", "pip", "install", "-q", source, "--group", "test", cwd=source)
            run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=source)
    print("dist checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
