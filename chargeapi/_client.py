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
from ._exceptions import ChargeAPIError, InvalidParameterError
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
from ._validate import check_header_value, check_int, shown
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


def _base_url(value: str, allow_insecure_http: bool = False) -> str:
    """Origin (plus optional path prefix) without a trailing ``/`` or ``/v1``.

    Paths are sent as ``/v1/...``, so ``https://api.chargeapi.co/v1`` is accepted too. Plain
    ``http://`` is refused except on loopback (the simulator), or anywhere with
    ``allow_insecure_http`` (a simulator in another container): the API key travels in clear.
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
    expected = (
        "base_url must be an absolute URL starting with https:// "
        "(or http:// for localhost, e.g. http://127.0.0.1:12111 for the simulator)"
    )
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"{expected}, got {value!r}") from None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValueError(f"{expected}, got {value!r}")
    if not allow_insecure_http and _insecure(value):
        raise InvalidParameterError(
            f"base_url {value!r} uses plain http: the API key would be sent unencrypted. "
            "Use https://. Plain http:// is allowed for localhost (the simulator), and for any "
            "host with allow_insecure_http=True or CHARGEAPI_ALLOW_INSECURE_HTTP=1, with a test "
            "key only (a simulator in another container).",
            param="base_url",
        )
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment, got {value!r}")
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    return f"{origin(value.strip())}{path}"


def _insecure(base_url: str) -> bool:
    """Plain http to a host that is not loopback: the key would cross a network in clear."""
    parts = urlsplit(base_url.strip())
    return parts.scheme.lower() == "http" and not _is_loopback(parts.hostname or "")


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _allow_insecure_http(value: object) -> bool:
    """``allow_insecure_http``, else ``CHARGEAPI_ALLOW_INSECURE_HTTP`` (1/0, true/false)."""
    if value is None:
        text = os.environ.get("CHARGEAPI_ALLOW_INSECURE_HTTP", "").strip().lower()
        if text not in _TRUE + _FALSE:
            raise InvalidParameterError(
                "CHARGEAPI_ALLOW_INSECURE_HTTP must be 1 or 0 (or true / false), got "
                f"{os.environ['CHARGEAPI_ALLOW_INSECURE_HTTP'][:20]!r}",
                param="allow_insecure_http",
            )
        return text in _TRUE
    if not isinstance(value, bool):
        raise InvalidParameterError(
            f"allow_insecure_http must be a bool, got {type(value).__name__}",
            param="allow_insecure_http",
        )
    return value


def _check_key_scheme(api_key: str | None, base_url: str) -> None:
    """A live key never crosses a network over plain http, whatever allow_insecure_http says.

    Checked when the Client is made, so nothing is ever sent; the key is not quoted."""
    if api_key is not None and api_key.startswith("ch_sk_live_") and _insecure(base_url):
        raise InvalidParameterError(
            f"A live key (ch_sk_live_...) is never sent over plain http: base_url {base_url!r} "
            "is not https, and allow_insecure_http permits test keys (ch_sk_test_...) only. Use "
            "https://, or a test key for a simulator.",
            param="api_key",
        )


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
        object.__setattr__(loop, "close", close)  # the checkers refuse assigning a method


_live_pools: weakref.WeakSet[_Pools] = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    """In a forked child: drop, never close, the pools inherited from the parent.

    Closing would be wrong too (TLS shutdown, or the pool's bookkeeping, on sockets the parent
    still uses). The dropped objects are kept so their sockets are never garbage-collected
    (which would warn) while the child lives.
    """
    for pools in list(_live_pools):
        pools.drop_after_fork()


def _check_user_client_open(http: httpx.Client | httpx.AsyncClient, param: str) -> None:
    """A client you passed in and closed yourself: say so, instead of httpx's RuntimeError."""
    if http.is_closed:
        raise ChargeAPIError(
            f"The {param} passed to chargeapi.Client is closed; pass an open one (the SDK "
            "never closes clients you pass in, so it is closed by your code)."
        )


class _Pools:
    """The connections behind one Client and every Client ``with_options`` derives from it.

    The sync ``httpx.Client`` is made on first use; async ones are made per event loop. Clients
    passed in by the user sit here too, are shared the same way, and are never closed by us.
    Only the Client that made the pools closes them.
    """

    def __init__(
        self,
        http_client: httpx.Client | None,
        async_http_client: httpx.AsyncClient | None,
        async_backend: Literal["httpx", "aiohttp"],
        base_url: str,
    ) -> None:
        self.user_http = http_client
        self.user_async_http = async_http_client
        self.async_backend = async_backend
        self.base_url = base_url  # the owner's: aiohttp looks its proxy up once, for it
        # The owner's headers (key, version ...), set once on the SDK-made clients; a Client
        # whose headers are these sends none per request. None: the owner has no key.
        self.fixed: RedactedHeaders | None = None
        self.http: httpx.Client | None = None
        self.loop_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient] = (
            weakref.WeakKeyDictionary()
        )
        self.lock = threading.Lock()
        self.closed = False
        _live_pools.add(self)

    def check_open(self) -> None:
        if self.closed:
            raise ChargeAPIError("This chargeapi.Client is closed; create a new one.")

    def sync_http(self, timeout: httpx.Timeout) -> httpx.Client:
        if self.user_http is not None:
            self.check_open()  # closed by the Client that made them: for derived ones too
            _check_user_client_open(self.user_http, "http_client")
            return self.user_http
        http = self.http
        if http is None:
            with self.lock:
                self.check_open()
                if self.http is None:
                    self.http = sync_http_client(timeout, self.fixed or _NO_HEADERS)
                http = self.http
        return http

    async def async_http(self, timeouts: httpx.Timeout) -> httpx.AsyncClient | Session:
        self.check_open()  # a closed Client stays closed, on every loop
        if self.user_async_http is not None:
            _check_user_client_open(self.user_async_http, "async_http_client")
            return self.user_async_http
        import asyncio  # noqa: PLC0415 - see Client.request_async

        loop = asyncio.get_running_loop()
        entry = self.loop_clients.get(loop)
        if entry is None:
            http: httpx.AsyncClient | Session
            fixed = self.fixed or _NO_HEADERS
            if self.async_backend == "aiohttp":
                from ._aiohttp import Session  # noqa: PLC0415 - an optional extra

                http = Session(fixed, self.base_url)
            else:
                http = httpx.AsyncClient(timeout=timeouts, headers=fixed)
            closer = _close_at_loop_shutdown(http, self.loop_clients, loop)
            entry = self.loop_clients[loop] = _LoopClient(http, closer)
            # Its first step registers it with this loop and parks it at ``yield`` at once.
            await anext(closer)
            _close_before_loop_closes(loop, self.loop_clients)
        return entry.http  # type: ignore[return-value]

    def drop_after_fork(self) -> None:
        # Runs in the forked child only, single-threaded; the lock may be held by a parent
        # thread that does not exist here, so it is replaced, not taken.
        self.lock = threading.Lock()
        if self.http is not None:
            _inherited.append(self.http)
            self.http = None
        _inherited.extend(self.loop_clients.values())
        self.loop_clients = weakref.WeakKeyDictionary()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            http, self.http = self.http, None
        if http is not None:
            http.close()

    async def aclose(self) -> None:
        self.close()
        import asyncio  # noqa: PLC0415 - see Client.request_async

        entry = self.loop_clients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry.closer.aclose()


_inherited: list[object] = []  # pools a forked child inherited: kept, never used again
os.register_at_fork(after_in_child=_forget_pools_after_fork)

#: Configuration a Client shows but never changes; ``with_options`` makes a changed copy.
_READ_ONLY = frozenset(
    {"allow_insecure_http", "api_version", "base_url", "max_retries", "strict_responses", "timeout"}
)


class Client:
    """Configuration and connections for talking to ChargeAPI.

    ``api_key`` falls back to ``CHARGEAPI_API_KEY`` and ``base_url`` to ``CHARGEAPI_BASE_URL``,
    then ``https://api.chargeapi.co``. ``max_retries`` bounds the extra attempts of one call;
    ``timeout`` (seconds) is the deadline of each attempt (connect, send and the whole answer),
    also on clients you pass in. ``max_response_bytes`` (default 32 MiB, after decompression)
    caps an answer; a larger one raises ResponseTooLargeError. ``async_backend="aiohttp"``
    sends async calls with aiohttp (``pip install 'chargeapi[aiohttp]'``), several times
    httpx's throughput under high concurrency. ``allow_insecure_http=True`` (default:
    ``CHARGEAPI_ALLOW_INSECURE_HTTP``) permits a plain ``http://`` base URL on any host, for
    test keys only: a simulator in another container. ``strict_responses=True`` makes a 2xx
    answer that does not match the documented shape (a field missing, null or of another JSON
    type) raise InvalidResponseError naming each path; by default it decodes anyway, keeping
    what the server sent, and logs one warning per model field. ``sleep`` and ``async_sleep``
    replace ``time.sleep`` / ``asyncio.sleep`` between retries (tests). Redirects are never
    followed. The API key is never shown in ``repr`` and never put in errors or logs.

    The configuration is read-only: ``with_options(...)`` gives a Client with other settings
    that shares this one's connections (per-call options).
    """

    _api_key: str | None
    _base_url: str
    _allow_insecure_http: bool
    _max_retries: int
    _timeout: float
    _api_version: str
    _strict_responses: bool
    _policy: RetryPolicy
    _httpx_timeout: httpx.Timeout
    _headers: RedactedHeaders | None
    max_response_bytes: int

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
        allow_insecure_http: bool | None = None,
        strict_responses: bool = False,
    ) -> None:
        self._configure(
            _api_key(api_key),
            base_url or os.environ.get("CHARGEAPI_BASE_URL") or DEFAULT_BASE_URL,
            max_retries,
            timeout,
            api_version,
            allow_insecure_http=_allow_insecure_http(allow_insecure_http),
            strict_responses=strict_responses,
        )
        self.max_response_bytes = check_int(
            "max_response_bytes", max_response_bytes, low=1, high=2**40
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"http_client must be an httpx.Client, got {type(http_client).__name__}"
            )
        if async_http_client is not None and not isinstance(async_http_client, httpx.AsyncClient):
            raise TypeError(
                "async_http_client must be an httpx.AsyncClient, "
                f"got {type(async_http_client).__name__}"
            )
        self.async_backend = _async_backend(async_backend, async_http_client)
        self._sleep: SyncSleep = sleep or time.sleep
        self._async_sleep = async_sleep
        self._pools = _Pools(http_client, async_http_client, self.async_backend, self._base_url)
        if self._api_key is not None:
            self._pools.fixed = self._auth_headers()
        self._owns_pools = True
        self._closed = False

    def _configure(
        self,
        api_key: str | None,
        base_url: str,
        max_retries: int,
        timeout: float,
        api_version: str,
        *,
        allow_insecure_http: bool,
        strict_responses: bool,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_api_key", api_key)
        set_(self, "_allow_insecure_http", allow_insecure_http)
        set_(self, "_base_url", _base_url(base_url, allow_insecure_http))
        _check_key_scheme(api_key, self._base_url)
        set_(self, "_max_retries", check_int("max_retries", max_retries, low=0, high=100))
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        set_(self, "_timeout", float(timeout))
        if not isinstance(api_version, str) or not api_version:
            raise TypeError("api_version must be a non-empty str such as '2026-03-01'")
        check_header_value("api_version", api_version)
        set_(self, "_api_version", api_version)
        if not isinstance(strict_responses, bool):
            raise InvalidParameterError(
                f"strict_responses must be True or False, got {shown(strict_responses)}",
                param="strict_responses",
            )
        set_(self, "_strict_responses", strict_responses)
        set_(self, "_policy", RetryPolicy(max_retries=self._max_retries))
        set_(self, "_httpx_timeout", httpx.Timeout(self._timeout))
        set_(self, "_headers", None)

    @property
    def base_url(self) -> str:
        """Where requests go: origin plus optional path prefix, without ``/v1``."""
        return self._base_url

    @property
    def allow_insecure_http(self) -> bool:
        """Whether a plain ``http://`` base URL is allowed on any host (test keys only)."""
        return self._allow_insecure_http

    @property
    def max_retries(self) -> int:
        """Extra attempts one call may make after a retryable failure."""
        return self._max_retries

    @property
    def timeout(self) -> float:
        """Seconds each attempt may take, from connecting to the whole answer."""
        return self._timeout

    @property
    def api_version(self) -> str:
        """The ``Charge-Version`` sent on every request."""
        return self._api_version

    @property
    def strict_responses(self) -> bool:
        """Whether an answer off the documented shape raises (True) or decodes with a warning."""
        return self._strict_responses

    def __setattr__(self, name: str, value: object) -> None:
        if name in _READ_ONLY:
            # A plain "can't set attribute" would not say what to do instead.
            raise AttributeError(
                f"Client.{name} is read-only: use client.with_options({name}=...) for a client "
                f"with another {name} that shares this one's connections",
                name=name,
                obj=self,
            )
        object.__setattr__(self, name, value)

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        max_retries: int | None = None,
        timeout: float | None = None,
        allow_insecure_http: bool | None = None,
        strict_responses: bool | None = None,
    ) -> Client:
        """A Client with these settings changed, sharing this Client's connection pools.

        Cheap (no new sockets), so it suits per-call options:
        ``Driver.retrieve(id, client=client.with_options(timeout=5, max_retries=0))``.
        Closing the derived Client leaves the shared pools open; closing this one closes them.
        """
        derived = object.__new__(Client)
        derived._configure(
            self._api_key if api_key is None else _api_key(api_key),
            self._base_url if base_url is None else base_url,
            self._max_retries if max_retries is None else max_retries,
            self._timeout if timeout is None else timeout,
            self._api_version if api_version is None else api_version,
            allow_insecure_http=self._allow_insecure_http
            if allow_insecure_http is None
            else _allow_insecure_http(allow_insecure_http),
            strict_responses=(
                self._strict_responses if strict_responses is None else strict_responses
            ),
        )
        if derived._api_key == self._api_key and derived._api_version == self._api_version:
            # The same headers as the pools' own: sent with no per-request copy (see request).
            object.__setattr__(derived, "_headers", self._headers)
        derived.max_response_bytes = self.max_response_bytes
        derived.async_backend = self.async_backend
        derived._sleep = self._sleep
        derived._async_sleep = self._async_sleep
        derived._pools = self._pools
        derived._owns_pools = False
        derived._closed = False
        return derived

    def __repr__(self) -> str:
        key = "set" if self._api_key else "missing"
        return (
            f"<chargeapi.Client base_url={self._base_url!r} api_version={self._api_version!r} "
            f"max_retries={self._max_retries} timeout={self._timeout:g} api_key={key}>"
        )

    # -- requests --------------------------------------------------------------------------

    def request(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """Send ``spec`` (with retries) and decode its JSON body with ``decode``.

        ``decode`` raises ``InvalidData`` for a body of the wrong shape; the caller then gets an
        InvalidResponseError carrying the status code and the Idempotency-Key.
        """
        headers = self._auth_headers()
        if headers is self._pools.fixed and self._pools.user_http is None:
            headers = _NO_HEADERS  # the SDK's own client already carries these fixed headers
        call = run_call(prepare(spec, self._base_url, headers), self._policy, decode, self._timeout)
        return send_sync(
            call, self._sync_http(), self._sleep, self._timeout, self.max_response_bytes
        )

    async def request_async(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """``request`` for async code; runs on the current event loop."""
        headers = self._auth_headers()
        if headers is self._pools.fixed and self._pools.user_async_http is None:
            headers = _NO_HEADERS
        call = run_call(prepare(spec, self._base_url, headers), self._policy, decode, self._timeout)
        import asyncio  # noqa: PLC0415 - async code has it loaded; sync users never pay for it

        http = await self._async_http()
        sleep = self._async_sleep or asyncio.sleep
        if isinstance(http, httpx.AsyncClient):
            return await send_async(call, http, sleep, self._timeout, self.max_response_bytes)
        from ._aiohttp import send_aiohttp  # noqa: PLC0415 - an optional extra

        return await send_aiohttp(call, http, sleep, self._timeout, self.max_response_bytes)

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
                    "Charge-Version": self._api_version,
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
        self._check_open()  # a closed Client stays closed, whoever owns the connections
        return self._pools.sync_http(self._httpx_timeout)

    async def _async_http(self) -> httpx.AsyncClient | Session:
        self._check_open()  # a closed Client stays closed, on every loop and with your clients
        return await self._pools.async_http(self._httpx_timeout)

    def close(self) -> None:
        """Close the SDK-owned sync connections (clients you passed in stay open).

        After ``close()`` every call, sync or async, raises ChargeAPIError. A Client made by
        ``with_options`` only stops itself: the connections it shares stay open.
        """
        self._closed = True
        if self._owns_pools:
            self._pools.close()

    async def aclose(self) -> None:
        """Close the SDK-owned connections of this event loop, and the sync ones."""
        self._closed = True
        if self._owns_pools:
            await self._pools.aclose()

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


_default: tuple[tuple[str | None, ...], Client] | None = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The process-wide Client built from the environment, used when ``client=`` is omitted.

    Rebuilt when ``CHARGEAPI_API_KEY``, ``CHARGEAPI_BASE_URL`` or
    ``CHARGEAPI_ALLOW_INSECURE_HTTP`` change, so configuration set after import (or by a test)
    takes effect.
    """
    global _default  # noqa: PLW0603 - one process-wide default, swapped under a lock
    env = (
        os.environ.get("CHARGEAPI_API_KEY"),
        os.environ.get("CHARGEAPI_BASE_URL"),
        os.environ.get("CHARGEAPI_ALLOW_INSECURE_HTTP"),
    )
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
