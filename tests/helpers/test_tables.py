"""helpers.tables and helpers.errors: each table's columns and rows for known states."""

from __future__ import annotations

import pytest
import stripe

import helpers
from helpers import tables


@pytest.fixture
def customer(client):
    return client.v1.customers.create({"email": "jenny.rosen@example.com"})


@pytest.fixture
def saved(client, customer):
    """A succeeded card setup, then a declined one, for the same customer."""
    ok = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True}
    )
    with pytest.raises(stripe.CardError):
        client.v1.setup_intents.create(
            {
                "customer": customer.id,
                "payment_method": "pm_card_visa_chargeDeclined",
                "confirm": True,
            }
        )
    return ok


def test_setup_intents_table_oldest_first_with_errors_summarized(client, customer, saved):
    frame = helpers.setup_intents(client, customer.id)
    assert list(frame.columns) == [
        "id", "status", "customer", "payment method", "payment_method_types", "created",
        "last_setup_error",
    ]  # fmt: skip
    assert list(frame["status"]) == ["succeeded", "requires_payment_method"]
    assert frame["id"][0] == saved.id
    assert frame["payment method"][0] == "Visa •••• 4242"
    assert frame["last_setup_error"][0] is None
    assert frame["last_setup_error"][1] == (
        "card_declined (generic_decline): Your card was declined."
    )
    assert frame["created"][0].endswith("Z")


def test_payment_methods_table_describes_each_method(client, customer, saved):
    frame = helpers.payment_methods(client, customer.id)
    assert list(frame.columns) == ["id", "type", "details", "customer", "created"]
    assert frame.to_dict("records")[0] | {"created": None} == {
        "id": saved.payment_method,
        "type": "card",
        "details": "Visa •••• 4242",
        "customer": customer.id,
        "created": None,
    }
    assert helpers.payment_methods(client, customer.id, type="link").empty


def test_payment_intents_and_charges_tables(client, customer, saved):
    client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "customer": customer.id,
         "payment_method": saved.payment_method, "off_session": True, "confirm": True}
    )  # fmt: skip
    intents = helpers.payment_intents(client, customer.id)
    assert list(intents.columns) == [
        "id", "status", "amount", "payment_method", "customer", "created", "last_payment_error"
    ]  # fmt: skip
    assert intents.to_dict("records")[0]["amount"] == "10.99 USD"
    assert intents["status"][0] == "succeeded"
    charges = helpers.charges(client, customer.id)
    assert list(charges.columns) == [
        "id", "status", "amount", "payment_intent", "paid with", "outcome.type",
        "failure_code", "created",
    ]  # fmt: skip
    assert charges.to_dict("records")[0]["outcome.type"] == "authorized"
    assert charges["failure_code"][0] is None  # null stays None, not NaN


def test_events_table_in_order_of_emission(client, customer, saved):
    frame = helpers.events(client, types=["customer.created", "setup_intent.succeeded"])
    assert list(frame.columns) == ["id", "type", "object", "created"]
    assert list(frame["type"]) == ["customer.created", "setup_intent.succeeded"]
    assert list(frame["object"]) == [customer.id, saved.id]


def test_table_takes_one_object_or_many_and_dotted_fields(client, customer):
    one = helpers.table(customer, ["id", "email", "invoice_settings.default_payment_method"])
    assert one.to_dict("records") == [
        {
            "id": customer.id,
            "email": customer.email,
            "invoice_settings.default_payment_method": None,
        }
    ]
    assert helpers.table([customer, customer], ["id"]).shape == (2, 1)
    assert helpers.table(None, ["id"]).empty


@pytest.mark.parametrize(
    ("pm", "text"),
    [
        ({"type": "card", "card": {"brand": "visa", "last4": "4242", "wallet": None}},
         "Visa •••• 4242"),
        ({"type": "card", "card": {"brand": "visa", "last4": "1", "wallet": {"type": "link"}}},
         "Visa •••• 1 (via link)"),
        ({"type": "link", "link": {"email": "a@b.co"}}, "Link a@b.co"),
        ({"type": "us_bank_account", "us_bank_account": {"last4": "6789"}},
         "Bank account •••• 6789"),
        ({"type": "sepa_debit"}, "sepa_debit"),
    ],
)  # fmt: skip
def test_describe_payment_method(pm, text):
    assert tables.describe_payment_method(pm) == text


def test_utc_is_iso_with_z():
    assert helpers.utc(1_793_610_000) == "2026-11-02T09:00:00Z"
    assert helpers.utc(None) is None


def test_error_table_shows_what_a_merchant_acts_on(client, customer, saved):
    with pytest.raises(stripe.CardError) as info:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "customer": customer.id,
             "payment_method": "pm_card_authenticationRequired", "off_session": True,
             "confirm": True}
        )  # fmt: skip
    rows = dict(helpers.error_table(info.value).values.tolist())
    assert rows["HTTP status"] == 402
    assert rows["exception"] == "stripe.CardError"
    assert rows["code"] == "authentication_required"
    assert rows["payment_intent.status"] == "requires_payment_method"
    assert "param" not in rows  # absent fields are left out
