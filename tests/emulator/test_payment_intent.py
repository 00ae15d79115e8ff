"""PaymentIntents through stripe-python: create, update, list, retrieve, validation, API versions
(docs/facts/objects.md#paymentintent, docs/facts/intents.md#paymentintent-lifecycle, docs/facts/api_versions.md#payment-method-types-by-version). Off-session, 3-D Secure and capture/cancel have their own
test_payment_intent_*.py files."""

import pytest
import stripe

from .support import NO_REDIRECTS, customer_with, event_types, newest_ids

DECLARED = [
    k for k in stripe.PaymentIntent.__annotations__ if not k.startswith("_") and k != "OBJECT_NAME"
]


# --- create ----------------------------------------------------------------------------------


def test_create_returns_requires_payment_method_with_every_declared_field(http):
    body = http.post("/v1/payment_intents", data={"amount": 1099, "currency": "usd"}).json()
    assert body["status"] == "requires_payment_method"
    assert body["id"].startswith("pi_") and len(body["id"]) == len("pi_") + 24
    assert body["client_secret"].startswith(body["id"] + "_secret_")
    assert sorted(body) == sorted(DECLARED)
    assert body["amount_details"] == {"tip": {}}
    assert body["latest_charge"] is None and body["last_payment_error"] is None


def test_create_defaults_to_dynamic_payment_methods_and_async_capture(client):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "USD"})
    assert intent.currency == "usd"
    assert intent.payment_method_types == ["card", "link"]
    assert intent.automatic_payment_methods.to_dict() == {
        "allow_redirects": "always",
        "enabled": True,
    }
    assert intent.capture_method == "automatic_async"
    assert intent.payment_method_options.to_dict() == {
        "card": {
            "installments": None,
            "mandate_options": None,
            "network": None,
            "request_three_d_secure": "automatic",
        },
        "link": {"persistent_token": None},
    }


@pytest.mark.live_stripe
def test_create_with_payment_method_without_confirm_requires_confirmation(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa"}
    )
    assert intent.status == "requires_confirmation"
    assert intent.payment_method.startswith("pm_")


@pytest.mark.live_stripe
def test_create_and_confirm_with_pm_card_visa_succeeds_with_a_charge(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "expand": ["latest_charge"],
            **NO_REDIRECTS,
        }
    )
    assert intent.status == "succeeded"
    assert intent.amount_received == 1099
    charge = intent.latest_charge
    assert charge.object == "charge" and charge.id.startswith("ch_")
    assert charge.status == "succeeded" and charge.paid is True and charge.captured is True
    assert charge.amount_captured == 1099
    assert charge.payment_intent == intent.id
    assert charge.payment_method == intent.payment_method
    assert charge.outcome.type == "authorized"
    assert charge.payment_method_details.card.last4 == "4242"


@pytest.mark.live_stripe
def test_confirm_endpoint_charges_the_payment_method_given(client):
    intent = client.v1.payment_intents.create({"amount": 2000, "currency": "usd", **NO_REDIRECTS})
    confirmed = client.v1.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"})
    assert confirmed.status == "succeeded"
    assert confirmed.latest_charge.startswith("ch_")


def test_confirm_falls_back_to_the_customers_default_payment_method(client):
    customer, pm = customer_with(client, "pm_card_visa")
    client.v1.customers.update(customer, {"invoice_settings": {"default_payment_method": pm}})
    intent = client.v1.payment_intents.create(
        {"amount": 1200, "currency": "usd", "customer": customer}
    )
    confirmed = client.v1.payment_intents.confirm(intent.id)
    assert confirmed.status == "succeeded"
    assert confirmed.payment_method == pm


def test_successful_payment_records_events_in_order(client):
    client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    assert event_types(client) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


def test_payment_method_options_link_persistent_token_is_echoed(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method_options": {"link": {"persistent_token": "tok_abc"}},
        }
    )
    assert intent.payment_method_options.link.persistent_token == "tok_abc"


@pytest.mark.live_stripe
def test_setup_future_usage_attaches_the_payment_method_on_success(client):
    customer = client.v1.customers.create()
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "setup_future_usage": "off_session",
            "confirm": True,
            **NO_REDIRECTS,
        }
    )
    assert client.v1.payment_methods.retrieve(intent.payment_method).customer == customer.id


# --- update / list / retrieve --------------------------------------------------------------


@pytest.mark.live_stripe
def test_update_payment_method_moves_to_requires_confirmation(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    updated = client.v1.payment_intents.update(
        intent.id, {"payment_method": "pm_card_visa", "metadata": {"order": "42"}}
    )
    assert updated.status == "requires_confirmation"
    assert updated.metadata.to_dict() == {"order": "42"}


@pytest.mark.live_stripe
def test_update_amount_after_success_is_unexpected_state(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            **NO_REDIRECTS,
        }
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.update(intent.id, {"amount": 2000})
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.param == "amount"
    assert client.v1.payment_intents.retrieve(intent.id).amount == 1000


@pytest.mark.live_stripe
def test_list_filters_by_customer_newest_first(client):
    customer = client.v1.customers.create()
    first = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "customer": customer.id}
    )
    client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    second = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "customer": customer.id}
    )
    page = client.v1.payment_intents.list({"customer": customer.id})
    assert [i.id for i in page.data] == [second.id, first.id]


@pytest.mark.live_stripe
def test_unknown_payment_intent_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.retrieve("pi_missing")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == "No such payment_intent: 'pi_missing'"


def test_publishable_key_retrieve_with_client_secret_gets_restricted_view(http, publishable_key):
    intent = http.post(
        "/v1/payment_intents",
        data={"amount": 1099, "currency": "usd", "metadata[k]": "v"},
    ).json()
    response = http.get(
        f"/v1/payment_intents/{intent['id']}",
        params={"client_secret": intent["client_secret"]},
        headers={"Authorization": f"Bearer {publishable_key}"},
    )
    view = response.json()
    assert response.status_code == 200
    assert view["status"] == "requires_payment_method"
    assert "metadata" not in view and "customer" not in view
    assert view["client_secret"] == intent["client_secret"]


def test_publishable_key_retrieve_with_wrong_secret_is_refused(client, http, publishable_key):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.get(
        f"/v1/payment_intents/{intent.id}",
        params={"client_secret": f"{intent.id}_secret_wrong"},
        headers={"Authorization": f"Bearer {publishable_key}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "client_secret"


def test_publishable_key_confirm_with_client_secret(client, http, publishable_key):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={
            "key": publishable_key,
            "client_secret": intent.client_secret,
            "payment_method": "pm_card_visa",
        },
        headers={"Authorization": ""},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert "latest_charge" not in response.json()


def test_publishable_key_confirm_without_client_secret_changes_nothing(
    client, http, publishable_key
):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={"key": publishable_key, "payment_method": "pm_card_visa"},
        headers={"Authorization": ""},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "client_secret"
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"


# --- validation errors -----------------------------------------------------------------------


@pytest.mark.live_stripe
def test_amount_below_the_usd_minimum_is_amount_too_small(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 49, "currency": "usd"})
    assert info.value.http_status == 400
    assert info.value.code == "amount_too_small"
    assert info.value.param == "amount"
    assert info.value.user_message == "Amount must be at least $0.50 usd"


@pytest.mark.live_stripe
def test_missing_amount_is_parameter_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"currency": "usd"})
    assert info.value.code == "parameter_missing"
    assert info.value.param == "amount"


@pytest.mark.live_stripe
def test_unknown_currency_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "xyz"})
    assert info.value.param == "currency"
    assert info.value.user_message.startswith("Invalid currency: xyz.")


@pytest.mark.live_stripe
def test_payment_method_of_another_customer_is_refused(client):
    _, pm = customer_with(client, "pm_card_visa")
    other = client.v1.customers.create()
    before = newest_ids(client.v1.payment_intents)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "customer": other.id, "payment_method": pm}
        )
    assert info.value.param == "payment_method"
    assert info.value.user_message == (
        f"The PaymentMethod {pm} does not belong to the Customer you supplied {other.id}. "
        "Please use this PaymentMethod with the Customer that it belongs to instead."
    )
    assert newest_ids(client.v1.payment_intents) == before


@pytest.mark.live_stripe
def test_customers_payment_method_without_customer_is_refused(client):
    customer, pm = customer_with(client, "pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "usd", "payment_method": pm})
    assert info.value.code == "parameter_missing"
    assert f"belongs to the Customer {customer}" in info.value.user_message


# --- API versions (docs/facts/api_versions.md) ------------------------------------------------------------------------


@pytest.mark.live_stripe
def test_payment_method_types_is_refused_from_endive(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "payment_method_types": ["card"]}
        )
    assert info.value.http_status == 400
    assert info.value.code == "payment_method_types_no_longer_supported"
    assert info.value.param == "payment_method_types"


@pytest.mark.live_stripe
def test_payment_method_types_is_writable_before_endive(legacy_client):
    intent = legacy_client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method_types": ["card", "link"]}
    )
    assert intent.payment_method_types == ["card", "link"]
    assert intent.automatic_payment_methods is None


@pytest.mark.live_stripe
def test_allowed_payment_method_types_filters_from_dahlia(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "allowed_payment_method_types": ["card"]}
    )
    assert intent.payment_method_types == ["card"]
    assert intent.allowed_payment_method_types == ["card"]


@pytest.mark.live_stripe
def test_allowed_payment_method_types_is_unknown_before_dahlia(legacy_client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        legacy_client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "allowed_payment_method_types": ["card"]}
        )
    assert info.value.code == "parameter_unknown"


@pytest.mark.live_stripe
def test_capture_method_defaults_to_automatic_before_2024_04_10(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            **NO_REDIRECTS,
        },
        {"stripe_version": "2023-10-16"},
    )
    assert intent.capture_method == "automatic"
    assert client.v1.charges.retrieve(intent.latest_charge).balance_transaction.startswith("txn_")
