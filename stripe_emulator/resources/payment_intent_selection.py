"""Which PaymentMethod a PaymentIntent (confirmation) uses, and whether it may: an existing one,
a `pm_card_*` test token, `payment_method_data` or the customer's default (a `Plan`), checked
against the intent's payment method types and customer before anything is created.

Nothing here changes state except `materialize`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import errors, testdata
from ..context import Ctx
from .intent import embedded
from .payment_method import PaymentMethod
from .payment_method import find as find_pm
from .payment_method_data import create_from_data


@dataclass
class Plan:
    """A PaymentMethod to use: an existing one, a `pm_card_*` token or `payment_method_data`."""

    type: str
    customer: str | None
    existing: Any = None
    token: str | None = None
    data: dict[str, Any] | None = None
    param: str = "payment_method"


def plan_payment_method(
    ctx: Ctx, intent: Any, params: dict[str, Any], customer_id: str | None, types: list[str]
) -> Plan | None:
    """The PaymentMethod the params name (validated; nothing created yet), or None."""
    named = [
        n for n in ("payment_method", "payment_method_data", "confirmation_token") if n in params
    ]
    if len(named) > 1:
        raise errors.MutuallyExclusive(named)
    if "confirmation_token" in params:
        raise errors.ResourceMissing(
            "confirmationtoken", params["confirmation_token"], param="confirmation_token"
        )
    if "payment_method" in params:
        pm_id = params["payment_method"]
        if testdata.card_for_payment_method(pm_id) is not None:
            plan = Plan("card", None, token=pm_id)
        else:
            pm: PaymentMethod = find_pm(ctx, pm_id, param="payment_method")
            plan = Plan(pm.type, pm.customer, existing=pm)
    elif "payment_method_data" in params:
        data = params["payment_method_data"]
        plan = Plan(data["type"], None, data=data, param="payment_method_data")
    else:
        return None
    check_compatible(ctx, intent, plan, types)
    if plan.existing is not None:
        check_ownership(ctx, intent, plan.existing.id, plan.customer, customer_id)
    return plan


def customer_default_plan(ctx: Ctx, customer_id: str, types: list[str]) -> Plan | None:
    """Confirming without a PaymentMethod falls back to the customer's default one."""
    customer = ctx.account.customers.get(customer_id)
    default = customer and customer.data["invoice_settings"].get("default_payment_method")
    pm = ctx.account.payment_methods.get(default) if default else None
    if pm is None or pm.type not in types:
        return None
    return Plan(pm.type, pm.customer, existing=pm)


def check_compatible(ctx: Ctx, intent: Any, plan: Plan, types: list[str]) -> None:
    if plan.type not in types:
        raise errors.PaymentMethodTypeNotAllowed(
            "PaymentIntent",
            plan.type,
            types,
            param=plan.param,
            payment_intent=embedded(ctx, intent),
        )


def check_ownership(
    ctx: Ctx, intent: Any, pm_id: str, pm_customer: str | None, customer_id: str | None
) -> None:
    if pm_customer is None or pm_customer == customer_id:
        return
    if customer_id is None:
        raise errors.PaymentMethodNeedsCustomer(
            pm=pm_id, customer=pm_customer, payment_intent=embedded(ctx, intent)
        )
    raise errors.PaymentMethodOfOtherCustomer(
        pm=pm_id, customer=customer_id, payment_intent=embedded(ctx, intent)
    )


def check_confirmable_plan(
    ctx: Ctx, intent: Any, plan: Plan | None, customer_id: str | None
) -> None:
    if plan is None:
        raise errors.PaymentIntentMissingPaymentMethod(
            customer_id, payment_intent=embedded(ctx, intent)
        )
    if plan.existing is not None:
        check_ownership(ctx, intent, plan.existing.id, plan.existing.customer, customer_id)


def materialize(ctx: Ctx, plan: Plan | None) -> Any:
    """The PaymentMethod of `plan`, creating it for tokens and `payment_method_data`."""
    if plan is None:
        return None
    if plan.existing is not None:
        return plan.existing
    if plan.token is not None:
        return find_pm(ctx, plan.token)
    return create_from_data(ctx, plan.data or {}, param="payment_method_data")
