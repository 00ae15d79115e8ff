"""Which Stripe the lessons talk to: the offline emulator (the default) or real test mode.

Configuration is read once per process (`get_backend()`): environment variables first, then `.env`
at the repository root (Starlette `Config`). `.env.example` documents every setting in `SETTINGS`.

- `STRIPE_SECRET_KEY` set to a test key (`sk_test_…`/`rk_test_…`) selects real Stripe test mode.
- `LINKLAB_BACKEND=emulator|stripe` forces one backend.
- Live keys (`sk_live_`, `rk_live_`, `pk_live_`) are refused wherever they appear.
- On a JupyterHub (`JUPYTERHUB_USER` set by the hub) every attendee gets their own emulator port,
  page ports and accounts (`helpers.hub`), and browser-facing URLs go through the hub's proxy.
Keys are never shown in full: `mask_key` keeps the first 8 and last 4 characters, like Stripe.
Offline, each lesson's keys are this user's own (`keys_for`, helpers.keys).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import stripe
from starlette.config import Config

from . import hub, keys

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = REPO_ROOT / ".env"

EMULATOR_PORT = 12111
# Lesson NN's checkout page listens on PAGE_PORTS + NN (LINKLAB_PAGE_PORTS moves the range).
PAGE_PORTS = 4300
EMULATOR_API_BASE = f"http://127.0.0.1:{EMULATOR_PORT}"
STRIPE_API_BASE = "https://api.stripe.com"
# Stripe.js v3, the URL the embedded page defaults to (@stripe/stripe-js accepts it, docs/facts/elements_ui.md#loading-stripejs).
STRIPE_JS_URL = "https://js.stripe.com/v3/"
# The emulator serves its Stripe.js stand-in under this path of its base URL (docs/architecture.md).
EMULATOR_JS_PATH = "/v3/"

# Every setting this module reads, in `.env.example` order.
SETTINGS = (
    "LINKLAB_BACKEND",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_API_BASE",
    "STRIPE_JS_URL",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_VERSION",
    "STRIPE_CUSTOMER",
    "LINKLAB_PAGE_PORTS",
)

LIVE_PREFIXES = ("sk_live_", "rk_live_", "pk_live_")
_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")

BackendName = Literal["emulator", "stripe"]


class BackendError(ValueError):
    """The configuration cannot be used; the message says which setting to change."""


def mask_key(key: str) -> str:
    """As Stripe masks keys: the first 8 and last 4 characters kept, the rest starred."""
    if len(key) <= 12:
        return "*" * max(0, len(key) - 4) + key[-4:]
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


def mask_client_secret(secret: str) -> str:
    """`seti_…_secret_abc…` -> `seti_…_secret_****`: the intent id stays, the secret does not."""
    intent, sep, _ = secret.partition("_secret_")
    return f"{intent}{sep}****" if sep else mask_key(secret)


@dataclass(frozen=True)
class Backend:
    """The chosen backend and its settings. Its repr never contains a key in full."""

    name: BackendName
    api_base: str
    stripe_js_url: str
    api_version: str
    secret_key: str | None = field(default=None, repr=False)
    publishable_key: str | None = field(default=None, repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    customer: str | None = None
    page_ports: int = PAGE_PORTS
    # On a JupyterHub: the attendee (their accounts are theirs alone) and the path under which
    # their browser reaches this server (`/user/alice/`): see helpers.hub.
    user: str | None = None
    service_prefix: str | None = None
    # Where this user's key secret lives (helpers.keys); None: the default place.
    secret_file: Path | None = field(default=None, repr=False)

    @property
    def offline(self) -> bool:
        return self.name == "emulator"

    def keys_for(self, lesson: str) -> tuple[str, str]:
        """(secret, publishable) keys for a lesson.

        On the emulator every `sk_test_…` key is its own account, so each lesson gets keys derived
        from its name and this user's secret (helpers.keys: `sk_test_<24 random>_<lesson>`,
        unguessable, stable on this machine): its objects never mix with another lesson's. On a
        JupyterHub the attendee goes into the derivation too, so two attendees running the same
        lesson never share an account. Real test mode has one account.
        """
        if not self.offline:
            if self.secret_key is None:  # load_backend guarantees it; kept for direct construction
                raise BackendError("STRIPE_SECRET_KEY is required for real Stripe test mode.")
            return self.secret_key, self.publishable_key or ""
        secret = keys.user_secret(self.secret_file or keys.secret_path())
        return keys.lesson_keys(secret, lesson, self.user)

    def __repr__(self) -> str:
        shown = {
            "name": self.name,
            "api_base": self.api_base,
            "api_version": self.api_version,
            "secret_key": self.secret_key and mask_key(self.secret_key),
            "publishable_key": self.publishable_key and mask_key(self.publishable_key),
            "webhook_secret": self.webhook_secret and mask_key(self.webhook_secret),
            "customer": self.customer,
            "user": self.user,
        }
        return "Backend(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


def _check_key(setting: str, value: str, allowed: tuple[str, ...]) -> str:
    if value.startswith(LIVE_PREFIXES):
        raise BackendError(
            f"{setting} holds a live-mode key ({mask_key(value)}). Link Lab only runs in test "
            "mode: use a test key from https://dashboard.stripe.com/test/apikeys, or unset "
            f"{setting} to use the offline emulator."
        )
    if not value.startswith(allowed):
        raise BackendError(
            f"{setting} must start with {' or '.join(allowed)}; got {mask_key(value)}."
        )
    return value


def _url(setting: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BackendError(f"{setting} must be an http(s) URL; got {value!r}.")
    return value.rstrip("/")


def load_backend(
    environ: Mapping[str, str] | None = None, env_file: Path | None = ENV_FILE
) -> Backend:
    """Read the settings (environ first, then `env_file` if it exists) and choose a backend."""
    env_file = env_file if env_file is not None and env_file.is_file() else None
    environ = os.environ if environ is None else environ
    config = Config(env_file, environ=environ)
    # Set by JupyterHub for the attendee's server (never read from .env: it names who runs it).
    user = (environ.get("JUPYTERHUB_USER") or "").strip() or None
    ports = hub.user_ports(user) if user else None

    def setting(name: str) -> str | None:
        return (config(name, default="") or "").strip() or None

    forced = (setting("LINKLAB_BACKEND") or "").lower()
    if forced not in ("", "emulator", "stripe"):
        raise BackendError(f"LINKLAB_BACKEND must be 'emulator' or 'stripe'; got {forced!r}.")
    secret = setting("STRIPE_SECRET_KEY")
    publishable = setting("STRIPE_PUBLISHABLE_KEY")
    if secret is not None:
        _check_key("STRIPE_SECRET_KEY", secret, ("sk_test_", "rk_test_"))
    if publishable is not None:
        _check_key("STRIPE_PUBLISHABLE_KEY", publishable, ("pk_test_",))
    name = forced or ("stripe" if secret else "emulator")
    if name == "stripe" and secret is None:
        raise BackendError(
            "Real Stripe test mode needs STRIPE_SECRET_KEY (sk_test_…) and STRIPE_PUBLISHABLE_KEY "
            "(pk_test_…); set them in .env, or use LINKLAB_BACKEND=emulator."
        )

    api_base = setting("STRIPE_API_BASE")
    api_base = (
        _url("STRIPE_API_BASE", api_base)
        if api_base
        else (
            (f"http://127.0.0.1:{ports.emulator}" if ports else EMULATOR_API_BASE)
            if name == "emulator"
            else STRIPE_API_BASE
        )
    )
    js_url = setting("STRIPE_JS_URL")
    js_url = (
        _url("STRIPE_JS_URL", js_url)
        if js_url
        else (api_base + EMULATOR_JS_PATH if name == "emulator" else STRIPE_JS_URL)
    )
    version = setting("STRIPE_API_VERSION") or stripe.api_version
    if not _API_VERSION.match(version):
        raise BackendError(
            f"STRIPE_API_VERSION must look like 2026-10-28.endive or 2024-04-10; got {version!r}."
        )
    webhook_secret = setting("STRIPE_WEBHOOK_SECRET")
    if webhook_secret is not None and not webhook_secret.startswith("whsec_"):
        raise BackendError("STRIPE_WEBHOOK_SECRET must start with whsec_.")
    page_ports = setting("LINKLAB_PAGE_PORTS") or str(ports.pages if ports else PAGE_PORTS)
    if not page_ports.isdigit() or not 1024 <= int(page_ports) <= 65000:
        raise BackendError(
            f"LINKLAB_PAGE_PORTS must be a port number from 1024 to 65000; got {page_ports!r}."
        )
    customer = setting("STRIPE_CUSTOMER")
    if customer is not None and not customer.startswith("cus_"):
        raise BackendError(f"STRIPE_CUSTOMER must be a Customer id (cus_…); got {customer!r}.")
    return Backend(
        name=name,
        api_base=api_base,
        stripe_js_url=js_url,
        api_version=version,
        secret_key=secret,
        publishable_key=publishable,
        webhook_secret=webhook_secret,
        customer=customer,
        page_ports=int(page_ports),
        user=user,
        service_prefix=hub.service_prefix(environ),
        secret_file=keys.secret_path(environ),
    )


@functools.cache
def get_backend() -> Backend:
    """The process's backend, read once from the environment and `.env`."""
    return load_backend()
