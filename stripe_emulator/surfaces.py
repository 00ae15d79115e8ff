"""The emulator's four surfaces: which pipeline steps a route's requests go through and how
their errors look. A path's surface is its prefix's (`surface_of`); each route lives in
`routes.ROUTES`.

| surface | prefix | key | errors |
|---|---|---|---|
| api     | `/v1/` (and any unknown path) | any key; publishable only where a route allows it | Stripe's JSON envelope |
| control | `/_emulator/` | a secret key (health: none) | Stripe's JSON envelope |
| page    | `/redirect/authenticate/` | the publishable key in the link | an HTML page |
| asset   | `/v3`, `/endive/` (Stripe.js) | none | plain text |

Only the api surface reads `Stripe-Version` and `Idempotency-Key`, answers CORS preflights and
writes the account's request log (the 3-D Secure page logs the customer's choice itself).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from . import errors, stripejs, threeds
from .http_io import HttpError, Response, json_response


def envelope(exc: Exception, request_id: str | None) -> Response:
    """Stripe's error body with the status that picks stripe-python's exception class."""
    if not isinstance(exc, errors.StripeError):
        exc = errors.ApiError()
    return json_response(exc.status, exc.body(request_id))


def page_error(exc: Exception, request_id: str | None) -> Response:
    """The 3-D Secure page's refusals, as a page a customer can read."""
    if isinstance(exc, HttpError):
        status, title, message = exc.status, exc.title, exc.message
    elif isinstance(exc, errors.StripeError) and exc.status in (401, 403):
        status, title = 400, "Invalid link"
        message = f"This authentication link is invalid: {exc}"
    elif isinstance(exc, errors.StripeError) and exc.status == 404:
        status, title, message = 404, "Not found", str(exc)
    elif isinstance(exc, errors.StripeError) and exc.status == 400:
        status, title, message = 400, "Invalid request", str(exc)
    else:
        status, title, message = 500, "Something went wrong", "An unexpected error occurred."
    return threeds.page(status, title, f"<p>{html.escape(message)}</p>")


def asset_error(exc: Exception, request_id: str | None) -> Response:
    if isinstance(exc, HttpError) and exc.status == 405:
        return stripejs.plain(405, "Method Not Allowed", [(b"allow", exc.allow.encode())])
    if getattr(exc, "status", None) == 404:
        return stripejs.plain(404, "Not Found")
    if isinstance(exc, errors.StripeError) and exc.status == 400:
        return stripejs.plain(400, exc.message)
    return stripejs.plain(500, "Internal Server Error")


@dataclass(frozen=True)
class Surface:
    name: str
    prefixes: tuple[str, ...]
    render_error: Callable[[Exception, str | None], Response]
    authenticates: bool = True  # the request's key picks the account
    secret_only: bool = False  # a publishable key is refused (403)
    stripe_api: bool = False  # Stripe-Version, publishable routes, idempotency, request log
    strip_slash: bool = False  # `/x/` is `/x`
    methods: tuple[str, ...] = ()  # when set, any other method is a 405 (HEAD answers as GET)


API = Surface("api", ("/v1/",), envelope, stripe_api=True)
CONTROL = Surface("control", ("/_emulator/",), envelope, secret_only=True, strip_slash=True)
PAGE = Surface("page", (threeds.PREFIX,), page_error, strip_slash=True, methods=("GET", "POST"))
ASSET = Surface("asset", ("/v3", "/endive/"), asset_error, authenticates=False, methods=("GET",))
SURFACES = (CONTROL, PAGE, ASSET, API)


def surface_of(path: str) -> Surface:
    """The surface a path belongs to; paths under no known prefix are API paths (404s)."""
    for surface in SURFACES:
        if path.startswith(surface.prefixes):
            return surface
    return API
