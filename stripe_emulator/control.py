"""Control routes under /_emulator/: health, reset, request log, deliveries, clock.

Each route except health acts on the account of the secret key presented (Bearer), like the API.
"""

from __future__ import annotations

from . import errors, params
from .app import EmulatorApp, Response, _read_body, _send, authenticate, json_response, parse_key

PREFIX = "/_emulator/"


def mount_control(app: EmulatorApp) -> None:
    async def control(scope, receive, send) -> None:
        body = await _read_body(receive)
        try:
            response = _handle(app, scope, body)
        except errors.StripeError as exc:
            response = json_response(exc.status, exc.body())
        await _send(send, response)

    app.extra_apps.append((PREFIX, control))


def _handle(app: EmulatorApp, scope: dict, body: bytes) -> Response:
    method, path = scope["method"], scope["path"][len(PREFIX) :].rstrip("/")
    if path == "health" and method == "GET":
        return json_response(200, {"status": "ok", "accounts": len(app.store.names())})
    form = params.decode(body if method == "POST" else scope.get("query_string", b""))
    account, kind = authenticate(app.store, parse_key(dict(scope["headers"]), form))
    if kind != "secret":
        raise errors.SecretKeyRequired()
    if path == "reset" and method == "POST":
        spec = params.Obj({"frozen_at": params.Int(min=0)})
        parsed = params.parse(form, spec)
        account = app.store.reset(account.name, parsed.get("frozen_at"))
        return json_response(
            200, {"account": account.name, "reset": True, "clock": account.clock.to_dict()}
        )
    if path == "requests" and method == "GET":
        parsed = params.parse(form, params.Obj({"limit": params.Int(min=1, max=1000)}))
        entries = list(account.request_log)[: parsed.get("limit", 100)]
        return json_response(200, {"object": "list", "data": entries})
    if path == "deliveries" and method == "GET":
        return json_response(200, {"object": "list", "data": list(account.deliveries)})
    if path == "clock":
        if method == "POST":
            spec = params.Obj(
                {"freeze": params.Bool(), "frozen_at": params.Int(min=0), "advance": params.Int()}
            )
            parsed = params.parse(form, spec)
            if parsed.get("freeze") is False:
                account.clock.unfreeze()
            elif parsed.get("freeze") or "frozen_at" in parsed:
                account.clock.freeze(parsed.get("frozen_at"))
            if "advance" in parsed:
                account.clock.advance(parsed["advance"])
            return json_response(200, account.clock.to_dict())
        if method == "GET":
            return json_response(200, account.clock.to_dict())
    raise errors.UnrecognizedUrl(method, scope["path"])
