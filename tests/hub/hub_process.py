"""A real JupyterHub on loopback for the workshop test: jupyterhub from PyPI, configurable-http-proxy
from npm (`make` installs it into node_modules/), the local-process spawner and the dummy
authenticator, and a kernel client that runs code in an attendee's server through the hub."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from helpers.backend import SETTINGS

REPO = Path(__file__).resolve().parents[2]
CHP = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "linklab-workshop"
CONFIG = """
import sys
c.JupyterHub.bind_url = {bind_url!r}
c.JupyterHub.hub_bind_url = {hub_url!r}
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie_file!r}
c.JupyterHub.pid_file = {pid_file!r}
c.JupyterHub.cleanup_servers = True
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.api_url = {proxy_api!r}
c.ConfigurableHTTPProxy.auth_token = {proxy_token!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r}
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.default_url = "/lab"
# What an attendee's server gets besides the hub's own variables: the emulator backend, whatever
# a .env in the repository says, and the repository importable (as installed on a TLJH).
c.Spawner.environment = {environment!r}
c.JupyterHub.services = [{{"name": "workshop-test", "api_token": {api_token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "workshop-test",
    "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
    "services": ["workshop-test"],
}}]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Hub:
    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 60) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else {}

    def start_server(self, user: str, timeout: float = 120) -> None:
        self.api("POST", f"/hub/api/users/{user}", {})
        try:
            self.api("POST", f"/hub/api/users/{user}/server", {})
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/hub/api/users/{user}")
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{user}'s server did not start; see {self.log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_hub(folder: Path, timeout: float = 60) -> Hub:
    if not CHP.exists():
        raise RuntimeError(f"{CHP} is missing: `make node_modules/.bin/configurable-http-proxy`")
    port, hub_port, proxy_api = free_port(), free_port(), free_port()
    token = uuid.uuid4().hex
    environment = {
        **{name: "" for name in SETTINGS},  # a local .env or shell cannot change the hub's run
        "LINKLAB_BACKEND": "emulator",
        "PYTHONPATH": str(REPO),
    }
    config = CONFIG.format(
        bind_url=f"http://127.0.0.1:{port}",
        hub_url=f"http://127.0.0.1:{hub_port}",
        db_url=f"sqlite:///{folder / 'hub.sqlite'}",
        cookie_file=str(folder / "cookie_secret"),
        pid_file=str(folder / "hub.pid"),
        chp=str(CHP),
        proxy_api=f"http://127.0.0.1:{proxy_api}",
        proxy_token=uuid.uuid4().hex,
        password=PASSWORD,
        home=str(folder / "home" / "{username}"),
        args=["--allow-root"] if os.getuid() == 0 else [],
        environment=environment,
        api_token=token,
    )
    (folder / "jupyterhub_config.py").write_text(config)
    log = folder / "hub.log"
    # The venv's bin first: the hub and the spawned servers find the same Python and node.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PATH": path},
        )
    hub = Hub(f"http://127.0.0.1:{port}", token, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("JupyterHub exited:\n" + log.read_text()[-3000:])
        try:
            hub.api("GET", "/hub/api/", timeout=2)
            return hub
        except (OSError, ValueError):
            time.sleep(0.3)
    hub.stop()
    raise RuntimeError("JupyterHub did not answer in time:\n" + log.read_text()[-3000:])


def node_available() -> bool:
    return shutil.which("node") is not None and CHP.exists()


# -- a kernel in an attendee's server, driven through the hub ----------------------------------


async def _execute(hub: Hub, user: str, code: str, timeout: float) -> str:
    """Run `code` in a new kernel of `user`'s server; its stdout (raises on an error)."""
    ws_base = hub.url.replace("http://", "ws://")
    headers = {"Authorization": f"token {hub.token}"}
    kernel = await asyncio.to_thread(hub.api, "POST", f"/user/{user}/api/kernels", {})
    connection = await websocket_connect(
        HTTPRequest(f"{ws_base}/user/{user}/api/kernels/{kernel['id']}/channels", headers=headers)
    )
    session, msg_id = uuid.uuid4().hex, uuid.uuid4().hex
    await connection.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": user,
                    "session": session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    out: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            raw = await asyncio.wait_for(connection.read_message(), deadline - time.monotonic())
            if raw is None:
                raise RuntimeError(f"{user}'s kernel connection closed")
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                raise RuntimeError(f"{user}: {content['ename']}: {content['evalue']}")
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out)
    finally:
        connection.close()
        await asyncio.to_thread(hub.api, "DELETE", f"/user/{user}/api/kernels/{kernel['id']}")


def execute_all(hub: Hub, codes: dict[str, str], timeout: float = 120) -> dict[str, str]:
    """Run each user's code in their own kernel, all at the same time."""

    async def run() -> list[str]:
        return await asyncio.gather(
            *(_execute(hub, user, code, timeout) for user, code in codes.items())
        )

    # On a thread of its own: Playwright's sync API keeps an event loop on the caller's.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        outputs = pool.submit(lambda: asyncio.run(run())).result()
    return dict(zip(codes, outputs, strict=True))
