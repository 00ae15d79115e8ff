"""Playwright helpers for the checkout page: locate the Element iframes, fill them like a customer.

Only role and label locators inside the Element iframes (as people and screen readers find them).
"""

from __future__ import annotations

from playwright.sync_api import FrameLocator, Page

EMAIL_FRAME = 'iframe[title="Secure email input frame"]'
ADDRESS_FRAME = 'iframe[title="Secure address input frame"]'
PAYMENT_FRAME = 'iframe[title="Secure payment input frame"]'
CHALLENGE_FRAME = 'iframe[title="3D Secure 2 challenge"]'


# The one-time-code errors the code panel shows (UI_FACTS §1: Stripe's wording for the API's codes).
OTP_ERRORS = {
    "000001": "The provided verification code is incorrect.",
    "000002": "The provided verification code has expired.",
    "000003": "Too many attempts. Please try again in a few minutes.",
}


def email_frame(page: Page) -> FrameLocator:
    return page.frame_locator(EMAIL_FRAME)


def address_frame(page: Page) -> FrameLocator:
    return page.frame_locator(ADDRESS_FRAME)


def payment_frame(page: Page) -> FrameLocator:
    return page.frame_locator(PAYMENT_FRAME)


def fill_email(page: Page, email: str) -> None:
    field = email_frame(page).get_by_label("Email", exact=True)
    field.fill(email)
    field.press("Enter")  # looks the email up at once (typing pauses do it too)


def fill_address(page: Page, name: str = "Jenny Rosen") -> None:
    frame = address_frame(page)
    frame.get_by_label("Full name").fill(name)
    frame.get_by_label("Address line 1").fill("354 Oyster Point Blvd")
    frame.get_by_label("City").fill("South San Francisco")
    frame.get_by_label("State").select_option("CA")
    frame.get_by_label("ZIP", exact=True).fill("94080")


def fill_card(
    page: Page,
    number: str = "4242424242424242",
    expiry: str = "12 / 34",
    cvc: str = "123",
    save_to_link: bool = False,
) -> None:
    """Fill the card form. Link's opt-in (checked by default) is unticked unless `save_to_link`."""
    frame = payment_frame(page)
    frame.get_by_label("Card number").fill(number)
    frame.get_by_label("Expiration date").fill(expiry)
    frame.get_by_label("Security code").fill(cvc)
    postal = frame.get_by_label("ZIP code")
    if postal.is_visible():  # hidden when a billing Address Element collects the address
        postal.fill("94080")
    opt_in = frame.get_by_label("Save my information for faster checkout")
    if opt_in.is_visible():  # offered to new customers once the card number is complete
        opt_in.set_checked(save_to_link)


def submit(page: Page) -> None:
    page.get_by_role("button", name="Save").click()


def code_input(page: Page):
    return email_frame(page).get_by_label("Verification code", exact=True)


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
