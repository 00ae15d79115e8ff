"""Which account a request acts on, from the API key it presents (like api.stripe.com)."""

from __future__ import annotations

import base64
import re
from typing import Any

from . import errors
from .store import Account, Store

_KEY_RE = re.compile(r"^(sk|pk|rk)_(test|live)_([A-Za-z0-9_]{1,200})$")


def parse_key(headers: dict[bytes, bytes], form: dict[str, Any]) -> str | None:
    """The key a request presents: `Authorization: Bearer`/`Basic` (stripe-python, curl -u), else
    a `key` form field (Stripe.js sends its publishable key that way)."""
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return auth
        return decoded.split(":", 1)[0]
    if auth:
        return auth
    key = form.get("key")
    return key if isinstance(key, str) else None


def authenticate(store: Store, key: str | None) -> tuple[Account, str]:
    """(account, "secret" | "publishable"); 401 for a missing, malformed or live key."""
    if not key:
        raise errors.AuthenticationMissing()
    match = _KEY_RE.match(key)
    if not match:
        raise errors.AuthenticationInvalid(key)
    kind, mode, suffix = match.groups()
    if mode == "live":
        raise errors.LiveKeyRefused(key)
    return store.account(suffix), ("publishable" if kind == "pk" else "secret")
