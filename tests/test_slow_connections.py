"""Slow and half-sent connections are closed after the request timeout, and a flood of them
(more than a default `ulimit -n` of 1024) stops neither the emulator nor the checkout page
answering others (stripe_emulator/connections.py, and its twin in embedded_page/)."""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

STALLED = 1100
TIMEOUT = 2.0  # the emulator's --request-timeout here
FD_LIMIT = 1024  # the emulator's, as on many a learner's machine


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _limit_fds() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def _answers(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


# (module, the path that answers 200, a POST path whose half body it must not act on)
SERVERS = {
    "emulator": ("stripe_emulator", "/_emulator/health", "/v1/customers"),
    "page": ("embedded_page", "/config", "/webhook"),
}


@pytest.fixture(params=sorted(SERVERS))
def served(request):
    """(server name, base URL, port) of a subprocess limited to FD_LIMIT descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < STALLED + 200:
        pytest.skip(f"needs {STALLED + 200} file descriptors (hard limit {hard})")
    if soft != resource.RLIM_INFINITY and soft < STALLED + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    module, probe, _ = SERVERS[request.param]
    env = dict(os.environ)
    if module == "embedded_page":
        emulator = request.getfixturevalue("emulator")
        env.update(
            STRIPE_SECRET_KEY="sk_test_slow_page", STRIPE_PUBLISHABLE_KEY="pk_test_slow_page",
            STRIPE_API_BASE=emulator.base_url, STRIPE_JS_URL=f"{emulator.base_url}/v3/",
        )  # fmt: skip
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", str(port), "--request-timeout", str(TIMEOUT)],
        preexec_fn=_limit_fds,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(base_url + probe, 0.5):
        assert process.poll() is None and time.monotonic() < deadline, f"{module} did not start"
        time.sleep(0.05)
    yield request.param, base_url, port
    process.terminate()
    process.wait(timeout=10)


def _stall(port: int, number: int, probe: str, post: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if number % 2:  # half a head
        sock.sendall(f"GET {probe} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag".encode())
    else:  # a whole head and half the body it announces
        sock.sendall(
            f"POST {post} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
            + b"Authorization: Bearer sk_test_stalled\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n"
            b"email=half"
        )
    return sock


def _closed(sock: socket.socket, wait: float) -> bool:
    """Whether the server closes `sock` within `wait` seconds (after any answer it sends: the
    page may refuse a webhook by its headers without waiting for the body)."""
    deadline = time.monotonic() + wait
    try:
        while True:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            if sock.recv(65536) == b"":
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_stalled_connections_are_closed_and_others_answered(served):
    name, base_url, port = served
    _, probe, post = SERVERS[name]
    stalled = [_stall(port, number, probe, post) for number in range(STALLED)]
    try:
        # A prompt client is answered while all of them are still stalled.
        assert _answers(base_url + probe, 5.0)
        # After the timeout every stalled connection is closed.
        deadline = time.monotonic() + TIMEOUT + 5
        still_open = [s for s in stalled if not _closed(s, max(0.01, deadline - time.monotonic()))]
        assert still_open == []
        if name == "emulator":  # the half-sent bodies created nothing
            request = urllib.request.Request(
                base_url + "/v1/customers", headers={"Authorization": "Bearer sk_test_stalled"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                assert b'"data": []' in response.read()
    finally:
        for sock in stalled:
            sock.close()


def test_a_slow_but_complete_request_within_the_timeout_is_answered(served):
    name, _, port = served
    probe = SERVERS[name][1]
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    with contextlib.closing(sock):
        head = (f"GET {probe} HTTP/1.1\r\n".encode(), b"Host: 127.0.0.1\r\n", b"\r\n")
        for part in head:
            sock.sendall(part)
            time.sleep(TIMEOUT / 4)
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
