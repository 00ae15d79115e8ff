"""In-memory state, partitioned per account (one account per secret key).

Served from memory always; with a state file (`Store(persistence)`, persistence.py) each
account is also restored from it on start and written through to it after every request
(`commit`); without one nothing is written to disk.

An account is named by its secret key's suffix; its publishable key is `keys.publishable_key_for`
of the secret key, learned here when the account is first used (the only way from a publishable
key back to its account). Ids are seeded from the account's name, or from the `seed` a reset
gave (helpers pass the lesson's name: the key has a random part, the ids must not).
"""

from __future__ import annotations

import collections
import threading
from typing import Any

from .clock import Clock
from .ids import IdGenerator, RequestIds, seed_for
from .keys import publishable_key_for

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

    def newest_first(self, key: str) -> list[str]:
        group = self._groups.get(key)
        return list(reversed(group)) if group else []


class Account:
    """One Stripe test-mode account: its objects, id generator, clock and logs."""

    def __init__(self, name: str, frozen_at: int | None = None, seed: str | None = None) -> None:
        self.name = name
        self.publishable_key = publishable_key_for(f"sk_test_{name}")
        self.seed = seed  # None: seeded from the name
        self.reseed(seed)
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

    def reseed(self, seed: str | None) -> None:
        """Fresh id generators seeded from `seed` (a reset's), or from the name when None."""
        self.seed = seed
        seed = self.name if seed is None else seed
        self.ids = IdGenerator(seed_for(seed))
        self.request_ids = RequestIds(seed_for(f"requests:{seed}"))

    def remember_idempotent(self, key: str, entry: tuple) -> None:
        self.idempotency[key] = entry
        if len(self.idempotency) > IDEMPOTENCY_KEYS_KEPT:
            self.idempotency.popitem(last=False)


class Store:
    """All accounts of one emulator process; `persistence` (persistence.Persistence, or None:
    memory only) restores them now and keeps each commit."""

    def __init__(self, persistence: Any = None) -> None:
        self._accounts: dict[str, Account] = {}
        self._by_publishable_key: dict[str, str] = {}  # publishable key -> account name
        self._lock = threading.Lock()
        self.persistence = persistence
        if persistence is not None:
            self._accounts.update(persistence.restore(self._new_account))
            for name, account in self._accounts.items():
                self._by_publishable_key[account.publishable_key] = name

    def _new_account(
        self, name: str, frozen_at: int | None = None, seed: str | None = None
    ) -> Account:
        account = Account(name, frozen_at, seed)
        if self.persistence is not None:
            self.persistence.track(account)
        return account

    def account(self, name: str) -> Account:
        """The account a secret key's suffix names (created empty on first use)."""
        account = self._accounts.get(name)
        if account is None:
            with self._lock:
                account = self._accounts.get(name)
                if account is None:
                    account = self._new_account(name)
                    if self.persistence is not None:  # one no longer in memory comes back
                        self.persistence.load(account)
                    self._accounts[name] = account
                    self._by_publishable_key[account.publishable_key] = name
        return account

    def account_of_publishable_key(self, key: str) -> Account | None:
        """The account whose publishable key this is, if its secret key was used already."""
        name = self._by_publishable_key.get(key)
        return None if name is None else self._accounts.get(name)

    def reset(self, name: str, frozen_at: int | None = None, seed: str | None = None) -> Account:
        with self._lock:
            if self.persistence is not None:
                self.persistence.forget(name)
            account = self._new_account(name, frozen_at, seed)
            self._accounts[name] = account
            self._by_publishable_key[account.publishable_key] = name
        self.commit(account)  # a frozen clock and the seed are part of the fresh account
        return account

    def reset_all(self) -> None:
        with self._lock:
            self._accounts.clear()
            self._by_publishable_key.clear()
            if self.persistence is not None:
                self.persistence.forget_all()

    def commit(self, account: Account, reads: bool = True) -> None:
        """Write what a request changed in `account` to the state file, if any (call holding
        the account's lock; `reads=False` for a GET: what it only fetched is unchanged)."""
        if self.persistence is not None and self._accounts.get(account.name) is account:
            self.persistence.commit(account, reads)

    def close(self) -> None:
        if self.persistence is not None:
            self.persistence.close()

    def names(self) -> list[str]:
        return list(self._accounts)
