"""A raw-socket HTTP/1.1 server that misbehaves on purpose: the hostile server and proxy of the
reliability tests and of the soak.

Each connection is served by ``script(conn)`` in a thread of its own, once its first request
has been read (``conn.first``). A script answers with ``conn.sendall(raw bytes)``, may read the
next request on the same keep-alive connection with ``conn.request()`` and ends the connection
by returning. Scripts must be bounded: they stop when the client goes away.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from typing import NamedTuple

import httpx


class Request(NamedTuple):
    """One request as it arrived: header names in lower case, the body read by Content-Length."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    head: bytes  # the request line and headers, as sent


class Connection:
    """One client connection: its requests, read whole, and what the script sends back."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = b""
        self.first: Request | None = None

    def sendall(self, data: bytes) -> None:
        self.sock.sendall(data)

    def request(self) -> Request | None:
        """The next request on this connection, or None when the client closed it."""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self._buffer) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        return Request(method, target, headers, body, head)


Script = Callable[[Connection], None]


class HostileServer:
    """Serves every connection with ``script`` on 127.0.0.1; ``url`` is its base URL."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(5)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Connection(sock)
            try:
                conn.first = conn.request()
                if conn.first is not None:
                    self._script(conn)
            except OSError:
                pass  # the client hung up: what these tests want it to do

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join()
        for thread in self._threads:
            thread.join(10)
        self._listener.close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def answer(
    status: int,
    body: bytes = b"",
    headers: Iterable[tuple[str, str] | tuple[bytes, bytes]] = (),
    *,
    content_type: str | None = "application/json",
) -> bytes:
    """A whole HTTP/1.1 answer with its Content-Length; header values may be raw bytes."""
    reason = httpx.codes.get_reason_phrase(status) or "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}".encode()]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}".encode())
    for name, value in headers:
        name_bytes = name if isinstance(name, bytes) else name.encode("latin-1")
        value_bytes = value if isinstance(value, bytes) else value.encode("latin-1")
        lines.append(name_bytes + b": " + value_bytes)
    lines.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
