"""PaymentMethod: card (from raw details or `pm_card_*` test tokens), link, us_bank_account.

A PaymentMethod dict carries the common fields plus only the hash of its own type (`card`, `link`
or `us_bank_account`): real Stripe omits the other types' hashes rather than sending them as null.
`card_profile` is the test-card profile (testdata.Card) that drives setup/payment outcomes; for a
link PaymentMethod it is its funding card's profile, None for bank funding.
`payment_method_details` validates raw card and bank details and builds their type hashes;
`payment_method_data` makes a PaymentMethod from `payment_method_data` params (any type).
"""

from __future__ import annotations

from typing import Any

from .. import errors, testdata
from .. import params as p
from ..context import Ctx
from . import event
from .base import Resource, get_or_404
from .customer import find as find_customer
from .payment_method_details import (
    card_hash,
    check_expiry,
    utc_year_month,
)
from .payment_method_types import ALL_TYPES as ALL_TYPES

TYPES = ("card", "link", "us_bank_account")
ALLOW_REDISPLAY = p.Enum("always", "limited", "unspecified")

CARD = p.Obj(
    {
        "number": p.Str(max_length=64),
        "exp_month": p.Int(),
        "exp_year": p.Int(),
        "cvc": p.Str(),
        "token": p.Str(),  # a `tok_*` test token (payment_method_details.token_card)
    },
)
LINK = p.Obj(
    {
        "credentials": p.Obj({"consumer_session_client_secret": p.Str()}),
        "payment_details_id": p.Str(),
    }
)
US_BANK_ACCOUNT = p.Obj(
    {
        "account_holder_type": p.Enum("company", "individual"),
        "account_number": p.Str(max_length=17),
        "account_type": p.Enum("checking", "savings"),
        "financial_connections_account": p.Str(),
        "routing_number": p.Str(max_length=9),
    }
)
_DATA_FIELDS: dict[str, p.Spec] = {
    "type": p.Enum(*TYPES),
    "allow_redisplay": ALLOW_REDISPLAY,
    "billing_details": p.BILLING_DETAILS,
    "metadata": p.Metadata(),
    "card": CARD,
    "link": LINK,
    "us_bank_account": US_BANK_ACCOUNT,
}
# `payment_method_data` on SetupIntent/PaymentIntent create and confirm.
PAYMENT_METHOD_DATA = p.Obj(_DATA_FIELDS, required=("type",))
# POST /v1/payment_methods
CREATE = p.Obj({**_DATA_FIELDS, "expand": p.EXPAND}, required=("type",))
UPDATE = p.Obj(
    {
        "allow_redisplay": ALLOW_REDISPLAY,
        "billing_details": p.BILLING_DETAILS,
        "card": p.Obj({"exp_month": p.Int(), "exp_year": p.Int()}),
        "expand": p.EXPAND,
        "metadata": p.Metadata(),
    }
)


class PaymentMethod(Resource):
    object_name = "payment_method"
    noun = "PaymentMethod"
    collection = "payment_methods"

    def __init__(self, data: dict[str, Any], card_profile: testdata.Card | None = None) -> None:
        super().__init__(data)
        self.card_profile = card_profile
        # Set up for off-session payments: by a succeeded SetupIntent (usage off_session) or a
        # succeeded payment with setup_future_usage=off_session. Private: not in the API object.
        self.set_up_for_off_session = False

    @property
    def type(self) -> str:
        return self.data["type"]

    @property
    def customer(self) -> str | None:
        return self.data["customer"]


def empty_billing_details() -> dict[str, Any]:
    return {
        "address": {k: None for k in ("city", "country", "line1", "line2", "postal_code", "state")},
        "email": None,
        "name": None,
        "phone": None,
        "tax_id": None,
    }


def merge_billing_details(current: dict[str, Any], given: dict[str, Any] | None) -> dict:
    """`billing_details` params over `current` (empty strings unset a field)."""
    merged = {**current, "address": dict(current["address"])}
    for key, value in (given or {}).items():
        if key == "address":
            if value is p.UNSET:
                merged["address"] = empty_billing_details()["address"]
            else:
                merged["address"].update(p.clean(value))
        else:
            merged[key] = p.clean(value)
    return merged


def new_payment_method(
    ctx: Ctx,
    type_: str,
    type_hash: dict[str, Any],
    *,
    billing_details: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    allow_redisplay: str | None = None,
    card_profile: testdata.Card | None = None,
) -> PaymentMethod:
    """Create and store a PaymentMethod of `type_` (params already validated)."""
    data = {
        "id": ctx.account.ids.new("pm"),
        "object": "payment_method",
        "allow_redisplay": allow_redisplay or "unspecified",
        "billing_details": merge_billing_details(empty_billing_details(), billing_details),
        "created": ctx.now(),
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": p.merge_metadata({}, metadata or {}),
        "radar_options": None,  # declared by stripe-python; only set by Radar sessions
        "type": type_,
        type_: type_hash,
    }
    pm = PaymentMethod(data, card_profile)
    ctx.account.payment_methods.add(pm)
    return pm


def from_test_card(
    ctx: Ctx, card: testdata.Card, billing_address: dict[str, Any] | None = None, **common: Any
) -> PaymentMethod:
    """A card PaymentMethod for a `pm_card_*` name or `tok_*` token (expiring a year from now)."""
    year, month = utc_year_month(ctx.now())
    type_hash = card_hash(
        ctx, card, month, year + 1, cvc_given=True, billing_address=billing_address
    )
    return new_payment_method(ctx, "card", type_hash, card_profile=card, **common)


def find(ctx: Ctx, pm_id: str, param: str = "payment_method") -> PaymentMethod:
    """A stored PaymentMethod, or a new one materialized from a `pm_card_*` test PaymentMethod
    (testdata.TEST_PAYMENT_METHODS: https://docs.stripe.com/testing, and older names)."""
    card = testdata.card_for_payment_method(pm_id)
    if card is not None:
        return from_test_card(ctx, card)
    return get_or_404(ctx.account, PaymentMethod, pm_id, param)


def check_attachable(pm: PaymentMethod) -> None:
    """Cards that simulate issuer declines cannot be attached to a Customer (402)."""
    card = pm.card_profile
    if card is not None and card.setup == "decline" and card.decline is not None:
        raise errors.CardDeclined(card.decline)


def attach(ctx: Ctx, pm_or_id: PaymentMethod | str, customer_id: str) -> PaymentMethod:
    """Attach to a customer (no-op if already attached to that customer)."""
    pm = pm_or_id if isinstance(pm_or_id, PaymentMethod) else find(ctx, pm_or_id)
    find_customer(ctx, customer_id, param="customer")
    if pm.customer == customer_id:
        return pm
    if pm.customer is not None:
        raise errors.PaymentMethodAlreadyAttached()
    check_attachable(pm)
    pm.data["customer"] = customer_id
    ctx.account.pms_by_customer.add(customer_id, pm.id)
    event.record(ctx, "payment_method.attached", pm, {"customer": None})
    return pm


def detach(ctx: Ctx, pm: PaymentMethod) -> PaymentMethod:
    if pm.customer is None:
        raise errors.PaymentMethodNotAttached()
    customer_id = pm.customer
    pm.data["customer"] = None
    ctx.account.pms_by_customer.discard(customer_id, pm.id)
    event.record(ctx, "payment_method.detached", pm, {"customer": customer_id})
    _clear_default_payment_method(ctx, customer_id, pm.id)
    return pm


def _clear_default_payment_method(ctx: Ctx, customer_id: str, pm_id: str) -> None:
    """A detached PaymentMethod stops being its customer's invoice default (null again, with a
    `customer.updated` event). The Customer object documents `invoice_settings.
    default_payment_method` as the "ID of a payment method that's attached to the customer"
    (https://docs.stripe.com/api/customers/object); that detaching clears it is not documented
    (https://github.com/dj-stripe/dj-stripe/issues/1836 doubts it), so the live_stripe test
    `test_detaching_the_default_payment_method_clears_it` is the check against test mode."""
    customer = ctx.account.customers.get(customer_id)
    if customer is None or customer.data["invoice_settings"]["default_payment_method"] != pm_id:
        return
    customer.data["invoice_settings"] = {
        **customer.data["invoice_settings"],
        "default_payment_method": None,
    }
    event.record(
        ctx, "customer.updated", customer, {"invoice_settings": {"default_payment_method": pm_id}}
    )


def update(ctx: Ctx, pm: PaymentMethod, params: dict[str, Any]) -> PaymentMethod:
    """PaymentMethod update: billing_details, metadata, allow_redisplay, card expiry."""
    if pm.customer is None:
        raise errors.PaymentMethodNotSaved()
    card = params.get("card")
    if card and pm.type != "card":
        raise errors.CardHashForOtherType(type=pm.type)
    expiry = None
    if card:
        current = pm.data["card"]
        expiry = check_expiry(
            ctx,
            card.get("exp_month", current["exp_month"]),
            card.get("exp_year", current["exp_year"]),
            "card",
        )
    before = dict(pm.data)
    data = pm.data
    if "billing_details" in params:
        data["billing_details"] = merge_billing_details(
            data["billing_details"], params["billing_details"]
        )
    if "metadata" in params:
        data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
    if "allow_redisplay" in params:
        data["allow_redisplay"] = params["allow_redisplay"]
    if expiry:
        data["card"] = {**data["card"], "exp_month": expiry[0], "exp_year": expiry[1]}
    previous = {k: v for k, v in before.items() if data.get(k) != v}
    if previous:
        event.record(ctx, "payment_method.updated", pm, previous)
    return pm
