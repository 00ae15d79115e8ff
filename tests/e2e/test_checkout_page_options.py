"""embedded_page's Elements options, observed in Chromium: the page's `appearance` (the 'stripe'
theme with its own variables, embedded_page/static/checkout.js and react/src/Checkout.js) styles
the Element frames, and `loader: 'auto'` shows each Element's loading skeleton before the form;
on the plain page and on the React one (`checkout_path`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from embedded_page import Settings
from tests.e2e.checkout_driver import open_checkout
from tests.e2e.checkout_fixtures import PageServer
from tests.e2e.merchant.driver import (
    ADDRESS_FRAME,
    EMAIL_FRAME,
    PAYMENT_FRAME,
    address_frame,
    email_frame,
    payment_frame,
)

pytestmark = pytest.mark.browser

# checkout.js's appearance.variables, as computed styles. The stand-in's plain 'stripe' theme
# differs on each: colorText #30313d, fontSizeBase 16px, borderRadius 5px, another font stack.
PAGE_TEXT_COLOR = "rgb(26, 31, 54)"  # colorText #1a1f36
PAGE_PRIMARY = "rgb(5, 112, 222)"  # colorPrimary #0570de (the focus border)
PAGE_FONT_SIZE = "17px"  # fontSizeBase
PAGE_RADIUS = "6px"  # borderRadius
PAGE_FONT_FAMILY = "system-ui"  # first family of fontFamily

# Runs in every frame before its scripts: in an Element frame, remember whether the loading
# skeleton (role progressbar, "Loading") was ever put in the document.
SKELETON_WATCH = """
if (location.pathname.includes('/elements-inner-')) {
  window.__skeleton = false;
  new MutationObserver(() => {
    if (document.querySelector('[role="progressbar"][aria-label="Loading"]')) window.__skeleton = true;
  }).observe(document, {childList: true, subtree: true});
}
"""


@pytest.fixture
def shop(emulator, secret_key, publishable_key, client, checkout_path):
    """embedded_page for this test's account and a new customer; yields the checkout's URL."""
    settings = Settings(
        secret_key=secret_key,
        publishable_key=publishable_key,
        api_base=emulator.base_url,
        js_url=f"{emulator.base_url}/v3/",
        customer=client.v1.customers.create().id,
    )
    server = PageServer().start(settings)
    yield server.url + checkout_path
    server.stop()


def _style(frame: FrameLocator, label: str, prop: str) -> str:
    return frame.get_by_label(label, exact=True).evaluate(
        "(node, prop) => getComputedStyle(node).getPropertyValue(prop)", prop
    )


def _wait_until_all_ready(page: Page) -> None:
    expect(email_frame(page).get_by_label("Email", exact=True)).to_be_visible()
    expect(address_frame(page).get_by_label("Full name")).to_be_visible()
    expect(payment_frame(page).get_by_label("Card number")).to_be_visible()


def test_page_appearance_variables_style_every_element_frame(page, shop):
    open_checkout(page, shop)
    _wait_until_all_ready(page)
    for frame, label in (
        (email_frame(page), "Email"),
        (address_frame(page), "Full name"),
        (payment_frame(page), "Card number"),
    ):
        assert _style(frame, label, "font-size") == PAGE_FONT_SIZE, label
        assert _style(frame, label, "color") == PAGE_TEXT_COLOR, label
        assert _style(frame, label, "border-top-left-radius") == PAGE_RADIUS, label
        assert _style(frame, label, "font-family").startswith(PAGE_FONT_FAMILY), label
    card = payment_frame(page)
    card.get_by_label("Card number").focus()
    expect(card.get_by_label("Card number")).to_have_css("border-top-color", PAGE_PRIMARY)


def test_page_loader_auto_shows_each_elements_skeleton_first(page, shop):
    page.add_init_script(SKELETON_WATCH)
    open_checkout(page, shop)
    _wait_until_all_ready(page)
    for selector in (EMAIL_FRAME, ADDRESS_FRAME, PAYMENT_FRAME):
        frame = page.frame_locator(selector)
        assert frame.locator("html").evaluate("() => window.__skeleton") is True, selector
        # the skeleton made way for the form once the Element was ready
        expect(frame.get_by_role("progressbar", name="Loading")).to_have_count(0)
