"""Webhook delivery: signed POSTs to matching endpoints, off the request path, with retries.

The API call that caused an event only enqueues it (O(1)); delivery threads send it, so a slow
or dead endpoint never slows or breaks the API. Each endpoint has its own lane: its deliveries
go out one at a time in event order, and a stuck endpoint delays nobody else.

Like Stripe: any 2xx is success; anything else (3xx included: redirects are not followed),
a timeout or a refused connection is a failure that is retried later. In test mode (sandboxes)
Stripe retries three times over a few hours (live mode: up to three days); the emulator keeps the
three retries but scales the hours down to `RETRY_DELAYS` seconds (override with the
`STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS` environment variable, e.g. "0.05,0.05", or the
`Deliverer(retry_delays=...)` argument). Retries stop when the endpoint is deleted or disabled
or its account is reset. Every attempt is logged in the account's `deliveries`.
"""

from __future__ import annotations

import collections
import hashlib
import heapq
import hmac
import http.client
import itertools
import json
import logging
import os
import threading
import urllib.error
import urllib.request
import weakref
from dataclasses import dataclass
from typing import Any

from .clock import monotonic, wall_time

log = logging.getLogger("stripe_emulator.webhooks")

RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0)  # seconds before each of 3 retries
RETRY_DELAYS_ENV = "STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS"
TIMEOUT = 10.0  # seconds an endpoint has to answer
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value that stripe.Webhook.construct_event accepts."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delays_from_env(environ: dict[str, str] | None = None) -> tuple[float, ...]:
    """`RETRY_DELAYS`, or the comma-separated seconds in STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS."""
    raw = (os.environ if environ is None else environ).get(RETRY_DELAYS_ENV, "").strip()
    if not raw:
        return RETRY_DELAYS
    try:
        delays = tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"{RETRY_DELAYS_ENV} must be comma-separated seconds: {raw!r}") from exc
    if any(delay < 0 for delay in delays):
        raise ValueError(f"{RETRY_DELAYS_ENV} must not be negative: {raw!r}")
    return delays


@dataclass
class Job:
    account: Any
    event: Any
    endpoint: Any
    attempt: int = 0  # attempts already made


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is a failed delivery, as on Stripe
        return None


class Deliverer:
    """Per-endpoint delivery lanes plus one scheduler thread for retries."""

    def __init__(
        self, retry_delays: tuple[float, ...] | None = None, timeout: float = TIMEOUT
    ) -> None:
        self.retry_delays = retry_delays_from_env() if retry_delays is None else tuple(retry_delays)
        self.timeout = timeout
        self._cond = threading.Condition()
        self._due: list[tuple[float, int, Job]] = []  # heap of retries
        self._seq = itertools.count()
        self._lanes: dict[Any, collections.deque[Job]] = {}  # endpoint -> jobs waiting
        self._retired: weakref.WeakSet = weakref.WeakSet()  # accounts that were reset
        self._scheduler: threading.Thread | None = None
        self._stopping = False
        # Never a proxy (deliveries stay on this machine), never a redirect.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        with self._cond:
            self._stopping = False
            if self._scheduler is None or not self._scheduler.is_alive():
                self._scheduler = threading.Thread(
                    target=self._schedule, name="webhooks-scheduler", daemon=True
                )
                self._scheduler.start()

    async def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._due.clear()
            for lane in self._lanes.values():
                lane.clear()
            self._cond.notify_all()
        self._scheduler = None

    # -- API side -------------------------------------------------------------------

    def enqueue(self, account, recorded: list[tuple[Any, list[Any]]]) -> None:
        """Called by the app after a request: O(1) per delivery, never blocks on the network."""
        with self._cond:
            for event, endpoints in recorded:
                for endpoint in endpoints:
                    self._submit(Job(account, event, endpoint))

    def cancel(self, account) -> None:
        """Drop every pending delivery of `account` (it was reset)."""
        with self._cond:
            self._retired.add(account)
            self._due = [item for item in self._due if item[2].account is not account]
            heapq.heapify(self._due)
            for lane in self._lanes.values():
                kept = [job for job in lane if job.account is not account]
                lane.clear()
                lane.extend(kept)

    # -- workers --------------------------------------------------------------------

    def _submit(self, job: Job) -> None:
        """Queue `job` on its endpoint's lane, starting the lane's thread if idle (holds lock)."""
        if self._stopping:
            return
        lane = self._lanes.get(job.endpoint)
        if lane is not None:
            lane.append(job)
            return
        self._lanes[job.endpoint] = collections.deque([job])
        threading.Thread(
            target=self._run_lane, args=(job.endpoint,), name="webhooks-lane", daemon=True
        ).start()

    def _run_lane(self, endpoint) -> None:
        while True:
            with self._cond:
                lane = self._lanes.get(endpoint)
                if not lane:
                    self._lanes.pop(endpoint, None)
                    return
                job = lane.popleft()
            try:
                self._attempt(job)
            except Exception:  # a delivery bug must not kill the lane
                log.exception("webhook delivery of %s failed unexpectedly", job.event.id)

    def _schedule(self) -> None:
        with self._cond:
            while not self._stopping:
                now = monotonic()
                while self._due and self._due[0][0] <= now:
                    self._submit(heapq.heappop(self._due)[2])
                self._cond.wait(self._due[0][0] - now if self._due else None)

    def _retry_later(self, job: Job, delay: float) -> None:
        with self._cond:
            if self._stopping:
                return
            heapq.heappush(self._due, (monotonic() + delay, next(self._seq), job))
            self._cond.notify_all()

    def _abandoned(self, job: Job) -> bool:
        account, endpoint = job.account, job.endpoint
        with self._cond:
            if account in self._retired:
                return True
        return (
            account.webhook_endpoints.get(endpoint.id) is not endpoint
            or endpoint.data["status"] != "enabled"
        )

    def _attempt(self, job: Job) -> None:
        if self._abandoned(job):
            return
        account, event, endpoint = job.account, job.event, job.endpoint
        url = endpoint.data["url"]
        payload = render_payload(event, endpoint)
        started = monotonic()
        status, error = self._post(url, payload, endpoint.secret)
        duration_ms = round((monotonic() - started) * 1000, 3)
        ok = status is not None and 200 <= status < 300
        retry_in = None
        if not ok and job.attempt < len(self.retry_delays):
            retry_in = self.retry_delays[job.attempt]
        with account.lock:
            if ok:
                event.data["pending_webhooks"] = max(0, event.data["pending_webhooks"] - 1)
            account.deliveries.appendleft(
                {
                    "event": event.id,
                    "type": event.data["type"],
                    "endpoint": endpoint.id,
                    "url": url,
                    "attempt": job.attempt + 1,
                    "status": status,
                    "error": error,
                    "succeeded": ok,
                    "created": account.clock.now(),
                    "duration_ms": duration_ms,
                    "next_retry_in": retry_in,
                }
            )
        if retry_in is not None:
            self._retry_later(Job(account, event, endpoint, job.attempt + 1), retry_in)
        elif not ok:
            log.warning("webhook %s to %s failed after %d attempts", event.id, url, job.attempt + 1)

    def _post(self, url: str, payload: bytes, secret: str) -> tuple[int | None, str | None]:
        """POST one signed payload; returns (HTTP status or None, error text or None)."""
        timestamp = int(wall_time())  # real time: receivers check it against their own clock
        request = urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "*/*; q=0.5, application/xml",
                "Cache-Control": "no-cache",
                "User-Agent": USER_AGENT,
                "Stripe-Signature": sign(payload, secret, timestamp),
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read(64 * 1024)
                return response.status, None
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, None
        except (OSError, ValueError, http.client.HTTPException) as exc:
            return None, str(getattr(exc, "reason", None) or exc) or type(exc).__name__


def render_payload(event, endpoint) -> bytes:
    """The event as sent to `endpoint`: pretty JSON, at the endpoint's pinned API version.

    Objects are stored in one rendering, so pinning changes the `api_version` label only."""
    body = event.to_dict()
    if endpoint.data.get("api_version"):
        body["api_version"] = endpoint.data["api_version"]
    return json.dumps(body, indent=2).encode()
