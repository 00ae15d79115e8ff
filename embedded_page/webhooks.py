"""`POST /webhook`: Stripe events, accepted only with a valid `Stripe-Signature`.

The signing secret (`STRIPE_WEBHOOK_SECRET`, `whsec_…`) comes from the webhook endpoint Stripe
created for this URL (or from `stripe listen`). Each verified event is kept once (Stripe may
deliver an event more than once); the back office lists them at `GET /back_office/events`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .responses import error_json, generic_error

if TYPE_CHECKING:
    from .app import Merchant

log = logging.getLogger("embedded_page")

MAX_EVENTS = 1000


class ReceivedEvents(OrderedDict):
    """Event id -> summary, oldest first, bounded."""

    def receive(self, event: Any) -> bool:
        """Keep a verified event; False if it was already received."""
        if event.id in self:
            return False
        obj = event.data.object
        self[event.id] = {
            "id": event.id,
            "type": event.type,
            "created": event.created,
            "api_version": getattr(event, "api_version", None),
            "object": getattr(obj, "object", None),
            "object_id": getattr(obj, "id", None),
        }
        while len(self) > MAX_EVENTS:
            self.popitem(last=False)
        return True


async def webhook(request: Request) -> Response:
    """Verify the `Stripe-Signature` header, then keep the event."""
    merchant: Merchant = request.app.state.merchant
    secret_ = merchant.settings.webhook_secret
    if not secret_:
        log.error("webhook received but STRIPE_WEBHOOK_SECRET is not set")
        return error_json(
            500, "api_error", "This endpoint has no webhook signing secret configured."
        )
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("stripe-signature"), secret_
        )
    except stripe.SignatureVerificationError as exc:
        return error_json(400, "invalid_request_error", exc.user_message or "Invalid signature.")
    except (ValueError, AttributeError):  # signed, but not a JSON Stripe event
        return error_json(400, "invalid_request_error", "The payload is not a Stripe event.")
    try:
        fresh = merchant.events.receive(event)
    except Exception:
        log.exception("could not keep webhook event")
        return generic_error()
    log.info("webhook %s %s%s", event.id, event.type, "" if fresh else " (again)")
    return JSONResponse({"received": True})
