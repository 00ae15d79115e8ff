"""One request's way through the pipeline (`EmulatorApp.handle`): what each step found out.

Handlers of the control routes, the 3-D Secure page and Stripe.js receive the `Call`; API
handlers receive a `Ctx` (context.py) built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .http_io import Request, Response
from .store import Account, Store


@dataclass
class Call:
    request: Request
    store: Store
    deliverer: Any = None  # webhooks.Deliverer, or None (no webhook delivery)
    surface: Any = None  # surfaces.Surface of its path
    route: Any = None  # routes.Route, once routed
    path_params: dict[str, str] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)  # decoded query + body
    account: Account | None = None
    key_kind: str | None = None  # "secret" | "publishable", once authenticated
    secret_key_presented: bool = False  # a sk_/rk_ key: its response is no browser's to read
    key_sent_as_field: bool = False  # Stripe.js's `key=` form field rather than a header
    api_version: str | None = None
    request_id: str | None = None
    idempotency_key: str | None = None
    received_at: float = 0.0
    fingerprint: tuple = ()  # api: (method, path, canonical parameters), for idempotency
    log_fields: dict[str, Any] | None = None  # a non-API request that the request log shows
    response: Response | None = None  # once rendered
    entry: dict | None = None  # its request-log entry, if any

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def path(self) -> str:
        return self.request.path

    def deliver(self, events: list) -> None:
        """Queue the webhook deliveries of events a request recorded."""
        if events and self.deliverer is not None and self.account is not None:
            self.deliverer.enqueue(self.account, events)
