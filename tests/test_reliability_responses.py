"""Hostile answers. Huge or endless bodies, decompression bombs (stacked too), dripping servers,
JSON nested past the recursion limit, odd headers, answers sent twice on a keep-alive
connection, answers that are not the object asked for and page links that cannot be followed
all end in a ChargeAPIError (or a page that stops there), never a wrong object."""

from __future__ import annotations

import asyncio
import functools
import json
import pickle
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import chargeapi

from ._hostile import Connection, Script, answer
from .conftest import (
    API,
    BACKENDS,
    SEED_REQUEST,
    STATION_EXAMPLE,
    TEST_KEY,
    backend_client,
    on_backend,
    seed_response,
    walk_on,
)

STATION_ID = STATION_EXAMPLE["id"]
STATION_URL = f"{API}/v1/charging_stations/{STATION_ID}"


def _retrieve(mode: str, client: chargeapi.Client) -> chargeapi.ChargingStation:
    """``mode`` is a backend (``sync``, ``httpx``, ``aiohttp``); ``async`` is async httpx."""
    return on_backend(mode, chargeapi.ChargingStation.retrieve, STATION_ID, client=client)


def _peak_while_refused_as_too_large(mode: str, client: chargeapi.Client) -> int:
    """The peak memory allocated while a retrieve on ``client`` ends in ResponseTooLargeError."""
    tracemalloc.start()
    try:
        with client, pytest.raises(chargeapi.ResponseTooLargeError):
            _retrieve(mode, client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def _client(base_url: str, no_waiting: dict[str, Any], **options: Any) -> chargeapi.Client:
    backend = options.pop("backend", "sync")
    return backend_client(backend, base_url, **no_waiting, **options)


def _sessions(mode: str, client: chargeapi.Client, items: list[Any]) -> None:
    """Every session of every page, walked as ``mode`` walks them, into ``items``."""
    if mode == "sync":
        walk_on(mode, lambda: chargeapi.ChargingSession.list(client=client), items)
    else:
        walk_on(mode, lambda: chargeapi.ChargingSession.list_async(client=client), items)


# -- 5. bounded responses ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_body_over_the_limit_is_refused(mode: str, no_waiting: dict[str, Any]) -> None:
    respx.get(STATION_URL).respond(200, content=b" " * (2 * 2**20 + 1))
    client = chargeapi.Client(TEST_KEY, max_response_bytes=2 * 2**20, **no_waiting)

    with client, pytest.raises(chargeapi.ResponseTooLargeError) as caught:
        _retrieve(mode, client)

    assert isinstance(caught.value, chargeapi.InvalidResponseError)
    assert caught.value.status_code == 200
    assert caught.value.outcome_unknown is True
    assert "max_response_bytes" in str(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_a_body_at_the_limit_is_read(mode: str, no_waiting: dict[str, Any]) -> None:
    body = json.dumps(STATION_EXAMPLE).encode()
    respx.get(STATION_URL).respond(200, content=body)
    client = chargeapi.Client(TEST_KEY, max_response_bytes=len(body), **no_waiting)

    with client:
        assert _retrieve(mode, client).id == STATION_ID


def test_the_default_limit_is_32_mib() -> None:
    assert chargeapi.Client(TEST_KEY).max_response_bytes == 32 * 2**20


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_gzip_bomb_is_stopped_at_the_limit_without_inflating_it(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    bomb = _bomb()

    def send_bomb(conn: Connection) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(bomb)}\r\n\r\n"
        )
        conn.sendall(head.encode() + bomb)

    client = _client(hostile(send_bomb), no_waiting, max_response_bytes=2**20, backend=mode)
    peak = _peak_while_refused_as_too_large(mode, client)
    assert peak < 16 * 2**20  # the 1 MiB limit and a few buffers, not the 64 MiB inflated


@functools.cache
def _bomb() -> bytes:
    """64 MiB of zeros gzipped into about 64 kB (built once, by parts)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    return b"".join(deflate.compress(zeros) for _ in range(64)) + deflate.flush()


@pytest.mark.parametrize("mode", BACKENDS)
def test_an_endless_chunked_body_stops_at_the_limit(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    def endless(conn: Connection) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"[" * 0x10000 + b"\r\n"
        for _ in range(10_000):  # 640 MiB at most; the client hangs up long before
            conn.sendall(chunk)

    client = _client(hostile(endless), no_waiting, max_response_bytes=2**20, backend=mode)

    with client, pytest.raises(chargeapi.ResponseTooLargeError):
        _retrieve(mode, client)


# -- 6. timeout is a deadline per attempt ------------------------------------------------------------


def _drip(conn: Connection) -> None:
    """Headers at once, then the body one byte every 0.15 s (valid JSON after about 4 s)."""
    body = json.dumps({"id": STATION_ID}).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    conn.sendall(f"Content-Length: {len(body)}\r\n\r\n".encode())
    for byte in body:
        time.sleep(0.15)
        conn.sendall(bytes([byte]))


def _drip_headers(conn: Connection) -> None:
    """The status line and headers themselves, one byte every 0.15 s."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: 1\r\n\r\n":
        time.sleep(0.15)
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_dripping_body_times_out_at_the_deadline(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    client = _client(hostile(_drip), no_waiting, timeout=0.5, backend=mode)
    started = time.monotonic()

    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        _retrieve(mode, client)

    # A deadline, not a per-read timeout: the drip would take about 4 s to finish.
    assert time.monotonic() - started < 2.0
    assert caught.value.outcome_unknown is True


@pytest.mark.parametrize("mode", BACKENDS)
def test_dripping_headers_time_out_at_the_deadline(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    client = _client(hostile(_drip_headers), no_waiting, timeout=0.5, backend=mode)
    started = time.monotonic()

    with client, pytest.raises(chargeapi.APITimeoutError):
        _retrieve(mode, client)

    assert time.monotonic() - started < 2.0


# -- 7. JSON nested past the recursion limit -----------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (200, chargeapi.InvalidResponseError),
        (400, chargeapi.BadRequestError),
        (404, chargeapi.NotFoundError),
        (500, chargeapi.InternalServerError),
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
@respx.mock
def test_deeply_nested_json_is_a_chargeapi_error(
    status: int, error: type[chargeapi.ChargeAPIError], mode: str, client: chargeapi.Client
) -> None:
    respx.get(STATION_URL).respond(
        status, content=DEEP, headers={"content-type": "application/json"}
    )

    with pytest.raises(error) as caught:
        _retrieve(mode, client)

    assert type(caught.value) is error
    assert len(str(caught.value)) < 3000


@respx.mock
def test_deep_json_in_an_error_body_is_safe_in_the_debug_log(
    client: chargeapi.Client, caplog: pytest.LogCaptureFixture
) -> None:
    respx.get(STATION_URL).respond(400, content=DEEP)
    caplog.set_level("DEBUG", logger="chargeapi")

    with pytest.raises(chargeapi.BadRequestError):
        _retrieve("sync", client)

    assert "-> 400" in caplog.text


# -- 8. headers of an error response --------------------------------------------------------------------


@respx.mock
def test_non_ascii_and_repeated_error_headers_are_kept(client: chargeapi.Client) -> None:
    respx.get(STATION_URL).mock(
        return_value=httpx.Response(
            404,
            headers=[
                (b"Content-Type", b"application/json"),
                (b"X-Note", "café".encode()),
                (b"X-Latin", b"na\xefve"),
                (b"Warning", b"199 - first"),
                (b"Warning", b"199 - second"),
            ],
            content=b'{"type": "invalid_request_error", "message": "no such station"}',
        )
    )

    with pytest.raises(chargeapi.NotFoundError) as caught:
        _retrieve("sync", client)

    headers = caught.value.headers
    assert headers["warning"] == "199 - first, 199 - second"
    assert headers["x-note"]  # decoded as httpx decodes it (latin-1 here, as x-latin is no UTF-8)
    assert headers["x-latin"] == "naïve"
    assert str(caught.value) == "404: no such station"


@respx.mock
def test_non_ascii_headers_survive_on_the_real_wire(
    hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    body = b'{"type": "api_error", "message": "down"}'

    def send(conn: Connection) -> None:
        conn.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            b"X-Region: M\xfcnchen\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        conn.sendall(body)

    respx.stop()  # this one goes over a real socket
    client = _client(hostile(send), no_waiting)
    with client, pytest.raises(chargeapi.InternalServerError) as caught:
        _retrieve("sync", client)

    assert caught.value.headers["x-region"].startswith("M")


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", 16 + zlib.MAX_WBITS), ("deflate", zlib.MAX_WBITS), ("deflate", -zlib.MAX_WBITS)],
    ids=["gzip", "deflate", "raw-deflate"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_compressed_answers_under_the_limit_decode(
    encoding: str,
    wbits: int,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    deflate = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = deflate.compress(json.dumps(STATION_EXAMPLE).encode()) + deflate.flush()

    def send(conn: Connection) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Encoding: {encoding}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        conn.sendall(head.encode())
        for i in range(0, len(body), 7):  # in small pieces: the raw-deflate guess sees a few
            conn.sendall(body[i : i + 7])
            time.sleep(0.001)

    client = _client(
        hostile(send),
        no_waiting,
        max_response_bytes=len(json.dumps(STATION_EXAMPLE)),
        backend=mode,
    )
    with client:
        station = _retrieve(mode, client)

    assert station.to_dict() == chargeapi.ChargingStation.from_dict(STATION_EXAMPLE).to_dict()


# -- stacked and endless encodings: the size limit holds for every layer and on the wire ----------


def _gzip(data: bytes) -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush()


@pytest.mark.parametrize(
    "encoding",
    [
        [("Content-Encoding", "gzip, gzip")],
        [("Content-Encoding", "gzip"), ("Content-Encoding", "gzip")],
        [("Content-Encoding", "gzip,"), ("Content-Encoding", "gzip")],
    ],
    ids=["one header", "two headers", "trailing comma"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_a_bomb_gzipped_twice_is_stopped_at_the_limit(
    encoding: list[tuple[str, str]],
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    bomb = _gzip(_bomb())  # a few hundred bytes on the wire, 64 MiB two layers down
    assert len(bomb) < 2000

    def send(conn: Connection) -> None:
        conn.sendall(answer(200, bomb, encoding))

    client = _client(hostile(send), no_waiting, max_response_bytes=2**20, backend=mode)
    peak = _peak_while_refused_as_too_large(mode, client)
    assert peak < 16 * 2**20


@pytest.mark.parametrize("mode", BACKENDS)
def test_an_answer_gzipped_twice_decodes(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    body = _gzip(_gzip(json.dumps(STATION_EXAMPLE).encode()))

    def send(conn: Connection) -> None:
        conn.sendall(
            answer(200, body, [("Content-Encoding", "gzip"), ("Content-Encoding", "gzip")])
        )

    with _client(hostile(send), no_waiting, backend=mode) as client:
        assert _retrieve(mode, client).id == STATION_ID


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
@pytest.mark.parametrize("mode", BACKENDS)
def test_an_encoding_the_sdk_did_not_ask_for_is_never_decoded(
    encoding: str, mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    """The answer stands (its status, its headers); its body is not read."""
    body = b"\x1b\x00\xf8\xa5" * 64

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            status = 404 if "charging_stations" in request.target else 200
            conn.sendall(answer(status, body, [("Content-Encoding", encoding)]))
            request = conn.request()

    with _client(hostile(serve), no_waiting, backend=mode) as client:
        with pytest.raises(chargeapi.NotFoundError, match="did not ask for") as missing:
            _retrieve(mode, client)
        with pytest.raises(chargeapi.InvalidResponseError, match="did not ask for") as created:
            on_backend(mode, chargeapi.ChargingSession.create, **SEED_REQUEST, client=client)

    assert missing.value.outcome_unknown is False
    assert created.value.status_code == 200
    assert created.value.outcome_unknown is True  # the create was accepted: resume with its key


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_retried_status_with_an_unreadable_body_is_retried_as_that_status(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any], sleeps: list[float]
) -> None:
    answers = iter([answer(503, b"\x00garbage", [("Content-Encoding", "gzip")])] * 2)

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            conn.sendall(next(answers, answer(200, json.dumps(STATION_EXAMPLE).encode())))
            request = conn.request()

    with _client(hostile(serve), no_waiting, max_retries=2, backend=mode) as client:
        assert _retrieve(mode, client).id == STATION_ID
    assert len(sleeps) == 2


def _empty_deflate_blocks(size: int, wrapped: bool) -> Iterator[bytes]:
    """``size`` bytes of deflate that inflate to nothing: empty stored blocks, never final."""
    if wrapped:
        yield b"\x78\x9c"
    block = b"\x00\x00\x00\xff\xff" * 13107  # 64 KiB of them
    for _ in range(size // len(block)):
        yield block


@pytest.mark.parametrize("wrapped", [True, False], ids=["zlib", "raw"])
@pytest.mark.parametrize("mode", BACKENDS)
def test_deflate_that_inflates_to_nothing_is_bounded_on_the_wire(
    wrapped: bool, mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    def send(conn: Connection) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: 33554432\r\n\r\n"
        )
        for block in _empty_deflate_blocks(32 * 2**20, wrapped):
            conn.sendall(block)

    client = _client(hostile(send), no_waiting, max_response_bytes=2**20, timeout=20, backend=mode)
    started = time.monotonic()
    peak = _peak_while_refused_as_too_large(mode, client)
    assert time.monotonic() - started < 3.0  # about 1 MiB read, not 32 MiB to the deadline
    assert peak < 16 * 2**20


# -- an answer sent twice on a keep-alive connection ------------------------------------------------


def _session(number: int) -> bytes:
    return json.dumps({**seed_response(), "id": f"cs_{number:032d}"}).encode()


@pytest.mark.parametrize(
    ("pause", "wait"),
    [(0.0, 0.0), (0.05, 0.2)],
    ids=["in one write", "while the connection is idle"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_an_answer_sent_twice_is_never_read_as_the_next_calls_answer(
    pause: float,
    wait: float,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    """The server answers create #1 twice on its keep-alive connection (the copy right behind
    the answer, or ``pause`` s later while the client waits ``wait`` s before its next call),
    then answers each later request with a session of its own number; a client that read the
    copy as the answer to create #2 would return session #1 again. (A copy that arrives only
    after the next request went out cannot be told from its answer; HTTP/1.1 has no ids.)"""
    counter = iter(range(1, 100))
    lock = threading.Lock()

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            with lock:
                number = next(counter)
            first = answer(200, _session(number))
            if number != 1:
                conn.sendall(first)
            elif pause:
                conn.sendall(first)
                time.sleep(pause)
                conn.sendall(first)
            else:
                conn.sendall(first + first)  # one write: the copy arrives with the answer
            request = conn.request()

    def create_sync(client: chargeapi.Client) -> list[str]:
        created = []
        for _ in range(4):
            created.append(chargeapi.ChargingSession.create(**SEED_REQUEST, client=client).id)
            time.sleep(wait)
        return created

    async def create_async(client: chargeapi.Client) -> list[str]:
        created = []  # one event loop: its connections are kept alive from call to call
        for _ in range(4):
            session = await chargeapi.ChargingSession.create_async(**SEED_REQUEST, client=client)
            created.append(session.id)
            await asyncio.sleep(wait)
        return created

    with _client(hostile(serve), no_waiting, backend=mode) as client:
        created = create_sync(client) if mode == "sync" else asyncio.run(create_async(client))

    assert created == [f"cs_{n:032d}" for n in (1, 2, 3, 4)]


# -- answers that are not the object the call asked for --------------------------------------------

ID_A = f"cs_{'A' * 32}"
ID_B = f"cs_{'B' * 32}"


def _serve_body(status: int, body: bytes, content_type: str = "application/json") -> Any:
    def serve(conn: Connection) -> None:
        conn.sendall(answer(status, body, content_type=content_type))

    return serve


def _wrong_object_cases() -> list[Any]:
    driver = {"id": "drv_" + "D" * 32, "object": "driver", "created": "2026-04-01T00:00:00Z"}
    session_b = {**seed_response(), "id": ID_B}
    session_as_driver = {**seed_response(), "id": "drv_" + "D" * 32}
    del session_as_driver["object"]
    create = (chargeapi.ChargingSession.create, (), SEED_REQUEST)
    policy_b = {"id": "pol_" + "B" * 32, "object": "policy", "deleted": True}
    end = chargeapi.ChargingSession.end
    return [
        pytest.param(*create, driver, True, "'driver' object", id="create answered a driver"),
        pytest.param(*create, session_as_driver, True, "driver ID", id="create answered drv_"),
        pytest.param(
            chargeapi.ChargingSession.retrieve,
            (ID_A,),
            {},
            session_b,
            False,
            ID_B,
            id="retrieve A answered B",
        ),
        pytest.param(end, (ID_A,), {}, session_b, True, ID_B, id="end A answered B"),
        pytest.param(
            chargeapi.Policy.delete,
            ("pol_" + "A" * 32,),
            {},
            policy_b,
            False,
            "pol_BBB",
            id="delete A answered B",
        ),
    ]


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "body", "unknown", "named"), _wrong_object_cases()
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_an_answer_for_another_object_is_an_invalid_response(
    method: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    body: dict[str, Any],
    unknown: bool,
    named: str,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    url = hostile(_serve_body(200, json.dumps(body).encode()))

    with (
        _client(url, no_waiting, backend=mode) as client,
        pytest.raises(chargeapi.InvalidResponseError, match=named) as caught,
    ):
        on_backend(mode, method, *args, **kwargs, client=client)

    assert caught.value.status_code == 200
    assert caught.value.outcome_unknown is unknown
    if unknown:  # a POST: resume with its key
        assert caught.value.idempotency_key is not None
        assert f"idempotency_key={caught.value.idempotency_key!r}" in str(caught.value)


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_list_with_an_item_of_another_type_is_an_invalid_response(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    driver = {"id": "drv_" + "D" * 32, "object": "driver"}
    page = {"data": [seed_response(), driver], "next_page_url": None, "previous_page_url": None}
    url = hostile(_serve_body(200, json.dumps(page).encode()))

    with (
        _client(url, no_waiting, backend=mode) as client,
        pytest.raises(chargeapi.InvalidResponseError, match="item 1 is a 'driver' object"),
    ):
        on_backend(mode, chargeapi.ChargingSession.list, client=client)


@pytest.mark.parametrize(
    ("status", "body", "content_type", "strict"),
    [
        (200, b"<html><body>Welcome to nginx</body></html>", "text/html", False),
        (200, b"", "application/json", False),
        (201, b"[]", "application/json", False),
        (200, b'{"unexpected": "shape"}', "application/json", False),
        (200, b'{"id": 12, "object": "charging_session"}', "application/json", True),
    ],
    ids=["html", "empty", "array", "no object or id", "wrong types (strict)"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_a_create_whose_2xx_answer_cannot_be_read_has_an_unknown_outcome(
    status: int,
    body: bytes,
    content_type: str,
    strict: bool,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    """The server accepted the create; what it made is unknown: resume with the key. (Fields
    of the wrong type decode leniently by default: strict_responses=True refuses them.)"""
    url = hostile(_serve_body(status, body, content_type))

    with (
        _client(url, no_waiting, backend=mode, strict_responses=strict) as client,
        pytest.raises(chargeapi.InvalidResponseError) as caught,
    ):
        on_backend(
            mode,
            chargeapi.ChargingSession.create,
            **SEED_REQUEST,
            idempotency_key="create-7",
            client=client,
        )

    assert caught.value.outcome_unknown is True
    assert caught.value.idempotency_key == "create-7"
    assert "idempotency_key='create-7'" in str(caught.value)


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_get_whose_answer_cannot_be_read_changed_nothing(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    url = hostile(_serve_body(200, b"<html>", "text/html"))

    with (
        _client(url, no_waiting, backend=mode) as client,
        pytest.raises(chargeapi.InvalidResponseError) as caught,
    ):
        _retrieve(mode, client)
    assert caught.value.outcome_unknown is False


# -- Retry-After that no clock can hold --------------------------------------------------------------


@pytest.mark.parametrize(
    "retry_after",
    ["1 Jan 99999999999999999 00:00 GMT", "Fri, 31 Dec 9999 23:59:59 +9999", "1e999", "-5"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_an_unreadable_retry_after_falls_back_to_the_backoff(
    retry_after: str,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
    sleeps: list[float],
) -> None:
    answers = iter(
        [
            answer(503, b'{"message": "busy"}', [("Retry-After", retry_after)]),
            answer(200, _session(1)),
        ]
    )

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            conn.sendall(next(answers))
            request = conn.request()

    with _client(hostile(serve), no_waiting, max_retries=1, backend=mode) as client:
        session = on_backend(mode, chargeapi.ChargingSession.create, **SEED_REQUEST, client=client)

    assert session.id == f"cs_{1:032d}"
    assert len(sleeps) == 1
    assert 0.375 <= sleeps[0] <= 0.5  # the first backoff step, with its jitter


# -- response headers that are no UTF-8 ------------------------------------------------------------------


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_latin_1_header_on_an_error_answer_keeps_the_status_error(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    body = b'{"type": "invalid_request_error", "message": "no such station"}'
    url = hostile(lambda conn: conn.sendall(answer(404, body, [(b"Via", b"caf\xe9")])))

    with (
        _client(url, no_waiting, backend=mode) as client,
        pytest.raises(chargeapi.NotFoundError) as caught,
    ):
        _retrieve(mode, client)

    assert caught.value.headers["via"] == "café"
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.headers["via"] == "café"


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_model_answered_with_a_latin_1_header_pickles_and_unpickles(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    body = json.dumps(STATION_EXAMPLE).encode()
    url = hostile(lambda conn: conn.sendall(answer(200, body, [(b"Via", b"caf\xe9")])))

    with _client(url, no_waiting, backend=mode) as client:
        station = _retrieve(mode, client)

    copy = pickle.loads(pickle.dumps(station))
    assert copy == station
    assert copy.last_response is not None
    assert copy.last_response.headers["via"] == "café"


# -- page links that cannot be followed ----------------------------------------------------------------


def _pages(next_url: Callable[[str], str | None]) -> Any:
    """A list server: page 1 links to ``next_url(base)``; any later request gets page 2, empty
    of links. Every request is recorded."""
    seen: list[Any] = []

    def serve(conn: Connection) -> None:
        request = conn.first
        while request is not None:
            seen.append(request)
            base = f"http://{request.headers['host']}"
            number = 1 if "page=" not in request.target else 2
            page = {
                "data": [json.loads(_session(number))],
                "next_page_url": next_url(base) if number == 1 else None,
                "previous_page_url": None,
            }
            conn.sendall(answer(200, json.dumps(page).encode()))
            request = conn.request()

    return serve, seen


@pytest.mark.parametrize(
    ("next_url", "problem"),
    [
        (lambda base: f"{base}/v1/drivers?page=p2", "another path"),
        (lambda base: "/v1/charging_sessions/../drivers?page=p2", "another path"),
        (lambda base: f"{base}/v1/charging_sessions?page=p2\tx", "control characters"),
        (lambda base: f"{base}/v1/charging_sessions?page=p2\r\nX-Evil: 1", "control characters"),
    ],
    ids=["another path", "dot segments", "tab", "newline"],
)
@pytest.mark.parametrize("mode", BACKENDS)
def test_a_page_link_that_cannot_be_followed_returns_the_page_and_stops_there(
    next_url: Callable[[str], str],
    problem: str,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    serve, seen = _pages(next_url)
    items: list[Any] = []

    with _client(hostile(serve), no_waiting, backend=mode) as client:
        page = on_backend(mode, chargeapi.ChargingSession.list, client=client)
        assert [s.id for s in page.data] == [f"cs_{1:032d}"]
        with pytest.raises(chargeapi.InvalidResponseError, match=problem):
            _sessions(mode, client, items)

    assert [s.id for s in items] == [f"cs_{1:032d}"]
    assert len(seen) == 2  # the first page, twice; the link never


@pytest.mark.parametrize("mode", BACKENDS)
def test_a_page_link_with_a_user_and_password_is_followed_with_the_key_only(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    def link(base: str) -> str:
        return base.replace("http://", "http://user:pw@") + "/v1/charging_sessions?page=p2"

    serve, seen = _pages(link)
    items: list[Any] = []
    with _client(hostile(serve), no_waiting, backend=mode) as client:
        _sessions(mode, client, items)

    assert [s.id for s in items] == [f"cs_{1:032d}", f"cs_{2:032d}"]
    assert [r.headers["authorization"] for r in seen] == [f"Bearer {TEST_KEY}"] * 2
    assert seen[1].target == "/v1/charging_sessions?page=p2"
