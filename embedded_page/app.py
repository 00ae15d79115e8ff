"""The guide's merchant integration ("Set up future Link payments"), in Python with Starlette.

The guide's `main.rb` and `Checkout.js`, restated: the official `stripe` library on the server,
Stripe.js in the browser, nothing else. Configured only by `Settings`, so it runs unchanged
against the offline emulator or real Stripe test mode.

    GET  /  /checkout      checkout page (Link Authentication, Address, Payment Elements)
    GET  /config           publishable key + which Stripe.js to load
    GET  /secret           a SetupIntent for the current customer -> {client_secret}
    GET  /order/complete   return_url: check the SetupIntent, set the Link cookie, redirect 307
    GET  /order/success    what was saved
    POST /webhook          verified Stripe events;  GET /webhook/events lists them
"""

from __future__ import annotations

import functools
import hmac
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .settings import Settings

log = logging.getLogger("embedded_page")

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

PERSISTENT_TOKEN_COOKIE = "stripe.link.persistent_token"
PERSISTENT_TOKEN_MAX_AGE = 90 * 24 * 60 * 60  # 90 days, in seconds
ENDIVE = (
    "2026-09-30"  # from here on intents take `allowed_payment_method_types` (STRIPE_FACTS §6.6)
)
PAYMENT_METHOD_TYPES = ["card", "link"]
SAVED_STATUSES = ("succeeded", "processing")
MAX_EVENTS = 1000
NO_STORE = {"Cache-Control": "no-store"}


class ReturnError(Exception):
    """The browser came back with a `setup_intent` we cannot accept; the message says why."""


class Merchant:
    """The server side of the guide: one StripeClient, the current customer, received events."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.api_version = settings.api_version or stripe.api_version
        self.client = stripe.StripeClient(
            settings.secret_key,
            base_addresses={"api": settings.api_base},
            stripe_version=settings.api_version,
            max_network_retries=2,
        )
        self._customer = settings.customer
        self._customer_lock = threading.Lock()
        self.events: OrderedDict[str, dict[str, Any]] = OrderedDict()

    # -- guide step 2: a Customer to save the payment method to --------------------------------

    def current_customer(self) -> str:
        """The configured customer, or one created on first use (the guide: no parameters)."""
        with self._customer_lock:
            if self._customer is None:
                self._customer = self.client.v1.customers.create().id
                log.info("created customer %s", self._customer)
            return self._customer

    # -- guide step 3 (+ step 10.3): the SetupIntent ---------------------------------------------

    def payment_method_types_param(self) -> dict[str, list[str]]:
        """Card and Link, spelled as the API version in use requires."""
        if self.api_version[:10] >= ENDIVE:
            return {"allowed_payment_method_types": PAYMENT_METHOD_TYPES}
        return {"payment_method_types": PAYMENT_METHOD_TYPES}

    def create_setup_intent(self, customer: str, persistent_token: str | None) -> Any:
        params: dict[str, Any] = {"customer": customer, **self.payment_method_types_param()}
        if persistent_token:
            params["payment_method_options"] = {"link": {"persistent_token": persistent_token}}
        return self.client.v1.setup_intents.create(params)

    # -- guide step 10.1: back from Stripe.js on the return_url ----------------------------------

    def returned_setup_intent(self, setup_intent: str | None, client_secret: str | None) -> Any:
        """The SetupIntent the browser came back with, its PaymentMethod expanded.

        The browser must also present the intent's client secret (Stripe.js appends
        `setup_intent_client_secret` to the return_url), so nobody can claim another
        browser's SetupIntent, and with it that customer's Link cookie.
        """
        if not setup_intent:
            raise ReturnError("The setup_intent query parameter is missing.")
        if not setup_intent.startswith("seti_") or not setup_intent[5:].isalnum():
            raise ReturnError(f"{setup_intent!r} is not a SetupIntent id (seti_…).")
        if not client_secret:
            raise ReturnError("The setup_intent_client_secret query parameter is missing.")
        intent = self.client.v1.setup_intents.retrieve(setup_intent, {"expand": ["payment_method"]})
        if not hmac.compare_digest(str(intent.client_secret or ""), client_secret):
            raise ReturnError("This SetupIntent was not created for this checkout.")
        return intent

    # -- webhooks ------------------------------------------------------------------------------

    def receive_event(self, event: Any) -> bool:
        """Keep a verified event; False if it was already received (Stripe may redeliver)."""
        if event.id in self.events:
            return False
        obj = event.data.object
        self.events[event.id] = {
            "id": event.id,
            "type": event.type,
            "created": event.created,
            "api_version": getattr(event, "api_version", None),
            "object": getattr(obj, "object", None),
            "object_id": getattr(obj, "id", None),
        }
        while len(self.events) > MAX_EVENTS:
            self.events.popitem(last=False)
        return True


# -- responses ---------------------------------------------------------------------------------


def error_json(status: int, type_: str, message: str, code: str | None = None) -> JSONResponse:
    """Stripe's error envelope (STYLE §4)."""
    error = {"type": type_, "message": message}
    if code:
        error["code"] = code
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


def generic_error() -> JSONResponse:
    return error_json(500, "api_error", "Something went wrong on our side. Please try again.")


def forwardable(exc: stripe.StripeError) -> bool:
    """Errors about the request the browser made (bad input, a declined card) go back to it;
    errors about our own setup (keys, network, Stripe outages) stay in our log."""
    return (
        isinstance(exc, stripe.InvalidRequestError | stripe.CardError | stripe.IdempotencyError)
        and 400 <= (exc.http_status or 0) < 500
    )


def stripe_error_json(exc: stripe.StripeError) -> JSONResponse:
    if forwardable(exc):
        type_ = exc.error.type if exc.error is not None else "invalid_request_error"
        return error_json(exc.http_status, type_, exc.user_message or "", exc.code)
    log.error("Stripe call failed: %s (request %s)", type(exc).__name__, exc.request_id)
    return generic_error()


def json_route(func: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """A JSON route: Stripe errors in Stripe's envelope, anything else a logged, generic 500."""

    @functools.wraps(func)
    def endpoint(request: Request) -> Response:
        try:
            return func(request)
        except stripe.StripeError as exc:
            return stripe_error_json(exc)
        except Exception:
            log.exception("unexpected error in %s", request.url.path)
            return generic_error()

    return endpoint


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    return templates.TemplateResponse(
        request,
        "error.html",
        {"title": title, "message": message},
        status_code=status,
        headers=NO_STORE,
    )


def page_route(func: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """An HTML route: a clear 400 page for a bad return, a generic 500 page otherwise."""

    @functools.wraps(func)
    def endpoint(request: Request) -> Response:
        try:
            return func(request)
        except ReturnError as exc:
            return error_page(request, 400, "We could not find that setup", str(exc))
        except stripe.StripeError as exc:
            if forwardable(exc):
                return error_page(
                    request, 400, "We could not find that setup", exc.user_message or ""
                )
            log.error("Stripe call failed: %s (request %s)", type(exc).__name__, exc.request_id)
        except Exception:
            log.exception("unexpected error in %s", request.url.path)
        return error_page(
            request,
            500,
            "Something went wrong",
            "Something went wrong on our side. Please try again.",
        )

    return endpoint


def back_to_checkout(intent: Any) -> Response:
    """307 to the checkout page, which asks Stripe.js why this SetupIntent was not saved
    (`stripe.retrieveSetupIntent`) and shows `last_setup_error.message`."""
    query = urlencode({"setup_intent_client_secret": intent.client_secret})
    return RedirectResponse(f"/checkout?{query}", status_code=307)


def returned_setup_intent(request: Request) -> Any:
    """The SetupIntent named by the return_url's `setup_intent` and its client secret."""
    merchant: Merchant = request.app.state.merchant
    query = request.query_params
    return merchant.returned_setup_intent(
        query.get("setup_intent"), query.get("setup_intent_client_secret")
    )


# -- routes --------------------------------------------------------------------------------------


def checkout(request: Request) -> Response:
    """The checkout page. `?email=`, `?name=`, `?phone=` stand in for what the merchant already
    knows about the customer; `?customer=` selects another of the account's customers."""
    query = request.query_params
    defaults = {key: query.get(key) or None for key in ("email", "name", "phone", "customer")}
    return templates.TemplateResponse(request, "checkout.html", {"defaults": defaults})


def config(request: Request) -> Response:
    settings: Settings = request.app.state.merchant.settings
    return JSONResponse(
        {
            "publishableKey": settings.publishable_key,
            "stripeJsUrl": settings.js_url,
            "apiVersion": settings.api_version,
        }
    )


@json_route
def secret(request: Request) -> Response:
    """Guide step 3: create the SetupIntent, hand only its client secret to the browser."""
    merchant: Merchant = request.app.state.merchant
    customer = request.query_params.get("customer") or merchant.current_customer()
    intent = merchant.create_setup_intent(customer, request.cookies.get(PERSISTENT_TOKEN_COOKIE))
    return JSONResponse({"client_secret": intent.client_secret}, headers=NO_STORE)


@page_route
def order_complete(request: Request) -> Response:
    """Guide step 10: the return_url. Saved -> remember the Link session, go to success."""
    intent = returned_setup_intent(request)
    if intent.status not in SAVED_STATUSES:
        return back_to_checkout(intent)
    success = "/order/success?" + urlencode(
        {"setup_intent": intent.id, "setup_intent_client_secret": intent.client_secret}
    )
    response = RedirectResponse(success, status_code=307)
    payment_method = intent.payment_method
    link = getattr(payment_method, "link", None) if payment_method else None
    token = getattr(link, "persistent_token", None) if link else None
    if token:
        response.set_cookie(
            PERSISTENT_TOKEN_COOKIE,
            token,
            max_age=PERSISTENT_TOKEN_MAX_AGE,
            expires=PERSISTENT_TOKEN_MAX_AGE,
            path="/",
            secure=True,
            httponly=True,
            samesite="strict",
        )
    return response


@page_route
def order_success(request: Request) -> Response:
    intent = returned_setup_intent(request)
    if intent.status not in SAVED_STATUSES:
        return back_to_checkout(intent)
    payment_method = intent.payment_method
    saved: dict[str, Any] = {
        "setup_intent": intent.id,
        "status": intent.status,
        "customer": intent.customer,
        "payment_method": payment_method.id if payment_method else None,
        "type": payment_method.type if payment_method else None,
    }
    if payment_method is not None and payment_method.type == "link":
        saved["email"] = payment_method.link.email
    elif payment_method is not None and payment_method.type == "card":
        saved["brand"] = payment_method.card.brand
        saved["last4"] = payment_method.card.last4
    return templates.TemplateResponse(request, "success.html", {"saved": saved}, headers=NO_STORE)


async def webhook(request: Request) -> Response:
    """Verify the `Stripe-Signature` header, then keep the event."""
    merchant: Merchant = request.app.state.merchant
    secret_ = merchant.settings.webhook_secret
    if not secret_:
        log.error("webhook received but STRIPE_WEBHOOK_SECRET is not set")
        return error_json(
            500, "api_error", "This endpoint has no webhook signing secret configured."
        )
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("stripe-signature"), secret_
        )
    except stripe.SignatureVerificationError as exc:
        return error_json(400, "invalid_request_error", exc.user_message or "Invalid signature.")
    except (ValueError, AttributeError):  # signed, but not a JSON Stripe event
        return error_json(400, "invalid_request_error", "The payload is not a Stripe event.")
    try:
        fresh = merchant.receive_event(event)
    except Exception:
        log.exception("could not keep webhook event")
        return generic_error()
    log.info("webhook %s %s%s", event.id, event.type, "" if fresh else " (again)")
    return JSONResponse({"received": True})


async def webhook_events(request: Request) -> Response:
    """The events received so far, oldest first (for the notebooks)."""
    merchant: Merchant = request.app.state.merchant
    return JSONResponse(
        {"object": "list", "data": list(merchant.events.values())}, headers=NO_STORE
    )


def create_app(settings: Settings | None = None) -> Starlette:
    """The page as an ASGI app; settings from the environment unless given (tests inject them)."""
    merchant = Merchant(settings or Settings.from_env())
    app = Starlette(
        routes=[
            Route("/", checkout, methods=["GET"], name="home"),
            Route("/checkout", checkout, methods=["GET"], name="checkout"),
            Route("/config", config, methods=["GET"]),
            Route("/secret", secret, methods=["GET"]),
            Route("/order/complete", order_complete, methods=["GET"]),
            Route("/order/success", order_success, methods=["GET"]),
            Route("/webhook", webhook, methods=["POST"]),
            Route("/webhook/events", webhook_events, methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
    )
    app.state.merchant = merchant
    return app
