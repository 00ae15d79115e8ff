"""embedded_page's `GET /secret`: the SetupIntent it creates for the browser's customer (the
API version's parameters, the persistent-token cookie passed back) and what it never shows."""

from __future__ import annotations

import logging

import stripe

from embedded_page.app import PERSISTENT_TOKEN_COOKIE
from tests.embedded_page.setup_steps import (
    LEGACY_VERSION,
    client_secret_from,
    intent_id,
)


def test_secret_returns_only_the_client_secret(page, client):
    response = page.get("/secret")
    assert response.status_code == 200
    assert list(response.json()) == ["client_secret"]
    assert response.headers["cache-control"] == "no-store"
    intent = client.v1.setup_intents.retrieve(intent_id(response.json()["client_secret"]))
    assert intent.client_secret == response.json()["client_secret"]
    assert intent.status == "requires_payment_method"
    assert intent.customer.startswith("cus_")


def test_secret_creates_the_customer_once(page, client):
    first = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    second = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert first.id != second.id
    assert first.customer == second.customer
    assert [c.id for c in client.v1.customers.list().data] == [first.customer]


def test_secret_uses_the_configured_customer(page_for, client):
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    page = page_for(customer=customer.id)
    intent = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert intent.customer == customer.id
    assert len(client.v1.customers.list().data) == 1


def test_secret_gives_each_new_browser_its_own_customer(page_for, client):
    page = page_for()
    first = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    page.cookies.clear()  # another browser: no session cookie
    second = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert first.customer != second.customer
    assert len(client.v1.customers.list().data) == 2


def test_secret_ignores_a_customer_query_parameter(page, client):
    other = client.v1.customers.create({"name": "Somebody else"})
    secret = client_secret_from(page, f"/secret?customer={other.id}")
    assert client.v1.setup_intents.retrieve(intent_id(secret)).customer != other.id


def test_secret_sets_an_httponly_session_cookie(page):
    response = page.get("/secret")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("linklab_session=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert "set-cookie" not in page.get("/secret").headers  # the session is kept, not renewed


def test_secret_on_current_version_uses_allowed_payment_method_types(page, client, emulator):
    intent = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert intent.allowed_payment_method_types == ["card", "link"]
    assert intent.payment_method_types == ["card", "link"]


def test_secret_before_endive_uses_payment_method_types(page_for, legacy_client):
    page = page_for(api_version=LEGACY_VERSION)
    intent = legacy_client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert intent.payment_method_types == ["card", "link"]


def test_secret_passes_the_persistent_token_cookie(page_for, legacy_client):
    page = page_for(api_version=LEGACY_VERSION)
    response = page.get(
        "/secret", headers={"Cookie": f"{PERSISTENT_TOKEN_COOKIE}=csmrtok_from_cookie"}
    )
    intent = legacy_client.v1.setup_intents.retrieve(intent_id(response.json()["client_secret"]))
    assert intent.payment_method_options.link.persistent_token == "csmrtok_from_cookie"


def test_secret_without_cookie_sends_no_link_options(page, client):
    intent = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    options = (intent.payment_method_options or stripe.StripeObject()).to_dict()
    assert (options.get("link") or {}).get("persistent_token") is None


def test_secret_hides_errors_about_our_own_keys(page_for, caplog, secret_key):
    bad_key = "sk_test_" + "x" * 300  # well-formed for the page, refused by the API (401)
    page = page_for(secret_key=bad_key)
    with caplog.at_level(logging.INFO, logger="embedded_page"):
        response = page.get("/secret")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "type": "api_error",
            "message": "Something went wrong on our side. Please try again.",
        }
    }
    assert "AuthenticationError" in caplog.text
    assert bad_key not in caplog.text and "x" * 20 not in caplog.text


def test_secret_when_stripe_is_unreachable_is_a_generic_500(page_for, free_port):
    page = page_for(api_base=f"http://127.0.0.1:{free_port}")
    response = page.get("/secret")
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "api_error"
