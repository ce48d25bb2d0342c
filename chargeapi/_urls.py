"""Request URLs as httpx takes them, without parsing the same base URL on every request.

httpx parses each URL string it is given (``httpx.URL(str)``: its validation and
normalisation, in Python) on every request: the largest single piece of an SDK call's own
cost. The SDK's URLs are its base URL followed by a path and query it built itself from
checked values. When that path and query hold only characters httpx leaves as they are, the
parsed URL is the base URL's own parse, made once, with that path and query in place: the same
``httpx.URL`` (equal, same string, same parts) that parsing the string would make. Any other
URL is handed over as the string, and httpx parses (or refuses) it as before.

This relies on how httpx 0.27+ holds a parsed URL (``URL._uri_reference``, a ``ParseResult``
named tuple) and on which characters it quotes. ``_Checks`` checks both once, on httpx itself;
where either differs, every URL goes as a string.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from ._request import new_tuple

__all__ = ["wire_url"]

_MAX_LENGTH = 65536  # httpx's MAX_URL_LENGTH: longer ones go as strings, for its own error
_MAX_BASES = 64  # distinct scheme://host:port prefixes remembered (a process talks to few)

# "https://api.chargeapi.co" -> the first four parts of its parse (scheme, userinfo, host,
# port), or None: not usable as a base.
_bases: dict[str, tuple[Any, ...] | None] = {}
_new_url = httpx.URL.__new__


class _Checks:
    """Made on the first request, not at import (``import chargeapi`` stays lean)."""

    def __init__(self) -> None:
        # What httpx's urlparse leaves unchanged (RFC 3986's characters it does not
        # percent-encode; "%" too: it keeps "%XX" escapes). A path must start with "/" and,
        # with no "/." in it, holds no "." or ".." segment to normalise away; a query holds
        # no "#".
        self.path = re.compile(r"/[!$-;=@-_a-z|~]*").fullmatch
        self.query = re.compile(r"[!$-;=?-~]*").fullmatch
        self.parse_result: type[Any] = type(httpx.URL("https://api.example")._uri_reference)
        self.usable = self._agrees()

    def _agrees(self) -> bool:
        # Not only httpx's shape but its quoting: every character let through here, and the
        # "%" forms, must come out of httpx's own parse as they are, and the parse put
        # together as ``wire_url`` does must be that parse. An httpx that quotes any of them
        # differently (as 0.24-0.26 did, and a later 0.x may) turns the fast way off.
        chars = [chr(i) for i in range(0x21, 0x7F)]
        path = "/a.b/" + "".join(c for c in chars if c != "." and self.path("/" + c))
        path += "/%2F%2f%41%zz%/x%"
        query = "".join(c for c in chars if self.query(c)) + "%2F%zz%"
        try:
            whole = httpx.URL(f"https://u@api.example:8443{path}?{query}")
            bare = httpx.URL(f"https://u@api.example:8443{path}")
            head = _head("https://u@api.example:8443")
            return (
                head is not None
                and vars(whole).keys() == {"_uri_reference"}
                and whole._uri_reference.path == path
                and whole._uri_reference.query == query
                and self.parsed(head, path, query) == whole._uri_reference
                and self.parsed(head, path, None) == bare._uri_reference
                and type(self.parsed(head, path, None)) is type(bare._uri_reference)
            )
        except Exception:  # any surprise: every URL goes as a string
            return False

    def parsed(self, head: tuple[Any, ...], path: str, query: str | None) -> Any:
        """The parse of ``head``'s URL with ``path`` and ``query``, as ``wire_url`` makes it."""
        return new_tuple(self.parse_result, (*head, path, query, None))


_checks: _Checks | None = None


def _head(prefix: str) -> tuple[Any, ...] | None:
    """The scheme, userinfo, host and port of ``scheme://authority`` alone, as httpx parses
    them; None when it is not a plain authority (httpx then parses the whole URL, and raises
    its own error if it is wrong)."""
    try:
        parsed = httpx.URL(prefix)._uri_reference
    except Exception:  # any refusal: leave the URL to httpx
        return None
    if parsed.path or parsed.query is not None or parsed.fragment is not None or not parsed.host:
        return None
    return tuple(parsed[:4])


def _made_checks() -> _Checks:
    global _checks  # noqa: PLW0603 - made once; two threads making it at once make equal ones
    _checks = _Checks()
    return _checks


def wire_url(url: str) -> httpx.URL | str:
    """``url`` as httpx would parse it, built from its base's parse when it can be; else as
    it is (a string), for httpx to parse."""
    checks = _checks or _made_checks()
    scheme_end = url.find("://")
    slash = url.find("/", scheme_end + 3) if scheme_end > 0 else -1
    if slash < 0 or not checks.usable or len(url) >= _MAX_LENGTH:
        return url
    prefix = url[:slash]
    head = _bases.get(prefix)
    if head is None:
        if prefix in _bases:  # known not to be a plain scheme://authority
            return url
        if len(_bases) >= _MAX_BASES:  # a process talking to many servers: start afresh
            _bases.clear()
        head = _bases[prefix] = _head(prefix)
        if head is None:
            return url
    path, mark, query = url[slash:].partition("?")
    if not checks.path(path) or "/." in path or (mark and not checks.query(query)):
        return url
    made = _new_url(httpx.URL)
    made._uri_reference = new_tuple(
        checks.parse_result, (*head, path, query if mark else None, None)
    )
    return made
