"""The simulator's HTTP server at the socket level: writes, socket options, backlog, framing.

Measured on the 2-core CI box with 20+ sequential keep-alive requests: ~44 ms each with
headers and body in two writes under Nagle's algorithm, ~0.35 ms in one write with TCP_NODELAY.
These tests pin the mechanism (one write, the option set), never a timing.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from chargeapi.testing import Simulator, SimulatorServer
from chargeapi.testing._server import HTTPServer, request_handler


class CountingSocket:
    """An accepted socket that records every `sendall` (and otherwise is the socket)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sendalls: list[bytes] = []
        self.nodelay_when_sending: list[int] = []  # read while open: the server closes it later

    def sendall(self, data: bytes) -> None:
        self.sendalls.append(bytes(data))
        self.nodelay_when_sending.append(
            self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        )
        self.sock.sendall(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class CountingServer(HTTPServer):
    accepted: list[CountingSocket]

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        counting = CountingSocket(sock)
        self.accepted.append(counting)
        return counting, address


@pytest.fixture
def counting(sim: Simulator) -> Iterator[CountingServer]:
    server = CountingServer(("127.0.0.1", 0), request_handler(sim.handle))
    server.accepted = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _port(server: SimulatorServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send raw bytes and end the stream, read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def test_every_keep_alive_response_is_one_write_on_a_nodelay_socket(
    counting: CountingServer, sim: Simulator
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", counting.server_address[1], timeout=5)
    auth = {"Authorization": f"Bearer {sim.api_key}"}
    try:
        paths = ["/v1/drivers", "/v1/nowhere", "/v1/charging_stations?limit=100"] * 7
        for path in paths:
            conn.request("GET", path, headers=auth)
            response = conn.getresponse()
            assert response.read()
    finally:
        conn.close()

    (accepted,) = counting.accepted  # one keep-alive connection for all 21 requests
    assert len(accepted.sendalls) == len(paths)
    assert all(b"\r\n\r\n{" in write for write in accepted.sendalls)  # headers with the body
    assert all(option != 0 for option in accepted.nodelay_when_sending)


def test_fifty_connections_wait_in_the_backlog_while_nothing_accepts(
    server: SimulatorServer,
) -> None:
    server._httpd.shutdown()  # the socket keeps listening; nothing accepts any more
    clients = [socket.socket() for _ in range(50)]
    try:
        for client in clients:
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", _port(server)))
        pending = list(clients)
        deadline = time.monotonic() + 5
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], pending, [], 0.2)
            pending = [c for c in pending if c not in writable]
        # With the stdlib's backlog of 5, only 6 handshakes complete; the rest are dropped.
        assert pending == []
        assert all(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 for c in clients)
    finally:
        for client in clients:
            client.close()


@pytest.mark.parametrize("method", ["TRACE", "PUT", "BREW", "OPTIONS"])
def test_any_method_gets_the_json_error_object(
    server: SimulatorServer, sim: Simulator, method: str
) -> None:
    request = (
        f"{method} /v1/drivers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {sim.api_key}\r\n"
        "Connection: close\r\n\r\n"
    )
    status, headers, body = parse(raw_exchange(_port(server), request.encode()))
    assert (status, headers["content-type"], headers["allow"]) == (
        405,
        "application/json",
        "GET, POST",
    )
    error = json.loads(body)
    assert (error["object"], error["status"], error["type"]) == (
        "error",
        405,
        "invalid_request_error",
    )
    assert error["message"] == f"{method} is not allowed on /v1/drivers."


def test_head_gets_the_error_headers_without_a_body(
    server: SimulatorServer, sim: Simulator
) -> None:
    request = (
        f"HEAD /v1/drivers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {sim.api_key}\r\n"
        "Connection: close\r\n\r\n"
    )
    status, headers, body = parse(raw_exchange(_port(server), request.encode()))
    assert (status, headers["content-type"], headers["allow"]) == (
        405,
        "application/json",
        "GET, POST",
    )
    assert int(headers["content-length"]) > 0  # the size a body would have had
    assert body == b""


@pytest.mark.parametrize(
    ("request_bytes", "status", "message"),
    [
        (b"GARBAGE\r\n\r\n", 400, "Bad request syntax ('GARBAGE')."),
        (b"GET /v1/drivers HTTP/9.9\r\n\r\n", 505, "Invalid HTTP version (9.9)."),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, "Request-URI Too Long."),
        (
            b"CONNECT example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "Request target must be a path, got 'example.com:443'.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n",
            400,
            "Invalid Content-Length header.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
            b"Content-Length: 3\r\n\r\n{}",
            400,
            "Invalid Content-Length header.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            400,
            "Unsupported Transfer-Encoding 'gzip': use chunked.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"\r\nzz\r\n{}\r\n0\r\n\r\n",
            400,
            "Malformed chunk size line in a chunked body.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"\r\n5\r\n{}",
            400,
            "A chunk of a chunked body is cut short.",
        ),
        (
            b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}",
            400,
            "The request body ended before its Content-Length.",
        ),
    ],
)
def test_malformed_requests_get_a_json_error_and_the_connection_closes(
    server: SimulatorServer, request_bytes: bytes, status: int, message: str
) -> None:
    response = raw_exchange(_port(server), request_bytes)  # returns only once it is closed
    got_status, headers, body = parse(response)
    assert (got_status, headers["content-type"], headers["connection"]) == (
        status,
        "application/json",
        "close",
    )
    error = json.loads(body)
    assert (error["object"], error["status"], error["message"]) == ("error", status, message)
    assert error["request"].startswith("req_")
    assert b"<html" not in response.lower()


def test_a_chunked_request_body_is_read(server: SimulatorServer, sim: Simulator) -> None:
    params = dict(sim.sample_session_params())
    body = json.dumps(params).encode()
    first, second = body[:10], body[10:]
    request = (
        b"POST /v1/charging_sessions HTTP/1.1\r\nHost: x\r\n"
        + f"Authorization: Bearer {sim.api_key}\r\n".encode()
        + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + b"a\r\n"
        + first
        + b"\r\n"
        + f"{len(second):X};ext=1\r\n".encode()
        + second
        + b"\r\n0\r\nX-Trailer: ignored\r\n\r\n"
    )
    status, _, answer = parse(raw_exchange(_port(server), request))
    session = json.loads(answer)
    assert status == 200
    assert {k: session[k] for k in params} == params
    assert sim.requests[-1].body == body


def test_a_chunked_body_keeps_the_connection_alive(server: SimulatorServer, sim: Simulator) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=5)
    auth = {"Authorization": f"Bearer {sim.api_key}"}
    try:
        # http.client sends an iterable body chunked; the end request then reuses the socket
        params = json.dumps(dict(sim.sample_session_params())).encode()
        conn.request("POST", "/v1/charging_sessions", body=iter([params]), headers=auth)
        created = conn.getresponse()
        session = json.loads(created.read())
        socket_before = conn.sock
        conn.request("POST", f"/v1/charging_sessions/{session['id']}/end", headers=auth)
        ended = conn.getresponse()
        assert json.loads(ended.read())["status"] == "completed"
        assert conn.sock is socket_before
    finally:
        conn.close()
    assert sim.requests[0].headers["Transfer-Encoding"] == "chunked"
    assert created.status == ended.status == 200


def test_a_handler_crash_is_a_json_500_and_the_server_keeps_serving(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/boom":
            raise RuntimeError("bug in the simulator")
        return httpx.Response(204)

    server = HTTPServer(("127.0.0.1", 0), request_handler(broken))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        crashed = httpx.get(url + "/boom", timeout=5)
        fine = httpx.get(url + "/fine", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert crashed.status_code == 500
    assert crashed.json()["type"] == "api_error"
    assert crashed.json()["message"] == "The simulator failed: RuntimeError: bug in the simulator"
    assert fine.status_code == 204
    assert "RuntimeError: bug in the simulator" in capsys.readouterr().err  # the traceback


def test_a_client_hanging_up_mid_request_prints_nothing(
    server: SimulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=5) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(b"POST /v1/drivers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    # the server's read now fails with a reset; give its thread a moment to handle it
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Traceback" not in capfd.readouterr().err
