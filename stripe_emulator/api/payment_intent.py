"""PaymentIntent operations and their parameter specs (stripe-python 16.1.0 params)."""

from __future__ import annotations

from typing import Any

from .. import params as p
from .. import render
from ..context import Ctx
from ..resources import payment_intent as pi
from ..resources.event import CreatedRange, in_created_range
from ..resources.payment_method import PAYMENT_METHOD_DATA

TYPES = p.Arr(p.Str(max_length=100))
NETWORKS = (
    "amex", "cartes_bancaires", "diners", "discover", "eftpos_au", "girocard", "interac", "jcb",
    "link", "mastercard", "unionpay", "unknown", "visa",
)  # fmt: skip
IF_AVAILABLE = p.Enum("if_available", "never")
CREDENTIAL_USAGE = p.Enum("installment", "recurring", "unscheduled")
CARD_OPTIONS = p.Obj(
    {
        "capture_method": p.Enum("manual", nullable=True),
        "cvc_token": p.Str(),
        "installments": p.Anything(),
        "mandate_options": p.Anything(),
        "moto": p.Bool(),
        "network": p.Enum(*NETWORKS),
        "request_extended_authorization": IF_AVAILABLE,
        "request_incremental_authorization": IF_AVAILABLE,
        "request_multicapture": IF_AVAILABLE,
        "request_overcapture": IF_AVAILABLE,
        "request_three_d_secure": p.Enum("any", "automatic", "challenge"),
        "require_cvc_recollection": p.Bool(),
        "setup_credential_usage": CREDENTIAL_USAGE,
        "setup_future_usage": p.Enum("none", "off_session", "on_session", nullable=True),
        "statement_descriptor_suffix_kana": p.Str(max_length=22, nullable=True),
        "statement_descriptor_suffix_kanji": p.Str(max_length=17, nullable=True),
        "stored_credential_usage": CREDENTIAL_USAGE,
        "three_d_secure": p.Anything(),
    },
    nullable=True,
)
LINK_OPTIONS = p.Obj(
    {
        "capture_method": p.Enum("manual", nullable=True),
        "persistent_token": p.Str(),
        "setup_future_usage": p.Enum("none", "off_session", nullable=True),
    },
    nullable=True,
)
US_BANK_ACCOUNT_OPTIONS = p.Obj(
    {
        "financial_connections": p.Anything(),
        "mandate_options": p.Anything(),
        "networks": p.Anything(),
        "setup_future_usage": p.Enum("none", "off_session", "on_session", nullable=True),
        "target_date": p.Str(),
        "verification_method": p.Enum("automatic", "instant", "microdeposits"),
    },
    nullable=True,
)
PAYMENT_METHOD_OPTIONS = p.Obj(
    {"card": CARD_OPTIONS, "link": LINK_OPTIONS, "us_bank_account": US_BANK_ACCOUNT_OPTIONS}
)
AUTOMATIC_PAYMENT_METHODS = p.Obj(
    {"allow_redirects": p.Enum("always", "never"), "enabled": p.Bool()}, required=("enabled",)
)
SHIPPING = p.Obj(
    {**p.SHIPPING.fields, "carrier": p.Str(nullable=True), "tracking_number": p.Str(nullable=True)},
    required=("address", "name"),
    nullable=True,
)
CAPTURE_METHOD = p.Enum("automatic", "automatic_async", "manual")

_COMMON: dict[str, p.Spec] = {
    "allowed_payment_method_types": TYPES,
    "amount_details": p.Anything(),
    "capture_method": CAPTURE_METHOD,
    "excluded_payment_method_types": p.Arr(p.Str(max_length=100), nullable=True),
    "expand": p.EXPAND,
    "hooks": p.Anything(),
    "payment_details": p.Anything(),
    "payment_method": p.Str(),
    "payment_method_data": PAYMENT_METHOD_DATA,
    "payment_method_options": PAYMENT_METHOD_OPTIONS,
    "payment_method_types": TYPES,
    "receipt_email": p.Email(nullable=True),
    "setup_future_usage": p.Enum("off_session", "on_session", nullable=True),
    "shipping": SHIPPING,
}
_CONFIRMING: dict[str, p.Spec] = {
    "confirmation_token": p.Str(),
    "error_on_requires_action": p.Bool(),
    "mandate": p.Str(),
    "mandate_data": p.Anything(),
    "off_session": p.BoolOrEnum("one_off", "recurring"),
    "radar_options": p.Anything(),
    "return_url": p.Str(max_length=2048),
    "use_stripe_sdk": p.Bool(),
}
_DESCRIBING: dict[str, p.Spec] = {
    "application_fee_amount": p.Int(min=0, nullable=True),
    "customer": p.Str(),
    "customer_account": p.Str(),
    "description": p.Str(max_length=1000, nullable=True),
    "metadata": p.Metadata(),
    "payment_method_configuration": p.Str(),
    "statement_descriptor": p.Str(max_length=22),
    "statement_descriptor_suffix": p.Str(max_length=22),
    "transfer_data": p.Anything(),
    "transfer_group": p.Str(),
}

CREATE = p.Obj(
    {
        **_COMMON,
        **_CONFIRMING,
        **_DESCRIBING,
        "amount": p.Int(),
        "automatic_payment_methods": AUTOMATIC_PAYMENT_METHODS,
        "confirm": p.Bool(),
        "confirmation_method": p.Enum("automatic", "manual"),
        "currency": p.Str(max_length=10),
        "on_behalf_of": p.Str(),
    },
    required=("amount", "currency"),
)
UPDATE = p.Obj({**_COMMON, **_DESCRIBING, "amount": p.Int(), "currency": p.Str(max_length=10)})
CONFIRM = p.Obj({**_COMMON, **_CONFIRMING, "client_secret": p.Str()})
RETRIEVE = p.Obj({"client_secret": p.Str(), "expand": p.EXPAND})
CAPTURE = p.Obj(
    {
        "amount_details": p.Anything(),
        "amount_to_capture": p.Int(),
        "application_fee_amount": p.Int(min=0),
        "expand": p.EXPAND,
        "final_capture": p.Bool(),
        "hooks": p.Anything(),
        "metadata": p.Metadata(),
        "payment_details": p.Anything(),
        "statement_descriptor": p.Str(max_length=22),
        "statement_descriptor_suffix": p.Str(max_length=22),
        "transfer_data": p.Anything(),
    }
)
CANCEL = p.Obj(
    {
        "cancellation_reason": p.Enum(
            "abandoned", "duplicate", "fraudulent", "requested_by_customer"
        ),
        "expand": p.EXPAND,
    }
)
LIST = p.list_spec(created=CreatedRange(), customer=p.Str(), customer_account=p.Str())


def create_payment_intent(ctx: Ctx, params: dict[str, Any]) -> pi.PaymentIntent:
    return pi.create(ctx, params)


def retrieve_payment_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> pi.PaymentIntent:
    found = pi.find(ctx, intent)
    pi.check_client_secret(ctx, found, params)
    return found


def update_payment_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> pi.PaymentIntent:
    return pi.update(ctx, pi.find(ctx, intent), params)


def confirm_payment_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> pi.PaymentIntent:
    return pi.confirm(ctx, pi.find(ctx, intent), params)


def capture_payment_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> pi.PaymentIntent:
    return pi.capture(ctx, pi.find(ctx, intent), params)


def cancel_payment_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> pi.PaymentIntent:
    return pi.cancel(ctx, pi.find(ctx, intent), params)


def filtered(collection, params: dict[str, Any], fields: tuple[str, ...]):
    """Newest first, matching `created` and each of `fields` given; a pagination cursor stays in
    the stream so `render.page` can find its position."""
    cursor = params.get("starting_after") or params.get("ending_before")
    wanted = {name: params[name] for name in fields if name in params}
    for obj in collection.newest_first():
        data = obj.data
        if obj.id == cursor or (
            all(data.get(name) == value for name, value in wanted.items())
            and in_created_range(data["created"], params.get("created"))
        ):
            yield obj


def list_payment_intents(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    collection = ctx.account.payment_intents
    objects = filtered(collection, params, ("customer", "customer_account"))
    return render.page(ctx, objects, params, "/v1/payment_intents", collection.__contains__)
