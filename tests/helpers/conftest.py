"""Fixtures for helpers' tests: lessons on the thread-hosted emulator, pages on their own ports.

The lessons' pages are real background processes (helpers.servers), as in a notebook; they
listen on 4600+ so that a running `make lab` (4300+) or notebook run (4400+) is left alone.
"""

from __future__ import annotations

import hashlib
import os

import pytest
import stripe

import helpers
from helpers import servers

# LINKLAB_TEST_PAGE_PORTS moves them (two checkouts of the repository testing at once).
TEST_PAGE_PORTS = os.environ.get("LINKLAB_TEST_PAGE_PORTS", "4600")


@pytest.fixture
def backend(emulator):
    """The emulator backend, pointed at the test session's emulator."""
    return helpers.load_backend(
        {"STRIPE_API_BASE": emulator.base_url, "LINKLAB_PAGE_PORTS": TEST_PAGE_PORTS},
        env_file=None,
    )


@pytest.fixture(autouse=True)
def restore_stripe_globals(monkeypatch):
    for name in ("api_key", "api_base", "api_version", "max_network_retries"):
        monkeypatch.setattr(stripe, name, getattr(stripe, name))


@pytest.fixture
def lesson(request, backend):
    """A lesson of this test's own (fresh account) with its checkout page running."""
    name = "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    started = helpers.start_lesson(name, backend)
    yield started
    servers.stop_page(int(started.page.base_url.rsplit(":", 1)[1]))


@pytest.fixture
def customer(lesson):
    return lesson.client.v1.customers.create({"email": "jenny.rosen@example.com"})
