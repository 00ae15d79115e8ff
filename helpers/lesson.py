"""A lesson's setup in one call: `lesson = helpers.start_lesson("00_setup")`.

On the emulator the lesson gets its own account (keys derived from its name), reset to empty with
its clock frozen at `FROZEN_AT`: re-running a notebook repeats its ids and timestamps exactly.
On real test mode the lesson uses the configured test keys; nothing is reset.
"""

from __future__ import annotations

import datetime
import functools
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import stripe

from .backend import Backend, get_backend, mask_key
from .servers import emulator_health, ensure_emulator

# 2026-11-02T09:00:00Z: the emulator clock of every lesson, so `created` repeats on every run.
FROZEN_AT = 1_793_610_000
LOOPBACK = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Lesson:
    """The backend and keys one notebook uses. Its repr never shows a key in full."""

    name: str
    backend: Backend
    secret_key: str = field(repr=False)
    publishable_key: str = field(repr=False)

    @property
    def api_base(self) -> str:
        return self.backend.api_base

    @property
    def api_version(self) -> str:
        return self.backend.api_version

    @property
    def stripe_js_url(self) -> str:
        return self.backend.stripe_js_url

    @functools.cached_property
    def client(self) -> stripe.StripeClient:
        """A StripeClient for this lesson's account (no retries on the emulator)."""
        return stripe.StripeClient(
            self.secret_key,
            base_addresses={"api": self.api_base},
            stripe_version=self.api_version,
            max_network_retries=0 if self.backend.offline else 2,
        )

    def __repr__(self) -> str:
        if self.backend.offline:
            frozen = datetime.datetime.fromtimestamp(FROZEN_AT, datetime.UTC)
            where = (
                "the offline emulator: a fresh account, clock frozen at "
                f"{frozen:%Y-%m-%dT%H:%M:%SZ}"
            )
        else:
            where = f"Stripe test mode at {self.api_base}"
        rows = [
            ("API version", self.api_version),
            ("secret key", mask_key(self.secret_key)),
            ("publishable key", mask_key(self.publishable_key) if self.publishable_key else "-"),
        ]
        return f"Lesson {self.name} on {where}\n" + "\n".join(
            f"  {label:<16} {value}" for label, value in rows
        )


def _reset(api_base: str, secret_key: str, frozen_at: int) -> None:
    request = urllib.request.Request(
        f"{api_base}/_emulator/reset",
        data=urllib.parse.urlencode({"frozen_at": frozen_at}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {secret_key}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def start_lesson(name: str, backend: Backend | None = None) -> Lesson:
    """Start what the lesson needs (idempotently), give it its account and configure `stripe`."""
    if not name:
        raise ValueError("A lesson needs a name, e.g. start_lesson('00_setup').")
    backend = backend or get_backend()
    secret_key, publishable_key = backend.keys_for(name)
    if backend.offline:
        parts = urllib.parse.urlsplit(backend.api_base)
        if parts.hostname in LOOPBACK and parts.port:
            ensure_emulator(parts.port)
        elif not emulator_health(backend.api_base, timeout=5):
            raise RuntimeError(f"No emulator answers at {backend.api_base}.")
        _reset(backend.api_base, secret_key, FROZEN_AT)
    # The module-level configuration, for code written as `stripe.Customer.create(...)`.
    stripe.api_key = secret_key
    stripe.api_base = backend.api_base
    stripe.api_version = backend.api_version
    stripe.max_network_retries = 0 if backend.offline else 2
    return Lesson(name, backend, secret_key, publishable_key)
