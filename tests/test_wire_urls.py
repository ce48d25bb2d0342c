"""The URL handed to httpx is the one httpx would have parsed from the string.

The SDK builds its request URLs from the base URL's parse, made once (``_urls.wire_url``):
every URL it builds that way must be equal, part for part, to ``httpx.URL(url)``, and any
URL it cannot build that way must go to httpx as the string, for httpx to parse or refuse.
httpx's own parser is the oracle here.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import httpx
import httpx._urlparse as httpx_urlparse
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chargeapi
from chargeapi import _urls
from chargeapi._urls import wire_url

BASES = [
    "https://api.chargeapi.co",
    "http://127.0.0.1:8080",
    "https://API.Example.COM:443",  # upper case, default port: normalised by the base's parse
    "https://proxy.example/chargeapi",  # a path prefix under the host
    "https://user:secret@host.example:8443",
    "https://bücher.example",  # IDNA
    "http://[::1]:9000",
]


def _same(made: httpx.URL, url: str) -> None:
    expected = httpx.URL(url)
    assert made == expected
    assert str(made) == str(expected)
    parts = ("scheme", "userinfo", "host", "raw_host", "port", "netloc", "path", "raw_path")
    for part in (*parts, "query", "fragment"):
        assert getattr(made, part) == getattr(expected, part), part


def _fast_or_string(url: str) -> None:
    """``url`` is either handed over as the very string, or as httpx's own parse of it (a URL
    httpx refuses raises in ``_same``: it must never take the fast way)."""
    made = wire_url(url)
    if isinstance(made, str):
        assert made == url
    else:
        _same(made, url)


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize(
    "rest",
    [
        "/v1/charging_sessions",
        "/v1/charging_sessions/cs_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3",
        "/v1/charging_sessions?expand=driver&expand=station",
        "/v1/stations?latitude=48.85&longitude=2.35&radius=500&status=available",
        "/v1/drivers?email=a%2Bb%40example.com&name=Ann+Lee",
        "/v1/x?",  # an empty query is kept as one
        "/",
    ],
)
def test_the_sdks_own_urls_are_built_from_the_base_and_equal_httpxs_parse(
    base: str, rest: str
) -> None:
    made = wire_url(base + rest)
    assert isinstance(made, httpx.URL), "the usual URL shapes take the fast way"
    _same(made, base + rest)


@pytest.mark.parametrize(
    "url",
    [
        "https://h.example/a/./b",  # dot segments: httpx normalises them
        "https://h.example/a/../b",
        "https://h.example/a b",  # a space: httpx percent-encodes it
        "https://h.example/a?b c",
        "https://h.example/a#frag",
        "https://h.example/é",
        "https://h.example/{x}",
        "https://h.example?q=/x",  # no path before the query
        "https://h.example",  # no path at all
        "not a url/at all",
        "https://h.example:notaport/x",  # httpx refuses it: it must still get to refuse it
    ],
)
def test_urls_httpx_would_change_or_refuse_go_to_it_as_strings(url: str) -> None:
    assert wire_url(url) == url
    assert isinstance(wire_url(url), str)


_PRINTABLE = string.printable.replace("\n", "").replace("\r", "")


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(BASES),
    path=st.text(alphabet=_PRINTABLE, max_size=40),
    query=st.none() | st.text(alphabet=_PRINTABLE, max_size=30),
)
def test_any_url_is_either_httpxs_own_parse_or_left_to_httpx(
    base: str, path: str, query: str | None
) -> None:
    _fast_or_string(f"{base}/{path}" + ("" if query is None else f"?{query}"))


def test_a_retrieve_reaches_the_url_under_a_base_with_a_prefix_and_port() -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(404, json={"error": {"type": "invalid_request_error"}})

    client = chargeapi.Client(
        "sk_test_x",
        base_url="https://Proxy.Example:8443/chargeapi",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
        max_retries=0,
    )
    with pytest.raises(chargeapi.ChargeAPIError):
        chargeapi.ChargingSession.retrieve("cs_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3", client=client)
    assert [str(url) for url in seen] == [
        "https://proxy.example:8443/chargeapi/v1/charging_sessions/cs_1L2SwaqDAeDmaC1UrDyu9aOOQ0SO2nm3"
    ]


def _answer(seen: list[httpx.URL]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(404, json={"error": {"type": "invalid_request_error"}})

    return answer


def test_the_fast_way_is_off_when_httpx_quotes_a_character_it_lets_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An httpx (the pin allows any 0.x) that percent-encodes "|" in paths: the parse built
    # from the base would differ from httpx's own, so the check turns the fast way off.
    real = httpx_urlparse.quote
    monkeypatch.setattr(
        httpx_urlparse, "quote", lambda string, safe="/": real(string, safe.replace("|", ""))
    )
    assert not _urls._Checks().usable


def test_without_the_checks_every_url_goes_as_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = _urls._Checks()
    checks.usable = False
    monkeypatch.setattr(_urls, "_checks", checks)
    assert type(wire_url("https://api.chargeapi.co/v1/charging_sessions?limit=3")) is str
    seen: list[httpx.URL] = []
    client = chargeapi.Client(
        "ch_sk_test_x",
        http_client=httpx.Client(transport=httpx.MockTransport(_answer(seen))),
        max_retries=0,
    )
    with pytest.raises(chargeapi.NotFoundError):
        chargeapi.ChargingSession.retrieve("cs_1", client=client)
    assert [str(url) for url in seen] == ["https://api.chargeapi.co/v1/charging_sessions/cs_1"]


def test_a_process_talking_to_many_servers_keeps_the_fast_way_in_bounded_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_urls, "_bases", {})
    for i in range(3 * _urls._MAX_BASES):
        url = f"https://h{i}.example:{8000 + i}/v1/x"
        made = wire_url(url)
        assert isinstance(made, httpx.URL)
        _same(made, url)
        assert len(_urls._bases) <= _urls._MAX_BASES


def test_a_user_client_whose_build_request_expects_a_str_still_gets_one() -> None:
    # A wrapper written when the SDK always passed a str keeps working.
    seen: list[httpx.URL] = []

    class Gateway(httpx.Client):
        def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:  # type: ignore[override]
            url = url.replace("https://api.chargeapi.co", "https://gw.example/chargeapi")
            return super().build_request(method, url, **kwargs)

    client = chargeapi.Client(
        "ch_sk_test_x",
        http_client=Gateway(transport=httpx.MockTransport(_answer(seen))),
        max_retries=0,
    )
    with pytest.raises(chargeapi.NotFoundError):
        chargeapi.ChargingSession.retrieve("cs_1", client=client)
    assert [str(url) for url in seen] == ["https://gw.example/chargeapi/v1/charging_sessions/cs_1"]


_HOSTS = [
    "api.chargeapi.co",
    "API.Example.COM",
    "127.0.0.1",
    "[::1]",
    "[fe80::1%25eth0]",
    "bücher.example",
    "ex%41mple.com",
    "h%2Fx.example",
    "u%40x:p%3A@host.example",
    "@h.example",
]
_EDGE = [*"/.%?#|^[]\\`{}\"<> ;:@&=+!$'()*,~-_aZ9", "%2F", "%2e", "%zz", "%4", "é", "\t"]


@settings(max_examples=500, deadline=None)
@given(
    scheme=st.sampled_from(["https", "http", "HTTPS", "Http", "ws", "foo"]),
    host=st.sampled_from(_HOSTS),
    port=st.sampled_from(["", ":", ":0", ":80", ":443", ":0443", ":8080", ":65535", ":x"]),
    path=st.lists(st.sampled_from(_EDGE), max_size=30).map("".join),
    query=st.none() | st.lists(st.sampled_from(_EDGE), max_size=20).map("".join),
)
def test_odd_authorities_and_characters_are_httpxs_own_parse_or_a_string(
    scheme: str, host: str, port: str, path: str, query: str | None
) -> None:
    _fast_or_string(f"{scheme}://{host}{port}/{path}" + ("" if query is None else f"?{query}"))
