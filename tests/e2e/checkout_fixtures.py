"""The checkout page served for tests: uvicorn in a thread on a loopback port the OS picks.

The socket is bound before the app is built, so a test can register the page's URL with the
emulator (e.g. as a webhook endpoint) and only then build the page's settings.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import uvicorn

from embedded_page import Settings, create_app


class PageServer:
    """`PageServer().start(settings)`; `.url` is known as soon as the object exists."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.host, self.port = self._socket.getsockname()[:2]
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, settings: Settings, timeout: float = 10.0) -> PageServer:
        config = uvicorn.Config(
            create_app(settings), log_level="warning", access_log=False, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[self._socket])),
            name="embedded-page",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"embedded_page did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._socket.close()
        self._server = None
        self._thread = None
