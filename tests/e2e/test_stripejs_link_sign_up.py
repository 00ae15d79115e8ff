"""Link sign-up at confirm in the Elements: the opt-in and its phone number, and what a confirm
that fails or is refused leaves behind (no Link account).

The returning customer (the code panel, saved methods, log out): test_stripejs_link_sign_in.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.link_steps import OPT_IN, only_visa_4242_in_link, request_paths
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


def test_sign_up_at_confirm_saves_a_link_payment_method(
    checkout, guide_client, customer, link_lookup
):
    page = checkout()
    fill_email(page, "jenny.new@example.com")
    fill_address(page)
    card = payment_frame(page)
    expect(card.get_by_label(OPT_IN)).to_be_hidden()  # offered once the card number is complete
    fill_card(page, save_to_link=True)
    card.get_by_label("Phone number").fill("(201) 555-0123")
    expect(card.get_by_text("you agree to create a Link account")).to_be_visible()
    seti = intent_id(page)
    submit(page)
    page.wait_for_url("**/return?**")
    expect(page.locator("#payment_method_type")).to_have_text("link")
    pm = guide_client.v1.setup_intents.retrieve(seti, {"expand": ["payment_method"]}).payment_method
    assert (pm.type, pm.customer, pm.link.email) == ("link", customer, "jenny.new@example.com")
    assert pm.link.persistent_token
    assert link_lookup("jenny.new@example.com")["exists"] is True
    assert any(c["name"] == "stripe.link.persistent_token" for c in page.context.cookies())


def test_opt_in_without_phone_is_a_validation_error(checkout, link_lookup):
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "no.phone@example.com")
    fill_card(page, save_to_link=True)
    submit(page)
    error = outcome(page)["error"]
    assert error["type"] == "validation_error"
    assert error["message"] == "Please provide a mobile phone number."
    expect(payment_frame(page).get_by_text("Please provide a mobile phone number.")).to_be_visible()
    assert link_lookup("no.phone@example.com")["exists"] is False


def test_opt_in_is_checked_by_default_and_the_phone_only_needed_while_checked(
    checkout, guide_client, link_lookup
):
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "saves.a.card@example.com")
    card = payment_frame(page)
    card.get_by_label("Card number").fill("4242424242424242")
    expect(card.get_by_label(OPT_IN)).to_be_checked()
    expect(card.get_by_label("Phone number")).to_be_visible()
    card.get_by_label(OPT_IN).uncheck()
    expect(card.get_by_label("Phone number")).to_be_hidden()
    fill_card(page)  # a customer who only wants to save a card: box unticked, no phone
    submit(page)
    result = outcome(page)
    pm = guide_client.v1.payment_methods.retrieve(result["setupIntent"]["payment_method"])
    assert pm.type == "card"
    assert link_lookup("saves.a.card@example.com")["exists"] is False


def test_decline_after_opt_in_leaves_no_link_account_and_retry_works(
    checkout, guide_client, link_lookup
):
    page = checkout(redirect="if_required")
    fill_email(page, "declined.first@example.com")
    fill_address(page)
    fill_card(page, "4000000000000002", save_to_link=True)
    card = payment_frame(page)
    card.get_by_label("Phone number").fill("(201) 555-0123")
    submit(page)
    assert outcome(page)["error"]["message"] == "Your card was declined."
    assert link_lookup("declined.first@example.com") == {"exists": False, "consumer_session": None}
    expect(card.get_by_label(OPT_IN)).to_be_checked()  # the opt-in is still there, as it was
    expect(card.get_by_label("Phone number")).to_have_value("(201) 555-0123")
    expect(email_frame(page).get_by_label("Signed in to Link")).to_be_hidden()
    page.evaluate("delete window.__outcome")
    card.get_by_label("Card number").fill("4242424242424242")
    submit(page)
    result = outcome(page)
    assert result["setupIntent"]["status"] == "succeeded"
    pm = guide_client.v1.payment_methods.retrieve(result["setupIntent"]["payment_method"])
    assert (pm.type, pm.link.email) == ("link", "declined.first@example.com")
    page = checkout()  # the next visit: the Link account holds only the card that worked
    only_visa_4242_in_link(page, link_lookup, "declined.first@example.com")


def test_failed_three_d_secure_after_opt_in_leaves_no_link_account(checkout, link_lookup):
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "three.ds.first@example.com")
    fill_card(page, "4000000000003220", save_to_link=True)
    card = payment_frame(page)
    card.get_by_label("Phone number").fill("2015550123")
    submit(page)
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Fail").click()
    assert outcome(page)["error"]["code"] == "setup_intent_authentication_failure"
    assert link_lookup("three.ds.first@example.com")["exists"] is False
    expect(card.get_by_label(OPT_IN)).to_be_checked()
    page.evaluate("delete window.__outcome")
    card.get_by_label("Card number").fill("4242424242424242")
    submit(page)
    assert outcome(page)["setupIntent"]["status"] == "succeeded"
    assert link_lookup("three.ds.first@example.com")["exists"] is True


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("555-0123", "Your mobile phone number is incomplete."),
        ("+1 555 0123", "Your mobile phone number is incomplete."),
        ("201 555 01234", "Your mobile phone number is invalid."),
    ],
)
def test_bad_phone_shows_the_field_error_and_sends_nothing(
    checkout, http, link_lookup, phone, message
):
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "bad.phone@example.com")
    fill_card(page, save_to_link=True)
    card = payment_frame(page)
    field = card.get_by_label("Phone number")
    field.fill(phone)
    before = request_paths(http)
    submit(page)
    error = outcome(page)["error"]
    assert (error["type"], error["message"]) == ("validation_error", message)
    expect(card.locator("#payment-linkMobilePhoneInput-error")).to_have_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_css("color", "rgb(223, 27, 65)")  # marked red
    expect(field).to_be_focused()
    assert request_paths(http) == before  # nothing sent
    assert link_lookup("bad.phone@example.com")["exists"] is False
    field.fill("+1 201 555 0123")  # fixed: accepted by the emulator too
    expect(field).to_have_attribute("aria-invalid", "false")


def test_returning_guest_who_keeps_the_opt_in_is_asked_to_log_in(checkout, link_account, http):
    link_account("ticks.anyway@example.com")
    page = checkout(address="0", redirect="if_required")
    fill_email(page, "ticks.anyway@example.com")
    email_frame(page).get_by_role("button", name="Close").click()
    fill_card(page, save_to_link=True)
    card = payment_frame(page)
    expect(card.get_by_label("Phone number")).to_be_hidden()
    before = request_paths(http)
    submit(page)
    error = outcome(page)["error"]
    assert (error["type"], error["code"]) == ("validation_error", "link_login_required")
    expect(card.get_by_role("alert").filter(has_text="Log in with Link")).to_be_visible()
    assert request_paths(http) == before
