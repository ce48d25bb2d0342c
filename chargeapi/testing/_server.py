"""The simulator over real HTTP: a stdlib `ThreadingHTTPServer` around `Simulator.handle`.

HTTP/1.1 with keep-alive; every response carries Content-Length and goes out in one write on
a socket with Nagle's algorithm off (headers and body in two writes with Nagle on cost a
keep-alive request ~45 ms of delayed-ACK wait). The listen backlog is 128, so a burst of
concurrent first connections is not throttled by SYN retransmits.

Every method reaches the simulator (which answers unknown ones with its JSON 405), and every
error the server itself produces (malformed request line, oversized headers, bad framing) is
the documented JSON error object too, never the stdlib's HTML page; HEAD answers carry no body.
Request bodies are read by Content-Length or `Transfer-Encoding: chunked`; another transfer
coding or broken framing is a JSON 400 that closes the connection. A scripted drop closes the
socket without writing a byte ("Server disconnected without sending a response"). Requests are
rebuilt as `httpx.Request` on `http://<Host header><path>`, so list `next_page_url`s point back
at this server.
"""

from __future__ import annotations

import json
import random
import re
import sys
import threading
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from chargeapi.testing._errors import ApiError
from chargeapi.testing._faults import ConnectionDropped
from chargeapi.testing._seed import random_id

if TYPE_CHECKING:
    from chargeapi.testing._remote import SimulatorControl

Handler = Callable[[httpx.Request], httpx.Response]
_HOP_BY_HOP = {"connection", "content-length", "keep-alive", "transfer-encoding"}
MAX_BODY = 16 * 1024 * 1024  # bytes; a JSON request is a few hundred
_HEX = re.compile(rb"[0-9A-Fa-f]{1,8}")
_ids = random.Random()  # the server's own errors need no reproducible request IDs


class HTTPServer(ThreadingHTTPServer):
    """The listening server: backlog 128, no waiting for idle keep-alive threads on close."""

    request_queue_size = 128
    block_on_close = False  # keep-alive connections may idle in their threads

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-exchange is normal (retries, timeouts, soaks): stay quiet
        about it; anything else is still printed, as the stdlib does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SimulatorServer:
    """A running server; `url` is its base URL, `api_key` the simulator's test key, and
    `control` a `SimulatorControl` for it. Close it (or use `with`) to stop it.

    Binding raises `OSError` (e.g. `errno.EADDRINUSE`) when the address is taken.
    """

    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = "ch_sk_test_simulator",
    ) -> None:
        self._httpd = HTTPServer((host, port), request_handler(handler))
        bound_host, bound_port = self._httpd.server_address[:2]
        self.url: str = f"http://{_host(bound_host)}:{bound_port}"
        self.api_key: str = api_key
        self._control: SimulatorControl | None = None
        self._on_close: list[Callable[[], None]] = []
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long close() may wait for the loop to notice
            name="chargeapi-simulator",
            daemon=True,
        )
        self._thread.start()

    @property
    def control(self) -> SimulatorControl:
        """A `SimulatorControl` for this server (made on first use, closed with the server)."""
        if self._control is None:
            from chargeapi.testing._remote import SimulatorControl  # noqa: PLC0415 - import cycle

            self._control = SimulatorControl(self.url, self.api_key)
        return self._control

    def on_close(self, callback: Callable[[], None]) -> None:
        """Run `callback` when the server closes (after it stopped serving)."""
        self._on_close.append(callback)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        if self._control is not None:
            self._control.close()
        for callback in self._on_close:
            callback()
        self._on_close.clear()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _host(host: str | bytes | bytearray) -> str:
    text = host if isinstance(host, str) else bytes(host).decode()
    return f"[{text}]" if ":" in text else text


class _BadFraming(Exception):
    """The request body cannot be read as sent; answer `status` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def request_handler(handler: Handler) -> type[BaseHTTPRequestHandler]:
    """The request handler class serving `handler`."""

    class _RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # seconds an idle keep-alive connection is kept
        disable_nagle_algorithm = True  # TCP_NODELAY on every accepted socket

        def __getattr__(self, name: str) -> Callable[[], None]:
            # `do_<METHOD>` for every method, known or not: the simulator decides what is allowed.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def _serve(self) -> None:
            try:
                body = self._read_body()
            except _BadFraming as error:
                self.close_connection = True
                self._write_error(error.status, error.message)
                return
            if not self.path.startswith("/"):
                self.close_connection = True
                self._write_error(400, f"Request target must be a path, got {self.path!r}.")
                return
            try:
                request = httpx.Request(
                    self.command,
                    f"http://{self.headers.get('Host', 'localhost')}{self.path}",
                    headers=list(self.headers.items()),
                    content=body,
                )
            except Exception as error:  # e.g. a Host header that makes no URL
                self._write_error(400, f"Malformed request: {error}.")
                return
            try:
                response = handler(request)
            except ConnectionDropped:
                self.close_connection = True
                return
            except Exception as error:  # a simulator bug: say so in JSON, show the traceback
                traceback.print_exc(file=sys.stderr)
                self._write_error(500, f"The simulator failed: {type(error).__name__}: {error}")
                return
            headers = [
                (name, value)
                for name, value in response.headers.multi_items()
                if name.lower() not in _HOP_BY_HOP
            ]
            self._write(response.status_code, headers, response.content)

        def _read_body(self) -> bytes:
            codings = [
                coding.strip().lower()
                for value in self.headers.get_all("Transfer-Encoding", [])
                for coding in value.split(",")
                if coding.strip()
            ]
            if codings:
                if codings != ["chunked"]:
                    raise _BadFraming(
                        400, f"Unsupported Transfer-Encoding {', '.join(codings)!r}: use chunked."
                    )
                self.close_connection = self.close_connection or bool(
                    self.headers.get("Content-Length")
                )
                return self._read_chunked()
            lengths = {v.strip() for v in self.headers.get_all("Content-Length", [])}
            if not lengths:
                return b""
            raw = lengths.pop()
            if lengths or not raw.isdigit() or not raw.isascii():
                raise _BadFraming(400, "Invalid Content-Length header.")
            length = int(raw)
            if length > MAX_BODY:
                raise _BadFraming(413, f"Request body over {MAX_BODY} bytes.")
            body = self.rfile.read(length)
            if len(body) < length:
                raise _BadFraming(400, "The request body ended before its Content-Length.")
            return body

        def _read_chunked(self) -> bytes:
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(1026)
                size_text = line.split(b";", 1)[0].strip()
                if not line.endswith(b"\n") or not _HEX.fullmatch(size_text):
                    raise _BadFraming(400, "Malformed chunk size line in a chunked body.")
                size = int(size_text, 16)
                total += size
                if total > MAX_BODY:
                    raise _BadFraming(413, f"Request body over {MAX_BODY} bytes.")
                if size == 0:
                    break
                chunk = self.rfile.read(size)
                if len(chunk) < size or self.rfile.read(2) != b"\r\n":
                    raise _BadFraming(400, "A chunk of a chunked body is cut short.")
                chunks.append(chunk)
            for _ in range(100):  # trailer fields, ignored, up to the empty line
                trailer = self.rfile.readline(1026)
                if trailer in (b"\r\n", b"\n"):
                    return b"".join(chunks)
                if not trailer.endswith(b"\n"):
                    break
            raise _BadFraming(400, "Malformed trailer section in a chunked body.")

        def _write(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            """Status line, headers and body in one `sendall`."""
            phrase = self.responses.get(status, ("",))[0]
            lines = [
                f"{self.protocol_version} {status} {phrase}",
                f"Server: {self.version_string()}",
                f"Date: {self.date_time_string()}",
                *(f"{name}: {value}" for name, value in headers),
                f"Content-Length: {len(body)}",
            ]
            if self.close_connection:
                lines.append("Connection: close")
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            self.wfile.write(head if self.command == "HEAD" else head + body)

        def _write_error(self, status: int, message: str) -> None:
            request_id = random_id(_ids, "req_")
            error = ApiError(status, _error_type(status), None, message)
            headers = [("Content-Type", "application/json"), ("Request-Id", request_id)]
            self._write(status, headers, json.dumps(error.body(request_id)).encode())

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            """The stdlib's own errors (bad request line, 414, 431, ...) as JSON, then close."""
            self.close_connection = True
            if not hasattr(self, "command"):
                self.command = ""
            text = message or self.responses.get(code, ("Error",))[0]
            self._write_error(code, f"{text}." if explain is None else f"{text}: {explain}")

        def log_message(self, format: str, *args: object) -> None:
            """Silent: tests and the CLI print only what they mean to."""

    return _RequestHandler


def _error_type(status: int) -> str:
    return "api_error" if status >= 500 else "invalid_request_error"
