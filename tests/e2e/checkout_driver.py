"""Playwright helpers for embedded_page's checkout (test_checkout.py): open it, fill it like a
customer, read what it saved, and charge the saved payment method as the guide's last step does.

The locators are the scripted customer's (`helpers.checkout_form`), so the tests and the lessons
drive the page the same way.
"""

from __future__ import annotations

from urllib.parse import urlencode

import stripe
from playwright.sync_api import Page, expect

from helpers.checkout_form import (  # noqa: F401  (re-exported for the tests)
    PERSISTENT_TOKEN_COOKIE as COOKIE,
)
from helpers.checkout_form import (
    authenticate,
    enter_code,
    fill_address,
    fill_card,
    fill_email,
    persistent_token_cookie,
    save_button,
    wait_until_ready,
)


def open_checkout(page: Page, url: str, **query: str) -> Page:
    """Open the checkout page at `url` (`…/checkout` or `…/react`) with known details as query."""
    page.goto(url + (f"?{urlencode(query)}" if query else ""))
    wait_until_ready(page)  # the Save button is enabled once the Payment Element is ready
    return page


def enter_card(page: Page, number: str) -> None:
    """A card without Link (the opt-in, checked by default, unticked; Link tests tick it)."""
    fill_card(page, number=number, save_to_link=False)


def new_customer_with_card(page: Page, url: str, number: str, email: str) -> None:
    open_checkout(page, url)
    fill_email(page, email)
    fill_address(page)
    enter_card(page, number)


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


__all__ = [
    "COOKIE",
    "authenticate",
    "charge_off_session",
    "enter_card",
    "enter_code",
    "listed",
    "new_customer_with_card",
    "open_checkout",
    "persistent_token_cookie",
    "save_button",
    "saved_payment_method",
]
