"""Operations: each API operation is written once, as a typed definition; sync and async derive.

A definition is a function whose signature *is* the operation's parameters and whose docstring is
its documentation. ``@operation`` records the HTTP method and the documented path template; the
body returns ``Call(locals())`` (one object) or ``ListCall(locals())`` (a paginated list)::

    @operation("POST", "/v1/drivers/{driver}/attach")
    def _attach(id: DriverID, *, fleet: FleetID, idempotency_key: str | None = None,
                client: Client | None = None) -> Call[Driver]:
        \"\"\"Attach a driver to a fleet.\"\"\"
        return Call(locals())

    class Driver(ChargeObject):
        attach = sync(_attach)                  # Driver.attach(...) -> Driver
        attach_async = asynchronous(_attach)    # await Driver.attach_async(...) -> Driver

How parameters travel: positional parameters fill the path's placeholders in order;
``idempotency_key`` and ``client`` configure the call; ``expand`` is repeated in the query; every
other parameter goes into the JSON body (POST) or the query (GET). A parameter whose default is
``None`` is left out when it is ``None``; one whose default is ``NOT_GIVEN`` (updates) is left out
only when not given, and an explicit ``None`` is sent as ``null``. Values are checked by their
annotations (``_params``) before any I/O.

``@resource`` on the model class registers its object type and names its methods; ``table()`` is
the one list of operations that the docs' endpoint page, the simulator's router and the CLI read.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
import threading
import typing
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload
from urllib.parse import quote

from ._exceptions import InvalidParameterError
from ._extras import OPTION_NAMES, check_body, check_headers, check_query
from ._params import ID, NOT_GIVEN, compile_check
from ._registry import PREFIXES, register
from ._request import (
    PreparedRequest,
    RequestSpec,
    checked_idempotency_key,
    get_request,
    new_idempotency_key,
    new_tuple,
    post_request,
    prepare,
    url_of,
)
from ._validate import check_expand

if typing.TYPE_CHECKING:
    from ._pagination import AsyncPager, Page

__all__ = [
    "Call",
    "ListCall",
    "Method",
    "Operation",
    "Plan",
    "asynchronous",
    "on_object",
    "operation",
    "resource",
    "sync",
    "table",
]

P = ParamSpec("P")
T = TypeVar("T")
IdT = TypeVar("IdT")
C = TypeVar("C", bound=type[Any])
F = TypeVar("F", bound=Callable[..., Any])


class _Bound:
    """A definition's bound parameters (``Call(locals())``), as the derived methods read them."""

    __slots__ = ("params",)

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params


class Call(_Bound, Generic[T]):
    """What a definition returns: its bound parameters; ``T`` is the model the call returns."""

    __slots__ = ()


class ListCall(_Bound, Generic[T]):
    """Like ``Call``, for a list endpoint whose pages hold ``T`` objects (not a ``Call``, so the
    overloads of ``sync``/``asynchronous`` tell the two apart)."""

    __slots__ = ()


_CONFIG = frozenset({"client", "idempotency_key", "expand"})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class _Field:
    name: str
    check: Callable[[str, Any], Any]
    none_means_omit: bool


def _checks_function(
    path_format: str,
    path_params: tuple[tuple[str, Callable[[str, Any], Any]], ...],
    checks: tuple[tuple[str, Callable[[str, Any], Any], bool], ...],
    qualname: str,
) -> Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]:
    """One call's path, its checked parameters put in, and the checked values of its body or
    query parameters, in order: one function with a line per parameter, made once per plan. A
    parameter not given, or None where None means "leave it out", is left out; every other
    value is its check's answer. The path's parameters are checked first."""
    namespace: dict[str, Any] = {"NOT_GIVEN": NOT_GIVEN, "path_format": path_format}
    put: list[str] = []
    for i, (name, check) in enumerate(path_params):
        namespace[f"path_check_{i}"] = check
        put.append(f"path_check_{i}({name!r}, params[{name!r}])")
    path = f"path_format.format({', '.join(put)})" if put else "path_format"
    lines = ["def checked(params):", f"    path = {path}"]
    lines.append("    values = {}")
    for i, (name, check, none_means_omit) in enumerate(checks):
        namespace[f"check_{i}"] = check
        omitted = " and value is not None" if none_means_omit else ""
        lines += [
            f"    value = params[{name!r}]",
            f"    if value is not NOT_GIVEN{omitted}:",
            f"        values[{name!r}] = check_{i}({name!r}, value)",
        ]
    lines.append("    return path, values")
    code = compile("\n".join(lines), f"<chargeapi parameters {qualname}>", "exec")
    exec(code, namespace)  # noqa: S102 - code built above from parameter names only
    checked: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]] = namespace["checked"]
    return checked


class Plan:
    """A definition compiled on first use: where each parameter goes and how it is checked."""

    def __init__(self, definition: Callable[..., Any], spec: _Spec) -> None:
        hints = typing.get_type_hints(definition, include_extras=True)
        signature = inspect.signature(definition)
        positional = [
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self.method = spec.method
        self.path_format = _PLACEHOLDER.sub("{}", spec.path)
        self.path_params = tuple((name, compile_check(hints[name])) for name in positional)
        self.fields = tuple(
            _Field(p.name, compile_check(hints[p.name]), p.default is None)
            for p in signature.parameters.values()
            if p.name not in _CONFIG and p.name not in positional and p.kind is not p.VAR_KEYWORD
        )
        self.definition = definition  # its name (Driver.create) for the errors
        # What middleware and traces call it: charging_sessions.create, and its documented path.
        row = _TABLE.get(tuple(definition.__qualname__.split(".", 1)))  # type: ignore[arg-type]
        self.name = row.name if row is not None else definition.__qualname__
        self.template = spec.path
        # The same, as plain tuples: read on every call.
        self.checks = tuple((f.name, f.check, f.none_means_omit) for f in self.fields)
        self.checked_params = _checks_function(
            self.path_format, self.path_params, self.checks, definition.__qualname__
        )
        self.exactly_one = spec.exactly_one
        self.at_most_one = spec.at_most_one
        self.requires = spec.requires
        self.choices = bool(self.exactly_one or self.at_most_one or self.requires)
        self.expands = "expand" in signature.parameters
        returned = hints["return"]
        self.is_list = typing.get_origin(returned) is ListCall
        self.model: type[Any] = typing.get_args(returned)[0]
        # The answer's decoders (lenient, strict), made once: ready ones when the path is the
        # same on every call; else ones given, with each body, the object the path names.
        self.decoders: tuple[Callable[[Any], Any], Callable[[Any], Any]] | None = None
        self.named = ""  # the parameter whose value names the answer's object (if decoders is None)
        self.checked: tuple[Callable[[Any, Any], Any], ...] = ()
        self.object_name: str | None = getattr(self.model, "__chargeapi_object__", None)
        if not self.is_list:
            # Resources import this module: these are imported when the first plan is made.
            from .resources._base import asked_for, checked_decoder, decoders  # noqa: PLC0415

            parts = spec.path.split("/", 4)  # ``expected`` reads parts[3] of a path
            if len(parts) < 4 or "{" not in parts[3]:
                self.decoders = decoders(self.model, self.path_format)
            elif _PLACEHOLDER.fullmatch(parts[3]) and "{" not in spec.path.split(parts[3])[0]:
                self.named = positional[0]  # the first placeholder's value
            else:  # a path this plan cannot read the object's ID from (none is documented)
                raise TypeError(f"{spec.path}: the object's ID must be its fourth segment")
            self.checked = (checked_decoder(self.model, False), checked_decoder(self.model, True))
            self.asked_for = asked_for
            # An ID whose prefix holds an underscore is of one kind whatever its value: what
            # ``expected`` says of it is known now, but for the ID itself.
            self.asked_name = ""
            ids = [e for e in getattr(hints.get(self.named), "__metadata__", ()) if type(e) is ID]
            prefix = PREFIXES.get(ids[0].object_name, "") if ids else ""
            if self.named and "_" in prefix:
                name, named_id = asked_for(self.object_name, prefix + "x")
                if named_id is None:  # the answer is not the object named (a telemetry)
                    self.decoders = tuple(functools.partial(d, (name, None)) for d in self.checked)  # type: ignore[assignment]
                elif name is not None:
                    self.asked_name = name

    def decoder(self, params: dict[str, Any], strict: bool) -> Callable[[Any], Any]:
        """The decoder of one call's answer: the object its checked ``params`` name, if any."""
        made = self.decoders
        if made is not None:
            return made[strict]
        named = params[self.named]  # checked: a str (a subclass's own value is the one sent)
        if type(named) is not str:
            named = str.__str__(named)
        name = self.asked_name
        asked = (name, named) if name else self.asked_for(self.object_name, named)
        return functools.partial(self.checked[strict], asked)

    @overload
    def request(self, params: dict[str, Any]) -> RequestSpec: ...
    @overload
    def request(
        self, params: dict[str, Any], base_url: str, headers: Mapping[str, str]
    ) -> PreparedRequest: ...
    def request(
        self,
        params: dict[str, Any],
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> RequestSpec | PreparedRequest:
        """The RequestSpec for one call's bound parameters, every value checked; given the
        client's ``base_url`` and ``headers``, what goes on the wire (no RequestSpec made)."""
        path, values = self.checked_params(params)
        if self.choices:
            given = {name for name, value in values.items() if value is not None}
            _check_choice(self.exactly_one, given, at_least_one=True)
            _check_choice(self.at_most_one, given, at_least_one=False)
            _check_requires(self.requires, given)
        query: tuple[tuple[str, str], ...] = ()
        if self.expands:
            expand = params["expand"]
            if type(expand) is not tuple or expand:  # the default, (), needs no check
                query = tuple(("expand", p) for p in check_expand(expand))  # pyright: ignore[reportUnknownArgumentType]
        if params.get("options"):
            spec = self._with_options(path, values, query, params["options"], params)
            return spec if headers is None else prepare(spec, base_url or "", headers)
        if self.method == "POST":
            key = params.get("idempotency_key")
            key = new_idempotency_key() if key is None else checked_idempotency_key(key)
            if headers is not None:
                return post_request(url_of(base_url or "", path, query), headers, values, key)
            post = ("POST", path, query, values, key, (), self.name, self.template)
            return new_tuple(RequestSpec, post)
        if values:
            query = _query(list(values.items())) + query
        if headers is not None:
            return get_request(self.method, url_of(base_url or "", path, query), headers)
        fields = (self.method, path, query, None, None, (), self.name, self.template)
        return new_tuple(RequestSpec, fields)

    def _with_options(
        self,
        path: str,
        values: dict[str, Any],
        expand: tuple[tuple[str, str], ...],
        options: dict[str, Any],
        params: dict[str, Any],
    ) -> RequestSpec:
        """The request with the caller's ``extra_headers``, ``extra_query`` and ``extra_body``."""
        for name in options:
            if name not in OPTION_NAMES:  # what Python would say, had there been no **options
                raise InvalidParameterError(
                    f"{self.definition.__qualname__}() got an unexpected keyword argument {name!r}",
                    param=name,
                )
        headers = check_headers("extra_headers", options.get("extra_headers", {}))
        extra = check_query("extra_query", options.get("extra_query", {}))
        replaced = {name for name, _ in extra}
        if "expand" in replaced:
            expand = ()
        if self.method == "POST":
            body = {**values, **check_body("extra_body", options.get("extra_body", {}))}
            key = checked_idempotency_key(params.get("idempotency_key"))
            query = _query(extra) + expand
            return RequestSpec("POST", path, query, body, key, headers, self.name, self.template)
        if "extra_body" in options:
            raise InvalidParameterError(
                f"extra_body is only for POST operations; {self.method} requests have no body "
                "(use extra_query)",
                param="extra_body",
            )
        kept = [(name, value) for name, value in values.items() if name not in replaced]
        query = _query(kept + extra) + expand
        return RequestSpec(self.method, path, query, None, None, headers, self.name, self.template)


def _query(values: list[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for name, value in values:
        items: list[Any] = value if isinstance(value, list) else [value]  # pyright: ignore[reportUnknownVariableType]
        pairs.extend((name, _query_value(item)) for item in items)
    if sum(len(name) + len(value) for name, value in pairs) * 3 > _MAX_QUERY:
        _check_query_length(pairs)
    return tuple(pairs)


# Far above any real set of filters, far below the URL lengths servers (and httpx, 64 KiB)
# refuse: a longer query is the caller's mistake, named before any I/O.
_MAX_QUERY = 8192


def _check_query_length(pairs: list[tuple[str, str]]) -> None:
    sizes: dict[str, int] = {}
    for name, value in pairs:
        sizes[name] = sizes.get(name, 0) + len(name) + len(quote(value, safe="")) + 2
    if sum(sizes.values()) > _MAX_QUERY:
        name = max(sizes, key=lambda n: sizes[n])
        raise InvalidParameterError(
            f"{name} is too long to send in a URL query ({sizes[name]} characters once "
            f"encoded; the whole query may have at most {_MAX_QUERY})",
            param=name,
        )


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_choice(names: Sequence[str], given: set[str], *, at_least_one: bool) -> None:
    present = [name for name in names if name in given]
    if len(present) > 1 or (at_least_one and names and not present):
        either = " or ".join(names)
        got = " and ".join(present) if present else "neither"
        rule = "exactly one" if at_least_one else "at most one"
        param = present[1] if len(present) > 1 else names[0]  # the extra one, or the first
        raise InvalidParameterError(
            f"pass {rule} of {either} (got {got}); the API does not combine them", param=param
        )


def _check_requires(requires: tuple[tuple[str, tuple[str, ...]], ...], given: set[str]) -> None:
    for name, needed in requires:
        missing = [other for other in needed if other not in given]
        if name in given and missing:
            raise InvalidParameterError(
                f"{name} needs {' and '.join(missing)} too (the API requires them)",
                param=missing[0],
            )


@dataclass(frozen=True)
class _Spec:
    method: str
    path: str
    exactly_one: tuple[str, ...] = ()
    at_most_one: tuple[str, ...] = ()
    requires: tuple[tuple[str, tuple[str, ...]], ...] = ()


_SPEC = "__chargeapi_operation__"
_plans: dict[Callable[..., Any], Plan] = {}
_plans_lock = threading.Lock()


def _plan(definition: Callable[..., Any]) -> Plan:
    plan = _plans.get(definition)
    if plan is None:
        from .resources import resolve_annotations  # noqa: PLC0415 - hints name other resources

        resolve_annotations()
        with _plans_lock:
            plan = _plans.get(definition) or Plan(definition, getattr(definition, _SPEC))
            _plans[definition] = plan
    return plan


def operation(
    method: str,
    path: str,
    *,
    exactly_one: Sequence[str] = (),
    at_most_one: Sequence[str] = (),
    requires: Mapping[str, Sequence[str]] | None = None,
) -> Callable[[F], F]:
    """Mark a definition as ``method path``: the documented template, ``/v1/drivers/{driver}``.

    ``exactly_one`` names parameters of which one, and only one, must be given (``driver`` or
    ``fleet``); ``at_most_one`` names parameters that cannot be combined; ``requires`` maps a
    parameter to those that must come with it (``latitude`` needs ``longitude`` and ``radius``).
    """
    needs = tuple((name, tuple(others)) for name, others in (requires or {}).items())

    def decorate(definition: F) -> F:
        spec = _Spec(method, path, tuple(exactly_one), tuple(at_most_one), needs)
        setattr(definition, _SPEC, spec)
        return definition

    return decorate


def _returns(definition: Callable[..., Any]) -> tuple[str, bool]:
    """The returned model's name, read from the (string) return annotation, and if it lists."""
    returned = str(inspect.signature(definition).return_annotation)
    outer, _, inner = returned.partition("[")
    return inner.rstrip("]"), outer == "ListCall"


def _derive(
    definition: Callable[..., Any], method: Callable[P, Any], shown: str
) -> staticmethod[P, Any]:
    functools.update_wrapper(method, definition)
    # The derived signature, not the definition's (which returns Call[...]), for help(), the docs
    # and the CLI; so no __wrapped__ either, which tools would follow to the definition. (Set
    # through vars(): mypy and pyright disagree on which function attributes may be assigned.)
    attributes = vars(method)
    del attributes["__wrapped__"]
    attributes["__signature__"] = inspect.signature(definition).replace(return_annotation=shown)
    attributes["__chargeapi_definition__"] = definition
    setattr(method, _SPEC, getattr(definition, _SPEC))
    return staticmethod(method)


def _lister(
    definition: Callable[P, Any], run: Callable[[type[Any], RequestSpec, Any], Any]
) -> Callable[P, Any]:
    """A list operation's method: its checked request handed to ``run`` (``page``, which
    fetches the first page, or for the async twin ``pager``, which waits to be awaited)."""

    def list_method(*args: P.args, **kwargs: P.kwargs) -> Any:
        plan = _plan(definition)
        params = definition(*args, **kwargs).params
        return run(plan.model, plan.request(params), params["client"])

    return list_method


@overload
def sync(definition: Callable[P, ListCall[T]]) -> staticmethod[P, Page[T]]: ...
@overload
def sync(definition: Callable[P, Call[T]]) -> staticmethod[P, T]: ...
def sync(definition: Callable[P, Any]) -> staticmethod[P, Any]:
    """The blocking method of a definition: same parameters, returns the model (or a Page)."""
    from .resources._base import call, page  # noqa: PLC0415 - resources import this module

    model, is_list = _returns(definition)
    if is_list:
        return _derive(definition, _lister(definition, page), f"Page[{model}]")

    def method(*args: P.args, **kwargs: P.kwargs) -> Any:
        params = definition(*args, **kwargs).params
        return call(_plans.get(definition) or _plan(definition), params)

    return _derive(definition, method, model)


@overload
def asynchronous(definition: Callable[P, ListCall[T]]) -> staticmethod[P, AsyncPager[T]]: ...
@overload
def asynchronous(
    definition: Callable[P, Call[T]],
) -> staticmethod[P, Coroutine[Any, Any, T]]: ...
def asynchronous(definition: Callable[P, Any]) -> staticmethod[P, Any]:
    """The ``_async`` twin: a coroutine function, or for lists a function returning an AsyncPager
    (``async for`` over it, or ``await`` it for the first page)."""
    from ._client import Client, call_plan_async  # noqa: PLC0415 - see sync
    from .resources._base import pager, remember, resolved_client  # noqa: PLC0415 - see sync

    model, is_list = _returns(definition)
    if is_list:
        return _derive(definition, _lister(definition, pager), f"AsyncPager[{model}]")

    async def method(*args: P.args, **kwargs: P.kwargs) -> Any:
        # ``call``'s work for async code, inline: each await in the call passes through one
        # coroutine fewer (the bench's breakdown measured a layer at 4.5-5.2 us a call on the
        # aiohttp backend with 64 calls in flight).
        params = definition(*args, **kwargs).params
        plan = _plans.get(definition) or _plan(definition)
        client = params["client"]
        resolved = client if type(client) is Client else resolved_client(plan, params, client)
        return remember(await call_plan_async(resolved, plan, params), client)

    return _derive(definition, method, model)


def _own_id(obj: Any) -> object:
    return obj.id


class Method(Generic[IdT, P, T]):
    """An operation on one object, derived from its definition like the class form.

    On the class it is the operation itself: ``Driver.attach(driver_id, fleet=...)``. On an
    object it is the same operation with the object's own ID filled in and, unless ``client=``
    is given, the Client the object came from: ``driver.attach(fleet=...)``. Models are frozen:
    the call returns a new object and leaves this one as it was.
    """

    __slots__ = ("__func__", "_id_of", "_is_async", "_signature")

    def __init__(
        self,
        function: Callable[Concatenate[IdT, P], T],
        id_of: Callable[[Any], object] = _own_id,
    ) -> None:
        self.__func__: Callable[Concatenate[IdT, P], T] = function
        self._id_of = id_of  # the object's ID this operation takes (VehicleTelemetry: its vehicle)
        self._is_async = inspect.iscoroutinefunction(function)
        self._signature: inspect.Signature | None = None

    @overload
    def __get__(self, instance: None, owner: type[Any], /) -> Callable[Concatenate[IdT, P], T]: ...
    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None, /) -> Callable[P, T]: ...
    def __get__(self, instance: object, owner: type[Any] | None = None, /) -> Callable[..., Any]:
        if instance is None:
            return self.__func__
        function: Callable[..., Any] = self.__func__
        id_of = self._id_of

        def arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
            if kwargs.get("client") is None:
                kwargs["client"] = getattr(instance, "_client", None)
            return kwargs

        if self._is_async:

            async def bound_async(*args: Any, **kwargs: Any) -> Any:
                return await function(id_of(instance), *args, **arguments(kwargs))

            bound: Callable[..., Any] = bound_async
        else:

            def bound(*args: Any, **kwargs: Any) -> Any:
                return function(id_of(instance), *args, **arguments(kwargs))

        bound.__name__ = function.__name__
        bound.__qualname__ = function.__qualname__
        bound.__doc__ = function.__doc__
        vars(bound)["__signature__"] = self._bound_signature()  # for help() and inspect
        return bound

    def _bound_signature(self) -> inspect.Signature:
        """The operation's signature without the ID: what an object's method takes."""
        if self._signature is None:
            signature = inspect.signature(self.__func__)
            self._signature = signature.replace(parameters=list(signature.parameters.values())[1:])
        return self._signature


def on_object(
    method: Callable[Concatenate[IdT, P], T], id_of: Callable[[Any], object] = _own_id
) -> Method[IdT, P, T]:
    """Let a derived method (``sync(_end)``, ``asynchronous(_end)``) that takes its object's own
    ID first also act on an object: ``session.end()`` as well as ``ChargingSession.end(id)``.

    ``id_of`` picks the ID the operation takes from the object, when it is not ``obj.id``.
    """
    function: Callable[Concatenate[IdT, P], T] = getattr(method, "__func__", method)
    return Method(function, id_of)


@dataclass(frozen=True)
class Operation:
    """One row of the operations table."""

    resource: type[Any]  # the model class whose methods these are, e.g. Driver
    action: str  # "attach": the sync method's name; the async one is ``action + "_async"``
    method: str  # "POST"
    path: str  # the documented template, "/v1/drivers/{driver}/attach"
    returns: str  # "Driver", "Page[Driver]"
    exactly_one: tuple[str, ...]  # parameters of which exactly one must be given
    at_most_one: tuple[str, ...]  # parameters that cannot be combined

    @property
    def name(self) -> str:
        """``charging_sessions.create``: the object type, plural, and the action."""
        return f"{plural(self.resource.__chargeapi_object__)}.{self.action}"

    @property
    def sync(self) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(self.resource, self.action)
        return method

    @property
    def asynchronous(self) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(self.resource, self.action + "_async")
        return method

    @property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.sync)

    def hints(self) -> dict[str, Any]:
        """The evaluated annotations of the parameters (``Annotated`` extras kept)."""
        definition = self.sync.__chargeapi_definition__  # type: ignore[attr-defined]
        hints: dict[str, Any] = typing.get_type_hints(definition, include_extras=True)
        return hints


def plural(object_name: str) -> str:
    """``charging_sessions``: an object type as the docs' URLs name its collection."""
    return object_name[:-1] + "ies" if object_name.endswith("y") else object_name + "s"


_TABLE: dict[tuple[str, str], Operation] = {}


def resource(object_name: str) -> Callable[[C], C]:
    """Class decorator for a resource's model: registers its object type (``driver``) and its
    operations, and names each derived method after its attribute (``Driver.attach``)."""

    def decorate(cls: C) -> C:
        register(object_name)(cls)
        cls.__chargeapi_object__ = object_name
        seen: set[int] = set()
        for name, value in vars(cls).items():
            function = getattr(value, "__func__", None)
            spec: _Spec | None = getattr(function, _SPEC, None)
            if function is None or spec is None or id(function) in seen:
                continue  # not an operation, or another name for one (refresh = retrieve)
            seen.add(id(function))
            function.__name__ = name
            function.__qualname__ = f"{cls.__name__}.{name}"
            if not name.endswith("_async"):
                # Python's own binding errors ("missing 1 required keyword-only argument") name
                # the definition's code: make them say Driver.create(), not _create().
                definition = function.__chargeapi_definition__
                definition.__qualname__ = f"{cls.__name__}.{name}"
                definition.__code__ = definition.__code__.replace(
                    co_name=name, co_qualname=f"{cls.__name__}.{name}"
                )
                returned = str(inspect.signature(function).return_annotation)
                _TABLE[cls.__name__, name] = Operation(
                    cls, name, spec.method, spec.path, returned, spec.exactly_one, spec.at_most_one
                )
        return cls

    return decorate


def table() -> tuple[Operation, ...]:
    """Every operation of the API, in the order of ``resources.MODULES`` and of definition."""
    from .resources import MODULES  # noqa: PLC0415 - loads every resource module

    for module in MODULES:
        importlib.import_module(f"chargeapi.resources.{module}")
    order = {name: i for i, name in enumerate(MODULES)}
    return tuple(
        sorted(
            _TABLE.values(),
            key=lambda op: order[sys.modules[op.resource.__module__].__name__.rsplit(".", 1)[1]],
        )
    )


_templates: tuple[tuple[str, re.Pattern[str], str], ...] | None = None


def template_for(method: str, path: str) -> str | None:
    """The documented path template a ``method path`` request matches
    (``/v1/drivers/drv_A`` -> ``/v1/drivers/{driver}``), or None for a path the table lacks."""
    global _templates  # noqa: PLW0603 - built once, on the first raw request
    if _templates is None:
        # Documented paths hold letters, digits, "_", "/" and placeholders only.
        _templates = tuple(
            (op.method, re.compile(_PLACEHOLDER.sub("[^/]+", op.path) + "$"), op.path)
            for op in table()
        )
    for row_method, pattern, template in _templates:
        if row_method == method and pattern.match(path):
            return template
    return None
