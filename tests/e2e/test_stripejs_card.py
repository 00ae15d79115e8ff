"""The Stripe.js stand-in with cards: success, redirect, declines, validation, 3-D Secure, isolation."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.merchant.driver import (
    CHALLENGE_FRAME,
    email_frame,
    fill_address,
    fill_card,
    fill_email,
    intent_id,
    outcome,
    payment_frame,
    submit,
)

pytestmark = pytest.mark.browser

CARD = "4242424242424242"


def _confirm_requests(http, seti: str) -> list[dict]:
    """The confirm calls the emulator logged for this SetupIntent."""
    path = f"/v1/setup_intents/{seti}/confirm"
    log = http.get("/_emulator/requests").json()["data"]
    return [entry for entry in log if entry["method"] == "POST" and entry["path"] == path]


def test_new_customer_card_succeeds_and_redirects_to_return_url(
    checkout, guide_client, customer, http
):
    page = checkout(order="A-17")
    fill_email(page, "new.customer@example.com")
    fill_address(page)
    fill_card(page)
    seti = intent_id(page)
    submit(page)
    page.wait_for_url("**/return?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["order"] == ["A-17"]  # the merchant's own parameter is kept
    assert query["setup_intent"] == [seti]
    assert query["setup_intent_client_secret"][0].startswith(f"{seti}_secret_")
    assert query["redirect_status"] == ["succeeded"]
    expect(page.locator("#status")).to_have_text("succeeded")
    intent = guide_client.v1.setup_intents.retrieve(seti, {"expand": ["payment_method"]})
    assert intent.status == "succeeded"
    pm = intent.payment_method
    assert (pm.type, pm.customer) == ("card", customer)
    assert (pm.card.last4, pm.card.brand) == ("4242", "visa")
    assert (pm.card.exp_month, pm.card.exp_year) == (12, 2034)
    assert pm.billing_details.email == "new.customer@example.com"
    assert pm.billing_details.address.postal_code == "94080"
    assert len(_confirm_requests(http, seti)) == 1


def test_redirect_if_required_resolves_with_the_setup_intent(checkout):
    page = checkout(redirect="if_required", address="0")
    fill_email(page, "jenny@example.com")
    fill_card(page)
    submit(page)
    result = outcome(page)
    assert "error" not in result
    assert result["setupIntent"]["status"] == "succeeded"
    assert result["setupIntent"]["id"] == intent_id(page)
    assert result["setupIntent"]["payment_method"].startswith("pm_")
    assert "customer" not in result["setupIntent"]  # the publishable-key view
    assert urlsplit(page.url).path == "/"


def test_decline_resolves_card_error_and_keeps_the_customer_on_the_page(checkout, guide_client):
    page = checkout(address="0", linkauth="0")
    fill_card(page, "4000000000000002")
    submit(page)
    error = outcome(page)["error"]
    assert error["type"] == "card_error"
    assert error["code"] == "card_declined"
    assert error["decline_code"] == "generic_decline"
    assert error["message"] == "Your card was declined."
    assert error["setup_intent"]["status"] == "requires_payment_method"
    expect(page.locator("#error-message")).to_have_text("Your card was declined.")
    assert guide_client.v1.setup_intents.retrieve(intent_id(page)).status == (
        "requires_payment_method"
    )


def test_insufficient_funds_decline_code(checkout):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, "4000000000009995")
    submit(page)
    error = outcome(page)["error"]
    assert (error["code"], error["decline_code"]) == ("card_declined", "insufficient_funds")
    assert error["message"] == "Your card has insufficient funds."


def test_empty_form_shows_validation_errors_and_calls_no_api(checkout, http):
    page = checkout()
    submit(page)
    error = outcome(page)["error"]
    assert error["type"] == "validation_error"
    card = payment_frame(page)
    expect(card.get_by_text("Your card number is incomplete.")).to_be_visible()
    expect(card.get_by_text("Your card’s expiration date is incomplete.")).to_be_visible()
    expect(card.get_by_text("Your card’s security code is incomplete.")).to_be_visible()
    expect(card.get_by_text("Your ZIP is incomplete.")).to_be_visible()
    expect(card.get_by_label("Card number")).to_have_attribute("aria-invalid", "true")
    expect(card.get_by_label("Card number")).to_have_class("Input Input--invalid")
    expect(email_frame(page).get_by_text("Your email address is incomplete.")).to_be_visible()
    assert _confirm_requests(http, intent_id(page)) == []


@pytest.mark.parametrize(
    ("number", "expiry", "cvc", "code", "message"),
    [
        ("4242", "12 / 34", "123", "incomplete_number", "Your card number is incomplete."),
        ("4242424242424241", "12 / 34", "123", "invalid_number", "Your card number is invalid."),
        (CARD, "12 / 3", "123", "incomplete_expiry", "Your card’s expiration date is incomplete."),
        (CARD, "12 / 19", "123", "invalid_expiry_year_past", "Your card’s expiration year is in the past."),
        (CARD, "12 / 34", "12", "incomplete_cvc", "Your card’s security code is incomplete."),
    ],
)  # fmt: skip
def test_card_validation_error(checkout, http, number, expiry, cvc, code, message):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, number, expiry, cvc)
    submit(page)
    error = outcome(page)["error"]
    assert error == {"type": "validation_error", "code": code, "message": message}
    expect(payment_frame(page).get_by_text(message)).to_be_visible()
    assert _confirm_requests(http, intent_id(page)) == []


def test_incomplete_address_is_a_validation_error(checkout, http):
    page = checkout()
    fill_email(page, "someone@example.com")
    fill_card(page)
    submit(page)
    error = outcome(page)["error"]
    assert error["type"] == "validation_error"
    assert error["message"] == "This field is incomplete."
    assert _confirm_requests(http, intent_id(page)) == []


AUTH_FAILED = (
    "We are unable to authenticate your payment method. Please choose a different payment "
    "method and try again."
)


def _challenge(page):
    """Stripe.js's in-page 3DS2 modal and the test page inside it (#challengeFrame)."""
    expect(page.get_by_role("dialog", name="3D Secure authentication")).to_be_visible()
    return page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")


def test_three_d_secure_modal_shows_the_test_page(checkout):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, "4000000000003220")
    submit(page)
    challenge = _challenge(page)
    expect(challenge.get_by_role("heading", name="3D Secure 2 Test Page")).to_be_visible()
    expect(challenge.locator("#test-source-authorize-3ds")).to_have_accessible_name("Complete")
    expect(challenge.locator("#test-source-fail-3ds")).to_have_accessible_name("Fail")
    expect(page.frame_locator(CHALLENGE_FRAME).get_by_role("button", name="Cancel")).to_be_visible()
    src = page.locator(CHALLENGE_FRAME).get_attribute("src")
    assert urlsplit(src).path == "/v3/three-ds-2-challenge.html"
    assert urlsplit(page.url).path == "/"  # a modal: the page has not navigated


def test_three_d_secure_confirm_with_return_url_gets_use_stripe_sdk(checkout, guide_client, http):
    page = checkout(address="0", linkauth="0")  # redirect: 'always', with a return_url
    fill_card(page, "4000000000003220")
    seti = intent_id(page)
    submit(page)
    _challenge(page)
    assert len(_confirm_requests(http, seti)) == 1
    intent = guide_client.v1.setup_intents.retrieve(seti)
    assert intent.status == "requires_action"
    assert intent.next_action.type == "use_stripe_sdk"  # Stripe.js sent use_stripe_sdk=true


def test_three_d_secure_complete_in_the_modal_then_return_url(checkout, guide_client):
    page = checkout(address="0", linkauth="0", order="3ds")
    fill_card(page, "4000000000003220")
    seti = intent_id(page)
    submit(page)
    _challenge(page).get_by_role("button", name="Complete").click()
    page.wait_for_url("**/return?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["redirect_status"] == ["succeeded"]
    assert query["order"] == ["3ds"]
    assert query["setup_intent"] == [seti]
    assert query["setup_intent_client_secret"][0].startswith(f"{seti}_secret_")
    assert guide_client.v1.setup_intents.retrieve(seti).status == "succeeded"


def test_three_d_secure_fail_in_the_modal_resolves_error_without_leaving(checkout, guide_client):
    page = checkout(address="0", linkauth="0", order="3ds")  # redirect: 'always'
    fill_card(page, "4000000000003220")
    seti = intent_id(page)
    submit(page)
    _challenge(page).get_by_role("button", name="Fail").click()
    error = outcome(page)["error"]
    assert (error["type"], error["code"]) == (
        "invalid_request_error",
        "setup_intent_authentication_failure",
    )
    assert error["message"] == AUTH_FAILED
    assert error["setup_intent"]["status"] == "requires_payment_method"
    assert urlsplit(page.url).path == "/"
    expect(page.get_by_role("dialog")).to_have_count(0)
    intent = guide_client.v1.setup_intents.retrieve(seti)
    assert intent.status == "requires_payment_method"
    assert intent.last_setup_error.code == "setup_intent_authentication_failure"


def test_three_d_secure_modal_complete_resolves_succeeded(checkout, guide_client):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, "4000000000003220")
    submit(page)
    dialog = page.get_by_role("dialog", name="3D Secure authentication")
    expect(dialog).to_be_visible()
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Complete").click()
    result = outcome(page)
    assert result["setupIntent"]["status"] == "succeeded"
    expect(dialog).to_have_count(0)
    assert guide_client.v1.setup_intents.retrieve(intent_id(page)).status == "succeeded"


def test_three_d_secure_modal_fail_resolves_authentication_error(checkout):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, "4000000000003220")
    submit(page)
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Fail").click()
    error = outcome(page)["error"]
    assert error["code"] == "setup_intent_authentication_failure"
    assert error["message"] == AUTH_FAILED
    assert error["setup_intent"]["status"] == "requires_payment_method"
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_three_d_secure_modal_cancel_fails_the_authentication(checkout):
    page = checkout(address="0", linkauth="0", redirect="if_required")
    fill_card(page, "4000000000003220")
    submit(page)
    page.frame_locator(CHALLENGE_FRAME).get_by_role("button", name="Cancel").click()
    error = outcome(page)["error"]
    assert error["code"] == "setup_intent_authentication_failure"


def test_card_number_never_enters_the_merchant_page(checkout):
    page = checkout(address="0", redirect="if_required")
    page.evaluate(
        "window.__messages = []; window.addEventListener('message', "
        "e => window.__messages.push(JSON.stringify(e.data)))"
    )
    fill_email(page, "private@example.com")
    fill_card(page, "4000056655665556", cvc="987")
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"
    html = page.content()
    messages = page.evaluate("window.__messages")
    assert messages  # the Elements did talk to the page...
    for text in (html, *messages, json.dumps(page.evaluate("window.__events"))):
        for secret in ("4000056655665556", "4000 0566 5566 5556", "5556 ", '"987"'):
            assert secret not in text  # ...but never with the card number or CVC
    frame = page.frame(url=lambda url: "elements-inner-payment" in url)
    assert frame is not None
    assert urlsplit(frame.url).netloc != urlsplit(page.url).netloc  # a cross-origin iframe
