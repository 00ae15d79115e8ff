"""Helpers several emulator test modules share."""

from __future__ import annotations

from typing import Any

import stripe

# Stripe test mode turns automatic payment methods on when an intent names no payment method types
# (API 2023-08-16 and later), so a server-side confirmation without `return_url` is refused there
# unless redirects are off (test_return_url.py); intents that `live_stripe` tests confirm on the
# server send this, which changes nothing for a card on the emulator.
NO_REDIRECTS: dict[str, Any] = {
    "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"}
}


def newest_ids(collection: Any) -> list[str]:
    """The id of the newest object of a list service (`client.v1.customers`, …), if any: "nothing
    was created" without assuming an empty account (a live_stripe run shares the test account)."""
    return [o.id for o in collection.list({"limit": 1}).data]


def event_types(client: stripe.StripeClient) -> list[str]:
    """The account's event types, oldest first."""
    return [e.type for e in client.v1.events.list({"limit": 100}).data][::-1]


def customer_with(client: stripe.StripeClient, token: str) -> tuple[str, str]:
    """A customer with the test card `token` attached with `/attach` only: attached, but not set
    up for off-session use (cards that authenticate unless set up still need it)."""
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    pm = client.v1.payment_methods.attach(token, {"customer": customer.id})
    return customer.id, pm.id
