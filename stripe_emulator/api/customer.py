"""Customer operations."""

from __future__ import annotations

from typing import Any

from .. import errors, render
from ..context import Ctx
from ..resources import event, payment_method
from ..resources.customer import CREATE, LIST, UPDATE, Customer, find

__all__ = ["CREATE", "LIST", "UPDATE"]


def create_customer(ctx: Ctx, params: dict[str, Any]) -> Customer:
    pm = None
    if "payment_method" in params:  # validate fully before anything is stored
        pm = payment_method.find(ctx, params["payment_method"], param="payment_method")
        if pm.customer is not None:
            raise errors.InvalidRequest(
                "The payment method you provided has already been attached to a customer.",
                param="payment_method",
            )
        payment_method.check_attachable(pm)
    customer = Customer.create(ctx, params)
    ctx.account.customers.add(customer)
    event.record(ctx, "customer.created", customer)
    if pm is not None:
        payment_method.attach(ctx, pm, customer.id)
    return customer


def retrieve_customer(ctx: Ctx, params: dict[str, Any], customer_id: str) -> Customer:
    return find(ctx, customer_id)


def update_customer(ctx: Ctx, params: dict[str, Any], customer_id: str) -> Customer:
    customer = find(ctx, customer_id)
    before = dict(customer.data)
    customer.apply(params)
    previous = {k: v for k, v in before.items() if customer.data.get(k) != v}
    if previous:
        event.record(ctx, "customer.updated", customer, previous)
    return customer


def delete_customer(ctx: Ctx, params: dict[str, Any], customer_id: str) -> dict[str, Any]:
    customer = find(ctx, customer_id)
    ctx.account.customers.remove(customer_id)
    event.record(ctx, "customer.deleted", customer)
    return customer.deleted_dict()


def list_customers(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    objects = ctx.account.customers.newest_first()
    if "email" in params:
        objects = (c for c in objects if c.data["email"] == params["email"])
    return render.page(ctx, objects, params, "/v1/customers", ctx.account.customers.__contains__)
