"""Playwright helpers for the Stripe.js stand-in tests' own merchant page (`merchant/static/`).

Locating the Element iframes and filling them like a customer is shared with the scripted
customer: `helpers.checkout_form` (re-exported here). What is specific to this test page (the
`window.__…` globals its checkout.js records) stays here.
"""

from __future__ import annotations

from playwright.sync_api import Page

from helpers.checkout_form import (  # noqa: F401  (the shared driver, re-exported for the tests)
    ADDRESS_FRAME,
    CHALLENGE_FRAME,
    EMAIL_FRAME,
    PAYMENT_FRAME,
    address_frame,
    code_input,
    email_frame,
    fill_address,
    fill_card,
    fill_email,
    payment_frame,
)

# The one-time-code errors the code panel shows (the wording Stripe's SDKs use for the API's
# consumer_verification_* codes; see stripe_emulator/LINK_PROTOCOL.md).
OTP_ERRORS = {
    "000001": "The provided verification code is incorrect.",
    "000002": "The provided verification code has expired.",
    "000003": "Too many attempts. Please try again in a few minutes.",
}


def submit(page: Page) -> None:
    page.get_by_role("button", name="Save").click()


def intent_id(page: Page) -> str:
    secret = page.evaluate("window.__clientSecret")
    return secret.split("_secret_")[0]


def outcome(page: Page) -> dict:
    """Wait for confirmSetup's result (if it resolved) and return it."""
    page.wait_for_function("window.__outcome !== undefined")
    return page.evaluate("window.__outcome")


def events(page: Page, element: str, name: str) -> list[dict]:
    return page.evaluate(
        "([el, name]) => window.__events.filter(e => e.event === name && "
        "e.payload.elementType === el).map(e => e.payload)",
        [element, name],
    )
