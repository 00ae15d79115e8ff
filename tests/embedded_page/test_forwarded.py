"""Behind a reverse proxy that serves the page under a path (a JupyterHub's jupyter-server-proxy,
which says so in X-Forwarded-Prefix), the page's own links carry that path."""

from __future__ import annotations

import pytest

from embedded_page import Settings

PREFIX = "/user/alice/proxy/4302"


def test_the_pages_links_go_through_the_proxys_prefix(page):
    html = page.get("/checkout", headers={"X-Forwarded-Prefix": PREFIX + "/"}).text
    assert f'href="{PREFIX}/static/style.css"' in html
    assert f'src="{PREFIX}/static/checkout.js"' in html
    assert f'href="{PREFIX}/checkout"' in html


def test_without_a_proxy_the_links_are_the_pages_own(page):
    html = page.get("/checkout").text
    assert 'href="/static/style.css"' in html and 'src="/static/checkout.js"' in html


@pytest.mark.parametrize("prefix", ["//evil.example", "/a/../b", 'https://x"y', "/a b"])
def test_a_prefix_that_is_not_a_plain_path_is_ignored(page, prefix):
    html = page.get("/checkout", headers={"X-Forwarded-Prefix": prefix}).text
    assert 'href="/static/style.css"' in html


def test_stripe_js_may_be_a_path_on_the_pages_host(settings_for):
    settings = settings_for(js_url="/user/alice/proxy/12111/v3/")
    assert settings.js_url == "/user/alice/proxy/12111/v3/"
    with pytest.raises(ValueError, match="STRIPE_JS_URL"):
        settings_for(js_url="//cdn.example/v3/")
    assert isinstance(settings, Settings)
