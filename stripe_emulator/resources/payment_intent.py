"""PaymentIntent: create, update, confirm, 3-D Secure completion, capture, cancel.

Transitions (docs/facts/intents.md#paymentintent-lifecycle): requires_payment_method -> (requires_confirmation) -> confirm ->
requires_action | requires_capture | succeeded; a failed attempt returns to
requires_payment_method; cancel from any state but succeeded/canceled. Outcomes of an attempt
come from the PaymentMethod's test-card profile (testdata.Card) in `payment_outcome`;
the transition table is `intent_states.PAYMENT_INTENT`.
Every operation validates fully before it changes anything.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from . import charge as charges
from . import event, return_url_rule
from . import intent as intents
from . import intent_params as ip
from . import intent_states as states
from . import payment_intent_fields as fields
from . import payment_intent_selection as plans
from . import payment_method_types as pmt
from .base import get_or_404
from .customer import find as find_customer
from .payment_outcome import complete_authentication as complete_authentication
from .payment_outcome import payment_attempt

UPDATABLE = states.sources("payment_intent", "update")
# Fields a PaymentIntent keeps accepting after it left the updatable statuses.
ALWAYS_UPDATABLE = ("description", "metadata", "receipt_email", "shipping", "transfer_group")
_COPIED = ("description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix")


class PaymentIntent(intents.Intent):
    object_name = "payment_intent"
    noun = "payment_intent"
    collection = "payment_intents"

    def __init__(self, data: dict[str, Any], api_version: str) -> None:
        super().__init__(data, api_version)
        self.authenticated_pm: str | None = None  # PM that passed 3DS (manual confirmation)


def find(ctx: Ctx, intent_id: str, param: str = "intent") -> PaymentIntent:
    return get_or_404(ctx.account, PaymentIntent, intent_id, param)


def check_client_secret(ctx: Ctx, intent: PaymentIntent, params: dict[str, Any]) -> None:
    """Publishable keys must prove the intent with its client_secret (secret keys may)."""
    secret = params.get("client_secret")
    if secret is not None or ctx.publishable:
        intents.check_client_secret(intent, secret, "PaymentIntent")


def apply_payment_details(data: dict[str, Any], params: dict[str, Any]) -> None:
    """`payment_details` (validated): each reference set, or unset with ""."""
    if "payment_details" in params:
        current = data["payment_details"] or {"customer_reference": None, "order_reference": None}
        given = params["payment_details"]
        data["payment_details"] = {**current, **{k: p.clean(v) for k, v in given.items()}}


def _check_mandate_data(ctx: Ctx, params: dict[str, Any], plan: plans.Plan | None) -> None:
    if "mandate_data" in params:
        pm_type = plan.type if plan is not None else None
        ip.check_mandate_data(params["mandate_data"], ctx.publishable, pm_type)


# --- create / update --------------------------------------------------------------------


def create(ctx: Ctx, params: dict[str, Any]) -> PaymentIntent:
    """A new PaymentIntent; with `confirm=true` it is confirmed in the same request."""
    confirm_now = params.get("confirm", False)
    ip.refuse_unsupported_payment_params(params)
    if not confirm_now:
        for name in ("off_session", "error_on_requires_action", "mandate_data", "return_url"):
            if name in params:
                raise errors.OnlyWithConfirm(name)
    if "return_url" in params:
        intents.validate_return_url(params["return_url"])
    return_url_rule.check_create(ctx, params, "Payment Intent")
    currency = fields.currency(params["currency"])
    fields.check_amount(params["amount"], currency)
    if "customer" in params:
        find_customer(ctx, params["customer"], param="customer")
    types = pmt.payment_intent_types(ctx, params, None)
    customer_id = params.get("customer")
    type_names = types["payment_method_types"]
    plan = plans.plan_payment_method(ctx, None, params, customer_id, type_names)
    if confirm_now:
        if plan is None and customer_id:
            plan = plans.customer_default_plan(ctx, customer_id, type_names)
        plans.check_confirmable_plan(ctx, None, plan, customer_id)
        _check_mandate_data(ctx, params, plan)

    account = ctx.account
    intent_id = account.ids.new("pi")
    data: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "allowed_payment_method_types": None,
        "amount": params["amount"],
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": params.get("application_fee_amount"),
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": params.get("capture_method") or fields.default_capture_method(ctx),
        "client_secret": account.ids.secret(intent_id),
        "confirmation_method": params.get("confirmation_method", "automatic"),
        "created": ctx.now(),
        "currency": currency,
        "customer": params.get("customer"),
        "customer_account": None,
        "description": None,
        "excluded_payment_method_types": None,
        "hooks": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "managed_payments": None,
        "metadata": p.merge_metadata({}, params.get("metadata", {})),
        "next_action": None,
        "on_behalf_of": None,
        "payment_details": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "payment_method_types": [],
        "payment_record": None,
        "presentment_details": None,
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": params.get("setup_future_usage"),
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": params.get("transfer_group"),
    }
    for key in _COPIED:
        if key in params:
            data[key] = p.clean(params[key])
    if "shipping" in params:
        data["shipping"] = fields.shipping(params["shipping"])
    apply_payment_details(data, params)
    data.update(types)
    data["payment_method_options"] = fields.payment_method_options(
        data["payment_method_types"], {}, params.get("payment_method_options")
    )
    intent = PaymentIntent(data, ctx.api_version)
    return_url_rule.remember(intent, params)
    pm = plans.materialize(ctx, plan)
    if pm is not None:
        data["payment_method"] = pm.id
        states.move(ctx, intent, "set_payment_method")
    account.payment_intents.add(intent)
    event.record(ctx, "payment_intent.created", intent)
    if confirm_now:
        intent.return_url = params.get("return_url")
        payment_attempt(ctx, intent, pm, params)
    return intent


def update(ctx: Ctx, intent: PaymentIntent, params: dict[str, Any]) -> PaymentIntent:
    data = intent.data
    ip.refuse_unsupported_payment_params(params)
    if not states.allows(intent, "update"):
        for name in params:
            if name not in (*ALWAYS_UPDATABLE, "expand"):
                raise errors.PaymentIntentFieldNotUpdatable(
                    name, intent.status, UPDATABLE, payment_intent=intents.embedded(ctx, intent)
                )
    currency = fields.currency(params["currency"]) if "currency" in params else data["currency"]
    if "amount" in params or "currency" in params:
        fields.check_amount(params.get("amount", data["amount"]), currency)
    customer_id = data["customer"]
    if "customer" in params:
        customer_id = find_customer(ctx, params["customer"], param="customer").id
    types = pmt.payment_intent_types(ctx, params, data)
    merged_types = types.get("payment_method_types", data["payment_method_types"])
    plan = plans.plan_payment_method(ctx, intent, params, customer_id, merged_types)
    if plan is None and "customer" in params and data["payment_method"]:
        current = ctx.account.payment_methods.get(data["payment_method"])
        if current is not None:
            plans.check_ownership(ctx, intent, current.id, current.customer, customer_id)

    pm = plans.materialize(ctx, plan)
    for key in (*_COPIED, "setup_future_usage", "application_fee_amount", "transfer_group"):
        if key in params:
            data[key] = p.clean(params[key])
    for key in ("amount", "capture_method"):
        if key in params:
            data[key] = params[key]
    data["currency"] = currency
    data["customer"] = customer_id
    if "metadata" in params:
        data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
    apply_payment_details(data, params)
    _apply_shipping_and_types(data, params, types)
    if pm is not None:
        data["payment_method"] = pm.id
        data["next_action"] = None
        states.move(ctx, intent, "set_payment_method")
    return intent


def _apply_shipping_and_types(data: dict[str, Any], params: dict[str, Any], types: dict) -> None:
    """Update and confirm: `shipping`, the resolved payment method types and their options."""
    if "shipping" in params:
        data["shipping"] = fields.shipping(params["shipping"])
    data.update(types)
    if types or "payment_method_options" in params:
        data["payment_method_options"] = fields.payment_method_options(
            data["payment_method_types"],
            data["payment_method_options"],
            params.get("payment_method_options"),
        )


# --- confirm ------------------------------------------------------------------------------


def confirm(ctx: Ctx, intent: PaymentIntent, params: dict[str, Any]) -> PaymentIntent:
    data = intent.data
    check_client_secret(ctx, intent, params)
    ip.refuse_unsupported_payment_params(params)
    states.check(ctx, intent, "confirm")
    if "return_url" in params:
        intents.validate_return_url(params["return_url"])
    return_url_rule.check_confirm(ctx, intent, params, "Payment Intent")
    types = pmt.payment_intent_types(ctx, params, data)
    merged_types = types.get("payment_method_types", data["payment_method_types"])
    plan = plans.plan_payment_method(ctx, intent, params, data["customer"], merged_types)
    if plan is None and data["payment_method"]:
        current = ctx.account.payment_methods.get(data["payment_method"])
        if current is not None:
            plan = plans.Plan(current.type, current.customer, existing=current)
    if plan is None and data["customer"]:
        plan = plans.customer_default_plan(ctx, data["customer"], merged_types)
    plans.check_confirmable_plan(ctx, intent, plan, data["customer"])
    _check_mandate_data(ctx, params, plan)

    pm = plans.materialize(ctx, plan)
    for key in ("receipt_email", "setup_future_usage", "capture_method"):
        if key in params:
            data[key] = p.clean(params[key])
    apply_payment_details(data, params)
    _apply_shipping_and_types(data, params, types)
    if "return_url" in params:
        intent.return_url = params["return_url"]
    payment_attempt(ctx, intent, pm, params)
    return intent


# --- capture / cancel -----------------------------------------------------------------------


def capture(ctx: Ctx, intent: PaymentIntent, params: dict[str, Any]) -> PaymentIntent:
    data = intent.data
    ip.refuse_unsupported_payment_params(params)
    states.check(ctx, intent, "capture")
    amount = params.get("amount_to_capture", data["amount_capturable"])
    embedded = intents.embedded(ctx, intent)
    if amount < 0:
        raise errors.CaptureAmountNegative(payment_intent=embedded)
    if amount == 0:
        raise errors.CaptureAmountZero(payment_intent=embedded)
    if amount > data["amount_capturable"]:
        raise errors.CaptureAmountTooLarge(payment_intent=embedded)
    charge = charges.find(ctx, data["latest_charge"])
    charges.capture(ctx, charge, amount)
    for key in ("statement_descriptor", "statement_descriptor_suffix", "application_fee_amount"):
        if key in params:
            data[key] = params[key]
    if "metadata" in params:
        data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
    apply_payment_details(data, params)
    states.move(ctx, intent, "capture")
    data.update(amount_capturable=0, amount_received=amount)
    event.record(ctx, "charge.captured", charge)
    event.record(ctx, "payment_intent.succeeded", intent)
    return intent


def cancel(ctx: Ctx, intent: PaymentIntent, params: dict[str, Any]) -> PaymentIntent:
    states.check(ctx, intent, "cancel")
    data = intent.data
    if intent.status == "requires_capture" and data["latest_charge"]:
        charge = charges.find(ctx, data["latest_charge"])
        charges.release(ctx, charge)
        event.record(ctx, "charge.refunded", charge)
    states.move(ctx, intent, "cancel")
    data.update(
        canceled_at=ctx.now(),
        cancellation_reason=params.get("cancellation_reason"),
        next_action=None,
        amount_capturable=0,
    )
    event.record(ctx, "payment_intent.canceled", intent)
    return intent
