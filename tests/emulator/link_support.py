"""Helpers of the Link consumer API tests: raw HTTP calls as Stripe.js makes them."""

from __future__ import annotations

import httpx

PHONE_REDACTED = "+1 (•••) •••-••55"
MULTI = "jenny+multiple_funding_sources@example.com"


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
