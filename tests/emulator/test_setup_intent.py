"""SetupIntents and SetupAttempts through stripe-python: state machine, errors, keys, update,
list (API versions and payment method types: test_setup_intent_versions.py)."""

import pytest
import stripe

from .support import NO_REDIRECTS, event_types, newest_ids

RETURN_URL = "https://shop.example/done?order=7"


@pytest.fixture
def customer(client):
    return client.v1.customers.create({"email": "jenny@example.com"})


def test_create_has_every_declared_field(client):
    si = client.v1.setup_intents.create()
    declared = [
        k
        for k in stripe.SetupIntent.__annotations__
        if not k.startswith("_") and k != "OBJECT_NAME"
    ]
    assert set(declared) <= set(si.to_dict())
    assert si.id.startswith("seti_") and len(si.id) == len("seti_") + 24
    assert si.client_secret.startswith(f"{si.id}_secret_")
    assert (si.status, si.usage, si.livemode) == ("requires_payment_method", "off_session", False)
    assert si.payment_method_options.card.request_three_d_secure == "automatic"


def test_create_on_endive_uses_dynamic_payment_methods(client):
    si = client.v1.setup_intents.create()
    assert si.payment_method_types == ["card", "link"]
    assert si.automatic_payment_methods.to_dict() == {"allow_redirects": "always", "enabled": True}


@pytest.mark.live_stripe
def test_create_with_payment_method_requires_confirmation(client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id, "payment_method": "pm_card_visa"})
    assert si.status == "requires_confirmation"
    assert si.payment_method.startswith("pm_")


@pytest.mark.live_stripe
def test_confirm_with_visa_succeeds_and_attaches_to_customer(client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id, **NO_REDIRECTS})
    confirmed = client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    assert confirmed.status == "succeeded"
    assert confirmed.latest_attempt.startswith("setatt_")
    pm = client.v1.payment_methods.retrieve(confirmed.payment_method)
    assert pm.customer == customer.id


def test_create_and_confirm_in_one_call_records_events(client, customer):
    si = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True}
    )
    assert si.status == "succeeded"
    assert event_types(client)[-3:] == [
        "setup_intent.created",
        "payment_method.attached",
        "setup_intent.succeeded",
    ]


@pytest.mark.live_stripe
def test_decline_is_a_card_error_with_the_intent_embedded(client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id, **NO_REDIRECTS})
    with pytest.raises(stripe.CardError) as info:
        client.v1.setup_intents.confirm(
            si.id, {"payment_method": "pm_card_visa_chargeDeclinedInsufficientFunds"}
        )
    error = info.value.json_body["error"]
    assert info.value.http_status == 402
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "insufficient_funds",
    )
    assert error["message"] == "Your card has insufficient funds."
    assert error["payment_method"]["card"]["last4"] == "9995"
    assert error["setup_intent"]["status"] == "requires_payment_method"
    assert error["setup_intent"]["last_setup_error"]["decline_code"] == "insufficient_funds"


def test_decline_leaves_intent_reusable_and_records_setup_failed(client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id})
    with pytest.raises(stripe.CardError):
        client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa_chargeDeclined"})
    after = client.v1.setup_intents.retrieve(si.id)
    assert (after.status, after.payment_method) == ("requires_payment_method", None)
    assert after.last_setup_error.code == "card_declined"
    assert event_types(client)[-1] == "setup_intent.setup_failed"
    retried = client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    assert (retried.status, retried.last_setup_error) == ("succeeded", None)


@pytest.mark.parametrize(
    "token",
    [
        "pm_card_authenticationRequiredOnSetup",  # 4000002500003155
        "pm_card_authenticationRequired",  # 4000002760003184
        "pm_card_threeDSecure2Required",  # 4000000000003220
    ],
)
def test_three_d_secure_cards_require_action_with_redirect(client, emulator, customer, token):
    si = client.v1.setup_intents.create({"customer": customer.id})
    confirmed = client.v1.setup_intents.confirm(
        si.id, {"payment_method": token, "return_url": RETURN_URL}
    )
    assert confirmed.status == "requires_action"
    action = confirmed.next_action.to_dict()
    assert action["type"] == "redirect_to_url"
    assert action["redirect_to_url"]["return_url"] == RETURN_URL
    assert action["redirect_to_url"]["url"].startswith(
        f"{emulator.base_url}/redirect/authenticate/{si.id}?client_secret="
    )
    assert event_types(client)[-1] == "setup_intent.requires_action"


def test_stripe_js_confirm_with_return_url_still_uses_stripe_sdk(client, pk_client, emulator):
    """Stripe.js confirms with use_stripe_sdk=true: 3DS2 opens its modal, return_url or not."""
    si = client.v1.setup_intents.create()
    confirmed = pk_client.v1.setup_intents.confirm(
        si.id,
        {
            "client_secret": si.client_secret,
            "payment_method": "pm_card_threeDSecure2Required",
            "return_url": RETURN_URL,
            "use_stripe_sdk": True,
        },
    )
    assert confirmed.status == "requires_action"
    action = confirmed.next_action.to_dict()
    assert action["type"] == "use_stripe_sdk"
    assert action["use_stripe_sdk"]["stripe_js"].startswith(
        f"{emulator.base_url}/redirect/authenticate/{si.id}?client_secret="
    )
    assert client.v1.setup_intents.retrieve(si.id).next_action.type == "use_stripe_sdk"


def test_three_d_secure_without_return_url_uses_stripe_sdk(client, publishable_key):
    si = client.v1.setup_intents.create(
        {"confirm": True, "payment_method": "pm_card_threeDSecure2Required", "use_stripe_sdk": True}
    )
    action = si.next_action.to_dict()
    assert action["type"] == "use_stripe_sdk"
    sdk = action["use_stripe_sdk"]
    assert (sdk["type"], sdk["source"]) == ("three_d_secure_redirect", si.id)
    assert sdk["stripe_js"].endswith(f"&key={publishable_key}")


def test_request_three_d_secure_challenge_forces_authentication(client):
    si = client.v1.setup_intents.create(
        {"payment_method_options": {"card": {"request_three_d_secure": "challenge"}}}
    )
    confirmed = client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    assert confirmed.status == "requires_action"


def test_already_set_up_card_succeeds_without_authentication(client):
    si = client.v1.setup_intents.create(
        {"confirm": True, "payment_method": "pm_card_authenticationRequiredSetupForOffSession"}
    )
    assert si.status == "succeeded"


@pytest.mark.live_stripe
def test_confirm_succeeded_intent_is_unexpected_state(client):
    si = client.v1.setup_intents.create(
        {"confirm": True, "payment_method": "pm_card_visa", **NO_REDIRECTS}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    error = info.value.json_body["error"]
    assert info.value.http_status == 400
    assert error["code"] == "setup_intent_unexpected_state"
    assert (
        error["message"] == "You cannot confirm this SetupIntent because it has already succeeded."
    )
    assert error["setup_intent"]["id"] == si.id


@pytest.mark.live_stripe
def test_confirm_without_payment_method_is_unexpected_state(client):
    si = client.v1.setup_intents.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.confirm(si.id)
    assert info.value.code == "setup_intent_unexpected_state"
    assert "missing a payment method" in info.value.user_message


def test_cancel_with_reason(client):
    si = client.v1.setup_intents.create()
    canceled = client.v1.setup_intents.cancel(si.id, {"cancellation_reason": "abandoned"})
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "abandoned")
    assert event_types(client)[-1] == "setup_intent.canceled"


@pytest.mark.live_stripe
def test_cancel_succeeded_intent_is_refused(client):
    si = client.v1.setup_intents.create(
        {"confirm": True, "payment_method": "pm_card_visa", **NO_REDIRECTS}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.cancel(si.id)
    assert info.value.code == "setup_intent_unexpected_state"
    assert info.value.json_body["error"]["setup_intent"]["status"] == "succeeded"


def test_cancel_with_invalid_reason(client):
    si = client.v1.setup_intents.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.cancel(si.id, {"cancellation_reason": "bored"})
    assert (info.value.code, info.value.param) == (
        "parameter_invalid_string",
        "cancellation_reason",
    )


@pytest.mark.live_stripe
def test_retrieve_unknown_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.retrieve("seti_nope")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == "No such setupintent: 'seti_nope'"


@pytest.mark.live_stripe
def test_create_with_unknown_customer_is_404(client):
    before = newest_ids(client.v1.setup_intents)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create({"customer": "cus_nope"})
    assert (info.value.http_status, info.value.param) == (404, "customer")
    assert newest_ids(client.v1.setup_intents) == before


@pytest.mark.live_stripe
def test_unknown_parameter(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create({"amount": 100})
    assert (info.value.code, info.value.param) == ("parameter_unknown", "amount")


def test_publishable_key_retrieve_with_client_secret_is_restricted(client, pk_client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id, "metadata": {"k": "v"}})
    seen = pk_client.v1.setup_intents.retrieve(si.id, {"client_secret": si.client_secret})
    assert seen.status == "requires_payment_method"
    assert "customer" not in seen.to_dict() and "metadata" not in seen.to_dict()


def test_publishable_key_with_wrong_client_secret_is_refused(client, pk_client):
    si = client.v1.setup_intents.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        pk_client.v1.setup_intents.retrieve(si.id, {"client_secret": f"{si.id}_secret_wrong"})
    assert (info.value.http_status, info.value.param) == (400, "client_secret")
    assert info.value.user_message == (
        "The client_secret provided does not match the client_secret associated with the "
        "SetupIntent."
    )


def test_publishable_key_confirm_with_raw_card(client, pk_client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id})
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
    confirmed = pk_client.v1.setup_intents.confirm(
        si.id,
        {
            "client_secret": si.client_secret,
            "payment_method_data": {"type": "card", "card": card},
        },
    )
    assert confirmed.status == "succeeded"
    assert client.v1.payment_methods.retrieve(confirmed.payment_method).customer == customer.id


@pytest.mark.live_stripe
def test_secret_key_confirm_with_raw_card_is_refused(client):
    si = client.v1.setup_intents.create(NO_REDIRECTS)
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040}
    with pytest.raises(stripe.CardError) as info:
        client.v1.setup_intents.confirm(
            si.id, {"payment_method_data": {"type": "card", "card": card}}
        )
    assert info.value.error.type == "invalid_request_error"
    assert client.v1.setup_intents.retrieve(si.id).latest_attempt is None


def test_publishable_key_cannot_send_payment_method_options(client, pk_client):
    si = client.v1.setup_intents.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        pk_client.v1.setup_intents.confirm(
            si.id,
            {
                "client_secret": si.client_secret,
                "payment_method": "pm_card_visa",
                "payment_method_options": {"link": {"persistent_token": "x"}},
            },
        )
    assert info.value.param == "payment_method_options"


@pytest.mark.live_stripe
def test_update_metadata_and_payment_method(client, customer):
    si = client.v1.setup_intents.create({"customer": customer.id, "metadata": {"a": "1"}})
    updated = client.v1.setup_intents.update(
        si.id, {"metadata": {"b": "2"}, "payment_method": "pm_card_visa"}
    )
    assert updated.metadata.to_dict() == {"a": "1", "b": "2"}
    assert updated.status == "requires_confirmation"


@pytest.mark.live_stripe
def test_update_canceled_intent_payment_method_is_refused(client):
    si = client.v1.setup_intents.cancel(client.v1.setup_intents.create().id)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.update(si.id, {"payment_method": "pm_card_visa"})
    assert info.value.code == "setup_intent_unexpected_state"


@pytest.mark.live_stripe
def test_list_filters_by_customer_and_payment_method(client, customer):
    mine = client.v1.setup_intents.create(
        {"customer": customer.id, "confirm": True, "payment_method": "pm_card_visa", **NO_REDIRECTS}
    )
    client.v1.setup_intents.create()
    by_customer = client.v1.setup_intents.list({"customer": customer.id})
    by_pm = client.v1.setup_intents.list({"payment_method": mine.payment_method})
    assert [si.id for si in by_customer.data] == [mine.id]
    assert [si.id for si in by_pm.data] == [mine.id]


def test_refused_create_and_confirm_creates_nothing(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create(
            {"confirm": True, "payment_method": "pm_card_visa", "return_url": "not a url"}
        )
    assert (info.value.code, info.value.param) == ("url_invalid", "return_url")
    assert client.v1.setup_intents.list().data == []
    assert client.v1.events.list().data == []


@pytest.mark.live_stripe
def test_setup_attempts_list_requires_setup_intent(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_attempts.list({})
    assert (info.value.code, info.value.param) == ("parameter_missing", "setup_intent")


@pytest.mark.live_stripe
def test_each_confirm_creates_a_setup_attempt(client):
    si = client.v1.setup_intents.create(NO_REDIRECTS)
    with pytest.raises(stripe.CardError):
        client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa_chargeDeclined"})
    done = client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    attempts = client.v1.setup_attempts.list({"setup_intent": si.id}).data
    assert [a.status for a in attempts] == ["succeeded", "failed"]
    assert attempts[0].id == done.latest_attempt
    assert attempts[1].setup_error.code == "card_declined"
    assert attempts[0].payment_method_details.card.last4 == "4242"
