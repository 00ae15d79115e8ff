"""The emulator serves the Stripe.js stand-in like js.stripe.com: /v3/, /endive/stripe.js, frames."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/v3/", "/v3", "/endive/stripe.js"])
def test_stripe_js_is_served(anon_http, path):
    response = anon_http.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Stripe.version = VERSION" in response.text
    assert "Supported surface" in response.text[:600]


@pytest.mark.parametrize(
    ("element", "title"),
    [
        ("linkAuthentication", "Secure email input frame"),
        ("address", "Secure address input frame"),
        ("payment", "Secure payment input frame"),
    ],
)
def test_element_frames_are_served(anon_http, element, title):
    response = anon_http.get(f"/v3/elements-inner-{element}.html")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<title>{title}</title>" in response.text
    assert f'data-element-type="{element}"' in response.text
    assert '<script src="static/elements.js" defer></script>' in response.text
    assert "x-frame-options" not in response.headers  # merchant pages frame it


@pytest.mark.parametrize(
    "name",
    [
        "elements.js",
        "elements.css",
        "link_authentication.js",
        "address.js",
        "payment.js",
        "payment_card.js",
        "payment_link_view.js",
        "countries.js",
    ],
)
def test_frame_assets_are_served(anon_http, name):
    response = anon_http.get(f"/v3/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("text/javascript", "text/css")


def test_three_d_secure_modal_page_is_served(anon_http):
    response = anon_http.get("/v3/three-ds-2-challenge.html")
    assert response.status_code == 200
    assert 'id="challengeFrame"' in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/v3/elements-inner-card.html",
        "/v3/static/missing.js",
        "/v3/static/..%2F__init__.py",
        "/v3/static/../__init__.py",
        "/v3/nothing",
        "/endive/other.js",
    ],
)
def test_unknown_paths_are_not_found(anon_http, path):
    assert anon_http.get(path).status_code == 404


def test_only_get_and_head(anon_http):
    assert anon_http.post("/v3/").status_code == 405
    head = anon_http.head("/v3/")
    assert head.status_code == 200
    assert head.content == b""


def test_each_script_stays_reasonably_sized():
    from importlib import resources

    static = resources.files("stripe_emulator.stripejs").joinpath("static")
    for entry in static.iterdir():
        if entry.name.endswith(".js"):
            assert len(entry.read_text().splitlines()) <= 600, entry.name
