"""Link Lab on a JupyterHub (The Littlest JupyterHub, Zero to JupyterHub, Binder).

Two things differ from a laptop, and only these:

- **Many attendees on one host.** Users of a TLJH share the host's loopback, so each attendee gets
  a block of ports of their own (`user_ports`: the emulator, then one checkout page per lesson)
  and accounts of their own (the user goes into every key `Backend.keys_for` derives), both
  from `JUPYTERHUB_USER`. Two attendees running the same lesson at the same moment never share a
  port or an account.
- **Their browser is elsewhere.** It reaches this server only through the hub, under
  `JUPYTERHUB_SERVICE_PREFIX` (`/user/alice/`), and jupyter-server-proxy forwards
  `/user/alice/proxy/<port>/…` to `127.0.0.1:<port>/…` (adding `X-Forwarded-Prefix`, from which
  the emulator and the page build their own browser-facing URLs). `browser_url` turns a loopback
  URL into that path, for what the attendee's browser loads: the IFrame, Stripe.js (and with it
  the Element frames, the API calls and the 3-D Secure page, which Stripe.js finds beside itself).

Server-side callers (stripe-python, the page's back office, the scripted customer's Chromium) keep
talking to 127.0.0.1 directly. The scripted customer meets the proxied Stripe.js URL the page hands
out, so its browser answers those paths the way the proxy does (`route_through_proxy`).
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Hub attendees' port blocks: the emulator on FIRST_PORT + BLOCK * slot, lesson NN's page on the
# next port + NN. SLOTS * BLOCK ports fit between 20000 and 60000 (below Linux's ephemeral range).
FIRST_PORT = 20000
BLOCK = 40
SLOTS = 1000
LOOPBACK = ("127.0.0.1", "localhost")
_SLUG = re.compile(r"[^a-z0-9]+")
_PREFIX = re.compile(r"^/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*$")


@dataclass(frozen=True)
class UserPorts:
    emulator: int
    pages: int  # lesson NN's page listens on pages + NN


def user_slot(user: str, uid: int | None = None, account: str | None = None) -> int:
    """Which port block an attendee gets.

    Where each attendee's server runs as a Unix account of their own (TLJH: `jupyter-alice`),
    the uid tells them apart without a collision; where all servers share one account (a local
    spawner as in our test, some containers), a hash of the user name does."""
    if uid is None:
        uid = os.getuid()
        try:
            account = pwd.getpwuid(uid).pw_name
        except KeyError:
            account = None
    if account is not None and account != "root" and account.endswith(user):
        return uid % SLOTS
    return int.from_bytes(hashlib.sha256(user.encode()).digest()[:4], "big") % SLOTS


def user_ports(user: str) -> UserPorts:
    emulator = FIRST_PORT + BLOCK * user_slot(user)
    return UserPorts(emulator=emulator, pages=emulator + 1)


def account_tag(user: str) -> str:
    """The attendee's part of their account names: readable, and unique even where two names
    slug alike (`a.b`, `a_b`)."""
    slug = _SLUG.sub("_", user.lower()).strip("_")[:24]
    digest = hashlib.sha256(user.encode()).hexdigest()[:6]
    return f"{slug}_{digest}" if slug else digest


def service_prefix(environ: Mapping[str, str]) -> str | None:
    """`JUPYTERHUB_SERVICE_PREFIX` as `/user/alice/` (one slash at each end), or None."""
    prefix = (environ.get("JUPYTERHUB_SERVICE_PREFIX") or "").strip()
    if not prefix:
        return None
    prefix = "/" + prefix.strip("/") + "/"
    if not _PREFIX.match(prefix) or "//" in prefix:
        raise ValueError(f"JUPYTERHUB_SERVICE_PREFIX is not a URL path: {prefix!r}")
    return prefix


def proxy_path(prefix: str, port: int) -> str:
    """Where jupyter-server-proxy serves 127.0.0.1:`port` to the attendee's browser."""
    return f"{prefix}proxy/{port}"


def browser_url(url: str, prefix: str | None) -> str:
    """A loopback URL as the attendee's browser reaches it: through the hub when `prefix` is set
    (`http://127.0.0.1:4302/checkout` -> `/user/alice/proxy/4302/checkout`), else unchanged."""
    parts = urlsplit(url)
    if prefix is None or parts.hostname not in LOOPBACK or parts.port is None:
        return url
    query = f"?{parts.query}" if parts.query else ""
    return proxy_path(prefix, parts.port) + (parts.path or "/") + query


def allowed_hosts(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Host names the emulator must answer besides loopback: the hub's public name, which the
    proxy passes on in `Host` (from `JUPYTERHUB_PUBLIC_URL`/`JUPYTERHUB_HOST` where the hub sets
    them, and `LINKLAB_ALLOW_HOSTS`, comma-separated, for a presenter to name it)."""
    names = [
        urlsplit(environ.get(setting) or "").hostname
        for setting in ("JUPYTERHUB_PUBLIC_URL", "JUPYTERHUB_PUBLIC_HUB_URL", "JUPYTERHUB_HOST")
    ]
    names += (environ.get("LINKLAB_ALLOW_HOSTS") or "").split(",")
    found = []
    for name in names:
        name = (name or "").strip().lower()
        if name and name not in LOOPBACK and name not in found:
            found.append(name)
    return tuple(found)


def route_through_proxy(context: Any, prefix: str | None) -> None:
    """Make a Playwright browser context answer `…{prefix}proxy/<port>/…` on loopback as the hub's
    proxy does (to 127.0.0.1:<port>, with `X-Forwarded-Prefix`), so that the scripted customer,
    which opens the page on 127.0.0.1, can follow the proxied Stripe.js URL the page hands out."""
    if prefix is None:
        return
    pattern = re.compile(
        r"^http://(?:127\.0\.0\.1|localhost)(?::\d+)?"
        + re.escape(prefix)
        + r"proxy/(\d+)(/[^?#]*)?(\?[^#]*)?"
    )

    def forward(route: Any) -> None:
        found = pattern.match(route.request.url)
        port, path, query = found.group(1), found.group(2) or "/", found.group(3) or ""
        headers = {**route.request.headers, "x-forwarded-prefix": proxy_path(prefix, int(port))}
        headers["host"] = urlsplit(route.request.url).netloc
        response = route.fetch(
            url=f"http://127.0.0.1:{port}{path}{query}", headers=headers, max_redirects=0
        )
        route.fulfill(response=response)

    context.route(pattern, forward)
