"""One API call, attempt by attempt, as a sans-I/O generator.

The generator yields what to do next (``Send`` a request, ``Sleep`` a while, or with middleware
``Through``: an attempt through the chain) and is sent back what happened (a response,
``Unreadable``, ``TransportFailure``, ``TooLarge``, ``Closed`` or a middleware's ``Raised``).
It owns every decision: retries and their budget, the circuit breaker, the call's deadline,
logging, error mapping, JSON parsing, and whether the outcome is unknown (some attempt may have
reached the server unseen). The sync and async shells in ``_transport`` only carry out the
steps, so the logic exists once and the HTTP library stays swappable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from ._budget import PROBE, CircuitBreaker, RetryBudget
from ._convert import InvalidData
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ChargeAPIError,
    CircuitOpenError,
    InvalidResponseError,
    ResponseTooLargeError,
    escape,
    loads_json,
    status_error,
)
from ._json import loads as json_loads
from ._middleware import Through, around
from ._request import RETRY_COUNT_HEADER, PreparedRequest, RedactedHeaders, new_tuple
from ._response import LastResponse, attach
from ._retry import RetryPolicy

if TYPE_CHECKING:
    from ._middleware import Chain, MiddlewareCall

logger = logging.getLogger("chargeapi")
_DEBUG = logging.DEBUG
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


class Unreadable(NamedTuple):
    """An answer whose body cannot be decoded (an encoding the SDK did not ask for, corrupt
    compression): its status and headers stand, its body is unknown."""

    status_code: int
    headers: Mapping[str, str]
    problem: str
    content: bytes = b""


class Closed(NamedTuple):
    """The HTTP client was closed (``Client.close()``, or by its owner) before this attempt
    could be sent: nothing of it went out, and no further attempt can."""


class Raised(NamedTuple):
    """A middleware raised (or returned no response): the call stops and raises ``error``.
    ``outcome`` is what the attempt got on the wire, if it was sent."""

    error: Exception
    outcome: ResponseLike | TransportFailure | TooLarge | Closed | None


class Send(NamedTuple):
    """Send ``request``; the attempt may take ``timeout`` seconds, all of it included."""

    request: PreparedRequest
    timeout: float


class Sleep(NamedTuple):
    seconds: float


Step = Send | Sleep | Through
Outcome = ResponseLike | TransportFailure | TooLarge | Closed | None
Call = Generator[Step, Outcome | Raised, T]


class Rules(NamedTuple):
    """What every call of a Client goes by: made once per Client, read on every call."""

    policy: RetryPolicy
    timeout: float  # seconds each attempt may take
    deadline: float | None = None  # seconds the whole call may take
    budget: RetryBudget | None = None
    breaker: CircuitBreaker | None = None
    chain: Chain | None = None


_UNREACHABLE = frozenset({502, 503, 504})  # answers that count as "the API is not there"


def run_call(
    request: PreparedRequest,
    rules: Rules,
    decode: Callable[[Any], T],
    info: MiddlewareCall | None = None,
) -> Call[T]:
    """Attempt ``request`` until it succeeds or the rules give up; return ``decode(body)``.

    The result gets a ``LastResponse`` (status, headers, retries, elapsed) when it has room for
    one (models and pages). Raises the ChargeAPIError that fits the last attempt's outcome; a
    2xx body that ``decode`` rejects (InvalidData) becomes an InvalidResponseError with the
    status and idempotency key, whose outcome is unknown for a POST (the server acted on it).
    ``info`` (with middleware) sends each attempt through the chain, inside its
    ``around_call`` contexts.
    """
    call = attempts(request, rules, decode, info)
    if info is not None and info._chain.around:
        return around(call, info)
    return call


def attempts(  # noqa: PLR0915 - one loop over the attempts, every rule in its place
    request: PreparedRequest,
    rules: Rules,
    decode: Callable[[Any], T],
    info: MiddlewareCall | None = None,
) -> Call[T]:
    """``run_call`` without middleware's ``around_call`` contexts (what it returns then): a
    call with no middleware starts it without ``run_call``'s frame."""
    policy, timeout, call_seconds, budget, breaker, _ = rules
    retries_done = 0
    unknown = False  # has any attempt possibly reached the server without us seeing the answer?
    taken = 0  # retry tokens this call's last retry took from the budget
    probe = False  # is the attempt under way the circuit breaker's probe?
    outcome: Outcome = None
    call_started = started = time.monotonic()
    deadline = None if call_seconds is None else call_started + call_seconds
    try:
        while True:
            seconds = timeout
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    why = "no time was left for another attempt"
                    raise _past_deadline(request, rules, retries_done, unknown, why, last=outcome)
                seconds = min(timeout, left)
            if breaker is not None:
                admitted = breaker._admit()
                if type(admitted) is float:
                    if retries_done == 0:
                        raise _circuit_open(request, breaker, admitted)
                    error = _final_error(outcome, request, unknown, retries_done, timeout)
                    raise _not_retried(error, _BREAKER_OPENED)
                probe = admitted == PROBE
            if retries_done:
                request = _numbered(request, retries_done)
                started = time.monotonic()  # the first attempt's start is the call's
            if info is None:
                got = yield new_tuple(Send, (request, seconds))
            else:
                got = yield Through(request, seconds, retries_done, info)
            if isinstance(got, Raised):
                if breaker is not None and got.outcome is not None:
                    probe = _record(breaker, got.outcome, probe)
                raise _noted(got.error, request)
            outcome = got
            if logger.isEnabledFor(_DEBUG):
                _log_attempt(request, outcome, retries_done + 1, time.monotonic() - started)
            if breaker is not None:
                probe = _record(breaker, outcome, probe)
            if isinstance(outcome, TooLarge):
                raise _too_large(outcome, request)
            if isinstance(outcome, Closed):
                raise _closed(request, unknown)
            if isinstance(outcome, TransportFailure):
                status, headers = None, None
                unknown = unknown or outcome.unseen
            else:
                assert outcome is not None, "a shell must answer Send with an outcome"
                status, headers = outcome.status_code, outcome.headers
            if status is not None and 200 <= status < 300:
                if budget is not None:
                    budget._refund(taken or budget.success_refund)
                response: ResponseLike = outcome  # type: ignore[assignment]
                result = _decoded(response, request, decode, unknown)
                last = LastResponse(  # by position: made on every call
                    response.status_code,
                    response.headers,
                    request.idempotency_key,
                    retries_done,
                    time.monotonic() - call_started,
                    response.content,
                )
                attach(result, last)
                return result
            delay = policy.delay(retries_done, status, headers)
            attempts = retries_done + 1
            if delay is None:
                if deadline is not None and seconds < timeout and _timed_out(outcome):
                    why = "the last attempt ran out of the time left"
                    raise _past_deadline(request, rules, attempts, unknown, why, last=outcome)
                raise _final_error(outcome, request, unknown, attempts, timeout)
            if deadline is not None and time.monotonic() + delay >= deadline:
                why = f"a retry {delay:.3g} s later would pass it"
                raise _past_deadline(request, rules, attempts, unknown, why, last=outcome)
            if breaker is not None and breaker._blocked():
                error = _final_error(outcome, request, unknown, attempts, timeout)
                raise _not_retried(error, _BREAKER_OPENED)
            if budget is not None:
                taken = budget._take(_timed_out(outcome))
                if not taken:
                    error = _final_error(outcome, request, unknown, attempts, timeout)
                    raise _not_retried(error, _budget_spent(budget))
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
    finally:
        if probe:  # the call stopped (interrupted, or refused) before its probe told anything
            breaker._release()  # type: ignore[union-attr]


def _numbered(request: PreparedRequest, retry: int) -> PreparedRequest:
    """The request of a retry: the same, but for its ``X-Charge-Retry-Count``."""
    headers = RedactedHeaders(request.headers)
    headers[RETRY_COUNT_HEADER] = str(retry)
    return request._replace(headers=headers)


def _timed_out(outcome: object) -> bool:
    return isinstance(outcome, TransportFailure) and outcome.timed_out


def _record(breaker: CircuitBreaker, outcome: object, probe: bool) -> bool:
    """Tell the breaker what an attempt got; returns whether a probe is still under way."""
    if isinstance(outcome, Closed):  # nothing was sent: nothing learnt
        return probe
    reached = not isinstance(outcome, TransportFailure) and (
        getattr(outcome, "status_code", None) not in _UNREACHABLE
    )
    breaker._record_attempt(reached, probe)
    return False


_BREAKER_OPENED = (
    "the circuit breaker opened (too many attempts in a row failed to reach the API), so "
    "nothing more is sent until it lets a probe through"
)


def _budget_spent(budget: RetryBudget) -> str:
    return (
        f"the Client's retry budget is spent ({budget.available} of {budget.capacity} tokens "
        "left): too many calls needed retries lately; it refills as calls succeed"
    )


def _not_retried(error: ChargeAPIError, why: str) -> ChargeAPIError:
    error.message += f" Not retried: {why}."
    error.args = (error.message,)
    return error


def _noted(error: Exception, request: PreparedRequest) -> Exception:
    """A middleware's exception, as the caller gets it: with the call's key, when it has one."""
    key = request.idempotency_key
    if key is not None:
        error.add_note(
            "chargeapi: a middleware stopped this call; retry with "
            f"idempotency_key={key!r} to finish it without a duplicate."
        )
    return error


def _circuit_open(
    request: PreparedRequest, breaker: CircuitBreaker, left: float
) -> CircuitOpenError:
    when = (
        "a probe call is under way to see whether it is back"
        if left == 0.0
        else f"one probe call goes through in {left:.3g} s"
    )
    key = request.idempotency_key
    resume = f" Retry later with idempotency_key={key!r}." if key else ""
    return CircuitOpenError(
        f"{request.method} {_path(request.url)} was not sent: the circuit breaker is open, "
        f"as {breaker.failures} attempts in a row within {breaker.window:g} s failed to reach "
        f"{_host(request.url)}. Calls fail fast for {breaker.cooldown:g} s, then {when}. "
        f"Nothing was sent.{resume}",
        retry_after=left,
        idempotency_key=key,
    )


def _past_deadline(
    request: PreparedRequest,
    rules: Rules,
    attempts: int,
    unknown: bool,
    why: str,
    *,
    last: Outcome,
) -> APITimeoutError:
    """The call's deadline passed: an APITimeoutError whose cause is the last attempt's error."""
    cause = None if last is None else _final_error(last, request, unknown, attempts, rules.timeout)
    shown = f"; the last attempt: {cause}" if cause is not None else ""
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    advice = _unknown_advice(request, "An attempt got no answer") if unknown else ""
    error = APITimeoutError(
        f"{request.method} {_path(request.url)} did not finish within its deadline of "
        f"{rules.deadline:g} s ({tries}): {why}{shown}.{advice}",
        idempotency_key=request.idempotency_key,
        outcome_unknown=unknown,
    )
    error.__cause__ = cause
    return error


def attempt_error(
    outcome: Outcome, request: PreparedRequest, attempt: int, timeout: float
) -> ChargeAPIError:
    """The error one attempt without an answer stands for (what middleware's ``call_next``
    raises): a connection error or timeout, an answer too large, or a closed client."""
    if isinstance(outcome, TooLarge):
        return _too_large(outcome, request)
    if isinstance(outcome, TransportFailure):
        return _final_error(outcome, request, outcome.unseen, 1, timeout, attempt=attempt)
    return _closed(request, unknown=False)


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


def _closed(request: PreparedRequest, unknown: bool) -> ChargeAPIError:
    advice = (
        _unknown_advice(request, "An earlier attempt got no answer")
        if unknown
        else " Nothing was sent since the last answer, which was not a success."
    )
    return ChargeAPIError(
        f"{request.method} {_path(request.url)} stopped: the client was closed while the call "
        f"was in progress (between its retries); use an open client.{advice}",
        idempotency_key=request.idempotency_key,
        outcome_unknown=unknown,
    )


def _unknown_advice(request: PreparedRequest, why: str) -> str:
    """`` <why>, so the outcome is unknown ... Retry with idempotency_key=...``."""
    key = request.idempotency_key
    resume = f" Retry with idempotency_key={key!r} to find out without a duplicate." if key else ""
    return f" {why}, so the outcome is unknown: it may have succeeded.{resume}"


def interrupted_note(key: str) -> str:
    """The note an exception that interrupts a POST (KeyboardInterrupt, a cancelled task, a
    signal handler's exception) gets: the request may have gone out, and this key finishes it."""
    return (
        "chargeapi: the interrupted request may have reached the server; retry with "
        f"idempotency_key={key!r} to finish it without a duplicate."
    )


def _decoded(
    response: ResponseLike, request: PreparedRequest, decode: Callable[[Any], T], unknown: bool
) -> T:
    problem: str
    body: Any = None
    if isinstance(response, Unreadable):
        problem = f"a body that cannot be read ({response.problem})"
    else:
        content = response.content
        try:  # loads_json, without its frame: any error means "not JSON" here
            body = json_loads(content) if content else None
        except (ValueError, RecursionError):
            body = response.content.decode("utf-8", "replace")[:2000]
            kind = response.headers.get("content-type", "no content type")
            problem = f"a body that is not JSON ({kind})"
        else:
            try:
                return decode(body)
            except InvalidData as error:
                problem = str(error)
    # A POST answered 2xx did something, but this answer does not say what: the object may
    # exist. The same call with the same key returns it (or creates it once).
    unknown = unknown or request.method == "POST"
    advice = _unknown_advice(request, "The server accepted the request") if unknown else ""
    raise InvalidResponseError(
        f"{request.method} {_path(request.url)} answered {response.status_code} with "
        f"{problem}.{advice}",
        status_code=response.status_code,
        body=body,
        idempotency_key=request.idempotency_key,
        outcome_unknown=unknown,
    )


def _final_error(
    outcome: Outcome,
    request: PreparedRequest,
    unknown: bool,
    attempts: int = 1,
    timeout: float | None = None,
    *,
    attempt: int | None = None,
) -> ChargeAPIError:
    """The error a call that ends on ``outcome`` raises (or, given ``attempt``, the error of
    that one attempt, numbered from 0)."""
    key = request.idempotency_key
    error: ChargeAPIError
    if isinstance(outcome, TransportFailure):
        if attempt is not None:
            tries = f"attempt {attempt + 1}"
            limit = f", timeout {timeout:g} s" if timeout is not None else ""
        else:
            tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
            limit = f", timeout {timeout:g} s each" if timeout is not None else ""
        what = "timed out" if outcome.timed_out else f"failed: {escape(str(outcome.error))}"
        what = f"to {_host(request.url)} {what} ({tries}{limit})"
        if unknown:
            advice = _unknown_advice(request, "It may have reached the server")
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
    assert not isinstance(outcome, TooLarge | Closed)
    error = status_error(outcome.status_code, outcome.headers, outcome.content, idempotency_key=key)
    if isinstance(outcome, Unreadable) and not 300 <= outcome.status_code < 400:
        error.message = (
            f"HTTP {outcome.status_code} with a body that cannot be read: {outcome.problem}."
        )
        error.args = (error.message,)
    if unknown:
        error.outcome_unknown = True
        error.message += _unknown_advice(request, "An earlier attempt got no answer")
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
        result, shown_id = type(outcome.error).__name__, None
    elif isinstance(outcome, TooLarge):
        result, shown_id = f"{outcome.status_code} (body over {outcome.limit} bytes)", None
    elif isinstance(outcome, Closed):
        result, shown_id = "client closed", None
    else:
        assert outcome is not None
        result, shown_id = str(outcome.status_code), request_id(outcome)
    logger.debug(
        "%s %s -> %s (attempt %d, %.1f ms, request %s)",
        request.method,
        _path(request.url),
        result,
        attempt,
        elapsed * 1000,
        escape(shown_id) if shown_id else "-",
    )


def request_id(response: ResponseLike) -> str | None:
    """The request id of an answer: an error body's ``request`` (where the docs put it), else
    the ``Request-Id`` header."""
    return _error_request_id(response) or response.headers.get("request-id")


def _error_request_id(response: ResponseLike) -> str | None:
    if response.status_code < 400:
        return None
    try:
        found = loads_json(response.content).get("request")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None
