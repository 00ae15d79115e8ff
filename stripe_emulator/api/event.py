"""Event operations (secret key only): list, retrieve, and resend to a webhook endpoint."""

from __future__ import annotations

from typing import Any

from .. import render
from ..context import Ctx
from ..resources.event import LIST, RETRY, Event, filtered, find, resend

__all__ = ["LIST", "RETRY"]


def list_events(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    return render.page(
        ctx, filtered(ctx, params), params, "/v1/events", ctx.account.events.__contains__
    )


def retrieve_event(ctx: Ctx, params: dict[str, Any], event_id: str) -> Event:
    return find(ctx, event_id)


def retry_event(ctx: Ctx, params: dict[str, Any], event_id: str) -> Event:
    """`POST /v1/events/{id}/retry` (`stripe events resend`): the event, its delivery queued."""
    return resend(ctx, params, event_id)
