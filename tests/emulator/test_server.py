"""`python -m stripe_emulator` as a process: starts, answers, logs, binds loopback, stops cleanly."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

STARTUP_TIMEOUT = 30.0  # generous: a bound on waiting, not a performance assertion
KEY = "sk_test_serverprocess"


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen) -> dict:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"emulator exited with {process.returncode}"
        try:
            response = httpx.get(f"{base_url}/_emulator/health", timeout=1)
        except httpx.TransportError:
            time.sleep(0.05)
            continue
        return response.json()
    pytest.fail(f"no answer from {base_url} within {STARTUP_TIMEOUT} s")


@contextlib.contextmanager
def running_emulator(log_path: Path):
    """`python -m stripe_emulator --port <free>` with its output in `log_path`."""
    port = free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "stripe_emulator", "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        health = wait_for_health(base_url, process)
        yield {"base_url": base_url, "port": port, "process": process, "health": health}
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One emulator process shared by the module's read-only tests."""
    log_path = tmp_path_factory.mktemp("emulator") / "emulator.log"
    with running_emulator(log_path) as running:
        yield {**running, "log": log_path}


def test_health_answers(server):
    assert server["health"]["status"] == "ok"


def test_binds_loopback_only_by_default(server):
    listening = _listening_addresses(server["port"])
    assert listening == {"127.0.0.1"}


def test_says_where_it_serves_when_it_starts(server):
    lines = _wait_for_log_lines(server["log"], 1, containing=("serving Stripe test mode",))
    assert lines and f"http://127.0.0.1:{server['port']} " in lines[0]


def test_logs_one_line_per_request(server):
    with httpx.Client(base_url=server["base_url"], headers={"Authorization": f"Bearer {KEY}"}) as c:
        c.get("/v1/customers", params={"limit": 3})
        c.post("/v1/customers", data={"email": "log@example.com"})
        c.get("/v1/customers/cus_nologline")
    lines = _wait_for_log_lines(server["log"], 3)
    assert any("GET /v1/customers 200" in line for line in lines)
    assert any("POST /v1/customers 200" in line for line in lines)
    assert any("GET /v1/customers/cus_nologline 404" in line for line in lines)
    assert sum("/v1/customers" in line for line in lines) == 3


def test_logs_control_and_stripejs_requests_too(server):
    with httpx.Client(base_url=server["base_url"]) as c:
        c.get("/_emulator/health")
        c.get("/v3/")
    health = _wait_for_log_lines(server["log"], 1, containing=("GET /_emulator/health 200",))
    stripe_js = _wait_for_log_lines(server["log"], 1, containing=("GET /v3/ 200",))
    assert health and stripe_js


def test_a_newline_in_a_path_cannot_forge_a_log_line(server):
    httpx.get(server["base_url"] + "/v1/x%0a2026-01-01 forged GET /v1/ok 200")
    lines = _wait_for_log_lines(server["log"], 1, containing=("/v1/x",))
    assert any("/v1/x%0A2026-01-01 forged" in line for line in lines)
    log_lines = server["log"].read_text().splitlines()
    assert not any(line.startswith("2026-01-01 forged") for line in log_lines)


def test_ctrl_c_stops_it_cleanly(tmp_path):
    log_path = tmp_path / "emulator.log"
    with running_emulator(log_path) as running:
        process = running["process"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=STARTUP_TIMEOUT) == 0
    assert "Traceback" not in log_path.read_text()


def test_sigterm_shuts_down_gracefully(tmp_path):
    log_path = tmp_path / "emulator.log"
    with running_emulator(log_path) as running:
        process = running["process"]
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal so the exit status reports it.
        assert process.wait(timeout=STARTUP_TIMEOUT) == -signal.SIGTERM
    assert "Traceback" not in log_path.read_text()


def _wait_for_log_lines(
    path: Path, count: int, containing: tuple[str, ...] = ("/v1/",)
) -> list[str]:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        lines = [
            line for line in path.read_text().splitlines() if any(c in line for c in containing)
        ]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for row in Path(table).read_text().splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(_decode_address(address))
    return found


def _decode_address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)
