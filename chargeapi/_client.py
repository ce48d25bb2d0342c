"""Client: configuration plus the httpx clients that carry requests, sync and async.

One Client serves both worlds. The sync ``httpx.Client`` is made on first use. An
``httpx.AsyncClient`` cannot outlive its event loop, so the Client keeps one per running loop
and closes it when that loop shuts down (``asyncio.run`` closes async generators on its way out,
and a parked one closes our client there), never in ``__del__``. Clients you pass in are used
as they are, on every loop, and never closed by the SDK: you own them.

After ``os.fork()`` the child drops (never closes: the parent still uses them) the pools it
inherited, so parent and child never share a keep-alive socket and read each other's answers.
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import os
import platform
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from ._call import run_call
from ._exceptions import ChargeAPIError
from ._request import RedactedHeaders, RequestSpec, origin, prepare
from ._retry import RetryPolicy
from ._transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncSleep,
    SyncSleep,
    send_async,
    send_sync,
    sync_http_client,
)
from ._validate import check_header_value, check_int
from ._version import __version__

if TYPE_CHECKING:
    import asyncio

    from ._aiohttp import Session

__all__ = ["API_VERSION", "DEFAULT_BASE_URL", "Client", "default_client"]

T = TypeVar("T")

#: The API version the models describe; sent as ``Charge-Version`` on every request.
API_VERSION = "2026-03-01"
DEFAULT_BASE_URL = "https://api.chargeapi.co"
_USER_AGENT = (
    f"chargeapi-python/{__version__} "
    f"(python {'.'.join(platform.python_version_tuple()[:2])}; httpx {httpx.__version__})"
)


def _base_url(value: str) -> str:
    """Origin (plus optional path prefix) without a trailing ``/`` or ``/v1``.

    Paths are sent as ``/v1/...``, so ``https://api.chargeapi.co/v1`` is accepted too. Plain
    ``http://`` is refused except on loopback (the simulator): the API key would travel in clear.
    """
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, got {type(value).__name__}")
    if "@" in value.split("?", 1)[0].split("#", 1)[0]:
        # httpx would send it as Basic auth instead of our Bearer key, and repr would show it.
        # Checked first: later messages quote the URL, and it must not quote a password.
        raise ValueError(
            "base_url must not contain a user name or password (user:pw@host); "
            "the API key is the only credential"
        )
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"base_url must be an https:// URL, got {value!r}") from None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValueError(f"base_url must be an https:// URL, got {value!r}")
    if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"base_url {value!r} uses plain http: the API key would be sent unencrypted. "
            "Use https:// (http:// is allowed only for localhost, e.g. the simulator)."
        )
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment, got {value!r}")
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    return f"{origin(value.strip())}{path}"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost: it could resolve anywhere
        return False


_NO_HEADERS = RedactedHeaders()  # requests on the SDK's own clients: the client sends them


def _async_backend(value: object, async_http_client: object) -> Literal["httpx", "aiohttp"]:
    if value == "httpx":
        return "httpx"
    if value != "aiohttp":
        raise ValueError(f"async_backend must be 'httpx' or 'aiohttp', got {value!r}")
    if async_http_client is not None:
        raise ValueError(
            "async_http_client is an httpx client: leave it out with async_backend='aiohttp'"
        )
    import importlib.util  # noqa: PLC0415 - only this option needs it

    if importlib.util.find_spec("aiohttp") is None:
        raise ImportError(
            "async_backend='aiohttp' needs aiohttp, which is not installed: "
            "pip install 'chargeapi[aiohttp]'"
        )
    return "aiohttp"


def _api_key(value: object) -> str | None:
    if value is None:
        value = os.environ.get("CHARGEAPI_API_KEY") or None
        if value is None:
            return None
    if not isinstance(value, str):
        raise TypeError(f"api_key must be a str, got {type(value).__name__}")
    value = value.strip()
    if not value:
        raise ValueError("api_key is empty; pass your secret key or set CHARGEAPI_API_KEY")
    check_header_value("api_key", value)
    return value


class _AsyncHTTP(Protocol):
    async def aclose(self) -> None: ...


class _LoopClient:
    """The SDK-owned async client of one event loop (an httpx.AsyncClient or an aiohttp
    Session), plus the parked generator that closes it."""

    __slots__ = ("closer", "http")

    def __init__(self, http: _AsyncHTTP, closer: AsyncGenerator[None]) -> None:
        self.http = http
        self.closer = closer


async def _close_at_loop_shutdown(
    http: _AsyncHTTP,
    entries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient],
    loop: asyncio.AbstractEventLoop,
) -> AsyncGenerator[None]:
    # Parked at ``yield`` for the loop's lifetime; loop.shutdown_asyncgens() (run by
    # asyncio.run and asyncio.Runner) resumes it into ``finally`` on the right loop. The entry
    # leaves the table there: this generator references the loop (its finalizer hook), so an
    # entry left behind would keep the loop, and its AsyncClient, alive for good.
    try:
        yield
    finally:
        entry = entries.get(loop)
        if entry is not None and entry.http is http:
            del entries[loop]
        del entry, entries, loop
        await http.aclose()


def _close_before_loop_closes(
    loop: asyncio.AbstractEventLoop,
    entries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient],
) -> None:
    """Also close the loop's AsyncClient when the loop is closed without shutdown_asyncgens()
    (a hand-made loop): ``loop.close`` first runs the parked closer, or its socket is leaked.

    A loop that takes no attributes (some C implementations) keeps only the asyncgen path.
    """
    original = loop.close

    def close() -> None:
        entry = entries.get(loop)
        if entry is not None and not loop.is_running() and not loop.is_closed():
            # Closing must never stop the loop from closing.
            with contextlib.suppress(Exception):
                loop.run_until_complete(entry.closer.aclose())
        original()

    with contextlib.suppress(AttributeError):  # a loop class without __dict__
        loop.close = close  # type: ignore[method-assign]


_live_clients: weakref.WeakSet[Client] = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    """In a forked child: drop, never close, the pools inherited from the parent.

    Closing would be wrong too (TLS shutdown, or the pool's bookkeeping, on sockets the parent
    still uses). The dropped objects are kept so their sockets are never garbage-collected
    (which would warn) while the child lives.
    """
    for client in list(_live_clients):
        client._drop_pools_after_fork()


_inherited: list[object] = []  # pools a forked child inherited: kept, never used again
os.register_at_fork(after_in_child=_forget_pools_after_fork)


class Client:
    """Configuration and connections for talking to ChargeAPI.

    ``api_key`` falls back to ``CHARGEAPI_API_KEY`` and ``base_url`` to ``CHARGEAPI_BASE_URL``,
    then ``https://api.chargeapi.co``. ``max_retries`` bounds the extra attempts of one call;
    ``timeout`` (seconds) is the deadline of each attempt (connect, send and the whole answer),
    also on clients you pass in. ``max_response_bytes`` (default 32 MiB, after decompression)
    caps an answer; a larger one raises ResponseTooLargeError. ``async_backend="aiohttp"``
    sends async calls with aiohttp (``pip install 'chargeapi[aiohttp]'``), several times
    httpx's throughput under high concurrency. ``sleep`` and ``async_sleep``
    replace ``time.sleep`` / ``asyncio.sleep`` between retries (tests). Redirects are never
    followed. The API key is never shown in ``repr`` and never put in errors or logs.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float = 60.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        api_version: str = API_VERSION,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        sleep: SyncSleep | None = None,
        async_sleep: AsyncSleep | None = None,
        async_backend: Literal["httpx", "aiohttp"] = "httpx",
    ) -> None:
        self._api_key = _api_key(api_key)
        self.base_url = _base_url(
            base_url or os.environ.get("CHARGEAPI_BASE_URL") or DEFAULT_BASE_URL
        )
        self.max_retries = check_int("max_retries", max_retries, low=0, high=100)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        self.timeout = float(timeout)
        self.max_response_bytes = check_int(
            "max_response_bytes", max_response_bytes, low=1, high=2**40
        )
        if not isinstance(api_version, str) or not api_version:
            raise TypeError("api_version must be a non-empty str such as '2026-03-01'")
        check_header_value("api_version", api_version)
        self.api_version = api_version
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"http_client must be an httpx.Client, got {type(http_client).__name__}"
            )
        if async_http_client is not None and not isinstance(async_http_client, httpx.AsyncClient):
            raise TypeError(
                "async_http_client must be an httpx.AsyncClient, "
                f"got {type(async_http_client).__name__}"
            )
        self._user_http = http_client
        self._user_async_http = async_http_client
        self.async_backend = _async_backend(async_backend, async_http_client)
        self._sleep: SyncSleep = sleep or time.sleep
        self._async_sleep = async_sleep
        self._policy = RetryPolicy(max_retries=max_retries)
        self._httpx_timeout = httpx.Timeout(self.timeout)
        self._headers: RedactedHeaders | None = None
        self._http: httpx.Client | None = None
        self._loop_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self._closed = False
        _live_clients.add(self)

    def __repr__(self) -> str:
        key = "set" if self._api_key else "missing"
        return (
            f"<chargeapi.Client base_url={self.base_url!r} api_version={self.api_version!r} "
            f"max_retries={self.max_retries} api_key={key}>"
        )

    # -- requests --------------------------------------------------------------------------

    def request(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """Send ``spec`` (with retries) and decode its JSON body with ``decode``.

        ``decode`` raises ``InvalidData`` for a body of the wrong shape; the caller then gets an
        InvalidResponseError carrying the status code and the Idempotency-Key.
        """
        headers = self._auth_headers()
        if self._user_http is None:  # the SDK's own client already carries the fixed headers
            headers = _NO_HEADERS
        call = run_call(prepare(spec, self.base_url, headers), self._policy, decode)
        return send_sync(
            call, self._sync_http(), self._sleep, self.timeout, self.max_response_bytes
        )

    async def request_async(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """``request`` for async code; runs on the current event loop."""
        headers = self._auth_headers()
        if self._user_async_http is None:
            headers = _NO_HEADERS
        call = run_call(prepare(spec, self.base_url, headers), self._policy, decode)
        import asyncio  # noqa: PLC0415 - async code has it loaded; sync users never pay for it

        http = await self._async_http()
        sleep = self._async_sleep or asyncio.sleep
        if isinstance(http, httpx.AsyncClient):
            return await send_async(call, http, sleep, self.timeout, self.max_response_bytes)
        from ._aiohttp import send_aiohttp  # noqa: PLC0415 - an optional extra

        return await send_aiohttp(call, http, sleep, self.timeout, self.max_response_bytes)

    def _auth_headers(self) -> RedactedHeaders:
        if self._headers is None:
            if self._api_key is None:
                raise ChargeAPIError(
                    "No API key: pass chargeapi.Client(api_key=...) or set the CHARGEAPI_API_KEY "
                    "environment variable (test keys start with 'ch_sk_test_')."
                )
            # Its repr hides the key: it sits in frames an error's traceback keeps.
            self._headers = RedactedHeaders(
                {
                    "Authorization": f"Bearer {self._api_key}",
                    "Charge-Version": self.api_version,
                    "User-Agent": _USER_AGENT,
                    "Accept": "application/json",
                    # Only what the SDK can inflate a bounded amount of (max_response_bytes).
                    "Accept-Encoding": "gzip, deflate",
                }
            )
        return self._headers

    # -- connections -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ChargeAPIError("This chargeapi.Client is closed; create a new one.")

    def _sync_http(self) -> httpx.Client:
        if self._closed:  # a closed Client stays closed, whoever owns the connections
            self._check_open()
        if self._user_http is not None:
            return self._user_http
        http = self._http
        if http is None:
            with self._lock:
                self._check_open()
                if self._http is None:
                    self._http = sync_http_client(self._httpx_timeout, self._auth_headers())
                http = self._http
        return http

    async def _async_http(self) -> httpx.AsyncClient | Session:
        self._check_open()  # a closed Client stays closed, on every loop and with your clients
        if self._user_async_http is not None:
            return self._user_async_http
        import asyncio  # noqa: PLC0415 - see request_async

        loop = asyncio.get_running_loop()
        entry = self._loop_clients.get(loop)
        if entry is None:
            http: httpx.AsyncClient | Session
            if self.async_backend == "aiohttp":
                from ._aiohttp import Session  # noqa: PLC0415 - an optional extra

                http = Session(self._auth_headers(), self.base_url)
            else:
                http = httpx.AsyncClient(timeout=self._httpx_timeout, headers=self._auth_headers())
            closer = _close_at_loop_shutdown(http, self._loop_clients, loop)
            entry = self._loop_clients[loop] = _LoopClient(http, closer)
            # Its first step registers it with this loop and parks it at ``yield`` at once.
            await anext(closer)
            _close_before_loop_closes(loop, self._loop_clients)
        return entry.http  # type: ignore[return-value]

    def _drop_pools_after_fork(self) -> None:
        # Runs in the forked child only, single-threaded; the lock may be held by a parent
        # thread that does not exist here, so it is replaced, not taken.
        self._lock = threading.Lock()
        if self._http is not None:
            _inherited.append(self._http)
            self._http = None
        for entry in list(self._loop_clients.values()):
            _inherited.append(entry)
        self._loop_clients = weakref.WeakKeyDictionary()

    def close(self) -> None:
        """Close the SDK-owned sync connections (clients you passed in stay open).

        After ``close()`` every call, sync or async, raises ChargeAPIError.
        """
        with self._lock:
            self._closed = True
            http, self._http = self._http, None
        if http is not None:
            http.close()

    async def aclose(self) -> None:
        """Close the SDK-owned connections of this event loop, and the sync ones."""
        self.close()
        try:
            import asyncio  # noqa: PLC0415 - see request_async

            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - aclose is always awaited in a loop
            return
        entry = self._loop_clients.pop(loop, None)
        if entry is not None:
            await entry.closer.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


_default: tuple[tuple[str | None, str | None], Client] | None = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The process-wide Client built from the environment, used when ``client=`` is omitted.

    Rebuilt when ``CHARGEAPI_API_KEY`` or ``CHARGEAPI_BASE_URL`` change, so configuration set
    after import (or by a test) takes effect.
    """
    global _default  # noqa: PLW0603 - one process-wide default, swapped under a lock
    env = (os.environ.get("CHARGEAPI_API_KEY"), os.environ.get("CHARGEAPI_BASE_URL"))
    current = _default
    if current is not None and current[0] == env:
        return current[1]
    replaced = None
    with _default_lock:
        if _default is None or _default[0] != env:
            replaced = _default
            _default = (env, Client())
        client = _default[1]
    if replaced is not None:
        # Its sync pool is closed now; calls still running on it fail as "closed".
        replaced[1].close()
    return client


@atexit.register
def _close_default_client() -> None:
    """Close the default client's sync pool at exit, so no socket is left to warn about."""
    current = _default
    if current is not None:
        current[1].close()
