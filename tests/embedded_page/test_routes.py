"""embedded_page's pages, /config, /secret and the return_url, through Starlette's TestClient
with the emulator as the Stripe API (fixtures in conftest.py)."""

from __future__ import annotations

import json
import logging
import re
from http.cookies import SimpleCookie

import httpx
import pytest
import stripe

from embedded_page import react_page
from embedded_page.app import PERSISTENT_TOKEN_COOKIE

LEGACY_VERSION = "2024-04-10"


def client_secret_from(page, path: str = "/secret") -> str:
    response = page.get(path)
    assert response.status_code == 200, response.text
    return response.json()["client_secret"]


def intent_id(client_secret: str) -> str:
    return client_secret.split("_secret_")[0]


def save_card(client: stripe.StripeClient, client_secret: str) -> None:
    intent = client.v1.setup_intents.confirm(
        intent_id(client_secret), {"payment_method": "pm_card_visa"}
    )
    assert intent.status == "succeeded"


def save_with_link(pk_http: httpx.Client, client_secret: str, email: str) -> dict:
    """What Stripe.js does for a new customer who signs up for Link and saves a card."""
    session = pk_http.post(
        "/v1/consumers/accounts/sign_up",
        data={"email_address": email, "phone_number": "+15555550123", "country": "US"},
    ).json()
    credentials = session["client_secret"]
    details = pk_http.post(
        "/v1/consumers/payment_details",
        data={
            "credentials[consumer_session_client_secret]": credentials,
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
        },
    ).json()
    confirmed = pk_http.post(
        f"/v1/setup_intents/{intent_id(client_secret)}/confirm",
        data={
            "client_secret": client_secret,
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": credentials,
            "payment_method_data[link][payment_details_id]": details["id"],
            "expand[0]": "payment_method",
        },
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "succeeded"
    return confirmed.json()


def complete_url(client_secret: str) -> str:
    return (
        f"/order/complete?setup_intent={intent_id(client_secret)}"
        f"&setup_intent_client_secret={client_secret}&redirect_status=succeeded"
    )


def set_cookie_header(response: httpx.Response) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie


# -- the checkout page and /config --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/checkout"])
def test_checkout_page_has_the_three_elements_in_order(page, path):
    response = page.get(path)
    assert response.status_code == 200
    html = response.text
    positions = [
        html.index('id="link-authentication-element"'),
        html.index('id="address-element"'),
        html.index('id="payment-element"'),
        html.index('id="submit"'),
    ]
    assert positions == sorted(positions)
    assert '<script src="/static/checkout.js"' in html


def test_checkout_page_passes_known_details_as_defaults(page):
    response = page.get("/checkout?email=jenny%40example.com&name=Jenny+Rosen&phone=%2B15555550123")
    script = re.search(
        r'<script type="application/json" id="checkout-defaults">(.*?)</script>', response.text
    )
    assert json.loads(script.group(1)) == {
        "email": "jenny@example.com",
        "name": "Jenny Rosen",
        "phone": "+15555550123",
    }


def test_checkout_page_defaults_cannot_break_out_of_the_script(page):
    response = page.get("/checkout", params={"email": "</script><script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.text


def test_static_script_and_stylesheet_are_served(page):
    script = page.get("/static/checkout.js")
    assert script.status_code == 200
    assert "stripe.confirmSetup" in script.text
    assert page.get("/static/style.css").status_code == 200


def test_config_gives_publishable_key_and_stripe_js_url(page_for, emulator, publishable_key):
    response = page_for(api_version=LEGACY_VERSION).get("/config")
    assert response.json() == {
        "publishableKey": publishable_key,
        "stripeJsUrl": f"{emulator.base_url}/v3/",
        "apiVersion": LEGACY_VERSION,
        "returnUrl": "/order/complete",
    }


# -- /react: the guide's React Checkout.js, built by `make react` --------------------------------


@pytest.fixture
def react_build(tmp_path, monkeypatch):
    """A stand-in for Vite's dist/ (the real one may or may not be built on this machine)."""
    build = tmp_path / "dist"
    monkeypatch.setattr(react_page, "BUILD", build)
    monkeypatch.setattr(react_page, "INDEX", build / "index.html")
    return build


def test_react_page_without_a_build_says_how_to_get_it(page, react_build):
    response = page.get("/react")
    assert response.status_code == 503
    assert "make react" in response.text
    assert page.get("/react/assets/index-abc.js").status_code == 404
    assert page.get("/checkout").status_code == 200  # everything else works


def test_react_page_serves_the_build_and_its_assets(page, react_build):
    (react_build / "assets").mkdir(parents=True)
    (react_build / "index.html").write_text('<div id="root"></div>')
    (react_build / "assets" / "index-abc.js").write_text("console.log(1)")
    response = page.get("/react")
    assert (response.status_code, response.text) == (200, '<div id="root"></div>')
    assert response.headers["cache-control"] == "no-store"
    asset = page.get("/react/assets/index-abc.js")
    assert (asset.status_code, asset.text) == (200, "console.log(1)")
    assert page.get("/react/assets/../index.html").status_code == 404


# -- /secret ------------------------------------------------------------------------------------


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
