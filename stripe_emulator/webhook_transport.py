"""The wire side of webhook delivery: send one POST, then wait for its answer without a thread.

`send` connects and writes the request (blocking, each step bounded by the timeout) on one of
the deliverer's workers. `Watcher` then waits for the answers of every request in flight in one
selector thread, so an endpoint that accepts and never answers holds no worker.

A request that has not answered by its deadline is reported as timed out (a failed attempt, as
on Stripe), but its connection stays open for `late_wait` more seconds: if the answer arrives
after all, the deliverer learns of it and does not send the same event again. Plain sockets,
never a proxy, never a redirect (any 3xx is an answer like another: a failure).
"""

from __future__ import annotations

import logging
import selectors
import socket
import ssl
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from .clock import monotonic

log = logging.getLogger("stripe_emulator.webhooks")

MAX_HEAD = 64 * 1024  # bytes of an answer read before it counts as malformed
MAX_OPEN = 1024  # connections watched at once; past it the oldest late ones are closed

# (status or None, error text or None, phase): phase "answer" (in time), "timeout" (no answer
# by the deadline; the connection stays open), "late" (after a timeout: the answer, or the end
# of the late wait with neither status nor error)
Callback = Callable[[int | None, str | None, str], None]


def send(url: str, payload: bytes, headers: dict[str, str], timeout: float) -> socket.socket:
    """Connect to `url` and write a POST of `payload`; the socket is returned non-blocking.

    Raises OSError (refused, unreachable, TLS failure, timeout) when the request cannot be sent."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        if https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        authority = f"[{host}]" if ":" in host else host
        if parts.port:
            authority += f":{parts.port}"
        lines = [f"POST {target} HTTP/1.1", f"Host: {authority}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines += [f"Content-Length: {len(payload)}", "Connection: close", "", ""]
        sock.sendall("\r\n".join(lines).encode("latin-1") + payload)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def status_of(head: bytes) -> int | None:
    """The final status code in `head` (1xx interim answers skipped), None if incomplete."""
    while True:
        end = head.find(b"\r\n\r\n")
        if end < 0:
            return None
        line = head.split(b"\r\n", 1)[0].split()
        if len(line) < 2 or not line[0].startswith(b"HTTP/") or not line[1].isdigit():
            raise ValueError("malformed HTTP response")
        status = int(line[1])
        if status >= 200 or status < 100:
            return status
        head = head[end + 4 :]


class _Open:
    __slots__ = ("sock", "timeout", "deadline", "closes_at", "callback", "head", "timed_out")

    def __init__(self, sock, timeout: float, late_wait: float, callback: Callback) -> None:
        self.sock = sock
        self.timeout = timeout
        self.deadline = monotonic() + timeout
        self.closes_at = self.deadline + late_wait
        self.callback = callback
        self.head = b""
        self.timed_out = False


class Watcher:
    """One thread waiting for the answers of every request in flight."""

    def __init__(self, late_wait: float) -> None:
        self.late_wait = late_wait
        self._lock = threading.Lock()
        self._added: list[_Open] = []
        self._open: dict[socket.socket, _Open] = {}
        self._selector: selectors.BaseSelector | None = None  # these three live while running
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> None:
        with self._lock:
            self._stopping = False
            if self._thread is None or not self._thread.is_alive():
                self._selector = selectors.DefaultSelector()
                self._wake_r, self._wake_w = socket.socketpair()
                self._wake_r.setblocking(False)
                self._selector.register(self._wake_r, selectors.EVENT_READ)
                self._thread = threading.Thread(
                    target=self._run, name="webhooks-watcher", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
        self._wake()

    def watch(self, sock: socket.socket, timeout: float, callback: Callback) -> None:
        """Report the answer on `sock`: `callback(status, error, "answer")`; if none comes within
        `timeout` seconds, `callback(None, "timed out …", "timeout")` and, once more, the late
        answer or the end of the late wait (`callback(None, None, "late")`)."""
        with self._lock:
            self._added.append(_Open(sock, timeout, self.late_wait, callback))
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")  # type: ignore[union-attr]
        except (OSError, AttributeError):  # buffer full (the loop is awake anyway), or stopped
            pass

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    break
                added, self._added = self._added, []
            for item in added:
                self._open[item.sock] = item
                self._selector.register(item.sock, selectors.EVENT_READ, item)
            self._limit()
            now = monotonic()
            waits = [
                (o.closes_at if o.timed_out else o.deadline) - now for o in self._open.values()
            ]
            for key, _ in self._selector.select(max(0.0, min(waits)) if waits else None):
                if key.fileobj is self._wake_r:
                    self._drain_wake()
                else:
                    self._read(key.data)
            self._expire(monotonic())
        for item in list(self._open.values()):
            self._close(item)
        with self._lock:
            self._selector.close()
            self._wake_r.close()
            self._wake_w.close()
            self._selector = self._wake_r = self._wake_w = None

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass

    def _read(self, item: _Open) -> None:
        try:
            while True:
                chunk = item.sock.recv(16384)
                if not chunk:
                    return self._finish(item, None, "connection closed without a response")
                item.head += chunk
                status = status_of(item.head)
                if status is not None:
                    return self._finish(item, status, None)
                if len(item.head) > MAX_HEAD:
                    raise ValueError("response headers too large")
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return None
        except (OSError, ValueError) as exc:
            return self._finish(item, None, str(exc) or type(exc).__name__)

    def _expire(self, now: float) -> None:
        for item in list(self._open.values()):
            if not item.timed_out and now >= item.deadline:
                item.timed_out = True
                self._report(item, None, f"timed out after {item.timeout:g} s", "timeout")
            elif item.timed_out and now >= item.closes_at:
                self._close(item)
                self._report(item, None, None, "late")

    def _limit(self) -> None:
        late = sorted((o for o in self._open.values() if o.timed_out), key=lambda o: o.closes_at)
        for item in late[: max(0, len(self._open) - MAX_OPEN)]:
            self._close(item)
            self._report(item, None, None, "late")

    def _finish(self, item: _Open, status: int | None, error: str | None) -> None:
        self._close(item)
        self._report(item, status, error, "late" if item.timed_out else "answer")

    def _close(self, item: _Open) -> None:
        if self._open.pop(item.sock, None) is not None:
            self._selector.unregister(item.sock)
        item.sock.close()

    @staticmethod
    def _report(item: _Open, status: int | None, error: str | None, phase: str) -> None:
        try:
            item.callback(status, error, phase)
        except Exception:  # a bookkeeping bug must not stop every other delivery
            log.exception("webhook answer handling failed")
