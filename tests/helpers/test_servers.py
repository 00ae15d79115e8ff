"""helpers.servers: the shared background emulator is started once, reused, and stopped by id."""

from __future__ import annotations

import socket

import pytest

from helpers import servers
from tests.emulator.test_server import free_port


@pytest.fixture
def port():
    port = free_port()
    yield port
    servers.stop_emulator(port)  # whatever a failing test left behind
    for suffix in ("log", "pid"):
        servers._run_file(port, suffix).unlink(missing_ok=True)


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
