"""Browser fixtures: Debian's Chromium driven by Playwright (sync API), offline, loopback only.

- `browser` (session): one headless Chromium at /usr/bin/chromium (never `playwright install`).
- `context`, `page` (function): a fresh profile per test; the page fails the test on page errors.
- `merchant` (function): the suite's own checkout site, bound to this test's emulator account.
- `checkout` (function): opens the checkout page with options and waits for the Elements' `ready`.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest
import stripe

from helpers.customer import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.merchant import MerchantSite, create_app
from tests.e2e.merchant.app import LEGACY_VERSION


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
        )
        yield chromium
        chromium.close()


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
