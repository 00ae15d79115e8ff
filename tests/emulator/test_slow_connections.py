"""Slow and half-sent connections are closed after the request timeout, and a flood of them
(more than a default `ulimit -n` of 1024) does not stop the emulator answering others."""

from __future__ import annotations

import contextlib
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


@pytest.fixture
def emulator_process():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < STALLED + 200:
        pytest.skip(f"needs {STALLED + 200} file descriptors (hard limit {hard})")
    if soft != resource.RLIM_INFINITY and soft < STALLED + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "stripe_emulator", "--port", str(port), "--quiet",
         "--request-timeout", str(TIMEOUT)],
        preexec_fn=_limit_fds,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(base_url + "/_emulator/health", 0.5):
        assert process.poll() is None and time.monotonic() < deadline, "emulator did not start"
        time.sleep(0.05)
    yield base_url, port
    process.terminate()
    process.wait(timeout=10)


def _stall(port: int, number: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if number % 2:  # half a head
        sock.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
    else:  # a whole head and half the body it announces
        sock.sendall(
            b"POST /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer sk_test_stalled\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n"
            b"email=half"
        )
    return sock


def _closed(sock: socket.socket, wait: float) -> bool:
    sock.settimeout(wait)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_stalled_connections_are_closed_and_others_answered(emulator_process):
    base_url, port = emulator_process
    stalled = [_stall(port, number) for number in range(STALLED)]
    try:
        # A prompt client is answered while all of them are still stalled.
        assert _answers(base_url + "/_emulator/health", 5.0)
        # After the timeout every stalled connection is closed, none answered.
        deadline = time.monotonic() + TIMEOUT + 5
        still_open = [s for s in stalled if not _closed(s, max(0.01, deadline - time.monotonic()))]
        assert still_open == []
        # The half-sent body created nothing.
        request = urllib.request.Request(
            base_url + "/v1/customers", headers={"Authorization": "Bearer sk_test_stalled"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert b'"data": []' in response.read()
    finally:
        for sock in stalled:
            sock.close()


def test_a_slow_but_complete_request_within_the_timeout_is_answered(emulator_process):
    _, port = emulator_process
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    with contextlib.closing(sock):
        for part in (b"GET /_emulator/health HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            sock.sendall(part)
            time.sleep(TIMEOUT / 4)
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
