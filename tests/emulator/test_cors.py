"""CORS: what Stripe.js needs (publishable-key and keyless API calls), nothing for a secret key's
responses or the control routes (docs/facts/cors.md)."""

from __future__ import annotations


def test_cors_preflight_allows_what_stripejs_sends(anon_http):
    response = anon_http.options(
        "/v1/setup_intents/seti_123/confirm",
        headers={
            "Origin": "http://127.0.0.1:4242",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, stripe-version",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "stripe-version" in allowed
    # Stripe.js sends its key as a form field: a page has no reason to send Authorization
    assert "authorization" not in allowed


def test_publishable_key_responses_allow_any_origin(pk_http):
    response = pk_http.get("/v1/elements/sessions", params={"type": "deferred_intent"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert pk_http.get("/v1/nothing_here").headers["access-control-allow-origin"] == "*"


def test_secret_key_responses_allow_no_origin(http):
    """No page may read what a secret key returns (Stripe allows it: docs/facts/cors.md)."""
    for response in (
        http.get("/v1/customers"),
        http.get("/v1/customers/cus_missing"),
        http.get("/_emulator/requests"),
        http.post("/_emulator/reset"),
    ):
        assert "access-control-allow-origin" not in response.headers, response.request.url


def test_control_routes_answer_no_preflight(anon_http):
    response = anon_http.options(
        "/_emulator/reset",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-methods" not in response.headers
