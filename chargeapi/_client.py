"""Client: configuration plus the httpx clients that carry requests, sync and async.

One Client serves both worlds. The sync ``httpx.Client`` is made on first use. An
``httpx.AsyncClient`` cannot outlive its event loop, so the Client keeps one per running loop
and closes it when that loop shuts down (``asyncio.run`` closes async generators on its way out,
and a parked one closes our client there), never in ``__del__``. Clients you pass in are used
as they are, on every loop, and never closed by the SDK: you own them.

After ``os.fork()`` the child drops (never closes: the parent still uses them) the pools it
inherited, so parent and child never share a keep-alive socket and read each other's answers.
Clients you passed in cannot be replaced that way: a Client holding one refuses to send from a
forked child.

Configuration errors are raised from frames that hold no API key (the key, or a key given as
``base_url`` by mistake, never shows in a traceback's locals or in a message).
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import os
import platform
import re
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, Self, TypeVar, cast
from urllib.parse import unquote, urlsplit

import httpx

from ._budget import CircuitBreaker, RetryBudget
from ._call import Call, Rules, attempts, run_call
from ._exceptions import ChargeAPIError, InvalidParameterError, redact
from ._extras import QueryValue, check_body, check_headers, check_query
from ._middleware import Chain, MiddlewareLike
from ._request import (
    RETRY_COUNT_HEADER,
    RedactedHeaders,
    RequestSpec,
    checked_idempotency_key,
    origin,
    prepare,
    with_headers,
)
from ._response import JSONObject, json_object
from ._retry import RetryPolicy
from ._transport import (
    DEFAULT_MAX_RESPONSE_BYTES,
    AsyncSleep,
    SyncSleep,
    send_async,
    send_sync,
    sync_http_client,
)
from ._validate import check_header_value, check_int, detached, shown
from ._version import __version__

if TYPE_CHECKING:
    import asyncio

    from ._aiohttp import Session
    from ._operations import Plan

__all__ = ["API_VERSION", "DEFAULT_BASE_URL", "Client", "default_client"]

T = TypeVar("T")

#: The API version the models describe; sent as ``Charge-Version`` on every request.
API_VERSION = "2026-03-01"
DEFAULT_BASE_URL = "https://api.chargeapi.co"
DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = 60.0
_USER_AGENT = (
    f"chargeapi-python/{__version__} "
    f"(python {'.'.join(platform.python_version_tuple()[:2])}; httpx {httpx.__version__})"
)
_HTTPX_USER_AGENT = f"python-httpx/{httpx.__version__}"  # what an httpx.Client sends unless told

#: ``(name, version, url)`` of the application using the SDK, added to the User-Agent; the
#: version and the URL may be left out.
AppInfo = tuple[str] | tuple[str, str] | tuple[str, str, str]
_PRODUCT = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", re.ASCII)  # an HTTP token
_COMMENT = re.compile(r"[\x21-\x27\x2a-\x7e]+", re.ASCII)  # visible ASCII but ( and )


def _app_info(value: object) -> str:
    """``app_info`` as the User-Agent product it adds: ``MyApp/1.2.0 (https://example.com)``."""
    parts = cast("tuple[object, ...]", (value,) if isinstance(value, str) else value)
    if not isinstance(parts, tuple) or not 1 <= len(parts) <= 3:
        raise InvalidParameterError(
            "app_info must be a tuple (name, version, url); version and url may be left out, "
            f"got {type(value).__name__}",
            param="app_info",
        )
    for part, rule in zip(parts, (_PRODUCT, _PRODUCT, _COMMENT), strict=False):
        if not isinstance(part, str) or not rule.fullmatch(part):
            raise InvalidParameterError(
                "app_info must be (name, version, url): a name and version without spaces, "
                "slashes or parentheses, and a URL without spaces or parentheses, "
                f"got {shown(part)}",
                param="app_info",
            )
    name, *rest = cast("tuple[str, ...]", parts)
    product = f"{name}/{rest[0]}" if rest else name
    return f"{product} ({rest[1]})" if len(rest) == 2 else product


# What never belongs in a base URL: whitespace and control characters (urlsplit drops some
# silently, httpx refuses others only when sending).
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def _base_url(value: object, allow_insecure_http: bool = False) -> str:
    """Origin (plus optional path prefix) without a trailing ``/`` or ``/v1``.

    Paths are sent as ``/v1/...``, so ``https://api.chargeapi.co/v1`` is accepted too. Plain
    ``http://`` is refused except on loopback (the simulator), or anywhere with
    ``allow_insecure_http`` (a simulator in another container): the API key travels in clear.
    """
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"base_url must be a str, got {type(value).__name__}", param="base_url"
        )
    if "ch_sk_" in value or "whsec_" in value:
        raise InvalidParameterError(
            "base_url holds what looks like a secret key (ch_sk_... or whsec_...): were api_key "
            "and base_url swapped? base_url is a URL such as https://api.chargeapi.co",
            param="base_url",
        )
    if "@" in value.split("?", 1)[0].split("#", 1)[0]:
        # httpx would send it as Basic auth instead of our Bearer key, and repr would show it.
        # Checked first: later messages quote the URL, and it must not quote a password.
        raise InvalidParameterError(
            "base_url must not contain a user name or password (user:pw@host); "
            "the API key is the only credential",
            param="base_url",
        )
    value = value.strip()
    got = redact(repr(value[:200]))
    if _UNSAFE_IN_URL.search(value):
        raise InvalidParameterError(
            f"base_url must not contain whitespace or control characters, got {got}",
            param="base_url",
        )
    expected = (
        "base_url must be an absolute URL starting with https:// "
        "(or http:// for localhost, e.g. http://127.0.0.1:12111 for the simulator)"
    )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InvalidParameterError(f"{expected}, got {got}", param="base_url") from None
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise InvalidParameterError(f"{expected}, got {got}", param="base_url")
    if not allow_insecure_http and _insecure(value):
        raise InvalidParameterError(
            f"base_url {got} uses plain http: the API key would be sent unencrypted. "
            "Use https://. Plain http:// is allowed for localhost (the simulator), and for any "
            "host with allow_insecure_http=True or CHARGEAPI_ALLOW_INSECURE_HTTP=1, with a test "
            "key only (a simulator in another container).",
            param="base_url",
        )
    if parts.query or parts.fragment:
        raise InvalidParameterError(
            f"base_url must not have a query or fragment, got {got}", param="base_url"
        )
    path = parts.path.rstrip("/")
    path = path.removesuffix("/v1")
    normalised = f"{origin(value)}{path}"
    try:  # a host name httpx cannot encode (not valid IDNA) would fail only when sending
        httpx.URL(normalised).host  # noqa: B018 - decoding the host is the check
    except (httpx.InvalidURL, UnicodeError, ValueError):
        raise InvalidParameterError(
            f"base_url has a host name that is not a valid (IDNA) domain name, got {got}",
            param="base_url",
        ) from None
    return normalised


def _insecure(base_url: str) -> bool:
    """Plain http to a host that is not loopback: the key would cross a network in clear."""
    parts = urlsplit(base_url.strip())
    return parts.scheme.lower() == "http" and not _is_loopback(parts.hostname or "")


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _strict_responses(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidParameterError(
            f"strict_responses must be True or False, got {shown(value)}",
            param="strict_responses",
        )
    return value


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


async def _asyncio_sleep(seconds: float) -> None:
    """``asyncio.sleep``, imported only when an async call waits (sync users never load it)."""
    import asyncio  # noqa: PLC0415 - async code has it loaded; sync users never pay for it

    await asyncio.sleep(seconds)


def _async_backend(value: object, async_http_client: object) -> Literal["httpx", "aiohttp"]:
    if value == "httpx":
        return "httpx"
    if value != "aiohttp":
        raise InvalidParameterError(
            f"async_backend must be 'httpx' or 'aiohttp', got {value!r}", param="async_backend"
        )
    if async_http_client is not None:
        raise InvalidParameterError(
            "async_http_client is an httpx client: leave it out with async_backend='aiohttp'",
            param="async_http_client",
        )
    import importlib.util  # noqa: PLC0415 - only this option needs it

    if importlib.util.find_spec("aiohttp") is None:
        raise ImportError(
            "async_backend='aiohttp' needs aiohttp, which is not installed: "
            "pip install 'chargeapi[aiohttp]'"
        )
    return "aiohttp"


def _max_retries(value: object) -> int:
    return check_int("max_retries", value, low=0, high=100)


_MAX_TIMEOUT = 86_400.0  # seconds: an attempt longer than a day is a mistake (inf overflows)


def _timeout(value: object, param: str = "timeout") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameterError(
            f"{param} must be a number of seconds, got {type(value).__name__}", param=param
        )
    if not 0 < value <= _MAX_TIMEOUT:  # NaN and infinity fail this too
        got = repr(value) if isinstance(value, float) or abs(value) < 10**30 else "a larger int"
        raise InvalidParameterError(
            f"{param} must be a number of seconds above 0 and at most {_MAX_TIMEOUT:g} "
            f"(a day), got {got}",
            param=param,
        )
    return float(value)


def _deadline(value: object) -> float | None:
    return None if value is None else _timeout(value, "deadline")


def _retry_budget(value: object, current: RetryBudget | None = None) -> RetryBudget | None:
    """``retry_budget``: True (the Client's own bucket, or ``current`` when it has one), False
    (none), or a RetryBudget to use (and share)."""
    if isinstance(value, RetryBudget):
        return value
    if value is True:
        return current or RetryBudget()
    if value is False:
        return None
    raise InvalidParameterError(
        f"retry_budget must be True, False or a chargeapi.RetryBudget, got {shown(value)}",
        param="retry_budget",
    )


def _circuit_breaker(value: object, current: CircuitBreaker | None = None) -> CircuitBreaker | None:
    """``circuit_breaker``: True (the defaults, or ``current`` when there is one), False (none),
    or a CircuitBreaker to use (and share)."""
    if isinstance(value, CircuitBreaker):
        return value
    if value is True:
        return current or CircuitBreaker()
    if value is False or value is None:
        return None
    raise InvalidParameterError(
        f"circuit_breaker must be True, False or a chargeapi.CircuitBreaker, got {shown(value)}",
        param="circuit_breaker",
    )


def _api_version(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidParameterError(
            "api_version must be a non-empty str such as '2026-03-01'", param="api_version"
        )
    check_header_value("api_version", value)
    return value


def _api_key(value: object) -> str | None:
    if value is None:
        value = os.environ.get("CHARGEAPI_API_KEY") or None
        if value is None:
            return None
    if not isinstance(value, str):
        raise InvalidParameterError(
            f"api_key must be a str, got {type(value).__name__}", param="api_key"
        )
    value = value.strip()
    if not value:
        raise InvalidParameterError(
            "api_key is empty; pass your secret key or set CHARGEAPI_API_KEY", param="api_key"
        )
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


def _forked(param: str) -> ChargeAPIError:
    return ChargeAPIError(
        f"This chargeapi.Client was made with your own {param} before os.fork(): in this "
        "child process its connections are the parent's, and the two would read each other's "
        "answers, so nothing was sent. Make the Client (and your httpx client) in each process "
        "after it starts (gunicorn's post_fork hook, Celery's worker_process_init signal), or "
        f"leave {param} out: the SDK's own connections are replaced in a forked child."
    )


def _made(make: Callable[[], T]) -> T:
    """An SDK-owned HTTP client, or a ChargeAPIError saying what to install: httpx needs an
    extra package for a SOCKS proxy configured in the environment (ALL_PROXY=socks5://...)."""
    try:
        return make()
    except ImportError as error:
        extra = " pip install 'chargeapi[socks]'." if "socks" in str(error).lower() else ""
        raise ChargeAPIError(
            f"chargeapi could not set up its HTTP connections: {redact(str(error))}{extra}"
        ) from None


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
        self.forked = False  # set in a forked child: clients passed in are the parent's
        _live_pools.add(self)

    def check_open(self) -> None:
        if self.closed:
            raise ChargeAPIError("This chargeapi.Client is closed; create a new one.")

    def sync_http(self, timeout: httpx.Timeout) -> httpx.Client:
        if self.user_http is not None:
            self.check_open()  # closed by the Client that made them: for derived ones too
            _check_user_client_open(self.user_http, "http_client")
            if self.forked:
                raise _forked("http_client")
            return self.user_http
        http = self.http
        if http is None:
            with self.lock:
                self.check_open()
                if self.http is None:
                    fixed = self.fixed or _NO_HEADERS
                    self.http = _made(lambda: sync_http_client(timeout, fixed))
                http = self.http
        return http

    def loop_http(self) -> httpx.AsyncClient | Session | None:
        """The async client for the running event loop when nothing needs awaiting to get it:
        yours, or the SDK's own once made (None: ``async_http`` makes it)."""
        self.check_open()  # a closed Client stays closed, on every loop
        if self.user_async_http is not None:
            _check_user_client_open(self.user_async_http, "async_http_client")
            if self.forked:
                raise _forked("async_http_client")
            return self.user_async_http
        import asyncio  # noqa: PLC0415 - see Client.request_async

        entry = self.loop_clients.get(asyncio.get_running_loop())
        return None if entry is None else entry.http  # type: ignore[return-value]

    async def async_http(self, timeouts: httpx.Timeout) -> httpx.AsyncClient | Session:
        made = self.loop_http()
        if made is not None:
            return made
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
                http = _made(lambda: httpx.AsyncClient(timeout=timeouts, headers=fixed))
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
        self.forked = True
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

# What a bad setting raises (InvalidParameterError is both a ValueError and a ChargeAPIError).
_CONFIG_ERRORS = (ValueError, TypeError, ImportError, ChargeAPIError)

#: Configuration a Client shows but never changes; ``with_options`` makes a changed copy.
_READ_ONLY = frozenset(
    {
        "allow_insecure_http",
        "api_version",
        "app_info",
        "base_url",
        "circuit_breaker",
        "deadline",
        "default_headers",
        "max_retries",
        "middleware",
        "retry_budget",
        "strict_responses",
        "timeout",
    }
)


class Client:
    """Configuration and connections for talking to ChargeAPI.

    ``api_key`` falls back to ``CHARGEAPI_API_KEY`` and ``base_url`` to ``CHARGEAPI_BASE_URL``,
    then ``https://api.chargeapi.co``. ``max_retries`` bounds the extra attempts of one call;
    ``timeout`` (seconds) is the deadline of each attempt (connect, send and the whole answer),
    also on clients you pass in. ``max_response_bytes`` (default 32 MiB, after decompression)
    caps an answer; a larger one raises ResponseTooLargeError. ``default_headers`` go with every
    request (never ``Authorization`` or ``Idempotency-Key``); ``app_info=(name, version, url)``
    is added to the User-Agent, and a User-Agent set on an ``http_client`` you pass in is sent
    instead of the SDK's. ``async_backend="aiohttp"``
    sends async calls with aiohttp (``pip install 'chargeapi[aiohttp]'``), several times
    httpx's throughput under high concurrency. ``allow_insecure_http=True`` (default:
    ``CHARGEAPI_ALLOW_INSECURE_HTTP``) permits a plain ``http://`` base URL on any host, for
    test keys only: a simulator in another container. ``strict_responses=True`` makes a 2xx
    answer that does not match the documented shape (a field missing, null or of another JSON
    type) raise InvalidResponseError naming each path; by default it decodes anyway, keeping
    what the server sent, and logs one warning per model field. ``sleep`` and ``async_sleep``
    replace ``time.sleep`` / ``asyncio.sleep`` between retries (tests). Redirects are never
    followed. The API key is never shown in ``repr`` and never put in errors or logs.

    ``middleware`` runs your code around every attempt (``chargeapi.Middleware``);
    ``deadline`` (seconds, default none) bounds a whole call, its retries and waits included:
    each attempt gets at most the time left, and it raises APITimeoutError when it is up.
    ``retry_budget`` (on by default: a ``chargeapi.RetryBudget`` shared by this Client and its
    ``with_options`` copies; ``False`` turns it off) stops retrying while calls keep failing;
    ``circuit_breaker=True`` (or a ``chargeapi.CircuitBreaker``) fails calls fast while the
    API is unreachable.

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
    _deadline: float | None
    _middleware: tuple[MiddlewareLike, ...]
    _retry_budget: RetryBudget | None
    _circuit_breaker: CircuitBreaker | None
    _rules: Rules
    _httpx_timeout: httpx.Timeout
    _headers: RedactedHeaders | None
    _headers_without_agent: RedactedHeaders | None
    _default_headers: tuple[tuple[str, str], ...]
    _app_info: AppInfo | None
    _user_agent: str
    max_response_bytes: int
    async_backend: Literal["httpx", "aiohttp"]

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        api_version: str = API_VERSION,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        sleep: SyncSleep | None = None,
        async_sleep: AsyncSleep | None = None,
        async_backend: Literal["httpx", "aiohttp"] = "httpx",
        default_headers: Mapping[str, str] | None = None,
        app_info: AppInfo | None = None,
        allow_insecure_http: bool | None = None,
        middleware: Sequence[MiddlewareLike] | None = None,
        deadline: float | None = None,
        retry_budget: RetryBudget | bool = True,
        circuit_breaker: CircuitBreaker | bool = False,
        strict_responses: bool = False,
    ) -> None:
        failure: BaseException | None = None
        try:
            self._configure(
                _api_key(api_key),
                base_url or os.environ.get("CHARGEAPI_BASE_URL") or DEFAULT_BASE_URL,
                max_retries,
                timeout,
                api_version,
                allow_insecure_http=_allow_insecure_http(allow_insecure_http),
                default_headers=check_headers("default_headers", default_headers or {}),
                app_info=app_info,
                middleware=middleware,
                deadline=_deadline(deadline),
                retry_budget=_retry_budget(retry_budget),
                circuit_breaker=_circuit_breaker(circuit_breaker),
                strict_responses=strict_responses,
            )
            self.max_response_bytes = _max_response_bytes(max_response_bytes)
            if http_client is not None and not isinstance(http_client, httpx.Client):
                raise InvalidParameterError(
                    f"http_client must be an httpx.Client, got {type(http_client).__name__}",
                    param="http_client",
                )
            if async_http_client is not None and not isinstance(
                async_http_client, httpx.AsyncClient
            ):
                raise InvalidParameterError(
                    "async_http_client must be an httpx.AsyncClient, "
                    f"got {type(async_http_client).__name__}",
                    param="async_http_client",
                )
            self.async_backend = _async_backend(async_backend, async_http_client)
        except _CONFIG_ERRORS as error:
            failure = error
        if failure is not None:
            del api_key, base_url  # the key (or a key given as base_url) stays out of tracebacks
            raise detached(failure)
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
        default_headers: tuple[tuple[str, str], ...],
        app_info: AppInfo | None,
        middleware: Sequence[MiddlewareLike] | None,
        deadline: float | None,
        retry_budget: RetryBudget | None,
        circuit_breaker: CircuitBreaker | None,
        strict_responses: bool,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_api_key", api_key)
        set_(self, "_allow_insecure_http", allow_insecure_http)
        set_(self, "_base_url", _base_url(base_url, allow_insecure_http))
        _check_key_scheme(api_key, self._base_url)
        set_(self, "_max_retries", _max_retries(max_retries))
        set_(self, "_timeout", _timeout(timeout))
        set_(self, "_api_version", _api_version(api_version))
        set_(self, "_strict_responses", _strict_responses(strict_responses))
        set_(self, "_policy", RetryPolicy(max_retries=self._max_retries))
        set_(self, "_httpx_timeout", httpx.Timeout(self._timeout))
        set_(self, "_default_headers", default_headers)
        set_(self, "_user_agent", _USER_AGENT)
        if app_info is not None:
            set_(self, "_user_agent", f"{_USER_AGENT} {_app_info(app_info)}")
        set_(self, "_app_info", app_info)
        set_(self, "_headers", None)
        set_(self, "_headers_without_agent", None)
        checked, chain = Chain.of(middleware)
        set_(self, "_middleware", checked)
        set_(self, "_deadline", deadline)
        set_(self, "_retry_budget", retry_budget)
        set_(self, "_circuit_breaker", circuit_breaker)
        rules = Rules(self._policy, self._timeout, deadline, retry_budget, circuit_breaker, chain)
        set_(self, "_rules", rules)

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
    def default_headers(self) -> Mapping[str, str]:
        """The headers you asked to send with every request (a copy)."""
        return dict(self._default_headers)

    @property
    def app_info(self) -> AppInfo | None:
        """The ``(name, version, url)`` added to the User-Agent, if any."""
        return self._app_info

    @property
    def middleware(self) -> tuple[MiddlewareLike, ...]:
        """The middleware every attempt runs through, outermost first."""
        return self._middleware

    @property
    def deadline(self) -> float | None:
        """Seconds a whole call may take, retries and waits included; None: no such bound."""
        return self._deadline

    @property
    def retry_budget(self) -> RetryBudget | None:
        """The retry budget this Client's calls share (None: retries are not budgeted)."""
        return self._retry_budget

    @property
    def circuit_breaker(self) -> CircuitBreaker | None:
        """The circuit breaker this Client's calls share (None: no breaker)."""
        return self._circuit_breaker

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
        max_response_bytes: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        app_info: AppInfo | None = None,
        allow_insecure_http: bool | None = None,
        middleware: Sequence[MiddlewareLike] | None = None,
        deadline: float | None = None,
        retry_budget: RetryBudget | bool | None = None,
        circuit_breaker: CircuitBreaker | bool | None = None,
        strict_responses: bool | None = None,
    ) -> Client:
        """A Client with these settings changed, sharing this Client's connection pools.

        Cheap (no new sockets), so it suits per-call options:
        ``Driver.retrieve(id, client=client.with_options(timeout=5, max_retries=0))``.
        ``default_headers`` are added to this Client's (a name given again replaces it);
        ``middleware`` replaces this Client's list (``[]``: none). The copy shares this
        Client's retry budget and circuit breaker unless given others (``False``: none; ``True``
        keeps the shared one, or makes one). Every setting of the constructor can change here
        except the connections themselves (``http_client``, ``async_http_client``,
        ``async_backend``) and the sleep hooks. Closing the derived Client leaves the shared
        pools open; closing this one closes them.
        """
        derived = object.__new__(Client)
        headers = self._default_headers
        if default_headers is not None:
            added = check_headers("default_headers", default_headers)
            headers = tuple(with_headers(dict(headers), added).items())
        failure: BaseException | None = None
        try:
            derived._configure(
                self._api_key if api_key is None else _api_key(api_key),
                self._base_url if base_url is None else base_url,
                self._max_retries if max_retries is None else max_retries,
                self._timeout if timeout is None else timeout,
                self._api_version if api_version is None else api_version,
                allow_insecure_http=self._allow_insecure_http
                if allow_insecure_http is None
                else _allow_insecure_http(allow_insecure_http),
                default_headers=headers,
                app_info=self._app_info if app_info is None else app_info,
                middleware=self._middleware if middleware is None else middleware,
                deadline=self._deadline if deadline is None else _deadline(deadline),
                retry_budget=self._retry_budget
                if retry_budget is None
                else _retry_budget(retry_budget, self._retry_budget),
                circuit_breaker=self._circuit_breaker
                if circuit_breaker is None
                else _circuit_breaker(circuit_breaker, self._circuit_breaker),
                strict_responses=(
                    self._strict_responses if strict_responses is None else strict_responses
                ),
            )
        except _CONFIG_ERRORS as error:
            failure = error
        if failure is not None:
            del api_key, base_url  # kept out of the traceback's locals, as in __init__
            raise detached(failure)
        if (
            derived._api_key == self._api_key
            and derived._api_version == self._api_version
            and derived._default_headers == self._default_headers
            and derived._user_agent == self._user_agent
        ):
            # The same headers as the pools' own: sent with no per-request copy (see request).
            object.__setattr__(derived, "_headers", self._headers)
        derived.max_response_bytes = (
            self.max_response_bytes
            if max_response_bytes is None
            else _max_response_bytes(max_response_bytes)
        )
        derived.async_backend = self.async_backend
        derived._sleep = self._sleep
        derived._async_sleep = self._async_sleep
        derived._pools = self._pools
        derived._owns_pools = False
        derived._closed = False
        return derived

    def __repr__(self) -> str:
        try:
            key = "set" if self._api_key else "missing"
            return (
                f"<chargeapi.Client base_url={self._base_url!r} api_version={self._api_version!r} "
                f"max_retries={self._max_retries} timeout={self._timeout:g} api_key={key}>"
            )
        except AttributeError:  # one whose __init__ failed (a traceback printed with locals)
            return "<chargeapi.Client (not configured)>"

    # -- requests --------------------------------------------------------------------------

    def request(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """Send ``spec`` (with retries) and decode its JSON body with ``decode``.

        ``decode`` raises ``InvalidData`` for a body of the wrong shape; the caller then gets an
        InvalidResponseError carrying the status code and the Idempotency-Key.
        """
        return self._drive(self._call(spec, decode, self._pools.user_http))

    async def request_async(self, spec: RequestSpec, decode: Callable[[Any], T]) -> T:
        """``request`` for async code; runs on the current event loop."""
        return await self._drive_async(self._call(spec, decode, self._pools.user_async_http))

    def _drive(self, call: Call[T]) -> T:
        """Carry ``call`` out on the sync connections."""
        http = self._pools.http  # made, so not passed in: the pools' own checks are done
        if http is None or self._closed:
            http = self._sync_http()
        return send_sync(call, http, self._sleep, self.max_response_bytes)

    def _drive_async(self, call: Call[T]) -> Awaitable[T]:
        """Carry ``call`` out on this event loop's connections: await what it returns. (Not a
        coroutine itself, once the loop's connections exist: one coroutine layer fewer.)"""
        self._check_open()  # a closed Client stays closed, on every loop and with your clients
        http = self._pools.loop_http()
        if http is None:
            return self._drive_on_new_loop(call)
        return self._send_async(call, http)

    async def _drive_on_new_loop(self, call: Call[T]) -> T:
        return await self._send_async(call, await self._pools.async_http(self._httpx_timeout))

    def _send_async(self, call: Call[T], http: httpx.AsyncClient | Session) -> Awaitable[T]:
        sleep = self._async_sleep or _asyncio_sleep
        if isinstance(http, httpx.AsyncClient):
            return send_async(call, http, sleep, self.max_response_bytes)
        return http.drive(call, sleep, self.max_response_bytes)  # the aiohttp backend's

    def _direct_headers(
        self, user_http: httpx.Client | httpx.AsyncClient | None
    ) -> RedactedHeaders | None:
        """The headers an operation's request carries when its plan builds it as it goes on
        the wire: with no middleware (which is given a RequestSpec) and a key. None: the
        general way (``_call``), which also says there is no key, after the parameters'
        checks."""
        if self._headers is None or self._rules.chain is not None:
            return None
        return self._sent_headers(user_http)

    def _sent_headers(self, user_http: httpx.Client | httpx.AsyncClient | None) -> RedactedHeaders:
        """The headers a request carries: through a client you passed in, all of them (minus
        the agent, when it sets its own); on the SDK's own, which carry the fixed ones, only
        what differs from those."""
        headers = self._headers or self._auth_headers()
        if user_http is not None:
            return self._headers_for(user_http)
        return _NO_HEADERS if headers is self._pools.fixed else headers

    def _call(
        self,
        spec: RequestSpec,
        decode: Callable[[Any], T],
        user_http: httpx.Client | httpx.AsyncClient | None,
    ) -> Call[T]:
        """The call loop of ``spec``: its request as sent (through ``user_http``, a client you
        passed in, the headers travel with every request), under this Client's rules."""
        headers = self._sent_headers(user_http)
        request = prepare(spec, self._base_url, headers)
        rules = self._rules
        if rules.chain is None:
            return run_call(request, rules, decode)
        # Middleware sees the headers that go out; the fixed ones are on the SDK's client.
        fixed = self._pools.fixed if headers is _NO_HEADERS else None
        return run_call(request, rules, decode, rules.chain.call(request, spec, fixed))

    def _auth_headers(self) -> RedactedHeaders:
        if self._headers is None:
            if self._api_key is None:
                raise ChargeAPIError(
                    "No API key: pass chargeapi.Client(api_key=...) or set the CHARGEAPI_API_KEY "
                    "environment variable (test keys start with 'ch_sk_test_')."
                )
            # Its repr hides the key: it sits in frames an error's traceback keeps.
            headers = RedactedHeaders(
                {
                    "Authorization": f"Bearer {self._api_key}",
                    "Charge-Version": self._api_version,
                    "User-Agent": self._user_agent,
                    "Accept": "application/json",
                    # Only what the SDK can inflate a bounded amount of (max_response_bytes).
                    "Accept-Encoding": "gzip, deflate",
                    RETRY_COUNT_HEADER: "0",  # a retry's request says which one it is
                }
            )
            if self._default_headers:
                headers = with_headers(headers, self._default_headers)
            self._headers = headers
        return self._headers

    def _headers_for(self, http: httpx.Client | httpx.AsyncClient) -> RedactedHeaders:
        """The headers to send through a client you passed in: a User-Agent it sets itself
        is sent instead of the SDK's (unless ``default_headers`` name one)."""
        headers = self._auth_headers()
        agent = http.headers.get("user-agent")
        if agent is None or agent == _HTTPX_USER_AGENT:
            return headers
        if any(name.lower() == "user-agent" for name, _ in self._default_headers):
            return headers
        if self._headers_without_agent is None:
            self._headers_without_agent = RedactedHeaders(
                (k, v) for k, v in headers.items() if k != "User-Agent"
            )
        return self._headers_without_agent

    # -- any endpoint ----------------------------------------------------------------------

    def raw_request(
        self,
        method: Literal["GET", "POST", "DELETE"],
        path: str,
        *,
        json: Mapping[str, object] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        idempotency_key: str | None = None,
    ) -> JSONObject:
        """Call an endpoint the SDK has no method for yet: ``path`` under the base URL.

        The same retries, Idempotency-Key (POST), errors, size cap and redaction as every
        operation. Returns the answer's JSON object (a dict) with its ``last_response``.
        ``json`` is a POST's body; ``query`` a list value repeats its parameter.
        """
        return self.request(_raw_spec(method, path, json, query, idempotency_key), json_object)

    async def raw_request_async(
        self,
        method: Literal["GET", "POST", "DELETE"],
        path: str,
        *,
        json: Mapping[str, object] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        idempotency_key: str | None = None,
    ) -> JSONObject:
        """``raw_request`` for async code."""
        spec = _raw_spec(method, path, json, query, idempotency_key)
        return await self.request_async(spec, json_object)

    # -- connections -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ChargeAPIError("This chargeapi.Client is closed; create a new one.")

    def _sync_http(self) -> httpx.Client:
        self._check_open()  # a closed Client stays closed, whoever owns the connections
        return self._pools.sync_http(self._httpx_timeout)

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


def call_plan(client: Client, plan: Plan, params: dict[str, Any]) -> Any:
    """Run an operation's ``plan`` for one call's bound ``params`` on ``client``: the request
    built by the plan as it goes on the wire when nothing needs a RequestSpec, and the answer
    decoded by the plan's decoder."""
    headers = client._direct_headers(client._pools.user_http)
    if headers is None:
        return client.request(plan.request(params), plan.decoder(params, client._strict_responses))
    return client._drive(_direct_call(client, plan, params, headers))


def call_plan_async(client: Client, plan: Plan, params: dict[str, Any]) -> Awaitable[Any]:
    """``call_plan`` for async code: await what it returns (not a coroutine itself, so a call
    passes through one coroutine layer fewer)."""
    headers = client._direct_headers(client._pools.user_async_http)
    if headers is None:
        decode = plan.decoder(params, client._strict_responses)
        return client.request_async(plan.request(params), decode)
    return client._drive_async(_direct_call(client, plan, params, headers))


def _direct_call(
    client: Client, plan: Plan, params: dict[str, Any], headers: RedactedHeaders
) -> Call[Any]:
    """``run_call``'s loop, without middleware, for the request the plan builds as it goes on
    the wire, its answer decoded by the plan's decoder (made once, for a path that names no
    object)."""
    request = plan.request(params, client._base_url, headers)
    strict = client._strict_responses
    made = plan.decoders
    decode = made[strict] if made is not None else plan.decoder(params, strict)
    return attempts(request, client._rules, decode)


# A path under the base URL: RFC 3986 path characters only (no query, fragment or space).
_RAW_PATH = re.compile(r"(/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+", re.ASCII)


def _raw_spec(
    method: object, path: object, json: object, query: object, idempotency_key: object
) -> RequestSpec:
    """The checked RequestSpec of a ``raw_request``."""
    if not isinstance(method, str) or method.upper() not in ("GET", "POST", "DELETE"):
        raise InvalidParameterError(
            f"method must be 'GET', 'POST' or 'DELETE' (the API's methods), got {shown(method)}",
            param="method",
        )
    method = method.upper()
    if not isinstance(path, str) or not _RAW_PATH.fullmatch(path) or path.startswith("//"):
        raise InvalidParameterError(
            "path must be a path under the base URL such as '/v1/charging_sessions' (no host, "
            f"no query: pass query=), got {shown(path)}",
            param="path",
        )
    if any(
        unquote(segment) in (".", "..") or "/" in unquote(segment) for segment in path.split("/")
    ):
        raise InvalidParameterError(
            "path must not climb out of the base URL (no . or .. segments, nor an encoded / "
            f"or dot), got {shown(path)}",
            param="path",
        )
    pairs = tuple(check_query("query", query or {}))
    from ._operations import template_for  # noqa: PLC0415 - loads the resources' table

    template = template_for(method, path)  # what middleware and traces show, never an ID
    if method != "POST":
        for name, given in (("json", json), ("idempotency_key", idempotency_key)):
            if given is not None:
                raise InvalidParameterError(
                    f"{name} is only for POST requests (got method {method!r})", param=name
                )
        return RequestSpec(method, path, pairs, operation="raw_request", template=template)
    body = check_body("json", json or {})
    key = checked_idempotency_key(cast("str | None", idempotency_key))
    return RequestSpec("POST", path, pairs, body, key, (), "raw_request", template)


def _max_response_bytes(value: object) -> int:
    return check_int("max_response_bytes", value, low=1, high=2**40)


#: What ``chargeapi.<setting> = value`` assigned (``_config``); a name absent was not assigned.
assigned: dict[str, Any] = {}


class Settings(NamedTuple):
    """The default client's configuration in effect: each ``chargeapi.<setting>`` as assigned,
    else the environment (``CHARGEAPI_API_KEY``, ``CHARGEAPI_BASE_URL``), else the default.

    ``insecure_http`` is ``CHARGEAPI_ALLOW_INSECURE_HTTP`` as set (the Client reads it): the
    default client is rebuilt when it changes too."""

    api_key: str | None
    base_url: str
    max_retries: int
    timeout: float
    api_version: str
    insecure_http: str | None

    def __repr__(self) -> str:  # it sits in frames a traceback may print: never the key
        key = "set" if self.api_key else "missing"
        return (
            f"Settings(api_key={key}, base_url={self.base_url!r}, max_retries="
            f"{self.max_retries}, timeout={self.timeout:g}, api_version={self.api_version!r})"
        )

    def client(self) -> Client:
        return Client(
            self.api_key,
            base_url=self.base_url,
            max_retries=self.max_retries,
            timeout=self.timeout,
            api_version=self.api_version,
        )


def settings() -> Settings:
    """The configuration the default client has (or is about to be rebuilt with)."""
    get = assigned.get
    return Settings(
        get("api_key") or os.environ.get("CHARGEAPI_API_KEY") or None,
        get("base_url") or os.environ.get("CHARGEAPI_BASE_URL") or DEFAULT_BASE_URL,
        get("max_retries", DEFAULT_MAX_RETRIES),
        get("timeout", DEFAULT_TIMEOUT),
        get("api_version", API_VERSION),
        os.environ.get("CHARGEAPI_ALLOW_INSECURE_HTTP"),
    )


_default: tuple[Settings, Client] | None = None
_default_lock = threading.Lock()
# Default clients replaced since: they refuse new calls, but calls already running on them
# finish; their connections close a few replacements later, or at exit.
_retired: list[Client] = []
_KEEP_RETIRED = 8


def default_client() -> Client:
    """The process-wide Client used when ``client=`` is omitted, built from ``settings()``.

    Rebuilt when those change (``chargeapi.api_key = ...``, or ``CHARGEAPI_API_KEY``,
    ``CHARGEAPI_BASE_URL`` or ``CHARGEAPI_ALLOW_INSECURE_HTTP`` in the environment), so
    configuration set after import (or by a test) takes effect at the next call. The one it
    replaces refuses new calls; calls still running on it finish.
    """
    env = settings()
    current = _default
    if current is not None and current[0] == env:
        return current[1]
    try:
        return _replace_default(env)
    except _CONFIG_ERRORS as error:
        failure = error
    del env, current  # they hold the key: out of the traceback's locals
    raise detached(failure)


def _replace_default(env: Settings) -> Client:
    global _default  # noqa: PLW0603 - one process-wide default, swapped under a lock
    with _default_lock:
        if _default is not None and _default[0] == env:
            return _default[1]
        client = env.client()
        if _default is not None:
            retired = _default[1]
            retired._closed = True  # new calls on it fail as "closed"; running ones go on
            _retired.append(retired)
            while len(_retired) > _KEEP_RETIRED:
                _retired.pop(0).close()
        _default = (env, client)
        return client


@atexit.register
def _close_default_client() -> None:
    """Close the default client's sync pool (and those it replaced) at exit, so no socket is
    left to warn about."""
    current = _default
    for client in [*_retired, *([current[1]] if current is not None else [])]:
        client.close()
