"""Off-session PaymentIntents with saved cards (docs/facts/test_cards.md#outcomes-by-card, docs/facts/errors.md#messages-and-codes, docs/facts/intents.md#charging-a-saved-method-off-session)."""

import pytest
import stripe

from .support import NO_REDIRECTS, customer_with, event_types, newest_ids


def _off_session(client, customer: str | None, pm: str):
    params = {
        "amount": 1099,
        "currency": "usd",
        "payment_method": pm,
        "off_session": True,
        "confirm": True,
        **NO_REDIRECTS,
    }
    if customer is not None:
        params["customer"] = customer
    return client.v1.payment_intents.create(params)


def _complete_3ds(anon_http, intent) -> None:
    """The customer completes the test 3-D Secure challenge of `intent` (requires_action)."""
    assert intent.status == "requires_action"
    url = intent.next_action.use_stripe_sdk["stripe_js"]
    assert anon_http.post(url, data={"action": "complete"}).status_code == 200


def _set_up_with_setup_intent(client, anon_http, token: str, usage: str = "off_session"):
    customer = client.v1.customers.create()
    si = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": token, "confirm": True, "usage": usage}
    )
    _complete_3ds(anon_http, si)
    si = client.v1.setup_intents.retrieve(si.id)
    assert si.status == "succeeded"
    return customer.id, si.payment_method


def _assert_authentication_required(client, customer: str | None, pm: str) -> None:
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    assert info.value.http_status == 402
    assert info.value.code == "authentication_required"
    embedded = info.value.json_body["error"]["payment_intent"]
    assert embedded["status"] == "requires_payment_method"
    assert embedded["last_payment_error"]["code"] == "authentication_required"


def test_off_session_with_3155_after_setup_intent_succeeds(client, anon_http):
    customer, pm = _set_up_with_setup_intent(
        client, anon_http, "pm_card_authenticationRequiredOnSetup"
    )
    intent = _off_session(client, customer, pm)
    assert intent.status == "succeeded"


@pytest.mark.live_stripe
def test_off_session_with_3155_only_attached_needs_authentication(client):
    customer, pm = customer_with(client, "pm_card_authenticationRequiredOnSetup")
    _assert_authentication_required(client, customer, pm)


@pytest.mark.live_stripe
def test_off_session_with_the_3155_token_directly_needs_authentication(client):
    _assert_authentication_required(client, None, "pm_card_authenticationRequiredOnSetup")
    customer = client.v1.customers.create()
    _assert_authentication_required(client, customer.id, "pm_card_authenticationRequiredOnSetup")


def test_off_session_with_3155_set_up_for_on_session_use_needs_authentication(client, anon_http):
    token = "pm_card_authenticationRequiredOnSetup"
    customer, pm = _set_up_with_setup_intent(client, anon_http, token, usage="on_session")
    _assert_authentication_required(client, customer, pm)


def test_off_session_with_3155_after_an_authenticated_payment_saving_it_succeeds(client, anon_http):
    customer = client.v1.customers.create()
    first = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_authenticationRequiredOnSetup",
            "setup_future_usage": "off_session",
            "confirm": True,
        }
    )
    _complete_3ds(anon_http, first)
    first = client.v1.payment_intents.retrieve(first.id)
    assert first.status == "succeeded"
    assert client.v1.payment_methods.retrieve(first.payment_method).customer == customer.id
    intent = _off_session(client, customer.id, first.payment_method)
    assert intent.status == "succeeded"


@pytest.mark.live_stripe
def test_off_session_with_0446_already_set_up_succeeds_when_only_attached(client):
    customer, pm = customer_with(client, "pm_card_authenticationRequiredSetupForOffSession")
    intent = _off_session(client, customer, pm)
    assert intent.status == "succeeded"


@pytest.mark.live_stripe
def test_off_session_with_the_payment_method_a_setup_intent_saved_succeeds(client):
    customer = client.v1.customers.create()
    setup = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True, **NO_REDIRECTS}
    )
    assert setup.status == "succeeded"
    intent = _off_session(client, customer.id, setup.payment_method)
    assert intent.status == "succeeded"
    assert intent.payment_method == setup.payment_method


@pytest.mark.live_stripe
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


@pytest.mark.live_stripe
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


@pytest.mark.live_stripe
def test_off_session_is_refused_without_confirm(client):
    before = newest_ids(client.v1.payment_intents)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "usd", "off_session": True})
    assert info.value.http_status == 400
    assert info.value.param == "off_session"
    assert newest_ids(client.v1.payment_intents) == before
