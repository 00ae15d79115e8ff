"""HTTP in and out: the request as the pipeline sees it, the response it builds, ASGI I/O."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

MAX_BODY = 1 << 20
JSON_HEADERS = [(b"content-type", b"application/json")]
# CORS for what a page's Stripe.js calls (publishable-key API requests; app._render decides).
ALLOW_ANY_ORIGIN = (b"access-control-allow-origin", b"*")

Send = Callable[[dict], Awaitable[None]]
# A reverse proxy that serves the emulator under a path (jupyter-server-proxy: /user/alice/proxy/
# 12111) says so in X-Forwarded-Prefix, as it does for Werkzeug's ProxyFix; a path, nothing else.
_PREFIX = re.compile(r"^(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)+$")


class HttpError(Exception):
    """A refusal that is not part of Stripe's API (a page's or an asset's), rendered by its surface."""

    def __init__(self, status: int, title: str, message: str, allow: str | None = None) -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.allow = status, title, message, allow


@dataclass
class Response:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]


def json_response(status: int, payload: Any, headers: list | None = None) -> Response:
    return Response(status, dump_json(payload), JSON_HEADERS + (headers or []))


def dump_json(payload: Any) -> bytes:
    """A response body: UTF-8 JSON indented by two spaces, as api.stripe.com answers (what `curl`
    shows a learner), written by orjson (the emulator's hottest serialization). Non-string keys
    become strings, as with the standard library's json.dumps."""
    return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_INDENT_2)


@dataclass
class Request:
    """One HTTP request: what the client sent (read once from the ASGI scope and body)."""

    method: str
    path: str
    query: bytes = b""
    body: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    scheme: str = "http"
    server: tuple[str, int] | None = None

    @classmethod
    def from_scope(cls, scope: dict, body: bytes) -> Request:
        return cls(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b""),
            body=body,
            headers=dict(scope.get("headers", [])),
            scheme=scope.get("scheme", "http"),
            server=scope.get("server"),
        )

    def header(self, name: bytes, limit: int | None = None) -> str:
        value = self.headers.get(name, b"")
        return (value[:limit] if limit else value).decode("latin-1")

    @property
    def base_url(self) -> str:
        """This server's base URL as the client addressed it (for URLs in responses): the Host
        it named, under the path and scheme a reverse proxy reports (`X-Forwarded-Prefix`,
        `X-Forwarded-Proto`), so a browser behind the proxy can follow the URL."""
        host = self.header(b"host")
        if not host and self.server:
            host = "{}:{}".format(*self.server)
        proto = self.header(b"x-forwarded-proto", 8).split(",")[0].strip().lower()
        scheme = proto if proto in ("http", "https") else self.scheme
        prefix = self.header(b"x-forwarded-prefix", 512).rstrip("/")
        prefix = prefix if _PREFIX.match(prefix) and "/../" not in prefix + "/" else ""
        return f"{scheme}://{host}{prefix}"


class ClientDisconnected(Exception):
    """The client went away (or was timed out: connections.py) before its body was complete."""


async def read_body(receive) -> bytes:
    """The whole body, or its first MAX_BODY bytes and one chunk more (callers see the excess);
    ClientDisconnected if the connection closed first: a truncated body is never acted on."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        chunk = message.get("body", b"")
        if size <= MAX_BODY:  # keep the chunk that crosses the limit: callers see len > MAX_BODY
            chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def send_response(send: Send, response: Response, head: bool = False) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response.headers + [(b"content-length", str(len(response.body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else response.body})
