"""`return_url` on confirm when `automatic_payment_methods[enabled]=true` allows redirects."""

import pytest
import stripe

APM = {"enabled": True}
NO_REDIRECTS = {"enabled": True, "allow_redirects": "never"}
RETURN_URL = "https://example.com/order/123/complete"
PI = {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa"}
MESSAGE_END = (
    "is configured to automatically accept the payment methods enabled in the Dashboard, some of "
    "which may require a full page redirect to succeed. If you do not want to accept "
    "redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and "
    "`automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and "
    "Payment Intents."
)


def _assert_return_url_required(info, noun: str) -> None:
    assert info.value.http_status == 400
    assert info.value.error.type == "invalid_request_error"
    assert info.value.param == "return_url"
    assert info.value.user_message == f"A `return_url` must be specified because this {noun} " + (
        MESSAGE_END
    )


@pytest.mark.live_stripe
def test_payment_intent_create_and_confirm_without_return_url_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({**PI, "automatic_payment_methods": APM, "confirm": True})
    _assert_return_url_required(info, "Payment Intent")


@pytest.mark.live_stripe
def test_payment_intent_confirm_without_return_url_is_refused(client):
    intent = client.v1.payment_intents.create({**PI, "automatic_payment_methods": APM})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.confirm(intent.id)
    _assert_return_url_required(info, "Payment Intent")
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_confirmation"


@pytest.mark.live_stripe
def test_payment_intent_with_return_url_confirms(client):
    intent = client.v1.payment_intents.create(
        {**PI, "automatic_payment_methods": APM, "confirm": True, "return_url": RETURN_URL}
    )
    assert intent.status == "succeeded"
    intent = client.v1.payment_intents.create({**PI, "automatic_payment_methods": APM})
    assert client.v1.payment_intents.confirm(intent.id, {"return_url": RETURN_URL}).status == (
        "succeeded"
    )


@pytest.mark.live_stripe
def test_payment_intent_without_redirects_needs_no_return_url(client):
    intent = client.v1.payment_intents.create(
        {**PI, "automatic_payment_methods": NO_REDIRECTS, "confirm": True}
    )
    assert intent.status == "succeeded"


def test_payment_intent_without_automatic_payment_methods_needs_no_return_url(client):
    """Not sent: the account's Dashboard settings decide; the emulator accepts."""
    assert client.v1.payment_intents.create({**PI, "confirm": True}).status == "succeeded"


def test_off_session_charge_of_the_guide_needs_no_return_url(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    intent = client.v1.payment_intents.create(
        {
            **PI,
            "customer": customer.id,
            "payment_method": pm.id,
            "off_session": True,
            "confirm": True,
        }
    )
    assert intent.status == "succeeded"


def test_off_session_with_automatic_payment_methods_follows_the_docs_example(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    params = {**PI, "customer": customer.id, "payment_method": pm.id, "off_session": True}
    params.update(confirm=True, automatic_payment_methods=APM)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create(params)
    _assert_return_url_required(info, "Payment Intent")
    assert client.v1.payment_intents.create({**params, "return_url": RETURN_URL}).status == (
        "succeeded"
    )


@pytest.mark.live_stripe
def test_setup_intent_create_and_confirm_without_return_url_is_refused(client):
    customer = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create(
            {
                "customer": customer.id,
                "payment_method": "pm_card_visa",
                "automatic_payment_methods": APM,
                "confirm": True,
            }
        )
    _assert_return_url_required(info, "Setup Intent")


@pytest.mark.live_stripe
def test_setup_intent_confirm_without_return_url_is_refused(client):
    si = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "automatic_payment_methods": APM}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.confirm(si.id)
    _assert_return_url_required(info, "Setup Intent")
    assert client.v1.setup_intents.confirm(si.id, {"return_url": RETURN_URL}).status == (
        "succeeded"
    )


def test_confirm_with_the_publishable_key_is_not_checked(client, pk_client):
    """Stripe.js confirmations pass their own `return_url`; the emulator leaves them alone."""
    si = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "automatic_payment_methods": APM}
    )
    confirmed = pk_client.v1.setup_intents.confirm(si.id, {"client_secret": si.client_secret})
    assert confirmed.status == "succeeded"
