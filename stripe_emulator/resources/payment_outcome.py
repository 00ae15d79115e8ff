"""What one confirmation of a PaymentIntent does, and the 3-D Secure completion that resumes it.

The PaymentMethod's test-card profile (testdata.Card) decides: on-session cards with
`on_session == "3ds"` need authentication (requires_action); off-session, `off_session` says
whether the payment goes through, needs authentication (402) or is declined ("unless_set_up":
needs authentication until the PaymentMethod was set up for off-session use, see
`save_for_future` and setup_intent_confirm); `charge_decline` declines any charge. Each outcome records its Charge and events (docs/facts/intents.md#paymentintent-lifecycle, docs/facts/test_cards.md#outcomes-by-card, docs/facts/errors.md#messages-and-codes).
"""

from __future__ import annotations

from typing import Any

from .. import errors, testdata
from ..context import Ctx
from . import charge as charges
from . import event
from . import intent as intents
from . import intent_states as states
from . import payment_intent_fields as fields
from .payment_method import attach

AUTHENTICATION_REQUIRED = testdata.AUTHENTICATION_REQUIRED
AUTHENTICATION_NOT_HANDLED = testdata.Decline(
    "authentication_required",
    "authentication_not_handled",
    "This payment required an authentication action to complete, but `error_on_requires_action` "
    "was set. When you're ready, you can upgrade your integration to handle actions at "
    "https://stripe.com/docs/payments/payment-intents/upgrade-to-handle-actions.",
)


def payment_attempt(ctx: Ctx, intent: Any, pm: Any, params: dict[str, Any]) -> None:
    """Run one confirmation with `pm`: requires_action, a charge, or a 402 card error."""
    data = intent.data
    states.move(ctx, intent, "confirm")
    data["payment_method"] = pm.id
    data["last_payment_error"] = None
    profile = pm.card_profile
    off_session = bool(params.get("off_session", False))
    if off_session:
        mode = profile.off_session if profile is not None else "ok"
        if mode == "unless_set_up":
            mode = "ok" if pm.set_up_for_off_session else "authentication_required"
        if mode == "authentication_required":
            _fail(ctx, intent, pm, AUTHENTICATION_REQUIRED, with_charge=True, raise_=True)
        _charge(ctx, intent, pm, raise_=True)
        return
    if needs_authentication(intent, pm):
        if params.get("error_on_requires_action"):
            _fail(ctx, intent, pm, AUTHENTICATION_NOT_HANDLED, with_charge=False, raise_=True)
        states.move(ctx, intent, "require_action")
        sdk = bool(params.get("use_stripe_sdk"))
        data["next_action"] = intents.next_action(ctx, intent, use_stripe_sdk=sdk)
        event.record(ctx, "payment_intent.requires_action", intent)
        return
    _charge(ctx, intent, pm, raise_=True)


def complete_authentication(ctx: Ctx, intent: Any, succeeded: bool) -> Any:
    """The customer finished the 3-D Secure page: pass -> charge, fail -> requires_payment_method.

    Called by the 3DS page route; a decline after authentication leaves the intent in
    requires_payment_method with `last_payment_error` (no HTTP error: the page reports it).
    """
    states.move(ctx, intent, "complete_authentication")
    pm = ctx.account.payment_methods.get(intent.data["payment_method"])
    intent.data["next_action"] = None
    if not succeeded:
        failure = errors.PaymentAuthenticationFailed(
            payment_method=pm.to_dict() if pm is not None else None,
            payment_method_type=pm.type if pm is not None else None,
        )
        data = intent.data
        states.move(ctx, intent, "fail")
        data["payment_method"] = None
        data["last_payment_error"] = failure.last_error()
        event.record(ctx, "payment_intent.payment_failed", intent)
        return intent
    if intent.data["confirmation_method"] == "manual":
        intent.authenticated_pm = pm.id
        states.move(ctx, intent, "await_confirmation")
        return intent
    _charge(ctx, intent, pm, raise_=False, three_d_secure=charges.three_d_secure_result(ctx))
    return intent


def _charge(
    ctx: Ctx,
    intent: Any,
    pm: Any,
    *,
    raise_: bool,
    three_d_secure: dict[str, Any] | None = None,
) -> None:
    profile = pm.card_profile
    decline = profile.charge_decline if profile is not None else None
    if decline is not None:
        _fail(ctx, intent, pm, decline, with_charge=True, raise_=raise_)
        return
    data = intent.data
    method = fields.effective_capture_method(data, pm.type)
    charge = charges.create_for_intent(
        ctx, data, pm, capture_method=method, three_d_secure=three_d_secure
    )
    data["latest_charge"] = charge.id
    data["next_action"] = None
    intent.authenticated_pm = None
    manual = method == "manual"
    if manual:
        states.move(ctx, intent, "authorize")
        data["amount_capturable"] = data["amount"]
    else:
        states.move(ctx, intent, "succeed")
        data["amount_received"] = data["amount"]
    event.record(ctx, "charge.succeeded", charge)
    save_for_future(ctx, intent, pm)
    if manual:
        event.record(ctx, "payment_intent.amount_capturable_updated", intent)
    else:
        event.record(ctx, "payment_intent.succeeded", intent)


def _fail(ctx: Ctx, intent: Any, pm: Any, decline, *, with_charge: bool, raise_: bool):
    data = intent.data
    charge = None
    if with_charge:
        method = fields.effective_capture_method(data, pm.type)
        charge = charges.create_for_intent(ctx, data, pm, capture_method=method, decline=decline)
        data["latest_charge"] = charge.id
    failure = errors.CardDeclined(
        decline,
        charge=charge.id if charge else None,
        payment_method=pm.to_dict(),
        payment_method_type=pm.type,
    )
    states.move(ctx, intent, "fail")
    data.update(payment_method=None, next_action=None)
    data["last_payment_error"] = failure.last_error()
    intent.authenticated_pm = None
    if charge is not None:
        event.record(ctx, "charge.failed", charge)
    event.record(ctx, "payment_intent.payment_failed", intent)
    if raise_:
        raise failure.embedding(payment_intent=intents.embedded(ctx, intent))


def save_for_future(ctx: Ctx, intent: Any, pm: Any) -> None:
    """`setup_future_usage`: attach the PaymentMethod to the intent's customer on success; with
    off_session it is also set up for later off-session payments (the card's issuer saw an
    authenticated, or exempt, payment that declared the future use)."""
    data = intent.data
    usage = data["setup_future_usage"]
    option = (data["payment_method_options"].get(pm.type) or {}).get("setup_future_usage")
    if option is not None:
        usage = None if option == "none" else option
    if usage == "off_session":
        pm.set_up_for_off_session = True
    if usage and data["customer"] and pm.customer is None:
        attach(ctx, pm, data["customer"])


def needs_authentication(intent: Any, pm: Any) -> bool:
    profile = pm.card_profile
    if profile is None or intent.authenticated_pm == pm.id:
        return False
    return profile.on_session == "3ds" or intents.three_d_secure_requested(intent, pm)
