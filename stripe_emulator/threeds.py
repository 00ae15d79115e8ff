"""The test 3-D Secure page at /redirect/authenticate/{intent id} (docs/facts/intents.md#3-d-secure-next-action).

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
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import errors
from .call import Call
from .context import DEFAULT_API_VERSION, Ctx
from .http_io import HttpError
from .http_io import Response as HttpResponse
from .resources import payment_intent, setup_intent_confirm

PREFIX = "/redirect/authenticate/"
# Test mode's heading (docs/facts/elements_ui.md#3-d-secure-test-page).
CHALLENGE_TITLE = "3D Secure 2 Test Page"
_HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"cache-control", b"no-store"),
]
_ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx",
                 "vnd", "vuv", "xaf", "xof", "xpf"}  # fmt: skip


def show_challenge(call: Call) -> HttpResponse:
    """GET: the challenge page for a pending intent."""
    intent, form = _pending(call)
    return _challenge(call.account, intent, form)


def submit_choice(call: Call) -> HttpResponse:
    """POST action=complete|fail: apply the outcome, then send the customer to the return_url."""
    intent, form = _pending(call)
    action = form.get("action")
    if action not in ("complete", "fail"):
        raise HttpError(400, "Invalid request", "Choose Complete or Fail.")
    account = call.account
    ctx = Ctx(
        account=account,
        key_kind=call.key_kind,
        api_version=getattr(intent, "api_version", None) or DEFAULT_API_VERSION,
        request_id=None,  # not an API request: its events say `request: {id: null, ...}`
        base_url=call.request.base_url,
    )
    with account.lock:
        intent = _find_intent(account, intent.id)  # the live object (compact.py's rule)
        if intent.data["status"] != "requires_action":  # raced with another tab
            raise HttpError(400, "Nothing to authenticate", f"{intent.id} is no longer pending.")
        return_url = _return_url(intent)
        try:
            _complete(ctx, intent, action == "complete")
        finally:
            call.deliver(ctx.events)
    # The customer's choice is part of the flow: the request log shows it (action in the place
    # of parameters, as the test page is not an API route).
    call.log_fields = {
        "request_id": account.request_ids.next(f"POST {PREFIX}{intent.id} {action}"),
        "element": "three_ds",
        "action": action,
        "api_version": None,
    }
    return _done(intent, return_url)


def _pending(call: Call) -> tuple[Any, dict[str, str]]:
    """The intent this link names, once its client_secret matches and it awaits authentication."""
    form = {k: v for k, v in call.form.items() if isinstance(v, str)}
    intent_id = call.path_params["intent_id"]
    intent = _find_intent(call.account, intent_id)
    if form.get("client_secret") != intent.data["client_secret"]:
        raise HttpError(
            400,
            "Invalid link",
            "The client_secret in this link does not match the client_secret of " + intent_id + ".",
        )
    if intent.data["status"] != "requires_action":
        raise HttpError(
            400,
            "Nothing to authenticate",
            f"{intent_id} has status {intent.data['status']}; only an intent in requires_action "
            "can be authenticated.",
        )
    return intent, form


def _find_intent(account, intent_id: str):
    if intent_id.startswith("seti_"):
        intent = account.setup_intents.get(intent_id)
    elif intent_id.startswith("pi_"):
        intent = account.payment_intents.get(intent_id)
    else:
        intent = None
    if intent is None:
        raise HttpError(404, "Not found", f"No such intent: '{intent_id}'")
    return intent


def _complete(ctx: Ctx, intent, succeeded: bool) -> None:
    module = setup_intent_confirm if intent.id.startswith("seti_") else payment_intent
    try:
        module.complete_authentication(ctx, intent, succeeded)
    except errors.CardError:
        pass  # e.g. a card declined after authentication: the intent records it
    except errors.StripeError as exc:
        raise HttpError(400, "Authentication not possible", exc.message) from exc


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
    return page(
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
        f'<form method="post" action="{html.escape(intent.id)}">{hidden}'
        '<button type="submit" id="test-source-authorize-3ds" name="action" value="complete">'
        "Complete</button> "
        '<button type="submit" id="test-source-fail-3ds" name="action" value="fail">Fail</button>'
        "</form>"
    )
    return page(200, CHALLENGE_TITLE, body)


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


def page(status: int, title: str, body: str) -> HttpResponse:
    """An HTML page in the test page's look (also its error pages: surfaces.page_error)."""
    document = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{_STYLE}</style>\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<main>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return HttpResponse(status, document.encode(), list(_HEADERS))
