"""The guide's React `Checkout.js` (embedded_page/react/, served at /react) loads Stripe.js the
way the page's /config says: offline the emulator's `/v3/`, and never js.stripe.com.

`@stripe/stripe-js`'s `loadStripe` injects https://js.stripe.com/<release train>/stripe.js unless
`window.Stripe` exists; Checkout.js imports `@stripe/stripe-js/pure` (no script on import) and
calls `loadStripe` only once the Stripe.js from /config is on the page. The scenarios themselves
(card, Link, one-time codes, 3-D Secure, declines) run on this page in test_checkout.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from embedded_page import Settings, react_page
from tests.e2e.checkout_driver import open_checkout
from tests.e2e.checkout_fixtures import PageServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not react_page.INDEX.is_file(), reason="the React checkout is not built: run `make react`"
    ),
]
REACT = "/react"
RELEASE_TRAIN_NOTE = "Stripe.js@v3 was loaded on the page, but @stripe/stripe-js@"


@pytest.fixture
def react_shop(emulator, secret_key, publishable_key, client):
    """`react_shop(js_path)`: embedded_page whose /config names the emulator's Stripe.js there."""
    servers: list[PageServer] = []

    def start(js_path: str = "/v3/") -> str:
        settings = Settings(
            secret_key=secret_key,
            publishable_key=publishable_key,
            api_base=emulator.base_url,
            js_url=emulator.base_url + js_path,
            customer=client.v1.customers.create().id,
        )
        servers.append(PageServer().start(settings))
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize(
    ("js_path", "warned"),
    [("/v3/", True), ("/endive/stripe.js", False)],
    ids=["v3", "endive-release-train"],
)
def test_react_checkout_loads_the_stripe_js_from_config_and_nothing_from_stripe(
    page, react_shop, emulator, requests_off_loopback, js_path, warned
):
    blocked: list[str] = []
    page.route(
        "https://js.stripe.com/**", lambda route: (blocked.append(route.request.url), route.abort())
    )
    warnings: list[str] = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    open_checkout(page, react_shop(js_path) + REACT)
    scripts = page.evaluate("[...document.scripts].map((script) => script.src).filter(Boolean)")
    assert emulator.base_url + js_path in scripts
    assert [src for src in scripts if "stripe.com" in src] == []
    assert page.evaluate("window.Stripe.__linkLab") is True  # the offline stand-in, not Stripe's
    assert blocked == []
    assert requests_off_loopback == []
    # @stripe/stripe-js 10 expects the `endive` release train; /v3/ (embedded_page's default, as on
    # the plain page) earns a warning, and nothing else complains.
    # https://docs.stripe.com/sdks/stripejs-versioning
    assert [w for w in warnings if not w.startswith(RELEASE_TRAIN_NOTE)] == []
    assert any(w.startswith(RELEASE_TRAIN_NOTE) for w in warnings) is warned


def test_react_checkout_prefills_the_email_it_is_given(page, react_shop):
    open_checkout(page, react_shop() + REACT, email="known@example.com")
    expect(page.locator("#link-email")).to_have_text("known@example.com")  # onChange
