"""Capturing and canceling PaymentIntents, and what a finished PaymentIntent refuses
(docs/facts/intents.md#paymentintent-lifecycle)."""

import pytest
import stripe

from .support import NO_REDIRECTS, event_types

PAID = {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}


def _hold(client, amount: int = 5000):
    return client.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "capture_method": "manual",
            "confirm": True,
            **NO_REDIRECTS,
        }
    )


def test_manual_capture_authorizes_then_captures(client):
    intent = _hold(client)
    assert intent.status == "requires_capture" and intent.amount_capturable == 5000
    held = client.v1.charges.retrieve(intent.latest_charge)
    assert held.captured is False and held.paid is True and held.amount_captured == 0
    captured = client.v1.payment_intents.capture(intent.id)
    assert captured.status == "succeeded"
    assert captured.amount_received == 5000 and captured.amount_capturable == 0
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.captured is True and charge.amount_captured == 5000
    assert event_types(client)[-2:] == ["charge.captured", "payment_intent.succeeded"]


@pytest.mark.live_stripe
def test_partial_capture_releases_the_remainder(client):
    intent = _hold(client)
    client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 3000})
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.amount_captured == 3000
    assert charge.amount_refunded == 2000 and charge.refunded is False
    assert charge.refunds.data[0].amount == 2000


@pytest.mark.live_stripe
def test_capture_more_than_capturable_is_amount_too_large(client):
    intent = _hold(client)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 9999})
    assert info.value.code == "amount_too_large"
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_capture"


@pytest.mark.live_stripe
def test_capture_of_an_uncapturable_intent_is_unexpected_state(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.capture(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message == (
        "This PaymentIntent could not be captured because it has a status of "
        "requires_payment_method. Only a PaymentIntent with one of the following statuses may "
        "be captured: requires_capture."
    )
    assert info.value.json_body["error"]["payment_intent"]["id"] == intent.id


def test_cancel_sets_status_reason_and_time(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    canceled = client.v1.payment_intents.cancel(
        intent.id, {"cancellation_reason": "requested_by_customer"}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "requested_by_customer"
    assert canceled.canceled_at is not None
    assert event_types(client)[-1] == "payment_intent.canceled"


@pytest.mark.live_stripe
def test_cancel_of_a_held_payment_releases_the_authorization(client):
    intent = _hold(client)
    client.v1.payment_intents.cancel(intent.id)
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.refunded is True and charge.amount_refunded == 5000


@pytest.mark.live_stripe
def test_cancel_after_success_is_unexpected_state_with_the_intent(client):
    intent = client.v1.payment_intents.create({**PAID, **NO_REDIRECTS})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.cancel(intent.id)
    assert info.value.http_status == 400
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message.startswith(
        "You cannot cancel this PaymentIntent because it has a status of succeeded."
    )
    assert info.value.json_body["error"]["payment_intent"]["status"] == "succeeded"


@pytest.mark.live_stripe
def test_confirm_after_success_is_unexpected_state(client):
    intent = client.v1.payment_intents.create({**PAID, **NO_REDIRECTS})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.confirm(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message == (
        "You cannot confirm this PaymentIntent because it has already succeeded after being "
        "previously confirmed."
    )


@pytest.mark.live_stripe
def test_confirm_without_payment_method_is_unexpected_state(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.confirm(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert "it's missing a payment method" in info.value.user_message
