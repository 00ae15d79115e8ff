"""SetupIntent: the state machine of docs/facts/intents.md#setupintent-lifecycle, with SetupAttempts and 3-D Secure.

requires_payment_method -> (requires_confirmation) -> confirm -> succeeded | requires_action |
requires_payment_method (declined, `last_setup_error`); requires_action -> succeeded (3DS
completed) | requires_payment_method (3DS failed). Cancel from any of the first three.
The table is `intent_states.SETUP_INTENT`; every status change goes through `intent_states.move`.
This module holds the object, create/update/cancel and the payment method checks; confirmation
and 3-D Secure completion are in `setup_intent_confirm`.
"""

from __future__ import annotations

from typing import Any

from .. import errors, testdata
from .. import params as p
from ..context import Ctx
from . import event
from . import intent as intents
from . import intent_params as ip
from . import intent_states as states
from . import payment_method as pm_model
from . import payment_method_details as details
from .base import get_or_404
from .payment_method import PaymentMethod


class SetupIntent(intents.Intent):
    object_name = "setup_intent"
    noun = "setupintent"
    collection = "setup_intents"


def find(ctx: Ctx, intent_id: str, param: str = "intent") -> SetupIntent:
    return get_or_404(ctx.account, SetupIntent, intent_id, param)


def check_client_secret(si: SetupIntent, client_secret: str | None) -> None:
    """A publishable key must present the intent's client secret."""
    intents.check_client_secret(si, client_secret, "SetupIntent")


def payment_method_options(
    types: list[str], current: dict[str, Any], given: dict[str, Any] | None
) -> dict[str, Any]:
    """`payment_method_options` for `types`: defaults, then what was set before, then `given`
    (validated params; nested hashes merge, see intent_params.merge_options)."""
    given = given or {}
    options: dict[str, Any] = {}
    if "card" in types:
        options["card"] = {
            "mandate_options": None,
            "network": None,
            "request_three_d_secure": "automatic",
        }
    if "link" in types:
        options["link"] = {"persistent_token": None}
    if "us_bank_account" in types:
        options["us_bank_account"] = {
            "financial_connections": {"permissions": ["payment_method"], "prefetch": []},
            "mandate_options": {},
            "verification_method": "automatic",
        }
    for kind, values in current.items():
        if kind in options or kind in given:
            options[kind] = {**options.get(kind, {}), **(values or {})}
    for kind, values in given.items():
        shown = {k: v for k, v in values.items() if k not in _NOT_SHOWN}
        merged = ip.merge_options(options.get(kind, {}), shown)
        if kind == "card" and "mandate_options" in shown:  # a new mandate replaces the old one
            merged["mandate_options"] = ip.mandate_options_object(
                shown["mandate_options"], with_currency=True
            )
        options[kind] = merged
    return options


# Accepted options the SetupIntent object does not show (intent_params module docstring).
_NOT_SHOWN = ("moto", "networks", "three_d_secure")


def new(ctx: Ctx, params: dict[str, Any], type_fields: dict[str, Any]) -> SetupIntent:
    """An unstored SetupIntent from validated create params."""
    account = ctx.account
    intent_id = account.ids.new("seti")
    types = type_fields["payment_method_types"]
    data = {
        "id": intent_id,
        "object": "setup_intent",
        "allowed_payment_method_types": type_fields.get("allowed_payment_method_types"),
        "application": None,
        "attach_to_self": params.get("attach_to_self"),
        "automatic_payment_methods": type_fields.get("automatic_payment_methods"),
        "cancellation_reason": None,
        "client_secret": account.ids.secret(intent_id),
        "created": ctx.now(),
        "customer": params.get("customer"),
        "customer_account": None,
        "description": p.clean(params.get("description")),
        "excluded_payment_method_types": type_fields.get("excluded_payment_method_types"),
        "flow_directions": params.get("flow_directions"),
        "last_setup_error": None,
        "latest_attempt": None,
        "livemode": False,
        "managed_payments": None,
        "mandate": None,
        "metadata": p.merge_metadata({}, params.get("metadata", {})),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": type_fields.get(
            "payment_method_configuration_details"
        ),
        "payment_method_options": payment_method_options(
            types, {}, params.get("payment_method_options")
        ),
        "payment_method_types": types,
        "single_use_mandate": None,
        "status": "requires_payment_method",
        "usage": params.get("usage", "off_session"),
    }
    return SetupIntent(data, ctx.api_version)


def store(ctx: Ctx, si: SetupIntent) -> None:
    ctx.account.setup_intents.add(si)
    event.record(ctx, "setup_intent.created", si)


# --- payment method selection -----------------------------------------------------------


def check_type_allowed(si: SetupIntent, pm_type: str, types: list[str], param: str) -> None:
    if pm_type not in types:
        raise errors.PaymentMethodTypeNotAllowed("SetupIntent", pm_type, types, param=param)


def check_owner(si: SetupIntent, pm: PaymentMethod, customer: str | None) -> None:
    if pm.customer is not None and pm.customer != customer:
        raise errors.SetupPaymentMethodNeedsCustomer(pm=pm.id, customer=pm.customer)


def validate_payment_method_ref(
    ctx: Ctx, si: SetupIntent, ref: str, types: list[str], customer: str | None
) -> PaymentMethod | None:
    """Checks a `payment_method` id (or test token, resolved later); returns a stored PM."""
    if testdata.card_for_payment_method(ref) is not None:
        check_type_allowed(si, "card", types, "payment_method")
        return None
    pm = pm_model.find(ctx, ref, param="payment_method")
    check_type_allowed(si, pm.type, types, "payment_method")
    check_owner(si, pm, customer)
    return pm


def validate_payment_method_data(
    ctx: Ctx, si: SetupIntent, data: dict[str, Any], types: list[str]
) -> None:
    check_type_allowed(si, data["type"], types, "payment_method_data[type]")
    if (
        data["type"] == "card"
        and details.token_card(data.get("card"), "payment_method_data") is None
    ):
        if not ctx.publishable:
            raise errors.RawCardDataRefused()
        details.validate_card(ctx, data.get("card"), "payment_method_data")


def check_one_payment_method(params: dict[str, Any]) -> None:
    if "payment_method" in params and "payment_method_data" in params:
        raise errors.MutuallyExclusive(["payment_method", "payment_method_data"])


def abandon_latest(ctx: Ctx, si: SetupIntent) -> None:
    """A SetupAttempt still waiting for 3-D Secure is abandoned by a new confirm or a cancel."""
    latest = si.data["latest_attempt"]
    attempt = ctx.account.setup_attempts.get(latest) if latest else None
    if attempt is not None and states.allows(attempt, "abandon"):
        states.move(ctx, attempt, "abandon")


# --- cancel / update ------------------------------------------------------------------------


def cancel(ctx: Ctx, si: SetupIntent, reason: str | None) -> SetupIntent:
    states.check(ctx, si, "cancel")
    abandon_latest(ctx, si)
    states.move(ctx, si, "cancel")
    si.data.update(cancellation_reason=reason, next_action=None)
    event.record(ctx, "setup_intent.canceled", si)
    return si


def update(
    ctx: Ctx,
    si: SetupIntent,
    params: dict[str, Any],
    type_fields: dict[str, Any],
    pm: PaymentMethod | None,
) -> SetupIntent:
    """Apply validated update params (`pm`: the already resolved new payment method)."""
    data = si.data
    data.update(type_fields)
    if type_fields or "payment_method_options" in params:
        data["payment_method_options"] = payment_method_options(
            data["payment_method_types"],
            data["payment_method_options"],
            params.get("payment_method_options"),
        )
    for key in ("customer", "description", "attach_to_self", "flow_directions"):
        if key in params:
            data[key] = p.clean(params[key])
    if "metadata" in params:
        data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
    if pm is not None:
        data["payment_method"] = pm.id
        states.move(ctx, si, "set_payment_method")
    return si
