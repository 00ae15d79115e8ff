"""DNS rebinding: the page answers loopback names and configured ones, and refuses the rest."""

from __future__ import annotations

import httpx
import pytest

from embedded_page import Settings
from tests.e2e.checkout_fixtures import PageServer


@pytest.fixture
def server(settings_for):
    server = PageServer()
    server.start(settings_for(allowed_hosts=("hub.workshop.test",)))
    yield server
    server.stop()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:4242", "10.0.0.8:4242"])
@pytest.mark.parametrize("path", ["/checkout", "/secret", "/config", "/webhook"])
def test_a_host_that_is_not_loopback_is_refused(server, host, path):
    response = httpx.get(server.url + path, headers={"Host": host})
    assert response.status_code == 400
    assert response.text.startswith(f"Invalid Host header: '{host}'.")
    assert "PAGE_ALLOWED_HOSTS" in response.text


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.0.0.1:4242", "localhost:4242", "[::1]:4242", "hub.workshop.test"]
)
def test_loopback_and_configured_names_are_answered(server, host):
    response = httpx.get(server.url + "/config", headers={"Host": host})
    assert response.status_code == 200
    assert response.json()["publishableKey"].startswith("pk_test_")


def test_allowed_hosts_come_from_the_environment():
    settings = Settings.from_env(
        {
            "STRIPE_SECRET_KEY": "sk_test_abc",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_abc",
            "PAGE_ALLOWED_HOSTS": " Hub.Example.org , workshop.local,",
        },
        env_file=None,
    )
    assert settings.allowed_hosts == ("hub.example.org", "workshop.local")
