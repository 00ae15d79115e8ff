"""PaymentIntent operations and their parameter specs (stripe-python 16.1.0 params)."""

from __future__ import annotations

from typing import Any

from .. import params as p
from .. import render
from ..context import Ctx
from ..resources import intent_params as ip
from ..resources import payment_intent as pi
from ..resources.event import CreatedRange, in_created_range
from ..resources.payment_method import PAYMENT_METHOD_DATA

TYPES = p.Arr(p.Str(max_length=100))
NETWORKS = ip.CARD_NETWORKS
IF_AVAILABLE = p.Enum("if_available", "never")
CREDENTIAL_USAGE = p.Enum("installment", "recurring", "unscheduled")
CARD_OPTIONS = p.Obj(
    {
        "capture_method": p.Enum("manual", nullable=True),
        "cvc_token": p.Str(),
        "installments": ip.CARD_INSTALLMENTS,
        "mandate_options": ip.card_mandate_options(with_currency=False),
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
        "three_d_secure": ip.CARD_THREE_D_SECURE,
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
        "financial_connections": ip.US_BANK_ACCOUNT_FINANCIAL_CONNECTIONS,
        "mandate_options": ip.US_BANK_ACCOUNT_MANDATE_OPTIONS,
        "networks": ip.US_BANK_ACCOUNT_NETWORKS,
        "setup_future_usage": p.Enum("none", "off_session", "on_session", nullable=True),
        "target_date": p.Str(),
        "transaction_purpose": p.Enum("goods", "other", "services", "unspecified", nullable=True),
        "verification_method": ip.VERIFICATION_METHOD,
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
# What the nested parameters below do (applied, accepted or refused): resources/intent_params.py.
_OPTIONAL_CENTS = p.Int(min=0, nullable=True)
_POSTAL_CODE = p.Str(max_length=10, nullable=True)
_TAX = p.Obj({"total_tax_amount": p.Int(min=0)}, required=("total_tax_amount",))
_LINE_ITEM = p.Obj(
    {
        "discount_amount": p.Int(min=0),
        "payment_method_options": p.Obj(
            {
                "card": p.Obj({"commodity_code": p.Str(max_length=12)}),
                "card_present": p.Obj({"commodity_code": p.Str(max_length=12)}),
                "klarna": p.Obj(
                    {
                        "image_url": p.Str(max_length=4096),
                        "product_url": p.Str(max_length=4096),
                        "reference": p.Str(max_length=255),
                        "subscription_reference": p.Str(),
                    }
                ),
                "paypal": p.Obj(
                    {
                        "category": p.Enum("digital_goods", "donation", "physical_goods"),
                        "description": p.Str(max_length=127),
                        "sold_by": p.Str(max_length=127),
                    }
                ),
            }
        ),
        "product_code": p.Str(max_length=12),
        "product_name": p.Str(max_length=1024),
        "quantity": p.Int(min=1),
        "tax": _TAX,
        "unit_cost": p.Int(min=0),
        "unit_of_measure": p.Str(max_length=12),
    },
    required=("product_name", "quantity", "unit_cost"),
)
AMOUNT_DETAILS = p.Obj(
    {
        "discount_amount": _OPTIONAL_CENTS,
        "enforce_arithmetic_validation": p.Bool(),
        "line_items": p.Arr(_LINE_ITEM, max_items=200, nullable=True),
        "shipping": p.Obj(
            {
                "amount": _OPTIONAL_CENTS,
                "from_postal_code": _POSTAL_CODE,
                "to_postal_code": _POSTAL_CODE,
            },
            nullable=True,
        ),
        "tax": p.Obj(_TAX.fields, required=_TAX.required, nullable=True),
    }
)
HOOKS = p.Obj(
    {
        "inputs": p.Obj(
            {"tax": p.Obj({"calculation": p.Str(nullable=True)}, required=("calculation",))}
        )
    }
)
PAYMENT_DETAILS = p.Obj(
    {
        "customer_reference": p.Str(max_length=5000, nullable=True),
        "order_reference": p.Str(max_length=5000, nullable=True),
    }
)
RADAR_OPTIONS = p.Obj({"referrer": p.Str(nullable=True), "session": p.Str()})
_TRANSFER_METADATA = p.Metadata()
_TRANSFER_FIELDS: dict[str, p.Spec] = {
    "amount": p.Int(min=0),
    "description": p.Str(),
    "metadata": _TRANSFER_METADATA,
    "payment_data": p.Obj({"description": p.Str(), "metadata": _TRANSFER_METADATA}),
}
TRANSFER_DATA_CREATE = p.Obj(
    {**_TRANSFER_FIELDS, "destination": p.Str()}, required=("destination",)
)
TRANSFER_DATA_UPDATE = p.Obj(_TRANSFER_FIELDS)

_COMMON: dict[str, p.Spec] = {
    "allowed_payment_method_types": TYPES,
    "amount_details": AMOUNT_DETAILS,
    "capture_method": CAPTURE_METHOD,
    "excluded_payment_method_types": p.Arr(p.Str(max_length=100), nullable=True),
    "expand": p.EXPAND,
    "hooks": HOOKS,
    "payment_details": PAYMENT_DETAILS,
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
    "mandate_data": ip.mandate_data(confirming=False),
    "off_session": p.BoolOrEnum("one_off", "recurring"),
    "radar_options": RADAR_OPTIONS,
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
    "transfer_data": TRANSFER_DATA_UPDATE,
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
        "transfer_data": TRANSFER_DATA_CREATE,
    },
    required=("amount", "currency"),
)
UPDATE = p.Obj({**_COMMON, **_DESCRIBING, "amount": p.Int(), "currency": p.Str(max_length=10)})
CONFIRM = p.Obj(
    {
        **_COMMON,
        **_CONFIRMING,
        "client_secret": p.Str(),
        "mandate_data": ip.mandate_data(confirming=True),
    }
)
RETRIEVE = p.Obj({"client_secret": p.Str(), "expand": p.EXPAND})
CAPTURE = p.Obj(
    {
        "amount_details": AMOUNT_DETAILS,
        "amount_to_capture": p.Int(),
        "application_fee_amount": p.Int(min=0),
        "expand": p.EXPAND,
        "final_capture": p.Bool(),
        "hooks": HOOKS,
        "metadata": p.Metadata(),
        "payment_details": PAYMENT_DETAILS,
        "statement_descriptor": p.Str(max_length=22),
        "statement_descriptor_suffix": p.Str(max_length=22),
        "transfer_data": p.Obj({"amount": p.Int(min=0)}),
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
