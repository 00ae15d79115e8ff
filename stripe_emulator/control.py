"""Control routes under /_emulator/ (not part of Stripe's API; for helpers, tests, notebooks).

    GET  /_emulator/health       no auth: {"status": "ok", "accounts": n}
    POST /_emulator/reset        empty the account; optional frozen_at=<unix> freezes its clock
    GET  /_emulator/requests     the account's API request log, newest first (limit=1..1000)
    GET  /_emulator/deliveries   the account's webhook delivery attempts, newest first
    GET  /_emulator/clock        {"now", "frozen"}
    POST /_emulator/clock        freeze=true|false, frozen_at=<unix>, advance=<seconds>

Every route except health acts on the account of the secret key presented (Bearer or Basic),
like the API; a publishable key is refused. Errors use Stripe's envelope.
"""

from __future__ import annotations

import logging

from . import errors, params
from .app import EmulatorApp, Response, _read_body, _send, authenticate, json_response, parse_key
from .store import Account

log = logging.getLogger("stripe_emulator")

PREFIX = "/_emulator/"
LOG_LIMIT = params.Obj({"limit": params.Int(min=1, max=1000)})
RESET = params.Obj({"frozen_at": params.Int(min=0)})
CLOCK = params.Obj(
    {"freeze": params.Bool(), "frozen_at": params.Int(min=0), "advance": params.Int(min=0)}
)


def mount_control(app: EmulatorApp) -> None:
    async def control(scope, receive, send) -> None:
        body = await _read_body(receive)
        try:
            response = _handle(app, scope, body)
        except errors.StripeError as exc:
            response = json_response(exc.status, exc.body())
        except Exception:  # never a traceback to the client
            log.exception("unexpected error handling %s %s", scope["method"], scope["path"])
            exc = errors.ApiError()
            response = json_response(exc.status, exc.body())
        await _send(send, response)

    app.extra_apps.append((PREFIX, control))


def _handle(app: EmulatorApp, scope: dict, body: bytes) -> Response:
    method, path = scope["method"], scope["path"][len(PREFIX) :].rstrip("/")
    if path == "health":
        if method != "GET":
            raise errors.UnrecognizedUrl(method, scope["path"])
        return json_response(200, {"status": "ok", "accounts": len(app.store.names())})
    query = scope.get("query_string", b"")
    form = params.decode(body if method == "POST" else query)
    if method == "POST" and query:
        form = {**params.decode(query), **form}
    account, kind = authenticate(app.store, parse_key(dict(scope["headers"]), form))
    if kind != "secret":
        raise errors.SecretKeyRequired()
    route = (method, path)
    if route == ("POST", "reset"):
        return _reset(app, account, params.parse(form, RESET))
    if route == ("GET", "requests"):
        limit = params.parse(form, LOG_LIMIT).get("limit", 100)
        return json_response(200, _list(list(account.request_log)[:limit], scope["path"]))
    if route == ("GET", "deliveries"):
        limit = params.parse(form, LOG_LIMIT).get("limit", 100)
        return json_response(200, _list(list(account.deliveries)[:limit], scope["path"]))
    if route == ("GET", "clock"):
        params.parse(form, params.Obj({}))
        return json_response(200, account.clock.to_dict())
    if route == ("POST", "clock"):
        return _set_clock(account, params.parse(form, CLOCK))
    raise errors.UnrecognizedUrl(method, scope["path"])


def _list(data: list[dict], url: str) -> dict:
    return {"object": "list", "data": data, "has_more": False, "url": url}


def _reset(app: EmulatorApp, account: Account, parsed: dict) -> Response:
    """A fresh account under the same key: no objects, ids and clock start over."""
    with account.lock:
        fresh = app.store.reset(account.name, parsed.get("frozen_at"))
    if app.deliverer is not None:
        app.deliverer.cancel(account)  # the old account's webhooks go nowhere now
    return json_response(
        200, {"account": fresh.name, "reset": True, "clock": fresh.clock.to_dict()}
    )


def _set_clock(account: Account, parsed: dict) -> Response:
    if parsed.get("freeze") is False and "frozen_at" in parsed:
        raise errors.InvalidRequest(
            "You cannot pass frozen_at together with freeze=false.", param="frozen_at"
        )
    with account.lock:
        clock = account.clock
        if parsed.get("freeze") is False:
            clock.unfreeze()
        elif parsed.get("freeze") or "frozen_at" in parsed:
            clock.freeze(parsed.get("frozen_at"))
        if "advance" in parsed:
            clock.advance(parsed["advance"])
        return json_response(200, clock.to_dict())
