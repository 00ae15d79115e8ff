"""What a Link customer does in the Elements, shared by the sign-in and sign-up tests.

The Link accounts themselves come from fixtures in tests/e2e/conftest.py (`link_account`,
`link_lookup`).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.merchant.driver import code_input, fill_email, payment_frame

OPT_IN = "Save my information for faster checkout"


def sign_in(page, email: str, code: str = "123456") -> None:
    fill_email(page, email)
    expect(code_input(page)).to_be_visible()
    code_input(page).fill(code)
    expect(code_input(page)).to_be_hidden()


def request_paths(http) -> list[str]:
    """The paths of every request the emulator has logged for this account, oldest first."""
    return [entry["path"] for entry in http.get("/_emulator/requests").json()["data"]]


def only_visa_4242_in_link(page, link_lookup, email: str) -> None:
    """`email` has a Link account, and signing in shows exactly one saved method: Visa 4242."""
    assert link_lookup(email)["exists"] is True
    sign_in(page, email)
    expect(payment_frame(page).get_by_role("radio")).to_have_count(1)
    expect(payment_frame(page).get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
