"""Control routes under /_emulator/ (not part of Stripe's API; for helpers, tests, notebooks).

    GET  /_emulator/health       no auth: {"status": "ok", "accounts": n}
    POST /_emulator/reset        empty the account; optional frozen_at=<unix> freezes its clock,
                                 seed=<name> seeds its ids (default: the account's name)
    GET  /_emulator/requests     the account's API request log, newest first (limit=1..1000)
    GET  /_emulator/deliveries   the account's webhook delivery attempts, newest first, each with
                                 its status, error and the next retry's time on the account clock
    GET  /_emulator/clock        {"now", "frozen"}
    POST /_emulator/clock        freeze=true|false, frozen_at=<unix>, advance=<seconds>; webhook
                                 retries that fall due on the new time are sent

Every route except health acts on the account of the secret key presented (Bearer or Basic),
like the API; a publishable key is refused (surfaces.CONTROL). Each handler takes the `Call`
and its parsed parameters and returns the JSON body; the routes are in routes.py.
"""

from __future__ import annotations

from . import errors, params
from .call import Call

LOG_LIMIT = params.Obj({"limit": params.Int(min=1, max=1000)})
# `seed`: a key may have a random part (helpers' keys do) while the ids it makes must repeat on
# every machine, so the lesson names the seed (its own name) instead of the key.
RESET = params.Obj({"frozen_at": params.Int(min=0), "seed": params.Str(max_length=200)})
CLOCK = params.Obj(
    {"freeze": params.Bool(), "frozen_at": params.Int(min=0), "advance": params.Int(min=0)}
)


def health(call: Call, parsed: dict) -> dict:
    return {"status": "ok", "accounts": len(call.store.names())}


def reset(call: Call, parsed: dict) -> dict:
    """A fresh account under the same key: no objects, ids and clock start over."""
    account = call.account
    with account.lock:
        fresh = call.store.reset(account.name, parsed.get("frozen_at"), parsed.get("seed"))
    if call.deliverer is not None:
        call.deliverer.cancel(account)  # the old account's webhooks go nowhere now
    return {
        "account": fresh.name,
        "publishable_key": fresh.publishable_key,
        "reset": True,
        "clock": fresh.clock.to_dict(),
    }


def request_log(call: Call, parsed: dict) -> dict:
    limit = parsed.get("limit", 100)
    return _list(list(call.account.request_log)[:limit], call.path)


def deliveries(call: Call, parsed: dict) -> dict:
    limit = parsed.get("limit", 100)
    return _list(list(call.account.deliveries)[:limit], call.path)


def get_clock(call: Call, parsed: dict) -> dict:
    return call.account.clock.to_dict()


def set_clock(call: Call, parsed: dict) -> dict:
    if parsed.get("freeze") is False and "frozen_at" in parsed:
        raise errors.FrozenAtWithUnfreeze()
    with call.account.lock:
        clock = call.account.clock
        if parsed.get("freeze") is False:
            clock.unfreeze()
        elif parsed.get("freeze") or "frozen_at" in parsed:
            clock.freeze(parsed.get("frozen_at"))
        if "advance" in parsed:
            clock.advance(parsed["advance"])
        state = clock.to_dict()
    if call.deliverer is not None:
        call.deliverer.clock_changed(call.account)  # webhook retries may have fallen due
    return state


def _list(data: list[dict], url: str) -> dict:
    return {"object": "list", "data": data, "has_more": False, "url": url}
