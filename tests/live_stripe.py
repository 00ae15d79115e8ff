"""The contract run: tests marked `live_stripe` against real Stripe test mode (`make test-live`).

The same tests run on the emulator in every `pytest`; with `LINKLAB_LIVE_STRIPE=1` only they run,
and their `client` talks to Stripe with `STRIPE_SECRET_KEY` (a `sk_test_…` key: live keys are
refused before any test runs), so any difference between the emulator and test mode fails a test:
the live run is the emulator's drift check (PaperTiger's contract tests, moto's `aws_verified`).
`LINKLAB_LIVE_API_BASE` points the run at another API base (the mechanics tests point it at an
emulator: nobody here can reach Stripe). What a test creates through `client` (or
`legacy_client`, the same on an older API version) — customers, PaymentIntents, SetupIntents,
webhook endpoints — is deleted or canceled when it ends, including the intent a refused confirmation
created (a 402 decline embeds it). PaymentMethods need nothing: those attached to a customer are
detached when it is deleted, and an unattached one cannot be used again by anyone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import stripe

ENV_FLAG = "LINKLAB_LIVE_STRIPE"
ENV_API_BASE = "LINKLAB_LIVE_API_BASE"
MARKER = "live_stripe"
STRIPE_API = "https://api.stripe.com"
# POST to these paths creates an object of the account; teardown removes what they returned.
CREATED = ("/v1/customers", "/v1/payment_intents", "/v1/setup_intents", "/v1/webhook_endpoints")
# A refused request may still have created an intent (a declined `confirm=true`): its error says so.
EMBEDDED = {"payment_intent": "/v1/payment_intents", "setup_intent": "/v1/setup_intents"}


def enabled() -> bool:
    return os.environ.get(ENV_FLAG) == "1"


def secret_key() -> str:
    """The key of the live run, or the reason it cannot run (ValueError)."""
    key = os.environ.get("STRIPE_SECRET_KEY", "")
    if key.startswith(("sk_live_", "rk_live_", "pk_live_")):
        raise ValueError(
            "make test-live refuses live keys: it creates and deletes objects. "
            "Use STRIPE_SECRET_KEY=sk_test_… (Dashboard → Developers → API keys, test mode)."
        )
    if not key.startswith("sk_test_"):
        raise ValueError(
            "make test-live needs STRIPE_SECRET_KEY=sk_test_… (a test-mode secret key)."
        )
    return key


def api_base() -> str:
    return os.environ.get(ENV_API_BASE) or STRIPE_API


class RecordingHTTPClient(stripe.RequestsClient):
    """stripe-python's default HTTP client, noting the id of every object a request created."""

    def __init__(self) -> None:
        super().__init__()
        self.created: list[tuple[str, str]] = []  # (collection path, id), in creation order

    def request(self, method: str, url: str, headers: Mapping[str, str] | None, post_data=None):
        content, status, response_headers = super().request(method, url, headers, post_data)
        path = urlsplit(url).path
        if method.lower() == "post" and status == 200 and path in CREATED:
            self.created.append((path, json.loads(content)["id"]))
        elif method.lower() == "post" and status >= 400:
            self._note_embedded(content)
        return content, status, response_headers

    def _note_embedded(self, content: bytes | str) -> None:
        try:
            error = json.loads(content)["error"]
        except (ValueError, KeyError, TypeError):
            return
        for field, path in EMBEDDED.items():
            embedded = error.get(field) if isinstance(error, dict) else None
            noted = (path, embedded.get("id")) if isinstance(embedded, dict) else None
            if noted and noted[1] and noted not in self.created:
                self.created.append(noted)


def _remove(cleaner: stripe.StripeClient, path: str, object_id: str) -> None:
    v1 = cleaner.v1
    if path == "/v1/customers":
        v1.customers.delete(object_id)
    elif path == "/v1/webhook_endpoints":
        v1.webhook_endpoints.delete(object_id)
    elif path == "/v1/payment_intents":
        if v1.payment_intents.retrieve(object_id).status not in ("succeeded", "canceled"):
            v1.payment_intents.cancel(object_id)
    elif v1.setup_intents.retrieve(object_id).status not in ("succeeded", "canceled"):
        v1.setup_intents.cancel(object_id)


def cleanup(key: str, base: str, created: list[tuple[str, str]]) -> list[str]:
    """Delete customers and webhook endpoints, cancel open intents (newest first); the errors it
    met, if any."""
    cleaner = stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=2)
    problems = []
    for path, object_id in reversed(created):
        try:
            _remove(cleaner, path, object_id)
        except stripe.StripeError as exc:
            if getattr(exc, "code", None) != "resource_missing":  # the test removed it itself
                problems.append(f"{object_id}: {exc.user_message}")
    return problems


def client(stripe_version: str | None = None) -> Iterator[stripe.StripeClient]:
    """A test's client on real test mode (on `stripe_version`, else stripe-python's pinned one);
    removes what the test created afterwards."""
    key, base = secret_key(), api_base()
    recorder = RecordingHTTPClient()
    yield stripe.StripeClient(
        key,
        base_addresses={"api": base},
        http_client=recorder,
        max_network_retries=2,
        stripe_version=stripe_version,
    )
    problems = cleanup(key, base, recorder.created)
    if problems:
        raise AssertionError("live_stripe cleanup failed: " + "; ".join(problems))


def deselect_others(config: Any, items: list) -> None:
    """In a live run only `live_stripe` tests run; the others are deselected (and reported)."""
    keep = [item for item in items if item.get_closest_marker(MARKER)]
    dropped = [item for item in items if not item.get_closest_marker(MARKER)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
