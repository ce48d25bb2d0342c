"""Issue 8: hostile answers. Huge or endless bodies, decompression bombs, dripping servers,
JSON nested past the recursion limit and odd headers all end in a ChargeAPIError."""

from __future__ import annotations

import asyncio
import functools
import json
import socket
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

from .conftest import API, STATION_EXAMPLE, TEST_KEY

STATION_ID = STATION_EXAMPLE["id"]
STATION_URL = f"{API}/v1/charging_stations/{STATION_ID}"


def _retrieve(mode: str, client: chargeapi.Client) -> chargeapi.ChargingStation:
    if mode == "sync":
        return chargeapi.ChargingStation.retrieve(STATION_ID, client=client)
    return asyncio.run(chargeapi.ChargingStation.retrieve_async(STATION_ID, client=client))


# -- a raw loopback server that misbehaves on purpose ----------------------------------------------

Script = Callable[[socket.socket], None]


@pytest.fixture
def hostile() -> Iterator[Callable[[Script], str]]:
    """``hostile(script)`` serves every connection with ``script(conn)`` on 127.0.0.1; returns
    the base URL. Scripts must be bounded: they stop when the client goes away."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    script: list[Script] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                _read_request(conn)
                script[0](conn)
            except OSError:
                pass  # the client hung up: what these tests want it to do

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=serve, args=(conn,), daemon=True)
            threads.append(thread)
            thread.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()

    def start(chosen: Script) -> str:
        script.append(chosen)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    acceptor.join()
    for thread in threads:
        thread.join(10)
    listener.close()


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise OSError("client went away")
        data += chunk


def _client(base_url: str, no_waiting: dict[str, Any], **options: Any) -> chargeapi.Client:
    return chargeapi.Client(TEST_KEY, base_url=base_url, max_retries=0, **no_waiting, **options)


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


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_gzip_bomb_is_stopped_at_the_limit_without_inflating_it(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    bomb = _bomb()

    def send_bomb(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(bomb)}\r\n\r\n"
        )
        conn.sendall(head.encode() + bomb)

    client = _client(hostile(send_bomb), no_waiting, max_response_bytes=2**20)
    tracemalloc.start()
    try:
        with client, pytest.raises(chargeapi.ResponseTooLargeError):
            _retrieve(mode, client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20  # the 1 MiB limit and a few buffers, not the 64 MiB inflated


@functools.cache
def _bomb() -> bytes:
    """64 MiB of zeros gzipped into about 64 kB (built once, by parts)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    return b"".join(deflate.compress(zeros) for _ in range(64)) + deflate.flush()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_endless_chunked_body_stops_at_the_limit(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    def endless(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"[" * 0x10000 + b"\r\n"
        for _ in range(10_000):  # 640 MiB at most; the client hangs up long before
            conn.sendall(chunk)

    client = _client(hostile(endless), no_waiting, max_response_bytes=2**20)

    with client, pytest.raises(chargeapi.ResponseTooLargeError):
        _retrieve(mode, client)


# -- 6. timeout is a deadline per attempt ------------------------------------------------------------


def _drip(conn: socket.socket) -> None:
    """Headers at once, then the body one byte every 0.15 s (valid JSON after about 4 s)."""
    body = json.dumps({"id": STATION_ID}).encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    conn.sendall(f"Content-Length: {len(body)}\r\n\r\n".encode())
    for byte in body:
        time.sleep(0.15)
        conn.sendall(bytes([byte]))


def _drip_headers(conn: socket.socket) -> None:
    """The status line and headers themselves, one byte every 0.15 s."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: 1\r\n\r\n":
        time.sleep(0.15)
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_dripping_body_times_out_at_the_deadline(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    client = _client(hostile(_drip), no_waiting, timeout=0.5)
    started = time.monotonic()

    with client, pytest.raises(chargeapi.APITimeoutError) as caught:
        _retrieve(mode, client)

    # A deadline, not a per-read timeout: the drip would take about 4 s to finish.
    assert time.monotonic() - started < 2.0
    assert caught.value.outcome_unknown is True


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_dripping_headers_time_out_at_the_deadline(
    mode: str, hostile: Callable[[Script], str], no_waiting: dict[str, Any]
) -> None:
    client = _client(hostile(_drip_headers), no_waiting, timeout=0.5)
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

    def answer(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            b"X-Region: M\xfcnchen\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        conn.sendall(body)

    respx.stop()  # this one goes over a real socket
    client = _client(hostile(answer), no_waiting)
    with client, pytest.raises(chargeapi.InternalServerError) as caught:
        _retrieve("sync", client)

    assert caught.value.headers["x-region"].startswith("M")


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", 16 + zlib.MAX_WBITS), ("deflate", zlib.MAX_WBITS), ("deflate", -zlib.MAX_WBITS)],
    ids=["gzip", "deflate", "raw-deflate"],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_compressed_answers_under_the_limit_decode(
    encoding: str,
    wbits: int,
    mode: str,
    hostile: Callable[[Script], str],
    no_waiting: dict[str, Any],
) -> None:
    deflate = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = deflate.compress(json.dumps(STATION_EXAMPLE).encode()) + deflate.flush()

    def answer(conn: socket.socket) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Encoding: {encoding}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        conn.sendall(head.encode())
        for i in range(0, len(body), 7):  # in small pieces: the raw-deflate guess sees a few
            conn.sendall(body[i : i + 7])
            time.sleep(0.001)

    client = _client(
        hostile(answer), no_waiting, max_response_bytes=len(json.dumps(STATION_EXAMPLE))
    )
    with client:
        station = _retrieve(mode, client)

    assert station.to_dict() == chargeapi.ChargingStation.from_dict(STATION_EXAMPLE).to_dict()
