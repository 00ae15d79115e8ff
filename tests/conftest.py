"""Shared fixtures: one emulator per session (thread-hosted), a fresh account per test.

With `LINKLAB_LIVE_STRIPE=1` (`make test-live`) only `live_stripe` tests run and `client` talks
to Stripe test mode instead (tests/live_stripe.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
import stripe

from helpers.customer import CHROMIUM, CHROMIUM_ARGS
from helpers.keys import ENV_SECRET_FILE
from stripe_emulator import Emulator
from stripe_emulator.keys import publishable_key_for

from . import live_stripe


def pytest_configure(config) -> None:
    # Lesson keys derive from a per-user secret (helpers.keys): tests keep theirs out of ~/.config.
    os.environ.setdefault(
        ENV_SECRET_FILE, str(Path(tempfile.mkdtemp(prefix="linklab-test-")) / "secret")
    )
    if live_stripe.enabled():
        try:
            live_stripe.secret_key()
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None


def pytest_collection_modifyitems(config, items) -> None:
    if live_stripe.enabled():
        live_stripe.deselect_others(config, items)


@pytest.fixture(scope="session")
def emulator():
    # example.com: the webhook endpoints of `live_stripe` tests must be public URLs on Stripe,
    # and the emulator delivers only to loopback unless told otherwise.
    emu = Emulator(port=0, allowed_webhook_hosts=("example.com",)).start()
    yield emu
    emu.stop()


@pytest.fixture
def account_suffix(request) -> str:
    """A per-test account name: every test gets its own empty Stripe account."""
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    return f"t{digest}"


@pytest.fixture
def secret_key(emulator, account_suffix) -> str:
    key = f"sk_test_{account_suffix}"
    emulator.reset(key)
    return key


@pytest.fixture
def publishable_key(secret_key) -> str:
    return publishable_key_for(secret_key)


@pytest.fixture
def client(request):
    """stripe-python 16 against the emulator, default API version, no retries (in the live run:
    against Stripe test mode, removing what the test created afterwards)."""
    if live_stripe.enabled():
        yield from live_stripe.client()
        return
    emulator, secret_key = (
        request.getfixturevalue("emulator"),
        request.getfixturevalue("secret_key"),
    )
    yield stripe.StripeClient(
        secret_key, base_addresses={"api": emulator.base_url}, max_network_retries=0
    )


LEGACY_API_VERSION = "2024-04-10"


@pytest.fixture
def legacy_client(request):
    """The guide's era: an API version from before `2026-09-30.endive` (in the live run: on
    Stripe test mode, like `client`)."""
    if live_stripe.enabled():
        yield from live_stripe.client(LEGACY_API_VERSION)
        return
    emulator, secret_key = (
        request.getfixturevalue("emulator"),
        request.getfixturevalue("secret_key"),
    )
    yield stripe.StripeClient(
        secret_key,
        base_addresses={"api": emulator.base_url},
        max_network_retries=0,
        stripe_version=LEGACY_API_VERSION,
    )


@pytest.fixture
def pk_client(emulator, publishable_key) -> stripe.StripeClient:
    """What Stripe.js is: the publishable key, the only way to send raw card numbers."""
    return stripe.StripeClient(
        publishable_key, base_addresses={"api": emulator.base_url}, max_network_retries=0
    )


def _bearer_session(emulator, key: str) -> httpx.Client:
    return httpx.Client(base_url=emulator.base_url, headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def http(emulator, secret_key):
    """Raw HTTP with the account's secret key (Bearer)."""
    with _bearer_session(emulator, secret_key) as session:
        yield session


@pytest.fixture
def pk_http(emulator, publishable_key):
    """Raw HTTP as Stripe.js calls the API: publishable key as Bearer."""
    with _bearer_session(emulator, publishable_key) as session:
        yield session


@pytest.fixture
def anon_http(emulator):
    """Raw HTTP with no credentials."""
    with httpx.Client(base_url=emulator.base_url) as session:
        yield session


# One headless Debian Chromium for every browser test (tests/e2e, tests/hub): never
# `playwright install`.
@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
        )
        yield chromium
        chromium.close()
