"""A lesson's setup in one call: `lesson = helpers.start_lesson("02_payment_form")`.

On the emulator the lesson gets its own account (keys derived from its name and this user's secret,
helpers.keys), reset to empty with its clock frozen at `FROZEN_AT` and its ids seeded from the
lesson's name: re-running a notebook, on any machine, repeats its ids and timestamps exactly.
On real test mode the lesson uses the configured test keys; nothing is reset.
Unless `page=False`, the lesson's checkout page is (re)started for that account (`helpers.page`).
"""

from __future__ import annotations

import datetime
import functools
import secrets
import urllib.parse
from dataclasses import dataclass, field

import stripe

from .backend import Backend, get_backend, mask_key
from .control import EmulatorControl
from .keys import account_seed
from .page import CheckoutPage, start_checkout_page
from .servers import emulator_health, ensure_emulator

# 2026-11-02T09:00:00Z: the emulator clock of every lesson, so `created` repeats on every run.
FROZEN_AT = 1_793_610_000
LOOPBACK = ("127.0.0.1", "localhost")


@dataclass
class Lesson:
    """The backend, keys and page one notebook uses. Its repr never shows a key in full."""

    name: str
    backend: Backend
    secret_key: str = field(repr=False)
    publishable_key: str = field(repr=False)
    page: CheckoutPage | None = None

    @property
    def api_base(self) -> str:
        return self.backend.api_base

    @property
    def api_version(self) -> str:
        return self.backend.api_version

    @property
    def stripe_js_url(self) -> str:
        return self.backend.stripe_js_url

    @property
    def offline(self) -> bool:
        return self.backend.offline

    @functools.cached_property
    def client(self) -> stripe.StripeClient:
        """A StripeClient for this lesson's account (no retries on the emulator)."""
        return self.client_for(self.api_version)

    def client_for(self, api_version: str) -> stripe.StripeClient:
        """A StripeClient for this account that sends another `Stripe-Version`."""
        return stripe.StripeClient(
            self.secret_key,
            base_addresses={"api": self.api_base},
            stripe_version=api_version,
            max_network_retries=0 if self.offline else 2,
        )

    @property
    def control(self) -> EmulatorControl | None:
        """The emulator's control routes for this account; None on real test mode."""
        return EmulatorControl(self.api_base, self.secret_key) if self.offline else None

    def servers(self):
        """What this lesson talks to, as a table (paths only: ports differ between runs)."""
        import pandas as pd

        offline = self.offline
        rows = [
            (
                "Stripe API",
                "the offline emulator, a background process every lesson shares"
                if offline
                else "Stripe test mode (api.stripe.com)",
                "/v1/…",
            ),
            (
                "Stripe.js",
                "the emulator's offline stand-in" if offline else "js.stripe.com",
                "/v3/",
            ),
        ]
        if self.page is not None:
            rows.append(
                (
                    "checkout page",
                    "embedded_page: this lesson's own merchant server (Starlette + stripe-python)",
                    "/checkout",
                )
            )
        return pd.DataFrame(rows, columns=["server", "what it is", "path"])

    def advance_clock(self, days: int = 0, seconds: int = 0) -> str:
        """Offline, move the account's frozen clock forward (objects created next carry the new
        time). Real test mode has no such clock: time passes by itself."""
        if self.control is None:
            return "Real test mode: the clock is real time."
        now = self.control.advance_clock(days * 86400 + seconds)
        from .tables import utc

        return f"The account's clock now reads {utc(now)}."

    def email(self, local: str = "jenny.rosen") -> str:
        """A test customer's email: `jenny.rosen@example.com` on the emulator (a fresh account
        every run). Real test mode keeps its Link accounts from run to run, so there each run
        gets its own address (`jenny.rosen.02-1a2b3c@example.com`; a `+suffix` such as
        `+multiple_funding_sources` stays last, where Stripe looks for it)."""
        if self.offline:
            return f"{local}@example.com"
        base, plus, rest = local.partition("+")
        return f"{base}.{self._run_tag}{plus}{rest}@example.com"

    @functools.cached_property
    def _run_tag(self) -> str:
        return f"{self.name[:2]}-{secrets.token_hex(3)}"

    def login_url(self, customer: str, path: str = "/checkout", **prefill: str) -> str:
        """A one-time link to the checkout page that logs the browser in as `customer`
        (`path="/react"`: the same checkout in the guide's React)."""
        return self._page().login_url(customer, path, **prefill)

    def restart_page(
        self, api_version: str | None = None, webhook_secret: str | None = None
    ) -> CheckoutPage:
        """Serve the lesson's page again with another API version or webhook signing secret."""
        self.page = start_checkout_page(
            self.backend,
            self.name,
            self.secret_key,
            self.publishable_key,
            api_version=api_version,
            webhook_secret=webhook_secret,
        )
        return self.page

    def _page(self) -> CheckoutPage:
        if self.page is None:
            raise RuntimeError(f"Lesson {self.name} was started without its checkout page.")
        return self.page

    def __repr__(self) -> str:
        if self.offline:
            frozen = datetime.datetime.fromtimestamp(FROZEN_AT, datetime.UTC)
            where = (
                "the offline emulator: a fresh account, clock frozen at "
                f"{frozen:%Y-%m-%dT%H:%M:%SZ}"
            )
        else:
            where = "Stripe test mode"
        rows = [
            ("API version", self.api_version),
            ("secret key", mask_key(self.secret_key)),
            ("publishable key", mask_key(self.publishable_key) if self.publishable_key else "-"),
        ]
        if self.page is not None:
            rows.append(("checkout page", f"/checkout (API version {self.page.api_version})"))
        return f"Lesson {self.name} on {where}\n" + "\n".join(
            f"  {label:<16} {value}" for label, value in rows
        )


def start_lesson(name: str, backend: Backend | None = None, page: bool = True) -> Lesson:
    """Start what the lesson needs (idempotently), give it its account and configure `stripe`."""
    if not name:
        raise ValueError("A lesson needs a name, e.g. start_lesson('00_start_here').")
    backend = backend or get_backend()
    secret_key, publishable_key = backend.keys_for(name)
    lesson = Lesson(name, backend, secret_key, publishable_key)
    if backend.offline:
        parts = urllib.parse.urlsplit(backend.api_base)
        if parts.hostname in LOOPBACK and parts.port:
            ensure_emulator(parts.port)
        elif not emulator_health(backend.api_base, timeout=5):
            raise RuntimeError(f"No emulator answers at {backend.api_base}.")
        lesson.control.reset(FROZEN_AT, seed=account_seed(name))
    # The module-level configuration, for code written as `stripe.Customer.create(...)`.
    stripe.api_key = secret_key
    stripe.api_base = backend.api_base
    stripe.api_version = backend.api_version
    stripe.max_network_retries = 0 if backend.offline else 2
    if page:
        lesson.restart_page(webhook_secret=backend.webhook_secret)
    return lesson
