"""Link consumer API (what Stripe.js calls for Link): /v1/consumers/...

All routes are POST, allowed with a publishable key (and a secret key); the wire contract is
`stripe_emulator/LINK_PROTOCOL.md`. Rules live in `resources/link.py` and
`resources/link_session.py`.

`POST /v1/consumers/accounts/sign_up` also takes an optional `client_secret`: the client secret of
the SetupIntent/PaymentIntent the Payment Element is about to confirm (validated as for lookup).
Such a sign-up is provisional: the Link account only exists for lookups and sign-ups once that
intent succeeds with a Link PaymentMethod of the account; a failed payment leaves no Link account
behind, and the customer may sign up again (LINK_PROTOCOL.md, Sign-up).
"""

from __future__ import annotations

import re
from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from ..resources import link as model
from ..resources import link_session as sessions
from ..resources.payment_method import CARD
from ..resources.payment_method_details import validate_card

CREDENTIALS = p.Obj(
    {"consumer_session_client_secret": p.Str()}, required=("consumer_session_client_secret",)
)
_ADDRESS_FIELDS = {key: p.Str(max_length=500, nullable=True) for key in model.ADDRESS_KEYS}
BILLING_ADDRESS = p.Obj(_ADDRESS_FIELDS)
SHIPPING_ADDRESS = p.Obj({**_ADDRESS_FIELDS, "phone": p.Str(max_length=40, nullable=True)})
DETAILS_TYPES = ("card", "bank_account")

LOOKUP = p.Obj(
    {"email_address": p.Email(max_length=512), "client_secret": p.Str()},
    required=("email_address",),
)
START_VERIFICATION = p.Obj(
    {"credentials": CREDENTIALS, "type": p.Enum("SMS")}, required=("credentials", "type")
)
CONFIRM_VERIFICATION = p.Obj(
    {**START_VERIFICATION.fields, "code": p.Str(max_length=100)},
    required=("credentials", "type", "code"),
)
SIGN_UP = p.Obj(
    {
        "email_address": p.Email(max_length=512),
        "phone_number": p.Str(max_length=40),
        "country": p.Str(max_length=2),
        "name": p.Str(max_length=256),
        "client_secret": p.Str(),
    },
    required=("email_address", "phone_number"),
)
CREATE_PAYMENT_DETAILS = p.Obj(
    {
        "credentials": CREDENTIALS,
        "type": p.Enum(*DETAILS_TYPES),
        "card": CARD,
        "bank_account": p.Obj({"routing_number": p.Str(), "account_number": p.Str()}),
        "billing_address": BILLING_ADDRESS,
        "is_default": p.Bool(),
    },
    required=("credentials", "type"),
)
LIST_PAYMENT_DETAILS = p.Obj(
    {"credentials": CREDENTIALS, "types": p.Arr(p.Enum(*DETAILS_TYPES))}, required=("credentials",)
)
CREATE_SHIPPING_ADDRESS = p.Obj(
    {"credentials": CREDENTIALS, "address": SHIPPING_ADDRESS, "is_default": p.Bool()},
    required=("credentials", "address"),
)
LIST_SHIPPING_ADDRESSES = p.Obj({"credentials": CREDENTIALS}, required=("credentials",))


def _secret(params: dict[str, Any]) -> str:
    return params["credentials"]["consumer_session_client_secret"]


def lookup_consumer_session(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    """Does this email have a Link account? If so, start a session (SMS code "sent")."""
    email = model.normalize_email(params["email_address"])
    intent = None
    if "client_secret" in params:
        intent = sessions.intent_from_client_secret(ctx, params["client_secret"])
    link_account = model.find_link_account(ctx, email)
    if link_account is None and model.is_test_identity(email):
        link_account = model.create_test_identity(ctx, email)
    if link_account is None:
        return {"exists": False, "consumer_session": None}
    verified = sessions.persistent_token_authenticates(intent, link_account, ctx.account)
    session = sessions.start_session(ctx, link_account, verified)
    return {"exists": True, "consumer_session": session.to_dict()}


def start_verification(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    """Resend the SMS code."""
    session = sessions.find_session(ctx, _secret(params))
    return sessions.start_verification(session).to_dict()


def confirm_verification(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    """Enter the SMS code (test codes: see link_session)."""
    session = sessions.find_session(ctx, _secret(params))
    return sessions.confirm_verification(session, params["code"]).to_dict()


def sign_up(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    """Create a Link account (Payment Element's "Save my information for faster checkout").

    With `client_secret` (the intent being confirmed) the account is provisional until that
    intent succeeds with it; a provisional account of the same email that has not is replaced."""
    email = model.normalize_email(params["email_address"])
    country = params.get("country", "US")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise errors.ParameterInvalidString(
            "country", f"Invalid country: {country}. Use a two-letter ISO country code."
        )
    phone = model.normalize_phone(params["phone_number"], country)
    if phone is None:
        raise errors.ParameterInvalidString(
            "phone_number", f"Invalid phone number: {params['phone_number']}"
        )
    intent = None
    if "client_secret" in params:
        intent = sessions.intent_from_client_secret(ctx, params["client_secret"])
    if model.find_link_account(ctx, email) is not None:
        raise errors.LinkAccountExists()
    link_account = model.create_link_account(
        ctx, email, phone, country, params.get("name"), intent=intent
    )
    return sessions.start_session(ctx, link_account, verified=True).to_dict()


def create_payment_details(ctx: Ctx, params: dict[str, Any]) -> model.PaymentDetails:
    """Save a card (or bank account) to the signed-in Link account."""
    session = sessions.verified_session(ctx, _secret(params))
    type_ = params["type"]
    other = "bank_account" if type_ == "card" else "card"
    if other in params:
        raise errors.HashForOtherType(other=other, noun="payment details", type=type_, param=other)
    billing = params.get("billing_address")
    if type_ == "card":
        profile, month, year = validate_card(ctx, params.get("card"), "")
        return model.add_card_details(
            ctx, session.link_account, profile, month, year, billing, params.get("is_default")
        )
    routing, number = model.validate_bank_account(params.get("bank_account"))
    return model.add_bank_details(
        ctx, session.link_account, routing, number, billing, params.get("is_default")
    )


def list_payment_details(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    session = sessions.verified_session(ctx, _secret(params))
    types = params.get("types") or DETAILS_TYPES
    return {
        "redacted_payment_details": [
            details.to_dict()
            for details in session.link_account.payment_details.values()
            if details.data["type"] in types
        ]
    }


def create_shipping_address(ctx: Ctx, params: dict[str, Any]) -> model.ShippingAddress:
    session = sessions.verified_session(ctx, _secret(params))
    address = params["address"]
    for key in ("line1", "country"):
        if address.get(key) in (None, p.UNSET):
            raise errors.ParameterMissing(f"address[{key}]")
    return model.add_shipping_address(ctx, session.link_account, address, params.get("is_default"))


def list_shipping_addresses(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    session = sessions.verified_session(ctx, _secret(params))
    return {
        "shipping_addresses": [
            shipping.to_dict() for shipping in session.link_account.shipping_addresses.values()
        ]
    }
