"""The guide's merchant integration ("Set up future Link payments"), in Python with Starlette.

The guide's `main.rb` and `Checkout.js`, restated: the official `stripe` library on the server,
Stripe.js in the browser, nothing else. Configured only by `Settings`, so it runs unchanged
against the offline emulator or real Stripe test mode.

    GET  /  /checkout      checkout page (Link Authentication, Address, Payment Elements)
    GET  /react            the same checkout in the guide's React (react_page.py, `make react`)
    GET  /config           publishable key, which Stripe.js to load, API version, return_url
    GET  /secret           a SetupIntent for this browser's customer -> {client_secret}
    GET  /order/complete   return_url: check the SetupIntent, set the Link cookie, redirect 307
    GET  /order/success    what was saved
    GET  /payment/complete return_url of a payment finished on session (after authentication)
    GET  /login/{token}    a one-time login link: this browser checks out as that customer
    POST /webhook          verified Stripe events (webhooks.py)
    /back_office/…            the back office the notebooks use, with the secret key (back_office.py)

Which Customer a browser saves to comes from its session (sessions.py), never from a parameter.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import stripe
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import back_office, react_page
from .body_limit import BodyLimitMiddleware
from .hosts import HostCheckMiddleware
from .request_log import RequestEntries, RequestLogMiddleware
from .responses import NO_STORE, ReturnError, error_page, json_route, page_route, templates
from .sessions import SESSION_COOKIE, SESSION_MAX_AGE, Session, Sessions
from .settings import Settings
from .webhooks import ReceivedEvents, webhook

log = logging.getLogger("embedded_page")

HERE = Path(__file__).parent

PERSISTENT_TOKEN_COOKIE = "stripe.link.persistent_token"
PERSISTENT_TOKEN_MAX_AGE = 90 * 24 * 60 * 60  # 90 days, in seconds
# From this API version on, intents take `allowed_payment_method_types` and refuse
# `payment_method_types` (https://docs.stripe.com/changelog/endive/2026-09-30/
# removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents).
ENDIVE = "2026-09-30"
PAYMENT_METHOD_TYPES = ["card", "link"]
SAVED_STATUSES = ("succeeded", "processing")


class Merchant:
    """The server side of the guide: one StripeClient, customers' sessions, received events."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.api_version = settings.api_version or stripe.api_version
        self.client = stripe.StripeClient(
            settings.secret_key,
            base_addresses={"api": settings.api_base},
            stripe_version=settings.api_version,
            max_network_retries=2,
        )
        self.sessions = Sessions()
        self.events = ReceivedEvents()

    # -- guide step 2: a Customer to save the payment method to --------------------------------

    def session_for(self, request: Request) -> Session:
        """This browser's session, and with it its Customer (`.new`: its cookie is to be set).

        A logged-in browser keeps its Customer. A new one becomes a new guest Customer (the
        guide's `POST /v1/customers` with no parameters), or the configured STRIPE_CUSTOMER.
        So does a browser whose session's account changed under it (see `_still_current`)."""
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is not None and self._still_current(session):
            return session
        if session is not None:
            self.sessions.end(session.id)
        return self._new_session()

    def _new_session(self) -> Session:
        customer = self.settings.customer or self.client.v1.customers.create().id
        log.info("new session for customer %s", customer)
        return self.sessions.start_session(customer)

    def _still_current(self, session: Session) -> bool:
        """Whether the last SetupIntent made for this session is still there, with its client
        secret and Customer. After a reset of the (emulator's) account it is gone, or its id
        names another object: the session's Customer id may by then name someone else's Customer
        (ids repeat after a reset), so the session must not be used again. One GET, only for a
        session that asks for a second SetupIntent."""
        if session.intent is None:
            return True
        intent_id, client_secret = session.intent
        try:
            intent = self.client.v1.setup_intents.retrieve(intent_id)
        except stripe.InvalidRequestError as exc:
            if exc.code == "resource_missing":
                log.info("session of customer %s ended: its SetupIntent is gone", session.customer)
                return False
            raise
        same = hmac.compare_digest(str(intent.client_secret or ""), client_secret)
        return same and intent.customer == session.customer

    # -- guide step 3 (+ step 10.3): the SetupIntent ---------------------------------------------

    def payment_method_types_param(self) -> dict[str, list[str]]:
        """Card and Link, spelled as the API version in use requires."""
        if self.api_version[:10] >= ENDIVE:
            return {"allowed_payment_method_types": PAYMENT_METHOD_TYPES}
        return {"payment_method_types": PAYMENT_METHOD_TYPES}

    def create_setup_intent(self, session: Session, persistent_token: str | None) -> Any:
        """A SetupIntent for the session's Customer. A session whose Customer has gone (its
        account was reset before it made any SetupIntent) moves to a new guest Customer."""
        try:
            intent = self._create_setup_intent(session.customer, persistent_token)
        except stripe.InvalidRequestError as exc:
            if exc.code != "resource_missing" or exc.param != "customer" or self.settings.customer:
                raise
            self.sessions.end(session.id)
            fresh = self._new_session()
            session.id, session.customer, session.new = fresh.id, fresh.customer, True
            intent = self._create_setup_intent(session.customer, persistent_token)
        self.sessions.saw_intent(session, intent.id, intent.client_secret)
        return intent

    def _create_setup_intent(self, customer: str, persistent_token: str | None) -> Any:
        params: dict[str, Any] = {"customer": customer, **self.payment_method_types_param()}
        if persistent_token:
            params["payment_method_options"] = {"link": {"persistent_token": persistent_token}}
        return self.client.v1.setup_intents.create(params)

    # -- guide step 10.1: back from Stripe.js on the return_url ----------------------------------

    def returned_setup_intent(self, request: Request) -> Any:
        """The SetupIntent the browser came back with, its PaymentMethod expanded.

        The browser must present the intent's client secret (Stripe.js appends
        `setup_intent_client_secret` to the return_url), and the intent must belong to this
        browser's customer, so nobody can claim another browser's SetupIntent, and with it that
        customer's Link cookie.
        """
        query = request.query_params
        setup_intent = query.get("setup_intent")
        client_secret = query.get("setup_intent_client_secret")
        if not setup_intent:
            raise ReturnError("The setup_intent query parameter is missing.")
        if not setup_intent.startswith("seti_") or not setup_intent[5:].isalnum():
            raise ReturnError(f"{setup_intent!r} is not a SetupIntent id (seti_…).")
        if not client_secret:
            raise ReturnError("The setup_intent_client_secret query parameter is missing.")
        intent = self.client.v1.setup_intents.retrieve(setup_intent, {"expand": ["payment_method"]})
        if not hmac.compare_digest(str(intent.client_secret or ""), client_secret):
            raise ReturnError("This SetupIntent was not created for this checkout.")
        customer = self.sessions.customer_of(request.cookies.get(SESSION_COOKIE))
        if customer is not None and intent.customer != customer:
            raise ReturnError("This SetupIntent belongs to another customer.")
        return intent


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=SESSION_MAX_AGE,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",  # sent when the customer arrives from a link, unlike "strict"
    )


# The checkout pages a return_url may name with `?checkout=` (the React page adds
# `checkout=react`): a failed setup goes back to the page the customer used, never elsewhere.
CHECKOUT_PAGES = {"checkout": "/checkout", "react": "/react"}


def checkout_page(request: Request) -> str:
    """`checkout` of the return_url's query: the page to go back to (/checkout by default)."""
    return CHECKOUT_PAGES.get(request.query_params.get("checkout", ""), "/checkout")


def back_to_checkout(request: Request, intent: Any) -> Response:
    """307 to the checkout page the customer came from, which asks Stripe.js why this
    SetupIntent was not saved (`stripe.retrieveSetupIntent`) and shows
    `last_setup_error.message`."""
    query = urlencode({"setup_intent_client_secret": intent.client_secret})
    return RedirectResponse(f"{checkout_page(request)}?{query}", status_code=307)


# -- routes --------------------------------------------------------------------------------------


def checkout(request: Request) -> Response:
    """The checkout page. `?email=`, `?name=`, `?phone=` stand in for what the merchant already
    knows about the customer (prefill only: they choose nothing)."""
    query = request.query_params
    defaults = {key: query.get(key) or None for key in ("email", "name", "phone")}
    return templates.TemplateResponse(request, "checkout.html", {"defaults": defaults})


def config(request: Request) -> Response:
    settings: Settings = request.app.state.merchant.settings
    return JSONResponse(
        {
            "publishableKey": settings.publishable_key,
            "stripeJsUrl": settings.js_url,
            "apiVersion": settings.api_version,
            "returnUrl": "/order/complete",  # relative: the browser resolves it on its origin
        }
    )


@json_route
def secret(request: Request) -> Response:
    """Guide step 3: create the SetupIntent, hand only its client secret to the browser."""
    merchant: Merchant = request.app.state.merchant
    session = merchant.session_for(request)  # this browser's session and its Customer
    intent = merchant.create_setup_intent(session, request.cookies.get(PERSISTENT_TOKEN_COOKIE))
    response = JSONResponse({"client_secret": intent.client_secret}, headers=NO_STORE)
    if session.new:
        set_session_cookie(response, session.id)
    return response


def login(request: Request) -> Response:
    """A one-time login link from the back office: this browser now checks out as its customer."""
    merchant: Merchant = request.app.state.merchant
    link = merchant.sessions.redeem_login_link(request.path_params["token"])
    if link is None:
        return error_page(
            request,
            400,
            "This login link does not work",
            "It was used already, has expired or never existed. Ask for a new one.",
        )
    response = RedirectResponse(link.next_path, status_code=303, headers=NO_STORE)
    set_session_cookie(response, merchant.sessions.start(link.customer))
    return response


@page_route
def order_complete(request: Request) -> Response:
    """Guide step 10: the return_url. Saved -> remember the Link session, go to success."""
    intent = request.app.state.merchant.returned_setup_intent(request)
    if intent.status not in SAVED_STATUSES:
        return back_to_checkout(request, intent)
    returned = {"setup_intent": intent.id, "setup_intent_client_secret": intent.client_secret}
    if checkout_page(request) != "/checkout":  # the success page may send back there too
        returned["checkout"] = request.query_params["checkout"]
    success = "/order/success?" + urlencode(returned)
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
    intent = request.app.state.merchant.returned_setup_intent(request)
    if intent.status not in SAVED_STATUSES:
        return back_to_checkout(request, intent)
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


@page_route
def payment_complete(request: Request) -> Response:
    """The return_url of a payment the customer came back to finish on session (e.g. after an
    off-session charge needed authentication): what became of the PaymentIntent."""
    merchant: Merchant = request.app.state.merchant
    query = request.query_params
    intent_id = query.get("payment_intent") or ""
    if not intent_id.startswith("pi_") or not intent_id[3:].isalnum():
        raise ReturnError("The payment_intent query parameter is missing or malformed.")
    intent = merchant.client.v1.payment_intents.retrieve(intent_id)
    secret_ = query.get("payment_intent_client_secret") or ""
    if not hmac.compare_digest(str(intent.client_secret or ""), secret_):
        raise ReturnError("This PaymentIntent was not created for this payment.")
    customer = merchant.sessions.customer_of(request.cookies.get(SESSION_COOKIE))
    if customer is not None and intent.customer != customer:
        raise ReturnError("This PaymentIntent belongs to another customer.")
    paid = {
        "payment_intent": intent.id,
        "status": intent.status,
        "amount": f"{intent.amount / 100:.2f} {intent.currency.upper()}",
    }
    return templates.TemplateResponse(request, "payment.html", {"paid": paid}, headers=NO_STORE)


def create_app(settings: Settings | None = None) -> Starlette:
    """The page as an ASGI app; settings from the environment unless given (tests inject them)."""
    merchant = Merchant(settings or Settings.from_env())
    requests = RequestEntries()
    app = Starlette(
        routes=[
            Route("/", checkout, methods=["GET"], name="home"),
            Route("/checkout", checkout, methods=["GET"], name="checkout"),
            Route("/config", config, methods=["GET"]),
            Route("/secret", secret, methods=["GET"]),
            Route("/order/complete", order_complete, methods=["GET"]),
            Route("/order/success", order_success, methods=["GET"]),
            Route("/payment/complete", payment_complete, methods=["GET"]),
            Route("/login/{token}", login, methods=["GET"]),
            Route("/webhook", webhook, methods=["POST"]),
            *back_office.ROUTES,
            *react_page.ROUTES,
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        middleware=[
            Middleware(HostCheckMiddleware, allowed_hosts=merchant.settings.allowed_hosts),
            Middleware(BodyLimitMiddleware),
            Middleware(RequestLogMiddleware, entries=requests),
        ],
    )
    app.state.merchant = merchant
    app.state.request_log = requests
    return app
