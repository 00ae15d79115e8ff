"""Webhooks for a lesson: an endpoint for the lesson's checkout page, and what reached it.

Offline, the emulator signs each event with the endpoint's secret (`whsec_…`) and POSTs it to
the page's `/webhook` on loopback; the page verifies the signature with the same secret. On real
test mode Stripe cannot reach 127.0.0.1: forward events with `stripe listen --forward-to
127.0.0.1:<page port>/webhook` and put the secret it prints in STRIPE_WEBHOOK_SECRET.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from .tables import oldest_first

WAIT_SECONDS = 15


def listen(lesson: Any, events: list[str]) -> Any:
    """A webhook endpoint for `events` at the lesson's page; the page restarted with its secret.

    Returns the endpoint (offline) or None (real test mode, where `stripe listen` forwards)."""
    if not lesson.offline:
        lesson.restart_page(webhook_secret=lesson.backend.webhook_secret)
        return None
    endpoint = lesson.client.v1.webhook_endpoints.create(
        {"url": lesson.page.url("/webhook"), "enabled_events": events}
    )
    lesson.restart_page(webhook_secret=endpoint.secret)
    return endpoint


def received_events(lesson: Any, types: list[str]) -> pd.DataFrame:
    """The events of `types` the account emitted, and whether the page received and verified
    each one; waits (up to 15 s) until every one has arrived. Rows in the order of emission."""
    emitted = oldest_first(lesson.client.v1.events.list({"types": types, "limit": 100}))
    # A page without a signing secret refuses every delivery: nothing to wait for.
    deadline = time.monotonic() + (WAIT_SECONDS if lesson.page.webhook_secret else 0)
    received: dict[str, dict] = {}
    while True:
        received = {event["id"]: event for event in lesson.page.events()}
        if all(event.id in received for event in emitted) or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    rows = [
        (event.id, event.type, event.data.object.id, "yes" if event.id in received else "no")
        for event in emitted
    ]
    return pd.DataFrame(rows, columns=["event", "type", "object", "verified by the page"])


def deliveries(lesson: Any) -> pd.DataFrame | None:
    """The emulator's delivery attempts (offline only), in the order the events were emitted.

    The emulator logs an attempt once it has read the page's answer, a moment after the page
    recorded the event: waits (up to 15 s) until every event the page received has its
    successful attempt in the log."""
    if lesson.control is None:
        return None
    order = {
        e.id: i for i, e in enumerate(oldest_first(lesson.client.v1.events.list({"limit": 100})))
    }
    received = (
        {event["id"] for event in lesson.page.events()} if lesson.page.webhook_secret else set()
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        logged = lesson.control.deliveries()
        delivered = {d["event"] for d in logged if d["succeeded"]}
        if received <= delivered or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    attempts = sorted(logged, key=lambda d: (order.get(d["event"], -1), d["attempt"]))
    rows = [(d["event"], d["type"], d["attempt"], d["status"], d["succeeded"]) for d in attempts]
    return pd.DataFrame(rows, columns=["event", "type", "attempt", "HTTP status", "succeeded"])
