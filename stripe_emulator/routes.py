"""The route table: (method, path, handler, params spec), in Stripe API-reference order.

Literal paths come before `{id}` templates. `publishable=True` marks what Stripe.js may call
with a publishable key; everything else requires a secret key.
Each resource's routes live in its own block below; add a block rather than editing another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import params as p
from .api import customer

NO_PARAMS = p.Obj({})
EXPAND_ONLY = p.Obj({"expand": p.EXPAND})


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable
    spec: p.Obj
    publishable: bool = False


CUSTOMER_ROUTES = [
    Route("POST", "/v1/customers", customer.create_customer, customer.CREATE),
    Route("GET", "/v1/customers", customer.list_customers, customer.LIST),
    Route("GET", "/v1/customers/{customer_id}", customer.retrieve_customer, EXPAND_ONLY),
    Route("POST", "/v1/customers/{customer_id}", customer.update_customer, customer.UPDATE),
    Route("DELETE", "/v1/customers/{customer_id}", customer.delete_customer, NO_PARAMS),
]

# Each block is owned by one module; they are concatenated in API-reference order.
PAYMENT_METHOD_ROUTES: list[Route] = []  # PaymentMethods (+ /v1/customers/{id}/payment_methods)
SETUP_INTENT_ROUTES: list[Route] = []  # SetupIntents, SetupAttempts
PAYMENT_INTENT_ROUTES: list[Route] = []  # PaymentIntents, Charges
EVENT_ROUTES: list[Route] = []  # Events, WebhookEndpoints
LINK_ROUTES: list[Route] = []  # /v1/consumers/... (Stripe.js's Link calls)

ROUTES: list[Route] = (
    CUSTOMER_ROUTES
    + PAYMENT_METHOD_ROUTES
    + SETUP_INTENT_ROUTES
    + PAYMENT_INTENT_ROUTES
    + EVENT_ROUTES
    + LINK_ROUTES
)
