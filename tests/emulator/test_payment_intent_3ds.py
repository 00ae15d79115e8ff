"""PaymentIntents that need 3-D Secure on session, and completing it on the test page
(docs/facts/intents.md#paymentintent-lifecycle)."""

import pytest
import stripe

from .support import NO_REDIRECTS, event_types

# --- on-session 3-D Secure ---------------------------------------------------------------------


def test_on_session_3155_requires_action_with_stripe_sdk_next_action(client, emulator):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequiredOnSetup",
            "confirm": True,
        }
    )
    assert intent.status == "requires_action"
    assert intent.latest_charge is None
    sdk = intent.next_action.use_stripe_sdk
    assert intent.next_action.type == "use_stripe_sdk"
    assert sdk["type"] == "three_d_secure_redirect"
    assert sdk["stripe_js"].startswith(f"{emulator.base_url}/redirect/authenticate/{intent.id}?")
    assert event_types(client)[-1] == "payment_intent.requires_action"


def test_on_session_3ds_with_return_url_redirects(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequired",
            "confirm": True,
            "return_url": "https://example.com/done",
        }
    )
    assert intent.next_action.type == "redirect_to_url"
    assert intent.next_action.redirect_to_url.return_url == "https://example.com/done"
    assert f"client_secret={intent.client_secret}" in intent.next_action.redirect_to_url.url


def test_on_session_3ds_with_return_url_and_use_stripe_sdk_uses_stripe_sdk(client, emulator):
    """Stripe.js confirms with use_stripe_sdk=true: its modal, even with a return_url."""
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": True,
            "return_url": "https://example.com/done",
            "use_stripe_sdk": True,
        }
    )
    assert intent.status == "requires_action"
    assert intent.next_action.type == "use_stripe_sdk"
    sdk = intent.next_action.use_stripe_sdk
    assert sdk["stripe_js"].startswith(f"{emulator.base_url}/redirect/authenticate/{intent.id}?")
    again = client.v1.payment_intents.confirm(
        intent.id, {"payment_method": "pm_card_threeDSecure2Required"}
    )
    assert again.next_action.type == "redirect_to_url"  # a server-side confirm: the redirect


@pytest.mark.live_stripe
def test_error_on_requires_action_fails_with_authentication_not_handled(client):
    with pytest.raises(stripe.CardError) as info:
        client.v1.payment_intents.create(
            {
                "amount": 1099,
                "currency": "usd",
                "payment_method": "pm_card_authenticationRequiredOnSetup",
                "confirm": True,
                "error_on_requires_action": True,
                **NO_REDIRECTS,
            }
        )
    assert info.value.code == "authentication_required"
    assert info.value.error.decline_code == "authentication_not_handled"
    assert "charge" not in info.value.json_body["error"]
    assert info.value.json_body["error"]["payment_intent"]["status"] == "requires_payment_method"


# --- completing 3-D Secure on the test page ----------------------------------------------------


def _requires_action(client, token: str, **extra):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": token,
            "confirm": True,
            "return_url": "https://example.com/done?order=7",
            **extra,
        }
    )
    assert intent.status == "requires_action"
    return intent


def _authenticate(anon_http, intent, action: str):
    url = intent.next_action.redirect_to_url.url
    assert anon_http.get(url).status_code == 200
    return anon_http.post(url, data={"action": action})


def test_completed_3ds_charges_and_redirects_with_succeeded(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired")
    response = _authenticate(anon_http, intent, "complete")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"https://example.com/done?order=7&payment_intent={intent.id}"
        f"&payment_intent_client_secret={intent.client_secret}&redirect_status=succeeded"
    )
    done = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert done.status == "succeeded" and done.next_action is None
    three_ds = done.latest_charge.payment_method_details.card.three_d_secure
    assert three_ds.result == "authenticated" and three_ds.authentication_flow == "challenge"


def test_failed_3ds_returns_to_requires_payment_method(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired")
    response = _authenticate(anon_http, intent, "fail")
    assert response.headers["location"].endswith("redirect_status=failed")
    failed = client.v1.payment_intents.retrieve(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None and failed.latest_charge is None
    error = failed.last_payment_error
    assert error.code == "payment_intent_authentication_failure"
    assert error.type == "invalid_request_error"
    assert error.message == (
        "The provided PaymentMethod has failed authentication. You can provide "
        "payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent "
        "again."
    )
    assert event_types(client)[-1] == "payment_intent.payment_failed"


def test_3178_is_declined_after_completed_3ds(client, anon_http):
    intent = _requires_action(
        client, "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds"
    )
    _authenticate(anon_http, intent, "complete")
    declined = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error.decline_code == "insufficient_funds"
    assert declined.latest_charge.status == "failed"


def test_completed_3ds_with_manual_capture_requires_capture(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired", capture_method="manual")
    _authenticate(anon_http, intent, "complete")
    held = client.v1.payment_intents.retrieve(intent.id)
    assert held.status == "requires_capture" and held.amount_capturable == 1099
