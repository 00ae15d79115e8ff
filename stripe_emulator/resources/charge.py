"""Charge: the payment attempt a PaymentIntent makes (succeeded, uncaptured or failed).

Charges are only created by PaymentIntents here; the API exposes retrieve and list.
Shapes follow Stripe's OpenAPI spec (https://github.com/stripe/openapi, the `charge` schema) and stripe-python 16.1.0's declared fields; outcome values
follow docs/facts/objects.md#setupattempt-and-charge and docs/facts/errors.md#messages-and-codes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import params as p
from ..context import Ctx
from ..testdata import RISK_LEVELS, Decline
from .base import Resource, get_or_404
from .event import CreatedRange

LIST = p.list_spec(
    created=CreatedRange(),
    customer=p.Str(),
    payment_intent=p.Str(),
    transfer_group=p.Str(),
)

# The account's statement descriptor (what an unconfigured test account would show).
ACCOUNT_DESCRIPTOR = "LINK LAB"


class Charge(Resource):
    object_name = "charge"
    noun = "charge"
    collection = "charges"


def find(ctx: Ctx, charge_id: str, param: str = "id") -> Charge:
    return get_or_404(ctx.account, Charge, charge_id, param)


def _risk(number: str | None, charge_id: str) -> tuple[str, int]:
    if number in RISK_LEVELS:
        return RISK_LEVELS[number]
    digest = hashlib.sha256(charge_id.encode()).digest()
    return "normal", digest[0] % 65  # Stripe's "normal" band is 0-64


_HEX_TO_DIGIT = str.maketrans("abcdef", "012345")


def _digits(seed: str, length: int) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return digest.translate(_HEX_TO_DIGIT)[:length]  # a-f -> 0-5, as int(c, 16) % 10


def _outcome(decline: Decline | None, risk: tuple[str, int]) -> dict[str, Any]:
    level, score = risk
    base = {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "risk_level": level,
        "risk_score": score,
        "rule": None,
    }
    if decline is None:
        return {
            **base,
            "network_status": "approved_by_network",
            "reason": None,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    if decline.decline_code == "fraudulent" and level == "highest":
        return {
            **base,
            "network_status": "not_sent_to_network",
            "reason": "highest_risk_level",
            "seller_message": "Stripe blocked this payment as too risky.",
            "type": "blocked",
        }
    reason = decline.decline_code or decline.code
    if reason == "generic_decline":
        message = "The bank did not return any further details with this decline."
    else:
        message = f"The bank returned the decline code `{reason}`."
    return {
        **base,
        "network_status": "declined_by_network",
        "reason": reason,
        "seller_message": message,
        "type": "issuer_declined",
    }


def three_d_secure_result(ctx: Ctx) -> dict[str, Any]:
    """`payment_method_details.card.three_d_secure` after a completed challenge."""
    raw = ctx.account.ids.hex(32, "3ds_transaction")
    transaction_id = f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return {
        "authentication_flow": "challenge",
        "electronic_commerce_indicator": "05",
        "exemption_indicator": None,
        "exemption_indicator_applied": False,
        "result": "authenticated",
        "result_reason": None,
        "transaction_id": transaction_id,
        "version": "2.2.0",
    }


def _card_details(
    charge_id: str,
    pm_data: dict[str, Any],
    amount: int,
    *,
    authorized: bool,
    manual: bool,
    created: int,
    three_d_secure: dict[str, Any] | None,
) -> dict[str, Any]:
    card = pm_data.get("card") or {}
    checks = card.get("checks") or {}
    networks = card.get("networks") or {}
    return {
        "amount_authorized": amount if authorized else None,
        "authorization_code": _digits(f"auth:{charge_id}", 6) if authorized else None,
        "brand": card.get("brand"),
        "capture_before": created + 7 * 86400 if manual and authorized else None,
        "checks": {
            "address_line1_check": checks.get("address_line1_check"),
            "address_postal_code_check": checks.get("address_postal_code_check"),
            "cvc_check": checks.get("cvc_check"),
        },
        "country": card.get("country"),
        "description": None,
        "electronic_commerce_indicator": None,
        "exp_month": card.get("exp_month"),
        "exp_year": card.get("exp_year"),
        "extended_authorization": {"status": "disabled"},
        "fingerprint": card.get("fingerprint"),
        "funding": card.get("funding"),
        "iin": None,
        "incremental_authorization": {"status": "unavailable"},
        "installments": None,
        "issuer": None,
        "last4": card.get("last4"),
        "mandate": None,
        "moto": None,
        "multicapture": {"status": "unavailable"},
        "network": networks.get("preferred") or card.get("brand"),
        "network_token": {"used": False},
        "network_transaction_id": _digits(f"ntid:{charge_id}", 15) if authorized else None,
        "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
        "regulated_status": card.get("regulated_status") or "unregulated",
        "setup_credential_usage": None,
        "stored_credential_usage": None,
        "three_d_secure": three_d_secure,
        "transaction_link_id": None,
        "wallet": card.get("wallet"),
    }


def create_for_intent(
    ctx: Ctx,
    intent: dict[str, Any],
    pm: Resource,
    *,
    capture_method: str = "automatic",
    decline: Decline | None = None,
    three_d_secure: dict[str, Any] | None = None,
) -> Charge:
    """The Charge of one confirmation attempt of `intent` (its API dict) with `pm`."""
    account = ctx.account
    charge_id = account.ids.new("ch")
    created = ctx.now()
    amount = intent["amount"]
    succeeded = decline is None
    manual = capture_method == "manual"
    captured = succeeded and not manual
    pm_data = pm.to_dict()
    profile = getattr(pm, "card_profile", None)
    risk = _risk(profile.number if profile is not None else None, charge_id)
    if pm_data.get("type") == "link":
        details: dict[str, Any] = {
            "link": {"country": "US", "funding_source_group": None},
            "type": "link",
        }
    else:
        details = {
            "card": _card_details(
                charge_id,
                pm_data,
                amount,
                authorized=succeeded,
                manual=manual,
                created=created,
                three_d_secure=three_d_secure,
            ),
            "type": pm_data.get("type", "card"),
        }
    suffix = intent.get("statement_descriptor_suffix")
    descriptor = intent.get("statement_descriptor") or (
        f"{ACCOUNT_DESCRIPTOR}* {suffix}" if suffix else ACCOUNT_DESCRIPTOR
    )
    data: dict[str, Any] = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if captured else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "authorization_code": None,
        "balance_transaction": (
            account.ids.new("txn") if captured and capture_method == "automatic" else None
        ),
        "billing_details": pm_data.get("billing_details"),
        "calculated_statement_descriptor": descriptor.upper()[:22],
        "captured": captured,
        "created": created,
        "currency": intent["currency"],
        "customer": intent.get("customer"),
        "description": intent.get("description"),
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": decline.code if decline else None,
        "failure_message": decline.message if decline else None,
        "fraud_details": {},
        "level3": None,
        "livemode": False,
        "metadata": dict(intent.get("metadata") or {}),
        "on_behalf_of": None,
        "outcome": _outcome(decline, risk),
        "paid": succeeded,
        "payment_intent": intent["id"],
        "payment_method": pm_data["id"],
        "payment_method_details": details,
        "presentment_details": None,
        "radar_options": None,
        "receipt_email": intent.get("receipt_email"),
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{account.ids.token(88, 'receipt')}",
        "refunded": False,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": False,
            "total_count": 0,
            "url": f"/v1/charges/{charge_id}/refunds",
        },
        "review": None,
        "shipping": intent.get("shipping"),
        "source": None,
        "source_transfer": None,
        "statement_descriptor": intent.get("statement_descriptor"),
        "statement_descriptor_suffix": suffix,
        "status": "succeeded" if succeeded else "failed",
        "transfer": None,
        "transfer_data": None,
        "transfer_group": intent.get("transfer_group"),
    }
    charge = Charge(data)
    account.charges.add(charge)
    return charge


def capture(ctx: Ctx, charge: Charge, amount: int) -> None:
    """Capture `amount` of an authorized charge; the rest of the hold is released (refunded)."""
    data = charge.data
    data["captured"] = True
    data["amount_captured"] = amount
    data["balance_transaction"] = ctx.account.ids.new("txn")
    card = data["payment_method_details"].get("card")
    if card is not None:
        card["capture_before"] = None
    if amount < data["amount"]:
        _refund(ctx, charge, data["amount"] - amount)


def release(ctx: Ctx, charge: Charge) -> None:
    """Release an uncaptured authorization (PaymentIntent canceled in requires_capture)."""
    _refund(ctx, charge, charge.data["amount"] - charge.data["amount_refunded"])


def _refund(ctx: Ctx, charge: Charge, amount: int) -> None:
    data = charge.data
    refund = {
        "id": ctx.account.ids.new("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge.id,
        "created": ctx.now(),
        "currency": data["currency"],
        "customer": data["customer"],
        "customer_account": None,
        "description": None,
        "destination_details": {"card": {"type": "reversal"}, "type": "card"},
        "failure_balance_transaction": None,
        "failure_reason": None,
        "instructions_email": None,
        "metadata": {},
        "next_action": None,
        "payment_intent": data["payment_intent"],
        "payment_method": data["payment_method"],
        "pending_reason": None,
        "presentment_details": None,
        "reason": None,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    data["amount_refunded"] += amount
    data["refunded"] = data["amount_refunded"] >= data["amount"]
    refunds = data["refunds"]
    refunds["data"].insert(0, refund)
    refunds["total_count"] = len(refunds["data"])
