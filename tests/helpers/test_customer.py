"""helpers.customer: the scripted customer on each scenario, against a lesson's real page."""

from __future__ import annotations

import pytest

from helpers import customer as scripted
from helpers.observations import code_outcomes

pytestmark = pytest.mark.browser

AUTH_FAILED = (
    "We are unable to authenticate your payment method. "
    "Please choose a different payment method and try again."
)


def test_card_checkout_saves_the_card(lesson, customer):
    visit = scripted.checkout(
        lesson.login_url(customer.id), email=customer.email, card="4242424242424242"
    )
    assert visit.completed, visit
    assert visit.landed == "/order/success"
    assert visit.saved["Type"] == "card" and visit.saved["Card"] == "Visa •••• 4242"
    assert visit.saved["Customer"] == customer.id
    assert [step for step, _ in visit.steps] == [
        "open the checkout page", "enter email", "shipping address", "payment", "save", "result"
    ]  # fmt: skip
    assert visit.cookie is None and visit.messages == []
    assert set(visit.screenshots) == {"filled", "end"}
    assert visit.screenshots["end"][:2] == b"\xff\xd8"  # a JPEG


def test_declined_card_stays_on_the_page_with_its_message(lesson, customer):
    visit = scripted.checkout(
        lesson.login_url(customer.id), email=customer.email, card="4000000000000002"
    )
    assert visit.landed == "/checkout"
    assert visit.messages == ["Your card was declined."]
    assert visit.steps[-1] == ("result", "not saved: Your card was declined.")


def test_link_sign_up_then_a_returning_visit_with_a_code(lesson, customer):
    url = lesson.login_url(customer.id)
    signup = scripted.checkout(
        url, email=customer.email, card="4242424242424242", save_to_link=True
    )
    assert signup.saved["Type"] == "link"
    assert signup.cookie["name"] == "stripe.link.persistent_token"
    assert "*" in signup.cookie["value"]  # masked
    back = scripted.checkout(
        lesson.login_url(customer.id),
        email=customer.email,
        code="123456",
        saved_method="Visa •••• 4242",
    )
    assert back.link == "signed in"
    assert ("shipping address", "filled in by Link") in back.steps
    assert back.saved["Link account"] == customer.email


def test_without_a_code_the_visit_stops_at_links_code_panel(lesson, customer):
    scripted.checkout(
        lesson.login_url(customer.id), email=customer.email, card="4242424242424242",
        save_to_link=True,
    )  # fmt: skip
    visit = scripted.checkout(lesson.login_url(customer.id), email=customer.email)
    assert visit.link == "code asked"
    assert visit.steps[-1] == ("stopped", "Link asks for a one-time code and none was given")
    assert visit.saved == {}


@pytest.mark.parametrize(
    ("button", "landed"), [("Complete", "/order/success"), ("Fail", "/checkout")]
)
def test_three_d_secure_complete_and_fail(lesson, customer, button, landed):
    visit = scripted.checkout(
        lesson.login_url(customer.id),
        email=customer.email,
        card="4000002500003155",
        three_ds=button,
    )
    assert visit.landed == landed
    assert ("3-D Secure", f"pressed {button} on the test page") in visit.steps
    assert "challenge" in visit.screenshots
    if button == "Fail":
        assert visit.messages == [AUTH_FAILED]


def test_one_time_codes_table(lesson, customer):
    scripted.checkout(
        lesson.login_url(customer.id), email=customer.email, card="4242424242424242",
        save_to_link=True,
    )  # fmt: skip
    frame = code_outcomes(lesson, customer.id, customer.email)
    assert list(frame.columns) == ["code", "documented", "the page showed", "Link after"]
    assert frame.set_index("code")["Link after"].to_dict() == {
        "000001": "code panel open: retry",
        "000002": "locked: needs a new code (Resend code)",
        "000003": "locked: needs a new code (Resend code)",
        "424242": "signed in",
    }
    assert frame["the page showed"][0] == "The provided verification code is incorrect."


def test_a_shopper_keeps_its_cookies_between_visits(lesson, customer):
    shopper = scripted.Shopper()
    try:
        shopper.checkout(lesson.login_url(customer.id), submit=False)
        names = {cookie["name"] for cookie in shopper.cookies()}
        assert "linklab_session" in names
        assert all("*" in cookie["value"] for cookie in shopper.cookies())
    finally:
        shopper.close()
    assert shopper.cookies() == []


def test_authenticate_answers_a_redirect_to_url(lesson, customer):
    intent = lesson.client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "customer": customer.id,
         "payment_method": "pm_card_authenticationRequired", "confirm": True,
         "return_url": lesson.page.url("/payment/complete")}
    )  # fmt: skip
    visit = scripted.authenticate(intent.next_action.redirect_to_url.url, "Complete")
    assert visit.landed == "/payment/complete"
    assert lesson.client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_without_chromium_a_visit_says_how_to_install_it(monkeypatch, lesson, customer):
    monkeypatch.setattr(scripted, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(scripted, "_browser", scripted._Browser())  # a browser not started yet
    visit = scripted.checkout(lesson.login_url(customer.id), card="4242424242424242")
    assert not visit.completed
    assert "apt-get install chromium" in visit.problem
    assert "by hand" in visit.problem
    assert list(visit.table()["step"]) == ["not run"]
