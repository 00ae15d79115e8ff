"""Running the emulator: `Emulator` hosts it in a background thread (tests, helpers)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import urllib.parse
import urllib.request

import uvicorn

from . import connections
from .app import EmulatorApp
from .persistence import Persistence, StateFileError
from .store import Store
from .webhooks import Deliverer

log = logging.getLogger("stripe_emulator")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12111


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "Emulator", "StateFileError", "build_app"]


def build_app(
    gc_freeze_every: int = 0,
    allowed_hosts: tuple[str, ...] = (),
    allowed_webhook_hosts: tuple[str, ...] = (),
    state: str | None = None,
    state_sync: str = "normal",
) -> EmulatorApp:
    """The full emulator (API, control routes, 3-D Secure page, Stripe.js) with webhook delivery;
    it answers Host names of loopback and `allowed_hosts`, and delivers webhooks to loopback and
    `allowed_webhook_hosts`. With `state` (a file path) every
    account is restored from that SQLite file and kept in it (persistence.py); a file that
    cannot be used raises StateFileError."""
    persistence = None if state is None else Persistence(state, state_sync)
    try:
        store = Store(persistence)
    except BaseException:
        if persistence is not None:
            persistence.close()
        raise
    return EmulatorApp(
        store=store,
        deliverer=Deliverer(),
        gc_freeze_every=gc_freeze_every,
        allowed_hosts=allowed_hosts,
        allowed_webhook_hosts=allowed_webhook_hosts,
    )


class Emulator:
    """Start/stop an emulator on 127.0.0.1 in a background thread.

    >>> emu = Emulator(port=0).start(); emu.base_url; emu.stop()

    `state="lab.db"` keeps every account in that SQLite file (restored now, written through on
    every request; see persistence.py); the default keeps them in memory only.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        access_log: bool = False,
        allowed_hosts: tuple[str, ...] = (),
        allowed_webhook_hosts: tuple[str, ...] = (),
        state: str | None = None,
        state_sync: str = "normal",
        request_timeout: float = connections.REQUEST_TIMEOUT,
    ):
        self.host = host
        self.request_timeout = request_timeout
        self.port = port
        self.app = build_app(
            allowed_hosts=allowed_hosts,
            allowed_webhook_hosts=allowed_webhook_hosts,
            state=state,
            state_sync=state_sync,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._access_log = access_log

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Emulator:
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            http=connections.protocol(timeout=self.request_timeout),
            backlog=connections.BACKLOG,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="stripe-emulator", daemon=True)
        self._thread.start()
        ready = threading.Event()
        waited = 0.0
        while not self._server.started and waited < timeout:
            if not self._thread.is_alive():
                raise RuntimeError(f"emulator failed to start on {self.host}:{self.port}")
            ready.wait(0.01)
            waited += 0.01
        if not self._server.started:
            raise RuntimeError("emulator did not start in time")
        if self.port == 0:
            sock = self._server.servers[0].sockets[0]
            self.port = sock.getsockname()[1]
        return self

    def _run(self) -> None:
        asyncio.run(self._server.serve())

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def reset(self, secret_key: str, frozen_at: int | None = None, seed: str | None = None) -> dict:
        """Reset one account (by its secret key) to empty; its ids and clock start over (ids
        seeded from `seed` when given, else from the key)."""
        form = {"frozen_at": frozen_at, "seed": seed}
        data = urllib.parse.urlencode({k: v for k, v in form.items() if v is not None}).encode()
        return self._control("POST", "/_emulator/reset", secret_key, data)

    def seed(self, secret_key: str, frozen_at: int) -> dict:
        """Reset the account with its clock frozen at `frozen_at`: fully reproducible output."""
        return self.reset(secret_key, frozen_at)

    def _control(self, method: str, path: str, key: str, data: bytes | None = None) -> dict:
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {key}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
