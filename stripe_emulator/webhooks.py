"""Webhook delivery: signed POSTs to matching endpoints, off the request path, retried like Stripe.

The API call that caused an event only enqueues it (O(1)); a fixed pool of delivery threads
sends it, so a slow or dead endpoint never slows or breaks the API, and 300 endpoints start no
more threads than one (`Settings.workers` + a scheduler + the answer watcher).

- One queue per endpoint: an endpoint gets one request at a time, in the order its events
  became due (first attempts in event order). The pool serves the endpoints in turn, and a
  request waits for its answer in the watcher (webhook_transport.py), not in a thread, so a
  hung endpoint delays no other.
- Success is any 2xx; anything else (3xx included), a refused connection or no answer within
  the timeout (10 s) fails the attempt, which is retried on the account's clock with
  exponential backoff over Stripe's 3-day horizon (webhook_retry.py). Retries stop when the
  endpoint is deleted or disabled, or the account is reset.
- Exactly one successful automatic delivery per event and endpoint: each pair has one chain of
  attempts, never two requests at once. A timed-out request stays open; if its answer comes
  late and is a 2xx, the pair is delivered and the retry is dropped (a retry that falls due
  meanwhile waits for that connection). `pending_webhooks` counts pairs never delivered.
- Redelivery on request (`POST /v1/events/{id}/retry`, what `stripe events resend` calls): one
  more attempt to one endpoint, through its queue. Like Stripe, it does not stop the automatic
  retries (docs/facts/webhooks.md#redelivery).
- With a state file (`--state`), deliveries survive a restart: on start, each event-endpoint
  pair never delivered gets one attempt at once, then the retries left of its chain, counted
  from the event's creation; a pair past its last retry stays undelivered (`resume`).
Every attempt is logged in the account's `deliveries` (GET /_emulator/deliveries), newest first,
with the next retry's time on the account clock.
"""

from __future__ import annotations

import bisect
import collections
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from . import webhook_transport as transport
from .clock import monotonic, wall_time
from .webhook_retry import Schedule, Settings, retry_delays_from_env, settings_from_env

__all__ = ["Deliverer", "render_payload", "retry_delays_from_env", "sign"]

log = logging.getLogger("stripe_emulator.webhooks")

USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header value that stripe.Webhook.construct_event accepts."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def render_payload(event, endpoint) -> bytes:
    """The event as sent to `endpoint`: pretty JSON, at the endpoint's pinned API version.

    Objects are stored in one rendering, so pinning changes the `api_version` label only."""
    body = event.to_dict()
    if endpoint.data.get("api_version"):
        body["api_version"] = endpoint.data["api_version"]
    return json.dumps(body, indent=2).encode()


@dataclass(eq=False)
class Job:
    """The delivery of one event to one endpoint: the automatic chain of attempts (one object
    from the first attempt to the last), or one redelivery asked for (`manual`)."""

    account: Any
    event: Any
    endpoint: Any
    manual: bool = False
    attempts: int = 0  # attempts made
    state: str = "queued"  # queued | sending | scheduled | done
    open: bool = False  # a timed-out request of this job still waits for its late answer
    parked: bool = False  # its retry fell due while `open`: sent once that connection ends
    started: float = 0.0


class Deliverer:
    """Endpoint queues served by a fixed pool of threads, retries due on account clocks."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        retry_delays: tuple[float, ...] | None = None,
        timeout: float | None = None,
    ) -> None:
        settings = settings_from_env() if settings is None else settings
        if retry_delays is not None:
            settings = Settings(Schedule(tuple(retry_delays)), settings.timeout, settings.workers)
        self.schedule = settings.schedule
        self.timeout = settings.timeout if timeout is None else timeout  # read at each attempt
        self.workers = settings.workers
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)  # workers wait here
        self._timer = threading.Condition(self._lock)  # the scheduler waits here
        self._queues: dict[Any, collections.deque[Job]] = {}  # endpoint -> jobs ready to send
        self._runnable: collections.deque[Any] = collections.deque()  # endpoints to serve
        self._busy: dict[Any, Job] = {}  # endpoint -> its job whose request awaits an answer
        self._retries: dict[Any, list[tuple[float, int, Job]]] = {}  # account -> heap
        self._seq = itertools.count()
        self._retired: weakref.WeakSet = weakref.WeakSet()  # accounts that were reset
        self._threads: list[threading.Thread] = []
        self._watcher = transport.Watcher(settings.late_wait)
        self._stopping = False
        # Called as on_delivered(account, event), holding the account's lock, when a delivery
        # lowered the event's pending_webhooks (the app keeps it in its state file).
        self.on_delivered = None

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            self._stopping = False
            if any(thread.is_alive() for thread in self._threads):
                return
            self._threads = [
                threading.Thread(target=self._serve, name=f"webhooks-worker-{n}", daemon=True)
                for n in range(self.workers)
            ]
            self._threads.append(
                threading.Thread(target=self._schedule, name="webhooks-scheduler", daemon=True)
            )
        self._watcher.start()
        for thread in self._threads:
            thread.start()

    async def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._queues.clear()
            self._runnable.clear()
            self._retries.clear()
            self._work.notify_all()
            self._timer.notify_all()
        self._watcher.stop()

    # -- API side -------------------------------------------------------------------

    def enqueue(self, account, recorded: list[tuple]) -> None:
        """Called by the app after a request: O(1) per delivery, never blocks on the network.
        Items are `(event, endpoints)`, or `(event, [endpoint], "resend")` for a redelivery."""
        with self._lock:
            for event, endpoints, *kind in recorded:
                for endpoint in endpoints:
                    self._submit(Job(account, event, endpoint, manual=kind == ["resend"]))

    def resume(self, accounts) -> int:
        """Queue again, oldest event first, every delivery of restored accounts (a state file,
        after a restart) that had not succeeded and whose chain of retries had not ended: each
        gets one attempt at once and then the retries left, counted from the event's creation
        on the account's clock. Returns how many were queued."""
        jobs = [job for account in accounts for job in self._unfinished(account)]
        with self._lock:
            for job in jobs:
                self._submit(job)
        if jobs:
            log.info("resumed %d webhook deliveries from the state file", len(jobs))
        return len(jobs)

    def _unfinished(self, account) -> list[Job]:
        elapsed_before = list(itertools.accumulate(self.schedule.delays_scaled(), initial=0.0))
        now = account.clock.seconds()
        jobs = []
        with account.lock:
            for event in reversed(list(account.events.newest_first())):
                waiting = [e for e in event.recipients if e not in event.delivered_to]
                if not waiting or event.data["pending_webhooks"] == 0:
                    continue
                # attempts due by now (the first at creation, the n-th after n-1 retry delays)
                due = bisect.bisect_right(elapsed_before, now - event.data["created"])
                if now - event.data["created"] > elapsed_before[-1]:
                    continue  # past its last retry: Stripe has given up on it too
                for endpoint_id in waiting:
                    endpoint = account.webhook_endpoints.get(endpoint_id)
                    if endpoint is not None and endpoint.data["status"] == "enabled":
                        jobs.append(Job(account, event, endpoint, attempts=max(0, due - 1)))
        return jobs

    def cancel(self, account) -> None:
        """Drop every pending delivery of `account` (it was reset)."""
        with self._lock:
            self._retired.add(account)
            for _, _, job in self._retries.pop(account, []):
                job.state = "done"
            for queue in self._queues.values():
                kept = [job for job in queue if job.account is not account]
                queue.clear()
                queue.extend(kept)

    def has_work(self, account) -> bool:
        """Whether a delivery of `account` is still queued, in flight or waiting for a retry
        (the store keeps such an account in memory: store.Store.in_use)."""
        with self._lock:
            if self._retries.get(account):
                return True
            if any(job.account is account for job in self._busy.values()):
                return True
            return any(job.account is account for queue in self._queues.values() for job in queue)

    def clock_changed(self, account) -> None:
        """The account's clock was frozen, advanced or unfrozen: retries may have fallen due."""
        with self._lock:
            if account in self._retries:
                self._timer.notify_all()

    # -- queues and the pool --------------------------------------------------------

    def _submit(self, job: Job) -> None:
        """Queue `job` on its endpoint (holds the lock)."""
        if self._stopping:
            return
        job.state = "queued"
        queue = self._queues.get(job.endpoint)
        if queue is None:
            queue = self._queues[job.endpoint] = collections.deque()
        queue.append(job)
        if len(queue) == 1 and job.endpoint not in self._busy:
            self._runnable.append(job.endpoint)
            self._work.notify()

    def _release(self, endpoint) -> None:
        """The endpoint's request has its answer (or timed out): serve its next job."""
        with self._lock:
            self._busy.pop(endpoint, None)
            if self._queues.get(endpoint):
                self._runnable.append(endpoint)
                self._work.notify()
            else:
                self._queues.pop(endpoint, None)

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._runnable and not self._stopping:
                    self._work.wait()
                if self._stopping:
                    return
                endpoint = self._runnable.popleft()
                queue = self._queues.get(endpoint)
                if not queue:
                    continue
                job = queue.popleft()
                self._busy[endpoint] = job
                job.state = "sending"
            try:
                self._send(job)
            except Exception:  # a delivery bug must not kill the worker
                log.exception("webhook delivery of %s failed unexpectedly", job.event.id)
                job.state = "done"
                self._release(endpoint)

    # -- the scheduler: retries due on each account's clock ----------------------------

    def _schedule(self) -> None:
        with self._lock:
            while not self._stopping:
                wait = None
                for account, heap in list(self._retries.items()):
                    now = account.clock.seconds()
                    while heap and heap[0][0] <= now:
                        self._fall_due(heapq.heappop(heap)[2])
                    if not heap:
                        del self._retries[account]
                    elif not account.clock.frozen:  # a frozen clock moves only when told
                        remaining = heap[0][0] - now
                        wait = remaining if wait is None else min(wait, remaining)
                self._timer.wait(wait)

    def _fall_due(self, job: Job) -> None:
        if job.state != "scheduled":  # delivered late meanwhile, or the account was reset
            return
        if job.open:
            job.parked = True  # never two requests of one job at once
        else:
            self._submit(job)

    def _retry_later(self, job: Job, delay: float, due_at: float) -> None:
        with self._lock:
            if self._stopping or job.account in self._retired:
                job.state = "done"
                return
            job.state = "scheduled"
            heapq.heappush(
                self._retries.setdefault(job.account, []), (due_at, next(self._seq), job)
            )
            self._timer.notify_all()

    # -- one attempt ----------------------------------------------------------------

    def _abandoned(self, job: Job) -> bool:
        account, endpoint = job.account, job.endpoint
        with self._lock:
            if account in self._retired:
                return True
        return (
            account.webhook_endpoints.get(endpoint.id) is not endpoint
            or endpoint.data["status"] != "enabled"
        )

    def _send(self, job: Job) -> None:
        if self._abandoned(job):
            job.state = "done"
            self._release(job.endpoint)
            return
        account, endpoint = job.account, job.endpoint
        with account.lock:
            payload = render_payload(job.event, endpoint)
        timestamp = int(wall_time())  # real time: receivers check it against their own clock
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "*/*; q=0.5, application/xml",
            "Cache-Control": "no-cache",
            "User-Agent": USER_AGENT,
            "Stripe-Signature": sign(payload, endpoint.secret, timestamp),
        }
        job.attempts += 1
        job.started = monotonic()
        try:
            sock = transport.send(endpoint.data["url"], payload, headers, self.timeout)
        except (OSError, ValueError) as exc:
            self._answered(job, None, str(exc) or type(exc).__name__, "answer")
            return
        self._watcher.watch(
            sock,
            self.timeout,
            lambda status, error, phase: self._answered(job, status, error, phase),
        )

    def _answered(self, job: Job, status: int | None, error: str | None, phase: str) -> None:
        """What the watcher saw (webhook_transport.Callback): an answer in time, a timeout (the
        connection stays open), or late news of a timed-out request."""
        if phase == "late":
            self._late(job, status, error)
            return
        job.open = phase == "timeout"
        ok = status is not None and 200 <= status < 300
        delay = None if ok or job.manual else self.schedule.delay_after(job.attempts)
        due_at = None if delay is None else job.account.clock.seconds() + delay
        self._log(job, status, error, ok, delay, due_at)
        if delay is not None:
            self._retry_later(job, delay, due_at)
        else:
            job.state = "done"
            if not ok:
                log.warning("webhook %s to %s failed after %d attempts", job.event.id,
                            job.endpoint.data["url"], job.attempts)  # fmt: skip
        self._release(job.endpoint)

    def _late(self, job: Job, status: int | None, error: str | None) -> None:
        ok = status is not None and 200 <= status < 300
        if status is not None or error is not None:
            self._log(job, status, error, ok, None, None, late=True)
        with self._lock:
            job.open = False
            if ok:
                job.state = "done"  # the scheduled retry is dropped when it falls due
                job.parked = False
            elif job.parked:
                job.parked = False
                self._submit(job)

    def _log(self, job: Job, status, error, ok: bool, delay, due_at, late: bool = False) -> None:
        account, event, endpoint = job.account, job.event, job.endpoint
        with account.lock:
            if ok and endpoint.id not in event.delivered_to:
                event.delivered_to += (endpoint.id,)
                event.data["pending_webhooks"] = max(0, event.data["pending_webhooks"] - 1)
                if self.on_delivered is not None:
                    self.on_delivered(account, event)
            account.deliveries.appendleft(
                {
                    "event": event.id,
                    "type": event.data["type"],
                    "endpoint": endpoint.id,
                    "url": endpoint.data["url"],
                    "attempt": job.attempts,
                    "manual": job.manual,
                    "late": late,
                    "status": status,
                    "error": error,
                    "succeeded": ok,
                    "created": account.clock.now(),
                    "duration_ms": round((monotonic() - job.started) * 1000, 3),
                    "next_retry_in": delay,
                    "next_retry_at": None if due_at is None else round(due_at, 3),
                }
            )
