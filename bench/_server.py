"""The loopback benchmark's server: uvicorn with httptools on 127.0.0.1, pinned to one core.

Answers every request with the seed session (200, keep-alive). Run by ``loopback`` as
``python -m bench._server``; prints its port once it listens, then serves until terminated.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

import uvicorn

from ._fixtures import SEED_BYTES

_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(SEED_BYTES)).encode()),
    (b"request-id", b"req_loopback"),
]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    more = True
    while more:  # read the whole request body before answering
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": SEED_BYTES})


def main() -> None:
    core = int(sys.argv[1]) if len(sys.argv) > 1 else None
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP; without
    # it, the answer's head and body (two writes) wait out a 40 ms delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))  # loopback only
    sock.listen(2048)
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(
        app,
        http="httptools",
        loop="asyncio",
        lifespan="off",
        access_log=False,
        log_level="warning",
        backlog=2048,
        timeout_keep_alive=300,  # idle pools between rounds must not race a server-side close
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
