"""SetupAttempt: one per SetupIntent confirmation (`setatt_`), listed by `setup_intent`."""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..context import Ctx
from .base import Resource
from .event import CreatedRange
from .payment_method import PaymentMethod

LIST = p.Obj(
    {
        "setup_intent": p.Str(),
        "created": CreatedRange(),
        "limit": p.Int(min=1, max=100),
        "starting_after": p.Str(),
        "ending_before": p.Str(),
        "expand": p.EXPAND,
    },
    required=("setup_intent",),
)


class SetupAttempt(Resource):
    object_name = "setup_attempt"
    noun = "setupattempt"
    collection = "setup_attempts"

    @property
    def status(self) -> str:
        return self.data["status"]


def _details(pm: PaymentMethod) -> dict[str, Any]:
    """`payment_method_details`: the type plus that type's hash, as Stripe sends it."""
    if pm.type == "card":
        card = pm.data["card"]
        return {
            "type": "card",
            "card": {
                "brand": card["brand"],
                "checks": dict(card["checks"]),
                "country": card["country"],
                "exp_month": card["exp_month"],
                "exp_year": card["exp_year"],
                "fingerprint": card["fingerprint"],
                "funding": card["funding"],
                "last4": card["last4"],
                "network": card["brand"] if card["brand"] != "unknown" else None,
                "three_d_secure": None,
                "wallet": None,
            },
        }
    if pm.type == "us_bank_account":
        return {"type": "us_bank_account", "us_bank_account": {}}
    return {"type": pm.type, pm.type: {}}


def start(ctx: Ctx, intent: Resource, pm: PaymentMethod) -> SetupAttempt:
    """A new attempt for `intent` confirming with `pm` (status set by the caller's outcome)."""
    data = {
        "id": ctx.account.ids.new("setatt"),
        "object": "setup_attempt",
        "application": None,
        "attach_to_self": intent.data["attach_to_self"],
        "created": ctx.now(),
        "customer": intent.data["customer"],
        "customer_account": None,
        "flow_directions": intent.data["flow_directions"],
        "livemode": False,
        "on_behalf_of": None,
        "payment_method": pm.id,
        "payment_method_details": _details(pm),
        "setup_error": None,
        "setup_intent": intent.id,
        "status": "requires_confirmation",
        "usage": intent.data["usage"],
    }
    attempt = SetupAttempt(data)
    ctx.account.setup_attempts.add(attempt)
    ctx.account.attempts_by_setup_intent.add(intent.id, attempt.id)
    return attempt


def three_d_secure(ctx: Ctx, succeeded: bool) -> dict[str, Any]:
    """`payment_method_details.card.three_d_secure` after a (test) challenge."""
    ids = ctx.account.ids
    raw = ids.hex(32, "3ds_transaction")
    transaction = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return {
        "authentication_flow": "challenge",
        "electronic_commerce_indicator": "05" if succeeded else None,
        "result": "authenticated" if succeeded else "failed",
        "result_reason": None,
        "transaction_id": transaction,
        "version": "2.2.0",
    }


def for_intent(ctx: Ctx, intent_id: str):
    """The attempts of one SetupIntent, newest first."""
    account = ctx.account
    for attempt_id in account.attempts_by_setup_intent.newest_first(intent_id):
        attempt = account.setup_attempts.get(attempt_id)
        if attempt is not None:
            yield attempt
