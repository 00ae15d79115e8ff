"""SetupIntent and SetupAttempt operations: parameter specs and handlers.

Payment method types by API version are in `resources/payment_method_types.py`.
"""

from __future__ import annotations

from typing import Any

from .. import errors, render
from .. import params as p
from ..context import Ctx
from ..resources import intent_params as ip
from ..resources import intent_states as states
from ..resources import payment_method as pm_model
from ..resources import payment_method_data as pm_data
from ..resources import payment_method_types as pmt
from ..resources import return_url_rule, setup_attempt
from ..resources import setup_intent as si_model
from ..resources import setup_intent_confirm as si_confirm
from ..resources.customer import find as find_customer
from ..resources.event import CreatedRange, in_created_range
from ..resources.intent import validate_return_url
from ..resources.setup_intent import SetupIntent
from .payment_intent import filtered

__all__ = ["ATTEMPT_LIST", "CANCEL", "CONFIRM", "CREATE", "LIST", "RETRIEVE", "UPDATE"]

_TYPES = p.Arr(p.Str(max_length=100))
# Nested options: what each one does is in resources/intent_params.py.
PAYMENT_METHOD_OPTIONS = p.Obj(
    {
        "card": p.Obj(
            {
                "mandate_options": ip.card_mandate_options(with_currency=True),
                "moto": p.Bool(),
                "network": p.Enum(*ip.CARD_NETWORKS),
                "request_three_d_secure": p.Enum("any", "automatic", "challenge"),
                "setup_credential_usage": p.Enum("installment", "recurring", "unscheduled"),
                "three_d_secure": ip.CARD_THREE_D_SECURE,
            }
        ),
        "link": p.Obj({"persistent_token": p.Str(nullable=True)}),
        "us_bank_account": p.Obj(
            {
                "financial_connections": ip.US_BANK_ACCOUNT_FINANCIAL_CONNECTIONS,
                "mandate_options": ip.US_BANK_ACCOUNT_MANDATE_OPTIONS,
                "networks": ip.US_BANK_ACCOUNT_NETWORKS,
                "verification_method": ip.VERIFICATION_METHOD,
            }
        ),
    }
)
_COMMON = {
    "allowed_payment_method_types": _TYPES,
    "attach_to_self": p.Bool(),
    "customer": p.Str(),
    "description": p.Str(nullable=True),
    "excluded_payment_method_types": _TYPES,
    "expand": p.EXPAND,
    "flow_directions": p.Arr(p.Enum("inbound", "outbound")),
    "metadata": p.Metadata(),
    "payment_method": p.Str(),
    "payment_method_data": pm_model.PAYMENT_METHOD_DATA,
    "payment_method_options": PAYMENT_METHOD_OPTIONS,
    "payment_method_types": _TYPES,
}
CREATE = p.Obj(
    {
        **_COMMON,
        "automatic_payment_methods": p.Obj(
            {"allow_redirects": p.Enum("always", "never"), "enabled": p.Bool()},
            required=("enabled",),
        ),
        "confirm": p.Bool(),
        "confirmation_token": p.Str(),
        "mandate_data": ip.mandate_data(confirming=False),
        "return_url": p.Str(),
        "usage": p.Enum("off_session", "on_session"),
        "use_stripe_sdk": p.Bool(),
    }
)
UPDATE = p.Obj(_COMMON)
CONFIRM = p.Obj(
    {
        "allowed_payment_method_types": _TYPES,
        "client_secret": p.Str(),
        "confirmation_token": p.Str(),
        "expand": p.EXPAND,
        "mandate_data": ip.mandate_data(confirming=True),
        "payment_method": p.Str(),
        "payment_method_data": pm_model.PAYMENT_METHOD_DATA,
        "payment_method_options": PAYMENT_METHOD_OPTIONS,
        "return_url": p.Str(),
        "use_stripe_sdk": p.Bool(),
    }
)
RETRIEVE = p.Obj({"client_secret": p.Str(), "expand": p.EXPAND})
CANCEL = p.Obj(
    {
        "cancellation_reason": p.Enum("abandoned", "duplicate", "requested_by_customer"),
        "expand": p.EXPAND,
    }
)
LIST = p.list_spec(
    attach_to_self=p.Bool(),
    created=CreatedRange(),
    customer=p.Str(),
    customer_account=p.Str(),
    payment_method=p.Str(),
)
ATTEMPT_LIST = setup_attempt.LIST


# --- checks shared by create/update/confirm -----------------------------------------------------


def _refuse_unsupported(params: dict[str, Any]) -> None:
    if "confirmation_token" in params:
        token = params["confirmation_token"]
        raise errors.ResourceMissing("confirmationtoken", token, param="confirmation_token")
    ip.refuse_unsupported_card_options(
        params.get("payment_method_options"), "payment_method_options"
    )


def _check_mandate_data(ctx: Ctx, params: dict[str, Any], plan: si_confirm.ConfirmPlan) -> None:
    if "mandate_data" in params:
        ip.check_mandate_data(params["mandate_data"], ctx.publishable, plan.pm_type)


def _check_confirm_only(params: dict[str, Any]) -> None:
    for name in ("return_url", "use_stripe_sdk", "mandate_data"):
        if name in params and not params.get("confirm"):
            raise errors.OnlyWithConfirm(name)


def _pm_for_update(
    ctx: Ctx, si: SetupIntent, params: dict[str, Any], types: list[str], customer: str | None
) -> tuple[pm_model.PaymentMethod | None, bool]:
    """(stored PM or None, whether one must be resolved after validation)."""
    si_model.check_one_payment_method(params)
    if "payment_method" in params:
        pm = si_model.validate_payment_method_ref(
            ctx, si, params["payment_method"], types, customer
        )
        return pm, pm is None
    if "payment_method_data" in params:
        si_model.validate_payment_method_data(ctx, si, params["payment_method_data"], types)
        return None, True
    return None, False


def _resolve_new_pm(ctx: Ctx, params: dict[str, Any]) -> pm_model.PaymentMethod:
    if "payment_method" in params:
        return pm_model.find(ctx, params["payment_method"])
    return pm_data.create_from_data(ctx, params["payment_method_data"])


# --- handlers -------------------------------------------------------------------------------


def create_setup_intent(ctx: Ctx, params: dict[str, Any]) -> SetupIntent:
    _refuse_unsupported(params)
    _check_confirm_only(params)
    fields = pmt.setup_intent_types(ctx, params, creating=True)
    customer = params.get("customer")
    if customer is not None:
        find_customer(ctx, customer, param="customer")
    return_url_rule.check_create(ctx, params, "Setup Intent")
    si = si_model.new(ctx, params, fields)
    return_url_rule.remember(si, params)
    if params.get("confirm"):
        plan = si_confirm.prepare_confirm(ctx, si, params, {})
        _check_mandate_data(ctx, params, plan)
        si_confirm.resolve_payment_method(ctx, plan)
        si_model.store(ctx, si)
        return si_confirm.apply_confirm(ctx, si, plan)
    pm, later = _pm_for_update(ctx, si, params, fields["payment_method_types"], customer)
    if "return_url" in params:
        validate_return_url(params["return_url"])
    if later:
        pm = _resolve_new_pm(ctx, params)
    if pm is not None:
        si.data["payment_method"] = pm.id
        states.move(ctx, si, "set_payment_method")
    si_model.store(ctx, si)
    return si


def retrieve_setup_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> SetupIntent:
    si = si_model.find(ctx, intent)
    if ctx.publishable or "client_secret" in params:
        si_model.check_client_secret(si, params.get("client_secret"))
    return si


def update_setup_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> SetupIntent:
    si = si_model.find(ctx, intent)
    _refuse_unsupported(params)
    if set(params) - {"metadata", "description", "expand"}:
        states.check(ctx, si, "update")
    fields = pmt.setup_intent_types(ctx, params, creating=False)
    customer = params.get("customer", si.data["customer"])
    if "customer" in params:
        find_customer(ctx, customer, param="customer")
        if si.data["customer"] not in (None, customer):
            raise errors.SetupIntentCustomerImmutable()
    types = fields.get("payment_method_types", si.data["payment_method_types"])
    pm, later = _pm_for_update(ctx, si, params, types, customer)
    if later:
        pm = _resolve_new_pm(ctx, params)
    return si_model.update(ctx, si, params, fields, pm)


def confirm_setup_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> SetupIntent:
    si = si_model.find(ctx, intent)
    if ctx.publishable or "client_secret" in params:
        si_model.check_client_secret(si, params.get("client_secret"))
    if ctx.publishable and "payment_method_options" in params:
        raise errors.OptionsNeedSecretKey()
    _refuse_unsupported(params)
    fields = pmt.setup_intent_types(ctx, params, creating=False)
    return_url_rule.check_confirm(ctx, si, params, "Setup Intent")
    plan = si_confirm.prepare_confirm(ctx, si, params, fields)
    _check_mandate_data(ctx, params, plan)
    return si_confirm.apply_confirm(ctx, si, plan)


def cancel_setup_intent(ctx: Ctx, params: dict[str, Any], intent: str) -> SetupIntent:
    si = si_model.find(ctx, intent)
    return si_model.cancel(ctx, si, params.get("cancellation_reason"))


def list_setup_intents(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    account = ctx.account
    if "customer_account" in params:
        raise errors.CustomerAccountsNotSupported()
    collection = account.setup_intents
    objects = filtered(collection, params, ("customer", "payment_method", "attach_to_self"))
    return render.page(ctx, objects, params, "/v1/setup_intents", collection.__contains__)


def list_setup_attempts(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    si = si_model.find(ctx, params["setup_intent"], param="setup_intent")
    account = ctx.account

    def contains(attempt_id: str) -> bool:
        attempt = account.setup_attempts.get(attempt_id)
        return attempt is not None and attempt.data["setup_intent"] == si.id

    cursor = params.get("starting_after") or params.get("ending_before")
    objects = (
        attempt
        for attempt in setup_attempt.for_intent(ctx, si.id)
        if attempt.id == cursor or in_created_range(attempt.data["created"], params.get("created"))
    )
    return render.page(ctx, objects, params, "/v1/setup_attempts", contains)
