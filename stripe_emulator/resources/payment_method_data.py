"""A new PaymentMethod from `payment_method_data` params (or PaymentMethod create): a card from
raw details (publishable keys only), a us_bank_account, or a Link PaymentMethod paid from a
verified Link session (`link.create_link_payment_method`). Above both `payment_method` and
`link`, so neither imports the other's module back."""

from __future__ import annotations

from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from . import payment_method as pm_model
from .link import create_link_payment_method
from .payment_method_details import bank_hash, card_hash, sub_param, token_card, validate_card


def create_from_data(
    ctx: Ctx, data: dict[str, Any], param: str = "payment_method_data"
) -> pm_model.PaymentMethod:
    """A new PaymentMethod from validated `payment_method_data` (or PaymentMethod create) params."""
    type_ = data["type"]
    for other in pm_model.TYPES:
        if other != type_ and other in data:
            raise errors.HashForOtherType(
                other=other, noun="PaymentMethod", type=type_, param=sub_param(param, other)
            )
    if type_ == "link":
        pm = create_link_payment_method(ctx, data, param)
        if pm.id not in ctx.account.payment_methods:
            ctx.account.payment_methods.add(pm)
        return pm
    common = {
        "billing_details": data.get("billing_details"),
        "metadata": data.get("metadata"),
        "allow_redisplay": data.get("allow_redisplay"),
    }
    if type_ == "card":
        address = p.clean((data.get("billing_details") or {}).get("address") or {})
        tokenized = token_card(data.get("card"), param)
        if tokenized is not None:  # `card[token]=tok_…`: any key (a token holds no card data)
            return pm_model.from_test_card(ctx, tokenized, billing_address=address, **common)
        if not ctx.publishable:
            raise errors.RawCardDataRefused()
        profile, month, year = validate_card(ctx, data.get("card"), param)
        type_hash = card_hash(
            ctx, profile, month, year, cvc_given="cvc" in data["card"], billing_address=address
        )
        return pm_model.new_payment_method(ctx, "card", type_hash, card_profile=profile, **common)
    return pm_model.new_payment_method(
        ctx, "us_bank_account", bank_hash(ctx, data.get("us_bank_account"), param), **common
    )
