"""Webhook endpoints and event redelivery (docs/facts/webhooks.md).

Stripe documents the limit of 16 endpoints but not the wording of its refusal, nor the errors
of `POST /v1/events/{id}/retry` beyond "No such notification": these messages are
reconstructions in Stripe's style, and say what to do next.
"""

from __future__ import annotations

from .base import NotSupported, Refusal


class WebhookEndpointLimit(Refusal):
    """No distinct `code`: Stripe's refusal of a 17th endpoint carries none (observed)."""

    message = (
        "You have reached the maximum of {limit} webhook endpoints on this account. "
        "Delete an endpoint you no longer use before creating another."
    )


class EventNotSentToEndpoint(Refusal):
    param = "webhook_endpoint"
    message = (
        "Event {event} was not sent to webhook endpoint {endpoint}: it was not enabled for "
        "{type} events when the event happened, so it cannot receive the event again."
    )


class WebhookEndpointDisabled(Refusal):
    param = "webhook_endpoint"
    message = "Webhook endpoint {endpoint} is disabled: enable it before resending events to it."


class ResendToCliNotSupported(NotSupported):
    def __init__(self) -> None:
        super().__init__(
            "for_stripecli",
            "The emulator has no Stripe CLI listener to resend to: pass `webhook_endpoint`.",
        )
