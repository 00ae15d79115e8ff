"""Stripe.js options seen in the browser: the Address Element's `defaultValues` and
`allowedCountries`, `Stripe.version` per script URL, and accessible names and roles of every
control inside the Element frames, before and after a Link sign-in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.merchant import MerchantSite, create_app
from tests.e2e.merchant.driver import (
    ADDRESS_FRAME,
    EMAIL_FRAME,
    PAYMENT_FRAME,
    address_frame,
    code_input,
    email_frame,
    fill_email,
    payment_frame,
)

pytestmark = pytest.mark.browser

MULTIPLE_FUNDING = "jenny+multiple_funding_sources@example.com"
# The ARIA roles of the controls the Elements render (inputs, selects, buttons).
ROLES = ("textbox", "combobox", "checkbox", "radio", "button", "menuitem", "tab")
NAMED = re.compile(r"\S")  # an accessible name with at least one visible character
CONTROLS = "input:not([type=hidden]), select, textarea, button"


def _mount_address(page: Page, options: dict) -> None:
    """Create and mount an Address Element in the page's Elements group; wait for its `ready`."""
    page.evaluate(
        """options => new Promise(resolve => {
          const address = window.__elements.create('address', options);
          address.on('ready', resolve);
          address.mount('#address-element');
        })""",
        options,
    )


def _options(frame: FrameLocator, label: str) -> list[str]:
    return (
        frame.get_by_role("combobox", name=label)
        .locator("option")
        .evaluate_all("nodes => nodes.map(n => n.value)")
    )


# -- Address Element options -------------------------------------------------------------------


def test_address_default_values_prefill_the_fields(checkout):
    page = checkout(address="0")
    _mount_address(
        page,
        {
            "mode": "shipping",
            "allowedCountries": ["US", "CA"],
            "defaultValues": {
                "name": "Ada Lovelace",
                "address": {
                    "line1": "1 Front St W",
                    "line2": "Suite 200",
                    "city": "Toronto",
                    "state": "ON",
                    "postal_code": "M5J 2X5",
                    "country": "CA",
                },
            },
        },
    )
    frame = address_frame(page)
    expect(frame.get_by_role("textbox", name="Full name")).to_have_value("Ada Lovelace")
    expect(frame.get_by_role("combobox", name="Country or region")).to_have_value("CA")
    expect(frame.get_by_role("textbox", name="Address line 1")).to_have_value("1 Front St W")
    expect(frame.get_by_role("textbox", name="Address line 2")).to_have_value("Suite 200")
    expect(frame.get_by_role("textbox", name="City")).to_have_value("Toronto")
    expect(frame.get_by_role("combobox", name="Province")).to_have_value("ON")
    expect(frame.get_by_role("textbox", name="Postal code")).to_have_value("M5J 2X5")
    value = page.evaluate("window.__elements.getElement('address').getValue()")
    assert value["complete"] is True
    assert value["value"] == {
        "name": "Ada Lovelace",
        "address": {
            "line1": "1 Front St W",
            "line2": "Suite 200",
            "city": "Toronto",
            "state": "ON",
            "postal_code": "M5J 2X5",
            "country": "CA",
        },
    }


def test_address_allowed_countries_limit_the_country_select(checkout):
    page = checkout(address="0")
    _mount_address(page, {"mode": "shipping", "allowedCountries": ["GB", "CA"]})
    frame = address_frame(page)
    country = frame.get_by_role("combobox", name="Country or region")
    assert _options(frame, "Country or region") == ["GB", "CA"]
    expect(country.locator("option")).to_have_text(["United Kingdom", "Canada"])
    country.select_option("CA")
    expect(frame.get_by_role("combobox", name="Province")).to_be_visible()
    with pytest.raises(PlaywrightError, match="did not find some options"):
        country.select_option("US", timeout=1_000)
    expect(country).to_have_value("CA")


def test_checkout_page_address_element_offers_only_the_united_states(checkout):
    page = checkout(wait_for=("address",))  # the test site passes allowedCountries: ['US']
    frame = address_frame(page)
    assert _options(frame, "Country or region") == ["US"]
    expect(frame.get_by_role("combobox", name="Country or region")).to_have_value("US")


# -- Stripe.version ----------------------------------------------------------------------------


@pytest.fixture
def site_loading(emulator, guide_client, publishable_key):
    """`site_loading(path)`: the test site with Stripe.js from `path` on the emulator."""
    sites: list[MerchantSite] = []

    def start(path: str) -> str:
        app = create_app(guide_client, publishable_key, f"{emulator.base_url}{path}")
        site = MerchantSite(app).start()
        sites.append(site)
        return site.url

    yield start
    for site in sites:
        site.stop()


@pytest.mark.parametrize(
    ("path", "version"), [("/v3/", 3), ("/endive/stripe.js", "endive")], ids=["v3", "endive"]
)
def test_stripe_version_follows_the_script_url(page, site_loading, customer, path, version):
    page.goto(f"{site_loading(path)}/?customer={customer}")
    page.wait_for_function(
        "(window.__events || []).some(e => e.event === 'ready' && "
        "e.payload.elementType === 'payment')"
    )
    assert page.evaluate("Stripe.version") == version
    expect(payment_frame(page).get_by_role("textbox", name="Card number")).to_be_visible()


# -- accessible names and roles ----------------------------------------------------------------


def _unnamed_controls(frame: FrameLocator) -> list[str]:
    """Visible controls that no role locator finds with a non-empty accessible name."""
    named = frame.get_by_role(ROLES[0], name=NAMED)
    for role in ROLES[1:]:
        named = named.or_(frame.get_by_role(role, name=NAMED))
    controls = frame.locator(CONTROLS).filter(visible=True)
    missing = []
    for index in range(controls.count()):
        control = controls.nth(index)
        if control.and_(named).count() != 1:
            missing.append(control.evaluate("n => n.outerHTML.slice(0, 120)"))
    assert controls.count() > 0
    return missing


def _assert_every_control_is_named(page: Page, *selectors: str) -> None:
    for selector in selectors:
        assert _unnamed_controls(page.frame_locator(selector)) == [], selector


def test_every_control_has_a_role_and_a_name_in_the_initial_view(checkout):
    page = checkout(wait_for=("payment", "address", "linkAuthentication"))
    _assert_every_control_is_named(page, EMAIL_FRAME, ADDRESS_FRAME, PAYMENT_FRAME)
    email = email_frame(page)
    expect(email.get_by_role("textbox", name="Email", exact=True)).to_be_visible()
    address = address_frame(page)
    expect(address.get_by_role("combobox", name="Country or region")).to_be_visible()
    expect(address.get_by_role("combobox", name="State")).to_be_visible()
    card = payment_frame(page)
    for name in ("Card number", "Expiration date", "Security code", "ZIP code"):
        expect(card.get_by_role("textbox", name=name)).to_be_visible()
    expect(card.get_by_role("combobox", name="Country")).to_be_visible()


def test_every_control_has_a_role_and_a_name_after_link_sign_in(checkout):
    page = checkout(wait_for=("payment", "address", "linkAuthentication"))
    fill_email(page, MULTIPLE_FUNDING)

    # the code panel
    email = email_frame(page)
    expect(code_input(page)).to_be_visible()
    _assert_every_control_is_named(page, EMAIL_FRAME)
    expect(email.get_by_role("textbox", name="Verification code")).to_be_visible()
    for name in ("Close", "Resend code", "Change email"):
        expect(email.get_by_role("button", name=name)).to_be_visible()

    # signed in: saved payment methods (card and bank account), the Link menu
    code_input(page).fill("123456")
    expect(code_input(page)).to_be_hidden()
    payment = payment_frame(page)
    expect(payment.get_by_role("radio", name="Visa •••• 4242")).to_be_checked()
    expect(payment.get_by_role("radio", name="Bank account ···· 6789")).to_be_visible()
    expect(payment.get_by_role("button", name="Pay another way")).to_be_visible()
    _assert_every_control_is_named(page, EMAIL_FRAME, ADDRESS_FRAME, PAYMENT_FRAME)

    payment.get_by_role("button", name="More Link options").click()
    expect(payment.get_by_role("menuitem", name="Log out of Link")).to_be_visible()
    _assert_every_control_is_named(page, PAYMENT_FRAME)
