"""One API call, attempt by attempt, as a sans-I/O generator.

The generator yields what to do next (``Send`` a request, ``Sleep`` a while) and is sent back
what happened (a response, a ``TransportFailure`` or a ``TooLarge``). It owns every decision:
retries, logging, error mapping, JSON parsing, and whether the outcome is unknown (some attempt
may have reached the server unseen). The sync and async shells in ``_transport`` only carry
out the steps, so the logic exists once and the HTTP library stays swappable.
"""

from __future__ import annotations

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
    ResponseTooLargeError,
    escape,
    loads_json,
    status_error,
)
from ._request import PreparedRequest
from ._response import LastResponse, attach
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
    """No HTTP answer: the shell caught the HTTP library's error and says if it timed out.

    ``error`` is a copy without the request (whose headers hold the API key). ``unseen`` is
    True when the request bytes may have gone out: the server may have acted on it.
    """

    error: Exception
    timed_out: bool
    unseen: bool = True


class TooLarge(NamedTuple):
    """An answer whose (decompressed) body passed the size limit; the rest was not read."""

    status_code: int
    limit: int


class Send(NamedTuple):
    request: PreparedRequest


class Sleep(NamedTuple):
    seconds: float


Step = Send | Sleep
Outcome = ResponseLike | TransportFailure | TooLarge | None
Call = Generator[Step, Outcome, T]


def run_call(
    request: PreparedRequest,
    policy: RetryPolicy,
    decode: Callable[[Any], T],
    timeout: float | None = None,
) -> Call[T]:
    """Attempt ``request`` until it succeeds or the policy gives up; return ``decode(body)``.

    The result gets a ``LastResponse`` (status, headers, retries, elapsed) when it has room for
    one (models and pages). Raises the ChargeAPIError that fits the last attempt's outcome; a
    2xx body that ``decode`` rejects (InvalidData) becomes an InvalidResponseError with the
    status and idempotency key. ``timeout`` (each attempt's deadline) is only named in errors.
    """
    retries_done = 0
    unknown = False  # has any attempt possibly reached the server without us seeing the answer?
    call_started = time.monotonic()
    while True:
        started = time.monotonic()
        outcome = yield Send(request)
        elapsed = time.monotonic() - started
        if logger.isEnabledFor(logging.DEBUG):
            _log_attempt(request, outcome, retries_done + 1, elapsed)
        if isinstance(outcome, TooLarge):
            raise _too_large(outcome, request)
        if isinstance(outcome, TransportFailure):
            status, headers = None, None
            unknown = unknown or outcome.unseen
        else:
            assert outcome is not None, "a shell must answer Send with an outcome"
            status, headers = outcome.status_code, outcome.headers
        if status is not None and 200 <= status < 300:
            response: ResponseLike = outcome  # type: ignore[assignment]
            result = _decoded(response, request, decode, unknown)
            info = LastResponse(
                status_code=response.status_code,
                headers=response.headers,
                idempotency_key=request.idempotency_key,
                retries=retries_done,
                elapsed=time.monotonic() - call_started,
                content=response.content,
            )
            attach(result, info)
            return result
        delay = policy.delay(retries_done, status, headers)
        if delay is None:
            raise _final_error(outcome, request, unknown, retries_done + 1, timeout)
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s %s -> %s; retrying in %.2f s (retry %d of %d)",
                request.method,
                _path(request.url),
                status if status is not None else type(outcome.error).__name__,  # type: ignore[union-attr]
                delay,
                retries_done + 1,
                policy.max_retries,
            )
        yield Sleep(delay)
        retries_done += 1


def _too_large(outcome: TooLarge, request: PreparedRequest) -> ChargeAPIError:
    mib = outcome.limit / 2**20
    return ResponseTooLargeError(
        f"{request.method} {_path(request.url)} answered {outcome.status_code} with a body over "
        f"max_response_bytes ({outcome.limit} bytes, {mib:g} MiB, after decompression); it was "
        "not read further. The outcome is unknown. If such answers are expected, raise "
        "chargeapi.Client(max_response_bytes=...); otherwise check base_url or the proxy.",
        status_code=outcome.status_code,
        idempotency_key=request.idempotency_key,
        outcome_unknown=True,
    )


def _decoded(
    response: ResponseLike, request: PreparedRequest, decode: Callable[[Any], T], unknown: bool
) -> T:
    problem: str
    try:
        body = loads_json(response.content) if response.content else None
    except ValueError:
        body = response.content.decode("utf-8", "replace")[:2000]
        kind = response.headers.get("content-type", "no content type")
        problem = f"a body that is not JSON ({kind})"
    else:
        try:
            return decode(body)
        except InvalidData as error:
            problem = str(error)
    # A POST's answer that cannot be decoded says nothing certain about what it did (a create
    # may have created): the caller must treat its outcome as unknown and retry with its key.
    raise InvalidResponseError(
        f"{request.method} {_path(request.url)} answered {response.status_code} with {problem}",
        status_code=response.status_code,
        body=body,
        idempotency_key=request.idempotency_key,
        outcome_unknown=unknown or request.method == "POST",
    )


def _final_error(
    outcome: Outcome,
    request: PreparedRequest,
    unknown: bool,
    attempts: int = 1,
    timeout: float | None = None,
) -> ChargeAPIError:
    key = request.idempotency_key
    error: ChargeAPIError
    if isinstance(outcome, TransportFailure):
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        limit = f", timeout {timeout:g} s each" if timeout is not None else ""
        what = "timed out" if outcome.timed_out else f"failed: {escape(str(outcome.error))}"
        what = f"to {_host(request.url)} {what} ({tries}{limit})"
        if unknown:
            advice = " It may have reached the server: the outcome is unknown." + (
                f" Retry with idempotency_key={key!r} to finish it without a duplicate."
                if key
                else ""
            )
        else:
            advice = " It was not sent, and no earlier attempt went unanswered: nothing was done."
        cls = APITimeoutError if outcome.timed_out else APIConnectionError
        error = cls(
            f"{request.method} {_path(request.url)} {what}.{advice}",
            idempotency_key=key,
            outcome_unknown=unknown,
        )
        error.__cause__ = outcome.error  # the HTTP library's account, without the request
        return error
    assert outcome is not None
    assert not isinstance(outcome, TooLarge)
    error = status_error(outcome.status_code, outcome.headers, outcome.content, idempotency_key=key)
    if unknown:
        error.outcome_unknown = True
        error.message += (
            " An earlier attempt got no answer, so the outcome is unknown: it may have succeeded."
        )
        if key:
            error.message += f" Retry with idempotency_key={key!r} to find out without a duplicate."
        error.args = (error.message,)
    return error


def _host(url: str) -> str:
    """The host (and port) of a URL, for messages: which server could not be reached."""
    after_scheme = url.split("://", 1)[-1]
    return after_scheme.split("/", 1)[0]


def _path(url: str) -> str:
    """The path of a URL, for messages and logs (no host, no query)."""
    after_scheme = url.split("://", 1)[-1]
    path = after_scheme[after_scheme.find("/") :] if "/" in after_scheme else "/"
    return path.split("?", 1)[0]


def _log_attempt(request: PreparedRequest, outcome: Outcome, attempt: int, elapsed: float) -> None:
    if isinstance(outcome, TransportFailure):
        result, request_id = type(outcome.error).__name__, None
    elif isinstance(outcome, TooLarge):
        result, request_id = f"{outcome.status_code} (body over {outcome.limit} bytes)", None
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
        escape(request_id) if request_id else "-",
    )


def _error_request_id(response: ResponseLike) -> str | None:
    if response.status_code < 400:
        return None
    try:
        request_id = loads_json(response.content).get("request")
    except (ValueError, AttributeError):
        return None
    return request_id if isinstance(request_id, str) else None
