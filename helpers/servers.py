"""Background servers the lessons share: the emulator and the lessons' checkout pages.

Both run as processes of their own on 127.0.0.1 that outlive the caller (notebook kernels,
`make lab`), so every kernel, the page server and the browser share them:

- `ensure_emulator(port)` starts `python -m stripe_emulator` unless one already answers
  `/_emulator/health` there (idempotent: every lesson reuses it);
- `start_page(port, env)` starts `python -m embedded_page` with the given settings, replacing the
  page this module started on that port before (a lesson's page serves the lesson's account,
  which the lesson has just reset: what the old page remembered is stale).

Each process's id goes into a pid file beside its log in the temp directory (on a JupyterHub, in
a folder of the attendee's own: users of one host share /tmp); `stop_emulator`, `stop_page` and
`stop_all` (`make stop`) stop only processes this module started for this user.

Command line: `python scripts/servers.py start|stop|status` (`make lab`, `make stop`).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import hub
from .backend import EMULATOR_PORT, REPO_ROOT

HOST = "127.0.0.1"
EMULATOR = "stripe_emulator"
PAGE = "embedded_page"
KINDS = {EMULATOR: "emulator", PAGE: "page"}


@dataclass(frozen=True)
class ServerProcess:
    """Where a server answers; `pid` is None when one was already running (not started here)."""

    base_url: str
    pid: int | None = None
    log_path: Path | None = None


def run_dir() -> Path:
    """The temp directory, or on a JupyterHub the attendee's own folder in it."""
    user = os.environ.get("JUPYTERHUB_USER")
    if not user:
        return Path(tempfile.gettempdir())
    folder = Path(tempfile.gettempdir()) / f"link-lab-{hub.account_tag(user)}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def run_file(kind: str, port: int, suffix: str) -> Path:
    """`link-lab-<kind>-<port>.<suffix>` in `run_dir()` (pid, log)."""
    return run_dir() / f"link-lab-{kind}-{port}.{suffix}"


def _get_json(url: str, timeout: float) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):  # refused, timed out, HTTP error, not JSON
        return None
    return body if isinstance(body, dict) else None


def emulator_health(base_url: str, timeout: float = 0.5) -> dict | None:
    """The emulator's health document, or None if nothing (or something else) answers."""
    body = _get_json(f"{base_url}/_emulator/health", timeout)
    return body if body is not None and body.get("status") == "ok" else None


def page_config(base_url: str, timeout: float = 0.5) -> dict | None:
    """The checkout page's `/config` (publishable key, Stripe.js URL), or None."""
    body = _get_json(f"{base_url}/config", timeout)
    return body if body is not None and "publishableKey" in body else None


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


def _spawn(
    module: str, port: int, env: Mapping[str, str], args: tuple[str, ...] = ()
) -> tuple[int, Path]:
    """`python -m <module> --host 127.0.0.1 --port <port>` in its own session, output to a log."""
    log_path = run_file(KINDS[module], port, "log")
    argv = [sys.executable, "-m", module, "--host", HOST, "--port", str(port), *args]
    # Importable from any working directory (a kernel runs in notebooks/), installed or not.
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        # posix_spawn in its own session: no Popen object that warns when dropped, no tie to the
        # caller's terminal, and the server keeps running after the caller exits.
        pid = os.posix_spawn(
            sys.executable,
            argv,
            {**env, "PYTHONPATH": path},
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2),
            ],
            setsid=True,
        )
    finally:
        os.close(log_fd)
    return pid, log_path


def _wait_until(ready, pid: int, what: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if _gone(pid):
            raise RuntimeError(
                f"The {what} exited before answering; the end of {log_path}:\n" + _tail(log_path)
            )
        time.sleep(0.02)
    _terminate(pid)
    raise RuntimeError(f"The {what} did not answer within {timeout:.0f} s; see {log_path}.")


def ensure_emulator(
    port: int = EMULATOR_PORT, timeout: float = 20.0, allowed_hosts: tuple[str, ...] | None = None
) -> ServerProcess:
    """Start the emulator on 127.0.0.1:`port` unless one answers there already (idempotent).

    It answers Host names of loopback and `allowed_hosts` (default: the hub's public name, which
    reaches it through the hub's proxy; none on a laptop, `helpers.hub.allowed_hosts`)."""
    base_url = f"http://{HOST}:{port}"
    if emulator_health(base_url):
        return ServerProcess(base_url)
    hosts = hub.allowed_hosts(os.environ) if allowed_hosts is None else allowed_hosts
    args = tuple(arg for name in hosts for arg in ("--allow-host", name))
    pid, log_path = _spawn(EMULATOR, port, os.environ, args)
    try:
        _wait_until(lambda: emulator_health(base_url), pid, "emulator", log_path, timeout)
    except RuntimeError:
        if emulator_health(base_url):  # another caller won the race for the port
            return ServerProcess(base_url)
        raise
    run_file("emulator", port, "pid").write_text(f"{pid}\n")
    return ServerProcess(base_url, pid, log_path)


def start_page(port: int, env: Mapping[str, str], timeout: float = 20.0) -> ServerProcess:
    """(Re)start the checkout page on 127.0.0.1:`port` with `env` as its settings.

    `env` holds the page's settings (STRIPE_SECRET_KEY, …); they are passed explicitly, empty
    ones included, so neither the caller's environment nor a `.env` file changes the page."""
    stop_page(port)
    base_url = f"http://{HOST}:{port}"
    if page_config(base_url, timeout=0.2) is not None:
        raise RuntimeError(
            f"Another checkout page, not started by Link Lab's helpers, already answers on port "
            f"{port}; stop it, or choose other ports with LINKLAB_PAGE_PORTS."
        )
    settings = {key: value for key, value in os.environ.items() if not key.startswith("STRIPE_")}
    pid, log_path = _spawn(PAGE, port, {**settings, **env})
    _wait_until(lambda: page_config(base_url) is not None, pid, "page", log_path, timeout)
    run_file("page", port, "pid").write_text(f"{pid}\n")
    return ServerProcess(base_url, pid, log_path)


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _is_ours(pid: int, module: str, port: int) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return module.encode() in argv and str(port).encode() in argv


def _terminate(pid: int, timeout: float = 10.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):  # gone, or another user's
        return
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + timeout
        time.sleep(0.02)


def _stop(module: str, port: int) -> bool:
    pid_file = run_file(KINDS[module], port, "pid")
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return False
    pid_file.unlink(missing_ok=True)
    if not _is_ours(
        pid, module, port
    ):  # it already stopped (the pid may belong to another process)
        return False
    _terminate(pid)
    return True


def stop_emulator(port: int = EMULATOR_PORT) -> bool:
    """Stop the emulator this module started on `port`; False if there was none."""
    return _stop(EMULATOR, port)


def stop_page(port: int) -> bool:
    """Stop the checkout page this module started on `port`; False if there was none."""
    return _stop(PAGE, port)


def running() -> list[tuple[str, int]]:
    """(kind, port) of every server this module started that is still recorded, by port."""
    found = []
    for pid_file in run_dir().glob("link-lab-*-*.pid"):
        kind, _, port = pid_file.stem[len("link-lab-") :].rpartition("-")
        if kind in KINDS.values() and port.isdigit():
            found.append((kind, int(port)))
    return sorted(found, key=lambda item: item[1])


def stop_all(ports: range | None = None) -> list[tuple[str, int]]:
    """Stop every emulator and page this module started (on `ports` only, if given)."""
    modules = {kind: module for module, kind in KINDS.items()}
    return [
        (kind, port)
        for kind, port in running()
        if (ports is None or port in ports) and _stop(modules[kind], port)
    ]
