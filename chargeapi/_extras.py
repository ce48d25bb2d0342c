"""Escape hatches: the ``extra_headers``, ``extra_query`` and ``extra_body`` every operation takes
(``RequestOptions``), and the checks they and ``Client(default_headers=...)`` pass before I/O.

They reach what the SDK does not model yet (a new parameter, a beta header) without letting a
call replace what the SDK owns: ``Authorization`` comes from the Client's key, the
``Idempotency-Key`` from ``idempotency_key=`` (one key for every attempt), and the framing
headers from the HTTP library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from . import _json
from ._exceptions import InvalidParameterError
from ._validate import check_header_value, shown

__all__ = [
    "OPTION_NAMES",
    "QueryValue",
    "RequestOptions",
    "check_body",
    "check_headers",
    "check_query",
]

#: One value of an ``extra_query`` parameter; a list repeats the parameter.
QueryValue = str | int | float | bool | Sequence[str | int | float | bool]


class RequestOptions(TypedDict, total=False):
    """What every operation also takes as keyword arguments, to send what the SDK does not model.

    ``extra_headers`` are added to the request, over the Client's own (they cannot set
    ``Authorization``, which comes from the Client, nor ``Idempotency-Key``: pass
    ``idempotency_key=``); ``extra_query`` parameters are added to the URL's query, replacing
    the operation's parameters of the same name (a list repeats one); ``extra_body`` keys are
    merged into a POST's JSON body, replacing the operation's of the same name. All are checked
    before anything is sent.
    """

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, QueryValue]
    extra_body: Mapping[str, object]


OPTION_NAMES = frozenset(RequestOptions.__annotations__)

# RFC 9110 field names: letters, digits and these marks; nothing that could end a header line.
_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", re.ASCII)
_RESERVED = {
    "authorization": "the API key comes from the Client (api_key=, or with_options(api_key=...))",
    "idempotency-key": "pass idempotency_key= instead: the SDK sends that one key on every attempt",
    "x-charge-retry-count": "the SDK numbers every attempt (0 on the first)",
    "content-type": "the body is always JSON",
    "content-length": "the HTTP library sets it from the body",
    "transfer-encoding": "the HTTP library frames the body",
    "connection": "the HTTP library manages connections",
    "host": "the host comes from base_url",
}


def _mapping(param: str, value: object, expected: str) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise InvalidParameterError(
            f"{param} must be a dict of {expected}, got {type(value).__name__}", param=param
        )
    return cast("Mapping[object, object]", value)


def check_headers(param: str, value: object) -> tuple[tuple[str, str], ...]:
    """Header names and str values, none of them one the SDK owns; values are never echoed."""
    headers = _mapping(param, value, "header names to str values")
    seen: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for name, item in headers.items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise InvalidParameterError(
                f"{param} has a key that is not an HTTP header name: {shown(name)}", param=param
            )
        lower = name.lower()
        if lower in _RESERVED:
            raise InvalidParameterError(
                f"{param} cannot set {name}: {_RESERVED[lower]}", param=param
            )
        if lower in seen:
            raise InvalidParameterError(
                f"{param} names {name} twice (header names ignore case)", param=param
            )
        seen.add(lower)
        if not isinstance(item, str):
            raise InvalidParameterError(
                f"{param}[{name!r}] must be a str, got {type(item).__name__}", param=param
            )
        check_header_value(param, item, named=f"{param}[{name!r}]")
        pairs.append((name, str.__str__(item)))
    return tuple(pairs)


def _query_item(param: str, where: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and -(10**30) < value < 10**30:  # str() of a huge int raises
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value):
        return repr(float(value))
    raise InvalidParameterError(
        f"{where} must be a str, int, finite float or bool (or a list of them), got {shown(value)}",
        param=param,
    )


def check_query(param: str, value: object) -> list[tuple[str, str]]:
    """Query parameters as pairs, in order; a list value repeats its parameter."""
    query = _mapping(param, value, "parameter names to values")
    pairs: list[tuple[str, str]] = []
    for name, item in query.items():
        if not isinstance(name, str) or not name:
            raise InvalidParameterError(
                f"{param} has a key that is not a parameter name: {shown(name)}", param=param
            )
        where = f"{param}[{name!r}]"
        if isinstance(item, list | tuple):
            items = cast("Sequence[object]", item)
            pairs.extend((name, _query_item(param, where, each)) for each in items)
        else:
            pairs.append((name, _query_item(param, where, item)))
    return pairs


def check_body(param: str, value: object) -> dict[str, Any]:
    """A JSON object's members: str keys, values JSON can hold (no NaN, no sets, no objects)."""
    body = _mapping(param, value, "str keys to JSON values")
    for key in body:
        if not isinstance(key, str):
            raise InvalidParameterError(
                f"{param} keys must be str, got {type(key).__name__}", param=param
            )
    members = cast("dict[str, Any]", dict(body))
    try:
        _json.dumps(members)
    except (ValueError, TypeError, RecursionError) as error:
        raise InvalidParameterError(
            f"{param} cannot be sent as JSON: {error}", param=param
        ) from None
    return members
