"""Serialization: `expand`, list pages, and the publishable-key view of intents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import errors
from .context import Ctx

# object -> field -> Account collection holding what the id points to
EXPANDABLE: dict[str, dict[str, str]] = {
    "customer": {
        "default_source": "",
        "invoice_settings.default_payment_method": "payment_methods",
    },
    "setup_intent": {
        "customer": "customers",
        "payment_method": "payment_methods",
        "latest_attempt": "setup_attempts",
        "mandate": "",
        "single_use_mandate": "",
        "on_behalf_of": "",
        "application": "",
    },
    "setup_attempt": {
        "customer": "customers",
        "payment_method": "payment_methods",
        "setup_intent": "setup_intents",
        "on_behalf_of": "",
        "application": "",
    },
    "payment_method": {"customer": "customers"},
    "payment_intent": {
        "customer": "customers",
        "payment_method": "payment_methods",
        "latest_charge": "charges",
        "review": "",
        "on_behalf_of": "",
        "application": "",
        "source": "",
    },
    "charge": {
        "customer": "customers",
        "payment_intent": "payment_intents",
        "balance_transaction": "",
        "application": "",
        "review": "",
    },
}

MAX_EXPAND_DEPTH = 4

# What Stripe.js sees of an intent retrieved with a publishable key + client_secret: the fields
# @stripe/stripe-js 10.2.1 declares for SetupIntent (docs/facts/objects.md#setupintent) and PaymentIntent.
PUBLISHABLE_VIEW = {
    "setup_intent": (
        "id",
        "object",
        "cancellation_reason",
        "client_secret",
        "created",
        "description",
        "last_setup_error",
        "livemode",
        "next_action",
        "payment_method",
        "payment_method_types",
        "status",
        "usage",
    ),
    "payment_intent": (
        "id",
        "object",
        "amount",
        "canceled_at",
        "cancellation_reason",
        "capture_method",
        "client_secret",
        "confirmation_method",
        "created",
        "currency",
        "description",
        "last_payment_error",
        "livemode",
        "next_action",
        "payment_method",
        "payment_method_types",
        "processing",
        "receipt_email",
        "setup_future_usage",
        "shipping",
        "status",
    ),
}


def _check_depth(path: str) -> None:
    if path.count(".") >= MAX_EXPAND_DEPTH:
        raise errors.ExpandTooDeep(depth=MAX_EXPAND_DEPTH, path=path)


def expand(ctx: Ctx, obj: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """Return `obj` with each dotted path expanded (copies only what it changes)."""
    for path in paths:
        _check_depth(path)
        obj = _expand_one(ctx, obj, path.split("."), path)
    return obj


# Account collection -> the `object` it holds, to follow expand paths through types alone.
_COLLECTION_OBJECTS = {
    "customers": "customer",
    "payment_methods": "payment_method",
    "setup_attempts": "setup_attempt",
    "setup_intents": "setup_intent",
    "payment_intents": "payment_intent",
    "charges": "charge",
}


def check_expand(ctx: Ctx, object_name: str | None, paths: list[str]) -> None:
    """Refuse a bad `expand` path before the operation runs, so a refusal changes nothing.

    Same errors as `expand`, checked against the types alone: a path through a field that is
    null on this object is refused too."""
    if object_name is None:
        return
    visible = PUBLISHABLE_VIEW.get(object_name) if ctx.publishable else None
    for path in paths:
        if visible is not None and path.split(".")[0] not in visible:
            raise errors.NotExpandable(path)  # hidden from a publishable key: not expandable
        _check_depth(path)
        parts, name = path.split("."), object_name
        while parts and name is not None:
            fields = EXPANDABLE.get(name, {})
            key = ".".join(parts[:2])
            if len(parts) < 2 or key not in fields:
                key = parts[0]
            if key not in fields:
                raise errors.NotExpandable(path)
            parts = parts[key.count(".") + 1 :]
            name = _COLLECTION_OBJECTS.get(fields[key])


def _expand_one(ctx: Ctx, obj: dict[str, Any], parts: list[str], full: str) -> dict[str, Any]:
    fields = EXPANDABLE.get(obj.get("object", ""), {})
    head = parts[0]
    if head not in fields and not (len(parts) > 1 and f"{head}.{parts[1]}" in fields):
        raise errors.NotExpandable(full)
    if len(parts) > 1 and f"{head}.{parts[1]}" in fields:  # nested field, e.g. invoice_settings.x
        inner = dict(obj.get(head) or {})
        key = parts[1]
        inner[key] = _resolve(ctx, fields[f"{head}.{key}"], inner.get(key), parts[2:], full)
        return {**obj, head: inner}
    return {**obj, head: _resolve(ctx, fields[head], obj.get(head), parts[1:], full)}


def _resolve(ctx: Ctx, collection: str, value: Any, rest: list[str], full: str) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        target = getattr(ctx.account, collection).get(value) if collection else None
        if target is None:
            return value
        value = target.to_dict()
    if rest:
        return _expand_one(ctx, value, rest, full)
    return value


def view(ctx: Ctx, obj: dict[str, Any]) -> dict[str, Any]:
    """The publishable-key view of an intent; other objects are shown whole."""
    if ctx.publishable:
        allowed = PUBLISHABLE_VIEW.get(obj.get("object", ""))
        if allowed:
            return {k: obj[k] for k in allowed if k in obj}
    return obj


def page(
    ctx: Ctx,
    objects: Iterable[Any],
    params: dict[str, Any],
    url: str,
    contains,
) -> dict[str, Any]:
    """A newest-first list page. `objects` yields resources newest first; `contains(id)` says
    whether a cursor id belongs to this list (else: resource_missing on the cursor param)."""
    if "starting_after" in params and "ending_before" in params:
        raise errors.BothCursors()
    limit = params.get("limit", 10)
    cursor_param = (
        "starting_after"
        if "starting_after" in params
        else ("ending_before" if "ending_before" in params else None)
    )
    if cursor_param and not contains(params[cursor_param]):
        cursor = params[cursor_param]
        raise errors.CursorMissing(cursor=cursor, param=cursor_param)
    items: list[Any]
    has_more = False
    if cursor_param == "ending_before":
        before: list[Any] = []
        for obj in objects:
            if obj.id == params["ending_before"]:
                break
            before.append(obj)
        has_more = len(before) > limit
        items = before[-limit:]
    else:
        items = []
        started = cursor_param is None
        for obj in objects:
            if not started:
                started = obj.id == params["starting_after"]
                continue
            if len(items) == limit:
                has_more = True
                break
            items.append(obj)
    paths = [e[len("data.") :] for e in params.get("expand", []) if e.startswith("data.")]
    others = [e for e in params.get("expand", []) if not e.startswith("data.")]
    if others:
        raise errors.NotExpandable(
            others[0], f" You may want to try expanding 'data.{others[0]}' instead."
        )
    data = [expand(ctx, view(ctx, o.to_dict()), paths) for o in items]
    return {"object": "list", "data": data, "has_more": has_more, "url": url}
