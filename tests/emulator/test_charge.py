"""Charges created by PaymentIntents: retrieve, list, shapes (docs/facts/objects.md#setupattempt-and-charge, docs/facts/errors.md#messages-and-codes)."""

import pytest
import stripe

from .support import NO_REDIRECTS

DECLARED = [
    k for k in stripe.Charge.__annotations__ if not k.startswith("_") and k != "OBJECT_NAME"
]


def _pay(client, payment_method: str = "pm_card_visa", **extra):
    return client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": payment_method,
            "confirm": True,
            **NO_REDIRECTS,
            **extra,
        }
    )


def test_charge_carries_every_declared_field(client, http):
    intent = _pay(client)
    body = http.get(f"/v1/charges/{intent.latest_charge}").json()
    assert sorted(body) == sorted(DECLARED)
    assert body["object"] == "charge" and body["livemode"] is False


@pytest.mark.live_stripe
def test_succeeded_charge_shape(client):
    customer = client.v1.customers.create()
    intent = _pay(
        client, customer=customer.id, description="Order 42", receipt_email="j@example.com"
    )
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.amount == 1099 and charge.currency == "usd"
    assert charge.customer == customer.id and charge.description == "Order 42"
    assert charge.receipt_email == "j@example.com"
    assert charge.receipt_url.startswith("https://pay.stripe.com/receipts/")
    assert charge.failure_code is None and charge.failure_message is None
    assert charge.outcome.network_status == "approved_by_network"
    assert charge.outcome.seller_message == "Payment complete."
    assert charge.outcome.risk_level == "normal" and 0 <= charge.outcome.risk_score <= 100
    refunds = charge.refunds
    assert refunds.object == "list" and refunds.data == []
    assert refunds.url == f"/v1/charges/{charge.id}/refunds"


@pytest.mark.live_stripe
def test_card_payment_method_details(client):
    intent = _pay(client, "pm_card_mastercard")
    details = client.v1.charges.retrieve(intent.latest_charge).payment_method_details
    assert details.type == "card"
    card = details.card
    assert card.brand == "mastercard" and card.last4 == "4444"
    assert card.network == "mastercard" and card.funding == "credit" and card.country == "US"
    assert card.checks.cvc_check == "pass"
    assert card.three_d_secure is None and card.wallet is None
    assert card.amount_authorized == 1099


def test_charge_billing_details_come_from_the_payment_method(client, http, publishable_key):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={
            "key": publishable_key,
            "client_secret": intent.client_secret,
            "payment_method_data[type]": "card",
            "payment_method_data[card][number]": "4242424242424242",
            "payment_method_data[card][exp_month]": "12",
            "payment_method_data[card][exp_year]": "2040",
            "payment_method_data[billing_details][name]": "Jenny Rosen",
        },
        headers={"Authorization": ""},
    ).raise_for_status()
    charge_id = client.v1.payment_intents.retrieve(intent.id).latest_charge
    assert client.v1.charges.retrieve(charge_id).billing_details.name == "Jenny Rosen"


@pytest.mark.live_stripe
def test_failed_charge_shape_for_a_generic_decline(client):
    with pytest.raises(stripe.CardError) as info:
        _pay(client, "pm_card_visa_chargeDeclined")
    charge = client.v1.charges.retrieve(info.value.json_body["error"]["charge"])
    assert charge.status == "failed" and charge.paid is False and charge.captured is False
    assert charge.failure_code == "card_declined"
    assert charge.failure_message == "Your card was declined."
    assert charge.outcome.type == "issuer_declined"
    assert charge.outcome.reason == "generic_decline"
    assert charge.payment_method_details.card.amount_authorized is None


@pytest.mark.live_stripe
def test_list_charges_filters_by_payment_intent(client):
    first = _pay(client)
    _pay(client)
    page = client.v1.charges.list({"payment_intent": first.id})
    assert [c.id for c in page.data] == [first.latest_charge]


@pytest.mark.live_stripe
def test_list_charges_filters_by_customer_newest_first(client):
    customer = client.v1.customers.create()
    older = _pay(client, customer=customer.id)
    _pay(client)
    newer = _pay(client, customer=customer.id)
    page = client.v1.charges.list({"customer": customer.id})
    assert [c.id for c in page.data] == [newer.latest_charge, older.latest_charge]
    assert page.url == "/v1/charges"


@pytest.mark.live_stripe
def test_latest_charge_expands_on_retrieve(client):
    intent = _pay(client)
    expanded = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert expanded.latest_charge.id == intent.latest_charge
    assert expanded.latest_charge.payment_intent == intent.id


@pytest.mark.live_stripe
def test_unknown_charge_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.charges.retrieve("ch_missing")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == "No such charge: 'ch_missing'"


def test_charges_need_a_secret_key(emulator, anon_http, publishable_key):
    response = anon_http.get("/v1/charges", headers={"Authorization": f"Bearer {publishable_key}"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "secret_key_required"


def test_link_payment_method_details(client, anon_http, publishable_key):
    pk = {"Authorization": f"Bearer {publishable_key}"}
    email = "jenny+multiple_funding_sources@example.com"
    lookup = anon_http.post(
        "/v1/consumers/sessions/lookup", data={"email_address": email}, headers=pk
    ).json()
    secret = lookup["consumer_session"]["client_secret"]
    credentials = {"credentials[consumer_session_client_secret]": secret}
    anon_http.post(
        "/v1/consumers/sessions/confirm_verification",
        data={**credentials, "type": "SMS", "code": "123456"},
        headers=pk,
    ).raise_for_status()
    details = anon_http.post(
        "/v1/consumers/payment_details/list", data=credentials, headers=pk
    ).json()
    card_details = details["redacted_payment_details"][0]["id"]
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = anon_http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={
            "client_secret": intent.client_secret,
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": secret,
            "payment_method_data[link][payment_details_id]": card_details,
        },
        headers=pk,
    )
    assert response.status_code == 200, response.text
    charge_id = client.v1.payment_intents.retrieve(intent.id).latest_charge
    charge = client.v1.charges.retrieve(charge_id)
    assert charge.payment_method_details.to_dict() == {
        "link": {"country": "US", "funding_source_group": None},
        "type": "link",
    }
    assert charge.billing_details.email == email
