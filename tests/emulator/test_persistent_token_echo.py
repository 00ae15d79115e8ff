"""`payment_method_options[link][persistent_token]` through stripe-python (docs/facts/link.md#persistent-token):
accepted and echoed on SetupIntent and PaymentIntent create, update and confirm, on the guide's
API version (2024-04-10, `payment_method_types: card, link`) and on the current one."""

from __future__ import annotations

import pytest
import stripe

VERSIONS = {
    # the guide's era: payment_method_types (refused from endive on)
    "2024-04-10": ("legacy_client", {"payment_method_types": ["card", "link"]}),
    # the current version: automatic payment methods
    "current": ("client", {}),
}


@pytest.fixture(params=list(VERSIONS))
def sdk(request) -> tuple[stripe.StripeClient, dict]:
    """(stripe-python client, the intent's payment method parameters on that version)."""
    fixture, types = VERSIONS[request.param]
    return request.getfixturevalue(fixture), types


def _link_options(token: str) -> dict:
    return {"payment_method_options": {"link": {"persistent_token": token}}}


def _token(intent) -> str | None:
    return intent.payment_method_options.link.persistent_token


PI = {"amount": 1099, "currency": "usd"}


# -- SetupIntent -------------------------------------------------------------------------------


def test_setup_intent_create_echoes_the_token(sdk):
    client, types = sdk
    si = client.v1.setup_intents.create({**types, **_link_options("csmrtok_create")})
    assert si.status == "requires_payment_method"
    assert _token(si) == "csmrtok_create"
    assert _token(client.v1.setup_intents.retrieve(si.id)) == "csmrtok_create"


def test_setup_intent_update_echoes_the_token(sdk):
    client, types = sdk
    si = client.v1.setup_intents.create(types)
    assert _token(si) is None
    updated = client.v1.setup_intents.update(si.id, _link_options("csmrtok_update"))
    assert _token(updated) == "csmrtok_update"
    assert _token(client.v1.setup_intents.retrieve(si.id)) == "csmrtok_update"


def test_setup_intent_confirm_echoes_the_token(sdk):
    client, types = sdk
    si = client.v1.setup_intents.create({**types, **_link_options("csmrtok_before")})
    confirmed = client.v1.setup_intents.confirm(
        si.id, {"payment_method": "pm_card_visa", **_link_options("csmrtok_confirm")}
    )
    assert confirmed.status == "succeeded"
    assert _token(confirmed) == "csmrtok_confirm"
    assert _token(client.v1.setup_intents.retrieve(si.id)) == "csmrtok_confirm"


# -- PaymentIntent -----------------------------------------------------------------------------


def test_payment_intent_create_echoes_the_token(sdk):
    client, types = sdk
    pi = client.v1.payment_intents.create({**PI, **types, **_link_options("csmrtok_create")})
    assert pi.status == "requires_payment_method"
    assert _token(pi) == "csmrtok_create"
    assert _token(client.v1.payment_intents.retrieve(pi.id)) == "csmrtok_create"


def test_payment_intent_update_echoes_the_token(sdk):
    client, types = sdk
    pi = client.v1.payment_intents.create({**PI, **types})
    assert _token(pi) is None
    updated = client.v1.payment_intents.update(pi.id, _link_options("csmrtok_update"))
    assert _token(updated) == "csmrtok_update"
    assert _token(client.v1.payment_intents.retrieve(pi.id)) == "csmrtok_update"


def test_payment_intent_confirm_echoes_the_token(sdk):
    client, types = sdk
    pi = client.v1.payment_intents.create({**PI, **types, **_link_options("csmrtok_before")})
    confirmed = client.v1.payment_intents.confirm(
        pi.id, {"payment_method": "pm_card_visa", **_link_options("csmrtok_confirm")}
    )
    assert confirmed.status == "succeeded"
    assert _token(confirmed) == "csmrtok_confirm"
    assert _token(client.v1.payment_intents.retrieve(pi.id)) == "csmrtok_confirm"
