"""One API call, attempt by attempt, as a sans-I/O generator.

The generator yields what to do next (``Send`` a request, ``Sleep`` a while) and is sent back
what happened (a response, or a ``TransportFailure``). It owns every decision: retries,
logging, error mapping, JSON parsing. The sync and async shells in ``_transport`` only carry
out the steps, so the logic exists once and the HTTP library stays swappable.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any, NamedTuple, Protocol, TypeVar

from ._convert import InvalidData
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ChargeAPIError,
    InvalidResponseError,
    status_error,
)
from ._request import PreparedRequest
from ._retry import RetryPolicy

logger = logging.getLogger("chargeapi")
T = TypeVar("T")


class ResponseLike(Protocol):
    """What the core needs of an HTTP response (httpx.Response has it).

    ``headers`` must look names up case-insensitively.
    """

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...


class TransportFailure(NamedTuple):
    """No HTTP answer: the shell caught the HTTP library's error and says if it timed out."""

    error: Exception
    timed_out: bool


class Send(NamedTuple):
    request: PreparedRequest


class Sleep(NamedTuple):
    seconds: float


Step = Send | Sleep
Outcome = ResponseLike | TransportFailure | None
Call = Generator[Step, Outcome, T]


def run_call(request: PreparedRequest, policy: RetryPolicy, decode: Callable[[Any], T]) -> Call[T]:
    """Attempt ``request`` until it succeeds or the policy gives up; return ``decode(body)``.

    Raises the ChargeAPIError that fits the last attempt's outcome; a 2xx body that ``decode``
    rejects (InvalidData) becomes an InvalidResponseError with the status and idempotency key.
    """
    retries_done = 0
    while True:
        started = time.monotonic()
        outcome = yield Send(request)
        elapsed = time.monotonic() - started
        if isinstance(outcome, TransportFailure):
            status, headers = None, None
        else:
            assert outcome is not None, "a shell must answer Send with an outcome"
            status, headers = outcome.status_code, outcome.headers
        if logger.isEnabledFor(logging.DEBUG):
            _log_attempt(request, outcome, retries_done + 1, elapsed)
        if status is not None and 200 <= status < 300:
            return _decoded(outcome, request, decode)  # type: ignore[arg-type]
        delay = policy.delay(retries_done, status, headers)
        if delay is None:
            raise _final_error(outcome, request)
        yield Sleep(delay)
        retries_done += 1


def _decoded(response: ResponseLike, request: PreparedRequest, decode: Callable[[Any], T]) -> T:
    problem: str
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = response.content.decode("utf-8", "replace")[:2000]
        kind = response.headers.get("content-type", "no content type")
        problem = f"a body that is not JSON ({kind})"
    else:
        try:
            return decode(body)
        except InvalidData as error:
            problem = str(error)
    raise InvalidResponseError(
        f"{request.method} {_path(request.url)} answered {response.status_code} with {problem}",
        status_code=response.status_code,
        body=body,
        idempotency_key=request.idempotency_key,
    )


def _final_error(outcome: Outcome, request: PreparedRequest) -> ChargeAPIError:
    key = request.idempotency_key
    if isinstance(outcome, TransportFailure):
        what = "timed out" if outcome.timed_out else f"failed: {outcome.error}"
        advice = (
            f" The outcome is unknown; retry with idempotency_key={key!r} to avoid a duplicate."
            if key
            else ""
        )
        cls = APITimeoutError if outcome.timed_out else APIConnectionError
        error = cls(f"{request.method} {_path(request.url)} {what}.{advice}", idempotency_key=key)
        error.__cause__ = outcome.error  # the HTTP library's own account, for debugging
        return error
    assert outcome is not None
    return status_error(outcome.status_code, outcome.headers, outcome.content, idempotency_key=key)


def _path(url: str) -> str:
    """The path of a URL, for messages and logs (no host, no query)."""
    after_scheme = url.split("://", 1)[-1]
    path = after_scheme[after_scheme.find("/") :] if "/" in after_scheme else "/"
    return path.split("?", 1)[0]


def _log_attempt(request: PreparedRequest, outcome: Outcome, attempt: int, elapsed: float) -> None:
    if isinstance(outcome, TransportFailure):
        result, request_id = type(outcome.error).__name__, None
    else:
        assert outcome is not None
        result = str(outcome.status_code)
        request_id = outcome.headers.get("request-id") or _error_request_id(outcome)
    logger.debug(
        "%s %s -> %s (attempt %d, %.1f ms, request %s)",
        request.method,
        _path(request.url),
        result,
        attempt,
        elapsed * 1000,
        request_id or "-",
    )


def _error_request_id(response: ResponseLike) -> str | None:
    if response.status_code < 400:
        return None
    try:
        request_id = json.loads(response.content).get("request")
    except (ValueError, AttributeError):
        return None
    return request_id if isinstance(request_id, str) else None
