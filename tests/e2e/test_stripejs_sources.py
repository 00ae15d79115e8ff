"""The Stripe.js stand-in's sources: each file parses and runs alone, on one namespace, one common.js.

Every file in `stripe_emulator/stripejs/static/` is one IIFE taking `window.__linklabStripe` and
registering one part on it; stripe.js is STRIPE_JS_PARTS joined in order, and every frame (and the
3-D Secure modal) loads common.js, the only place the wire format (form encoder, client-secret
pattern, API request) is written.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources

import pytest

from stripe_emulator.stripejs import ELEMENT_FRAMES, FRAME_SCRIPTS, STRIPE_JS_PARTS, stripe_js

STATIC = resources.files("stripe_emulator.stripejs").joinpath("static")
SCRIPTS = sorted(
    [f"stripe/{entry.name}" for entry in STATIC.joinpath("stripe").iterdir()]
    + [entry.name for entry in STATIC.iterdir() if entry.name.endswith(".js")]
)
FOOTER = "})(window.__linklabStripe = window.__linklabStripe || {});"
PAGE_PARTS = ["core", "common", "element", "elements", "stripe"]


def _source(name: str) -> str:
    return STATIC.joinpath(name).read_text(encoding="utf-8")


def _node() -> str:
    """System node, else the node that Playwright (a pinned dependency) ships for its driver."""
    found = shutil.which("node")
    if found:
        return found
    from playwright._impl._driver import compute_driver_executable

    return compute_driver_executable()[0]


def test_the_list_covers_every_script():
    assert set(STRIPE_JS_PARTS) | set(FRAME_SCRIPTS) <= set(SCRIPTS)
    frame_scripts = {name for _, scripts in ELEMENT_FRAMES.values() for name in scripts}
    assert set(SCRIPTS) == set(STRIPE_JS_PARTS) | set(FRAME_SCRIPTS) | frame_scripts


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_script_parses_on_its_own(name):
    result = subprocess.run(
        [_node(), "--check", "-"], input=_source(name), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_each_script_is_one_iife_on_the_namespace(name):
    code = _source(name).rstrip().splitlines()
    first = next(line for line in code if not line.lstrip().startswith(("/*", "*")))
    assert first == "(function (ns) {"
    assert code[-1] == FOOTER
    assert "window.LinkLab" not in _source(name)


@pytest.mark.parametrize(
    "snippet",
    [
        "_secret_[A-Za-z0-9]+$/",  # the client-secret pattern
        "encodeURIComponent(prefix)",  # the bracketed form encoder
        '"application/x-www-form-urlencoded"',  # the API request
        "Request was retried 0 times",  # its connection error
    ],
)
def test_the_wire_format_is_written_once_in_common_js(snippet):
    assert [name for name in SCRIPTS if snippet in _source(name)] == ["common.js"]


def test_stripe_js_is_the_parts_in_order():
    assert stripe_js() == "".join(_source(part) for part in STRIPE_JS_PARTS)
    assert STRIPE_JS_PARTS[0] == "stripe/core.js"  # its header lists the supported surface


def test_frames_and_the_three_d_secure_modal_load_common_js_first(anon_http):
    frame = anon_http.get("/v3/elements-inner-payment.html").text
    common = frame.index('<script src="static/common.js" defer></script>')
    assert common < frame.index('<script src="static/elements.js" defer></script>')
    modal = anon_http.get("/v3/three-ds-2-challenge.html").text
    assert modal.index('<script src="static/common.js"></script>') < modal.index("<script>")


@pytest.mark.browser
def test_the_parts_run_one_by_one_and_a_second_load_changes_nothing(browser, emulator):
    page = browser.new_page()
    try:
        page.goto(f"{emulator.base_url}/v3/static/elements.css")  # any page on the emulator
        registered = []
        for part in STRIPE_JS_PARTS:
            page.add_script_tag(content=_source(part))
            registered.append(page.evaluate("Object.keys(window.__linklabStripe)"))
        assert registered == [PAGE_PARTS[: n + 1] for n in range(len(PAGE_PARTS))]
        assert page.evaluate("window.Stripe === window.__linklabStripe.stripe")
        page.evaluate("() => { window.first = window.Stripe; }")
        page.add_script_tag(url=f"{emulator.base_url}/v3/")
        assert page.evaluate("window.Stripe === window.first")
        assert page.evaluate("() => typeof Stripe('pk_test_x').elements") == "function"
    finally:
        page.close()
