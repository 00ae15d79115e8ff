"""Every object the emulator returns has exactly the top-level keys stripe-python 16.1.0 declares.

Declared keys: `cls.__annotations__` minus private names and OBJECT_NAME. Real Stripe leaves some
declared fields out of default responses; those are listed in OMITTED with the reason. Objects
are read as raw JSON (httpx), so the keys are exactly what goes over the wire.
"""

from __future__ import annotations

import typing

import pytest
import stripe

CLASSES: dict[str, type[stripe.StripeObject]] = {
    "customer": stripe.Customer,
    "payment_method": stripe.PaymentMethod,
    "setup_intent": stripe.SetupIntent,
    "setup_attempt": stripe.SetupAttempt,
    "payment_intent": stripe.PaymentIntent,
    "charge": stripe.Charge,
    "event": stripe.Event,
    "webhook_endpoint": stripe.WebhookEndpoint,
}

PAYMENT_METHOD_TYPES = frozenset(
    name
    for arg in typing.get_args(stripe.PaymentMethod.__annotations__["type"])
    for name in typing.get_args(arg)
)

OMITTED: dict[str, frozenset[str]] = {
    "customer": frozenset(
        {
            # Only on the stub a DELETE returns: {"id", "object", "deleted": true}.
            "deleted",
            # Includable only (`expand[]=sources`, ...): left out by default since 2020-08-27.
            "sources",
            "subscriptions",
            "tax_ids",
            # Includable only (`expand[]=tax`, `expand[]=cash_balance`, ...).
            "tax",
            "cash_balance",
            "invoice_credit_balance",
        }
    ),
    # Connect only: set on events that happened on a connected account.
    "event": frozenset({"account", "context"}),
    # Only on the stub a DELETE returns.
    "webhook_endpoint": frozenset({"deleted"}),
}


def declared(name: str) -> set[str]:
    cls = CLASSES[name]
    return {k for k in cls.__annotations__ if not k.startswith("_") and k != "OBJECT_NAME"}


def expected(name: str, obj: dict) -> set[str]:
    keys = declared(name) - OMITTED.get(name, frozenset())
    if name == "payment_method":  # one type-specific hash: the object's own type
        keys -= PAYMENT_METHOD_TYPES - {obj["type"]}
    return keys


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def flow(http) -> dict[str, dict]:
    """The guide's card flow over raw HTTP; every object it produces, as JSON."""
    customer = ok(http.post("/v1/customers", data={"email": "jenny.rosen@example.com"}))
    setup_intent = ok(
        http.post(
            "/v1/setup_intents",
            data={
                "customer": customer["id"],
                "payment_method": "pm_card_visa",
                "confirm": "true",
                "usage": "off_session",
                "automatic_payment_methods[enabled]": "true",
                "automatic_payment_methods[allow_redirects]": "never",
            },
        )
    )
    payment_method = ok(http.get(f"/v1/payment_methods/{setup_intent['payment_method']}"))
    attempts = ok(http.get("/v1/setup_attempts", params={"setup_intent": setup_intent["id"]}))
    payment_intent = ok(
        http.post(
            "/v1/payment_intents",
            data={
                "amount": "1099",
                "currency": "usd",
                "customer": customer["id"],
                "payment_method": payment_method["id"],
                "off_session": "true",
                "confirm": "true",
            },
        )
    )
    charge = ok(http.get(f"/v1/charges/{payment_intent['latest_charge']}"))
    events = ok(http.get("/v1/events"))
    return {
        "customer": customer,
        "setup_intent": setup_intent,
        "payment_method": payment_method,
        "setup_attempt": attempts["data"][0],
        "payment_intent": payment_intent,
        "charge": charge,
        "event": events["data"][0],
    }


@pytest.mark.parametrize(
    "name",
    ["customer", "setup_intent", "payment_method", "setup_attempt", "payment_intent", "charge"],
)
def test_flow_objects_have_exactly_the_declared_keys(flow, name):
    obj = flow[name]
    assert obj["object"] == name
    assert set(obj) == expected(name, obj)


def test_customer_retrieved_has_the_same_keys_as_created(http, flow):
    retrieved = ok(http.get(f"/v1/customers/{flow['customer']['id']}"))
    assert set(retrieved) == set(flow["customer"])


def test_event_has_exactly_the_declared_keys(http, flow):
    listed = flow["event"]
    retrieved = ok(http.get(f"/v1/events/{listed['id']}"))
    for event in (listed, retrieved):
        assert event["object"] == "event"
        assert set(event) == expected("event", event)


def test_event_payload_holds_an_object_of_a_declared_shape(flow):
    event = flow["event"]
    snapshot = event["data"]["object"]
    assert set(event["data"]) <= {"object", "previous_attributes"}
    assert set(snapshot) == expected(snapshot["object"], snapshot)


def test_webhook_endpoint_create_has_exactly_the_declared_keys(http):
    created = ok(
        http.post(
            "/v1/webhook_endpoints",
            data={"url": "https://example.com/webhook", "enabled_events[]": "*"},
        )
    )
    assert created["object"] == "webhook_endpoint"
    assert set(created) == expected("webhook_endpoint", created)


def test_webhook_endpoint_secret_is_only_returned_at_creation(http):
    created = ok(
        http.post(
            "/v1/webhook_endpoints",
            data={"url": "https://example.com/webhook", "enabled_events[]": "*"},
        )
    )
    retrieved = ok(http.get(f"/v1/webhook_endpoints/{created['id']}"))
    # stripe-python's docstring for `secret`: "Only returned at creation."
    assert set(retrieved) == expected("webhook_endpoint", retrieved) - {"secret"}


def test_deleted_customer_is_the_stub(http):
    customer = ok(http.post("/v1/customers"))
    deleted = ok(http.delete(f"/v1/customers/{customer['id']}"))
    assert deleted == {"id": customer["id"], "object": "customer", "deleted": True}


def test_payment_method_types_come_from_stripe_python():
    assert {"card", "link", "us_bank_account"} <= PAYMENT_METHOD_TYPES
    assert PAYMENT_METHOD_TYPES <= declared("payment_method")
