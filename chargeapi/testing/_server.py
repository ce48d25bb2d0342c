"""The simulator over real HTTP: a stdlib `ThreadingHTTPServer` around `Simulator.handle`.

HTTP/1.1 with keep-alive; every response carries Content-Length. A scripted drop closes the
socket without writing a byte, which clients report as "Server disconnected without sending a
response". Requests are rebuilt as `httpx.Request` on `http://<Host header><path>`, so list
`next_page_url`s point back at this server. Request bodies are read by Content-Length (what
httpx and curl send for JSON); chunked request bodies are not supported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

from chargeapi.testing._faults import ConnectionDropped

Handler = Callable[[httpx.Request], httpx.Response]
_HOP_BY_HOP = {"connection", "content-length", "keep-alive", "transfer-encoding"}


class SimulatorServer:
    """A running server; `url` is its base URL. Close it (or use `with`) to stop it."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = ThreadingHTTPServer((host, port), _request_handler(handler))
        # Keep-alive connections may idle in their threads; do not wait for them on close.
        self._httpd.block_on_close = False
        bound_host, bound_port = self._httpd.server_address[:2]
        self.url = f"http://{_host(bound_host)}:{bound_port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long close() may wait for the loop to notice
            name="chargeapi-simulator",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

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


def _request_handler(handler: Handler) -> type[BaseHTTPRequestHandler]:
    class _RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # seconds an idle keep-alive connection is kept

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('Host', 'localhost')}{self.path}",
                headers=list(self.headers.items()),
                content=self.rfile.read(length),
            )
            try:
                response = handler(request)
            except ConnectionDropped:
                self.close_connection = True
                return
            self.send_response(response.status_code)
            for name, value in response.headers.multi_items():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Silent: tests and the CLI print only what they mean to."""

    return _RequestHandler
