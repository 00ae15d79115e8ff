"""What the page's tests do on a customer's behalf: get a client secret from `/secret`, save a
card or a Link method the way Stripe.js would, build the return_url, read a Set-Cookie."""

from __future__ import annotations

from http.cookies import SimpleCookie

import httpx
import stripe

LEGACY_VERSION = "2024-04-10"


def client_secret_from(page, path: str = "/secret") -> str:
    response = page.get(path)
    assert response.status_code == 200, response.text
    return response.json()["client_secret"]


def intent_id(client_secret: str) -> str:
    return client_secret.split("_secret_")[0]


def save_card(client: stripe.StripeClient, client_secret: str) -> None:
    intent = client.v1.setup_intents.confirm(
        intent_id(client_secret), {"payment_method": "pm_card_visa"}
    )
    assert intent.status == "succeeded"


def save_with_link(pk_http: httpx.Client, client_secret: str, email: str) -> dict:
    """What Stripe.js does for a new customer who signs up for Link and saves a card."""
    session = pk_http.post(
        "/v1/consumers/accounts/sign_up",
        data={"email_address": email, "phone_number": "+15555550123", "country": "US"},
    ).json()
    credentials = session["client_secret"]
    details = pk_http.post(
        "/v1/consumers/payment_details",
        data={
            "credentials[consumer_session_client_secret]": credentials,
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
        },
    ).json()
    confirmed = pk_http.post(
        f"/v1/setup_intents/{intent_id(client_secret)}/confirm",
        data={
            "client_secret": client_secret,
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": credentials,
            "payment_method_data[link][payment_details_id]": details["id"],
            "expand[0]": "payment_method",
        },
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "succeeded"
    return confirmed.json()


def complete_url(client_secret: str) -> str:
    return (
        f"/order/complete?setup_intent={intent_id(client_secret)}"
        f"&setup_intent_client_secret={client_secret}&redirect_status=succeeded"
    )


def set_cookie_header(response: httpx.Response) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie
