"""A returning Link customer in the Elements: the inline code panel, saved methods, autofill,
the persistent-token cookie, log out; and that codes and phone numbers never reach the page.

Sign-up at confirm: test_stripejs_link_sign_up.py.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.link_steps import OPT_IN, request_paths, sign_in
from tests.e2e.merchant.driver import (
    CHALLENGE_FRAME,
    OTP_ERRORS,
    address_frame,
    code_input,
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


def test_existing_link_email_opens_the_code_panel(checkout, link_account):
    link_account("returning@example.com")
    page = checkout()
    fill_email(page, "returning@example.com")
    frame = email_frame(page)
    expect(frame.get_by_role("heading", name="Enter your verification code")).to_be_visible()
    expect(frame.get_by_text("Enter the code sent to +1 (•••) •••-••23")).to_be_visible()
    expect(frame.get_by_role("button", name="Resend code")).to_be_visible()
    expect(frame.get_by_role("button", name="Close")).to_be_visible()
    expect(payment_frame(page).get_by_label(OPT_IN)).to_be_hidden()


@pytest.mark.parametrize("code", sorted(OTP_ERRORS))
def test_wrong_code_shows_the_error_and_a_resent_code_signs_in(checkout, link_account, code):
    link_account("otp@example.com")
    page = checkout()
    fill_email(page, "otp@example.com")
    code_input(page).fill(code)
    frame = email_frame(page)
    expect(frame.get_by_role("alert").filter(has_text=OTP_ERRORS[code])).to_be_visible()
    expect(code_input(page)).to_have_value("")
    frame.get_by_role("button", name="Resend code").click()
    expect(frame.get_by_role("status")).to_have_text("Code sent")
    code_input(page).fill("424242")
    expect(code_input(page)).to_be_hidden()
    expect(payment_frame(page).get_by_role("radio", name="Visa •••• 4242")).to_be_checked()


def test_three_wrong_codes_in_a_row_then_success(checkout, link_account):
    link_account("sequence@example.com")
    page = checkout()
    fill_email(page, "sequence@example.com")
    frame = email_frame(page)
    code_input(page).fill("000001")
    expect(frame.get_by_text(OTP_ERRORS["000001"])).to_be_visible()
    code_input(page).fill("000002")
    expect(frame.get_by_text(OTP_ERRORS["000002"])).to_be_visible()
    expect(code_input(page)).to_be_disabled()  # an expired code needs a new one (so does the API)
    expect(frame.get_by_role("button", name="Resend code")).to_be_focused()
    frame.get_by_role("button", name="Resend code").click()
    code_input(page).fill("000003")
    expect(frame.get_by_text(OTP_ERRORS["000003"])).to_be_visible()
    frame.get_by_role("button", name="Resend code").click()
    code_input(page).fill("123456")
    expect(frame.get_by_role("heading", name="Enter your verification code")).to_be_hidden()
    expect(frame.get_by_label("Signed in to Link")).to_be_visible()


def test_signed_in_customer_sees_saved_methods_and_autofilled_address(checkout, link_account):
    link_account("saved@example.com")
    page = checkout()
    sign_in(page, "saved@example.com")
    card = payment_frame(page)
    expect(card.get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
    expect(card.get_by_text("saved@example.com")).to_be_visible()
    address = address_frame(page)
    expect(address.get_by_label("Full name")).to_have_value("Jenny Rosen")
    expect(address.get_by_label("Address line 1")).to_have_value("1 Market St")
    expect(address.get_by_label("ZIP", exact=True)).to_have_value("94105")
    expect(card.get_by_label("Card number")).to_be_hidden()


def test_paying_with_a_saved_link_method_makes_a_link_payment_method(
    checkout, link_account, guide_client, customer
):
    link_account("payer@example.com")
    page = checkout(order="link")
    sign_in(page, "payer@example.com")
    expect(address_frame(page).get_by_label("City")).to_have_value("San Francisco")
    seti = intent_id(page)
    submit(page)
    page.wait_for_url("**/return?**")
    expect(page.locator("#redirect_status")).to_have_text("succeeded")
    intent = guide_client.v1.setup_intents.retrieve(seti, {"expand": ["payment_method"]})
    assert intent.status == "succeeded"
    pm = intent.payment_method
    assert (pm.type, pm.customer, pm.link.email) == ("link", customer, "payer@example.com")
    assert pm.billing_details.email == "payer@example.com"


def test_multiple_funding_sources_offers_a_bank_account(checkout, guide_client):
    page = checkout(redirect="if_required")
    sign_in(page, "jenny+multiple_funding_sources@example.com")
    card = payment_frame(page)
    expect(card.get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
    bank = card.get_by_role("radio", name="Bank account ···· 6789")
    bank.check()
    submit(page)
    result = outcome(page)
    assert result["setupIntent"]["status"] == "succeeded"
    pm = guide_client.v1.payment_methods.retrieve(result["setupIntent"]["payment_method"])
    assert pm.type == "link"


def test_default_email_starts_link_authentication_at_once(checkout, link_account):
    link_account("prefilled@example.com")
    page = checkout(email="prefilled@example.com")
    expect(code_input(page)).to_be_visible()
    expect(email_frame(page).get_by_label("Email", exact=True)).to_have_value(
        "prefilled@example.com"
    )
    changes = page.evaluate(
        "window.__events.filter(e => e.event === 'change' && "
        "e.payload.elementType === 'linkAuthentication').map(e => e.payload)"
    )
    assert changes[0] == {
        "elementType": "linkAuthentication",
        "empty": False,
        "complete": True,
        "value": {"email": "prefilled@example.com"},
    }


def test_persistent_token_cookie_signs_the_customer_in_without_a_code(checkout, merchant):
    page = checkout()
    fill_email(page, "cookie@example.com")
    fill_address(page)
    fill_card(page, save_to_link=True)
    payment_frame(page).get_by_label("Phone number").fill("2015550123")
    submit(page)
    page.wait_for_url("**/return?**")
    page = checkout()  # the return visit: /secret sends the cookie's persistent_token
    fill_email(page, "cookie@example.com")
    expect(payment_frame(page).get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
    expect(code_input(page)).to_be_hidden()


def test_log_out_of_link_returns_to_the_card_form(checkout, link_account):
    link_account("logout@example.com")
    page = checkout()
    sign_in(page, "logout@example.com")
    card = payment_frame(page)
    card.get_by_role("button", name="More Link options").click()
    card.get_by_role("menuitem", name="Log out of Link").click()
    expect(card.get_by_label("Card number")).to_be_visible()
    expect(card.get_by_role("radio", name="Visa •••• 4242")).to_be_hidden()
    expect(email_frame(page).get_by_label("Signed in to Link")).to_be_hidden()


def test_pay_another_way_uses_a_card(checkout, link_account, guide_client):
    link_account("another@example.com")
    page = checkout(redirect="if_required")
    sign_in(page, "another@example.com")
    payment_frame(page).get_by_role("button", name="Pay another way").click()
    fill_card(page, "5555555555554444")
    submit(page)
    result = outcome(page)
    pm = guide_client.v1.payment_methods.retrieve(result["setupIntent"]["payment_method"])
    assert (pm.type, pm.card.brand) == ("card", "mastercard")


def test_saved_link_card_that_needs_three_d_secure(checkout, link_account, guide_client):
    link_account("secure@example.com", card="4000000000003220")
    page = checkout(redirect="if_required")
    sign_in(page, "secure@example.com")
    submit(page)
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Complete").click()
    result = outcome(page)
    assert result["setupIntent"]["status"] == "succeeded"
    assert guide_client.v1.setup_intents.retrieve(intent_id(page)).status == "succeeded"


def test_closing_the_code_panel_continues_as_guest(checkout, link_account, guide_client):
    link_account("guest@example.com")
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "guest@example.com")
    email_frame(page).get_by_role("button", name="Close").click()
    expect(code_input(page)).to_be_hidden()
    expect(email_frame(page).get_by_role("button", name="Log in with Link")).to_be_visible()
    card = payment_frame(page)
    card.get_by_label("Card number").fill("4242424242424242")
    opt_in = card.get_by_label(OPT_IN)
    expect(opt_in).to_be_visible()
    expect(opt_in).not_to_be_checked()  # they already have Link: saving again means logging in
    fill_card(page)
    submit(page)
    result = outcome(page)
    assert result["setupIntent"]["status"] == "succeeded"
    pm = guide_client.v1.payment_methods.retrieve(result["setupIntent"]["payment_method"])
    assert pm.type == "card"


def test_no_link_authentication_when_the_intent_does_not_accept_link(checkout, link_account, http):
    link_account("cardonly@example.com")
    page = checkout(types="card", address="0", redirect="if_required")
    fill_email(page, "cardonly@example.com")
    fill_card(page)
    expect(payment_frame(page).get_by_label(OPT_IN)).to_be_hidden()
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"
    expect(code_input(page)).to_be_hidden()
    assert "/v1/consumers/sessions/lookup" not in request_paths(http)


@pytest.mark.parametrize("way", ["enter", "email button", "payment button", "edit email"])
def test_after_closing_the_code_panel_the_customer_gets_back_into_link(checkout, link_account, way):
    link_account("comes.back@example.com")
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "comes.back@example.com")
    email = email_frame(page)
    email.get_by_role("button", name="Close").click()
    expect(code_input(page)).to_be_hidden()
    card = payment_frame(page)
    if way == "enter":
        email.get_by_label("Email", exact=True).press("Enter")
    elif way == "email button":
        email.get_by_role("button", name="Log in with Link").click()
    elif way == "payment button":
        card.get_by_label("Card number").fill("4242424242424242")
        card.get_by_label(OPT_IN).check()
        card.get_by_role("button", name="Log in with Link").click()
    else:
        email.get_by_label("Email", exact=True).fill("comes.back@example.co")
        fill_email(page, "comes.back@example.com")
    expect(email.get_by_role("heading", name="Enter your verification code")).to_be_visible()
    code_input(page).fill("123456")
    expect(email.get_by_label("Signed in to Link")).to_be_visible()
    expect(email.get_by_role("button", name="Log in with Link")).to_be_hidden()
    expect(card.get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"


def test_log_out_then_log_in_again(checkout, link_account):
    link_account("logs.back@example.com")
    page = checkout()
    sign_in(page, "logs.back@example.com")
    card = payment_frame(page)
    card.get_by_role("button", name="More Link options").click()
    card.get_by_role("menuitem", name="Log out of Link").click()
    email = email_frame(page)
    email.get_by_role("button", name="Log in with Link").click()
    code_input(page).fill("123456")
    expect(card.get_by_role("radio", name="Visa •••• 4242")).to_be_checked()


def test_codes_and_phone_numbers_never_reach_the_merchant_page(checkout, link_account):
    def watch(page) -> None:
        page.evaluate(
            "window.__messages = []; window.addEventListener('message', "
            "e => window.__messages.push(JSON.stringify(e.data)))"
        )

    def assert_private(page, secrets: tuple[str, ...]) -> None:
        messages = page.evaluate("window.__messages")
        assert messages  # the Elements did talk to the page...
        texts = (page.content(), *messages, json.dumps(page.evaluate("window.__events")))
        for text in texts:
            for secret in secrets:
                assert secret not in text  # ...but never with a code or a phone number

    page = checkout(address="0", redirect="if_required")  # a new customer signs up
    watch(page)
    fill_email(page, "private.signup@example.com")
    fill_card(page, save_to_link=True)
    payment_frame(page).get_by_label("Phone number").fill("(201) 555-0177")
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"
    assert_private(page, ("2015550177", "555-0177", "555 0177", "5550177"))

    link_account("private.code@example.com")  # its phone: +1 201 555 0123
    page = checkout(address="0", redirect="if_required")  # a returning customer enters codes
    watch(page)
    fill_email(page, "private.code@example.com")
    code_input(page).fill("000001")
    expect(email_frame(page).get_by_text(OTP_ERRORS["000001"])).to_be_visible()
    code_input(page).fill("864209")
    expect(email_frame(page).get_by_label("Signed in to Link")).to_be_visible()
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"
    assert_private(page, ("864209", "000001", "2015550123", "555-0123", "••"))
