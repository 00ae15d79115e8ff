"""Event: an immutable record of a state change, with a snapshot of the object at that time.

Shape (docs/facts/objects.md#event): `{id, object, api_version, created, data{object, previous_attributes?},
livemode, pending_webhooks, request{id, idempotency_key}, type}`. Stripe adds `account` and
`context` only to events of connected accounts (Connect); the emulator has no Connect, so
they are omitted, exactly as on a platform's own events.

`api_version` is the version of the request that caused the event: the emulator stores one
rendering of each object, so the version of that request stands in for the account's default.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable, Iterable
from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from .base import Resource, get_or_404

EVENTS_KEPT = 10_000  # like Stripe's 30-day retention: old events are pruned


class CreatedRange(p.Spec):
    """`created=<int>` or `created[gt|gte|lt|lte]=<int>`."""

    _BOUNDS = p.Obj({key: p.Int() for key in ("gt", "gte", "lt", "lte")})

    def coerce(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            return self._BOUNDS.coerce(value, path)
        return {"eq": p.Int().coerce(value, path)}


RETRY = p.Obj(  # what `stripe events resend` sends (docs/facts/webhooks.md#redelivery)
    {"webhook_endpoint": p.Str(), "for_stripecli": p.Bool(), "expand": p.EXPAND}
)
LIST = p.list_spec(
    type=p.Str(),
    types=p.Arr(p.Str(), max_items=20),
    created=CreatedRange(),
    delivery_success=p.Bool(),
)


class Event(Resource):
    object_name = "event"
    noun = "event"
    collection = "events"
    # Webhook bookkeeping (webhooks.py), set per event only when not empty: the endpoints the
    # event was sent to when it happened, and those that answered one attempt with a 2xx.
    recipients: tuple[str, ...] = ()
    delivered_to: tuple[str, ...] = ()

    def __init__(self, data: dict[str, Any], snapshot: bytes, previous: dict | None) -> None:
        super().__init__(data)
        # The object frozen as it was at that moment, as an in-memory deep copy (marshal is the
        # fastest exact copy of plain dicts/lists/str/int/bool/None; never written anywhere).
        self.snapshot = snapshot
        self.previous = None if previous is None else marshal.dumps(previous)

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"object": marshal.loads(self.snapshot)}
        if self.previous is not None:
            payload["previous_attributes"] = marshal.loads(self.previous)
        data = self.data
        return {
            "id": data["id"],
            "object": "event",
            "api_version": data["api_version"],
            "created": data["created"],
            "data": payload,
            "livemode": False,
            "pending_webhooks": data["pending_webhooks"],
            "request": dict(data["request"]),
            "type": data["type"],
        }


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
    event = Event(data, marshal.dumps(obj.to_dict()), previous)
    if matching:
        event.recipients = tuple(we.id for we in matching)
    account.events.add(event)
    if len(account.events) > EVENTS_KEPT:
        account.events.pop_oldest()
    ctx.events.append((event, matching))
    return event


def previous_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`previous_attributes` of an update: the old value of each changed field; inside a
    changed hash only its changed keys (null for keys it did not have); lists whole.
    `before` must be a deep copy taken before the update."""
    changed: dict[str, Any] = {}
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changed[key] = previous_attributes(old, new)
        else:
            changed[key] = old
    return changed


def find(ctx: Ctx, event_id: str) -> Event:
    return get_or_404(ctx.account, Event, event_id)


def resend(ctx: Ctx, params: dict[str, Any], event_id: str) -> Event:
    """Queue one more delivery of the event to `webhook_endpoint`, one it was sent to when it
    happened; the delivery goes out after the request, like those of new events."""
    if params.get("for_stripecli"):
        raise errors.ResendToCliNotSupported()
    if "webhook_endpoint" not in params:
        raise errors.ParameterMissing("webhook_endpoint")
    event = ctx.account.events.get(event_id)
    if event is None:  # the wording Stripe uses on this route (docs/facts/webhooks.md#redelivery)
        raise errors.ResourceMissing("notification", event_id)
    endpoint_id = params["webhook_endpoint"]
    endpoint = ctx.account.webhook_endpoints.get(endpoint_id)
    if endpoint is None:
        raise errors.ResourceMissing("webhook endpoint", endpoint_id, param="webhook_endpoint")
    if endpoint.id not in event.recipients:
        raise errors.EventNotSentToEndpoint(
            event=event.id, endpoint=endpoint.id, type=event.data["type"]
        )
    if endpoint.data["status"] != "enabled":
        raise errors.WebhookEndpointDisabled(endpoint=endpoint.id)
    ctx.events.append((event, [endpoint], "resend"))
    return event


# --- list filters ---------------------------------------------------------------------


def type_matcher(pattern: str) -> Callable[[str], bool]:
    """`setup_intent.*` style patterns: `*` matches any run of characters."""
    if "*" not in pattern:
        return pattern.__eq__
    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")))
    return lambda name: regex.fullmatch(name) is not None


def in_created_range(created: int, bounds: dict[str, int] | None) -> bool:
    """A `created` filter: `bounds` has any of eq/gt/gte/lt/lte (None or empty: anything)."""
    if not bounds:
        return True
    return (
        bounds.get("eq", created) == created
        and created > bounds.get("gt", created - 1)
        and created >= bounds.get("gte", created)
        and created < bounds.get("lt", created + 1)
        and created <= bounds.get("lte", created)
    )


def filtered(ctx: Ctx, params: dict[str, Any]) -> Iterable[Event]:
    """Events newest first, filtered by `type`/`types`/`created`/`delivery_success`.

    A pagination cursor stays in the stream even when it does not match, because Stripe's
    cursors mark a position in the list rather than a member of the filtered result.
    """
    if "type" in params and "types" in params:
        raise errors.EventTypeAndTypes()
    tests: list[Callable[[Event], bool]] = []
    if "type" in params:
        match = type_matcher(params["type"])
        tests.append(lambda e: match(e.data["type"]))
    if "types" in params:
        wanted = set(params["types"])
        tests.append(lambda e: e.data["type"] in wanted)
    if "created" in params:
        bounds = params["created"]
        tests.append(lambda e: in_created_range(e.data["created"], bounds))
    if "delivery_success" in params:
        delivered = params["delivery_success"]
        tests.append(lambda e: (e.data["pending_webhooks"] == 0) == delivered)
    cursor = params.get("starting_after") or params.get("ending_before")
    return (
        e
        for e in ctx.account.events.newest_first()
        if e.id == cursor or all(test(e) for test in tests)
    )
