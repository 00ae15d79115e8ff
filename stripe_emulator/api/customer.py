"""Customer operations.

`invoice_settings[default_payment_method]` must be a PaymentMethod attached to the customer (on
create: the one `payment_method` attaches). A `pm_card_*` test token becomes a new, unattached
PaymentMethod, so it is refused like any unattached one.
Deleting a customer detaches its PaymentMethods (their `customer` becomes null; no
`payment_method.detached` events: [UNCONFIRMED] whether Stripe sends them then); retrieving it
afterwards answers the deleted stub, every other operation 404s.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import errors, render, testdata
from ..context import Ctx
from ..resources import event, payment_method
from ..resources.customer import CREATE, LIST, UPDATE, Customer, check_invoice_settings, find
from .payment_intent import filtered

__all__ = ["CREATE", "LIST", "UPDATE"]

_DEFAULT_PM = "invoice_settings[default_payment_method]"


def _check_default_payment_method(
    ctx: Ctx, params: dict[str, Any], customer_id: str | None, attaching: str | None = None
) -> None:
    """The default PaymentMethod must be attached to `customer_id` (or be `attaching`)."""
    pm_id = (params.get("invoice_settings") or {}).get("default_payment_method")
    if not isinstance(pm_id, str):  # not given, or "" (unset)
        return
    if testdata.card_for_payment_method(pm_id) is None and pm_id == attaching:
        return
    # A test token becomes a new PaymentMethod (dropped again when the request is refused).
    pm = payment_method.find(ctx, pm_id, param=_DEFAULT_PM)
    if customer_id is None or pm.customer != customer_id:
        raise errors.DefaultPaymentMethodNotAttached(pm=pm.id, param=_DEFAULT_PM)


def create_customer(ctx: Ctx, params: dict[str, Any]) -> Customer:
    check_invoice_settings(params)
    pm = None
    if "payment_method" in params:  # validate fully before anything is stored
        pm = payment_method.find(ctx, params["payment_method"], param="payment_method")
        if pm.customer is not None:
            raise errors.PaymentMethodAlreadyAttached()
        payment_method.check_attachable(pm)
    _check_default_payment_method(ctx, params, None, attaching=params.get("payment_method"))
    customer = Customer.create(ctx, params)
    ctx.account.customers.add(customer)
    event.record(ctx, "customer.created", customer)
    if pm is not None:
        payment_method.attach(ctx, pm, customer.id)
    return customer


def retrieve_customer(
    ctx: Ctx, params: dict[str, Any], customer_id: str
) -> Customer | dict[str, Any]:
    account = ctx.account
    if customer_id in account.deleted_customers and customer_id not in account.customers:
        return {"id": customer_id, "object": "customer", "deleted": True}
    return find(ctx, customer_id)


def update_customer(ctx: Ctx, params: dict[str, Any], customer_id: str) -> Customer:
    customer = find(ctx, customer_id)
    check_invoice_settings(params)
    _check_default_payment_method(ctx, params, customer.id)
    before = copy.deepcopy(customer.data)
    customer.apply(params)
    previous = event.previous_attributes(before, customer.data)
    if previous:
        event.record(ctx, "customer.updated", customer, previous)
    return customer


def delete_customer(ctx: Ctx, params: dict[str, Any], customer_id: str) -> dict[str, Any]:
    customer = find(ctx, customer_id)
    account = ctx.account
    for pm_id in list(account.pms_by_customer.newest_first(customer_id)):  # discards
        pm = account.payment_methods.get(pm_id)
        if pm is not None and pm.customer == customer_id:
            pm.data["customer"] = None
        account.pms_by_customer.discard(customer_id, pm_id)
    account.customers.remove(customer_id)
    account.deleted_customers.add(customer_id)
    event.record(ctx, "customer.deleted", customer)
    return customer.deleted_dict()


def list_customers(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    collection = ctx.account.customers
    objects = filtered(collection, params, ("email",))
    return render.page(ctx, objects, params, "/v1/customers", collection.__contains__)
