"""Support for the robustness tests: for each route, a request it would carry out.

A bad `expand` added to one of these must be the only reason it fails (test_robustness.py), and
regressions start from them to change one thing (test_robustness_regressions.py).
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlencode

from stripe_emulator.routes import Route

from .fuzz_requests import Fuzzer, Request, param_kind

# Requests each route would carry out (path parameters by `World.named` label, params, key kind):
# only the bad `expand` added to them makes them fail. Routes not listed get no params.
WOULD_SUCCEED: dict[tuple[str, str], tuple[dict[str, str], dict[str, str], str]] = {
    ("POST", "/v1/customers/{customer_id}"): ({}, {"name": "Renamed"}, "secret"),
    ("POST", "/v1/payment_methods"): (
        {},
        {
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
        },
        "publishable",
    ),
    ("POST", "/v1/payment_methods/{payment_method}"): (
        {"payment_method": "payment_method:attached"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/payment_methods/{payment_method}/attach"): (
        {"payment_method": "payment_method:unattached"},
        {"customer": "<customer>"},
        "secret",
    ),
    ("POST", "/v1/payment_methods/{payment_method}/detach"): (
        {"payment_method": "payment_method:attached"},
        {},
        "secret",
    ),
    ("POST", "/v1/setup_intents"): (
        {},
        {"customer": "<customer>", "payment_method": "pm_card_visa", "confirm": "true"},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}"): (
        {"intent": "setup_intent:requires_payment_method"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}/confirm"): (
        {"intent": "setup_intent:requires_confirmation"},
        {},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}/cancel"): (
        {"intent": "setup_intent:requires_payment_method"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents"): (
        {},
        {
            "amount": "1099",
            "currency": "usd",
            "customer": "<customer>",
            "payment_method": "pm_card_visa",
            "confirm": "true",
        },
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}"): (
        {"intent": "payment_intent:requires_payment_method"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/confirm"): (
        {"intent": "payment_intent:requires_confirmation"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/capture"): (
        {"intent": "payment_intent:requires_capture"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/cancel"): (
        {"intent": "payment_intent:requires_payment_method"},
        {},
        "secret",
    ),
    ("POST", "/v1/events/{event_id}/retry"): (
        {"event_id": "event:resendable"},
        {"webhook_endpoint": "<webhook_endpoint:listening>"},
        "secret",
    ),
    ("POST", "/v1/webhook_endpoints"): (
        {},
        {"url": "http://127.0.0.1:9/other", "enabled_events[]": "*"},
        "secret",
    ),
    ("POST", "/v1/webhook_endpoints/{webhook_endpoint_id}"): ({}, {"description": "x"}, "secret"),
    ("GET", "/v1/customers/{customer_id}/payment_methods/{payment_method}"): (
        {"payment_method": "payment_method:attached"},
        {},
        "secret",
    ),
    ("GET", "/v1/setup_attempts"): ({}, {"setup_intent": "<setup_intent:succeeded>"}, "secret"),
}


def would_succeed(fuzzer: Fuzzer, route: Route) -> Request:
    world = fuzzer.world
    labels, params, kind = WOULD_SUCCEED.get((route.method, route.path), ({}, {}, "secret"))
    path = route.path
    for name in re.findall(r"\{(\w+)\}", route.path):
        kind_name = param_kind(route, name)
        value = world.named[labels[name]] if name in labels else world.ids.get(kind_name, ["x"])[0]
        path = path.replace(f"{{{name}}}", value)
    params = {k: fill(world, v) for k, v in params.items()}
    key = world.secret_key if kind == "secret" else world.publishable_key
    form = urlencode(params).encode()
    return Request(
        route.method,
        path,
        b"" if route.method == "POST" else form,
        form if route.method == "POST" else b"",
        {"Authorization": f"Bearer {key}", "Content-Type": "application/x-www-form-urlencoded"},
        kind,
    )


def fill(world, value: str) -> str:
    """`<customer>`: the world's first customer; `<label>`: `World.named[label]`."""
    if value == "<customer>":
        return world.ids["customer"][0]
    return world.named[value[1:-1]] if value.startswith("<") else value


def with_params(request: Request, extra: dict[str, str]) -> Request:
    encoded = urlencode(extra).encode()
    if request.method == "POST":
        return dataclasses.replace(request, body=b"&".join(filter(None, [request.body, encoded])))
    return dataclasses.replace(request, query=b"&".join(filter(None, [request.query, encoded])))
