"""The page's configuration, read once: environment first, then `.env` (Starlette `Config`).

Offline, `helpers` points `STRIPE_API_BASE` and `STRIPE_JS_URL` at the emulator; with the defaults
and real `sk_test_`/`pk_test_` keys the same app runs against Stripe test mode unchanged.
Live keys are refused: this app exists to teach and test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.config import Config

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_JS_URL = "https://js.stripe.com/v3/"
ENV_FILE = ".env"

_SECRET_RE = re.compile(r"^(sk|rk)_(test|live)_\w+$")
_PUBLISHABLE_RE = re.compile(r"^pk_(test|live)_\w+$")
_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")
_CUSTOMER_RE = re.compile(r"^cus_\w+$")


class SettingsError(ValueError):
    """A setting is missing or unusable; the message says which and what to do."""


@dataclass(frozen=True)
class Settings:
    """Everything the page needs. Secrets are kept out of `repr` so they never reach a log."""

    secret_key: str = field(repr=False)
    publishable_key: str
    api_base: str = DEFAULT_API_BASE
    js_url: str = DEFAULT_JS_URL
    webhook_secret: str | None = field(default=None, repr=False)
    api_version: str | None = None
    customer: str | None = None
    # Host names the page answers besides loopback (hosts.py): PAGE_ALLOWED_HOSTS, comma-separated.
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_key("STRIPE_SECRET_KEY", self.secret_key, _SECRET_RE, "sk_test_")
        _check_key("STRIPE_PUBLISHABLE_KEY", self.publishable_key, _PUBLISHABLE_RE, "pk_test_")
        if not self.api_base.startswith(("http://", "https://")):
            raise SettingsError(f"STRIPE_API_BASE must be an http(s) URL, got {self.api_base!r}.")
        # The browser loads Stripe.js: a path (/user/alice/proxy/12111/v3/ behind a JupyterHub)
        # is on the page's own host.
        js = self.js_url
        if not (js.startswith(("http://", "https://")) or (js.startswith("/") and js[1:2] != "/")):
            raise SettingsError(
                f"STRIPE_JS_URL must be an http(s) URL or a path from /, got {js!r}."
            )
        if self.webhook_secret is not None and not self.webhook_secret.startswith("whsec_"):
            raise SettingsError("STRIPE_WEBHOOK_SECRET must start with whsec_.")
        if self.api_version is not None and not _VERSION_RE.match(self.api_version):
            raise SettingsError(
                f"STRIPE_API_VERSION must look like 2024-04-10 or 2026-09-30.endive, "
                f"got {self.api_version!r}."
            )
        if self.customer is not None and not _CUSTOMER_RE.match(self.customer):
            raise SettingsError(
                f"STRIPE_CUSTOMER must be a customer id (cus_…), got {self.customer!r}."
            )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, env_file: str | None = ENV_FILE
    ) -> Settings:
        """Settings from `environ`, then `env_file` (skipped when absent)."""
        if env_file is not None and not os.path.isfile(env_file):
            env_file = None
        config = Config(env_file, environ=environ)

        def optional(name: str) -> str | None:
            return config(name, default=None) or None

        secret_key = optional("STRIPE_SECRET_KEY")
        publishable_key = optional("STRIPE_PUBLISHABLE_KEY")
        missing = [
            name
            for name, value in (
                ("STRIPE_SECRET_KEY", secret_key),
                ("STRIPE_PUBLISHABLE_KEY", publishable_key),
            )
            if value is None
        ]
        if missing:
            raise SettingsError(
                f"{' and '.join(missing)} not set: put your test-mode keys in the environment or "
                f"in {ENV_FILE} (helpers sets them for the offline emulator)."
            )
        return cls(
            secret_key=secret_key,
            publishable_key=publishable_key,
            api_base=optional("STRIPE_API_BASE") or DEFAULT_API_BASE,
            js_url=optional("STRIPE_JS_URL") or DEFAULT_JS_URL,
            webhook_secret=optional("STRIPE_WEBHOOK_SECRET"),
            api_version=optional("STRIPE_API_VERSION"),
            customer=optional("STRIPE_CUSTOMER"),
            allowed_hosts=tuple(
                name.strip().lower()
                for name in (optional("PAGE_ALLOWED_HOSTS") or "").split(",")
                if name.strip()
            ),
        )


def _check_key(name: str, value: str, pattern: re.Pattern, example: str) -> None:
    match = pattern.match(value or "")
    if not match:
        raise SettingsError(f"{name} is not a Stripe API key (expected {example}…).")
    if "_live_" in value[:8]:
        raise SettingsError(
            f"{name} is a live-mode key. Link Lab only runs in test mode: use your {example}… "
            "key from the Stripe Dashboard (Developers → API keys, test mode), or no key at all "
            "for the offline emulator."
        )
