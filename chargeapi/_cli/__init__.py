"""The ``chargeapi`` command: every operation of the Python API, derived from the operations table.

``chargeapi <resource> <action> [ID] [--param value ...]``. Parameters, their types, required
flags, choices and help all come from each operation's signature and docstring, so the command can
never drift from the Python API. See ``docs/cli.md`` for examples and the exit codes.
"""

from __future__ import annotations

from ._main import main

__all__ = ["main"]
