"""DNS rebinding: the page answers only Host names it is meant to be reached by.

A page on any site can rebind its own name to 127.0.0.1 and then read this server's answers as
same-origin (its `/secret`, a customer's saved payment method). A browser always sends the name it
connected to in `Host`, so the page refuses any name but loopback's (127.0.0.1, localhost, [::1])
and those configured in `PAGE_ALLOWED_HOSTS` (comma-separated: the JupyterHub's public name,
which the hub's proxy passes on; helpers set it), with a 400 that says so. A request without a
Host header (HTTP/1.0) comes from no browser and is answered.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def host_name(host: str) -> str:
    """The name in a Host header, without its port, lower-case (`[::1]:4242` -> `::1`)."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower()
    return (host.rsplit(":", 1)[0] if host.count(":") == 1 else host).lower()


class HostCheckMiddleware:
    """ASGI middleware: refuse requests whose Host is neither loopback nor allowed."""

    def __init__(self, app, allowed_hosts: tuple[str, ...] = ()) -> None:
        self.app = app
        self.allowed = frozenset(LOOPBACK_HOSTS + tuple(h.lower() for h in allowed_hosts))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
            if host and host_name(host) not in self.allowed:
                response = PlainTextResponse(
                    f"Invalid Host header: '{host[:100]}'. This page answers only requests "
                    "addressed to 127.0.0.1, localhost or [::1] (PAGE_ALLOWED_HOSTS names more).",
                    status_code=400,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
