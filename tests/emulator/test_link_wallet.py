"""Link consumer API through HTTP with the publishable key: the wallet (payment details,
shipping addresses) and sign-up."""

from __future__ import annotations

import pytest

from .link_support import (
    MULTI,
    PHONE_REDACTED,
    add_card,
    confirm,
    creds,
    lookup,
    post_error,
    post_ok,
    sign_up,
    verified_multi,
)

# --- wallet ---------------------------------------------------------------------------------------


def test_payment_details_need_a_verified_session(pk_http):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    error = post_error(pk_http, "/v1/consumers/payment_details/list", creds(secret))
    assert error["code"] == "consumer_session_credentials_invalid"
    shipping = post_error(pk_http, "/v1/consumers/shipping_addresses/list", creds(secret))
    assert shipping["code"] == "consumer_session_credentials_invalid"


def test_multiple_funding_sources_identity_has_card_and_bank(pk_http):
    secret = verified_multi(pk_http)
    details = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(secret))
    card, bank = details["redacted_payment_details"]
    assert card["id"].startswith("csmrpd_") and bank["id"].startswith("csmrpd_")
    assert card["type"] == "card" and card["is_default"] is True
    assert card["card"]["brand"] == "visa" and card["card"]["last4"] == "4242"
    assert card["card"]["funding"] == "credit"
    assert card["bank_account"] is None
    assert bank["type"] == "bank_account" and bank["is_default"] is False
    assert bank["bank_account"] == {
        "bank_name": "STRIPE TEST BANK",
        "last4": "6789",
        "routing_number": "110000000",
    }
    assert bank["card"] is None
    addresses = post_ok(pk_http, "/v1/consumers/shipping_addresses/list", creds(secret))
    (address,) = addresses["shipping_addresses"]
    assert address["id"].startswith("csmrsa_") and address["is_default"] is True
    assert address["address"]["country"] == "US"
    assert set(address["address"]) == {
        "name", "phone", "line1", "line2", "city", "state", "postal_code", "country",
    }  # fmt: skip


def test_multiple_funding_sources_identity_is_created_once(pk_http):
    first = verified_multi(pk_http)
    second = verified_multi(pk_http)
    assert first != second
    listed = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(second))
    assert len(listed["redacted_payment_details"]) == 2


def test_payment_details_list_filters_by_types(pk_http):
    secret = verified_multi(pk_http)
    listed = post_ok(
        pk_http, "/v1/consumers/payment_details/list", {**creds(secret), "types[0]": "bank_account"}
    )
    assert [d["type"] for d in listed["redacted_payment_details"]] == ["bank_account"]


# --- sign-up --------------------------------------------------------------------------------------


def test_sign_up_creates_a_verified_session(pk_http):
    session = sign_up(pk_http, "new@example.com", name="Jenny Rosen")
    assert session["email_address"] == "new@example.com"
    assert session["redacted_phone_number"] == PHONE_REDACTED
    assert session["verification_sessions"] == [{"type": "SMS", "state": "verified"}]
    listed = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(session["client_secret"]))
    assert listed == {"redacted_payment_details": []}


def test_sign_up_with_international_phone(pk_http):
    session = sign_up(pk_http, "uk@example.com", phone="+44 7700 900123", country="GB")
    assert session["redacted_phone_number"] == "+44 ••••••••23"


def test_sign_up_of_existing_email_is_refused(pk_http):
    sign_up(pk_http, "jenny@example.com")
    error = post_error(
        pk_http,
        "/v1/consumers/accounts/sign_up",
        {"email_address": "JENNY@example.com", "phone_number": "5555550199"},
    )
    assert error["code"] == "consumer_account_exists"
    assert error["param"] == "email_address"
    session = lookup(pk_http, "jenny@example.com")["consumer_session"]
    assert session["redacted_phone_number"] == PHONE_REDACTED  # the first account is untouched


def test_sign_up_with_invalid_phone_creates_nothing(pk_http):
    error = post_error(
        pk_http,
        "/v1/consumers/accounts/sign_up",
        {"email_address": "jenny@example.com", "phone_number": "12"},
    )
    assert error["code"] == "parameter_invalid_string"
    assert error["param"] == "phone_number"
    assert lookup(pk_http, "jenny@example.com")["exists"] is False


@pytest.mark.parametrize(
    "phone", ["555-0123", "+1 555 0123", "+1 (201) 555-01234", "201 555 01234", "+15550123"]
)
def test_sign_up_needs_ten_digits_for_a_us_number(pk_http, phone):
    error = post_error(
        pk_http,
        "/v1/consumers/accounts/sign_up",
        {"email_address": "jenny@example.com", "phone_number": phone},
    )
    assert (error["code"], error["param"]) == ("parameter_invalid_string", "phone_number")
    assert error["message"] == f"Invalid phone number: {phone}"
    assert lookup(pk_http, "jenny@example.com")["exists"] is False


@pytest.mark.parametrize("phone", ["(201) 555-0123", "1 201 555 0123", "+1 201-555-0123"])
def test_sign_up_accepts_a_us_number_with_or_without_plus_one(pk_http, phone):
    session = sign_up(pk_http, "jenny@example.com", phone=phone)
    assert session["redacted_phone_number"] == "+1 (•••) •••-••23"


def test_sign_up_with_invalid_email_is_refused(pk_http):
    error = post_error(
        pk_http,
        "/v1/consumers/accounts/sign_up",
        {"email_address": "not-an-email", "phone_number": "5555550155"},
    )
    assert error["code"] == "email_invalid"
    assert error["param"] == "email_address"


def test_signed_up_card_and_address_are_in_the_wallet(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    response = add_card(
        pk_http,
        secret,
        **{"billing_address[name]": "Jenny Rosen", "billing_address[postal_code]": "94080",
           "billing_address[country]": "US"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    details = response.json()
    assert details["id"].startswith("csmrpd_")
    assert details["type"] == "card" and details["is_default"] is True
    assert details["card"] == {
        "brand": "visa",
        "last4": "4242",
        "exp_month": 12,
        "exp_year": 2040,
        "funding": "credit",
    }
    assert details["billing_address"]["name"] == "Jenny Rosen"
    assert details["billing_address"]["postal_code"] == "94080"
    assert details["billing_address"]["line1"] is None
    address = post_ok(
        pk_http,
        "/v1/consumers/shipping_addresses",
        {**creds(secret), "address[name]": "Jenny Rosen", "address[line1]": "1 Main St",
         "address[city]": "Springfield", "address[state]": "IL", "address[postal_code]": "62701",
         "address[country]": "US"},
    )  # fmt: skip
    assert address["id"].startswith("csmrsa_") and address["is_default"] is True
    assert address["address"]["phone"] is None and address["address"]["line2"] is None
    # a returning visit: lookup, code, then the wallet shows what was saved
    again = lookup(pk_http, "jenny@example.com")["consumer_session"]["client_secret"]
    assert confirm(pk_http, again, "123456").status_code == 200
    listed = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(again))
    assert listed["redacted_payment_details"] == [details]
    addresses = post_ok(pk_http, "/v1/consumers/shipping_addresses/list", creds(again))
    assert addresses["shipping_addresses"] == [address]


def test_new_default_payment_details_moves_the_default(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    first = add_card(pk_http, secret).json()
    second = add_card(pk_http, secret, "5555555555554444", is_default="true").json()
    third = add_card(pk_http, secret, "6011111111111117").json()
    listed = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(secret))
    defaults = {d["id"]: d["is_default"] for d in listed["redacted_payment_details"]}
    assert defaults == {first["id"]: False, second["id"]: True, third["id"]: False}


def test_payment_details_card_number_must_pass_luhn(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    response = add_card(pk_http, secret, "4242424242424241")
    assert response.status_code == 402
    error = response.json()["error"]
    assert error["type"] == "card_error"
    assert error["code"] == "incorrect_number"
    assert error["param"] == "card[number]"
    listed = post_ok(pk_http, "/v1/consumers/payment_details/list", creds(secret))
    assert listed["redacted_payment_details"] == []


def test_declining_card_is_saved_declines_come_at_confirm(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    response = add_card(pk_http, secret, "4000000000000002")
    assert response.status_code == 200
    assert response.json()["card"]["last4"] == "0002"


def test_payment_details_bank_account(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    details = post_ok(
        pk_http,
        "/v1/consumers/payment_details",
        {**creds(secret), "type": "bank_account", "bank_account[routing_number]": "110000000",
         "bank_account[account_number]": "000123456789"},
    )  # fmt: skip
    assert details["type"] == "bank_account"
    assert details["bank_account"]["last4"] == "6789"
    assert details["card"] is None


def test_payment_details_unknown_param_is_refused(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    error = post_error(
        pk_http,
        "/v1/consumers/payment_details",
        {**creds(secret), "type": "card", "card[foo]": "x"},
    )
    assert error["code"] == "parameter_unknown"
    assert error["param"] == "card[foo]"


def test_shipping_address_needs_line1(pk_http):
    secret = sign_up(pk_http, "jenny@example.com")["client_secret"]
    error = post_error(
        pk_http,
        "/v1/consumers/shipping_addresses",
        {**creds(secret), "address[name]": "Jenny", "address[country]": "US"},
    )
    assert error["code"] == "parameter_missing"
    assert error["param"] == "address[line1]"


def test_consumer_routes_also_accept_the_secret_key(http):
    assert lookup(http, MULTI)["exists"] is True
