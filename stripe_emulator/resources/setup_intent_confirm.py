"""SetupIntent confirmation and the 3-D Secure completion that resumes it (docs/facts/intents.md#setupintent-lifecycle).

The test card profile of the PaymentMethod (testdata.Card) decides each outcome: succeeded,
requires_action (3-D Secure) or a decline (402, `last_setup_error`). Validate fully, then
mutate: confirm is split into `prepare_confirm` (no state change) and `apply_confirm`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .. import errors, testdata
from ..context import Ctx
from . import event, setup_attempt
from . import intent as intents
from . import intent_states as states
from . import payment_method as pm_model
from . import payment_method_data as pm_data
from .payment_method import PaymentMethod
from .setup_intent import (
    SetupIntent,
    abandon_latest,
    check_one_payment_method,
    check_type_allowed,
    payment_method_options,
    validate_payment_method_data,
    validate_payment_method_ref,
)


@dataclass
class ConfirmPlan:
    """What a validated confirm will do; building it changes nothing."""

    pm: PaymentMethod | None  # a stored PM, or None: resolve `pm_ref`/`pm_data` when applying
    pm_ref: str | None
    pm_data: dict[str, Any] | None
    options: dict[str, Any] | None
    type_fields: dict[str, Any]
    return_url: str | None
    use_stripe_sdk: bool = False  # confirmed by Stripe.js: 3DS in its modal

    @property
    def pm_type(self) -> str | None:
        """The type of the PaymentMethod this confirmation uses (a test token is a card)."""
        if self.pm is not None:
            return self.pm.type
        if self.pm_ref is not None:
            return "card"
        return (self.pm_data or {}).get("type")


def prepare_confirm(
    ctx: Ctx, si: SetupIntent, params: dict[str, Any], type_fields: dict[str, Any]
) -> ConfirmPlan:
    states.check(ctx, si, "confirm")
    check_one_payment_method(params)
    types = type_fields.get("payment_method_types", si.data["payment_method_types"])
    if "return_url" in params:
        intents.validate_return_url(params["return_url"])
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
        raise errors.SetupIntentMissingPaymentMethod(setup_intent=intents.embedded(ctx, si))
    return ConfirmPlan(
        pm=pm,
        pm_ref=params.get("payment_method") if pm is None else None,
        pm_data=params.get("payment_method_data"),
        options=params.get("payment_method_options"),
        type_fields=type_fields,
        return_url=params.get("return_url"),
        use_stripe_sdk=bool(params.get("use_stripe_sdk")),
    )


def resolve_payment_method(ctx: Ctx, plan: ConfirmPlan) -> PaymentMethod:
    """Materializes a test token or creates the PM from `payment_method_data` (may raise)."""
    if plan.pm is None:
        if plan.pm_ref is not None:
            plan.pm = pm_model.find(ctx, plan.pm_ref)
        else:
            plan.pm = pm_data.create_from_data(ctx, plan.pm_data or {})
    return plan.pm


def _outcome(si: SetupIntent, pm: PaymentMethod) -> str | testdata.Decline:
    card = pm.card_profile
    if card is None:
        return "ok"
    if card.setup == "decline" and card.decline is not None:
        return card.decline
    if card.setup == "3ds":
        return "3ds"
    return "3ds" if intents.three_d_secure_requested(si, pm) else "ok"


def apply_confirm(ctx: Ctx, si: SetupIntent, plan: ConfirmPlan) -> SetupIntent:
    """Run a validated confirmation. Declines raise a 402 after recording the failure."""
    pm = resolve_payment_method(ctx, plan)
    data = si.data
    data.update(plan.type_fields)
    data["payment_method_options"] = payment_method_options(
        data["payment_method_types"], data["payment_method_options"], plan.options
    )
    abandon_latest(ctx, si)
    if plan.return_url is not None:
        si.return_url = plan.return_url
    attempt = setup_attempt.start(ctx, si, pm)
    states.move(ctx, si, "confirm")
    data.update(payment_method=pm.id, latest_attempt=attempt.id, last_setup_error=None)
    data.update(next_action=None, cancellation_reason=None)
    outcome = _outcome(si, pm)
    if outcome == "ok":
        _succeed(ctx, si, pm, attempt)
        return si
    if outcome == "3ds":
        states.move(ctx, attempt, "require_action")
        states.move(ctx, si, "require_action")
        data["next_action"] = intents.next_action(ctx, si, use_stripe_sdk=plan.use_stripe_sdk)
        event.record(ctx, "setup_intent.requires_action", si)
        return si
    failure = errors.CardDeclined(outcome, payment_method=copy.deepcopy(pm.to_dict()))
    _fail(ctx, si, attempt, failure)
    raise failure.embedding(setup_intent=intents.embedded(ctx, si))


def _succeed(ctx: Ctx, si: SetupIntent, pm: PaymentMethod, attempt) -> None:
    customer = si.data["customer"]
    if customer is not None:
        pm_model.attach(ctx, pm, customer)
    if si.data["usage"] == "off_session":
        pm.set_up_for_off_session = True
    states.move(ctx, attempt, "succeed")
    states.move(ctx, si, "succeed")
    si.data["next_action"] = None
    event.record(ctx, "setup_intent.succeeded", si)


def _fail(ctx: Ctx, si: SetupIntent, attempt, failure: errors.StripeError) -> None:
    states.move(ctx, attempt, "fail")
    attempt.data["setup_error"] = failure.last_error()
    states.move(ctx, si, "fail")
    si.data.update(
        next_action=None,
        payment_method=None,
        last_setup_error=failure.last_error(),
    )
    event.record(ctx, "setup_intent.setup_failed", si)


def complete_authentication(ctx: Ctx, intent: SetupIntent, succeeded: bool) -> SetupIntent:
    """The customer completed (or failed) the test 3-D Secure challenge."""
    states.check(ctx, intent, "complete_authentication")
    attempt = ctx.account.setup_attempts.get(intent.data["latest_attempt"])
    pm = pm_model.find(ctx, intent.data["payment_method"])
    card = attempt.data["payment_method_details"].get("card")
    if card is not None:
        card["three_d_secure"] = setup_attempt.three_d_secure(ctx, succeeded)
    states.move(ctx, intent, "complete_authentication")
    if succeeded:
        _succeed(ctx, intent, pm, attempt)
        return intent
    _fail(ctx, intent, attempt, errors.SetupAuthenticationFailed(payment_method=pm.to_dict()))
    return intent
