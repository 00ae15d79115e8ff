"""Off-session PaymentIntents with saved cards (STRIPE_FACTS §2.3, §5.3, §9 step 7)."""

import pytest
import stripe

from .support import customer_with, event_types


def _off_session(client, customer: str, pm: str):
    return client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer,
            "payment_method": pm,
            "off_session": True,
            "confirm": True,
        }
    )


def test_off_session_with_3155_after_setup_succeeds(client):
    customer, pm = customer_with(client, "pm_card_authenticationRequiredOnSetup")
    intent = _off_session(client, customer, pm)
    assert intent.status == "succeeded"


def test_off_session_with_the_payment_method_a_setup_intent_saved_succeeds(client):
    customer = client.v1.customers.create()
    setup = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True}
    )
    assert setup.status == "succeeded"
    intent = _off_session(client, customer.id, setup.payment_method)
    assert intent.status == "succeeded"
    assert intent.payment_method == setup.payment_method


def test_off_session_with_3184_fails_402_authentication_required(client):
    customer, pm = customer_with(client, "pm_card_authenticationRequired")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    error = info.value
    assert error.http_status == 402
    assert error.code == "authentication_required"
    assert error.error.decline_code == "authentication_required"
    assert error.user_message == "Your card was declined. This transaction requires authentication."
    body = error.json_body["error"]
    assert body["type"] == "card_error"
    assert body["doc_url"] == "https://stripe.com/docs/error-codes/authentication-required"
    assert body["payment_method"]["id"] == pm
    embedded = body["payment_intent"]
    assert embedded["status"] == "requires_payment_method"
    assert embedded["payment_method"] is None
    assert embedded["latest_charge"] == body["charge"]
    assert embedded["last_payment_error"]["code"] == "authentication_required"
    assert embedded["last_payment_error"]["payment_method"]["id"] == pm


def test_off_session_authentication_failure_leaves_a_failed_charge(client):
    customer, pm = customer_with(client, "pm_card_authenticationRequired")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    charge = client.v1.charges.retrieve(info.value.json_body["error"]["charge"])
    assert charge.status == "failed" and charge.paid is False
    assert charge.failure_code == "authentication_required"
    assert charge.outcome.to_dict() | {"risk_score": 0} == {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": "authentication_required",
        "risk_level": "normal",
        "risk_score": 0,
        "rule": None,
        "seller_message": "The bank returned the decline code `authentication_required`.",
        "type": "issuer_declined",
    }


def test_off_session_with_0341_attaches_but_the_charge_is_declined(client):
    customer, pm = customer_with(client, "pm_card_chargeCustomerFail")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    assert info.value.code == "card_declined"
    assert info.value.error.decline_code == "generic_decline"
    intent = client.v1.payment_intents.retrieve(
        info.value.json_body["error"]["payment_intent"]["id"]
    )
    assert intent.status == "requires_payment_method"
    assert event_types(client)[-2:] == ["charge.failed", "payment_intent.payment_failed"]


def test_off_session_is_refused_without_confirm(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "usd", "off_session": True})
    assert info.value.http_status == 400
    assert info.value.param == "off_session"
    assert client.v1.payment_intents.list().data == []
