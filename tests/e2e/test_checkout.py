"""embedded_page end to end: Debian's Chromium on the guide's checkout page, all on loopback.

The page (uvicorn in a thread) talks to the thread-hosted emulator through stripe-python; the
browser loads the emulator's offline Stripe.js. After each saved payment method the test charges
it off-session, as the guide's last server step does.

Every scenario runs twice (`checkout_path`): on the plain-JavaScript page `/checkout` and on the
guide's React `Checkout.js` at `/react` (the real @stripe/react-stripe-js and @stripe/stripe-js
on the offline Stripe.js), and fails if the browser asked anything of a host beyond loopback.
"""

from __future__ import annotations

import time

import pytest
import stripe
from playwright.sync_api import expect

from embedded_page import Settings
from helpers.checkout_script import run_checkout, track_requests
from helpers.visit import Visit
from tests.e2e.checkout_driver import (
    COOKIE,
    authenticate,
    charge_off_session,
    enter_card,
    enter_code,
    listed,
    new_customer_with_card,
    open_checkout,
    persistent_token_cookie,
    save_button,
    saved_payment_method,
)
from tests.e2e.checkout_fixtures import PageServer
from tests.e2e.merchant.driver import (
    OTP_ERRORS,
    address_frame,
    email_frame,
    fill_address,
    fill_email,
    payment_frame,
)

pytestmark = pytest.mark.browser

LEGACY_VERSION = "2024-04-10"  # the guide's era: the Link persistent token still logs people in
AUTH_FAILED = (
    "We are unable to authenticate your payment method. "
    "Please choose a different payment method and try again."
)
SHIPPING = {
    "name": "Jenny Rosen",
    "line1": "510 Townsend St",
    "city": "San Francisco",
    "state": "CA",
    "postal_code": "94103",
    "country": "US",
}


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def customer(client) -> str:
    return client.v1.customers.create().id


@pytest.fixture
def shop(emulator, secret_key, publishable_key, customer, checkout_path, requests_off_loopback):
    """`shop(api_version=None)` serves embedded_page for this test's account and customer and
    returns the URL of the checkout page under test (`checkout_path`)."""
    servers: list[PageServer] = []

    def start(api_version: str | None = None) -> str:
        settings = Settings(
            secret_key=secret_key,
            publishable_key=publishable_key,
            api_base=emulator.base_url,
            js_url=f"{emulator.base_url}/v3/",
            api_version=api_version,
            customer=customer,
        )
        server = PageServer().start(settings)
        servers.append(server)
        return server.url + checkout_path

    yield start
    for server in servers:
        server.stop()
    assert requests_off_loopback == [], "the browser left loopback"


@pytest.fixture
def link_customer(pk_http) -> str:
    """A returning Link customer (signed up earlier), with a Visa 4242 and a shipping address."""
    email = "returning.customer@example.com"
    session = pk_http.post(
        "/v1/consumers/accounts/sign_up",
        data={"email_address": email, "phone_number": "+15555550123", "country": "US"},
    )
    credentials = {"credentials[consumer_session_client_secret]": session.json()["client_secret"]}
    card = {
        "type": "card",
        "card[number]": "4242424242424242",
        "card[exp_month]": "12",
        "card[exp_year]": "2034",
        "card[cvc]": "123",
    }
    assert pk_http.post("/v1/consumers/payment_details", data={**credentials, **card}).is_success
    address = {f"address[{key}]": value for key, value in SHIPPING.items()}
    assert pk_http.post(
        "/v1/consumers/shipping_addresses", data={**credentials, **address}
    ).is_success
    return email


# -- new customers -----------------------------------------------------------------------------


def test_new_customer_saves_card_4242(page, shop, client, customer, checkout_path):
    url = shop()
    new_customer_with_card(page, url, "4242424242424242", "new.customer@example.com")
    expect(page.locator("#link-email")).to_have_text("new.customer@example.com")  # change event
    save_button(page).click()
    pm = saved_payment_method(page)
    # The React page's return_url names it (`checkout=react`): the success page keeps it.
    assert ("checkout=react" in page.url) == (checkout_path == "/react")
    expect(page.locator("#saved-type")).to_have_text("card")
    expect(page.locator("#saved-card")).to_have_text("Visa •••• 4242")
    expect(page.locator("#saved-customer")).to_have_text(customer)
    assert listed(client, customer, "card") == [pm]
    assert persistent_token_cookie(page) is None  # a card has no Link session to remember
    assert charge_off_session(client, customer, pm).status == "succeeded"


def test_known_name_and_phone_reach_the_payment_element(page, shop, client):
    open_checkout(page, shop(), name="Jenny Default", phone="+12015550123")
    fill_email(page, "known.details@example.com")
    fill_address(page)
    enter_card(page, "4242424242424242")
    payment = payment_frame(page)
    payment.get_by_label("Save my information for faster checkout").check()
    expect(payment.get_by_label("Phone number")).to_have_value("+12015550123")
    payment.get_by_label("Save my information for faster checkout").uncheck()
    save_button(page).click()
    pm = client.v1.payment_methods.retrieve(saved_payment_method(page))
    assert (pm.billing_details.name, pm.billing_details.phone) == ("Jenny Default", "+12015550123")


def test_new_customer_signs_up_for_link_and_saves(page, shop, client, customer):
    url = shop()
    new_customer_with_card(page, url, "4242424242424242", "signs.up@example.com")
    payment = payment_frame(page)
    payment.get_by_label("Save my information for faster checkout").check()
    payment.get_by_label("Phone number").fill("(201) 555-0123")
    save_button(page).click()
    pm = saved_payment_method(page)
    expect(page.locator("#saved-type")).to_have_text("link")
    expect(page.locator("#saved-email")).to_have_text("signs.up@example.com")
    assert listed(client, customer, "link") == [pm]
    assert charge_off_session(client, customer, pm).status == "succeeded"


def test_link_cookie_is_set_with_the_guides_attributes(page, shop, client):
    url = shop()
    new_customer_with_card(page, url, "4242424242424242", "cookie@example.com")
    payment = payment_frame(page)
    payment.get_by_label("Save my information for faster checkout").check()
    payment.get_by_label("Phone number").fill("(201) 555-0123")
    save_button(page).click()
    pm = client.v1.payment_methods.retrieve(saved_payment_method(page))
    cookie = persistent_token_cookie(page)
    # Chromium accepted a Secure cookie over http://127.0.0.1: loopback is potentially trustworthy.
    assert cookie is not None
    assert cookie["value"] == pm.link.persistent_token
    assert (cookie["domain"], cookie["path"]) == ("127.0.0.1", "/")
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Strict")
    assert cookie["expires"] == pytest.approx(time.time() + 90 * 24 * 60 * 60, abs=120)
    assert COOKIE not in page.evaluate("document.cookie")  # HttpOnly: invisible to scripts


# -- returning Link customers ------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(OTP_ERRORS))
def test_returning_link_customer_test_codes_show_their_errors(page, shop, link_customer, code):
    open_checkout(page, shop())
    fill_email(page, link_customer)
    frame = email_frame(page)
    expect(frame.get_by_role("heading", name="Enter your verification code")).to_be_visible()
    enter_code(page, code)
    expect(frame.get_by_text(OTP_ERRORS[code])).to_be_visible()
    expect(frame.get_by_label("Signed in to Link")).to_be_hidden()
    expect(payment_frame(page).get_by_text("Visa •••• 4242")).to_be_hidden()


def test_returning_link_customer_after_a_failed_code_can_resend_and_sign_in(
    page, shop, link_customer
):
    open_checkout(page, shop())
    fill_email(page, link_customer)
    enter_code(page, "000003")
    frame = email_frame(page)
    expect(frame.get_by_text(OTP_ERRORS["000003"])).to_be_visible()
    frame.get_by_role("button", name="Resend code").click()
    expect(frame.get_by_text("Code sent", exact=True)).to_be_visible()
    enter_code(page, "123456")
    expect(frame.get_by_label("Signed in to Link")).to_be_visible()


def test_returning_link_customer_signs_in_autofills_and_saves_with_link(
    page, shop, client, customer, link_customer
):
    open_checkout(page, shop(), email=link_customer)  # defaultValues.email: lookup at once
    expect(page.locator("#link-email")).to_have_text(link_customer)
    enter_code(page, "123456")
    expect(email_frame(page).get_by_label("Signed in to Link")).to_be_visible()
    expect(payment_frame(page).get_by_text("Visa •••• 4242")).to_be_visible()
    address = address_frame(page)
    expect(address.get_by_label("Full name")).to_have_value(SHIPPING["name"])
    expect(address.get_by_label("Address line 1")).to_have_value(SHIPPING["line1"])
    expect(address.get_by_label("City")).to_have_value(SHIPPING["city"])
    expect(address.get_by_label("ZIP", exact=True)).to_have_value(SHIPPING["postal_code"])
    save_button(page).click()
    pm = saved_payment_method(page)
    expect(page.locator("#saved-type")).to_have_text("link")
    expect(page.locator("#saved-email")).to_have_text(link_customer)
    assert listed(client, customer, "link") == [pm]
    assert charge_off_session(client, customer, pm).status == "succeeded"


@pytest.mark.parametrize(
    ("api_version", "skips_code"),
    [(LEGACY_VERSION, True), (None, False)],
    ids=["2024-04-10-token-logs-in", "current-version-asks-for-code"],
)
def test_second_visit_with_the_link_cookie(page, shop, api_version, skips_code):
    url = shop(api_version)
    new_customer_with_card(page, url, "4242424242424242", "comes.back@example.com")
    payment = payment_frame(page)
    payment.get_by_label("Save my information for faster checkout").check()
    payment.get_by_label("Phone number").fill("(201) 555-0123")
    save_button(page).click()
    saved_payment_method(page)
    assert persistent_token_cookie(page) is not None

    open_checkout(page, url, email="comes.back@example.com")
    frame = email_frame(page)
    if skips_code:
        expect(frame.get_by_label("Signed in to Link")).to_be_visible()
        expect(payment_frame(page).get_by_text("Visa •••• 4242")).to_be_visible()
        expect(frame.get_by_role("heading", name="Enter your verification code")).to_be_hidden()
    else:
        expect(frame.get_by_role("heading", name="Enter your verification code")).to_be_visible()
        expect(frame.get_by_label("Signed in to Link")).to_be_hidden()


def test_multiple_funding_sources_shows_card_and_bank(page, shop, client, customer):
    email = "jenny+multiple_funding_sources@example.com"
    open_checkout(page, shop())
    fill_email(page, email)
    enter_code(page, "424242")
    payment = payment_frame(page)
    expect(payment.get_by_text("Visa •••• 4242")).to_be_visible()
    expect(payment.get_by_text("Bank account ···· 6789")).to_be_visible()
    payment.get_by_text("Bank account ···· 6789").click()
    save_button(page).click()
    pm = saved_payment_method(page)
    expect(page.locator("#saved-type")).to_have_text("link")
    assert listed(client, customer, "link") == [pm]
    assert charge_off_session(client, customer, pm).status == "succeeded"


# -- 3-D Secure and declines -------------------------------------------------------------------


def test_3ds_card_completes_then_charges_off_session(page, shop, client, customer):
    new_customer_with_card(page, shop(), "4000002500003155", "three.ds@example.com")
    save_button(page).click()
    authenticate(page, "Complete")
    pm = saved_payment_method(page)
    expect(page.locator("#saved-card")).to_have_text("Visa •••• 3155")
    assert listed(client, customer, "card") == [pm]
    assert charge_off_session(client, customer, pm).status == "succeeded"  # set up: exempt


def test_3ds_card_failed_authentication_stays_on_the_page_with_the_error(
    page, shop, client, customer
):
    url = shop()
    new_customer_with_card(page, url, "4000002500003155", "three.ds.fail@example.com")
    save_button(page).click()
    authenticate(page, "Fail")
    expect(page.locator("#error-message")).to_have_text(AUTH_FAILED)
    expect(save_button(page)).to_be_enabled()
    assert page.url == url  # the modal never left the checkout page
    intent = client.v1.setup_intents.list().data[0]
    assert intent.status == "requires_payment_method"
    assert intent.last_setup_error.code == "setup_intent_authentication_failure"
    assert listed(client, customer, "card") == []


def test_an_unsaved_setup_back_on_the_return_url_returns_to_its_checkout_page(
    page, shop, client, checkout_path
):
    """The return_url of a setup that was not saved sends the customer back to the checkout
    page they used (the React one says so in its return_url), which shows why."""
    url = shop()
    new_customer_with_card(page, url, "4000002500003155", "three.ds.back@example.com")
    save_button(page).click()
    authenticate(page, "Fail")
    expect(page.locator("#error-message")).to_have_text(AUTH_FAILED)
    intent = client.v1.setup_intents.list().data[0]
    origin = url.removesuffix(checkout_path)
    query = f"setup_intent={intent.id}&setup_intent_client_secret={intent.client_secret}"
    from_react = "&checkout=react" if checkout_path == "/react" else ""
    page.goto(f"{origin}/order/complete?{query}&redirect_status=failed{from_react}")
    assert page.url == f"{url}?setup_intent_client_secret={intent.client_secret}"
    # the SetupIntent's own last_setup_error, as stripe.retrieveSetupIntent gives it
    expect(page.locator("#error-message")).to_have_text(intent.last_setup_error.message)


def test_declined_card_shows_its_message_and_the_button_comes_back(page, shop):
    url = shop()
    new_customer_with_card(page, url, "4000000000000002", "declined@example.com")
    page.evaluate(
        """() => { window.__buttonStates = [];
        new MutationObserver(() => window.__buttonStates.push(document.getElementById('submit').disabled))
          .observe(document.getElementById('submit'), {attributes: true}); }"""
    )
    save_button(page).click()
    expect(page.locator("#error-message")).to_have_text("Your card was declined.")
    expect(save_button(page)).to_be_enabled()
    assert page.evaluate("window.__buttonStates") == [True, False]  # disabled while confirming
    assert page.url == url


def test_always_authenticate_card_fails_off_session(page, shop, client, customer):
    new_customer_with_card(page, shop(), "4000002760003184", "always.3ds@example.com")
    save_button(page).click()
    authenticate(page, "Complete")
    pm = saved_payment_method(page)
    assert listed(client, customer, "card") == [pm]
    with pytest.raises(stripe.CardError) as info:
        charge_off_session(client, customer, pm)
    assert info.value.code == "authentication_required"
    assert info.value.http_status == 402


# -- the lessons' scripted customer (helpers.checkout_script) on the same pages ----------------


@pytest.mark.parametrize(
    ("steps", "landed", "outcome"),
    [
        ({"card": "4242424242424242", "save_to_link": True}, "/order/success", "link"),
        ({"card": "4000002500003155", "three_ds": "Fail"}, None, AUTH_FAILED),
    ],
    ids=["link-sign-up", "3ds-fail"],
)
def test_scripted_customer_runs_on_the_page(page, shop, checkout_path, steps, landed, outcome):
    track_requests(page)
    visit = Visit()
    run_checkout(page, visit, shop(), email="scripted@example.com", **steps)
    assert visit.completed, visit.steps
    assert visit.landed == (landed or checkout_path)
    if landed:
        assert visit.saved["Type"] == outcome
    else:
        assert outcome in visit.messages
