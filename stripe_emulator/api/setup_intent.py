"""SetupIntent and SetupAttempt operations.

Payment method types by API version (STRIPE_FACTS §6.6): before `2026-09-30.endive`
`payment_method_types` is writable; from endive on it is refused with
`payment_method_types_no_longer_supported`. `allowed_payment_method_types` exists from
`2026-07-29.dahlia` (before: parameter_unknown). With neither, SetupIntents use dynamic payment
methods from `2023-08-16` on (card + link here), and `["card"]` before.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import errors, render
from .. import params as p
from ..context import DAHLIA_ALLOWED_TYPES, ENDIVE, Ctx
from ..ids import ALPHABET
from ..resources import intent_params as ip
from ..resources import payment_method as pm_model
from ..resources import return_url_rule, setup_attempt
from ..resources import setup_intent as si_model
from ..resources import setup_intent_confirm as si_confirm
from ..resources.customer import find as find_customer
from ..resources.event import CreatedRange, in_created_range
from ..resources.intent import validate_return_url
from ..resources.setup_intent import SetupIntent
from .payment_intent import filtered

__all__ = ["ATTEMPT_LIST", "CANCEL", "CONFIRM", "CREATE", "LIST", "RETRIEVE", "UPDATE"]

AUTOMATIC_BY_DEFAULT = "2023-08-16"  # SetupIntents default to dynamic payment methods from here
SUPPORTED_TYPES = ("card", "link", "us_bank_account")
DYNAMIC_TYPES = ["card", "link"]
TYPE_PARAMS = ("payment_method_types", "allowed_payment_method_types", "automatic_payment_methods")

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


# --- payment method types ---------------------------------------------------------------------


def _check_type_names(params: dict[str, Any]) -> None:
    for name in ("payment_method_types", "allowed_payment_method_types"):
        if name in params and not params[name]:
            raise errors.ParameterInvalidEmpty(name)
    for name in ("payment_method_types", "allowed_payment_method_types"):
        for value in params.get(name, []):
            if value not in SUPPORTED_TYPES:
                raise errors.ParameterInvalidString(
                    name,
                    f"The payment method type provided: {value} is invalid. Please ensure the "
                    "provided type is activated in your dashboard "
                    "(https://dashboard.stripe.com/account/payments/settings) and your account "
                    "is enabled for any preview features that you are trying to use.",
                )
    for value in params.get("excluded_payment_method_types", []):
        if value not in pm_model.ALL_TYPES:
            raise errors.ParameterInvalidString(
                "excluded_payment_method_types",
                f"The payment method type provided: {value} is invalid.",
            )


def _exclusive(params: dict[str, Any], *names: str) -> None:
    given = [n for n in names if n in params]
    if len(given) > 1:
        raise errors.InvalidRequest(
            f"You may only specify one of these parameters: {', '.join(given)}.", param=given[1]
        )


def _configuration_details(ctx: Ctx) -> dict[str, Any]:
    """The account's default payment method configuration (a stable `pmc_` id)."""
    digest = hashlib.sha256(f"pmc:{ctx.account.name}".encode()).digest()
    return {"id": "pmc_1" + "".join(ALPHABET[b % 62] for b in digest[:23]), "parent": None}


def type_fields(ctx: Ctx, params: dict[str, Any], creating: bool) -> dict[str, Any]:
    """Validate the type params and compute the fields they set (empty: leave as is)."""
    if "payment_method_types" in params and ctx.version_at_least(ENDIVE):
        raise errors.PaymentMethodTypesNoLongerSupported(ctx.api_version)
    if "allowed_payment_method_types" in params and not ctx.version_at_least(DAHLIA_ALLOWED_TYPES):
        raise errors.ParameterUnknown("allowed_payment_method_types")
    _exclusive(params, "allowed_payment_method_types", "payment_method_types")
    _exclusive(params, "allowed_payment_method_types", "automatic_payment_methods")
    _exclusive(params, "allowed_payment_method_types", "excluded_payment_method_types")
    apm = params.get("automatic_payment_methods")
    if apm and apm["enabled"] and "payment_method_types" in params:
        _exclusive(params, "automatic_payment_methods", "payment_method_types")
    if apm and not apm["enabled"] and "allow_redirects" in apm:
        raise errors.InvalidRequest(
            "You can only set `automatic_payment_methods[allow_redirects]` when "
            "`automatic_payment_methods[enabled]` is true.",
            param="automatic_payment_methods[allow_redirects]",
        )
    _check_type_names(params)
    fields: dict[str, Any] = {}
    dynamic = False
    if "payment_method_types" in params:
        fields.update(payment_method_types=list(params["payment_method_types"]))
        fields.update(automatic_payment_methods=None, allowed_payment_method_types=None)
    elif "allowed_payment_method_types" in params:
        allowed = list(params["allowed_payment_method_types"])
        fields.update(payment_method_types=allowed, allowed_payment_method_types=allowed)
        fields.update(automatic_payment_methods=None)
    elif apm is not None and apm["enabled"]:
        dynamic = True
        redirects = apm.get("allow_redirects", "always")
        fields["automatic_payment_methods"] = {"allow_redirects": redirects, "enabled": True}
    elif apm is not None:
        fields.update(payment_method_types=["card"], allowed_payment_method_types=None)
        fields["automatic_payment_methods"] = {"allow_redirects": None, "enabled": False}
    elif creating and ctx.version_at_least(AUTOMATIC_BY_DEFAULT):
        dynamic = True
        fields["automatic_payment_methods"] = {"allow_redirects": "always", "enabled": True}
    elif creating:
        fields.update(payment_method_types=["card"], automatic_payment_methods=None)
    if dynamic:
        excluded = params.get("excluded_payment_method_types") or []
        fields["payment_method_types"] = [t for t in DYNAMIC_TYPES if t not in excluded]
        fields["payment_method_configuration_details"] = _configuration_details(ctx)
    elif "payment_method_types" in fields:
        fields["payment_method_configuration_details"] = None
    if "excluded_payment_method_types" in params:
        fields["excluded_payment_method_types"] = params["excluded_payment_method_types"] or None
    return fields


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
            raise errors.InvalidRequest(
                f"You can only pass `{name}` when `confirm` is true.", param=name
            )


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
    return pm_model.create_from_data(ctx, params["payment_method_data"])


# --- handlers -------------------------------------------------------------------------------


def create_setup_intent(ctx: Ctx, params: dict[str, Any]) -> SetupIntent:
    _refuse_unsupported(params)
    _check_confirm_only(params)
    fields = type_fields(ctx, params, creating=True)
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
        si.data.update(payment_method=pm.id, status="requires_confirmation")
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
    if si.status not in si_model.ACTIVE and set(params) - {"metadata", "description", "expand"}:
        raise si_model.unexpected_state(ctx, si, "update")
    fields = type_fields(ctx, params, creating=False)
    customer = params.get("customer", si.data["customer"])
    if "customer" in params:
        find_customer(ctx, customer, param="customer")
        if si.data["customer"] not in (None, customer):
            raise errors.InvalidRequest(
                "You cannot change the customer of a SetupIntent once it has been set.",
                param="customer",
            )
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
        raise errors.InvalidRequest(
            "`payment_method_options` can only be set with a secret key; set it when creating "
            "or updating the SetupIntent.",
            param="payment_method_options",
        )
    _refuse_unsupported(params)
    fields = type_fields(ctx, params, creating=False)
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
        raise errors.InvalidRequest(
            "Customer accounts (`customer_account`) are not supported by this emulator.",
            param="customer_account",
        )
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
