"""Support for the robustness tests: a populated account and a snapshot of the store.

- `build_world` fills one account through the API (customers, PaymentMethods, intents in many states,
  charges, events, a disabled webhook endpoint and an enabled one with one event sent to it, Link
  accounts with sessions, payment details and shipping addresses) and returns its ids, secrets and
  path-parameter values.
- `snapshot` dumps an `Account`'s whole state (every collection in order, indices, Link accounts,
  idempotency keys, event counter, clock) as plain data, to compare before/after a refused request.
  Tests may peek at the store; the library may not.
The bad requests themselves come from `fuzz_requests`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from stripe_emulator import params as p
from stripe_emulator.keys import publishable_key_for

LEGACY = "2024-04-10"
MULTI = "jenny+multiple_funding_sources@example.com"
HOOK_URL = "http://127.0.0.1:9/hook"
# Store attributes a refused request may touch: ids consumed, logs, async webhook deliveries.
# `pending_webhooks` of events: the deliverer lowers it asynchronously.
VOLATILE = {
    "lock", "ids", "request_ids", "request_log", "deliveries", "pending_webhooks", "last_used"
}  # fmt: skip


# --- the populated account ---------------------------------------------------------------------


@dataclass
class World:
    """Everything one populated account holds, as the API returned it."""

    secret_key: str
    ids: dict[str, list[str]] = field(default_factory=dict)  # path-param kind -> ids
    strings: list[str] = field(default_factory=list)  # ids, secrets, tokens for param values
    named: dict[str, str] = field(default_factory=dict)  # "setup_intent:succeeded" -> first such id

    @property
    def publishable_key(self) -> str:
        return publishable_key_for(self.secret_key)

    def add(self, kind: str, value: str | None, label: str | None = None) -> None:
        if value:
            self.ids.setdefault(kind, []).append(value)
            self.strings.append(value)
            if label:
                self.named.setdefault(f"{kind}:{label}", value)


class _Api:
    def __init__(self, base_url: str, key: str) -> None:
        self.client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"})

    def call(self, method: str, path: str, data: dict | None = None, ok: bool = True, **kw):
        response = self.client.request(method, path, data=data, **kw)
        if ok:
            assert response.status_code == 200, (path, data, response.text)
        return response.json()

    def post(self, path: str, data: dict | None = None, ok: bool = True, **kw) -> dict:
        return self.call("POST", path, data or {}, ok, **kw)

    def close(self) -> None:
        self.client.close()


def build_world(base_url: str, secret_key: str) -> World:
    """Populate the (already reset) account of `secret_key` through the API."""
    world = World(secret_key)
    server = _Api(base_url, secret_key)
    browser = _Api(base_url, world.publishable_key)
    try:
        _populate(world, server, browser)
    finally:
        server.close()
        browser.close()
    return world


def _populate(world: World, server: _Api, browser: _Api) -> None:
    hook = server.post("/v1/webhook_endpoints", {"url": HOOK_URL, "enabled_events[]": "*"})
    server.post(f"/v1/webhook_endpoints/{hook['id']}", {"disabled": "true"})  # no deliveries
    world.add("webhook_endpoint", hook["id"], "disabled")
    customers = [
        server.post("/v1/customers", {"email": f"c{n}@example.com", "name": f"C {n}"})["id"]
        for n in range(3)
    ]
    for customer in customers:
        world.add("customer", customer)
    cus_a, cus_b, _ = customers
    legacy = {"Stripe-Version": LEGACY}
    # SetupIntents: every status the lessons reach
    si_states = [
        {"customer": cus_a},
        {"customer": cus_a, "payment_method": "pm_card_visa"},
        {"customer": cus_a, "payment_method": "pm_card_visa", "confirm": "true"},
        {"customer": cus_b, "payment_method": "pm_card_mastercard", "confirm": "true"},
        {
            "customer": cus_b,
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": "true",
            "return_url": "http://127.0.0.1:9/return",
        },
    ]
    for data in si_states:
        si = server.post("/v1/setup_intents", data)
        world.add("setup_intent", si["id"], si["status"])
        world.strings.append(si["client_secret"])
        world.add(
            "payment_method",
            si["payment_method"],
            "attached" if si["status"] == "succeeded" else None,
        )
    canceled = server.post("/v1/setup_intents", {"customer": cus_b})
    server.post(f"/v1/setup_intents/{canceled['id']}/cancel")
    world.add("setup_intent", canceled["id"])
    declined = server.post("/v1/setup_intents", {"customer": cus_b})
    server.post(
        f"/v1/setup_intents/{declined['id']}/confirm",
        {"payment_method": "pm_card_visa_chargeDeclined"},
        ok=False,
    )
    world.add("setup_intent", declined["id"])
    legacy_si = server.post(
        "/v1/setup_intents",
        {"customer": cus_a, "payment_method_types[0]": "card", "payment_method_types[1]": "link"},
        headers=legacy,
    )
    world.add("setup_intent", legacy_si["id"])
    world.strings.append(legacy_si["client_secret"])
    # an unattached PaymentMethod (publishable key: raw card data is Stripe.js's job)
    loose = browser.post(
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        },
    )
    world.add("payment_method", loose["id"], "unattached")
    # PaymentIntents and their charges
    base = {"amount": "1099", "currency": "usd"}
    pi_states = [
        {**base},
        {**base, "customer": cus_a, "payment_method": "pm_card_visa"},
        {**base, "customer": cus_a, "payment_method": "pm_card_visa", "confirm": "true"},
        {**base, "payment_method": "pm_card_visa", "confirm": "true", "capture_method": "manual"},
        {
            **base,
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": "true",
            "return_url": "http://127.0.0.1:9/return",
        },
    ]
    for data in pi_states:
        pi = server.post("/v1/payment_intents", data)
        world.add("payment_intent", pi["id"], pi["status"])
        world.strings.append(pi["client_secret"])
        world.add("charge", pi.get("latest_charge"))
    pi = server.post("/v1/payment_intents", base)
    server.post(f"/v1/payment_intents/{pi['id']}/cancel")
    world.add("payment_intent", pi["id"])
    pi = server.post("/v1/payment_intents", base)
    server.post(
        f"/v1/payment_intents/{pi['id']}/confirm",
        {"payment_method": "pm_card_visa_chargeDeclined"},
        ok=False,
    )
    world.add("payment_intent", pi["id"])
    world.add("charge", server.call("GET", f"/v1/payment_intents/{pi['id']}")["latest_charge"])
    # Link: a signed-up (verified) account with a saved card and address, a started session
    signed_up = browser.post(
        "/v1/consumers/accounts/sign_up",
        {"email_address": "link@example.com", "phone_number": "(555) 555-0155"},
    )
    secret = signed_up["client_secret"]
    world.strings.append(secret)
    creds = {"credentials[consumer_session_client_secret]": secret}
    details = browser.post(
        "/v1/consumers/payment_details",
        {
            **creds,
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        },
    )
    world.strings.append(details["id"])
    browser.post(
        "/v1/consumers/shipping_addresses",
        {**creds, "address[line1]": "1 Main St", "address[country]": "US"},
    )
    link_pm = server.post(
        "/v1/setup_intents",
        {
            "customer": cus_a,
            "confirm": "true",
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": secret,
            "payment_method_data[link][payment_details_id]": details["id"],
            "payment_method_types[0]": "link",
        },
        headers=legacy,
    )
    world.add("setup_intent", link_pm["id"])
    world.add("payment_method", link_pm["payment_method"])
    started = browser.post("/v1/consumers/sessions/lookup", {"email_address": MULTI})
    world.strings.append(started["consumer_session"]["client_secret"])
    # One event sent to an enabled endpoint (a dead port: each attempt fails at once), to resend.
    listening = {"url": HOOK_URL, "enabled_events[]": "customer.created"}
    world.add(
        "webhook_endpoint", server.post("/v1/webhook_endpoints", listening)["id"], "listening"
    )
    server.post("/v1/customers", {"email": "resend@example.com"})
    for n, event in enumerate(server.call("GET", "/v1/events", params={"limit": "5"})["data"]):
        world.add("event", event["id"], "resendable" if n == 0 else None)


def foreign_ids(base_url: str, secret_key: str) -> list[str]:
    """Ids and secrets of another account (never valid in the world's account)."""
    other = build_world(base_url, secret_key)
    return other.strings


# --- snapshot of the store ---------------------------------------------------------------------


def snapshot(account: Any) -> Any:
    """The account's state as plain, comparable data (insertion order kept)."""
    return _dump(account, set())


def _dump(value: Any, seen: set[int]) -> Any:
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if value is p.UNSET:
        return "<UNSET>"
    if isinstance(value, dict):
        return [
            ("dict", _dump(k, seen), _dump(v, seen)) for k, v in value.items() if k not in VOLATILE
        ]
    if isinstance(value, list | tuple) or type(value).__name__ == "deque":
        return [_dump(v, seen) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(_dump(v, seen)) for v in value)
    if type(value).__name__.endswith(
        "CompactCollection"
    ):  # its objects, not how kept (tracked too)
        return ("collection", [_dump(obj, seen) for obj in value.newest_first()])
    if id(value) in seen:  # a back-reference (a Link session's account)
        return ("ref", type(value).__name__, getattr(value, "id", getattr(value, "email", None)))
    seen.add(id(value))
    attrs = getattr(value, "__dict__", None)
    if attrs is None:
        return ("opaque", type(value).__name__)
    return (type(value).__name__, _dump(attrs, seen))
