"""Event: an immutable record of a state change, with a snapshot of the object at that time."""

from __future__ import annotations

import json
from typing import Any

from .. import params as p
from ..context import Ctx
from .base import Resource, get_or_404

LIST = p.list_spec(
    type=p.Str(),
    types=p.Arr(p.Str(), max_items=20),
    created=p.Anything(),
    delivery_success=p.Bool(),
)
EVENTS_KEPT = 10_000  # like Stripe's 30-day retention: old events are pruned


class Event(Resource):
    object_name = "event"
    noun = "event"
    collection = "events"

    def __init__(self, data: dict[str, Any], snapshot: str, previous: dict | None) -> None:
        super().__init__(data)
        self.snapshot = snapshot
        self.previous = previous

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"object": json.loads(self.snapshot)}
        if self.previous is not None:
            payload["previous_attributes"] = self.previous
        return {**self.data, "data": payload}


def record(ctx: Ctx, event_type: str, obj: Resource, previous: dict | None = None) -> Event:
    """Record an event for `obj` in its current state; webhooks are sent after the request."""
    account = ctx.account
    event_id = account.ids.new("evt")
    matching = [
        we
        for we in account.webhook_endpoints.newest_first()
        if we.data["status"] == "enabled" and we.matches(event_type)
    ]
    data = {
        "id": event_id,
        "object": "event",
        "api_version": ctx.api_version,
        "created": ctx.now(),
        "livemode": False,
        "pending_webhooks": len(matching),
        "request": {"id": ctx.request_id, "idempotency_key": ctx.idempotency_key},
        "type": event_type,
    }
    event = Event(data, json.dumps(obj.to_dict()), previous)
    account.events.add(event)
    if len(account.events) > EVENTS_KEPT:
        oldest = next(iter(account.events._items))
        account.events.remove(oldest)
    ctx.events.append((event, matching))
    return event


def find(ctx: Ctx, event_id: str) -> Event:
    return get_or_404(ctx.account, Event, event_id)
