"""A real `python -m stripe_emulator --state FILE` process, and the clients the durable-state tests
use (closed after each test by the autouse fixture `closes_clients`, which a test module imports)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import stripe

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk_test_state_flow"

_OPEN: list[httpx.Client] = []


def stripe_client(base_url: str, key: str = KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": base_url}, max_network_retries=0)


def http_client(base_url: str, key: str = KEY) -> httpx.Client:
    """A raw HTTP client with `key`; closed at the end of the test (`closes_clients`)."""
    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"})
    _OPEN.append(client)
    return client


def close_clients() -> None:
    while _OPEN:
        _OPEN.pop().close()


@pytest.fixture(autouse=True)
def closes_clients():
    yield
    close_clients()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """`python -m stripe_emulator --state FILE` on a free port, answering once started;
    `env` adds environment variables (e.g. a webhook retry schedule)."""

    def __init__(self, state: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "stripe_emulator", "--quiet", "--state", str(state),
                 "--port", str(self.port)],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                env={**os.environ, **(env or {})},
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while not self._answers():
            assert self.process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the emulator did not answer in 30 s"
            time.sleep(0.02)

    def _answers(self) -> bool:
        try:
            return httpx.get(self.base_url + "/_emulator/health", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
