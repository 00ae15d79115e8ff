"""Helpers of the Link consumer API tests: raw HTTP calls as Stripe.js makes them."""

from __future__ import annotations

import httpx

from stripe_emulator.keys import publishable_key_for

PHONE_REDACTED = "+1 (•••) •••-••55"
MULTI = "jenny+multiple_funding_sources@example.com"
LEGACY = "2024-04-10"  # before context.PERSISTENT_TOKEN_DEPRECATED
SECRET_PARAM = "payment_method_data[link][credentials][consumer_session_client_secret]"


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


class Page:
    """The merchant server (secret key) and the browser (publishable key) of one account."""

    def __init__(self, base_url: str, secret_key: str) -> None:
        self.server = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {secret_key}"}
        )
        pk = publishable_key_for(secret_key)
        self.browser = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {pk}"})
        self.pk = pk

    def close(self) -> None:
        self.server.close()
        self.browser.close()

    def post(self, client: httpx.Client, path: str, data: dict, version: str | None = None):
        headers = {"Stripe-Version": version} if version else {}
        return client.post(path, data=data, headers=headers)

    def ok(self, client: httpx.Client, path: str, data: dict, version: str | None = None) -> dict:
        response = self.post(client, path, data, version)
        assert response.status_code == 200, response.text
        return response.json()

    def customer(self) -> str:
        return self.ok(self.server, "/v1/customers", {})["id"]

    def setup_intent(self, version: str | None = LEGACY, token: str | None = None, **extra) -> dict:
        data = {"customer": self.customer(), **extra}
        if version == LEGACY and not any(k.startswith("payment_method_types") for k in extra):
            data.update({"payment_method_types[0]": "card", "payment_method_types[1]": "link"})
        if token is not None:
            data["payment_method_options[link][persistent_token]"] = token
        return self.ok(self.server, "/v1/setup_intents", data, version)

    def lookup(self, email: str, client_secret: str | None = None) -> dict:
        data = {"email_address": email}
        if client_secret:
            data["client_secret"] = client_secret
        return self.ok(self.browser, "/v1/consumers/sessions/lookup", data)["consumer_session"]

    def verify(self, session_secret: str) -> None:
        data = {
            "credentials[consumer_session_client_secret]": session_secret,
            "type": "SMS",
            "code": "123456",
        }
        self.ok(self.browser, "/v1/consumers/sessions/confirm_verification", data)

    def wallet(self, session_secret: str) -> list[dict]:
        data = {"credentials[consumer_session_client_secret]": session_secret}
        listed = self.ok(self.browser, "/v1/consumers/payment_details/list", data)
        return listed["redacted_payment_details"]

    def sign_up_with_card(
        self, email: str, number: str, intent: dict | None = None
    ) -> tuple[str, str]:
        """Sign up with a card; with `intent`, as the Payment Element does at confirm."""
        data = {"email_address": email, "phone_number": "5555550155"}
        if intent is not None:
            data["client_secret"] = intent["client_secret"]
        secret = self.ok(self.browser, "/v1/consumers/accounts/sign_up", data)["client_secret"]
        card = {
            "credentials[consumer_session_client_secret]": secret,
            "type": "card",
            "card[number]": number,
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        }
        return secret, self.ok(self.browser, "/v1/consumers/payment_details", card)["id"]

    def confirm(self, si: dict, session_secret: str, details_id: str, **extra) -> httpx.Response:
        data = {
            "client_secret": si["client_secret"],
            "payment_method_data[type]": "link",
            SECRET_PARAM: session_secret,
            "payment_method_data[link][payment_details_id]": details_id,
            "return_url": "https://example.com/order/complete",
            **extra,
        }
        return self.browser.post(f"/v1/setup_intents/{si['id']}/confirm", data=data)

    def retrieve(self, si: dict) -> dict:
        response = self.server.get(
            f"/v1/setup_intents/{si['id']}", params={"expand[0]": "payment_method"}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def pay_with_multi(self, si: dict, kind: str = "card") -> dict:
        """The returning +multiple_funding_sources customer pays with their card or bank."""
        session = self.lookup(MULTI, si["client_secret"])
        self.verify(session["client_secret"])
        details = next(d for d in self.wallet(session["client_secret"]) if d["type"] == kind)
        response = self.confirm(si, session["client_secret"], details["id"])
        assert response.status_code == 200, response.text
        return self.retrieve(si)


def lookup_body(page: Page, email: str) -> dict:
    """The whole lookup answer (`exists`, `consumer_session`) the browser gets for `email`."""
    return page.ok(page.browser, "/v1/consumers/sessions/lookup", {"email_address": email})
