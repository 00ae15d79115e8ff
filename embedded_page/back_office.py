"""The merchant's back office: routes the notebooks call, never the customer's browser.

    POST /back_office/login_links   customer=cus_…[&next=/checkout?…] -> {url, expires_in}
    GET  /back_office/requests      this server's request log (masked), oldest first
    GET  /back_office/events        the webhook events received, oldest first

A real merchant logs customers in with its own accounts and reads its own logs; Link Lab's
notebooks play that back office, and prove it with the Stripe secret key the page already holds
(`Authorization: Bearer sk_test_…`), compared in constant time. A browser on another site
cannot send that header here (no CORS is offered), and nothing here is reachable without it.
The customer's side of a login link is `GET /login/{token}` in `app.py`.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .responses import NO_STORE, error_json, json_route
from .sessions import safe_next_path

if TYPE_CHECKING:
    from .app import Merchant

MAX_BODY = 8 * 1024  # form posts here are a few short fields
UNAUTHORIZED = (
    "This back-office route needs the page's Stripe secret key as a Bearer token "
    "(Authorization: Bearer sk_test_…)."
)


def _authorized(request: Request) -> bool:
    merchant: Merchant = request.app.state.merchant
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), merchant.settings.secret_key.encode())


def back_office_route(func):
    """Back-office JSON route: 401 without the secret key, Stripe's envelope for errors."""
    wrapped = json_route(func)

    async def endpoint(request: Request) -> Response:
        if not _authorized(request):
            return error_json(401, "invalid_request_error", UNAUTHORIZED)
        body = await request.body() if request.method == "POST" else b""
        if len(body) > MAX_BODY:
            return error_json(400, "invalid_request_error", "The request body is too large.")
        request.state.form = dict(parse_qsl(body.decode("utf-8", "replace")))
        return await run_in_threadpool(wrapped, request)  # Stripe calls block: not on the loop

    endpoint.__name__ = func.__name__
    return endpoint


@back_office_route
def create_login_link(request: Request) -> Response:
    """A one-time link that logs the browser that opens it in as `customer`."""
    merchant: Merchant = request.app.state.merchant
    form: dict[str, str] = request.state.form
    unknown = sorted(set(form) - {"customer", "next"})
    if unknown:
        return error_json(400, "invalid_request_error", f"Received unknown parameter: {unknown[0]}")
    customer = form.get("customer", "")
    if not customer:
        return error_json(
            400, "invalid_request_error", "Missing required param: customer.", "parameter_missing"
        )
    try:
        next_path = safe_next_path(form.get("next"))
    except ValueError as exc:
        return error_json(400, "invalid_request_error", str(exc), "parameter_invalid_string")
    found = merchant.client.v1.customers.retrieve(customer)  # 404 "No such customer" if unknown
    if getattr(found, "deleted", False):
        return error_json(
            400,
            "invalid_request_error",
            f"Customer {customer} has been deleted.",
            "resource_missing",
        )
    token, expires_in = merchant.sessions.create_login_link(found.id, next_path)
    return JSONResponse({"url": f"/login/{token}", "expires_in": expires_in}, headers=NO_STORE)


@back_office_route
def request_log(request: Request) -> Response:
    entries = request.app.state.request_log.entries()
    return JSONResponse({"object": "list", "data": entries}, headers=NO_STORE)


@back_office_route
def received_events(request: Request) -> Response:
    merchant: Merchant = request.app.state.merchant
    return JSONResponse(
        {"object": "list", "data": list(merchant.events.values())}, headers=NO_STORE
    )


ROUTES = [
    Route("/back_office/login_links", create_login_link, methods=["POST"]),
    Route("/back_office/requests", request_log, methods=["GET"]),
    Route("/back_office/events", received_events, methods=["GET"]),
]
