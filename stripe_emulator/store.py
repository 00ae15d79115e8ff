"""In-memory state, partitioned per account (one account per secret key).

Served from memory always; with a state file (`Store(persistence)`, persistence.py) each
account is also restored from it on start and written through to it after every request
(`commit`); without one nothing is written to disk.

An account is named by its secret key's suffix; its publishable key is `keys.publishable_key_for`
of the secret key, learned here when the account is first used (the only way from a publishable
key back to its account). Ids are seeded from the account's name, or from the `seed` a reset
gave (helpers pass the lesson's name: the key has a random part, the ids must not).

Accounts kept in memory (`Store`): any key names an account, so a page that sends many keys would make
many. Beyond ACCOUNTS_KEPT accounts, the least recently used are dropped when creating another:
first blank ones (nothing ever created, no id drawn, clock never set: dropping one is unseen but
for its request log, since its key makes the same blank account again; with a state file a
dropped account is read back on its next request), then accounts idle for
more than IDLE_SECONDS. An account used in the last IDLE_SECONDS that holds anything is never
dropped, nor one with webhook deliveries still queued or waiting for a retry (`Store.in_use`):
they go on updating the account the store holds. Objects of a kept account are never pruned (compact.py keeps them small); its
events, request log, idempotency keys and request-id counters are bounded.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .clock import Clock, monotonic
from .compact import CompactCollection
from .idempotency import IdempotencyKeys
from .ids import IdGenerator, RequestIds, seed_for
from .keys import publishable_key_for

REQUEST_LOG_SIZE = 1000
ACCOUNTS_KEPT = 1000  # beyond this, idle accounts are dropped (module docstring)
IDLE_SECONDS = 3600.0


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
        # A group of one id (most: a customer's one card) is the id itself, not a dict (~200 B).
        self._groups: dict[str, str | dict[str, None]] = {}

    def add(self, key: str, object_id: str) -> None:
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = object_id
        elif isinstance(group, str):
            if group != object_id:
                self._groups[key] = {group: None, object_id: None}
        else:
            group[object_id] = None

    def discard(self, key: str | None, object_id: str) -> None:
        group = self._groups.get(key) if key is not None else None
        if group == object_id:
            del self._groups[key]
        elif isinstance(group, dict):
            group.pop(object_id, None)

    def newest_first(self, key: str) -> Iterator[str]:
        """Lazily, so a list page reads only its own ids (O(page), not O(group)); a caller
        that discards while iterating takes a list() first."""
        group = self._groups.get(key)
        if isinstance(group, str):
            return iter((group,))
        return reversed(group) if group else iter(())


class Account:
    """One Stripe test-mode account: its objects, id generator, clock and logs."""

    def __init__(self, name: str, frozen_at: int | None = None, seed: str | None = None) -> None:
        self.name = name
        self.publishable_key = publishable_key_for(f"sk_test_{name}")
        self.reseed(seed)
        self.clock = Clock(frozen_at)
        self.lock = threading.RLock()
        self.customers = CompactCollection()
        self.deleted_customers: set[str] = set()  # ids whose retrieve answers the deleted stub
        self.payment_methods = CompactCollection()
        self.setup_intents = CompactCollection()
        self.setup_attempts = CompactCollection()
        self.payment_intents = CompactCollection()
        self.charges = CompactCollection()
        self.events = Collection(pruned=True)
        self.webhook_endpoints = Collection()
        self.pms_by_customer = Index()
        self.attempts_by_setup_intent = Index()
        self.link_accounts: dict[str, Any] = {}  # by email (issue: Link)
        self.link_tokens: dict[str, str] = {}  # persistent token -> email
        self.idempotency = IdempotencyKeys()
        self.request_log: collections.deque[dict] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.deliveries: collections.deque[dict] = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.event_seq = 0
        self.last_used = monotonic()

    def reseed(self, seed: str | None) -> None:
        """Fresh id generators seeded from `seed` (a reset's), or from the name when None."""
        self.seed = seed  # kept: a state file restores an account with its reset's seed
        seed = self.name if seed is None else seed
        self.ids = IdGenerator(seed_for(seed))
        self.request_ids = RequestIds(seed_for(f"requests:{seed}"))

    def compact(self) -> None:
        """Compact the objects that left their collection's hot set (compact.py); the app calls
        it after sending a response, off the request's path."""
        with self.lock:
            for value in vars(self).values():
                if isinstance(value, CompactCollection):
                    value.compact_pending()

    def blank(self) -> bool:
        """Nothing was ever created, drawn or set here: the same key makes an equal account."""
        return (
            self.ids.untouched()
            and self.clock.untouched()
            and not self.link_accounts
            and not self.link_tokens
            and not self.deleted_customers
            and not len(self.webhook_endpoints)
        )


class Store:
    """All accounts of one emulator process; `persistence` (persistence.Persistence, or None:
    memory only) restores them now and keeps each commit."""

    def __init__(
        self,
        persistence: Any = None,
        accounts_kept: int = ACCOUNTS_KEPT,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        # Least recently used first (move_to_end is atomic: no gap where the name is missing).
        self._accounts: collections.OrderedDict[str, Account] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.accounts_kept, self.idle_seconds = accounts_kept, idle_seconds
        self._next_sweep = accounts_kept
        self._by_publishable_key: dict[str, str] = {}  # publishable key -> account name
        # Whether something still works for an account (webhook deliveries: the app sets it to
        # webhooks.Deliverer.has_work): such an account is not idle, whatever its last request.
        self.in_use: Callable[[Account], bool] = lambda account: False
        self.persistence = persistence
        if persistence is not None:
            self._accounts.update(persistence.restore(self._new_account))

    def _new_account(
        self, name: str, frozen_at: int | None = None, seed: str | None = None
    ) -> Account:
        """A new account object (holding the lock, or before any request): its publishable key
        learned, and with a state file its changes tracked."""
        account = Account(name, frozen_at, seed)
        self._by_publishable_key[account.publishable_key] = name
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
                    if len(self._accounts) > self._next_sweep:
                        self._sweep(keep=name)
        try:
            self._accounts.move_to_end(name)
        except KeyError:  # reset_all or a sweep just dropped it: this request still has it
            pass
        account.last_used = monotonic()
        return account

    def account_of_publishable_key(self, key: str) -> Account | None:
        """The account whose publishable key this is, if its secret key was used already."""
        name = self._by_publishable_key.get(key)
        if name is None:
            return None
        # With a state file, an account dropped from memory is read back (as by its secret key).
        return self.account(name) if self.persistence is not None else self._accounts.get(name)

    def reset(self, name: str, frozen_at: int | None = None, seed: str | None = None) -> Account:
        with self._lock:
            if self.persistence is not None:
                self.persistence.forget(name)
            account = self._new_account(name, frozen_at, seed)
            self._accounts[name] = account
            self._accounts.move_to_end(name)
        self.commit(account)  # a frozen clock and the seed are part of the fresh account
        return account

    def _sweep(self, keep: str) -> None:
        """Drop least recently used accounts beyond `accounts_kept` (module docstring); holds
        the lock; `keep` (the account being created for a request) stays. The next sweep waits for
        a quarter more accounts: creating one stays O(1) amortized."""
        excess = len(self._accounts) - self.accounts_kept
        idle_before = monotonic() - self.idle_seconds
        dropped = []
        for name, account in list(self._accounts.items()):
            if len(dropped) == excess:
                break
            if name == keep or not (account.blank() or account.last_used < idle_before):
                continue
            if not self.in_use(account):
                dropped.append(name)
        for name in dropped:
            account = self._accounts.pop(name)
            if self.persistence is None or account.blank():  # nothing to read back
                self._by_publishable_key.pop(account.publishable_key, None)
            if self.persistence is not None:
                self.persistence.untrack(name)
        self._next_sweep = len(self._accounts) + max(1, self.accounts_kept // 4)

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

    def accounts(self) -> list[Account]:
        """The accounts in memory (all of them just after a restore)."""
        return list(self._accounts.values())
