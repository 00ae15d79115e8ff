"""In-memory state, partitioned per account (one account per secret key). Never written to disk."""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterator
from typing import Any

from .clock import Clock
from .ids import IdGenerator, RequestIds, seed_for

REQUEST_LOG_SIZE = 1000
IDEMPOTENCY_KEYS_KEPT = (
    10_000  # replays need recent keys only; bounds memory (stripe-python keys every POST)
)


class Collection:
    """Objects of one type in creation order; newest-first pagination by id."""

    def __init__(self, pruned: bool = False) -> None:
        # A pruned collection (events) drops its oldest entries: OrderedDict pops them in O(1),
        # where a plain dict would rescan the deleted slots at its front on every prune.
        self._items: dict[str, Any] = collections.OrderedDict() if pruned else {}

    def pop_oldest(self) -> None:
        self._items.popitem(last=False)  # type: ignore[call-arg]

    def add(self, obj: Any) -> Any:
        self._items[obj.id] = obj
        return obj

    def get(self, object_id: str) -> Any | None:
        return self._items.get(object_id)

    def remove(self, object_id: str) -> None:
        self._items.pop(object_id, None)

    def __contains__(self, object_id: str) -> bool:
        return object_id in self._items

    def __len__(self) -> int:
        return len(self._items)

    def newest_first(self):
        return reversed(self._items.values())


class Index:
    """Ordered ids grouped by a key (e.g. a customer's payment methods), for O(own) lists."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, None]] = collections.defaultdict(dict)

    def add(self, key: str, object_id: str) -> None:
        self._groups[key][object_id] = None

    def discard(self, key: str | None, object_id: str) -> None:
        if key is not None and key in self._groups:
            self._groups[key].pop(object_id, None)

    def newest_first(self, key: str) -> Iterator[str]:
        """Lazily, so a list page reads only its own ids (O(page), not O(group)); a caller
        that discards while iterating takes a list() first."""
        group = self._groups.get(key)
        return reversed(group) if group else iter(())


class Account:
    """One Stripe test-mode account: its objects, id generator, clock and logs."""

    def __init__(self, name: str, frozen_at: int | None = None) -> None:
        self.name = name
        self.ids = IdGenerator(seed_for(name))
        self.request_ids = RequestIds(seed_for(f"requests:{name}"))
        self.clock = Clock(frozen_at)
        self.lock = threading.RLock()
        self.customers = Collection()
        self.deleted_customers: set[str] = set()  # ids whose retrieve answers the deleted stub
        self.payment_methods = Collection()
        self.setup_intents = Collection()
        self.setup_attempts = Collection()
        self.payment_intents = Collection()
        self.charges = Collection()
        self.events = Collection(pruned=True)
        self.webhook_endpoints = Collection()
        self.pms_by_customer = Index()
        self.attempts_by_setup_intent = Index()
        self.link_accounts: dict[str, Any] = {}  # by email (issue: Link)
        self.link_tokens: dict[str, str] = {}  # persistent token -> email
        self.idempotency: collections.OrderedDict[str, tuple] = collections.OrderedDict()
        self.request_log: collections.deque[dict] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.deliveries: collections.deque[dict] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.event_seq = 0

    def remember_idempotent(self, key: str, entry: tuple) -> None:
        self.idempotency[key] = entry
        if len(self.idempotency) > IDEMPOTENCY_KEYS_KEPT:
            self.idempotency.popitem(last=False)


class Store:
    """All accounts of one emulator process."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._lock = threading.Lock()

    def account(self, name: str) -> Account:
        account = self._accounts.get(name)
        if account is None:
            with self._lock:
                account = self._accounts.setdefault(name, Account(name))
        return account

    def reset(self, name: str, frozen_at: int | None = None) -> Account:
        with self._lock:
            account = Account(name, frozen_at)
            self._accounts[name] = account
        return account

    def reset_all(self) -> None:
        with self._lock:
            self._accounts.clear()

    def names(self) -> list[str]:
        return list(self._accounts)
