"""Which account a request acts on, from the API key it presents (like api.stripe.com).

Runs before the body is decoded (app.py's `authenticate` step), so the key is read from the
`Authorization` header (stripe-python, curl -u) or, for Stripe.js, from the raw `key=` form
field. A secret key is the merchant server's: it is accepted only in the header and only from a
program, never from a web browser (which would let any page the learner visits drive the
sandbox: browsers add `Origin` / `Sec-Fetch-Site` to the requests pages make).

A publishable key names the account whose secret key it was derived from (keys.py); one the
emulator has not seen derived yet is an invalid key, so a publishable key never gives its
secret key and a guessed one names no account.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote_plus

from . import errors
from .http_io import Request
from .keys import KEY_RE
from .store import Account, Store

_KEY_FIELD = re.compile(rb"(?:^|&)key=([^&]*)")


def presented_key(request: Request) -> tuple[str | None, bool]:
    """(the key, whether it came as the `key` form field rather than a header)."""
    auth = request.header(b"authorization").strip()
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return auth, False
        return decoded.split(":", 1)[0], False
    if auth:
        return auth, False
    # The body's field wins over the query's, as in the decoded form.
    for raw in (request.body if request.method == "POST" else b"", request.query):
        found = _KEY_FIELD.search(raw)
        if found:
            return unquote_plus(found.group(1).decode("latin-1")), True
    return None, False


def authenticate(store: Store, key: str | None) -> tuple[Account, str]:
    """(account, "secret" | "publishable"); 401 for a missing, malformed or live key."""
    if not key:
        raise errors.AuthenticationMissing()
    match = KEY_RE.match(key)
    if not match:
        raise errors.AuthenticationInvalid(key)
    kind, mode, suffix = match.groups()
    if mode == "live":
        raise errors.LiveKeyRefused(key)
    if kind != "pk":
        return store.account(suffix), "secret"
    account = store.account_of_publishable_key(key)
    if account is None:
        raise errors.AuthenticationInvalid(key)
    return account, "publishable"


def from_browser(request: Request) -> bool:
    """Whether a web page sent this request (a browser's fetch, form or navigation by a page)."""
    fetch_site = request.header(b"sec-fetch-site")
    return bool(request.header(b"origin")) or fetch_site not in ("", "none")


def check_secret_key_use(request: Request, sent_as_field: bool) -> None:
    if sent_as_field:
        raise errors.SecretKeyAsField()
    if from_browser(request):
        raise errors.SecretKeyFromBrowser()
