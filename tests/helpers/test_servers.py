"""helpers.servers: the background emulator (started once, reused) and the lessons' checkout
pages (restarted with their settings), stopped only by the id this module recorded."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from helpers import servers
from tests.emulator.test_server import free_port


@pytest.fixture
def port():
    port = free_port()
    yield port
    servers.stop_emulator(port)  # whatever a failing test left behind
    for suffix in ("log", "pid"):
        servers.run_file("emulator", port, suffix).unlink(missing_ok=True)


def test_starts_an_emulator_that_answers_health(port):
    started = servers.ensure_emulator(port)
    assert started.pid is not None
    assert started.base_url == f"http://127.0.0.1:{port}"
    assert servers.emulator_health(started.base_url)["status"] == "ok"


def test_second_call_reuses_the_running_emulator(port):
    first = servers.ensure_emulator(port)
    second = servers.ensure_emulator(port)
    assert second.base_url == first.base_url
    assert second.pid is None  # nothing new was started


def test_stop_stops_only_what_it_started(port):
    started = servers.ensure_emulator(port)
    assert servers.stop_emulator(port) is True
    assert servers.emulator_health(started.base_url) is None
    assert servers.stop_emulator(port) is False


def test_health_is_none_when_nothing_listens():
    assert servers.emulator_health(f"http://127.0.0.1:{free_port()}") is None


def test_a_port_taken_by_something_else_is_reported(port):
    with socket.create_server(("127.0.0.1", port)):  # listens, never answers HTTP
        with pytest.raises(RuntimeError, match="exited before answering") as info:
            servers.ensure_emulator(port)
    assert "address already in use" in str(info.value).lower()


# -- checkout pages ------------------------------------------------------------------------------


@pytest.fixture
def page_env(emulator):
    return {
        "STRIPE_SECRET_KEY": "sk_test_servers_page",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_servers_page",
        "STRIPE_API_BASE": emulator.base_url,
        "STRIPE_JS_URL": f"{emulator.base_url}/v3/",
        "STRIPE_API_VERSION": "",
        "STRIPE_WEBHOOK_SECRET": "",
        "STRIPE_CUSTOMER": "",
    }


@pytest.fixture
def page_port():
    port = free_port()
    yield port
    servers.stop_page(port)


def test_start_page_serves_the_settings_it_was_given(page_port, page_env):
    started = servers.start_page(page_port, page_env)
    config = servers.page_config(started.base_url)
    assert config["publishableKey"] == "pk_test_servers_page"
    assert (page_port, "page") in {(port, kind) for kind, port in servers.running()}


def test_start_page_replaces_the_page_it_started_before(page_port, page_env):
    first = servers.start_page(page_port, page_env)
    second = servers.start_page(page_port, {**page_env, "STRIPE_API_VERSION": "2024-04-10"})
    assert second.pid != first.pid
    assert servers.page_config(second.base_url)["apiVersion"] == "2024-04-10"


def test_start_page_ignores_the_callers_stripe_settings(page_port, page_env, monkeypatch):
    monkeypatch.setenv("STRIPE_CUSTOMER", "cus_fromTheCallersShell")
    started = servers.start_page(page_port, page_env)
    environ = Path(f"/proc/{started.pid}/environ").read_bytes().split(b"\0")
    assert b"STRIPE_CUSTOMER=" in environ  # passed explicitly, and empty


def test_a_page_not_started_here_is_left_alone(page_port, page_env):
    started = servers.start_page(page_port, page_env)
    servers.run_file("page", page_port, "pid").unlink()  # as if someone else had started it
    try:
        with pytest.raises(RuntimeError, match="not started by Link Lab"):
            servers.start_page(page_port, page_env)
    finally:
        os.kill(started.pid, signal.SIGTERM)


def test_stop_all_stops_only_the_ports_asked_for(page_port, page_env, port):
    servers.start_page(page_port, page_env)
    servers.ensure_emulator(port)
    assert servers.stop_all(range(page_port, page_port + 1)) == [("page", page_port)]
    assert servers.emulator_health(f"http://127.0.0.1:{port}") is not None
    assert servers.page_config(f"http://127.0.0.1:{page_port}") is None
