"""Raw-HTTP behaviours found by the acceptance audit: replay headers, idempotency fingerprints,
API-version names, what a publishable key may expand, and refused card errors keeping nothing."""

from __future__ import annotations

import pytest


def test_idempotent_replay_keeps_the_per_request_headers(http):
    headers = {"Idempotency-Key": "replay-headers", "Stripe-Version": "2024-04-10"}
    first = http.post("/v1/customers", data={"email": "a@example.com"}, headers=headers)
    second = http.post("/v1/customers", data={"email": "a@example.com"}, headers=headers)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["request-id"].startswith("req_")
    assert second.headers["request-id"] != first.headers["request-id"]
    assert second.headers["stripe-version"] == "2024-04-10"
    assert second.headers["idempotency-key"] == "replay-headers"
    assert [h for h in second.headers.raw if h[0].lower() == b"request-id"] == [
        (b"request-id", second.headers["request-id"].encode())
    ]


def test_idempotent_retry_with_parameters_in_another_order_replays(http):
    headers = {"Idempotency-Key": "reordered", "Content-Type": "application/x-www-form-urlencoded"}
    first = http.post("/v1/customers", content="email=a%40example.com&name=Jenny", headers=headers)
    second = http.post("/v1/customers", content="name=Jenny&email=a%40example.com", headers=headers)
    assert second.status_code == 200, second.text
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]


def test_idempotency_key_longer_than_255_characters_is_refused(http):
    response = http.post("/v1/customers", headers={"Idempotency-Key": "k" * 256})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "Idempotency-Key"
    assert http.get("/v1/customers").json()["data"] == []


@pytest.mark.parametrize("version", ["2099-01-01", "2026-10-28.dahlia", "2024-04-10.endive"])
def test_unknown_api_versions_are_refused(http, version):
    response = http.get("/v1/customers", headers={"Stripe-Version": version})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == f"Invalid Stripe API version: {version}"


@pytest.mark.parametrize(
    "version", ["2020-08-27", "2024-04-10", "2026-09-30.endive", "2025-09-30.clover"]
)
def test_known_api_versions_are_accepted(http, version):
    assert http.get("/v1/customers", headers={"Stripe-Version": version}).status_code == 200


@pytest.fixture
def intent(http) -> dict:
    customer = http.post("/v1/customers").json()["id"]
    return http.post(
        "/v1/setup_intents",
        data={"customer": customer, "payment_method": "pm_card_visa", "confirm": "true"},
    ).json()


def test_publishable_key_cannot_expand_what_it_cannot_see(pk_http, intent):
    response = pk_http.get(
        f"/v1/setup_intents/{intent['id']}",
        params={"client_secret": intent["client_secret"], "expand[]": "customer"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "This property cannot be expanded (customer)."


def test_publishable_key_may_expand_the_payment_method(pk_http, intent):
    response = pk_http.get(
        f"/v1/setup_intents/{intent['id']}",
        params={"client_secret": intent["client_secret"], "expand[]": "payment_method"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["payment_method"]["id"] == intent["payment_method"]
    assert "customer" not in body


def test_declined_attach_keeps_no_payment_method(http):
    customer = http.post("/v1/customers").json()["id"]
    response = http.post(
        "/v1/payment_methods/pm_card_visa_chargeDeclined/attach", data={"customer": customer}
    )
    assert response.status_code == 402
    assert response.json()["error"]["decline_code"] == "generic_decline"
    assert http.get("/v1/payment_methods").json()["data"] == []
