"""Where the SDK's own time goes inside a real call, step by step (``--only breakdown``).

For sync ``create()``, sync ``retrieve()`` and ``create_async()``, on the overhead group's
transport and clients: variants of the call in which exactly one step of the SDK's own work is
taken out (replaced by its result, computed once before timing), interleaved with the unchanged
call and raw httpx, in a new order each round. A step's cost is the median over rounds of the
unchanged call's time less the variant's, measured moments apart (and the best round's less
the best round's). Every variant is run once before timing and must return the same object,
sent through the transport; only the steps named "left out" may leave something off it.

The replacements are made in this process only, for one batch at a time, and always undone:
a module's name for a function, a plan's attribute, a closure's cell, or (binding the
arguments, the coroutine layers) the code of the SDK's own function, compiled again from its
source with that one expression changed. No class is changed: that would throw away the
interpreter's caches of its attributes, for every contender that runs after. Each variant is
checked under a profile hook to run none of its step's code and all of every other step's.
A step that cannot be replaced without changing what the call does is listed, with the reason.
"""

from __future__ import annotations
import __future__

import asyncio
import contextlib
import functools
import inspect
import os
import statistics
import sys
import textwrap
from collections.abc import Callable, Coroutine, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any
from unittest import mock

import httpx

import chargeapi
from chargeapi import _aiohttp, _call, _client, _json, _operations, _transport
from chargeapi._client import Client
from chargeapi.resources import _base

from ._fixtures import (
    API,
    KEY,
    RAW_HEADERS,
    RAW_POST_HEADERS,
    SEED_BYTES,
    SEED_REQUEST,
    SESSION_ID,
    handler,
)
from ._harness import Contender, Group, Runner, interleave, loop_async, loop_call
from .overhead import URL, own_async_client_on, sdk_client

Session = chargeapi.ChargingSession
# Installs one variant's replacements on the stack (undone when it closes).
Install = Callable[[ExitStack], None]


@dataclass
class Step:
    name: str
    install: Install | None  # None: the step cannot be taken out (``why``)
    why: str = ""
    # The SDK's code that runs only for this step: the variant must run none of it.
    skips: tuple[CodeType, ...] = ()
    # What the variant may leave off the returned object (the step itself puts it there).
    keeps_last_response: bool = True
    keeps_client: bool = True
    in_all: bool = True  # part of "every step at once" (the coroutine layers are not)


@dataclass
class Call:
    """One operation's call and its pieces, computed once."""

    client: Client
    plan: Any
    params: dict[str, Any]
    method: Callable[..., Any]  # the derived method (sync or async)
    request: Any  # the PreparedRequest it sends
    decoded: Any  # the returned object
    is_async: bool = False
    post: bool = False


@contextlib.contextmanager
def _cell(fn: Callable[..., Any], name: str, value: Any) -> Iterator[None]:
    """``fn``'s closure variable ``name`` set to ``value`` for the block."""
    cell = fn.__closure__[fn.__code__.co_freevars.index(name)]  # type: ignore[index]
    old = cell.cell_contents
    cell.cell_contents = value
    try:
        yield
    finally:
        cell.cell_contents = old


@contextlib.contextmanager
def _code(fn: Callable[..., Any], code: CodeType) -> Iterator[None]:
    """``fn`` runs ``code`` for the block: the function object stays, so every name for it
    (a class's, a ``functools.partial``'s) runs the new code, and no class is changed."""
    old = fn.__code__
    fn.__code__ = code
    try:
        yield
    finally:
        fn.__code__ = old


class NotReplaceable(Exception):
    """A function that cannot be rewritten as asked (the reason is the message)."""


def rewritten(
    fn: Callable[..., Any],
    edits: list[tuple[str, str]],
    *,
    flatten: bool = False,
    consts: dict[str, Any] | None = None,
) -> CodeType:
    """The code of ``fn`` compiled again from its own source, with each ``old`` text (exactly
    once in it) replaced by ``new``; a string literal of ``new`` named in ``consts`` becomes
    that object, a constant of the code. ``flatten``: an ``async def`` whose only await is its
    return's becomes a plain function returning the awaited coroutine (the same work, one
    coroutine less); anything else awaited raises NotReplaceable. Same free variables, so it
    can replace ``fn.__code__``."""
    source = textwrap.dedent(inspect.getsource(fn))
    for old, new in edits:
        if source.count(old) != 1:
            raise NotReplaceable(f"{old!r} is not once in {fn.__qualname__}")
        source = source.replace(old, new)
    if flatten:
        if not source.startswith("async def "):
            raise NotReplaceable(f"{fn.__qualname__} is no coroutine function")
        source = source.replace("async def ", "def ", 1).replace("return await ", "return ")
    name = source.split("def ", 1)[1].split("(", 1)[0]
    free = fn.__code__.co_freevars
    wrapper = (
        f"def _outer({', '.join(free)}):\n{textwrap.indent(source, '    ')}\n    return {name}\n"
    )
    try:
        compiled = compile(
            wrapper,
            f"<bench: {fn.__qualname__}, rewritten>",
            "exec",
            flags=__future__.annotations.compiler_flag,
            dont_inherit=True,
        )
    except SyntaxError as error:  # an await left in a plain function
        why = f"{fn.__qualname__} awaits more than its return's coroutine"
        raise NotReplaceable(why) from error
    space: dict[str, Any] = {}
    exec(compiled, fn.__globals__, space)
    code: CodeType = space["_outer"](*(None for _ in free)).__code__
    if consts:
        code = code.replace(co_consts=tuple(_const(c, consts) for c in code.co_consts))
    assert code.co_freevars == free, (fn, code.co_freevars)
    return code


def _const(value: Any, consts: dict[str, Any]) -> Any:
    return consts[value] if isinstance(value, str) and value in consts else value


def _patch(stack: ExitStack, target: Any, name: str, value: Any) -> None:
    stack.enter_context(mock.patch.object(target, name, value))


def _constant(value: Any) -> Callable[..., Any]:
    return lambda *args: value


def _replaced(
    name: str, target: Any, attribute: str, value: Any, code: Any = None, **flags: bool
) -> Step:
    """A step taken out by replacing ``target.attribute`` with a function returning ``value``;
    the variant must run none of ``code``'s code (by default, the replaced function's)."""
    replaced = getattr(target, attribute) if code is None else code
    return Step(
        name,
        lambda s: _patch(s, target, attribute, _constant(value)),
        skips=_code_of(replaced),
        **flags,  # type: ignore[arg-type]
    )


class _NoDeadline:
    """A context manager that does nothing: the attempt's deadline timer taken out."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_DEADLINE = _NoDeadline()


def _deadline_step(module: Any) -> Step:
    """The attempt's deadline timer left out, in ``module``'s attempt (either backend's)."""
    return _replaced(
        "the attempt's deadline timer (left out)",
        module,
        "AttemptDeadline",
        _NO_DEADLINE,
        _transport.AttemptDeadline.__init__,
    )


def _code_of(fn: Any) -> tuple[CodeType, ...]:
    code = getattr(fn, "__code__", None)
    return () if code is None else (code,)


def _steps(call: Call) -> list[Step]:
    """The variants of ``call``, one step of its own work taken out in each."""
    plan, params, client, request = call.plan, call.params, call.client, call.request
    steps: list[Step] = []
    method = call.method
    definition = method.__chargeapi_definition__  # type: ignore[attr-defined]
    try:
        bound = rewritten(
            method,
            [("definition(*args, **kwargs).params", "'_bench_params'")],
            consts={"_bench_params": params},
        )
        steps.append(
            Step(
                "binding the arguments",
                lambda s: s.enter_context(_code(method, bound)),
                # The method runs as rewritten: its own code, and the definition's, not at all.
                skips=(definition.__code__, method.__code__),
            )
        )
    except NotReplaceable as error:
        steps.append(Step("binding the arguments", None, str(error)))

    checked = plan.checked_params(params)
    steps.append(_replaced("the parameter checks (and the path)", plan, "checked_params", checked))
    if call.post:
        key = request.idempotency_key
        steps.append(_replaced("the Idempotency-Key", _operations, "new_idempotency_key", key))

    url = request.url
    wire = _transport.wire_url(url)  # the URL as httpx is handed it

    def request_built(s: ExitStack) -> None:
        _patch(s, _operations, "url_of", _constant(url))
        if call.post:

            def post_request(url: str, headers: Any, body: Any, key: str) -> Any:
                _json.dumps(body)  # the body's encoding is a step of its own: kept
                return request

            _patch(s, _operations, "post_request", post_request)
        else:
            _patch(s, _operations, "get_request", _constant(request))

    built = _operations.post_request if call.post else _operations.get_request
    steps.append(
        Step(
            "building the request as sent (URL, headers)",
            request_built,
            skips=(*_code_of(_operations.url_of), *_code_of(built)),
        )
    )
    steps.append(_replaced("the URL as httpx is handed it (parsed)", _transport, "wire_url", wire))
    if call.post:
        content = request.content
        steps.append(_replaced("encoding the JSON body", _json, "dumps", content))
    body = _json.loads(SEED_BYTES)  # orjson's dict, its key objects as a real answer's
    steps.append(_replaced("parsing the answer (JSON)", _call, "json_loads", body))
    steps.append(_replaced("the answer check (object type and ID)", _base, "wrong_object", None))
    strict = client._strict_responses
    if plan.decoders is None:  # the answer must be the object the call names
        decoder = plan.decoder(params, strict)
        decode = decoder.func
        pairing = "pairing the decoder with the ID asked for"
        steps.append(_replaced(pairing, plan, "decoder", decoder))
    else:
        decode = plan.decoders[strict].func
    decoded = call.decoded
    structure = inspect.getclosurevars(decode).nonlocals.get("structure")
    if structure is None:
        steps.append(Step("decoding into the model", None, "no generated decoder for the model"))
    else:
        steps.append(
            Step(
                "decoding into the model (the object reused)",
                lambda s: s.enter_context(_cell(decode, "structure", _constant(decoded))),
                skips=_code_of(structure),
            )
        )
    last = decoded.last_response
    steps += [
        _replaced(
            "last_response: building it", _call, "LastResponse", last, _call.LastResponse.__init__
        ),
        _replaced(
            "last_response: attaching it (left out)",
            _call,
            "attach",
            None,
            keeps_last_response=False,
        ),
        _replaced(
            "remembering the client (left out)",
            _base,
            "remember_client",
            None,
            keeps_client=False,
        ),
    ]
    if call.is_async:
        steps.append(_deadline_step(_transport))
        steps += _layers(call)
    return steps


def _swap(stack: ExitStack, fn: Callable[..., Any], code: CodeType) -> None:
    stack.enter_context(_code(fn, code))


def _layers(call: Call) -> list[Step]:
    """Each coroutine layer of ``create_async()`` made a plain function returning the
    coroutine it awaits, where that is all it awaits (then it does the same work)."""
    layers = [
        ("the method's coroutine", call.method),
        ("call_plan_async's coroutine", _client.call_plan_async),
        ("the client's _drive_async coroutine", Client._drive_async),
        ("drive_async's coroutine (the step loop)", _transport.drive_async),
        ("the attempt's coroutine", _transport._attempt_async),
    ]
    steps = []
    for name, fn in layers:
        if not inspect.iscoroutinefunction(fn):
            why = "no coroutine: a plain function returning what its caller awaits"
            steps.append(Step(f"layer: {name}", None, why, in_all=False))
            continue
        try:
            flat = rewritten(fn, [], flatten=True)
        except NotReplaceable as error:
            steps.append(Step(f"layer: {name}", None, str(error), in_all=False))
            continue
        steps.append(
            Step(
                f"layer: {name} (flattened)",
                functools.partial(
                    lambda s, fn, flat: s.enter_context(_code(fn, flat)), fn=fn, flat=flat
                ),
                skips=(fn.__code__,),
                in_all=False,
            )
        )
    return steps


def _all_at_once(steps: list[Step]) -> Step:
    every = [s for s in steps if s.install is not None and s.in_all]

    def install(stack: ExitStack) -> None:
        for each in every:
            each.install(stack)  # type: ignore[misc]

    return Step(
        "every step at once" + (" (not the layers)" if len(every) < len(steps) else ""),
        install,
        skips=tuple(code for each in every for code in each.skips),
        keeps_last_response=False,
        keeps_client=False,
    )


def _with(install: Install, run: Runner) -> Runner:
    def patched(n: int) -> int:
        with ExitStack() as stack:
            install(stack)
            return run(n)

    return patched


def _ran(
    once: Callable[[], Any], install: Install | None, transport: Any
) -> tuple[Any, set[int], int]:
    """``once()`` with ``install``'s replacements: its result, the ids of the code objects of
    every Python function it ran, and how many requests reached the transport."""
    ran: set[int] = set()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            ran.add(id(frame.f_code))

    sent = []

    def counting(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return handler(request)

    transport.handler = counting
    try:
        with ExitStack() as stack:
            if install is not None:
                install(stack)
            sys.setprofile(profile)
            try:
                result = once()
            finally:
                sys.setprofile(None)
    finally:
        transport.handler = handler
    return result, ran, len(sent)


def _checked(call: Call, steps: list[Step], once: Callable[[], Any], transport: Any) -> None:
    """Every variant returns the same object as the unchanged call, sent through the
    transport, with its last_response and client unless its step is what puts them there;
    it runs none of its step's code and all of every other step's (which the unchanged call
    runs, all of it)."""
    every = {id(code) for step in steps for code in step.skips}
    result, ran, sent = _ran(once, None, transport)
    assert not every - ran, f"the unchanged call runs no {every - ran}"
    for step in steps:
        result, ran, sent = _ran(once, step.install, transport)
        expected = call.decoded
        assert type(result) is type(expected), step.name
        assert result == expected, step.name
        assert sent == 1, step.name
        assert not step.keeps_last_response or result.last_response is not None, step.name
        assert not step.keeps_client or result._client is call.client, step.name
        skipped = {id(code) for code in step.skips}
        assert not skipped & ran, f"{step.name}: still runs {skipped & ran}"
        assert not every - skipped - ran, f"{step.name}: skips {every - skipped - ran} too"


def _run(
    title: str,
    call: Call,
    raw: Runner,
    unchanged: Runner,
    once: Callable[[], Any],
    transport: Any,
    rounds: int,
    target_ns: int,
    runner: Callable[[Install], Runner],
) -> Group:
    steps = _steps(call)
    steps.append(_all_at_once(steps))
    timed_steps = [s for s in steps if s.install is not None]
    _checked(call, timed_steps, once, transport)
    contenders = [
        Contender("the unchanged call", unchanged),
        Contender("  the unchanged call again (for scale: the noise)", unchanged),
    ]
    contenders += [Contender(f"  - {s.name}", runner(s.install)) for s in timed_steps]  # type: ignore[arg-type]
    group = interleave(
        title,
        Contender("raw httpx", raw),
        contenders,
        rounds=rounds,
        target_ns=target_ns,
        shuffle=True,
    )
    group.extra += _shares(group, timed_steps, [s for s in steps if s.install is None])
    return group


def _shares(
    group: Group, steps: list[Step], missing: list[Step], baseline: str = "raw httpx"
) -> list[str]:
    raw, unchanged, again, *variants = [r.per_op_ns for r in group.results]

    def saves(base: list[float], less: list[float]) -> tuple[float, float]:
        median = statistics.median(b - v for b, v in zip(base, less, strict=True)) / 1e3
        return median, (min(base) - min(less)) / 1e3

    rows = [
        (f"the unchanged call's excess over {baseline}", *saves(unchanged, raw)),
        ("(for scale, the noise: the unchanged call, again)", *saves(unchanged, again)),
    ]
    rows += [(s.name, *saves(unchanged, v)) for s, v in zip(steps, variants, strict=True)]
    one_by_one = sum(m for name, m, _ in rows[2:-1] if not name.startswith("layer:"))
    lines = [
        "taken out in turn, inside the call: the unchanged call less the variant, us",
        f"  {'step':<58}{'median':>8}{'best/best':>11}",
    ]
    lines += [f"  {name:<58}{m:>8.1f}{b:>11.1f}" for name, m, b in rows]
    lines.append(f"  {'(the steps one by one, added up)':<58}{one_by_one:>8.1f}")
    lines += [f"  not taken out: {s.name}: {s.why}" for s in missing]
    return lines


def bench_create(rounds: int, target_ns: int) -> Group:
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    client = sdk_client(transport)
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}
    create = functools.partial(Session.create, **SEED_REQUEST, client=client)
    try:
        call = _call_of(client, "create", create, post=True)
        return _run(
            "breakdown: create (sync)",
            call,
            loop_call(lambda: http.post(URL, json=SEED_REQUEST, headers=key).json()),
            loop_call(create),
            create,
            transport,
            rounds,
            target_ns,
            lambda install: _with(install, loop_call(create)),
        )
    finally:
        client.close()
        http.close()


def bench_retrieve(rounds: int, target_ns: int) -> Group:
    transport = httpx.MockTransport(handler)
    http = httpx.Client(transport=transport, headers=RAW_HEADERS)
    client = sdk_client(transport)

    def retrieve() -> Any:
        return Session.retrieve(SESSION_ID, client=client)

    try:
        call = _call_of(client, "retrieve", retrieve, post=False)
        return _run(
            "breakdown: retrieve (sync)",
            call,
            loop_call(lambda: http.get(f"{URL}/{SESSION_ID}").json()),
            loop_call(retrieve),
            retrieve,
            transport,
            rounds,
            target_ns,
            lambda install: _with(install, loop_call(retrieve)),
        )
    finally:
        client.close()
        http.close()


def _call_of(client: Client, name: str, once: Callable[[], Any], *, post: bool) -> Call:
    """The call of ``ChargingSession.<name>`` on ``client``, its pieces computed once."""
    method = getattr(Session, name)
    definition = method.__chargeapi_definition__
    plan = _operations._plan(definition)
    decoded = once()
    if post:
        params = definition(**SEED_REQUEST, client=client).params
    else:
        params = definition(SESSION_ID, client=client).params
    headers = client._direct_headers(None)
    assert headers is not None, "the bench's client takes the plan's direct way"
    request = plan.request(params, client._base_url, headers)
    return Call(client, plan, params, method, request, decoded, post=post)


def bench_create_async(rounds: int, target_ns: int) -> Group:
    loop = asyncio.new_event_loop()
    transport = httpx.MockTransport(handler)
    http = httpx.AsyncClient(transport=transport, headers=RAW_HEADERS)
    client = chargeapi.Client(KEY, base_url=API)
    key = {"Idempotency-Key": RAW_POST_HEADERS["Idempotency-Key"]}

    def create() -> Coroutine[Any, Any, Any]:
        return Session.create_async(**SEED_REQUEST, client=client)

    async def raw_create() -> Any:
        response = await http.post(URL, json=SEED_REQUEST, headers=key)
        return response.json()

    def once() -> Any:
        return loop.run_until_complete(create())

    try:
        loop.run_until_complete(own_async_client_on(client, transport))
        call = _call_of(client, "create_async", once, post=True)
        call.is_async = True
        return _run(
            "breakdown: create_async (httpx)",
            call,
            loop_async(loop, raw_create),
            loop_async(loop, create),
            once,
            transport,
            rounds,
            target_ns,
            lambda install: _with(install, loop_async(loop, create)),
        )
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()


# What the aiohttp backend's breakdown leaves out: steps of the httpx backends only.
_HTTPX_ONLY = ("the URL as httpx is handed it (parsed)",)


def bench_create_aiohttp(rounds: int, concurrency: int = 64) -> Group:
    """``create_async()`` on the aiohttp backend over the loopback server, ``concurrency``
    requests in flight, against raw aiohttp: the same variants, each a batch of its own (a
    round's time per request; the server on one core, the client on the other).

    Checked before timing: every variant returns the unchanged call's object, with its
    last_response and client unless its step is what puts them there."""
    from .loopback import _batch, _cores, _session, server  # noqa: PLC0415 - needs aiohttp

    cores = _cores()
    previous = os.sched_getaffinity(0) if cores else None
    loop = asyncio.new_event_loop()
    with server(cores[0] if cores else None) as base_url:
        if cores:
            os.sched_setaffinity(0, {cores[1]})
        url = f"{base_url}/v1/charging_sessions"
        raw = loop.run_until_complete(_session())
        client = chargeapi.Client(KEY, base_url=base_url, max_retries=0, async_backend="aiohttp")

        async def raw_one() -> Any:
            async with raw.post(url, json=SEED_REQUEST, headers=RAW_POST_HEADERS) as answer:
                return await answer.json()

        def sdk_one() -> Coroutine[Any, Any, Any]:
            return Session.create_async(**SEED_REQUEST, client=client)

        def once() -> Any:
            return loop.run_until_complete(sdk_one())

        try:
            call = _call_of(client, "create_async", once, post=True)
            call.is_async = True
            steps = [s for s in _steps(call) if s.name not in _HTTPX_ONLY]
            deadline = _deadline_step(_transport).name  # the aiohttp attempt's own timer
            steps = [_deadline_step(_aiohttp) if s.name == deadline else s for s in steps]
            steps.append(_all_at_once(steps))
            timed = [s for s in steps if s.install is not None]
            for step in timed:
                with ExitStack() as stack:
                    step.install(stack)  # type: ignore[misc]
                    result = once()
                assert type(result) is type(call.decoded), step.name
                assert result == call.decoded, step.name
                assert not step.keeps_last_response or result.last_response is not None
                assert not step.keeps_client or result._client is client, step.name
            unchanged = _batch(loop, sdk_one, concurrency)
            contenders = [
                Contender("the unchanged call", unchanged),
                Contender("  the unchanged call again (for scale: the noise)", unchanged),
            ]
            contenders += [
                Contender(f"  - {s.name}", _with(s.install, _batch(loop, sdk_one, concurrency)))  # type: ignore[arg-type]
                for s in timed
            ]
            group = interleave(
                f"breakdown: create_async (aiohttp backend, loopback, {concurrency} in flight)",
                Contender("raw aiohttp", _batch(loop, raw_one, concurrency)),
                contenders,
                rounds=rounds,
                target_ns=300_000_000,  # ~2,000 requests a batch
                shuffle=True,
            )
            missing = [s for s in steps if s.install is None]
            group.extra += _shares(group, timed, missing, "raw aiohttp")
            return group
        finally:
            loop.run_until_complete(client.aclose())
            loop.run_until_complete(raw.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            if previous is not None:
                os.sched_setaffinity(0, previous)


def bench_breakdown(rounds: int, target_ns: int, loopback_rounds: int = 7) -> list[Group]:
    return [
        bench_create(rounds, target_ns),
        bench_retrieve(rounds, target_ns),
        bench_create_async(rounds, target_ns),
        bench_create_aiohttp(loopback_rounds),
    ]
