"""The one pipeline (app.py) and the one route list (routes.py): every surface — API, control,
the 3-D Secure page, Stripe.js — is routed, authenticated and turned into errors the same way."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import httpx
import pytest

from stripe_emulator import Emulator, app
from stripe_emulator.keys import publishable_key_for
from stripe_emulator.router import Router
from stripe_emulator.routes import API_ROUTES, NO_PARAMS, ROUTES, Route
from stripe_emulator.surfaces import API, ASSET, CONTROL, PAGE, surface_of

STEPS = ("route", "authenticate", "decode", "replay", "operate", "render")


def test_handle_runs_the_named_steps_in_the_order_the_docstring_gives():
    source = inspect.getsource(app.EmulatorApp.handle)
    called = [
        node.func.attr[1:]
        for node in ast.walk(ast.parse(source.strip()))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "").startswith("_")
    ]
    ordered = sorted(called, key=source.index)
    assert [name for name in ordered if name in STEPS] == list(STEPS)
    documented = re.findall(r"^\d\. (\w+)", app.__doc__, re.M)
    assert documented == list(STEPS)


def test_every_route_is_in_the_one_list_under_a_known_surface():
    surfaces = {route.path: surface_of(route.path) for route in ROUTES}
    assert {s.name for s in surfaces.values()} == {"api", "control", "page", "asset"}
    assert all(surface_of(r.path) is API for r in API_ROUTES)
    assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES)


def test_no_module_reaches_into_app_internals():
    """Control, the 3-D Secure page and Stripe.js are routes, not apps that borrow app.py's
    helpers: nothing but server.py imports app.py."""
    root = Path(inspect.getfile(app)).parent
    importers = [
        path.name
        for path in root.rglob("*.py")
        if re.search(r"^from (\.|\.\.)app import", path.read_text(), re.M)
    ]
    assert importers == ["server.py"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("PUT", "/redirect/authenticate/seti_x", 405),  # the page answers GET and POST
        ("POST", "/v3/", 405),  # Stripe.js answers GET and HEAD
        ("GET", "/v3/static/nope.js", 404),
        ("GET", "/v3/elements-inner-nope.html", 404),
    ],
)
def test_pages_and_assets_refuse_in_their_own_format(anon_http, method, path, status):
    response = anon_http.request(method, path)
    assert response.status_code == status
    assert not response.headers["content-type"].startswith("application/json")


def test_page_with_a_bad_link_key_is_an_html_page(anon_http):
    response = anon_http.get("/redirect/authenticate/seti_x?key=pk_live_nope")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "This authentication link is invalid" in response.text


def test_control_routes_take_a_trailing_slash_and_answer_in_the_envelope(http, anon_http):
    assert http.get("/_emulator/clock/").status_code == 200
    missing = anon_http.get("/_emulator/clock")
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "invalid_request_error"


def test_head_of_stripe_js_has_no_body(anon_http):
    head = anon_http.head("/v3/")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) > 1000


def _broken(call, *args):
    raise RuntimeError("secret internals: /srv/app.py line 12")


BROKEN = [
    Route("GET", "/_emulator/broken", _broken, NO_PARAMS, keyless=True),
    Route("GET", "/v3/broken.js", _broken),
    Route("GET", "/redirect/authenticate/{intent_id}", _broken),
]


@pytest.fixture(scope="module")
def broken_emulator():
    emu = Emulator(port=0)
    emu.app.router = Router([*BROKEN, *ROUTES])
    emu.start()
    emu.reset("sk_test_b")  # the emulator learns the account's publishable key
    yield emu
    emu.stop()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/_emulator/broken", "application/json"),
        ("/v3/broken.js", "text/plain"),
        (f"/redirect/authenticate/seti_x?key={publishable_key_for('sk_test_b')}", "text/html"),
    ],
)
def test_an_unexpected_exception_anywhere_is_a_500_without_internals(
    broken_emulator, caplog, path, content_type
):
    response = httpx.get(broken_emulator.base_url + path)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(content_type)
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "unexpected error handling GET" in caplog.text


def test_surfaces_are_what_their_prefixes_say():
    assert surface_of("/_emulator/health") is CONTROL
    assert surface_of("/redirect/authenticate/pi_1") is PAGE
    assert (
        surface_of("/v3/static/elements.js") is ASSET and surface_of("/endive/stripe.js") is ASSET
    )
    assert surface_of("/v1/customers") is API and surface_of("/nope") is API
