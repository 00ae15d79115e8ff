"""embedded_page's pages: the checkout page (its three Elements, defaults), its static files,
/config, and the guide's React checkout at /react; through Starlette's TestClient with the
emulator as the Stripe API (fixtures in conftest.py)."""

from __future__ import annotations

import json
import re

import pytest

from embedded_page import react_page
from tests.embedded_page.setup_steps import (
    LEGACY_VERSION,
)

# -- the checkout page and /config --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/checkout"])
def test_checkout_page_has_the_three_elements_in_order(page, path):
    response = page.get(path)
    assert response.status_code == 200
    html = response.text
    positions = [
        html.index('id="link-authentication-element"'),
        html.index('id="address-element"'),
        html.index('id="payment-element"'),
        html.index('id="submit"'),
    ]
    assert positions == sorted(positions)
    assert '<script src="/static/checkout.js"' in html


def test_checkout_page_passes_known_details_as_defaults(page):
    response = page.get("/checkout?email=jenny%40example.com&name=Jenny+Rosen&phone=%2B15555550123")
    script = re.search(
        r'<script type="application/json" id="checkout-defaults">(.*?)</script>', response.text
    )
    assert json.loads(script.group(1)) == {
        "email": "jenny@example.com",
        "name": "Jenny Rosen",
        "phone": "+15555550123",
    }


def test_checkout_page_defaults_cannot_break_out_of_the_script(page):
    response = page.get("/checkout", params={"email": "</script><script>alert(1)</script>"})
    assert "<script>alert(1)" not in response.text


def test_static_script_and_stylesheet_are_served(page):
    script = page.get("/static/checkout.js")
    assert script.status_code == 200
    assert "stripe.confirmSetup" in script.text
    assert page.get("/static/style.css").status_code == 200


def test_config_gives_publishable_key_and_stripe_js_url(page_for, emulator, publishable_key):
    response = page_for(api_version=LEGACY_VERSION).get("/config")
    assert response.json() == {
        "publishableKey": publishable_key,
        "stripeJsUrl": f"{emulator.base_url}/v3/",
        "apiVersion": LEGACY_VERSION,
        "returnUrl": "/order/complete",
    }


# -- /react: the guide's React Checkout.js, built by `make react` --------------------------------


@pytest.fixture
def react_build(tmp_path, monkeypatch):
    """A stand-in for Vite's dist/ (the real one may or may not be built on this machine)."""
    build = tmp_path / "dist"
    monkeypatch.setattr(react_page, "BUILD", build)
    monkeypatch.setattr(react_page, "INDEX", build / "index.html")
    return build


def test_react_page_without_a_build_says_how_to_get_it(page, react_build):
    response = page.get("/react")
    assert response.status_code == 503
    assert "make react" in response.text
    assert page.get("/react/assets/index-abc.js").status_code == 404
    assert page.get("/checkout").status_code == 200  # everything else works


def test_react_page_serves_the_build_and_its_assets(page, react_build):
    (react_build / "assets").mkdir(parents=True)
    (react_build / "index.html").write_text('<div id="root"></div>')
    (react_build / "assets" / "index-abc.js").write_text("console.log(1)")
    response = page.get("/react")
    assert (response.status_code, response.text) == (200, '<div id="root"></div>')
    assert response.headers["cache-control"] == "no-store"
    asset = page.get("/react/assets/index-abc.js")
    assert (asset.status_code, asset.text) == (200, "console.log(1)")
    assert page.get("/react/assets/../index.html").status_code == 404
