"""The aiohttp shell: ``Client(async_backend="aiohttp")`` sends async requests with aiohttp.

Like the httpx shells in ``_transport`` it only carries out what ``_call.run_call`` yields; the
retries, errors, logging and redaction are the core's. An attempt has one deadline (connect,
send and the whole body), never follows redirects, and inflates gzip/deflate itself, so at most
``max_bytes`` of decoded body are ever held. aiohttp's errors are replaced by key-free copies
(a ClientResponseError's ``request_info`` holds the request headers, the API key among them).
The key is sent with each request, never as a session default: aiohttp adds those to the
``CONNECT`` it sends a proxy, where it would travel in clear as ``Proxy-Authorization``.

aiohttp is an optional extra (``pip install 'chargeapi[aiohttp]'``), imported on first use.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import httpx
from aiohttp.client_proto import ResponseHandler

from ._call import Call, Closed, Outcome, TooLarge, TransportFailure, Unreadable
from ._request import PreparedRequest
from ._transport import (
    Answer,
    AsyncSleep,
    AttemptDeadline,
    _Body,
    _sanitized,
    content_codings,
    drive_async,
    from_signal_handler,
    plain_length,
)

__all__ = ["Session", "send_aiohttp"]

T = TypeVar("T")
_AUTHORIZATION = "authorization"


class Session:
    """The SDK-owned aiohttp ClientSession of one event loop.

    The fixed headers are its defaults, except the key: ``auth`` goes with each request.
    """

    __slots__ = ("auth", "session")

    def __init__(self, headers: Mapping[str, str], base_url: str) -> None:
        defaults = {k: v for k, v in headers.items() if k.lower() != _AUTHORIZATION}
        self.auth = {k: _Hidden(v) for k, v in headers.items() if k.lower() == _AUTHORIZATION}
        self.session = aiohttp.ClientSession(
            connector=_connector(),
            headers=defaults,
            auto_decompress=False,  # _Body inflates, within max_response_bytes
            cookie_jar=aiohttp.DummyCookieJar(),  # the API sets no cookies
            timeout=aiohttp.ClientTimeout(total=None),  # one deadline per attempt instead
            # trust_env=True looks the proxy up in a worker thread on every request (nearly half
            # the throughput at 64 in flight): the environment's proxy is looked up once, here.
            trust_env=False,
            proxy=_env_proxy(base_url),
        )

    def __repr__(self) -> str:
        return "<chargeapi aiohttp session>"

    def drive(self, call: Call[T], sleep: AsyncSleep, max_bytes: int) -> Coroutine[Any, Any, T]:
        """``send_aiohttp`` on this session: how a Client reaches it, with no import per call."""
        return send_aiohttp(call, self, sleep, max_bytes)

    async def aclose(self) -> None:
        await self.session.close()


class _Hidden(str):
    """The Authorization value, sent as itself but shown as a placeholder.

    aiohttp keeps the request's headers in its own frames' locals (``headers``, the request
    object), so a traceback printed with its locals (Sentry, ``pytest -l``) after a cancelled
    or timed-out call would show the key; the httpx backends' Headers mask it themselves.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<API key, hidden>'"


class _Protocol(ResponseHandler):
    """aiohttp's connection protocol, but a pooled connection holding bytes no request asked
    for (a server or proxy that sent an answer twice) counts as closed, so the pool never hands
    it out: the next request would read them as its own answer."""

    def is_connected(self) -> bool:
        return _is_connected(self) and not self.should_close


_is_connected = ResponseHandler.is_connected  # looked up once, not through super() per request


def _connector() -> aiohttp.TCPConnector:
    connector = aiohttp.TCPConnector()
    # The protocol factory has no public hook: replaced when it has the expected shape.
    if isinstance(getattr(connector, "_factory", None), functools.partial):
        connector._factory = functools.partial(_Protocol, loop=asyncio.get_running_loop())  # type: ignore[assignment]
    return connector


def _env_proxy(base_url: str) -> str | None:
    """The proxy that ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` name for ``base_url``."""
    parts = urlsplit(base_url)
    proxy = getproxies().get(parts.scheme)
    if proxy and parts.hostname and proxy_bypass(parts.hostname):
        return None
    return proxy or None


@functools.lru_cache(maxsize=64)
def _connect_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """aiohttp's own limit on getting a connection (a free pooled one, or a new one), just
    inside the attempt's deadline: running out of time there is aiohttp's ConnectionTimeoutError,
    which says nothing was sent, where the deadline itself cannot tell."""
    margin = min(seconds * 0.05, 0.05)
    return aiohttp.ClientTimeout(total=None, connect=seconds - margin, ceil_threshold=1e9)


# Raised before the request went out (a refused or timed-out connection, a proxy refusing the
# tunnel); ConnectionTimeoutError is aiohttp 3.10's.
_NOT_SENT: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ClientHttpProxyError,
    aiohttp.InvalidURL,
    *((aiohttp.ConnectionTimeoutError,) if hasattr(aiohttp, "ConnectionTimeoutError") else ()),
)


def _failure(error: Exception) -> TransportFailure:
    """A key-free copy of the error; ``unseen`` unless it failed before sending."""
    copy = _sanitized(error, aiohttp.ClientError)
    return TransportFailure(copy, isinstance(error, TimeoutError), not isinstance(error, _NOT_SENT))


async def _attempt(
    session: Session, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    http = session.session
    if http.closed:
        return Closed()
    try:
        with AttemptDeadline(seconds):  # asyncio.timeout's timer, without its coroutines
            async with http.request(
                request.method,
                request.url,
                # The request's own headers plus the key (unless they carry another one).
                headers={**session.auth, **request.headers} if request.headers else session.auth,
                data=request.content,
                allow_redirects=False,
                timeout=_connect_timeout(seconds),
            ) as response:
                headers = response.headers
                try:
                    if plain_length(headers, max_bytes) is not None:
                        content = await response.read()  # one read: aiohttp stops at its length
                    else:
                        codings = content_codings(headers.getall("content-encoding", ()))
                        body = _Body(max_bytes, codings)
                        async for chunk in response.content.iter_any():
                            if body.feed(chunk):
                                return TooLarge(response.status, max_bytes)
                        content = b"".join(body.chunks)
                except httpx.DecodingError as error:
                    return Unreadable(response.status, headers, str(error))
    except Exception as error:  # whatever aiohttp raised, or our deadline: no answer
        if from_signal_handler(error):
            raise
        if http.closed and isinstance(error, RuntimeError):
            return Closed()
        if isinstance(error, TimeoutError) and not isinstance(error, _NOT_SENT):
            error = aiohttp.ServerTimeoutError(f"no whole answer within {seconds:g} s")
        return _failure(error)
    return Answer(response.status, headers, content)


def send_aiohttp(
    call: Call[T], session: Session, sleep: AsyncSleep, max_bytes: int
) -> Coroutine[Any, Any, T]:
    """Drive ``call`` to its end with aiohttp; await it for its result (one coroutine, not a
    coroutine awaiting another, and the attempt bound without a Python frame)."""
    return drive_async(call, functools.partial(_attempt, session, max_bytes=max_bytes), sleep)
