"""PaymentMethod operations (+ a customer's payment methods)."""

from __future__ import annotations

from typing import Any

from .. import errors, render
from .. import params as p
from ..context import Ctx
from ..resources import payment_method as pm_model
from ..resources import payment_method_data as pm_data
from ..resources.customer import find as find_customer
from ..resources.payment_method import CREATE, UPDATE, PaymentMethod

__all__ = ["ATTACH", "CREATE", "CUSTOMER_LIST", "DETACH", "LIST", "UPDATE"]

_TYPE_FILTER = p.Enum(*pm_model.ALL_TYPES)
LIST = p.list_spec(
    customer=p.Str(),
    customer_account=p.Str(),
    type=_TYPE_FILTER,
    allow_redisplay=pm_model.ALLOW_REDISPLAY,
)
CUSTOMER_LIST = p.list_spec(type=_TYPE_FILTER, allow_redisplay=pm_model.ALLOW_REDISPLAY)
ATTACH = p.Obj({"customer": p.Str(), "customer_account": p.Str(), "expand": p.EXPAND})
DETACH = p.Obj({"expand": p.EXPAND})


def create_payment_method(ctx: Ctx, params: dict[str, Any]) -> PaymentMethod:
    data = {k: v for k, v in params.items() if k != "expand"}
    return pm_data.create_from_data(ctx, data, param="")


def retrieve_payment_method(ctx: Ctx, params: dict[str, Any], payment_method: str) -> PaymentMethod:
    return pm_model.find(ctx, payment_method, param="payment_method")


def update_payment_method(ctx: Ctx, params: dict[str, Any], payment_method: str) -> PaymentMethod:
    pm = pm_model.find(ctx, payment_method, param="payment_method")
    return pm_model.update(ctx, pm, params)


def attach_payment_method(ctx: Ctx, params: dict[str, Any], payment_method: str) -> PaymentMethod:
    if "customer" not in params:
        raise errors.ParameterMissing("customer")
    if "customer_account" in params:
        raise errors.CustomerAccountsNotSupported()
    find_customer(ctx, params["customer"], param="customer")
    pm = pm_model.find(ctx, payment_method, param="payment_method")
    return pm_model.attach(ctx, pm, params["customer"])


def detach_payment_method(ctx: Ctx, params: dict[str, Any], payment_method: str) -> PaymentMethod:
    pm = pm_model.find(ctx, payment_method, param="payment_method")
    return pm_model.detach(ctx, pm)


def _customer_pms(ctx: Ctx, customer_id: str, params: dict[str, Any]):
    """A customer's PaymentMethods newest first, from the per-customer index (O(own PMs))."""
    account = ctx.account
    for pm_id in account.pms_by_customer.newest_first(customer_id):
        pm = account.payment_methods.get(pm_id)
        if pm is None or pm.customer != customer_id:
            continue
        if "type" in params and pm.type != params["type"]:
            continue
        if "allow_redisplay" in params and pm.data["allow_redisplay"] != params["allow_redisplay"]:
            continue
        yield pm


def list_payment_methods(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    if "customer_account" in params:
        raise errors.CustomerAccountsNotSupported()
    account = ctx.account
    if "customer" in params:
        customer_id = params["customer"]
        find_customer(ctx, customer_id, param="customer")
        objects = _customer_pms(ctx, customer_id, params)

        def contains(pm_id: str) -> bool:
            pm = account.payment_methods.get(pm_id)
            return pm is not None and pm.customer == customer_id

    else:
        objects = (
            pm
            for pm in account.payment_methods.newest_first()
            if ("type" not in params or pm.type == params["type"])
            and (
                "allow_redisplay" not in params
                or pm.data["allow_redisplay"] == params["allow_redisplay"]
            )
        )
        contains = account.payment_methods.__contains__
    return render.page(ctx, objects, params, "/v1/payment_methods", contains)


def list_customer_payment_methods(
    ctx: Ctx, params: dict[str, Any], customer_id: str
) -> dict[str, Any]:
    find_customer(ctx, customer_id, param="customer")
    account = ctx.account

    def contains(pm_id: str) -> bool:
        pm = account.payment_methods.get(pm_id)
        return pm is not None and pm.customer == customer_id

    url = f"/v1/customers/{customer_id}/payment_methods"
    return render.page(ctx, _customer_pms(ctx, customer_id, params), params, url, contains)


def retrieve_customer_payment_method(
    ctx: Ctx, params: dict[str, Any], customer_id: str, payment_method: str
) -> PaymentMethod:
    find_customer(ctx, customer_id, param="customer")
    pm = ctx.account.payment_methods.get(payment_method)
    if pm is None or pm.customer != customer_id:
        raise errors.ResourceMissing("PaymentMethod", payment_method, param="payment_method")
    return pm
