"""What one API request carries through the pipeline: account, key kind, version, ids."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from .store import Account

DEFAULT_API_VERSION = "2026-10-28.endive"
ENDIVE = "2026-09-30"  # `payment_method_types` no longer writable on intents from here on
DAHLIA_ALLOWED_TYPES = "2026-07-29"  # `allowed_payment_method_types` introduced
PERSISTENT_TOKEN_DEPRECATED = (
    "2024-06-20"  # Link persistent_token stops authenticating (docs/facts/link.md#persistent-token)
)


@dataclass
class Ctx:
    account: Account
    key_kind: str  # "secret" | "publishable"
    api_version: str
    request_id: str | None  # None: not an API request (the test 3-D Secure page)
    idempotency_key: str | None = None
    base_url: str = ""
    events: list[Any] = field(default_factory=list)  # events recorded by this request
    # Webhook endpoint hosts allowed besides loopback (resources/webhook_endpoint.py).
    allowed_webhook_hosts: frozenset[str] = frozenset()

    @property
    def publishable(self) -> bool:
        return self.key_kind == "publishable"

    def version_at_least(self, date: str) -> bool:
        return self.api_version[:10] >= date

    def now(self) -> int:
        return self.account.clock.now()


# Major releases (the version-name suffix) and the first date of each, from Stripe's changelog.
# Dahlia's first date is not in our sources, so clover and dahlia share its window loosely.
_MAJORS = (
    ("acacia", "2024-09-30", "2025-03-31"),
    ("basil", "2025-03-31", "2025-09-30"),
    ("clover", "2025-09-30", "2026-09-30"),
    ("dahlia", "2026-01-01", "2026-09-30"),
    ("endive", "2026-09-30", "9999-12-31"),
)
_VERSION_SHAPE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([a-z]+))?$")


@functools.lru_cache(maxsize=256)  # a handful of versions, every request: decided once each
def known_api_version(version: str) -> bool:
    """Whether Stripe could accept this `Stripe-Version`: a date no later than the newest version
    we know, and (for named versions) the name of the major release that date belongs to."""
    match = _VERSION_SHAPE.match(version)
    if not match:
        return False
    date, name = match.groups()
    if not ("2011-01-01" <= date <= DEFAULT_API_VERSION[:10]):
        return False
    if name is None:
        return True
    return any(name == major and start <= date < end for major, start, end in _MAJORS)
