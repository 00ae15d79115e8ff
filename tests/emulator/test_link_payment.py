"""Paying with Link end to end through HTTP: lookup -> code -> wallet -> SetupIntent confirm -> a
`type: "link"` PaymentMethod on the customer; and the legacy persistent token."""

from __future__ import annotations

import pytest

from .link_support import LEGACY, MULTI, SECRET_PARAM, Page


@pytest.fixture
def page(emulator, secret_key):
    session = Page(emulator.base_url, secret_key)
    yield session
    session.close()


@pytest.fixture
def other_page(emulator, account_suffix):
    key = f"sk_test_{account_suffix}other"
    emulator.reset(key)
    session = Page(emulator.base_url, key)
    yield session
    session.close()


# --- paying with Link -----------------------------------------------------------------------------


def test_pay_with_link_card_attaches_a_link_payment_method(page):
    si = page.setup_intent()
    done = page.pay_with_multi(si)
    assert done["status"] == "succeeded"
    pm = done["payment_method"]
    assert pm["type"] == "link"
    assert pm["link"]["email"] == MULTI
    assert pm["link"]["persistent_token"].startswith("csmrtok_")
    assert pm["customer"] == done["customer"]
    assert pm["billing_details"]["email"] == MULTI
    assert pm["billing_details"]["address"]["country"] == "US"
    assert "card" not in pm
    listed = page.server.get(
        "/v1/payment_methods", params={"customer": done["customer"], "type": "link"}
    ).json()
    assert [p["id"] for p in listed["data"]] == [pm["id"]]


def test_pay_with_link_bank_account_succeeds(page):
    done = page.pay_with_multi(page.setup_intent(), kind="bank_account")
    assert done["status"] == "succeeded"
    assert done["payment_method"]["type"] == "link"


def test_billing_details_params_override_the_wallet(page):
    si = page.setup_intent()
    session = page.lookup(MULTI, si["client_secret"])
    page.verify(session["client_secret"])
    card = page.wallet(session["client_secret"])[0]
    extra = {"payment_method_data[billing_details][name]": "J. Rosen"}
    assert page.confirm(si, session["client_secret"], card["id"], **extra).status_code == 200
    assert page.retrieve(si)["payment_method"]["billing_details"]["name"] == "J. Rosen"


def test_new_customer_signs_up_and_pays(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card("new@example.com", "4242424242424242")
    assert page.confirm(si, secret, details_id).status_code == 200
    done = page.retrieve(si)
    assert done["status"] == "succeeded"
    assert done["payment_method"]["link"]["email"] == "new@example.com"


def test_three_d_secure_inside_link(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card("tds@example.com", "4000000000003220")
    response = page.confirm(si, secret, details_id)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "requires_action"
    assert body["next_action"]["type"] == "redirect_to_url"
    challenge = page.browser.post(
        f"/redirect/authenticate/{si['id']}",
        data={"key": page.pk, "client_secret": si["client_secret"], "action": "complete"},
    )
    assert challenge.status_code == 303
    done = page.retrieve(si)
    assert done["status"] == "succeeded"
    assert done["payment_method"]["type"] == "link"
    assert done["payment_method"]["customer"] == done["customer"]


def test_declining_funding_card_declines_at_confirm(page):
    si = page.setup_intent()
    secret, details_id = page.sign_up_with_card("decline@example.com", "4000000000000002")
    response = page.confirm(si, secret, details_id)
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["type"] == "card_error"
    assert error["decline_code"] == "generic_decline"
    assert error["setup_intent"]["status"] == "requires_payment_method"


def test_unverified_session_cannot_pay_and_nothing_changes(page):
    si = page.setup_intent()
    session = page.lookup(MULTI, si["client_secret"])  # code not entered
    response = page.confirm(si, session["client_secret"], "csmrpd_1Whatever")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "consumer_session_credentials_invalid"
    assert error["param"] == SECRET_PARAM
    after = page.retrieve(si)
    assert after["status"] == "requires_payment_method"
    assert after["payment_method"] is None and after["latest_attempt"] is None
    listed = page.server.get("/v1/payment_methods", params={"type": "link"}).json()
    assert listed["data"] == []


def test_payment_details_of_another_link_account_are_refused(page):
    si = page.setup_intent()
    _, foreign_details = page.sign_up_with_card("other@example.com", "4242424242424242")
    session = page.lookup(MULTI, si["client_secret"])
    page.verify(session["client_secret"])
    response = page.confirm(si, session["client_secret"], foreign_details)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "resource_missing"
    assert error["param"] == "payment_method_data[link][payment_details_id]"
    assert page.retrieve(si)["status"] == "requires_payment_method"


def test_link_needs_link_among_the_intent_types(page):
    si = page.setup_intent(**{"payment_method_types[0]": "card"})
    session = page.lookup(MULTI, si["client_secret"])
    page.verify(session["client_secret"])
    card = page.wallet(session["client_secret"])[0]
    response = page.confirm(si, session["client_secret"], card["id"])
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "payment_method_data[type]"


def test_create_link_payment_method_directly(page):
    session = page.lookup(MULTI)
    page.verify(session["client_secret"])
    card = page.wallet(session["client_secret"])[0]
    data = {
        "type": "link",
        "link[credentials][consumer_session_client_secret]": session["client_secret"],
        "link[payment_details_id]": card["id"],
    }
    pm = page.ok(page.browser, "/v1/payment_methods", data)
    assert pm["type"] == "link" and pm["link"]["email"] == MULTI
    assert pm["customer"] is None


# --- persistent token -------------------------------------------------------------------------------


def first_token(page: Page) -> str:
    done = page.pay_with_multi(page.setup_intent())
    return done["payment_method"]["link"]["persistent_token"]


def test_legacy_intent_with_token_logs_the_customer_in(page):
    token = first_token(page)
    si = page.setup_intent(LEGACY, token)
    assert si["payment_method_options"]["link"]["persistent_token"] == token
    session = page.lookup(MULTI, si["client_secret"])
    assert session["verification_sessions"] == [{"type": "SMS", "state": "verified"}]
    assert len(page.wallet(session["client_secret"])) == 2  # no code needed
    card = page.wallet(session["client_secret"])[0]
    assert page.confirm(si, session["client_secret"], card["id"]).status_code == 200


def test_legacy_payment_intent_with_token_logs_the_customer_in(page):
    token = first_token(page)
    pi = page.ok(
        page.server,
        "/v1/payment_intents",
        {
            "amount": "1099",
            "currency": "usd",
            "payment_method_types[0]": "card",
            "payment_method_types[1]": "link",
            "payment_method_options[link][persistent_token]": token,
        },
        LEGACY,
    )
    session = page.lookup(MULTI, pi["client_secret"])
    assert session["verification_sessions"][0]["state"] == "verified"


def test_token_without_the_intent_still_needs_a_code(page):
    first_token(page)
    assert page.lookup(MULTI)["verification_sessions"][0]["state"] == "started"


def test_current_version_intent_with_token_still_needs_a_code(page):
    token = first_token(page)
    si = page.setup_intent(None, token)
    session = page.lookup(MULTI, si["client_secret"])
    assert session["verification_sessions"] == [{"type": "SMS", "state": "started"}]


def test_unknown_token_authenticates_nobody(page):
    first_token(page)
    si = page.setup_intent(LEGACY, "csmrtok_1NotAToken")
    assert page.lookup(MULTI, si["client_secret"])["verification_sessions"][0]["state"] == "started"


def test_token_of_another_link_account_authenticates_nobody(page):
    token = first_token(page)  # MULTI's token
    _, _ = page.sign_up_with_card("other@example.com", "4242424242424242")
    si = page.setup_intent(LEGACY, token)
    session = page.lookup("other@example.com", si["client_secret"])
    assert session["verification_sessions"][0]["state"] == "started"


def test_token_of_another_emulator_account_authenticates_nobody(page, other_page):
    foreign = first_token(other_page)  # same email, other Stripe account
    first_token(page)
    si = page.setup_intent(LEGACY, foreign)
    assert page.lookup(MULTI, si["client_secret"])["verification_sessions"][0]["state"] == "started"
