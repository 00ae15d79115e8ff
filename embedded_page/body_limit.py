"""A bound on request bodies: no sender can make the page hold a large body in memory.

Every body the page accepts is small (a Stripe event is a few KiB; the back office posts a few
fields), so any body over `MAX_BODY` (1 MiB) is refused with 413 in Stripe's error envelope: at
once when `Content-Length` announces it, else as soon as the bytes read pass the limit (what
follows is never read). Routes read their bodies as usual (`await request.body()`).
"""

from __future__ import annotations

from .responses import error_json

MAX_BODY = 1 << 20


class _TooLarge(Exception):
    pass


def too_large() -> object:
    return error_json(
        413, "invalid_request_error", f"The request body is too large: at most {MAX_BODY} bytes."
    )


class BodyLimitMiddleware:
    """ASGI middleware: 413 for a body over `limit` bytes."""

    def __init__(self, app, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await too_large()(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLarge:
            if started:  # too late to answer 413: the response is on its way
                raise
            await too_large()(scope, receive, send)
