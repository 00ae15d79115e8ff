"""Customer operations."""

from __future__ import annotations

from typing import Any

from .. import render
from ..context import Ctx
from ..resources import event
from ..resources.customer import CREATE, LIST, UPDATE, Customer, find

__all__ = ["CREATE", "LIST", "UPDATE"]


def create_customer(ctx: Ctx, params: dict[str, Any]) -> Customer:
    if "payment_method" in params:
        from ..resources.payment_method import find as find_pm

        find_pm(ctx, params["payment_method"], param="payment_method")
    customer = Customer.create(ctx, params)
    ctx.account.customers.add(customer)
    event.record(ctx, "customer.created", customer)
    if "payment_method" in params:
        from ..resources.payment_method import attach

        attach(ctx, params["payment_method"], customer.id)
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
