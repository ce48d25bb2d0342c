"""``CHARGEAPI_LOG=debug|info``: see what the SDK does without writing any logging code.

Read once, at import, and only when the variable is set. ``info`` shows each retry (what
failed, the wait); ``debug`` adds one line per attempt (method, path, status, attempt, time,
request id). Lines never hold the API key or a request's headers.
"""

from __future__ import annotations

import logging
import sys
import warnings

__all__ = ["configure_from_env"]

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "%(asctime)s chargeapi %(levelname)s %(message)s"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Ours, so importing twice (or reloading) never adds a second one."""


def configure_from_env(value: str) -> None:
    """Send the ``chargeapi`` logger's lines at ``value``'s level and above to stderr."""
    level = _LEVELS.get(value.strip().lower())
    if level is None:
        warnings.warn(
            f"CHARGEAPI_LOG={value!r} is ignored: use 'debug' or 'info'",
            RuntimeWarning,
            stacklevel=3,
        )
        return
    logger = logging.getLogger("chargeapi")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
