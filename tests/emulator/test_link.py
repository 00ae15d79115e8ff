"""Link consumer API (/v1/consumers/...) through HTTP with the publishable key, as Stripe.js calls it."""

from __future__ import annotations

import httpx
import pytest

PHONE_REDACTED = "+1 (•••) •••-••55"
MULTI = "jenny+multiple_funding_sources@example.com"


@pytest.fixture
def pk_http(emulator, publishable_key):
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {publishable_key}"}
    ) as session:
        yield session


def post_ok(http: httpx.Client, path: str, data: dict) -> dict:
    response = http.post(path, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def post_error(http: httpx.Client, path: str, data: dict, status: int = 400) -> dict:
    response = http.post(path, data=data)
    assert response.status_code == status, response.text
    return response.json()["error"]


def lookup(http: httpx.Client, email: str, **extra) -> dict:
    return post_ok(http, "/v1/consumers/sessions/lookup", {"email_address": email, **extra})


def creds(secret: str) -> dict:
    return {"credentials[consumer_session_client_secret]": secret}


def confirm(http: httpx.Client, secret: str, code: str) -> httpx.Response:
    return http.post(
        "/v1/consumers/sessions/confirm_verification",
        data={**creds(secret), "type": "SMS", "code": code},
    )


def sign_up(http: httpx.Client, email: str, phone: str = "(555) 555-0155", **extra) -> dict:
    data = {"email_address": email, "phone_number": phone, **extra}
    return post_ok(http, "/v1/consumers/accounts/sign_up", data)


def verified_multi(http: httpx.Client) -> str:
    secret = lookup(http, MULTI)["consumer_session"]["client_secret"]
    assert confirm(http, secret, "123456").status_code == 200
    return secret


def add_card(
    http: httpx.Client, secret: str, number: str = "4242424242424242", **extra
) -> httpx.Response:
    data = {
        **creds(secret),
        "type": "card",
        "card[number]": number,
        "card[exp_month]": "12",
        "card[exp_year]": "2040",
        "card[cvc]": "123",
        **extra,
    }
    return http.post("/v1/consumers/payment_details", data=data)


# --- lookup -------------------------------------------------------------------------------------


def test_lookup_of_new_email_has_no_link_account(pk_http):
    assert lookup(pk_http, "new@example.com") == {"exists": False, "consumer_session": None}


def test_lookup_requires_email_address(pk_http):
    error = post_error(pk_http, "/v1/consumers/sessions/lookup", {})
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "parameter_missing"
    assert error["param"] == "email_address"


def test_lookup_accepts_the_key_as_a_form_field_like_stripe_js(anon_http, publishable_key):
    body = lookup(anon_http, "new@example.com", key=publishable_key)
    assert body["exists"] is False


def test_lookup_of_returning_email_sends_a_code(pk_http):
    sign_up(pk_http, "Returning@Example.com")
    body = lookup(pk_http, "returning@example.com")
    assert body["exists"] is True
    session = body["consumer_session"]
    assert set(session) == {
        "client_secret",
        "email_address",
        "redacted_phone_number",
        "verification_sessions",
    }
    assert session["client_secret"].startswith("csmrsess_")
    assert "_secret_" in session["client_secret"]
    assert session["email_address"] == "returning@example.com"
    assert session["redacted_phone_number"] == PHONE_REDACTED
    assert session["verification_sessions"] == [{"type": "SMS", "state": "started"}]


def test_link_accounts_belong_to_one_emulator_account(pk_http, emulator):
    sign_up(pk_http, "jenny@example.com")
    other_key = "pk_test_link_isolation_other"
    emulator.reset("sk_test_link_isolation_other")
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {other_key}"}
    ) as other:
        assert lookup(other, "jenny@example.com")["exists"] is False


def test_lookup_with_unknown_intent_client_secret_is_refused(pk_http):
    error = post_error(
        pk_http,
        "/v1/consumers/sessions/lookup",
        {"email_address": MULTI, "client_secret": "seti_1Unknown_secret_abc"},
        404,
    )
    assert error["code"] == "resource_missing"
    assert error["param"] == "client_secret"
    assert error["message"] == "No such setupintent: 'seti_1Unknown'"


# --- one-time codes -------------------------------------------------------------------------------


def test_any_other_six_digits_verify_the_session(pk_http):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    response = confirm(pk_http, secret, "424242")
    assert response.status_code == 200
    assert response.json()["verification_sessions"] == [{"type": "SMS", "state": "verified"}]


@pytest.mark.parametrize(
    ("code", "error_code", "message"),
    [
        ("000001", "consumer_verification_code_invalid", "The code you entered is invalid. Please try again."),
        ("000002", "consumer_verification_expired", "This code has expired. Request a new code and try again."),
        ("000003", "consumer_verification_max_attempts_exceeded", "Too many attempts. Request a new code and try again."),
    ],
)  # fmt: skip
def test_test_codes_give_their_errors(pk_http, code, error_code, message):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    response = confirm(pk_http, secret, code)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == error_code
    assert error["message"] == message
    assert error["param"] == "code"


@pytest.mark.parametrize("code", ["000001", "000002"])
def test_after_invalid_or_expired_code_the_customer_can_retry(pk_http, code):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    assert confirm(pk_http, secret, code).status_code == 400
    response = confirm(pk_http, secret, "111111")
    assert response.status_code == 200
    assert response.json()["verification_sessions"][0]["state"] == "verified"


def test_after_max_attempts_a_new_code_must_be_requested(pk_http):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    assert confirm(pk_http, secret, "000003").status_code == 400
    locked = confirm(pk_http, secret, "111111")
    assert locked.status_code == 400
    assert locked.json()["error"]["code"] == "consumer_verification_max_attempts_exceeded"
    resent = post_ok(
        pk_http, "/v1/consumers/sessions/start_verification", {**creds(secret), "type": "SMS"}
    )
    assert resent["verification_sessions"] == [{"type": "SMS", "state": "started"}]
    response = confirm(pk_http, secret, "111111")
    assert response.status_code == 200
    assert response.json()["verification_sessions"][0]["state"] == "verified"


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef"])
def test_a_code_must_be_six_digits(pk_http, code):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    response = confirm(pk_http, secret, code)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parameter_invalid_string"
    assert error["param"] == "code"
    still = confirm(pk_http, secret, "222222")  # the malformed code changed nothing
    assert still.status_code == 200


def test_unknown_session_secret_is_invalid_credentials(pk_http):
    response = confirm(pk_http, "csmrsess_1Nope_secret_nope", "123456")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "consumer_session_credentials_invalid"
    assert error["param"] == "credentials[consumer_session_client_secret]"


def test_resend_keeps_a_verified_session_verified(pk_http):
    secret = verified_multi(pk_http)
    resent = post_ok(
        pk_http, "/v1/consumers/sessions/start_verification", {**creds(secret), "type": "SMS"}
    )
    assert resent["verification_sessions"][0]["state"] == "verified"


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
