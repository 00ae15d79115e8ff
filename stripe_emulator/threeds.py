"""The test 3-D Secure page at /redirect/authenticate/{intent id} (STRIPE_FACTS §2.4).

`next_action` points the customer here (`?client_secret=…&key=pk_test_…`: the account is named by
its publishable key, so the browser needs no secret). GET shows the challenge ("3D Secure 2 Test
Page", buttons Complete `#test-source-authorize-3ds` / Fail `#test-source-fail-3ds`), either as
the whole tab (redirect_to_url) or as `#challengeFrame` inside Stripe.js's modal (use_stripe_sdk);
POST `action=complete|fail` applies the outcome to the SetupIntent or PaymentIntent, then
303-redirects to the intent's `return_url` with `setup_intent`/`payment_intent`, its client
secret and `redirect_status` added (the URL's own query parameters are kept). Without a
return_url a short "you can close this window" page is shown.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import errors, params
from .app import EmulatorApp, _base_url, _read_body, _send, authenticate, log_request
from .app import Response as HttpResponse
from .clock import wall_time
from .context import DEFAULT_API_VERSION, Ctx

log = logging.getLogger("stripe_emulator")

PREFIX = "/redirect/authenticate/"
CHALLENGE_TITLE = "3D Secure 2 Test Page"  # test mode's heading (UI_FACTS §5)
_HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"cache-control", b"no-store"),
]
_ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx",
                 "vnd", "vuv", "xaf", "xof", "xpf"}  # fmt: skip


class PageError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def mount_threeds(app: EmulatorApp) -> None:
    async def threeds(scope, receive, send) -> None:
        body = await _read_body(receive)
        try:
            response = handle(app, scope, body)
        except PageError as exc:
            response = _page(exc.status, exc.title, f"<p>{html.escape(exc.message)}</p>")
        except Exception:  # never a traceback to the browser
            log.exception("unexpected error on the 3-D Secure page %s", scope["path"])
            response = _page(500, "Something went wrong", "<p>An unexpected error occurred.</p>")
        await _send(send, response)

    app.extra_apps.append((PREFIX, threeds))


def handle(app: EmulatorApp, scope: dict, body: bytes) -> HttpResponse:
    method = scope["method"]
    if method not in ("GET", "POST"):
        raise PageError(405, "Method not allowed", f"{method} is not supported here.")
    intent_id = scope["path"][len(PREFIX) :].strip("/")
    form = _form(scope.get("query_string", b""))
    if method == "POST":
        form.update(_form(body))
    key = form.get("key")
    try:
        account, kind = authenticate(app.store, key if isinstance(key, str) else None)
    except errors.StripeError as exc:
        raise PageError(400, "Invalid link", f"This authentication link is invalid: {exc}") from exc
    intent = _find_intent(account, intent_id)
    if form.get("client_secret") != intent.data["client_secret"]:
        raise PageError(
            400,
            "Invalid link",
            "The client_secret in this link does not match the client_secret of " + intent_id + ".",
        )
    if intent.data["status"] != "requires_action":
        raise PageError(
            400,
            "Nothing to authenticate",
            f"{intent_id} has status {intent.data['status']}; only an intent in requires_action "
            "can be authenticated.",
        )
    if method == "GET":
        return _challenge(account, intent, form)
    action = form.get("action")
    if action not in ("complete", "fail"):
        raise PageError(400, "Invalid request", "Choose Complete or Fail.")
    headers = dict(scope["headers"])
    ctx = Ctx(
        account=account,
        key_kind=kind,
        api_version=getattr(intent, "api_version", None) or DEFAULT_API_VERSION,
        request_id=None,  # not an API request: its events say `request: {id: null, ...}`
        base_url=_base_url(scope, headers),
    )
    received_at = wall_time()
    with account.lock:
        if intent.data["status"] != "requires_action":  # raced with another tab
            raise PageError(400, "Nothing to authenticate", f"{intent_id} is no longer pending.")
        return_url = _return_url(intent)
        try:
            _complete(ctx, intent, action == "complete")
        finally:
            if ctx.events and app.deliverer is not None:
                app.deliverer.enqueue(account, ctx.events)
    response = _done(intent, return_url)
    # The customer's choice is part of the flow: the request log shows it (action in the path's
    # place of parameters, as the test page is not an API route).
    log_request(
        account,
        method="POST",
        path=f"{PREFIX}{intent_id}",
        status=response.status,
        request_id=account.request_ids.next(f"POST {PREFIX}{intent_id} {action}"),
        key_type=kind,
        element="three_ds",
        action=action,
        received_at=received_at,
    )
    return response


def _form(raw: bytes | str) -> dict[str, Any]:
    try:
        decoded = params.decode(raw)
    except errors.StripeError as exc:
        raise PageError(400, "Invalid request", str(exc)) from exc
    return {k: v for k, v in decoded.items() if isinstance(v, str)}


def _find_intent(account, intent_id: str):
    if intent_id.startswith("seti_"):
        intent = account.setup_intents.get(intent_id)
    elif intent_id.startswith("pi_"):
        intent = account.payment_intents.get(intent_id)
    else:
        intent = None
    if intent is None:
        raise PageError(404, "Not found", f"No such intent: '{intent_id}'")
    return intent


def _complete(ctx: Ctx, intent, succeeded: bool) -> None:
    if intent.id.startswith("seti_"):
        from .resources.setup_intent_confirm import complete_authentication
    else:
        from .resources.payment_intent import complete_authentication
    try:
        complete_authentication(ctx, intent, succeeded)
    except errors.CardError:
        pass  # e.g. a card declined after authentication: the intent records it
    except errors.StripeError as exc:
        raise PageError(400, "Authentication not possible", exc.message) from exc


def _return_url(intent) -> str | None:
    url = getattr(intent, "return_url", None)
    if url:
        return url
    action = intent.data.get("next_action") or {}
    return (action.get("redirect_to_url") or {}).get("return_url")


def _redirect_status(intent) -> str:
    status = intent.data["status"]
    if status in ("succeeded", "requires_capture"):
        return "succeeded"
    if status == "processing":
        return "pending"
    return "failed"


def _done(intent, return_url: str | None) -> HttpResponse:
    status = _redirect_status(intent)
    if return_url:
        kind = "setup_intent" if intent.id.startswith("seti_") else "payment_intent"
        added = [
            (kind, intent.id),
            (f"{kind}_client_secret", intent.data["client_secret"]),
            ("redirect_status", status),
        ]
        parts = urlsplit(return_url)
        query = urlencode(parse_qsl(parts.query, keep_blank_values=True) + added)
        location = urlunsplit(parts._replace(query=query))
        return HttpResponse(303, b"", [(b"location", location.encode()), *_HEADERS])
    word = "complete" if status == "succeeded" else "failed"
    return _page(
        200,
        f"Authentication {word}",
        f"<p>Authentication {word} — you can close this window.</p>",
    )


def _amount(intent) -> str:
    amount, currency = intent.data.get("amount"), (intent.data.get("currency") or "").lower()
    if amount is None:
        return ""
    if currency in _ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:,.2f} {currency.upper()}"


def _instrument(account, intent) -> str:
    pm = account.payment_methods.get(intent.data.get("payment_method") or "")
    if pm is None:
        return ""
    if pm.data["type"] == "card":
        card = pm.data["card"]
        return f"{card['brand'].title()} ending in {card['last4']}"
    if pm.data["type"] == "link":
        return f"Link ({pm.data['link'].get('email')})"
    return pm.data["type"]


def _challenge(account, intent, form: dict[str, Any]) -> HttpResponse:
    rows = [("Intent", intent.id)]
    if intent.id.startswith("seti_"):
        rows.append(("Purpose", "Save a payment method for future payments"))
    else:
        rows.append(("Amount", _amount(intent)))
    if _instrument(account, intent):
        rows.append(("Payment method", _instrument(account, intent)))
    details = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows if v)
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(str(form[name]))}">'
        for name in ("client_secret", "key")
    )
    body = (
        "<p>This is a test page: no bank is contacted. Choose how this test authentication "
        "ends.</p>"
        f"<dl>{details}</dl>"
        f'<form method="post" action="{PREFIX}{html.escape(intent.id)}">{hidden}'
        '<button type="submit" id="test-source-authorize-3ds" name="action" value="complete">'
        "Complete</button> "
        '<button type="submit" id="test-source-fail-3ds" name="action" value="fail">Fail</button>'
        "</form>"
    )
    return _page(200, CHALLENGE_TITLE, body)


# Look of the test page (developer E1, with the Stripe.js stand-in's 3-D Secure modal).
_STYLE = (
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#30313d;"
    "background:#f6f8fa}main{max-width:420px;margin:32px auto;padding:24px;background:#fff;"
    "border:1px solid #e6e6e6;border-radius:8px}h1{font-size:20px;margin:0 0 12px}"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:14px}"
    "dt{color:#6d6e78}dd{margin:0;word-break:break-all}form{display:flex;gap:12px;margin-top:20px}"
    "button{flex:1;padding:12px;border-radius:6px;font:inherit;font-weight:600;cursor:pointer;"
    "text-transform:uppercase;letter-spacing:.04em;border:1px solid #0570de}"
    "button[value=complete]{background:#0570de;color:#fff}"
    "button[value=fail]{background:#fff;color:#0570de}"
)


def _page(status: int, title: str, body: str) -> HttpResponse:
    document = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{_STYLE}</style>\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<main>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return HttpResponse(status, document.encode(), list(_HEADERS))
