"""The hub test's browser: Debian's Chromium, as in tests/e2e (never `playwright install`)."""

from __future__ import annotations

import shutil

import pytest

from helpers.customer import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
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
