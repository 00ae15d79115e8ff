"""A lesson's checkout page: the guide's merchant server (`embedded_page`) for the lesson's account.

Each lesson runs its own page, on port `LINKLAB_PAGE_PORTS + NN` for lesson `NN_…` (4302 for
`02_payment_form`), as a background process (`helpers.servers`). A `CheckoutPage` knows where
it answers and talks to its back office with the lesson's secret key: one-time login links that
make a browser check out as a given Customer, the page's own request log, the webhook events it
received. Notebooks show paths, never the host and port.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field

from . import hub
from .backend import Backend
from .servers import start_page


class BackOfficeError(RuntimeError):
    """The page's back office refused a request; the message is the page's."""


def page_port(backend: Backend, lesson: str) -> int:
    """`NN_topic` -> base + NN; other names (tests) -> base + 100 + a stable 0..99."""
    if len(lesson) >= 2 and lesson[:2].isdigit():
        return backend.page_ports + int(lesson[:2])
    return backend.page_ports + 100 + zlib.crc32(lesson.encode()) % 100


@dataclass(frozen=True)
class CheckoutPage:
    """Where a lesson's page answers, and its settings. The repr shows no host, port or key."""

    base_url: str
    api_version: str
    secret_key: str = field(repr=False)
    webhook_secret: str | None = field(default=None, repr=False)

    def url(self, path: str = "/checkout") -> str:
        return self.base_url + path

    def login_url(self, customer: str, next_path: str = "/checkout", **prefill: str) -> str:
        """A one-time link logging the browser that opens it in as `customer`.

        `prefill` (email, name, phone) becomes the checkout page's query: what the merchant
        already knows about its customer, shown in the form."""
        if prefill:
            next_path += ("&" if "?" in next_path else "?") + urllib.parse.urlencode(prefill)
        answer = self._back_office(
            "POST", "/back_office/login_links", {"customer": customer, "next": next_path}
        )
        return self.url(answer["url"])

    def fetch(self, path: str) -> tuple[int, dict]:
        """GET `path` as a new browser would (no cookies): (HTTP status, JSON body)."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def requests(self) -> list[dict]:
        """The page's request log, oldest first (paths masked)."""
        return self._back_office("GET", "/back_office/requests")["data"]

    def events(self) -> list[dict]:
        """The webhook events the page received and verified, oldest first."""
        return self._back_office("GET", "/back_office/events")["data"]

    def _back_office(self, method: str, path: str, form: dict | None = None) -> dict:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(
            self.url(path),
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.secret_key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read())["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {exc.code}"
            raise BackOfficeError(f"The checkout page refused {method} {path}: {message}") from None

    def __repr__(self) -> str:
        return f"CheckoutPage(/checkout, API version {self.api_version})"


def start_checkout_page(
    backend: Backend,
    lesson: str,
    secret_key: str,
    publishable_key: str,
    api_version: str | None = None,
    webhook_secret: str | None = None,
    port: int | None = None,
) -> CheckoutPage:
    """(Re)start the lesson's page with these settings (on the lesson's port unless `port` is
    given); returns it once it answers."""
    version = api_version or backend.api_version
    env = {
        "STRIPE_SECRET_KEY": secret_key,
        "STRIPE_PUBLISHABLE_KEY": publishable_key,
        "STRIPE_API_BASE": backend.api_base,
        # What the customer's browser loads: through the hub's proxy on a JupyterHub.
        "STRIPE_JS_URL": hub.browser_url(backend.stripe_js_url, backend.service_prefix),
        "STRIPE_API_VERSION": version,
        "STRIPE_WEBHOOK_SECRET": webhook_secret or "",
        "STRIPE_CUSTOMER": "",
        # The hub's public name, which its proxy passes on in Host (none on a laptop).
        "PAGE_ALLOWED_HOSTS": ",".join(hub.allowed_hosts(os.environ)),
    }
    server = start_page(port or page_port(backend, lesson), env)
    return CheckoutPage(server.base_url, version, secret_key, webhook_secret)
