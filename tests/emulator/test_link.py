"""Link consumer API (/v1/consumers/...) through HTTP with the publishable key, as Stripe.js
calls it: lookup and one-time codes (the wallet and sign-up: test_link_wallet.py)."""

from __future__ import annotations

import httpx
import pytest

from .link_support import (
    MULTI,
    PHONE_REDACTED,
    confirm,
    creds,
    lookup,
    post_error,
    post_ok,
    sign_up,
    verified_multi,
)

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
    other_key = emulator.reset("sk_test_link_isolation_other")["publishable_key"]
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
        ("000001", "consumer_verification_code_invalid", "The provided verification code is incorrect."),
        ("000002", "consumer_verification_expired", "The provided verification code has expired."),
        ("000003", "consumer_verification_max_attempts_exceeded", "Too many attempts. Please try again in a few minutes."),
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


def test_after_an_invalid_code_the_customer_can_retry(pk_http):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    assert confirm(pk_http, secret, "000001").status_code == 400
    response = confirm(pk_http, secret, "111111")
    assert response.status_code == 200
    assert response.json()["verification_sessions"][0]["state"] == "verified"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [("000002", "consumer_verification_expired"),
     ("000003", "consumer_verification_max_attempts_exceeded")],
)  # fmt: skip
def test_after_an_expired_code_or_max_attempts_a_new_code_must_be_requested(
    pk_http, code, error_code
):
    secret = lookup(pk_http, MULTI)["consumer_session"]["client_secret"]
    assert confirm(pk_http, secret, code).status_code == 400
    locked = confirm(pk_http, secret, "111111")
    assert locked.status_code == 400
    assert locked.json()["error"]["code"] == error_code
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
