"""What a request changed in an account, for durable state (persistence.py writes it).

`track(account, changes)` switches the account's containers to tracking subclasses of their
own classes (each keeps its contents and behaviour): every Collection and Index attribute, the
Link accounts, the deleted-customer ids and the idempotency keys. Each notes in `Changes` the
rows a request touched, keyed by (kind, key) where kind is the account's attribute name:

- `insert`  the key is new (or was removed earlier in the request): a new row at the end, as
            the container puts it at the end of its order;
- `update`  stored again under a key it has: the row is rewritten where it stands;
- `fetched` handed out by `get`: handlers change stored objects in place, so a fetched object is
            rewritten after a request that may change things (not after a GET, which reads);
- `ensure`  an index membership that may already exist (kept where it stands if so);
- `delete`  removed.
Collections that drop their oldest entries (events) count the drops: the writer removes as many
of the kind's oldest rows. Id streams note their own draws (`IdGenerator.drawn`).
"""

from __future__ import annotations

import collections
import functools
import threading
from typing import Any

from .compact import CompactCollection
from .idempotency import IdempotencyKeys
from .store import Account, Collection, Index

INDEX_SEPARATOR = "\x1f"  # between an index's group and its member: neither is a free-form name
DELETED_CUSTOMERS = "deleted_customers"
LINK_ACCOUNTS = "link_accounts"
IDEMPOTENCY = "idempotency"


class Changes:
    """The rows one account's requests touched since the last write. Requests note them under
    the account's lock, but a webhook worker thread may fetch an endpoint at any time: every
    note and `take` holds this object's own lock."""

    def __init__(self) -> None:
        self.ops: dict[tuple[str, str], tuple[str, Any]] = {}
        self.pruned: collections.Counter[str] = collections.Counter()
        self.recording = True
        self._lock = threading.Lock()

    def put(self, kind: str, key: str, value: Any, new: bool) -> None:
        if not self.recording:
            return
        with self._lock:
            current = self.ops.get((kind, key), ("",))[0]
            if new:  # at the end of the order, also among this request's writes
                self.ops.pop((kind, key), None)
            self.ops[(kind, key)] = ("insert" if new or current == "insert" else "update", value)

    def fetched(self, kind: str, key: str, value: Any) -> None:
        if self.recording and value is not None:
            with self._lock:
                self.ops.setdefault((kind, key), ("fetched", value))

    def ensure(self, kind: str, key: str) -> None:
        if not self.recording:
            return
        with self._lock:
            current = self.ops.get((kind, key), ("",))[0]
            if current == "delete":  # removed, then added again: at the end
                del self.ops[(kind, key)]
                self.ops[(kind, key)] = ("insert", b"")
            elif not current:
                self.ops[(kind, key)] = ("ensure", b"")

    def delete(self, kind: str, key: str) -> None:
        if self.recording:
            with self._lock:
                self.ops.pop((kind, key), None)
                self.ops[(kind, key)] = ("delete", None)

    def prune(self, kind: str) -> None:
        if self.recording:
            with self._lock:
                self.pruned[kind] += 1

    def take(self) -> tuple[dict, collections.Counter]:
        """What was noted (now no longer noted here)."""
        with self._lock:
            taken = self.ops, self.pruned
            self.ops, self.pruned = {}, collections.Counter()
        return taken

    def give_back(self, ops: dict, pruned: collections.Counter) -> None:
        """Notes `take` returned that could not be written: the next write retries them."""
        with self._lock:
            self.ops = {**ops, **self.ops}
            self.pruned.update(pruned)

    def clear(self) -> None:
        self.take()


# --- the tracking subclasses: `_changes` and `_kind` are set on each instance by `track` ------


class _TrackedCollection:
    def add(self, obj: Any) -> Any:
        self._changes.put(self._kind, obj.id, obj, new=obj.id not in self)
        return super().add(obj)

    def get(self, object_id: str) -> Any | None:
        obj = super().get(object_id)
        self._changes.fetched(self._kind, object_id, obj)
        return obj

    def remove(self, object_id: str) -> None:
        self._changes.delete(self._kind, object_id)
        super().remove(object_id)

    def pop_oldest(self) -> None:
        self._changes.prune(self._kind)
        super().pop_oldest()

    def restore(self, key: str, value: Any) -> None:
        super().add(value)


class _TrackedIndex:
    def add(self, key: str, object_id: str) -> None:
        self._changes.ensure(self._kind, f"{key}{INDEX_SEPARATOR}{object_id}")
        super().add(key, object_id)

    def discard(self, key: str | None, object_id: str) -> None:
        if key is not None:
            self._changes.delete(self._kind, f"{key}{INDEX_SEPARATOR}{object_id}")
        super().discard(key, object_id)

    def restore(self, key: str, value: Any) -> None:
        group, _, member = key.partition(INDEX_SEPARATOR)
        super().add(group, member)


class _TrackedDict:
    """A dict of stored objects by key (Link accounts by email; idempotency keys)."""

    def __setitem__(self, key: str, value: Any) -> None:
        self._changes.put(self._kind, key, value, new=key not in self)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changes.delete(self._kind, key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self._changes.delete(self._kind, key)
        return super().pop(key, *default)

    def popitem(self, *args: Any, **kwargs: Any) -> tuple[str, Any]:
        key, value = super().popitem(*args, **kwargs)
        self._changes.delete(self._kind, key)
        return key, value

    def get(self, key: str, default: Any = None) -> Any:
        value = super().get(key)
        self._changes.fetched(self._kind, key, value)
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        self._changes.fetched(self._kind, key, value)
        return value

    def values(self):  # a search through every entry (Link sessions): each may change
        for key, value in super().items():
            self._changes.fetched(self._kind, key, value)
        return super().values()

    def restore(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)


class _TrackedIdempotency:
    """Idempotency keys: a row per kept key; one the bound forgets is deleted."""

    def _keep(self, key: str, entry: tuple) -> None:
        self._changes.put(self._kind, key, entry, new=key not in self._entries)
        super()._keep(key, entry)

    def _forget(self, key: str) -> None:
        self._changes.delete(self._kind, key)
        super()._forget(key)

    def restore(self, key: str, value: Any) -> None:
        super()._keep(key, value)


class _TrackedSet:
    """Ids only (deleted customers): a row per member."""

    def add(self, key: str) -> None:
        if key not in self:
            self._changes.put(self._kind, key, b"", new=True)
        super().add(key)

    def discard(self, key: str) -> None:
        self._changes.delete(self._kind, key)
        super().discard(key)

    def restore(self, key: str, value: Any) -> None:
        super().add(key)


@functools.cache
def _tracked_class(mixin: type, base: type) -> type:
    return type(f"Tracked{base.__name__}", (mixin, base), {})


def _watch(container: Any, mixin: type, changes: Changes, kind: str) -> Any:
    """`container` as an instance of its class's tracking subclass, same contents."""
    cls = _tracked_class(mixin, type(container))
    if isinstance(container, Collection | CompactCollection | Index | IdempotencyKeys):
        container.__class__ = cls  # keeps the instance and whatever it holds
        container._changes, container._kind = changes, kind
        return container
    tracked = cls()  # builtin containers cannot change class: a tracking copy replaces them
    tracked._changes, tracked._kind = changes, kind
    recording, changes.recording = changes.recording, False
    tracked.update(container)
    changes.recording = recording
    return tracked


def track(account: Account, changes: Changes) -> None:
    """Make every container of `account` note its changes in `changes`."""
    for kind, value in list(vars(account).items()):
        if isinstance(value, Collection | CompactCollection):
            _watch(value, _TrackedCollection, changes, kind)
        elif isinstance(value, Index):
            _watch(value, _TrackedIndex, changes, kind)
    account.link_accounts = _watch(account.link_accounts, _TrackedDict, changes, LINK_ACCOUNTS)
    account.idempotency = _watch(account.idempotency, _TrackedIdempotency, changes, IDEMPOTENCY)
    account.deleted_customers = _watch(
        account.deleted_customers, _TrackedSet, changes, DELETED_CUSTOMERS
    )
    account.ids.drawn = set()


def containers(account: Account) -> dict[str, Any]:
    """kind -> the tracked container of that name (what a stored row is restored into)."""
    return {
        kind: value
        for kind, value in vars(account).items()
        if isinstance(
            value,
            _TrackedCollection | _TrackedIndex | _TrackedDict | _TrackedSet | _TrackedIdempotency,
        )
    }
