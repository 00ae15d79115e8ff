"""Helpers several emulator test modules share."""

from __future__ import annotations

import stripe


def event_types(client: stripe.StripeClient) -> list[str]:
    """The account's event types, oldest first."""
    return [e.type for e in client.v1.events.list({"limit": 100}).data][::-1]


def customer_with(client: stripe.StripeClient, token: str) -> tuple[str, str]:
    """A customer with the test card `token` attached with `/attach` only: attached, but not set
    up for off-session use (cards that authenticate unless set up still need it)."""
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    pm = client.v1.payment_methods.attach(token, {"customer": customer.id})
    return customer.id, pm.id
