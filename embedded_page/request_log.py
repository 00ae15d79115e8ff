"""The page's own request log: one masked line per request, and the last entries in memory.

Replaces uvicorn's access log, which prints URLs as they came: the `return_url` carries
`setup_intent_client_secret`, and a login link carries its token. Here both are masked before
anything is written (`seti_…_secret_****`, `/login/****`), and the entries are kept (bounded) so
the back office can read them (`GET /back_office/requests`), e.g. to draw a checkout's requests.
"""

from __future__ import annotations

import collections
import logging
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

log = logging.getLogger("embedded_page.access")

MAX_ENTRIES = 1000
_CLIENT_SECRET = re.compile(r"^(\w+?_secret_)\w+$")
_LOGIN_PATH = re.compile(r"^/login/[^/]+$")


def mask_secret(value: str) -> str:
    """`seti_123_secret_abc` -> `seti_123_secret_****`; anything else unchanged."""
    return _CLIENT_SECRET.sub(r"\1****", value)


def masked_target(path: str, query: str) -> str:
    """The request target as it may be logged: client secrets and login tokens masked."""
    if _LOGIN_PATH.match(path):
        path = "/login/****"
    if not query:
        return path
    pairs = [(key, mask_secret(value)) for key, value in parse_qsl(query, keep_blank_values=True)]
    return f"{path}?{urlencode(pairs, safe='/*')}"


class RequestEntries:
    """The last MAX_ENTRIES requests, oldest first. Thread-safe."""

    def __init__(self) -> None:
        self._entries: collections.deque[dict] = collections.deque(maxlen=MAX_ENTRIES)
        self._lock = threading.Lock()

    def append(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)


class RequestLogMiddleware:
    """ASGI middleware: times each HTTP request, records it in `entries` and logs it, masked."""

    def __init__(self, app: Any, entries: RequestEntries) -> None:
        self.app = app
        self.entries = entries

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received_at = time.time()
        started = time.perf_counter()
        status: list[int] = []

        async def send_and_note(message: dict) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            target = masked_target(scope["path"], scope.get("query_string", b"").decode("latin-1"))
            entry = {
                "method": scope["method"],
                "path": target,
                "status": status[0] if status else None,
                "received_at": received_at,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            }
            self.entries.append(entry)
            log.info(
                "%s %s %s %.1fms", entry["method"], target, entry["status"], entry["duration_ms"]
            )
