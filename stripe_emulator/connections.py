"""Slow and half-sent connections: timed out, and never allowed to starve the server of sockets.

uvicorn times out only idle keep-alive connections (`timeout_keep_alive`, after a response): a
client that connects and sends half a request head, or a head and half its body, holds its
socket for ever, and ~1,000 of them (a default `ulimit -n` of 1024) leave no file descriptor to
accept anyone else. `guarded(protocol_class)` wraps the HTTP protocol uvicorn would use (h11 or
httptools) with two rules:

- **Deadline.** A connection has REQUEST_TIMEOUT seconds from opening (or from its previous
  response) to deliver a whole request, head and body; one that has not is closed. The app's
  own work is not timed: once the body is in, the request runs as long as it takes.
- **Room.** At most `max_connections` (`connection_limit()`: the process's file-descriptor
  limit less a reserve for everything else; with `ulimit -n` 1024, 660) are open; a new connection beyond that closes the
  oldest one still waiting for its request (head or body), so a flood of stalled sockets cannot
  lock out a prompt client. Connections running a request are never closed for room.

A request whose connection closes before its body is complete reaches the app as an
`http.disconnect`, which the emulator's read_body and Starlette's `Request.body()` both refuse:
nothing acts on a truncated body. The emulator and the page (which may not import each other)
each have this file, identical (tests/test_architecture.py checks it).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import resource
from typing import Any

from uvicorn.config import HTTP_PROTOCOLS
from uvicorn.importer import import_from_string

REQUEST_TIMEOUT = 10.0  # seconds from connecting (or the previous response) to a whole request
# The listen backlog, which is also how many connections asyncio accepts in one go, before any
# of them reaches a protocol (uvicorn's default, 2048, would take every descriptor at once).
BACKLOG = 100
# Descriptors kept for everything but client connections (files, webhook sockets), plus three
# accept bursts in flight: a connection closed for room frees its descriptor a loop turn later.
_FD_RESERVE = 64 + 3 * BACKLOG


def add_request_timeout(parser: argparse.ArgumentParser) -> None:
    """The server's `--request-timeout SECONDS` option (REQUEST_TIMEOUT by default)."""
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=REQUEST_TIMEOUT,
        metavar="SECONDS",
        help="a connection has this long to send a whole request (default: %(default)s)",
    )


def raise_fd_limit() -> int:
    """Raise this process's soft file-descriptor limit to its hard limit; return the new soft
    limit (a standalone server owns its process, as uvicorn's own workers do)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def connection_limit() -> int:
    """Client connections this process can hold: its descriptor limit less a reserve."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 65536
    return max(16, soft - _FD_RESERVE)  # (16: a limit too low to reserve for still serves)


def guarded(
    protocol_class: type[asyncio.Protocol],
    timeout: float = REQUEST_TIMEOUT,
    max_connections: int | None = None,
) -> type[asyncio.Protocol]:
    """A subclass of uvicorn's HTTP `protocol_class` with the module's deadline and room rules."""
    limit = connection_limit() if max_connections is None else max_connections
    waiting: collections.OrderedDict[Any, None] = collections.OrderedDict()  # oldest first
    open_count = [0]

    class Guarded(protocol_class):  # type: ignore[misc, valid-type]
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            open_count[0] += 1
            self._arm()
            while open_count[0] > limit and waiting:
                oldest = next(iter(waiting))
                if oldest is self:
                    break
                oldest._close_waiting()

        def connection_lost(self, exc) -> None:
            open_count[0] -= 1
            self._disarm()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request has its own deadline

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._deadline is not None and not self._waiting():
                waiting.pop(self, None)  # the request is in: no longer a candidate for room

        # -- the rules --

        def _waiting(self) -> bool:
            """Still receiving its request: no head yet (or only the previous one's), or a
            head with the body not complete."""
            cycle = self.cycle
            return cycle is None or cycle.response_complete or cycle.more_body

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(timeout, self._on_deadline)
            waiting[self] = None

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            waiting.pop(self, None)

        def _on_deadline(self) -> None:
            self._deadline = None
            if self._waiting():
                self._close_waiting()
            else:
                waiting.pop(self, None)

        def _close_waiting(self) -> None:
            self._disarm()
            if not self.transport.is_closing():
                self.transport.close()

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{protocol_class.__name__}"
    return Guarded


def protocol(name: str = "auto", timeout: float = REQUEST_TIMEOUT) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol `name` ("auto", "h11", "httptools"), guarded."""
    return guarded(import_from_string(HTTP_PROTOCOLS[name]), timeout)
