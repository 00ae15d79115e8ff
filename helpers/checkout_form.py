"""How a person finds and fills the checkout form: Playwright locators by role and label.

The Element iframes are located by the titles Stripe.js gives them, and fields inside them by
their accessible names, as people and screen readers find them (the names real Elements use:
"Card number", "Expiration date", "Security code", "ZIP code", …). The scripted customer
(`helpers.customer`) and the browser tests (`tests/e2e/`) share these functions.

Every function takes a Playwright sync-API `Page`.
"""

from __future__ import annotations

from playwright.sync_api import FrameLocator, Locator, Page, expect

EMAIL_FRAME = 'iframe[title="Secure email input frame"]'
ADDRESS_FRAME = 'iframe[title="Secure address input frame"]'
PAYMENT_FRAME = 'iframe[title="Secure payment input frame"]'
CHALLENGE_FRAME = 'iframe[title="3D Secure 2 challenge"]'
LINK_OPT_IN = "Save my information for faster checkout"
SAVE_BUTTON = "Save payment method"
PERSISTENT_TOKEN_COOKIE = "stripe.link.persistent_token"


def email_frame(page: Page) -> FrameLocator:
    return page.frame_locator(EMAIL_FRAME)


def address_frame(page: Page) -> FrameLocator:
    return page.frame_locator(ADDRESS_FRAME)


def payment_frame(page: Page) -> FrameLocator:
    return page.frame_locator(PAYMENT_FRAME)


# -- contact, address, card ------------------------------------------------------------------


def fill_email(page: Page, email: str) -> None:
    field = email_frame(page).get_by_label("Email", exact=True)
    field.fill(email)
    field.press("Enter")  # looks the email up at once (typing pauses do it too)


def fill_address(
    page: Page,
    name: str = "Jenny Rosen",
    line1: str = "354 Oyster Point Blvd",
    city: str = "South San Francisco",
    state: str = "CA",
    postal_code: str = "94080",
) -> None:
    frame = address_frame(page)
    frame.get_by_label("Full name").fill(name)
    frame.get_by_label("Address line 1").fill(line1)
    frame.get_by_label("City").fill(city)
    frame.get_by_label("State").select_option(state)
    frame.get_by_label("ZIP", exact=True).fill(postal_code)


def fill_card(
    page: Page,
    number: str = "4242424242424242",
    expiry: str = "12 / 34",
    cvc: str = "123",
    save_to_link: bool = False,
    postal_code: str = "94080",
) -> None:
    """Fill the card form. Link's opt-in (checked by default) is unticked unless `save_to_link`."""
    frame = payment_frame(page)
    frame.get_by_label("Card number").fill(number)
    frame.get_by_label("Expiration date").fill(expiry)
    frame.get_by_label("Security code").fill(cvc)
    postal = frame.get_by_label("ZIP code")
    if postal.is_visible():  # hidden when a billing Address Element collects the address
        postal.fill(postal_code)
    opt_in = frame.get_by_label(LINK_OPT_IN)
    if opt_in.is_visible():  # offered to new customers once the card number is complete
        opt_in.set_checked(save_to_link)


def fill_link_phone(page: Page, phone: str) -> None:
    """The phone number Link's sign-up asks for once the opt-in is ticked."""
    payment_frame(page).get_by_label("Phone number").fill(phone)


def choose_saved(page: Page, label: str) -> None:
    """Pick one of a signed-in Link customer's saved methods, e.g. "Visa •••• 4242"."""
    payment_frame(page).get_by_text(label, exact=True).click()


# -- Link one-time code ----------------------------------------------------------------------


def code_heading(page: Page) -> Locator:
    return email_frame(page).get_by_role("heading", name="Enter your verification code")


def code_input(page: Page) -> Locator:
    return email_frame(page).get_by_label("Verification code", exact=True)


def enter_code(page: Page, code: str) -> None:
    code_input(page).fill(code)


def signed_in_badge(page: Page) -> Locator:
    return email_frame(page).get_by_label("Signed in to Link")


def resend_code(page: Page) -> None:
    email_frame(page).get_by_role("button", name="Resend code").click()


# -- submit, 3-D Secure, result ----------------------------------------------------------------


def save_button(page: Page) -> Locator:
    return page.get_by_role("button", name=SAVE_BUTTON)


def wait_until_ready(page: Page) -> None:
    """The form is usable: the Save button is enabled once the Payment Element is ready."""
    expect(save_button(page)).to_be_enabled()


def three_ds_modal(page: Page) -> Locator:
    return page.get_by_role("dialog", name="3D Secure authentication")


def three_ds_challenge(page: Page) -> FrameLocator:
    """Test mode's 3DS2 challenge: Stripe.js's in-page modal framing the test page."""
    expect(three_ds_modal(page)).to_be_visible()
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    expect(challenge.get_by_role("heading", name="3D Secure 2 Test Page")).to_be_visible()
    return challenge


def authenticate(page: Page, button: str) -> None:
    """Press "Complete" or "Fail" in the challenge; the modal closes."""
    three_ds_challenge(page).get_by_role("button", name=button, exact=True).click()
    expect(three_ds_modal(page)).to_have_count(0)


def error_message(page: Page) -> Locator:
    """The page's own error line under the form (confirmSetup's `error.message`)."""
    return page.locator("#error-message")


def saved_details(page: Page) -> dict[str, str]:
    """What the success page shows: {"SetupIntent": "seti_…", "Status": …, …}."""
    terms = page.locator("#saved dt").all_inner_texts()
    values = page.locator("#saved dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def persistent_token_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == PERSISTENT_TOKEN_COOKIE), None)
