"""Module-level settings: ``chargeapi.api_key = "ch_sk_test_..."`` configures the default client.

As in stripe and openai, ``chargeapi.api_key``, ``base_url``, ``max_retries``, ``timeout`` and
``api_version`` can be assigned. An assigned value takes precedence over the environment, is
checked at once (``InvalidParameterError``), and is read by the next call made without
``client=``; assigning ``None`` goes back to the environment or the default. Reading one gives
the value in effect. A Client you make yourself is configured by its arguments and the
environment only.

``chargeapi`` becomes an instance of ``_SettingsModule`` (a module whose class has these
properties), which is how a module attribute can check what is assigned to it.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any, cast

from ._client import (
    _allow_insecure_http,
    _api_key,
    _api_version,
    _base_url,
    _max_retries,
    _timeout,
    assigned,
    settings,
)
from ._exceptions import InvalidParameterError

__all__ = ["install"]


def _assign(name: str, value: object, check: Callable[[Any], Any]) -> None:
    if value is None:
        assigned.pop(name, None)
    else:
        assigned[name] = check(value)


def _checked_base_url(value: object) -> str:
    """Plain http only on loopback, unless ``CHARGEAPI_ALLOW_INSECURE_HTTP`` allows it."""
    return _base_url(cast("str", value), _allow_insecure_http(None))  # checks it is a str


class _SettingsModule(types.ModuleType):
    """The ``chargeapi`` module, whose default-client settings check what is assigned."""

    # A module has no ``__module__`` of its own, so ``chargeapi.__module__`` finds this class's:
    # tools that ask it (the docs' inspector) must be told the module is itself.
    __module__ = "chargeapi"

    @property
    def api_key(self) -> str | None:
        """The secret key of the default client: as assigned, else ``$CHARGEAPI_API_KEY``."""
        return settings().api_key

    @api_key.setter
    def api_key(self, value: str | None) -> None:
        _assign("api_key", value, _api_key)

    @property
    def base_url(self) -> str:
        """Where the default client sends requests: as assigned, else ``$CHARGEAPI_BASE_URL``,
        else ``https://api.chargeapi.co``."""
        url = settings().base_url
        try:
            return _base_url(url, allow_insecure_http=True)  # normalised; checked at the call
        except InvalidParameterError:  # a bad $CHARGEAPI_BASE_URL: the next call says why
            return url

    @base_url.setter
    def base_url(self, value: str | None) -> None:
        _assign("base_url", value, _checked_base_url)

    @property
    def max_retries(self) -> int:
        """Extra attempts of the default client after a retryable failure (default 2)."""
        return settings().max_retries

    @max_retries.setter
    def max_retries(self, value: int | None) -> None:
        _assign("max_retries", value, _max_retries)

    @property
    def timeout(self) -> float:
        """Seconds each attempt of the default client may take (default 60)."""
        return settings().timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        _assign("timeout", value, _timeout)

    @property
    def api_version(self) -> str:
        """The ``Charge-Version`` the default client sends."""
        return settings().api_version

    @api_version.setter
    def api_version(self, value: str | None) -> None:
        _assign("api_version", value, _api_version)


def install(name: str) -> None:
    """Give the module ``name`` (``chargeapi``) the settings properties."""
    sys.modules[name].__class__ = _SettingsModule
