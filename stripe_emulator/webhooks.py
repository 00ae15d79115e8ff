"""Webhook delivery: signed POSTs to matching endpoints, off the request path, with retries.

The API call that caused an event only enqueues it (O(1)); a background thread sends it, so a
slow or dead endpoint never slows or breaks the API.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
import urllib.error
import urllib.request
from typing import Any

from .clock import monotonic, wall_time

log = logging.getLogger("stripe_emulator.webhooks")

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0)  # seconds between attempts (Stripe uses hours; scaled down)
TIMEOUT = 5.0


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value that stripe.Webhook.construct_event accepts."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Deliverer:
    """Queue of (account, event, endpoint) deliveries worked by one daemon thread."""

    def __init__(self, retry_delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self.retry_delays = retry_delays
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._retry: list[tuple[float, Any]] = []

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._work, name="webhooks", daemon=True)
            self._thread.start()

    async def stop(self) -> None:
        self._stopping.set()
        self._queue.put(None)
        self._thread = None

    def enqueue(self, account, recorded: list[tuple[Any, list[Any]]]) -> None:
        for event, endpoints in recorded:
            for endpoint in endpoints:
                self._queue.put((account, event, endpoint, 0))

    def _work(self) -> None:
        while not self._stopping.is_set():
            timeout = None
            if self._retry:
                self._retry.sort(key=lambda item: item[0])
                timeout = max(0.0, self._retry[0][0] - monotonic())
            try:
                job = self._queue.get(timeout=timeout)
            except queue.Empty:
                job = self._retry.pop(0)[1]
            if job is None:
                return
            self._deliver(*job)

    def _deliver(self, account, event, endpoint, attempt: int) -> None:
        payload = _payload(event, endpoint)
        timestamp = int(wall_time())
        request = urllib.request.Request(
            endpoint.data["url"],
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": sign(payload, endpoint.secret, timestamp),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
        )
        status: int | None = None
        error = None
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (OSError, ValueError) as exc:
            error = str(exc)
        ok = status is not None and 200 <= status < 300
        account.deliveries.appendleft(
            {
                "event": event.id,
                "type": event.data["type"],
                "endpoint": endpoint.id,
                "url": endpoint.data["url"],
                "attempt": attempt + 1,
                "status": status,
                "error": error,
                "succeeded": ok,
            }
        )
        if ok:
            event.data["pending_webhooks"] = max(0, event.data["pending_webhooks"] - 1)
        elif attempt < len(self.retry_delays):
            due = monotonic() + self.retry_delays[attempt]
            self._retry.append((due, (account, event, endpoint, attempt + 1)))
        else:
            log.warning(
                "webhook %s to %s failed after %d attempts",
                event.id,
                endpoint.data["url"],
                attempt + 1,
            )


def _payload(event, endpoint) -> bytes:
    import json

    body = event.to_dict()
    if endpoint.data.get("api_version"):
        body = {**body, "api_version": endpoint.data["api_version"]}
    return json.dumps(body, indent=2).encode()
