"""How the page answers errors: Stripe's envelope for JSON routes, a short page for HTML routes.

Errors about the request the browser made (bad input, a declined card) go back to it, with only
Stripe's `message` and `code`; errors about our own setup (keys, network, Stripe outages) and
anything unexpected stay in our log, and the browser gets a generic 500.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from .forwarded import template_context

log = logging.getLogger("embedded_page")

templates = Jinja2Templates(
    directory=Path(__file__).parent / "templates", context_processors=[template_context]
)
NO_STORE = {"Cache-Control": "no-store"}
GENERIC_MESSAGE = "Something went wrong on our side. Please try again."


class ReturnError(Exception):
    """The browser came back with a `setup_intent` we cannot accept; the message says why."""


def error_json(status: int, type_: str, message: str, code: str | None = None) -> JSONResponse:
    """Stripe's error envelope: {"error": {"type", "message", "code"?}}."""
    error = {"type": type_, "message": message}
    if code:
        error["code"] = code
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


def generic_error() -> JSONResponse:
    return error_json(500, "api_error", GENERIC_MESSAGE)


def forwardable(exc: stripe.StripeError) -> bool:
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
        return error_page(request, 500, "Something went wrong", GENERIC_MESSAGE)

    return endpoint
