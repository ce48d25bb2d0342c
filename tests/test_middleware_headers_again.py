"""A header a middleware sets on every call is checked on every call: a value that was fine
once does not let a bad one through later, on the sync client and both async backends."""

from __future__ import annotations

from typing import Any

import pytest

import chargeapi
from chargeapi.testing import Simulator, SimulatorServer

from .conftest import BACKENDS, on_backend


class SetHeader(chargeapi.Middleware):
    """Sets ``name`` to the next of ``values`` on each attempt."""

    def __init__(self, name: str, *values: Any) -> None:
        self.name, self.values = name, list(values)

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers[self.name] = self.values.pop(0)
        return call_next(request)

    async def ahandle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.AsyncCallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers[self.name] = self.values.pop(0)
        return await call_next(request)


async def _no_sleep(seconds: float) -> None:
    pass


def _client(backend: str, sim: Simulator, url: str, middleware: Any) -> chargeapi.Client:
    return chargeapi.Client(
        sim.api_key,
        base_url=url,
        async_backend="aiohttp" if backend == "aiohttp" else "httpx",
        middleware=[middleware],
        sleep=lambda seconds: None,
        async_sleep=_no_sleep,
    )


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("two\r\nlines", "not allowed in an HTTP header"),
        ("", "must not be empty"),
        (7, "must be a str"),
    ],
    ids=["crlf", "empty", "not-a-str"],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_header_set_fine_once_is_still_checked_the_next_time(
    backend: str, bad: Any, match: str, sim: Simulator, server: SimulatorServer
) -> None:
    sets = SetHeader("X-Trace-Note", "first-call", bad)
    with _client(backend, sim, server.url, sets) as client:
        on_backend(backend, chargeapi.Driver.create, email="a@example.com", name="A", client=client)
        with pytest.raises(chargeapi.InvalidParameterError, match=match) as caught:
            on_backend(
                backend, chargeapi.Driver.create, email="b@example.com", name="B", client=client
            )

    assert caught.value.param == "middleware"
    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers.get("x-trace-note") for r in posts] == ["first-call"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_header_the_request_carries_is_replaced_not_repeated(
    backend: str, sim: Simulator, server: SimulatorServer
) -> None:
    sets = SetHeader("user-agent", "custom-agent/1", "custom-agent/2")
    with _client(backend, sim, server.url, sets) as client:
        for email in ("a@example.com", "b@example.com"):
            on_backend(backend, chargeapi.Driver.create, email=email, name="A", client=client)

    posts = [r for r in sim.requests if r.method == "POST"]
    assert [r.headers.get_list("user-agent") for r in posts] == [
        ["custom-agent/1"],
        ["custom-agent/2"],
    ]


class SetNamed(chargeapi.Middleware):
    """Sets the next of ``names`` to ``"1"`` on each attempt (the last one from then on)."""

    def __init__(self, *names: str) -> None:
        self.names = list(names)

    def handle(
        self, request: chargeapi.MiddlewareRequest, call_next: chargeapi.CallNext
    ) -> chargeapi.MiddlewareResponse:
        request.headers[self.names.pop(0) if len(self.names) > 1 else self.names[0]] = "1"
        return call_next(request)


def test_a_name_that_only_lowercases_like_a_checked_one_is_still_checked(
    sim: Simulator, server: SimulatorServer
) -> None:
    """ "\u212a-Foo" (a Kelvin sign) lowercases to "k-foo": a well-formed name set before must
    not let it through unchecked."""
    sets = SetNamed("K-Foo", "\u212a-Foo")
    with _client("sync", sim, server.url, sets) as client:
        chargeapi.Driver.create(email="a@example.com", name="A", client=client)
        with pytest.raises(chargeapi.InvalidParameterError, match="HTTP header name") as caught:
            chargeapi.Driver.create(email="b@example.com", name="B", client=client)

    assert caught.value.param == "middleware"
    assert len([r for r in sim.requests if r.method == "POST"]) == 1
