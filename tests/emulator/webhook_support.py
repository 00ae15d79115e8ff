"""Webhook test tools: a local receiver with scripted answers, and waits on the delivery log."""

from __future__ import annotations

import http.server
import threading

WAIT = 10.0  # upper bound for something that should happen at once (never a timing assertion)


class Receiver:
    """A tiny webhook receiver on 127.0.0.1: records each POST, answers scripted statuses.

    `statuses` are answered in order (200 once exhausted); while `down` is set it answers 503;
    a `gate` holds the first `held` requests (all of them when None) until it is set."""

    def __init__(
        self,
        statuses: list[int] | None = None,
        gate: threading.Event | None = None,
        held: int | None = None,
    ):
        self.statuses = list(statuses or [])
        self.gate = gate
        self.held = held
        self.down = False
        self.arrived: list[dict] = []
        self.answered: list[dict] = []
        self._changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = {"headers": dict(self.headers), "body": body, "path": self.path}
                number = receiver._note(receiver.arrived, request)
                if receiver.gate is not None and (receiver.held is None or number < receiver.held):
                    receiver.gate.wait(WAIT)
                with receiver._changed:
                    if receiver.down:
                        status = 503
                    else:
                        status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver._note(receiver.answered, {**request, "status": status})

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def _note(self, log: list, item: dict) -> int:
        with self._changed:
            log.append(item)
            self._changed.notify_all()
            return len(log) - 1

    def wait_answered(self, count: int) -> list[dict]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.answered) >= count, WAIT), (
                f"expected {count} deliveries, got {len(self.answered)}"
            )
            return list(self.answered)

    def wait_arrived(self, count: int) -> list[dict]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.arrived) >= count, WAIT), (
                f"expected {count} requests, got {len(self.arrived)}"
            )
            return list(self.arrived)

    def close(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


def wait_deliveries(http, predicate) -> list[dict]:
    """The account's delivery log (newest first) once `predicate(log)` holds."""
    done = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        log = http.get("/_emulator/deliveries").json()["data"]
        if predicate(log):
            return log
        done.wait(0.01)
    raise AssertionError(f"delivery log never matched: {log}")


def create_endpoint(client, url, events=("*",), **extra):
    return client.v1.webhook_endpoints.create({"url": url, "enabled_events": list(events), **extra})
