"""Event operations (secret key only): list and retrieve."""

from __future__ import annotations

from typing import Any

from .. import render
from ..context import Ctx
from ..resources.event import LIST, Event, filtered, find

__all__ = ["LIST"]


def list_events(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    return render.page(
        ctx, filtered(ctx, params), params, "/v1/events", ctx.account.events.__contains__
    )


def retrieve_event(ctx: Ctx, params: dict[str, Any], event_id: str) -> Event:
    return find(ctx, event_id)
