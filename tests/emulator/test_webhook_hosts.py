"""Webhook endpoints point to loopback unless the emulator is told otherwise: events carry customers'
emails, and a page the learner visits must not be able to send them elsewhere."""

from __future__ import annotations

import subprocess
import sys

import pytest
import stripe

from stripe_emulator import Emulator


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/collect",
        "http://10.0.0.8:8080/hook",
        "http://127.0.0.1.evil.example/hook",
        "http://localhost.evil.example/hook",
    ],
)
def test_an_endpoint_off_loopback_is_refused(client, url):
    """Events carry customers' emails: by default they go to this machine only."""
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.webhook_endpoints.create({"url": url, "enabled_events": ["*"]})
    error = caught.value.error
    assert caught.value.http_status == 400
    assert (error.type, error.code, error.param) == ("invalid_request_error", "url_invalid", "url")
    assert error.message.startswith(f"Invalid URL: {url}.")
    assert "--allow-webhook-host" in error.message
    assert client.v1.webhook_endpoints.list().data == []


def test_an_update_off_loopback_is_refused_and_changes_nothing(client):
    endpoint = client.v1.webhook_endpoints.create(
        {"url": "http://127.0.0.1:9/hook", "enabled_events": ["*"]}
    )
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.webhook_endpoints.update(endpoint.id, {"url": "https://evil.example/h"})
    assert client.v1.webhook_endpoints.retrieve(endpoint.id).url == "http://127.0.0.1:9/hook"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:4242/webhook", "http://[::1]:4242/webhook", "http://localhost/x"]
)
def test_loopback_endpoints_are_accepted(client, url):
    assert client.v1.webhook_endpoints.create({"url": url, "enabled_events": ["*"]}).url == url


def test_a_configured_webhook_host_is_accepted():
    with Emulator(port=0, allowed_webhook_hosts=("hooks.workshop.test",)) as emu:
        key = "sk_test_configured_webhook_host"
        emu.reset(key)
        client = stripe.StripeClient(key, base_addresses={"api": emu.base_url})
        url = "https://hooks.workshop.test/stripe"
        assert client.v1.webhook_endpoints.create({"url": url, "enabled_events": ["*"]}).url == url
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.webhook_endpoints.create(
                {"url": "https://example.com/x", "enabled_events": ["*"]}
            )


def test_the_command_line_takes_webhook_hosts():
    shown = subprocess.run(
        [sys.executable, "-m", "stripe_emulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--allow-webhook-host NAME" in shown
