"""Playwright helpers for embedded_page's checkout (test_checkout.py): open it, fill it like a
customer, read what it saved, and charge the saved payment method as the guide's last step does.

The Element iframes are located and filled with `merchant.driver`'s helpers, shared with the
Stripe.js stand-in tests.
"""

from __future__ import annotations

from urllib.parse import urlencode

import stripe
from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.merchant.driver import (
    CHALLENGE_FRAME,
    code_input,
    fill_address,
    fill_email,
    payment_frame,
)

COOKIE = "stripe.link.persistent_token"


def save_button(page: Page):
    return page.get_by_role("button", name="Save payment method")


def open_checkout(page: Page, url: str, **query: str) -> Page:
    page.goto(f"{url}/checkout" + (f"?{urlencode(query)}" if query else ""))
    expect(save_button(page)).to_be_enabled()  # enabled once the Payment Element is ready
    return page


def enter_card(page: Page, number: str) -> None:
    frame = payment_frame(page)
    frame.get_by_label("Card number").fill(number)
    frame.get_by_label("Expiration date").fill("12 / 34")
    frame.get_by_label("Security code").fill("123")
    frame.get_by_label("ZIP code").fill("94080")
    opt_in = frame.get_by_label("Save my information for faster checkout")
    if opt_in.is_visible():  # checked by default, as in real Stripe; Link tests tick it again
        opt_in.uncheck()


def enter_code(page: Page, code: str) -> None:
    code_input(page).fill(code)


def new_customer_with_card(page: Page, url: str, number: str, email: str) -> None:
    open_checkout(page, url)
    fill_email(page, email)
    fill_address(page)
    enter_card(page, number)


def three_ds_modal(page: Page):
    return page.get_by_role("dialog", name="3D Secure authentication")


def three_ds_challenge(page: Page) -> FrameLocator:
    """Test mode's 3DS2 challenge: Stripe.js's in-page modal framing the test page."""
    expect(three_ds_modal(page)).to_be_visible()
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    expect(challenge.get_by_role("heading", name="3D Secure 2 Test Page")).to_be_visible()
    return challenge


def authenticate(page: Page, button: str) -> None:
    """Press Complete or Fail in the challenge; the modal closes."""
    three_ds_challenge(page).get_by_role("button", name=button, exact=True).click()
    expect(three_ds_modal(page)).to_have_count(0)


def saved_payment_method(page: Page) -> str:
    page.wait_for_url("**/order/success?**")
    expect(page.get_by_role("heading", name="Payment method saved")).to_be_visible()
    expect(page.locator("#saved-status")).to_have_text("succeeded")
    return page.locator("#saved-payment-method").inner_text()


def charge_off_session(client: stripe.StripeClient, customer: str, payment_method: str):
    """The guide's last step: charge the saved payment method while the customer is away."""
    return client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer,
            "payment_method": payment_method,
            "off_session": True,
            "confirm": True,
        }
    )


def listed(client: stripe.StripeClient, customer: str, type_: str) -> list[str]:
    return [pm.id for pm in client.v1.payment_methods.list({"customer": customer, "type": type_})]


def persistent_token_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)
