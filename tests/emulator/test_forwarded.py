"""Behind a reverse proxy (a JupyterHub's jupyter-server-proxy), the URLs the emulator hands to
browsers carry the proxy's path and scheme (X-Forwarded-Prefix, X-Forwarded-Proto)."""

from __future__ import annotations

import pytest

from stripe_emulator.http_io import Request


def request(**headers: str) -> Request:
    return Request(
        "GET",
        "/v1/setup_intents",
        headers={k.lower().replace("_", "-").encode(): v.encode() for k, v in headers.items()},
    )


def test_the_base_url_is_the_host_the_client_named():
    assert request(host="127.0.0.1:12111").base_url == "http://127.0.0.1:12111"


def test_a_proxys_prefix_and_scheme_are_kept():
    forwarded = request(
        host="hub.example.org",
        x_forwarded_prefix="/user/alice/proxy/12111/",
        x_forwarded_proto="https",
    )
    assert forwarded.base_url == "https://hub.example.org/user/alice/proxy/12111"


@pytest.mark.parametrize("prefix", ["//evil.example", "/a/../b", "https://x", "/a b", "/a?b"])
def test_a_prefix_that_is_not_a_plain_path_is_ignored(prefix):
    assert request(host="127.0.0.1:1", x_forwarded_prefix=prefix).base_url == "http://127.0.0.1:1"


def test_a_next_action_url_goes_through_the_proxy(http):
    customer = http.post("/v1/customers").json()["id"]
    intent = http.post(
        "/v1/setup_intents",
        data={
            "customer": customer,
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": "true",
            "return_url": "https://example.com/done",
        },
        headers={"X-Forwarded-Prefix": "/user/alice/proxy/12111"},
    ).json()
    url = intent["next_action"]["redirect_to_url"]["url"]
    assert url.startswith("http://127.0.0.1:")
    assert "/user/alice/proxy/12111/redirect/authenticate/seti_" in url
