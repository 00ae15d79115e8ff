"""embedded_page's return_url handler `/order/complete` (retrieve with expand, the persistent-token
cookie, a 400 page for anything malformed) and `/order/success`."""

from __future__ import annotations

import pytest
import stripe

from embedded_page.app import PERSISTENT_TOKEN_COOKIE
from tests.embedded_page.setup_steps import (
    client_secret_from,
    complete_url,
    intent_id,
    save_card,
    save_with_link,
    set_cookie_header,
)

# -- /order/complete ----------------------------------------------------------------------------


def test_complete_after_saving_a_card_redirects_to_success_without_cookie(page, client):
    secret = client_secret_from(page)
    save_card(client, secret)
    response = page.get(complete_url(secret), follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].startswith(
        f"/order/success?setup_intent={intent_id(secret)}&setup_intent_client_secret="
    )
    assert "set-cookie" not in response.headers


def test_complete_after_saving_with_link_sets_the_persistent_token_cookie(page, pk_http):
    secret = client_secret_from(page)
    saved = save_with_link(pk_http, secret, "new.link.customer@example.com")
    response = page.get(complete_url(secret), follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].startswith("/order/success?")
    cookie = set_cookie_header(response)[PERSISTENT_TOKEN_COOKIE]
    token = saved["payment_method"]["link"]["persistent_token"]
    assert token and cookie.value == token
    assert cookie["max-age"] == str(90 * 24 * 60 * 60)
    assert cookie["expires"]
    assert cookie["path"] == "/"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "strict"


def test_the_cookie_goes_into_the_next_setup_intent(page, pk_http, client):
    secret = client_secret_from(page)
    saved = save_with_link(pk_http, secret, "returning@example.com")
    page.get(complete_url(secret), follow_redirects=False)
    assert (
        page.cookies.get(PERSISTENT_TOKEN_COOKIE)
        == saved["payment_method"]["link"]["persistent_token"]
    )
    next_intent = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert (
        next_intent.payment_method_options.link.persistent_token
        == saved["payment_method"]["link"]["persistent_token"]
    )


def test_complete_for_an_unsaved_intent_goes_back_to_checkout(page):
    secret = client_secret_from(page)
    response = page.get(complete_url(secret), follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"/checkout?setup_intent_client_secret={secret}"
    assert "set-cookie" not in response.headers


def test_the_react_checkout_gets_its_customer_back_on_the_react_page(page, pk_http):
    """The React page's return_url says `checkout=react`: a failed setup goes back there, a
    saved one carries it to the success page; any other value means the plain page."""
    secret = client_secret_from(page)
    failed = page.get(complete_url(secret) + "&checkout=react", follow_redirects=False)
    assert failed.headers["location"] == f"/react?setup_intent_client_secret={secret}"
    elsewhere = page.get(complete_url(secret) + "&checkout=//evil.example", follow_redirects=False)
    assert elsewhere.headers["location"] == f"/checkout?setup_intent_client_secret={secret}"
    save_with_link(pk_http, secret, "react@example.com")
    saved = page.get(complete_url(secret) + "&checkout=react", follow_redirects=False)
    assert saved.headers["location"].startswith("/order/success?")
    assert "checkout=react" in saved.headers["location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "The setup_intent query parameter is missing."),
        ("?setup_intent=", "The setup_intent query parameter is missing."),
        ("?setup_intent=pi_123&setup_intent_client_secret=x", "is not a SetupIntent id"),
        ("?setup_intent=seti_1../../v1/customers", "is not a SetupIntent id"),
    ],
)
def test_complete_rejects_a_missing_or_malformed_setup_intent(page, query, message):
    response = page.get(f"/order/complete{query}", follow_redirects=False)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text
    assert "set-cookie" not in response.headers


def test_complete_unknown_setup_intent_is_a_400_page(page):
    response = page.get(
        "/order/complete?setup_intent=seti_Unknown000000000000000000"
        "&setup_intent_client_secret=seti_Unknown000000000000000000_secret_abc",
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "No such setupintent: &#39;seti_Unknown000000000000000000&#39;" in response.text


def test_complete_setup_intent_of_another_account_is_a_400_page(page, emulator):
    other_key = "sk_test_embedded_page_other_account"
    emulator.reset(other_key)
    other = stripe.StripeClient(other_key, base_addresses={"api": emulator.base_url})
    foreign = other.v1.setup_intents.create({"payment_method": "pm_card_visa", "confirm": True})
    assert foreign.status == "succeeded"
    response = page.get(complete_url(foreign.client_secret), follow_redirects=False)
    assert response.status_code == 400
    assert "No such setupintent" in response.text


def test_complete_with_a_wrong_client_secret_is_a_400_page(page, client):
    secret = client_secret_from(page)
    save_card(client, secret)
    other_secret = client_secret_from(page)
    response = page.get(
        f"/order/complete?setup_intent={intent_id(secret)}&setup_intent_client_secret={other_secret}",
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "This SetupIntent was not created for this checkout." in response.text


def test_complete_without_the_client_secret_is_a_400_page(page, client):
    secret = client_secret_from(page)
    save_card(client, secret)
    response = page.get(f"/order/complete?setup_intent={intent_id(secret)}", follow_redirects=False)
    assert response.status_code == 400
    assert "setup_intent_client_secret query parameter is missing" in response.text


# -- /order/success -----------------------------------------------------------------------------


def test_success_shows_the_saved_card(page, client):
    secret = client_secret_from(page)
    save_card(client, secret)
    response = page.get(complete_url(secret))  # follows the 307
    assert response.status_code == 200
    assert str(response.url).startswith("https://testserver/order/success?")
    assert 'id="saved-status">succeeded<' in response.text
    assert 'id="saved-type">card<' in response.text
    assert "Visa •••• 4242" in response.text


def test_success_shows_the_link_email(page, pk_http):
    secret = client_secret_from(page)
    save_with_link(pk_http, secret, "shown@example.com")
    response = page.get(complete_url(secret))
    assert 'id="saved-type">link<' in response.text
    assert 'id="saved-email">shown@example.com<' in response.text


def test_success_for_an_unsaved_intent_goes_back_to_checkout(page):
    secret = client_secret_from(page)
    response = page.get(
        f"/order/success?setup_intent={intent_id(secret)}&setup_intent_client_secret={secret}",
        follow_redirects=False,
    )
    assert response.status_code == 307
    assert response.headers["location"] == f"/checkout?setup_intent_client_secret={secret}"


def test_success_without_setup_intent_is_a_400_page(page):
    response = page.get("/order/success")
    assert response.status_code == 400
    assert "The setup_intent query parameter is missing." in response.text
