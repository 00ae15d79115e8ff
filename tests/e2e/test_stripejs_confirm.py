"""confirmSetup's call forms and inputs, handleNextAction, and confirmPayment."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.merchant.driver import (
    CHALLENGE_FRAME,
    fill_address,
    fill_card,
    intent_id,
    outcome,
    payment_frame,
)

pytestmark = pytest.mark.browser

STRIPE = "Stripe(JSON.parse(document.getElementById('config').textContent).publishableKey)"


def test_billing_address_element_fills_billing_details(checkout, guide_client):
    page = checkout(addressMode="billing", linkauth="0", redirect="if_required")
    expect(payment_frame(page).get_by_label("ZIP code")).to_be_hidden()
    fill_address(page)
    fill_card(page)
    page.get_by_role("button", name="Save").click()
    pm_id = outcome(page)["setupIntent"]["payment_method"]
    billing = guide_client.v1.payment_methods.retrieve(pm_id).billing_details
    assert billing.name == "Jenny Rosen"
    assert billing.address.line1 == "354 Oyster Point Blvd"
    assert billing.address.city == "South San Francisco"
    assert (billing.address.state, billing.address.postal_code) == ("CA", "94080")


def test_confirm_params_billing_details_are_merged(checkout, guide_client):
    page = checkout(address="0", linkauth="0", redirect="if_required", name="Grace Hopper")
    fill_card(page)
    page.get_by_role("button", name="Save").click()
    pm_id = outcome(page)["setupIntent"]["payment_method"]
    billing = guide_client.v1.payment_methods.retrieve(pm_id).billing_details
    assert billing.name == "Grace Hopper"
    assert billing.address.postal_code == "94080"  # from the Payment Element


@pytest.mark.parametrize(
    "form",
    [
        "{elements: window.__elements, redirect: 'if_required'}",
        "{elements: window.__elements, clientSecret: window.__clientSecret, redirect: 'if_required'}",
        "{elements: window.__elements, confirmParams: {return_url: location.origin + '/return'}}",
        "{clientSecret: window.__clientSecret, confirmParams: {payment_method: 'pm_card_visa', "
        "return_url: location.origin + '/return?order=4'}}",
    ],
    ids=["elements-if_required", "elements+secret-if_required", "elements-always", "secret-always"],
)
def test_the_four_call_forms(checkout, guide_client, form):
    page = checkout(address="0", linkauth="0")
    seti = intent_id(page)
    fill_card(page)
    page.evaluate(f"() => {{ {STRIPE}.confirmSetup({form}).then(r => window.__outcome = r); }}")
    if "return_url" in form:
        page.wait_for_url("**/return?**")
        expect(page.locator("#status")).to_have_text("succeeded")
    else:
        assert outcome(page)["setupIntent"]["status"] == "succeeded"
    assert guide_client.v1.setup_intents.retrieve(seti).status == "succeeded"


def test_confirm_with_client_secret_and_payment_method_only(checkout, guide_client):
    page = checkout()
    result = page.evaluate(
        f"""() => {STRIPE}.confirmSetup({{
          clientSecret: window.__clientSecret,
          confirmParams: {{payment_method: 'pm_card_visa'}},
          redirect: 'if_required',
        }})"""
    )
    assert result["setupIntent"]["status"] == "succeeded"
    assert guide_client.v1.setup_intents.retrieve(intent_id(page)).status == "succeeded"


def test_redirect_always_needs_a_return_url(checkout):
    page = checkout()
    error = page.evaluate(
        """() => { try { Stripe('pk_test_x').confirmSetup({elements: window.__elements}); }
                   catch (err) { return [err.name, err.message]; } }"""
    )
    assert error == [
        "IntegrationError",
        "stripe.confirmSetup(): the `confirmParams.return_url` argument is required unless "
        "passing `redirect: 'if_required'`",
    ]


def test_handle_next_action_opens_the_challenge(checkout, guide_client, customer):
    page = checkout()
    intent = guide_client.v1.setup_intents.create(
        {
            "customer": customer,
            "payment_method_types": ["card"],
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": True,
        }
    )
    assert intent.status == "requires_action"
    page.evaluate(
        f"s => {{ window.__outcome = undefined; "
        f"{STRIPE}.handleNextAction({{clientSecret: s}}).then(r => window.__outcome = r); }}",
        intent.client_secret,
    )
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Complete").click()
    assert outcome(page)["setupIntent"]["status"] == "succeeded"


def test_handle_next_action_follows_a_server_side_redirect_to_url(checkout, guide_client, customer):
    page = checkout()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    intent = guide_client.v1.setup_intents.create(
        {
            "customer": customer,
            "payment_method_types": ["card"],
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": True,
            "return_url": f"{origin}/return?order=srv",
        }
    )
    assert intent.next_action.type == "redirect_to_url"  # confirmed on the server
    page.evaluate(
        f"s => {{ {STRIPE}.handleNextAction({{clientSecret: s}}); }}", intent.client_secret
    )
    page.wait_for_url("**/redirect/authenticate/**")  # the whole tab, no modal
    expect(page.get_by_role("heading", name="3D Secure 2 Test Page")).to_be_visible()
    page.locator("#test-source-authorize-3ds").click()
    page.wait_for_url("**/return?**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["order"] == ["srv"]
    assert query["setup_intent"] == [intent.id]
    assert query["redirect_status"] == ["succeeded"]
    assert guide_client.v1.setup_intents.retrieve(intent.id).status == "succeeded"


def test_confirm_payment_three_d_secure_fail_resolves_error_in_page(checkout, guide_client):
    page = checkout()
    intent = guide_client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method_types": ["card"]}
    )
    page.evaluate(
        f"""s => {{ window.__outcome = undefined; {STRIPE}.confirmPayment({{clientSecret: s,
              confirmParams: {{payment_method: 'pm_card_threeDSecure2Required',
                               return_url: location.origin + '/return'}}}})
              .then(r => window.__outcome = r); }}""",
        intent.client_secret,
    )
    challenge = page.frame_locator(CHALLENGE_FRAME).frame_locator("#challengeFrame")
    challenge.get_by_role("button", name="Fail").click()
    error = outcome(page)["error"]
    assert (error["type"], error["code"]) == (
        "invalid_request_error",
        "payment_intent_authentication_failure",
    )
    assert error["message"] == (
        "We are unable to authenticate your payment method. Please choose a different payment "
        "method and try again."
    )
    assert error["payment_intent"]["status"] == "requires_payment_method"
    assert urlsplit(page.url).path == "/"
    assert guide_client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"


def test_confirm_payment_with_the_payment_element(checkout, guide_client, customer):
    page = checkout(address="0", linkauth="0")
    intent = guide_client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer,
            "payment_method_types": ["card", "link"],
        }
    )
    page.evaluate(
        f"""s => {{
          window.__elements.getElement('payment').destroy();
          window.__events = [];
          const elements = {STRIPE}.elements({{clientSecret: s}});
          window.__pi = elements;
          const payment = elements.create('payment');
          payment.on('ready', () => window.__events.push({{event: 'ready', payload: {{}}}}));
          payment.mount('#payment-element');
        }}""",
        intent.client_secret,
    )
    page.wait_for_function("window.__events.some(e => e.event === 'ready')")
    fill_card(page)
    result = page.evaluate(
        f"""() => {STRIPE}.confirmPayment({{elements: window.__pi, redirect: 'if_required',
              confirmParams: {{return_url: location.origin + '/return'}}}})"""
    )
    assert result["paymentIntent"]["status"] == "succeeded"
    assert result["paymentIntent"]["amount"] == 1099
    assert guide_client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
