"""Sign-up at confirm through HTTP: a sign-up naming the intent on the page (`client_secret`) is a
Link account only once that intent succeeds with it; a failed payment leaves none behind."""

from __future__ import annotations

import pytest

from .link_support import LEGACY, Page, creds, lookup_body, post_error

EMAIL = "new.customer@example.com"


@pytest.fixture
def page(emulator, secret_key):
    session = Page(emulator.base_url, secret_key)
    yield session
    session.close()


def _sign_up_error(page: Page, data: dict) -> dict:
    return post_error(page.browser, "/v1/consumers/accounts/sign_up", data)


def _wallet_error(page: Page, session_secret: str) -> dict:
    return post_error(page.browser, "/v1/consumers/payment_details/list", creds(session_secret))


def test_successful_first_payment_makes_the_link_account(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4242424242424242", si)
    assert page.confirm(si, secret, details_id).status_code == 200
    assert lookup_body(page, EMAIL)["exists"] is True
    error = _sign_up_error(page, {"email_address": EMAIL, "phone_number": "2015550123"})
    assert error["code"] == "consumer_account_exists"


def test_declined_first_payment_leaves_no_link_account(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4000000000000002", si)
    assert page.confirm(si, secret, details_id).status_code == 402
    assert lookup_body(page, EMAIL) == {"exists": False, "consumer_session": None}
    assert _wallet_error(page, secret)["code"] == "consumer_session_credentials_invalid"
    # the customer fixes the card and signs up again, on the same intent
    secret, details_id = page.sign_up_with_card(EMAIL, "4242424242424242", si)
    assert page.confirm(si, secret, details_id).status_code == 200
    session = page.lookup(EMAIL)
    page.verify(session["client_secret"])
    (card,) = page.wallet(session["client_secret"])
    assert (card["card"]["last4"], card["is_default"]) == ("4242", True)


def test_failed_three_d_secure_leaves_no_link_account(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4000000000003220", si)
    response = page.confirm(si, secret, details_id)
    assert response.json()["status"] == "requires_action"
    assert lookup_body(page, EMAIL)["exists"] is False  # not a Link account while authenticating
    failed = page.browser.post(
        f"/redirect/authenticate/{si['id']}",
        data={"key": page.pk, "client_secret": si["client_secret"], "action": "fail"},
    )
    assert failed.status_code == 303
    assert page.retrieve(si)["status"] == "requires_payment_method"
    assert lookup_body(page, EMAIL)["exists"] is False
    assert _wallet_error(page, secret)["code"] == "consumer_session_credentials_invalid"


def test_completed_three_d_secure_makes_the_link_account(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4000000000003220", si)
    assert page.confirm(si, secret, details_id).status_code == 200
    done = page.browser.post(
        f"/redirect/authenticate/{si['id']}",
        data={"key": page.pk, "client_secret": si["client_secret"], "action": "complete"},
    )
    assert done.status_code == 303
    assert lookup_body(page, EMAIL)["exists"] is True


def test_a_sign_up_waiting_for_its_payment_is_not_found_and_may_be_redone(page):
    si = page.setup_intent()
    first, _ = page.sign_up_with_card(EMAIL, "4242424242424242", si)
    assert lookup_body(page, EMAIL)["exists"] is False
    assert page.wallet(first)  # its own session still works until the payment
    second, details_id = page.sign_up_with_card(EMAIL, "5555555555554444", si)
    assert _wallet_error(page, first)["code"] == "consumer_session_credentials_invalid"
    assert page.confirm(si, second, details_id).status_code == 200
    assert lookup_body(page, EMAIL)["exists"] is True


def test_paying_with_a_card_instead_drops_the_sign_up(page):
    si = page.setup_intent()
    page.sign_up_with_card(EMAIL, "4242424242424242", si)
    paid = page.browser.post(
        f"/v1/setup_intents/{si['id']}/confirm",
        data={"client_secret": si["client_secret"], "payment_method": "pm_card_visa"},
    )
    assert paid.status_code == 200, paid.text
    assert lookup_body(page, EMAIL)["exists"] is False


def test_payment_intent_sign_up_succeeds_when_the_payment_does(page):
    pi = page.ok(
        page.server,
        "/v1/payment_intents",
        {"amount": "1099", "currency": "usd", "payment_method_types[0]": "card",
         "payment_method_types[1]": "link"},
        LEGACY,
    )  # fmt: skip
    secret, details_id = page.sign_up_with_card(EMAIL, "4242424242424242", pi)
    confirmed = page.browser.post(
        f"/v1/payment_intents/{pi['id']}/confirm",
        data={
            "client_secret": pi["client_secret"],
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": secret,
            "payment_method_data[link][payment_details_id]": details_id,
        },
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "succeeded"
    assert lookup_body(page, EMAIL)["exists"] is True


def test_tokens_of_a_failed_sign_up_log_nobody_in(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4000000000000002", si)
    declined = page.confirm(si, secret, details_id)
    token = declined.json()["error"]["payment_method"]["link"]["persistent_token"]
    assert lookup_body(page, EMAIL)["exists"] is False
    again = page.setup_intent()
    secret, details_id = page.sign_up_with_card(EMAIL, "4242424242424242", again)
    assert page.confirm(again, secret, details_id).status_code == 200
    later = page.setup_intent(token=token)
    session = page.lookup(EMAIL, later["client_secret"])
    assert session["verification_sessions"] == [{"type": "SMS", "state": "started"}]


@pytest.mark.parametrize(
    ("client_secret", "status", "code"),
    [("seti_1Unknown_secret_abc", 404, "resource_missing"),
     ("not-a-secret", 400, None)],
)  # fmt: skip
def test_sign_up_with_a_bad_client_secret_creates_nothing(page, client_secret, status, code):
    error = post_error(
        page.browser,
        "/v1/consumers/accounts/sign_up",
        {"email_address": EMAIL, "phone_number": "2015550123", "client_secret": client_secret},
        status,
    )
    assert (error["param"], error.get("code")) == ("client_secret", code)
    assert page.sign_up_with_card(EMAIL, "4242424242424242")  # the email is still free


def test_sign_up_without_client_secret_is_a_link_account_at_once(page):
    page.sign_up_with_card(EMAIL, "4000000000000002")
    assert lookup_body(page, EMAIL)["exists"] is True
