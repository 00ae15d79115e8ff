"""Browser fixtures: Debian's Chromium driven by Playwright (sync API), offline, loopback only.

- `browser` (session, tests/conftest.py): one headless Chromium at /usr/bin/chromium.
- `context`, `page` (function): a fresh profile per test; the page fails the test on page errors.
- `merchant` (function): the suite's own checkout site, bound to this test's emulator account.
- `checkout` (function): opens the checkout page with options and waits for the Elements' `ready`.
- `checkout_path` (parametrized): embedded_page's plain page `/checkout` and the guide's React
  `Checkout.js` at `/react` (skipped until `make react` has built it), so each scenario runs on both.
- `requests_off_loopback` (function): every request the page made to anywhere but loopback.
- `link_account` (function): `link_account(email, card=…)` makes a Link account (a card, a
  shipping address) through the consumer API; `link_lookup(email)`: the emulator's lookup answer.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
import stripe

from embedded_page import react_page
from tests.e2e.merchant import MerchantSite, create_app
from tests.e2e.merchant.app import LEGACY_VERSION


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 900, "height": 1400})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that fails the test on an uncaught exception in the page or an Element iframe."""
    tab = context.new_page()
    errors: list[str] = []

    def on_console(message) -> None:
        # Failed API calls (a declined card, a wrong code) log "Failed to load resource": expected.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    tab.on("console", on_console)
    yield tab
    assert not errors, f"errors in the browser: {errors}"


CHECKOUT_PAGES = {"plain": "/checkout", "react": "/react"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture(params=sorted(CHECKOUT_PAGES))
def checkout_path(request) -> str:
    """The path of the checkout page under test: plain JavaScript or the guide's React."""
    if request.param == "react" and not react_page.INDEX.is_file():
        pytest.skip("the React checkout is not built: run `make react` (needs npm)")
    return CHECKOUT_PAGES[request.param]


@pytest.fixture
def requests_off_loopback(page) -> list[str]:
    """URLs of the page's requests (its frames' included) to hosts other than loopback."""
    urls: list[str] = []

    def on_request(request) -> None:
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and (
            urlsplit(request.url).hostname not in LOOPBACK
        ):
            urls.append(request.url)

    page.on("request", on_request)
    return urls


@pytest.fixture
def guide_client(emulator, secret_key) -> stripe.StripeClient:
    """stripe-python on the guide's API version (payment_method_types card+link)."""
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": emulator.base_url},
        max_network_retries=0,
        stripe_version=LEGACY_VERSION,
    )


@pytest.fixture
def merchant(emulator, guide_client, publishable_key):
    site = MerchantSite(create_app(guide_client, publishable_key, f"{emulator.base_url}/v3/"))
    site.start()
    yield site
    site.stop()


@pytest.fixture
def customer(guide_client) -> str:
    return guide_client.v1.customers.create().id


@pytest.fixture
def checkout(page, merchant, customer):
    """`checkout(**options)` opens the page for this test's customer; returns the page once ready."""

    def open_checkout(wait_for=("payment",), **options):
        query = {"customer": customer, **options}
        page.goto(f"{merchant.url}/?{urlencode(query)}")
        for element in wait_for:
            page.wait_for_function(
                "el => (window.__events || []).some(e => e.event === 'ready' && "
                "e.payload.elementType === el)",
                arg=element,
            )
        return page

    return open_checkout


@pytest.fixture
def link_account(anon_http, publishable_key):
    """`link_account(email, card=…)`: a Link account made through the consumer API, as a sign-up."""

    def make(email: str, card: str = "4242424242424242") -> dict:
        def post(path: str, data: dict) -> dict:
            response = anon_http.post(path, data={"key": publishable_key, **data})
            assert response.status_code == 200, response.text
            return response.json()

        session = post(
            "/v1/consumers/accounts/sign_up",
            {"email_address": email, "phone_number": "+12015550123", "country": "US"},
        )
        credentials = {"credentials[consumer_session_client_secret]": session["client_secret"]}
        post(
            "/v1/consumers/payment_details",
            {**credentials, "type": "card", "card[number]": card, "card[exp_month]": "12",
             "card[exp_year]": "2034", "card[cvc]": "123", "billing_address[country]": "US",
             "billing_address[postal_code]": "94080"},
        )  # fmt: skip
        post(
            "/v1/consumers/shipping_addresses",
            {**credentials, "address[name]": "Jenny Rosen", "address[line1]": "1 Market St",
             "address[city]": "San Francisco", "address[state]": "CA",
             "address[postal_code]": "94105", "address[country]": "US"},
        )  # fmt: skip
        return session

    return make


@pytest.fixture
def link_lookup(anon_http, publishable_key):
    """`link_lookup(email)`: the emulator's answer to Stripe.js's Link account lookup."""

    def lookup(email: str) -> dict:
        response = anon_http.post(
            "/v1/consumers/sessions/lookup", data={"key": publishable_key, "email_address": email}
        )
        return response.json()

    return lookup
