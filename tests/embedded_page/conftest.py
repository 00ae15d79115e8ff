"""Fixtures for embedded_page's route tests: the page as a TestClient against the emulator."""

from __future__ import annotations

import socket
import warnings

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2; httpx (a test extra) works the same
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from embedded_page import Settings, create_app

WEBHOOK_SECRET = "whsec_test_routes_secret"


@pytest.fixture
def webhook_secret() -> str:
    return WEBHOOK_SECRET


@pytest.fixture
def settings_for(emulator, secret_key, publishable_key):
    def make(**overrides) -> Settings:
        values = {
            "secret_key": secret_key,
            "publishable_key": publishable_key,
            "api_base": emulator.base_url,
            "js_url": f"{emulator.base_url}/v3/",
            "webhook_secret": WEBHOOK_SECRET,
            "allowed_hosts": ("testserver",),  # the TestClient's Host
        }
        return Settings(**{**values, **overrides})

    return make


@pytest.fixture
def page_for(settings_for):
    """A TestClient for the page; https base URL so the Secure cookie is sent back."""

    def make(**overrides) -> TestClient:
        return TestClient(create_app(settings_for(**overrides)), base_url="https://testserver")

    return make


@pytest.fixture
def back_office(secret_key) -> dict[str, str]:
    """Headers of the page's back office (the notebooks): the page's own secret key."""
    return {"Authorization": f"Bearer {secret_key}"}


@pytest.fixture
def page(page_for):
    return page_for()


@pytest.fixture
def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
