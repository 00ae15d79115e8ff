"""helpers.hub: on a JupyterHub each attendee has ports and accounts of their own, and the
browser-facing URLs go through the hub's proxy."""

from __future__ import annotations

import pytest

from helpers import backend as b
from helpers import hub
from stripe_emulator.keys import publishable_key_for


def load(**environ: str) -> b.Backend:
    return b.load_backend(environ, env_file=None)


def test_a_laptop_has_no_user_and_no_prefix():
    backend = load()
    assert backend.user is None and backend.service_prefix is None
    assert backend.keys_for("02_payment_form") == load().keys_for("02_payment_form")


def test_two_hub_users_get_their_own_keys_for_the_same_lesson():
    alice, bob = load(JUPYTERHUB_USER="alice"), load(JUPYTERHUB_USER="bob")
    a_secret, a_publishable = alice.keys_for("02_payment_form")
    b_secret, _ = bob.keys_for("02_payment_form")
    assert a_secret != b_secret
    assert a_secret.endswith("_02_payment_form") and len(a_secret) == len(b_secret)
    assert a_publishable == publishable_key_for(a_secret)


def test_names_that_slug_alike_still_get_different_accounts():
    assert hub.account_tag("a.b") != hub.account_tag("a_b")
    assert hub.account_tag("jenny@example.com").startswith("jenny_example_com_")


def test_two_hub_users_get_their_own_emulator_and_page_ports():
    alice, bob = load(JUPYTERHUB_USER="alice"), load(JUPYTERHUB_USER="bob")
    assert alice.api_base != bob.api_base and alice.page_ports != bob.page_ports
    port = int(alice.api_base.rsplit(":", 1)[1])
    assert hub.FIRST_PORT <= port < hub.FIRST_PORT + hub.BLOCK * hub.SLOTS
    assert alice.page_ports == port + 1
    assert alice.stripe_js_url == alice.api_base + "/v3/"


def test_settings_still_choose_the_ports_on_a_hub():
    backend = load(
        JUPYTERHUB_USER="alice",
        STRIPE_API_BASE="http://127.0.0.1:14111",
        LINKLAB_PAGE_PORTS="14300",
    )
    assert backend.api_base == "http://127.0.0.1:14111" and backend.page_ports == 14300


def test_a_unix_account_per_user_picks_the_slot_by_uid():
    # TLJH runs alice's server as the Unix user jupyter-alice: uids never collide.
    assert hub.user_slot("alice", uid=1003, account="jupyter-alice") == 1003 % hub.SLOTS
    assert hub.user_slot("alice", uid=1003, account="jupyter-alice") != hub.user_slot(
        "bob", uid=1004, account="jupyter-bob"
    )
    # One shared account (a local-process spawner): the name decides.
    shared = hub.user_slot("alice", uid=1000, account="linklab")
    assert shared == hub.user_slot("alice", uid=1001, account="linklab")


def test_the_service_prefix_is_normalized():
    assert load(JUPYTERHUB_SERVICE_PREFIX="/user/alice").service_prefix == "/user/alice/"
    with pytest.raises(ValueError, match="not a URL path"):
        hub.service_prefix({"JUPYTERHUB_SERVICE_PREFIX": "/user/<script>/"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:4302/login/abc", "/user/alice/proxy/4302/login/abc"),
        ("http://127.0.0.1:20040/v3/", "/user/alice/proxy/20040/v3/"),
        ("http://localhost:4302/checkout?email=a", "/user/alice/proxy/4302/checkout?email=a"),
        ("https://js.stripe.com/v3/", "https://js.stripe.com/v3/"),
    ],
)
def test_browser_urls_go_through_the_hub(url, expected):
    assert hub.browser_url(url, "/user/alice/") == expected
    assert hub.browser_url(url, None) == url


def test_the_emulator_answers_the_hubs_public_name():
    environ = {
        "JUPYTERHUB_PUBLIC_URL": "https://hub.example.org/",
        "LINKLAB_ALLOW_HOSTS": "workshop.local, 127.0.0.1",
    }
    assert hub.allowed_hosts(environ) == ("hub.example.org", "workshop.local")
    assert hub.allowed_hosts({}) == ()


def test_each_hub_user_keeps_their_pid_files_apart(monkeypatch, tmp_path):
    from helpers import servers

    monkeypatch.setattr(servers.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    alice = servers.run_file("page", 4302, "pid")
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")
    bob = servers.run_file("page", 4302, "pid")
    assert alice.parent != bob.parent and alice.parent.parent == tmp_path
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert servers.run_file("page", 4302, "pid").parent == tmp_path
