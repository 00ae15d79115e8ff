"""Background servers the lessons share: the emulator, started once and reused.

`ensure_emulator()` starts `python -m stripe_emulator` on 127.0.0.1 unless one already answers
`/_emulator/health`; the process outlives the caller (notebook kernels, `make lab`), so every
kernel, the page server and the browser share it. `stop_emulator()` stops one that this module
started (it records the process id in a pid file beside the log).

Command line: `python scripts/emulator.py start|stop [--port 12111]`.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .backend import EMULATOR_PORT, REPO_ROOT

HOST = "127.0.0.1"


@dataclass(frozen=True)
class EmulatorProcess:
    """Where the emulator answers; `pid` is None when one was already running."""

    base_url: str
    pid: int | None = None
    log_path: Path | None = None


def _run_file(port: int, suffix: str) -> Path:
    return Path(tempfile.gettempdir()) / f"link-lab-emulator-{port}.{suffix}"


def emulator_health(base_url: str, timeout: float = 0.5) -> dict | None:
    """The emulator's health document, or None if nothing (or something else) answers."""
    try:
        with urllib.request.urlopen(f"{base_url}/_emulator/health", timeout=timeout) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):  # refused, timed out, HTTP error, not JSON
        return None
    return body if isinstance(body, dict) and body.get("status") == "ok" else None


def _gone(pid: int) -> bool:
    """True once `pid` has exited (our child is reaped here; a zombie counts as exited)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return True
    except ChildProcessError:  # not our child, or already reaped
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def ensure_emulator(port: int = EMULATOR_PORT, timeout: float = 20.0) -> EmulatorProcess:
    """Start the emulator on 127.0.0.1:`port` unless one answers there already (idempotent)."""
    base_url = f"http://{HOST}:{port}"
    if emulator_health(base_url):
        return EmulatorProcess(base_url)
    log_path = _run_file(port, "log")
    argv = [sys.executable, "-m", "stripe_emulator", "--host", HOST, "--port", str(port)]
    # Importable from any working directory (a kernel runs in notebooks/), installed or not.
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        # posix_spawn in its own session: no Popen object that warns when dropped, no tie to the
        # caller's terminal, and the emulator keeps running after the caller exits.
        pid = os.posix_spawn(
            sys.executable,
            argv,
            {**os.environ, "PYTHONPATH": path},
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2),
            ],
            setsid=True,
        )
    finally:
        os.close(log_fd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if emulator_health(base_url):
            _run_file(port, "pid").write_text(f"{pid}\n")
            return EmulatorProcess(base_url, pid, log_path)
        if _gone(pid):
            if emulator_health(base_url):  # another caller won the race for the port
                return EmulatorProcess(base_url)
            raise RuntimeError(
                f"The emulator exited before answering on {base_url}; the end of {log_path}:\n"
                + _tail(log_path)
            )
        time.sleep(0.02)
    _terminate(pid)
    raise RuntimeError(f"The emulator did not answer on {base_url} within {timeout:.0f} s.")


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _is_emulator(pid: int, port: int) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"stripe_emulator" in argv and str(port).encode() in argv


def _terminate(pid: int, timeout: float = 10.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + timeout
        time.sleep(0.02)


def stop_emulator(port: int = EMULATOR_PORT) -> bool:
    """Stop the emulator this module started on `port`; False if there was none."""
    pid_file = _run_file(port, "pid")
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return False
    pid_file.unlink(missing_ok=True)
    if not _is_emulator(pid, port):  # it already stopped (the pid may belong to another process)
        return False
    _terminate(pid)
    return True
