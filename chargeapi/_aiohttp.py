"""The aiohttp shell: ``Client(async_backend="aiohttp")`` sends async requests with aiohttp.

Like the httpx shells in ``_transport`` it only carries out what ``_call.run_call`` yields; the
retries, errors, logging and redaction are the core's. An attempt has one deadline (connect,
send and the whole body), never follows redirects, and inflates gzip/deflate itself, so at most
``max_bytes`` of decoded body are ever held. aiohttp's errors are replaced by key-free copies
(a ClientResponseError's ``request_info`` holds the request headers, the API key among them).

aiohttp is an optional extra (``pip install 'chargeapi[aiohttp]'``), imported on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TypeVar
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import httpx

from ._call import Call, Outcome, TooLarge, TransportFailure
from ._request import PreparedRequest
from ._transport import Answer, AsyncSleep, _Body, drive_async

__all__ = ["Session", "send_aiohttp"]

T = TypeVar("T")
_INFLATED = ("identity", "", "gzip", "x-gzip", "deflate")


class Session:
    """The SDK-owned aiohttp ClientSession of one event loop (the fixed headers set on it)."""

    __slots__ = ("session",)

    def __init__(self, headers: Mapping[str, str], base_url: str) -> None:
        self.session = aiohttp.ClientSession(
            headers=dict(headers),
            auto_decompress=False,  # _Body inflates, within max_response_bytes
            cookie_jar=aiohttp.DummyCookieJar(),  # the API sets no cookies
            timeout=aiohttp.ClientTimeout(total=None),  # one asyncio.timeout per attempt instead
            # trust_env=True looks the proxy up in a worker thread on every request (nearly half
            # the throughput at 64 in flight): the environment's proxy is looked up once, here.
            trust_env=False,
            proxy=_env_proxy(base_url),
        )

    def __repr__(self) -> str:
        return "<chargeapi aiohttp session>"

    async def aclose(self) -> None:
        await self.session.close()


def _env_proxy(base_url: str) -> str | None:
    """The proxy that ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` name for ``base_url``."""
    parts = urlsplit(base_url)
    proxy = getproxies().get(parts.scheme)
    if proxy and parts.hostname and proxy_bypass(parts.hostname):
        return None
    return proxy or None


def _failure(error: BaseException) -> TransportFailure:
    """A key-free copy of aiohttp's error; ``unseen`` unless it failed before sending."""
    text = f"{type(error).__name__}: {error}"
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.InvalidURL):
        return TransportFailure(aiohttp.ClientConnectionError(text), False, unseen=False)
    return TransportFailure(aiohttp.ClientError(text), False)


async def _attempt(
    session: aiohttp.ClientSession, request: PreparedRequest, seconds: float, max_bytes: int
) -> Outcome:
    try:
        async with (
            asyncio.timeout(seconds),
            session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.content,
                allow_redirects=False,
            ) as response,
        ):
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if encoding not in _INFLATED:
                raise httpx.DecodingError(f"unsupported content-encoding {encoding!r}")
            body = _Body(max_bytes, encoding)
            async for chunk in response.content.iter_any():
                if body.feed(chunk):
                    return TooLarge(response.status, max_bytes)
    except TimeoutError:  # ours, or aiohttp's ServerTimeoutError
        error = aiohttp.ServerTimeoutError(f"no whole answer within {seconds:g} s")
        return TransportFailure(error, timed_out=True)
    except (aiohttp.ClientError, httpx.DecodingError) as error:
        return _failure(error)
    return Answer(response.status, response.headers, b"".join(body.chunks))


async def send_aiohttp(
    call: Call[T], session: Session, sleep: AsyncSleep, seconds: float, max_bytes: int
) -> T:
    """Drive ``call`` to its end with aiohttp; return its result."""
    http = session.session
    return await drive_async(
        call, lambda request: _attempt(http, request, seconds, max_bytes), sleep
    )
