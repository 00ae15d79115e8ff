"""The Elements API surface: events and payloads, element methods, appearance, loader, errors."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.merchant.driver import (
    ADDRESS_FRAME,
    EMAIL_FRAME,
    PAYMENT_FRAME,
    address_frame,
    email_frame,
    events,
    fill_address,
    fill_card,
    payment_frame,
)

pytestmark = pytest.mark.browser

NIGHT = {
    "theme": "night",
    "variables": {"colorPrimary": "#ff5a00", "borderRadius": "11px", "fontSizeBase": "18px"},
    "rules": {".Input": {"borderColor": "rgb(1, 2, 3)"}, ".Label": {"textTransform": "uppercase"}},
}


def _style(frame_locator, selector: str, prop: str) -> str:
    return frame_locator.locator(selector).first.evaluate(
        "(node, prop) => getComputedStyle(node).getPropertyValue(prop)", prop
    )


def test_appearance_theme_variables_and_rules_apply_inside_the_frames(checkout):
    page = checkout(appearance=json.dumps(NIGHT), wait_for=("payment", "address"))
    card = payment_frame(page)
    assert _style(card, "#Field-numberInput", "background-color") == "rgb(48, 49, 61)"
    assert _style(card, "#Field-numberInput", "color") == "rgb(255, 255, 255)"
    assert _style(card, "#Field-numberInput", "border-top-left-radius") == "11px"
    assert _style(card, "#Field-numberInput", "font-size") == "18px"
    assert _style(card, "#Field-numberInput", "border-top-color") == "rgb(1, 2, 3)"
    assert _style(card, ".Label", "text-transform") == "uppercase"
    assert _style(address_frame(page), ".Label", "text-transform") == "uppercase"
    card.get_by_label("Card number").focus()
    expect(card.get_by_label("Card number")).to_have_css("border-top-color", "rgb(1, 2, 3)")


def test_flat_theme_shades_inputs(checkout):
    page = checkout(appearance=json.dumps({"theme": "flat"}))
    number = payment_frame(page).get_by_label("Card number")
    expect(number).to_have_css("border-top-color", "rgba(0, 0, 0, 0)")
    expect(number).not_to_have_css("background-color", "rgb(255, 255, 255)")
    expect(number).to_have_css("border-top-left-radius", "4px")


def test_default_theme_and_focus_color(checkout):
    page = checkout(appearance=json.dumps({"variables": {"colorPrimary": "#ff5a00"}}))
    card = payment_frame(page)
    assert _style(card, "#Field-numberInput", "background-color") == "rgb(255, 255, 255)"
    card.get_by_label("Card number").focus()
    expect(card.get_by_label("Card number")).to_have_css("border-top-color", "rgb(255, 90, 0)")


def test_invalid_fields_turn_red(checkout):
    page = checkout(address="0", linkauth="0")
    card = payment_frame(page)
    card.get_by_label("Card number").fill("4242424242424241")
    expect(card.get_by_text("Your card number is invalid.")).to_be_visible()
    expect(card.get_by_label("Card number")).to_have_css("color", "rgb(223, 27, 65)")
    assert _style(card, "#Field-numberInput-error", "color") == "rgb(223, 27, 65)"


def test_elements_update_restyles_mounted_elements(checkout):
    page = checkout()
    page.evaluate(
        "window.__updated = false; window.__elements.on('update-end', () => window.__updated = true);"
        "window.__elements.update({appearance: {theme: 'night'}})"
    )
    page.wait_for_function("window.__updated")
    expect(payment_frame(page).get_by_label("Card number")).to_have_css(
        "background-color", "rgb(48, 49, 61)"
    )


def test_loader_auto_fires_loaderstart_before_ready(checkout):
    page = checkout(wait_for=("payment", "address", "linkAuthentication"))
    for element in ("payment", "address", "linkAuthentication"):
        names = page.evaluate(
            "el => window.__events.filter(e => e.payload.elementType === el).map(e => e.event)",
            element,
        )
        assert names.index("loaderstart") < names.index("ready"), element
        assert events(page, element, "ready") == [{"elementType": element}]


def test_mounting_is_not_a_change(checkout):
    page = checkout(wait_for=("payment", "address", "linkAuthentication"))
    page.wait_for_timeout(500)  # the Elements have exchanged their state by now
    assert page.evaluate("window.__events.filter(e => e.event === 'change')") == []


def test_loader_never_shows_no_skeleton(checkout):
    page = checkout(loader="never")
    assert events(page, "payment", "loaderstart") == []


def test_loaderror_for_an_unknown_client_secret(checkout):
    page = checkout()
    error = page.evaluate(
        """() => new Promise(resolve => {
          const stripe = Stripe(JSON.parse(document.getElementById('config').textContent).publishableKey);
          const elements = stripe.elements({clientSecret: 'seti_1Unknown000000000000000_secret_abc'});
          const payment = elements.create('payment');
          payment.on('loaderror', resolve);
          const div = document.createElement('div'); document.body.append(div); payment.mount(div);
        })"""
    )
    assert error["elementType"] == "payment"
    assert error["error"]["type"] == "invalid_request_error"
    assert error["error"]["code"] == "resource_missing"


def test_change_payloads(checkout):
    page = checkout(wait_for=("payment", "address"))
    email_frame(page).get_by_label("Email", exact=True).fill("pay@example.com")
    fill_address(page)
    fill_card(page)
    page.wait_for_function(
        "window.__events.some(e => e.event === 'change' && e.payload.elementType === 'payment' && e.payload.complete)"
    )
    assert events(page, "linkAuthentication", "change")[-1] == {
        "elementType": "linkAuthentication",
        "empty": False,
        "complete": True,
        "value": {"email": "pay@example.com"},
    }
    assert events(page, "address", "change")[-1] == {
        "elementType": "address",
        "elementMode": "shipping",
        "empty": False,
        "complete": True,
        "isNewAddress": True,
        "value": {
            "name": "Jenny Rosen",
            "address": {
                "line1": "354 Oyster Point Blvd",
                "line2": None,
                "city": "South San Francisco",
                "state": "CA",
                "postal_code": "94080",
                "country": "US",
            },
        },
    }
    assert events(page, "payment", "change")[-1] == {
        "elementType": "payment",
        "empty": False,
        "complete": True,
        "collapsed": False,
        "value": {"type": "card"},
    }
    classes = page.locator("#payment-element").get_attribute("class").split()
    assert {"StripeElement", "StripeElement--complete"} <= set(classes)
    assert "StripeElement--empty" not in classes


def test_address_get_value(checkout):
    page = checkout(wait_for=("address",))
    fill_address(page, name="Ada Lovelace")
    value = page.evaluate("window.__elements.getElement('address').getValue()")
    assert value["complete"] is True
    assert value["isNewAddress"] is True
    assert value["value"]["name"] == "Ada Lovelace"
    assert value["value"]["address"]["postal_code"] == "94080"


def test_on_off_by_handler_identity_and_once(checkout):
    page = checkout(address="0")
    page.evaluate(
        """() => {
          const payment = window.__elements.getElement('payment');
          window.__kept = 0; window.__removed = 0; window.__once = 0;
          window.__keep = () => window.__kept++;
          const remove = () => window.__removed++;
          payment.on('change', window.__keep);
          payment.on('change', remove);
          payment.off('change', remove);
          payment.once('change', () => window.__once++);
        }"""
    )
    card = payment_frame(page)
    card.get_by_label("Card number").fill("4242")
    page.wait_for_function("window.__kept >= 1")
    card.get_by_label("Card number").fill("")
    page.wait_for_function("window.__kept >= 2")
    assert page.evaluate("[window.__removed, window.__once]") == [0, 1]


def test_get_element_by_type_or_component(checkout):
    page = checkout(address="0")
    assert page.evaluate(
        """() => {
          const e = window.__elements;
          return [e.getElement('payment') === e.getElement({__elementType: 'payment'}),
                  e.getElement('address'), e.getElement('linkAuthentication') !== null];
        }"""
    ) == [True, None, True]


def test_focus_blur_and_escape_events(checkout):
    page = checkout(address="0")
    page.evaluate("window.__elements.getElement('payment').focus()")
    page.wait_for_function(
        "window.__events.some(e => e.event === 'focus' && e.payload.elementType === 'payment')"
    )
    assert "StripeElement--focus" in page.locator("#payment-element").get_attribute("class")
    payment_frame(page).get_by_label("Card number").press("Escape")
    page.wait_for_function(
        "window.__events.some(e => e.event === 'escape' && e.payload.elementType === 'payment')"
    )
    email_frame(page).get_by_label("Email", exact=True).click()
    page.wait_for_function(
        "window.__events.some(e => e.event === 'blur' && e.payload.elementType === 'payment')"
    )
    assert events(page, "linkAuthentication", "focus") == [{"elementType": "linkAuthentication"}]


def test_clear_empties_the_element(checkout):
    page = checkout(address="0")
    card = payment_frame(page)
    card.get_by_label("Card number").fill("4242424242424242")
    page.evaluate("window.__elements.getElement('payment').clear()")
    expect(card.get_by_label("Card number")).to_have_value("")
    page.wait_for_function(
        "(() => { const c = window.__events.filter(e => e.event === 'change' && "
        "e.payload.elementType === 'payment'); return c.length && c[c.length - 1].payload.empty; })()"
    )


def test_accordion_layout_collapse(checkout):
    page = checkout(address="0", layout="accordion")
    card = payment_frame(page)
    expect(card.get_by_role("button", name="Card")).to_have_attribute("aria-expanded", "true")
    page.evaluate("window.__elements.getElement('payment').collapse()")
    expect(card.get_by_role("button", name="Card")).to_have_attribute("aria-expanded", "false")
    expect(card.get_by_label("Card number")).to_be_hidden()
    page.wait_for_function(
        "window.__events.some(e => e.event === 'change' && e.payload.collapsed === true)"
    )


def test_unmount_destroy_and_remount(checkout):
    page = checkout(address="0")
    result = page.evaluate(
        """() => {
          const e = window.__elements;
          const link = e.getElement('linkAuthentication');
          link.unmount();
          const afterUnmount = document.querySelectorAll('iframe[title="Secure email input frame"]').length;
          link.mount('#link-authentication-element');
          const afterMount = document.querySelectorAll('iframe[title="Secure email input frame"]').length;
          link.destroy();
          let error = null;
          try { link.mount('#link-authentication-element'); } catch (err) { error = err.name + ': ' + err.message; }
          return [afterUnmount, afterMount, e.getElement('linkAuthentication'), error,
                  document.querySelectorAll('iframe[title="Secure email input frame"]').length];
        }"""
    )
    assert result == [
        0,
        1,
        None,
        "IntegrationError: This Element has already been destroyed. Please create a new one.",
        0,
    ]


def test_elements_submit_validates(checkout):
    page = checkout(address="0", linkauth="0")
    first = page.evaluate("window.__elements.submit()")
    assert first["error"]["type"] == "validation_error"
    assert first["error"]["code"] == "incomplete_number"
    fill_card(page)
    assert page.evaluate("window.__elements.submit()") == {"selectedPaymentMethod": "card"}


def test_the_stripe_object_surface(checkout):
    page = checkout()
    surface = page.evaluate(
        """() => {
          const stripe = Stripe('pk_test_surface');
          const kinds = ['elements', 'createToken', 'createPaymentMethod', 'confirmCardPayment',
            'confirmSetup', 'confirmPayment', 'retrieveSetupIntent', 'handleNextAction',
            'registerAppInfo', '_registerWrapper'].map(name => typeof stripe[name]);
          const thrown = [];
          for (const call of [() => Stripe('sk_test_oops'), () => Stripe(''),
                              () => stripe.elements().create('card'),
                              () => stripe.elements().create('address', {}),
                              () => stripe.confirmSetup({elements: window.__elements}),
                              () => stripe.createToken()]) {
            try { call(); thrown.push(null); } catch (err) { thrown.push(err.name); }
          }
          return {version: Stripe.version, kinds, thrown};
        }"""
    )
    assert surface["version"] == 3
    assert set(surface["kinds"]) == {"function"}
    assert surface["thrown"] == ["IntegrationError"] * 6


def test_retrieve_setup_intent_with_the_publishable_key(checkout):
    page = checkout()
    result = page.evaluate(
        """() => {
          const stripe = Stripe(JSON.parse(document.getElementById('config').textContent).publishableKey);
          return stripe.retrieveSetupIntent(window.__clientSecret);
        }"""
    )
    intent = result["setupIntent"]
    assert intent["status"] == "requires_payment_method"
    assert intent["payment_method_types"] == ["card", "link"]
    assert "customer" not in intent


def test_handle_next_action_requires_an_intent_that_needs_action(checkout):
    page = checkout()
    message = page.evaluate(
        """async () => {
          const stripe = Stripe(JSON.parse(document.getElementById('config').textContent).publishableKey);
          try { await stripe.handleNextAction({clientSecret: window.__clientSecret}); return null; }
          catch (err) { return err.name; }
        }"""
    )
    assert message == "IntegrationError"


def test_every_control_has_a_label(checkout):
    page = checkout(wait_for=("payment", "address", "linkAuthentication"))
    for selector in (EMAIL_FRAME, ADDRESS_FRAME, PAYMENT_FRAME):
        frame = page.frame_locator(selector)
        unlabelled = frame.locator("input, select").evaluate_all(
            "nodes => nodes.filter(n => !(n.labels && n.labels.length) && "
            "!n.getAttribute('aria-label')).map(n => n.id)"
        )
        assert unlabelled == [], selector
