"""Charge operations: retrieve and list (charges are created by PaymentIntents)."""

from __future__ import annotations

from typing import Any

from .. import render
from ..context import Ctx
from ..resources.charge import LIST, Charge, find
from .payment_intent import filtered

__all__ = ["LIST"]


def retrieve_charge(ctx: Ctx, params: dict[str, Any], charge: str) -> Charge:
    return find(ctx, charge)


def list_charges(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    collection = ctx.account.charges
    objects = filtered(collection, params, ("customer", "payment_intent", "transfer_group"))
    return render.page(ctx, objects, params, "/v1/charges", collection.__contains__)
