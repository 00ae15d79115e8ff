"""Any web page the learner visits can reach 127.0.0.1: what such a page must not be able to do.

A secret key drives an account, so the emulator takes it only the way a server sends it (the
Authorization header, no browser headers); a page's Host is checked against loopback (DNS
rebinding); a keyless request is refused before its body is parsed; a return_url cannot run
script. (A path that would forge lines of the emulator's own log: tests/emulator/test_server.py.)
"""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from stripe_emulator import Emulator


def test_a_secret_key_in_the_key_field_is_refused(anon_http, secret_key):
    """A plain HTML form on any page can post `key=sk_test_…` (no preflight): it gets nothing."""
    response = anon_http.post("/_emulator/reset", data={"key": secret_key})
    assert response.status_code == 401
    assert "only in the Authorization header" in response.json()["error"]["message"]
    created = anon_http.post("/v1/customers", data={"key": secret_key, "email": "x@example.com"})
    assert created.status_code == 401


@pytest.mark.parametrize(
    "browser_header",
    [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
)
def test_a_secret_key_from_a_browser_is_refused(emulator, secret_key, browser_header):
    headers = {"Authorization": f"Bearer {secret_key}", **browser_header}
    for method, path in (("POST", "/_emulator/reset"), ("GET", "/v1/customers")):
        response = httpx.request(method, emulator.base_url + path, headers=headers)
        assert response.status_code == 403, path
        assert response.json()["error"]["type"] == "invalid_request_error"
        assert "came from a web browser" in response.json()["error"]["message"]


def test_publishable_key_calls_from_a_page_still_work(anon_http, publishable_key, client):
    """What Stripe.js does from the merchant's page: the publishable key as a field, with CORS."""
    intent = client.v1.setup_intents.create({})
    response = anon_http.get(
        f"/v1/setup_intents/{intent.id}",
        params={"key": publishable_key, "client_secret": intent.client_secret},
        headers={"Origin": "http://127.0.0.1:4242", "Sec-Fetch-Site": "same-site"},
    )
    assert response.status_code == 200 and response.json()["id"] == intent.id
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:12111", "10.0.0.8:12111"])
@pytest.mark.parametrize("path", ["/v1/customers", "/_emulator/health", "/v3/"])
def test_a_host_that_is_not_loopback_is_refused(emulator, secret_key, host, path):
    response = httpx.get(
        emulator.base_url + path,
        headers={"Host": host, "Authorization": f"Bearer {secret_key}"},
    )
    assert response.status_code == 400
    assert "Invalid Host header" in response.text


@pytest.mark.parametrize("host", ["127.0.0.1:1", "localhost:1", "[::1]:1", "LOCALHOST"])
def test_loopback_names_are_answered(emulator, host):
    response = httpx.get(emulator.base_url + "/_emulator/health", headers={"Host": host})
    assert response.status_code == 200


def test_a_configured_host_is_answered():
    with Emulator(port=0, allowed_hosts=("hub.example",)) as emu:
        response = httpx.get(emu.base_url + "/_emulator/health", headers={"Host": "hub.example"})
    assert response.status_code == 200


def test_a_keyless_request_is_refused_before_its_body_is_parsed(anon_http):
    """1 MiB of parameters nested 90 levels deep: refused for want of a key, not decoded."""
    name = "a" + "[b]" * 90
    body = "&".join(f"{name}[{i}]=x" for i in range(1800)).encode()[: (1 << 20) - 10]
    started = time.perf_counter()
    response = anon_http.post("/v1/customers", content=body)
    elapsed = time.perf_counter() - started
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("You did not provide an API key")
    print(f"keyless 1 MiB nested body refused in {elapsed * 1000:.1f} ms")


@pytest.mark.parametrize(
    "return_url", ["javascript:alert(document.domain)", "JavaScript:alert(1)", "data:text/html,x"]
)
def test_a_return_url_that_runs_script_is_refused(client, return_url):
    """The 3-D Secure page and Stripe.js send the customer to return_url: never to a script."""
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.setup_intents.create(
            {"confirm": True, "payment_method": "pm_card_visa", "return_url": return_url}
        )
    assert (info.value.code, info.value.param) == ("url_invalid", "return_url")


def test_an_app_scheme_return_url_is_accepted(client):
    intent = client.v1.setup_intents.create(
        {"confirm": True, "payment_method": "pm_card_visa", "return_url": "myapp://stripe-redirect"}
    )
    assert intent.status == "succeeded"


CROSS_SITE_FORM = """<!doctype html><title>Win a prize</title>
<form id="f" method="post" action="{action}">
{fields}
</form>
<script>document.getElementById("f").submit();</script>"""


@pytest.mark.parametrize(
    "path, fields",
    [
        ("/_emulator/reset", {}),
        ("/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/out", "enabled_events[]": "*"}),
    ],
)
def test_an_auto_submitted_cross_site_form_changes_nothing(
    browser, emulator, client, secret_key, path, fields
):
    """A page on another site posts a form with the secret key to the emulator, in Chromium."""
    customer = client.v1.customers.create({"email": "jenny.rosen@example.com"})
    inputs = "\n".join(
        f'<input type="hidden" name="{name}" value="{value}">'
        for name, value in {"key": secret_key, **fields}.items()
    )
    html = CROSS_SITE_FORM.format(action=emulator.base_url + path, fields=inputs)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("http://evil.example/**", lambda route: route.fulfill(body=html))
        with page.expect_navigation(url=emulator.base_url + path) as navigation:
            page.goto("http://evil.example/prize")
        response = navigation.value
        assert response is not None and response.status in (401, 403)
        assert "access-control-allow-origin" not in response.headers
    finally:
        context.close()
    assert client.v1.customers.retrieve(customer.id).email == "jenny.rosen@example.com"
    assert client.v1.webhook_endpoints.list().data == []
