"""The account's request log (`GET /_emulator/requests`): one entry per API request, newest first."""

from __future__ import annotations

import re
from typing import Any

from .call import Call
from .store import Account

_ELEMENT_FRAME = re.compile(r"/v3/elements-inner-(\w+)\.html")


def log_request(account: Account, **fields: Any) -> dict:
    """Add one entry to the account's request log, newest first, and return it.

    Fields: method, path, status, request_id, idempotency_key, key_type ("secret" or
    "publishable"), api_version, element (the Element iframe that sent a browser request:
    "linkAuthentication", "address", "payment", or "three_ds" for the 3-D Secure test page;
    None for the merchant page's own Stripe.js calls and for servers), action (the test page's
    choice: "complete" or "fail"), user_agent (its first 200 characters), received_at (unix
    seconds, a float: orders entries against other processes' logs), duration_ms (set once the
    response is sent), created (the account's clock)."""
    entry = {
        "method": None,
        "path": None,
        "status": None,
        "request_id": None,
        "idempotency_key": None,
        "key_type": None,
        "api_version": None,
        "element": None,
        "action": None,
        "user_agent": None,
        "received_at": None,
        "duration_ms": None,
        **fields,
        "created": account.clock.now(),
    }
    account.request_log.appendleft(entry)
    return entry


def calling_element(headers: dict[bytes, bytes]) -> str | None:
    """Which Element iframe sent a browser request ("payment", "address", …), from its Referer.

    The frames are served from the API's own origin, so their same-origin requests carry the
    frame's full URL; the merchant page's calls (cross-origin) carry only its origin: None."""
    found = _ELEMENT_FRAME.search(headers.get(b"referer", b"").decode("latin-1"))
    return found.group(1) if found else None


def log_call(call: Call, duration_ms: float | None) -> dict:
    """The request log entry of one answered request (`log_request`'s fields, from the call)."""
    fields = {
        "method": call.method,
        "path": call.path,
        "status": call.response.status,
        "request_id": call.request_id,
        "idempotency_key": call.idempotency_key,
        "key_type": call.key_kind,
        "api_version": call.api_version,
        "element": calling_element(call.request.headers),
        "user_agent": call.request.header(b"user-agent", limit=200),
        "received_at": call.received_at,
        "duration_ms": duration_ms,
    }
    return log_request(call.account, **{**fields, **(call.log_fields or {})})
