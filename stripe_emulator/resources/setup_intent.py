"""SetupIntent: the state machine of STRIPE_FACTS §2.1, with SetupAttempts and 3-D Secure.

requires_payment_method -> (requires_confirmation) -> confirm -> succeeded | requires_action |
requires_payment_method (declined, `last_setup_error`); requires_action -> succeeded (3DS
completed) | requires_payment_method (3DS failed). Cancel from any of the first three.
The test card profile of the PaymentMethod (testdata.Card) decides each outcome.
Validate fully, then mutate: confirm is split into `prepare_confirm` (no state change) and
`apply_confirm`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .. import errors, render, testdata
from .. import params as p
from ..context import Ctx
from . import event, setup_attempt
from . import payment_method as pm_model
from .base import Resource, get_or_404
from .payment_method import PaymentMethod

ACTIVE = ("requires_payment_method", "requires_confirmation", "requires_action")
AUTH_FAILED_MESSAGE = (
    "The latest attempt to set up the payment method has failed because authentication failed."
)


class SetupIntent(Resource):
    object_name = "setup_intent"
    noun = "setupintent"
    collection = "setup_intents"

    def __init__(self, data: dict[str, Any], api_version: str) -> None:
        super().__init__(data)
        self.api_version = api_version  # the version it was created with
        self.return_url: str | None = None

    @property
    def status(self) -> str:
        return self.data["status"]


def find(ctx: Ctx, intent_id: str, param: str = "intent") -> SetupIntent:
    return get_or_404(ctx.account, SetupIntent, intent_id, param)


def check_client_secret(si: SetupIntent, client_secret: str | None) -> None:
    """A publishable key must present the intent's client secret."""
    if client_secret is None:
        raise errors.ParameterMissing("client_secret")
    if client_secret != si.data["client_secret"]:
        raise errors.InvalidRequest(
            "The client_secret provided does not match the client_secret associated with the "
            "SetupIntent.",
            param="client_secret",
        )


def snapshot(ctx: Ctx, si: SetupIntent) -> dict[str, Any]:
    """The intent as embedded in an error body (what this caller may see)."""
    return render.view(ctx, copy.deepcopy(si.to_dict()))


def unexpected_state(ctx: Ctx, si: SetupIntent, verb: str) -> errors.UnexpectedState:
    status = si.status
    if verb == "confirm" and status == "succeeded":
        message = "You cannot confirm this SetupIntent because it has already succeeded."
    else:
        message = (
            f"You cannot {verb} this SetupIntent because it has a status of {status}. Only a "
            "SetupIntent with one of the following statuses may be "
            f"{'canceled' if verb == 'cancel' else verb + 'd'}: {', '.join(ACTIVE)}."
        )
    return errors.UnexpectedState(
        "setup_intent_unexpected_state", message, setup_intent=snapshot(ctx, si)
    )


def payment_method_options(
    types: list[str], current: dict[str, Any], given: dict[str, Any] | None
) -> dict[str, Any]:
    """`payment_method_options` for `types`: defaults, then what was set before, then `given`."""
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
    for source in (current, p.clean(given or {})):
        for kind, values in source.items():
            if kind in options or kind in (given or {}):
                merged = {**options.get(kind, {}), **(values or {})}
                merged.pop("moto", None)
                options[kind] = merged
    return options


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
        raise errors.InvalidRequest(
            f"The PaymentMethod provided ({pm_type}) is not allowed for this SetupIntent. Please "
            f"attach a PaymentMethod of one of the following types: {', '.join(types)}. "
            "Alternatively update the allowed payment_method_types for this SetupIntent to "
            f'include "{pm_type}".',
            code="setup_intent_invalid_parameter",
            param=param,
        )


def check_owner(si: SetupIntent, pm: PaymentMethod, customer: str | None) -> None:
    if pm.customer is not None and pm.customer != customer:
        raise errors.InvalidRequest(
            f"The PaymentMethod {pm.id} belongs to the Customer {pm.customer}. Please include "
            "the Customer in the `customer` parameter on the SetupIntent.",
            code="setup_intent_invalid_parameter",
            param="payment_method",
        )


def validate_payment_method_ref(
    ctx: Ctx, si: SetupIntent, ref: str, types: list[str], customer: str | None
) -> PaymentMethod | None:
    """Checks a `payment_method` id (or test token, resolved later); returns a stored PM."""
    if ref in testdata.PM_TOKENS:
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
    if data["type"] == "card":
        if not ctx.publishable:
            raise errors.RawCardDataRefused()
        pm_model.validate_card(ctx, data.get("card"), "payment_method_data")


def validate_return_url(url: str, param: str = "return_url") -> None:
    parsed = urlparse(url)
    web = parsed.scheme in ("http", "https")
    if not parsed.scheme or (web and not parsed.netloc):
        raise errors.InvalidRequest("Not a valid URL", code="url_invalid", param=param)


# --- confirm -------------------------------------------------------------------------------


@dataclass
class ConfirmPlan:
    """What a validated confirm will do; building it changes nothing."""

    pm: PaymentMethod | None  # a stored PM, or None: resolve `pm_ref`/`pm_data` when applying
    pm_ref: str | None
    pm_data: dict[str, Any] | None
    options: dict[str, Any] | None
    type_fields: dict[str, Any]
    return_url: str | None


def prepare_confirm(
    ctx: Ctx, si: SetupIntent, params: dict[str, Any], type_fields: dict[str, Any]
) -> ConfirmPlan:
    if si.status not in ACTIVE:
        raise unexpected_state(ctx, si, "confirm")
    if "payment_method" in params and "payment_method_data" in params:
        raise errors.InvalidRequest(
            "You may only specify one of these parameters: payment_method, payment_method_data.",
            param="payment_method_data",
        )
    types = type_fields.get("payment_method_types", si.data["payment_method_types"])
    if "return_url" in params:
        validate_return_url(params["return_url"])
    pm = None
    if "payment_method" in params:
        pm = validate_payment_method_ref(
            ctx, si, params["payment_method"], types, si.data["customer"]
        )
    elif "payment_method_data" in params:
        validate_payment_method_data(ctx, si, params["payment_method_data"], types)
    elif si.data["payment_method"] is not None:
        pm = pm_model.find(ctx, si.data["payment_method"])
        check_type_allowed(si, pm.type, types, "payment_method")
    else:
        raise errors.UnexpectedState(
            "setup_intent_unexpected_state",
            "You cannot confirm this SetupIntent because it's missing a payment method. You can "
            "either update the SetupIntent with a payment method and then confirm it again, or "
            "confirm it again directly with a payment method.",
            setup_intent=snapshot(ctx, si),
        )
    return ConfirmPlan(
        pm=pm,
        pm_ref=params.get("payment_method") if pm is None else None,
        pm_data=params.get("payment_method_data"),
        options=params.get("payment_method_options"),
        type_fields=type_fields,
        return_url=params.get("return_url"),
    )


def resolve_payment_method(ctx: Ctx, plan: ConfirmPlan) -> PaymentMethod:
    """Materializes a test token or creates the PM from `payment_method_data` (may raise)."""
    if plan.pm is None:
        if plan.pm_ref is not None:
            plan.pm = pm_model.find(ctx, plan.pm_ref)
        else:
            plan.pm = pm_model.create_from_data(ctx, plan.pm_data or {})
    return plan.pm


def _outcome(si: SetupIntent, pm: PaymentMethod) -> str | testdata.Decline:
    card = pm.card_profile
    if card is None:
        return "ok"
    if card.setup == "decline" and card.decline is not None:
        return card.decline
    if card.setup == "3ds":
        return "3ds"
    requested = (si.data["payment_method_options"].get("card") or {}).get("request_three_d_secure")
    if pm.type == "card" and requested in ("any", "challenge") and card.three_d_secure_supported:
        return "3ds"
    return "ok"


def _abandon_latest(ctx: Ctx, si: SetupIntent) -> None:
    latest = si.data["latest_attempt"]
    attempt = ctx.account.setup_attempts.get(latest) if latest else None
    if attempt is not None and attempt.status == "requires_action":
        attempt.data["status"] = "abandoned"


def apply_confirm(ctx: Ctx, si: SetupIntent, plan: ConfirmPlan) -> SetupIntent:
    """Run a validated confirmation. Declines raise a 402 after recording the failure."""
    pm = resolve_payment_method(ctx, plan)
    data = si.data
    data.update(plan.type_fields)
    data["payment_method_options"] = payment_method_options(
        data["payment_method_types"], data["payment_method_options"], plan.options
    )
    _abandon_latest(ctx, si)
    if plan.return_url is not None:
        si.return_url = plan.return_url
    attempt = setup_attempt.start(ctx, si, pm)
    data.update(payment_method=pm.id, latest_attempt=attempt.id, last_setup_error=None)
    data.update(next_action=None, cancellation_reason=None)
    outcome = _outcome(si, pm)
    if outcome == "ok":
        _succeed(ctx, si, pm, attempt)
        return si
    if outcome == "3ds":
        attempt.data["status"] = "requires_action"
        data["status"] = "requires_action"
        data["next_action"] = _next_action(ctx, si)
        event.record(ctx, "setup_intent.requires_action", si)
        return si
    decline: testdata.Decline = outcome
    error = {
        "code": decline.code,
        "decline_code": decline.decline_code,
        "doc_url": f"https://stripe.com/docs/error-codes/{decline.code.replace('_', '-')}",
        "message": decline.message,
        "param": decline.param,
        "payment_method": copy.deepcopy(pm.to_dict()),
        "type": "card_error",
    }
    _fail(ctx, si, attempt, {k: v for k, v in error.items() if v is not None})
    raise errors.CardError(
        decline.code,
        decline.message,
        decline_code=decline.decline_code,
        param=decline.param,
        payment_method=copy.deepcopy(pm.to_dict()),
        setup_intent=snapshot(ctx, si),
    )


def _next_action(ctx: Ctx, si: SetupIntent) -> dict[str, Any]:
    """With a return_url: redirect there after 3DS; else Stripe.js handles it (use_stripe_sdk)."""
    url = (
        f"{ctx.base_url}/redirect/authenticate/{si.id}"
        f"?client_secret={si.data['client_secret']}&key=pk_test_{ctx.account.name}"
    )
    if si.return_url:
        return {
            "type": "redirect_to_url",
            "redirect_to_url": {"url": url, "return_url": si.return_url},
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url, "source": si.id},
    }


def _succeed(ctx: Ctx, si: SetupIntent, pm: PaymentMethod, attempt) -> None:
    customer = si.data["customer"]
    if customer is not None:
        pm_model.attach(ctx, pm, customer)
    attempt.data["status"] = "succeeded"
    si.data.update(status="succeeded", next_action=None)
    event.record(ctx, "setup_intent.succeeded", si)


def _fail(ctx: Ctx, si: SetupIntent, attempt, error: dict[str, Any]) -> None:
    attempt.data["status"] = "failed"
    attempt.data["setup_error"] = copy.deepcopy(error)
    si.data.update(
        status="requires_payment_method",
        next_action=None,
        payment_method=None,
        last_setup_error=error,
    )
    event.record(ctx, "setup_intent.setup_failed", si)


def complete_authentication(ctx: Ctx, intent: SetupIntent, succeeded: bool) -> SetupIntent:
    """The customer completed (or failed) the test 3-D Secure challenge."""
    if intent.status != "requires_action":
        raise unexpected_state(ctx, intent, "authenticate")
    attempt = ctx.account.setup_attempts.get(intent.data["latest_attempt"])
    pm = pm_model.find(ctx, intent.data["payment_method"])
    card = attempt.data["payment_method_details"].get("card")
    if card is not None:
        card["three_d_secure"] = setup_attempt.three_d_secure(ctx, succeeded)
    if succeeded:
        _succeed(ctx, intent, pm, attempt)
        return intent
    code = "setup_intent_authentication_failure"
    error = {
        "code": code,
        "doc_url": f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        "message": AUTH_FAILED_MESSAGE,
        "payment_method": copy.deepcopy(pm.to_dict()),
        "type": "invalid_request_error",
    }
    _fail(ctx, intent, attempt, error)
    return intent


# --- cancel / update ------------------------------------------------------------------------


def cancel(ctx: Ctx, si: SetupIntent, reason: str | None) -> SetupIntent:
    if si.status not in ACTIVE:
        raise unexpected_state(ctx, si, "cancel")
    _abandon_latest(ctx, si)
    si.data.update(status="canceled", cancellation_reason=reason, next_action=None)
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
        if data["status"] == "requires_payment_method":
            data["status"] = "requires_confirmation"
    return si
