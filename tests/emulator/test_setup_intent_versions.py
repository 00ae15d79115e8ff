"""SetupIntents across API versions through stripe-python: payment method types before and
from endive, allowed types from dahlia, the Link persistent token (docs/facts/api_versions.md#payment-method-types-by-version)."""

import pytest
import stripe


@pytest.mark.live_stripe
def test_endive_refuses_payment_method_types(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create({"payment_method_types": ["card", "link"]})
    assert info.value.http_status == 400
    assert info.value.code == "payment_method_types_no_longer_supported"


@pytest.mark.live_stripe
def test_legacy_version_accepts_payment_method_types(legacy_client):
    si = legacy_client.v1.setup_intents.create({"payment_method_types": ["card", "link"]})
    assert si.payment_method_types == ["card", "link"]
    assert si.automatic_payment_methods is None
    assert si.payment_method_options.link.persistent_token is None


@pytest.mark.live_stripe
def test_legacy_version_does_not_know_allowed_payment_method_types(legacy_client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        legacy_client.v1.setup_intents.create({"allowed_payment_method_types": ["card"]})
    assert (info.value.code, info.value.param) == (
        "parameter_unknown",
        "allowed_payment_method_types",
    )


def test_endive_allowed_payment_method_types(client):
    si = client.v1.setup_intents.create({"allowed_payment_method_types": ["card", "link"]})
    assert si.payment_method_types == ["card", "link"]
    assert si.allowed_payment_method_types == ["card", "link"]


@pytest.mark.live_stripe
def test_allowed_types_exclusive_with_automatic_payment_methods(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create(
            {
                "allowed_payment_method_types": ["card"],
                "automatic_payment_methods": {"enabled": True},
            }
        )
    assert info.value.http_status == 400
    assert info.value.param == "automatic_payment_methods"


@pytest.mark.live_stripe
def test_unknown_payment_method_type_is_invalid(legacy_client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        legacy_client.v1.setup_intents.create({"payment_method_types": ["card", "foo"]})
    assert info.value.code == "parameter_invalid_string"
    assert info.value.user_message.startswith("The payment method type provided: foo is invalid.")


def test_payment_method_of_disallowed_type_is_refused(client):
    si = client.v1.setup_intents.create({"allowed_payment_method_types": ["link"]})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.confirm(si.id, {"payment_method": "pm_card_visa"})
    assert (info.value.code, info.value.param) == (
        "setup_intent_invalid_parameter",
        "payment_method",
    )


def test_persistent_token_is_echoed_on_create_update_and_confirm(client):
    def token(si):
        return si.payment_method_options.link.persistent_token

    si = client.v1.setup_intents.create(
        {"payment_method_options": {"link": {"persistent_token": "tok-a"}}}
    )
    updated = client.v1.setup_intents.update(
        si.id, {"payment_method_options": {"link": {"persistent_token": "tok-b"}}}
    )
    confirmed = client.v1.setup_intents.confirm(
        si.id,
        {
            "payment_method": "pm_card_visa",
            "payment_method_options": {"link": {"persistent_token": "tok-c"}},
        },
    )
    assert [token(si), token(updated), token(confirmed)] == ["tok-a", "tok-b", "tok-c"]


def test_intent_keeps_its_creation_api_version(legacy_client, emulator, account_suffix):
    si = legacy_client.v1.setup_intents.create()
    stored = emulator.app.store.account(account_suffix).setup_intents.get(si.id)
    assert stored.api_version == "2024-04-10"
