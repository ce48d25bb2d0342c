"""Waiters: retrieve an object until its status is one of those wanted, written once.

``run_wait`` is a sans-I/O generator like ``_call.run_call``: it yields ``RETRIEVE`` (fetch the
object now) and ``Sleep`` steps, is sent back the object (or the ChargeAPIError retrieving it
raised), and decides everything else: when to stop, and why. ``wait_sync`` and ``wait_async``
carry the steps out with the resource's retrieve and the Client's sleep (``Client(sleep=...,
async_sleep=...)``), so a simulator client whose waits return at once and move its test clock
(``Simulator.client(instant_retries=True)``) runs a whole wait in no real time.

Each resource with a lifecycle declares it once, next to its operations::

    _wait_until_sync, _wait_until_async = Lifecycle[_Status](
        _Status, terminal=("succeeded", "failed")
    ).waiters(_retrieve)

``_Status`` (a ``Literal``) lists its statuses, for type checkers (``status=`` takes only
those) and at run time (anything else is refused); ``terminal`` lists those nothing follows.

Where the docs are silent: a status is terminal when the docs' lifecycle leads nowhere from it
(a completed session, a void invoice). Only a terminal status ends a wait early; a status the
docs do not list (an open enum) never does. Statuses that merely cannot lead to the wanted one
(waiting for ``pending`` on a ``processing`` report) wait for the timeout: the docs do not
spell out every transition, and failing a wait that could still succeed would be worse.

Time is counted as the larger of the wall clock since the start and the seconds slept: with a
real sleep the wall clock holds the sleeps (and the retrieves' own time); with a sleep that
returns at once, the seconds slept still run the timeout down. The last retrieve happens at the
deadline: the final sleep is cut to the time left.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Awaitable, Callable, Collection, Coroutine, Generator
from typing import Any, Final, Generic, Protocol, TypeVar, cast, get_args, overload

from ._call import Sleep
from ._client import Client
from ._exceptions import (
    ChargeAPIError,
    InvalidParameterError,
    UnreachableStatusError,
    WaitTimeoutError,
)
from ._operations import Call, asynchronous, on_object, sync
from ._validate import shown
from .resources._base import resolve_client

__all__ = ["DEFAULT_INTERVAL", "Lifecycle", "run_wait"]

M = TypeVar("M")
S = TypeVar("S", bound=str)
M_co = TypeVar("M_co", covariant=True)
S_contra = TypeVar("S_contra", bound=str, contravariant=True)

#: Seconds between two retrieves when ``interval`` is not given.
DEFAULT_INTERVAL: Final = 5.0
# A wait that ends within this of its deadline ended at it (float sums of slept seconds).
_SLACK = 1e-6


class _Retrieve:
    """The step that asks the shell for the object, as it is now."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "RETRIEVE"


RETRIEVE: Final = _Retrieve()
Step = _Retrieve | Sleep
Wait = Generator[Step, Any, Any]


class WaitUntil(Protocol[M_co, S_contra]):
    """``Resource.wait_until``: wait for one of ``status``, then return the object."""

    def __call__(
        self,
        id: str,
        *,
        status: S_contra | Collection[S_contra],
        timeout: float,
        interval: float = DEFAULT_INTERVAL,
        client: Client | None = None,
    ) -> M_co: ...


class AsyncWaitUntil(Protocol[M_co, S_contra]):
    """``Resource.wait_until_async``: ``wait_until`` for async code."""

    def __call__(
        self,
        id: str,
        *,
        status: S_contra | Collection[S_contra],
        timeout: float,
        interval: float = DEFAULT_INTERVAL,
        client: Client | None = None,
    ) -> Coroutine[Any, Any, M_co]: ...


class BoundWaitUntil(Protocol[M_co, S_contra]):
    """``obj.wait_until``: ``wait_until`` for this object's own ID."""

    def __call__(
        self,
        *,
        status: S_contra | Collection[S_contra],
        timeout: float,
        interval: float = DEFAULT_INTERVAL,
        client: Client | None = None,
    ) -> M_co: ...


class BoundAsyncWaitUntil(Protocol[M_co, S_contra]):
    """``obj.wait_until_async``: ``wait_until_async`` for this object's own ID."""

    def __call__(
        self,
        *,
        status: S_contra | Collection[S_contra],
        timeout: float,
        interval: float = DEFAULT_INTERVAL,
        client: Client | None = None,
    ) -> Coroutine[Any, Any, M_co]: ...


class WaitMethod(Protocol[M_co, S_contra]):
    """``wait_until`` as a resource has it: on the class it takes the ID
    (``Report.wait_until(id, ...)``), on an object it is that object's
    (``report.wait_until(...)``, with the client it came from), like the operations."""

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> WaitUntil[M_co, S_contra]: ...
    @overload
    def __get__(
        self, instance: object, owner: type[Any] | None = None, /
    ) -> BoundWaitUntil[M_co, S_contra]: ...


class AsyncWaitMethod(Protocol[M_co, S_contra]):
    """``wait_until_async`` as a resource has it (see ``WaitMethod``)."""

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> AsyncWaitUntil[M_co, S_contra]: ...
    @overload
    def __get__(
        self, instance: object, owner: type[Any] | None = None, /
    ) -> BoundAsyncWaitUntil[M_co, S_contra]: ...


def run_wait(
    wanted: frozenset[str],
    terminal: frozenset[str],
    timeout: float,
    interval: float,
    clock: Callable[[], float] = time.monotonic,
) -> Wait:
    """Retrieve until the status is in ``wanted``; return that object.

    Raises UnreachableStatusError when a status in ``terminal`` (and not wanted) is seen, and
    WaitTimeoutError once ``timeout`` seconds have passed (a retrieve at the deadline is the
    last). An error the shell sends back from a retrieve is raised, with a note of what was
    last seen.
    """
    started, slept, checks = clock(), 0.0, 0
    last: Any = None
    while True:
        seen = yield RETRIEVE
        waited = max(clock() - started, slept)
        if isinstance(seen, ChargeAPIError):
            if last is not None:
                seen.add_note(
                    f"chargeapi: raised while waiting for {_name(last)} to be {_either(wanted)}; "
                    f"it was {_status(last)!r} after {_progress(waited, checks)}"
                )
            raise seen
        last, checks = seen, checks + 1
        status = getattr(seen, "status", None)
        if status in wanted:
            return seen
        if status in terminal:
            raise UnreachableStatusError(
                f"{_name(seen)} is {_status(seen)!r}, a terminal status: it can never become "
                f"{_either(wanted)} (after {_progress(waited, checks)}).",
                last=seen,
                wanted=tuple(sorted(wanted)),
            )
        left = timeout - waited
        if left <= _SLACK:
            raise WaitTimeoutError(
                f"{_name(seen)} is still {_status(seen)!r}, not {_either(wanted)}, after "
                f"{_progress(waited, checks)} (timeout {timeout:g} s).",
                last=seen,
                wanted=tuple(sorted(wanted)),
            )
        pause = min(interval, left)
        yield Sleep(pause)
        slept += pause


def wait_sync(steps: Wait, retrieve: Callable[[], Any], sleep: Callable[[float], None]) -> Any:
    """Carry out ``steps`` with a blocking retrieve and sleep; return the object."""
    seen: Any = None
    while True:
        try:
            step = steps.send(seen)
        except StopIteration as done:
            return done.value
        if isinstance(step, Sleep):
            sleep(step.seconds)
            seen = None
            continue
        try:
            seen = retrieve()
        except ChargeAPIError as error:
            seen = error  # the loop notes what it last saw, then raises it


async def wait_async(
    steps: Wait,
    retrieve: Callable[[], Awaitable[Any]],
    sleep: Callable[[float], Awaitable[None]],
) -> Any:
    """Carry out ``steps`` with an async retrieve and sleep; return the object."""
    seen: Any = None
    while True:
        try:
            step = steps.send(seen)
        except StopIteration as done:
            return done.value
        if isinstance(step, Sleep):
            await sleep(step.seconds)
            seen = None
            continue
        try:
            seen = await retrieve()
        except ChargeAPIError as error:
            seen = error


class Lifecycle(Generic[S]):
    """A resource's statuses and its terminal ones; ``waiters`` derives its wait methods.

    ``statuses`` is the ``Literal`` of every status (``S``, given as the type argument too,
    so ``status=`` takes exactly those); ``terminal`` the statuses nothing follows.
    """

    __slots__ = ("statuses", "terminal")

    def __init__(self, statuses: Any, *, terminal: Collection[S]) -> None:
        self.statuses: tuple[str, ...] = get_args(statuses)
        self.terminal = frozenset[str](terminal)
        if not self.statuses or not self.terminal <= set(self.statuses):
            raise TypeError(f"terminal {sorted(self.terminal)} must be among {self.statuses}")

    def checked(
        self, status: object, timeout: object, interval: object
    ) -> tuple[frozenset[str], float, float]:
        """The wanted statuses, the timeout and the interval, or InvalidParameterError."""
        values = _values(status)
        known = ", ".join(repr(s) for s in self.statuses)
        if not values or not all(isinstance(v, str) and v in self.statuses for v in values):
            raise InvalidParameterError(
                f"status must be one of {known}, or a collection of them, got {shown(status)}",
                param="status",
            )
        return (
            frozenset(str(v) for v in values),
            _seconds_param("timeout", timeout, allow_zero=True),
            _seconds_param("interval", interval, allow_zero=False),
        )

    def waiters(
        self, retrieve: Callable[..., Call[M]]
    ) -> tuple[WaitMethod[M, S], AsyncWaitMethod[M, S]]:
        """``wait_until`` and ``wait_until_async`` over the retrieve definition ``retrieve``,
        for the class (they take the ID) and its objects (their own ID, and client)."""
        fetch, fetch_async = sync(retrieve).__func__, asynchronous(retrieve).__func__

        def start(
            status: object, timeout: object, interval: object, client: Client | None
        ) -> tuple[Wait, Client]:
            wanted, seconds, every = self.checked(status, timeout, interval)
            resolved = resolve_client(client)  # one client for the whole wait
            return run_wait(wanted, self.terminal, seconds, every), resolved

        def wait_until(
            id: str,
            *,
            status: Any,
            timeout: float,
            interval: float = DEFAULT_INTERVAL,
            client: Client | None = None,
        ) -> Any:
            steps, resolved = start(status, timeout, interval, client)
            return wait_sync(steps, lambda: fetch(id, client=resolved), resolved._sleep)

        async def wait_until_async(
            id: str,
            *,
            status: Any,
            timeout: float,  # noqa: ASYNC109 - the sync twin's name; asyncio.timeout works too
            interval: float = DEFAULT_INTERVAL,
            client: Client | None = None,
        ) -> Any:
            import asyncio  # noqa: PLC0415 - async callers have it loaded; sync ones never pay

            steps, resolved = start(status, timeout, interval, client)
            sleep = resolved._async_sleep or asyncio.sleep
            return await wait_async(steps, lambda: fetch_async(id, client=resolved), sleep)

        model = str(inspect.signature(retrieve).return_annotation).partition("[")[2].rstrip("]")
        for function in (wait_until, wait_until_async):
            # Shown (help, the API reference) as the resource's own methods, like its operations.
            function.__module__ = retrieve.__module__
            function.__qualname__ = f"{model}.{function.__name__}"
            _describe(function, model, self)
        return (
            cast("WaitMethod[M, S]", on_object(wait_until)),
            cast("AsyncWaitMethod[M, S]", on_object(wait_until_async)),
        )


def _describe(function: Callable[..., Any], model: str, lifecycle: Lifecycle[Any]) -> None:
    """The docstring and signature that help(), the docs and the CLI show."""
    noun = "".join(f" {c.lower()}" if c.isupper() else c for c in model).strip()
    literal = f"Literal[{', '.join(repr(s) for s in lifecycle.statuses)}]"
    terminal = ", ".join(s for s in lifecycle.statuses if s in lifecycle.terminal)
    is_async = function.__name__.endswith("_async")
    function.__doc__ = (
        f"Wait until the {noun}'s status is one of ``status``; return the {noun}"
        f"{' (for async code)' if is_async else ''}.\n\n"
        f"Retrieves it at once, then every ``interval`` seconds (default {DEFAULT_INTERVAL:g}), "
        f"sleeping with the client's sleep. Raises ``WaitTimeoutError`` once ``timeout`` "
        f"seconds have passed (the last retrieve is at the deadline; ``timeout=0`` checks "
        f"once), and ``UnreachableStatusError`` at once when the {noun} reaches a terminal "
        f"status ({terminal}) that is not wanted; both hold the {noun} as last seen in "
        f"``.last``. An error from a retrieve ends the wait and propagates, with a note of "
        f"the status last seen."
    )
    signature = inspect.signature(function)
    parameters = [
        p.replace(annotation=f"{literal} | Collection[{literal}]") if p.name == "status" else p
        for p in signature.parameters.values()
    ]
    vars(function)["__signature__"] = signature.replace(
        parameters=parameters, return_annotation=model
    )
    vars(function)["__chargeapi_lifecycle__"] = lifecycle


def _values(status: object) -> tuple[object, ...]:
    """``status=`` as a tuple: one status, or a collection of them (empty if neither)."""
    if isinstance(status, str):
        return (status,)
    if isinstance(status, Collection) and not isinstance(status, bytes | dict):
        return tuple(cast("Collection[object]", status))
    return ()


def _seconds_param(name: str, value: object, *, allow_zero: bool) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not allow_zero)
    ):
        bound = ">= 0" if allow_zero else "above 0"
        raise InvalidParameterError(
            f"{name} must be a finite number of seconds {bound}, got {shown(value)}", param=name
        )
    return float(value)


def _name(obj: Any) -> str:
    return f"{type(obj).__name__} {getattr(obj, 'id', '?')}"


def _status(obj: Any) -> object:
    status = getattr(obj, "status", None)
    return str(status) if isinstance(status, str) else status  # a StrEnum shows as its value


def _either(wanted: frozenset[str]) -> str:
    return " or ".join(repr(s) for s in sorted(wanted))


def _progress(waited: float, checks: int) -> str:
    return f"{round(waited, 3):g} s and {checks} check{'s' if checks != 1 else ''}"
