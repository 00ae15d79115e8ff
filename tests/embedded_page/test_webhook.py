"""POST /webhook (signature checks) and GET /back_office/events, through Starlette's TestClient; one
test receives real deliveries from the emulator on a served page."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
import stripe

from embedded_page.body_limit import MAX_BODY
from tests.e2e.checkout_fixtures import PageServer

# -- /webhook -----------------------------------------------------------------------------------


def event_payload(
    event_id: str = "evt_1TestRoutes000000000000", type_: str = "setup_intent.succeeded"
):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": 1790000000,
            "data": {"object": {"id": "seti_123", "object": "setup_intent"}},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type_,
        }
    )


@pytest.fixture
def signed(webhook_secret):
    """`signed(payload, secret=<the page's>, timestamp=now)`: headers as Stripe sends them."""

    def sign(payload: str, secret: str | None = None, timestamp: int | None = None) -> dict:
        header = stripe.WebhookSignature.generate_signature_header(
            payload, secret or webhook_secret, timestamp
        )
        return {"Stripe-Signature": header, "Content-Type": "application/json"}

    return sign


def test_webhook_accepts_a_signed_event_and_lists_it(back_office, page, signed):
    payload = event_payload()
    response = page.post("/webhook", content=payload, headers=signed(payload))
    assert response.status_code == 200
    assert response.json() == {"received": True}
    assert page.get("/back_office/events", headers=back_office).json() == {
        "object": "list",
        "data": [
            {
                "id": "evt_1TestRoutes000000000000",
                "type": "setup_intent.succeeded",
                "created": 1790000000,
                "api_version": "2026-10-28.endive",
                "object": "setup_intent",
                "object_id": "seti_123",
            }
        ],
    }


def test_webhook_keeps_a_redelivered_event_once(back_office, page, signed):
    payload = event_payload()
    for _ in range(2):
        assert page.post("/webhook", content=payload, headers=signed(payload)).status_code == 200
    assert len(page.get("/back_office/events", headers=back_office).json()["data"]) == 1


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "No Stripe-Signature header value was provided."),
        ({"Stripe-Signature": "garbage"}, "Unable to extract timestamp and signatures from header"),
        ({"Stripe-Signature": "t=1,v0=abc"}, "No signatures found with expected scheme v1"),
    ],
)
def test_webhook_rejects_missing_or_malformed_signatures(back_office, page, headers, message):
    response = page.post("/webhook", content=event_payload(), headers=headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(message)
    assert page.get("/back_office/events", headers=back_office).json()["data"] == []


def test_webhook_rejects_a_signature_made_with_another_secret(page, signed):
    payload = event_payload()
    response = page.post("/webhook", content=payload, headers=signed(payload, "whsec_other"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "No signatures found matching the expected signature for payload"
    )


def test_webhook_rejects_a_tampered_payload(back_office, page, signed):
    headers = signed(event_payload())
    response = page.post(
        "/webhook", content=event_payload(type_="customer.deleted"), headers=headers
    )
    assert response.status_code == 400
    assert page.get("/back_office/events", headers=back_office).json()["data"] == []


def test_webhook_rejects_an_old_timestamp(page, signed):
    payload = event_payload()
    response = page.post(
        "/webhook", content=payload, headers=signed(payload, timestamp=int(time.time()) - 600)
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Timestamp outside the tolerance zone")


def test_webhook_rejects_a_signed_body_that_is_not_an_event(page, signed):
    payload = "[1, 2, 3]"
    response = page.post("/webhook", content=payload, headers=signed(payload))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The payload is not a Stripe event."


def test_webhook_without_a_configured_secret_refuses_events(back_office, page_for, signed):
    page = page_for(webhook_secret=None)
    payload = event_payload()
    response = page.post("/webhook", content=payload, headers=signed(payload))
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "api_error"
    assert page.get("/back_office/events", headers=back_office).json()["data"] == []


def test_webhook_receives_events_the_emulator_delivers(back_office, emulator, client, settings_for):
    server = PageServer()
    endpoint = client.v1.webhook_endpoints.create(
        {"url": f"{server.url}/webhook", "enabled_events": ["customer.created"]}
    )
    server.start(settings_for(webhook_secret=endpoint.secret))
    try:
        customer = client.v1.customers.create()
        deadline = time.monotonic() + 10
        events = []
        while time.monotonic() < deadline:
            events = httpx.get(f"{server.url}/back_office/events", headers=back_office).json()[
                "data"
            ]
            if events:
                break
            time.sleep(0.05)
    finally:
        server.stop()
    assert [(e["type"], e["object_id"]) for e in events] == [("customer.created", customer.id)]


# -- body limit ---------------------------------------------------------------------------------


def test_a_webhook_body_over_the_limit_is_refused(page, signed):
    payload = " " * (MAX_BODY + 1)
    response = page.post("/webhook", content=payload, headers=signed(payload))
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert "too large" in response.json()["error"]["message"]


def _raw_exchange(server_url: str, head: bytes, chunks=()) -> bytes:
    host, port = server_url.rsplit("/", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except OSError:  # the server answered and closed: what it did not read was never sent
            pass
        return sock.recv(4096)


def test_a_declared_huge_body_is_refused_before_it_is_sent(settings_for):
    """300 MB announced: the page answers 413 at once, reading none of it."""
    server = PageServer()
    server.start(settings_for())
    try:
        head = (
            b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 300000000\r\n\r\n"
        )
        started = time.monotonic()
        answer = _raw_exchange(server.url, head)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
        assert time.monotonic() - started < 5
    finally:
        server.stop()


def test_a_chunked_body_is_read_only_up_to_the_limit(settings_for):
    """No Content-Length: the page stops reading past 1 MiB and answers 413."""
    server = PageServer()
    server.start(settings_for())
    try:
        head = (
            b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b" " * 65536
        chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
        answer = _raw_exchange(server.url, head, [chunk] * (MAX_BODY // len(piece) + 2))
        assert answer.startswith(b"HTTP/1.1 413"), answer[:100]
    finally:
        server.stop()
