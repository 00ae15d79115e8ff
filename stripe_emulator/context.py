"""What one API request carries through the pipeline: account, key kind, version, ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .store import Account

DEFAULT_API_VERSION = "2026-10-28.endive"
ENDIVE = "2026-09-30"  # `payment_method_types` no longer writable on intents from here on
DAHLIA_ALLOWED_TYPES = "2026-07-29"  # `allowed_payment_method_types` introduced
PERSISTENT_TOKEN_DEPRECATED = (
    "2024-06-20"  # Link persistent_token stops authenticating (STRIPE_FACTS §3.4)
)


@dataclass
class Ctx:
    account: Account
    key_kind: str  # "secret" | "publishable"
    api_version: str
    request_id: str
    idempotency_key: str | None = None
    base_url: str = ""
    events: list[Any] = field(default_factory=list)  # events recorded by this request

    @property
    def publishable(self) -> bool:
        return self.key_kind == "publishable"

    def version_at_least(self, date: str) -> bool:
        return self.api_version[:10] >= date

    def now(self) -> int:
        return self.account.clock.now()
