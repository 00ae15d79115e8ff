"""A minimal merchant server for the Stripe.js browser tests (Starlette, thread-hosted uvicorn).

- `GET /` the checkout page (static/index.html + static/checkout.js). The page's own query string
  picks its options (see checkout.js), so each test drives the public Stripe.js surface it needs.
- `GET /secret?customer=cus_…[&types=card]` creates a SetupIntent server-side with stripe-python, the guide's
  way (`payment_method_types: card, link` on an API version from before endive), passing the
  `stripe.link.persistent_token` cookie as `payment_method_options[link][persistent_token]`.
- `GET /return` the `return_url`: retrieves the SetupIntent (expand payment_method), stores the Link
  persistent token in the cookie like the guide's "merchant domain cookie" step, shows the result.
"""

from __future__ import annotations

import asyncio
import html
import json
import socket
import threading
import time
from pathlib import Path

import stripe
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

STATIC = Path(__file__).parent / "static"
COOKIE = "stripe.link.persistent_token"
LEGACY_VERSION = "2024-04-10"  # the guide's era: payment_method_types, persistent_token


def create_app(client: stripe.StripeClient, publishable_key: str, stripe_js_url: str) -> Starlette:
    def index(request: Request) -> Response:
        config = {"publishableKey": publishable_key, "stripeJsUrl": stripe_js_url}
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        page = page.replace("{{stripe_js_url}}", html.escape(stripe_js_url))
        page = page.replace("{{config}}", json.dumps(config).replace("<", "\\u003c"))
        return HTMLResponse(page)

    def checkout_js(request: Request) -> Response:
        return Response(
            (STATIC / "checkout.js").read_text(encoding="utf-8"), media_type="text/javascript"
        )

    def secret(request: Request) -> Response:
        customer = request.query_params.get("customer")
        if not customer:
            customer = client.v1.customers.create().id
        types = request.query_params.get("types", "card,link").split(",")
        params: dict = {"customer": customer, "payment_method_types": types}
        token = request.cookies.get(COOKIE)
        if token:
            params["payment_method_options"] = {"link": {"persistent_token": token}}
        intent = client.v1.setup_intents.create(params)
        return JSONResponse({"client_secret": intent.client_secret})

    def return_page(request: Request) -> Response:
        intent_id = request.query_params.get("setup_intent", "")
        intent = client.v1.setup_intents.retrieve(intent_id, {"expand": ["payment_method"]})
        pm = intent.payment_method
        rows = {
            "status": intent.status,
            "redirect_status": request.query_params.get("redirect_status", ""),
            "payment_method_type": pm.type if pm else "",
            "order": request.query_params.get("order", ""),
        }
        items = "".join(
            f'<dt>{html.escape(k)}</dt><dd id="{html.escape(k)}">{html.escape(v)}</dd>'
            for k, v in rows.items()
        )
        body = f'<!doctype html><title>Result</title><h1>Result</h1><dl id="result">{items}</dl>'
        response = HTMLResponse(body)
        token = pm.link.persistent_token if pm is not None and pm.type == "link" else None
        if intent.status in ("succeeded", "processing") and token:
            response.set_cookie(
                COOKIE, token, max_age=90 * 24 * 3600, httponly=True, samesite="strict"
            )
        return response

    return Starlette(
        routes=[
            Route("/", index),
            Route("/checkout.js", checkout_js),
            Route("/secret", secret),
            Route("/return", return_page),
        ]
    )


class MerchantSite:
    """The merchant site on 127.0.0.1 (a port the OS picks), served from a background thread."""

    def __init__(self, app: Starlette) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> MerchantSite:
        server, sock = self._server, self._socket
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])), name="merchant", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"merchant site did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._socket.close()
