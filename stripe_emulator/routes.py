"""Every route the emulator answers: one list (`ROUTES`), matched by router.py.

Each entry is (method, path, handler, params spec). The path's prefix picks its surface
(surfaces.py), which decides the pipeline steps and the error format, and the handler's shape:
- api (`/v1/…`, in Stripe API-reference order): `handler(ctx, params, **path_params)` returns a
  Resource or a dict; `publishable=True` marks what Stripe.js may call with a publishable key;
  everything else requires a secret key.
- control (`/_emulator/…`): `handler(call, params)` returns the JSON body; `keyless=True`: no key.
- page (the 3-D Secure test page) and asset (Stripe.js): `handler(call)` returns the Response.
Literal paths come before `{id}` templates. Each resource's routes live in its own block below;
add a block rather than editing another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import control, stripejs, threeds
from . import params as p
from .api import charge as charge_api
from .api import customer, event, link, webhook_endpoint
from .api import payment_intent as pi_api
from .api import payment_method as pm_api
from .api import setup_intent as si_api

NO_PARAMS = p.Obj({})
EXPAND_ONLY = p.Obj({"expand": p.EXPAND})


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable
    spec: p.Obj | None = None  # None: the handler reads no parameters (page, asset)
    publishable: bool = False
    keyless: bool = False  # answered without a key (health)


CUSTOMER_ROUTES = [
    Route("POST", "/v1/customers", customer.create_customer, customer.CREATE),
    Route("GET", "/v1/customers", customer.list_customers, customer.LIST),
    Route("GET", "/v1/customers/{customer_id}", customer.retrieve_customer, EXPAND_ONLY),
    Route("POST", "/v1/customers/{customer_id}", customer.update_customer, customer.UPDATE),
    Route("DELETE", "/v1/customers/{customer_id}", customer.delete_customer, NO_PARAMS),
]

# Each block is owned by one module; they are concatenated in API-reference order.
PAYMENT_METHOD_ROUTES: list[Route] = [  # PaymentMethods (+ /v1/customers/{id}/payment_methods)
    Route("POST", "/v1/payment_methods", pm_api.create_payment_method, pm_api.CREATE, True),
    Route("GET", "/v1/payment_methods", pm_api.list_payment_methods, pm_api.LIST),
    Route(
        "GET",
        "/v1/payment_methods/{payment_method}",
        pm_api.retrieve_payment_method,
        EXPAND_ONLY,
    ),
    Route(
        "POST",
        "/v1/payment_methods/{payment_method}",
        pm_api.update_payment_method,
        pm_api.UPDATE,
    ),
    Route(
        "POST",
        "/v1/payment_methods/{payment_method}/attach",
        pm_api.attach_payment_method,
        pm_api.ATTACH,
    ),
    Route(
        "POST",
        "/v1/payment_methods/{payment_method}/detach",
        pm_api.detach_payment_method,
        pm_api.DETACH,
    ),
    Route(
        "GET",
        "/v1/customers/{customer_id}/payment_methods",
        pm_api.list_customer_payment_methods,
        pm_api.CUSTOMER_LIST,
    ),
    Route(
        "GET",
        "/v1/customers/{customer_id}/payment_methods/{payment_method}",
        pm_api.retrieve_customer_payment_method,
        EXPAND_ONLY,
    ),
]
SETUP_INTENT_ROUTES: list[Route] = [  # SetupIntents, SetupAttempts
    Route("POST", "/v1/setup_intents", si_api.create_setup_intent, si_api.CREATE),
    Route("GET", "/v1/setup_intents", si_api.list_setup_intents, si_api.LIST),
    Route("GET", "/v1/setup_intents/{intent}", si_api.retrieve_setup_intent, si_api.RETRIEVE, True),
    Route("POST", "/v1/setup_intents/{intent}", si_api.update_setup_intent, si_api.UPDATE),
    Route(
        "POST",
        "/v1/setup_intents/{intent}/confirm",
        si_api.confirm_setup_intent,
        si_api.CONFIRM,
        True,
    ),
    Route("POST", "/v1/setup_intents/{intent}/cancel", si_api.cancel_setup_intent, si_api.CANCEL),
    Route("GET", "/v1/setup_attempts", si_api.list_setup_attempts, si_api.ATTEMPT_LIST),
]
PAYMENT_INTENT_ROUTES: list[Route] = [  # PaymentIntents, Charges
    Route("POST", "/v1/payment_intents", pi_api.create_payment_intent, pi_api.CREATE),
    Route("GET", "/v1/payment_intents", pi_api.list_payment_intents, pi_api.LIST),
    Route(
        "GET",
        "/v1/payment_intents/{intent}",
        pi_api.retrieve_payment_intent,
        pi_api.RETRIEVE,
        publishable=True,
    ),
    Route("POST", "/v1/payment_intents/{intent}", pi_api.update_payment_intent, pi_api.UPDATE),
    Route(
        "POST",
        "/v1/payment_intents/{intent}/confirm",
        pi_api.confirm_payment_intent,
        pi_api.CONFIRM,
        publishable=True,
    ),
    Route(
        "POST",
        "/v1/payment_intents/{intent}/capture",
        pi_api.capture_payment_intent,
        pi_api.CAPTURE,
    ),
    Route(
        "POST", "/v1/payment_intents/{intent}/cancel", pi_api.cancel_payment_intent, pi_api.CANCEL
    ),
    Route("GET", "/v1/charges", charge_api.list_charges, charge_api.LIST),
    Route("GET", "/v1/charges/{charge}", charge_api.retrieve_charge, EXPAND_ONLY),
]
EVENT_ROUTES: list[Route] = [  # Events, WebhookEndpoints
    Route("GET", "/v1/events", event.list_events, event.LIST),
    Route("GET", "/v1/events/{event_id}", event.retrieve_event, EXPAND_ONLY),
    Route("POST", "/v1/events/{event_id}/retry", event.retry_event, event.RETRY),
    Route(
        "POST",
        "/v1/webhook_endpoints",
        webhook_endpoint.create_webhook_endpoint,
        webhook_endpoint.CREATE,
    ),
    Route(
        "GET",
        "/v1/webhook_endpoints",
        webhook_endpoint.list_webhook_endpoints,
        webhook_endpoint.LIST,
    ),
    Route(
        "GET",
        "/v1/webhook_endpoints/{webhook_endpoint_id}",
        webhook_endpoint.retrieve_webhook_endpoint,
        EXPAND_ONLY,
    ),
    Route(
        "POST",
        "/v1/webhook_endpoints/{webhook_endpoint_id}",
        webhook_endpoint.update_webhook_endpoint,
        webhook_endpoint.UPDATE,
    ),
    Route(
        "DELETE",
        "/v1/webhook_endpoints/{webhook_endpoint_id}",
        webhook_endpoint.delete_webhook_endpoint,
        NO_PARAMS,
    ),
]
LINK_ROUTES: list[Route] = [  # /v1/consumers/... (Stripe.js's Link calls)
    Route("POST", "/v1/consumers/sessions/lookup", link.lookup_consumer_session, link.LOOKUP, True),
    Route(
        "POST",
        "/v1/consumers/sessions/start_verification",
        link.start_verification,
        link.START_VERIFICATION,
        True,
    ),
    Route(
        "POST",
        "/v1/consumers/sessions/confirm_verification",
        link.confirm_verification,
        link.CONFIRM_VERIFICATION,
        True,
    ),
    Route("POST", "/v1/consumers/accounts/sign_up", link.sign_up, link.SIGN_UP, True),
    Route(
        "POST",
        "/v1/consumers/payment_details",
        link.create_payment_details,
        link.CREATE_PAYMENT_DETAILS,
        True,
    ),
    Route(
        "POST",
        "/v1/consumers/payment_details/list",
        link.list_payment_details,
        link.LIST_PAYMENT_DETAILS,
        True,
    ),
    Route(
        "POST",
        "/v1/consumers/shipping_addresses",
        link.create_shipping_address,
        link.CREATE_SHIPPING_ADDRESS,
        True,
    ),
    Route(
        "POST",
        "/v1/consumers/shipping_addresses/list",
        link.list_shipping_addresses,
        link.LIST_SHIPPING_ADDRESSES,
        True,
    ),
]

CONTROL_ROUTES: list[Route] = [  # /_emulator/... (control.py)
    Route("GET", "/_emulator/health", control.health, NO_PARAMS, keyless=True),
    Route("POST", "/_emulator/reset", control.reset, control.RESET),
    Route("GET", "/_emulator/requests", control.request_log, control.LOG_LIMIT),
    Route("GET", "/_emulator/deliveries", control.deliveries, control.LOG_LIMIT),
    Route("GET", "/_emulator/clock", control.get_clock, NO_PARAMS),
    Route("POST", "/_emulator/clock", control.set_clock, control.CLOCK),
]
THREE_DS_PAGE_ROUTES: list[Route] = [  # the test 3-D Secure page (threeds.py)
    Route("GET", threeds.PREFIX + "{intent_id}", threeds.show_challenge),
    Route("POST", threeds.PREFIX + "{intent_id}", threeds.submit_choice),
]
STRIPE_JS_ROUTES: list[Route] = [  # the Stripe.js stand-in (stripejs/); HEAD answers as GET
    Route("GET", "/v3", stripejs.script),
    Route("GET", "/v3/", stripejs.script),
    Route("GET", "/endive/stripe.js", stripejs.script),
    Route("GET", "/v3/three-ds-2-challenge.html", stripejs.three_ds_modal),
    Route("GET", "/v3/static/{name}", stripejs.static_file),
    Route("GET", "/v3/elements-inner-{type}.html", stripejs.element_frame),
]

API_ROUTES: list[Route] = (
    CUSTOMER_ROUTES
    + PAYMENT_METHOD_ROUTES
    + SETUP_INTENT_ROUTES
    + PAYMENT_INTENT_ROUTES
    + EVENT_ROUTES
    + LINK_ROUTES
)
ROUTES: list[Route] = API_ROUTES + CONTROL_ROUTES + THREE_DS_PAGE_ROUTES + STRIPE_JS_ROUTES
