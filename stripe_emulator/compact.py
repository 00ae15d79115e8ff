"""Compact storage of an account's objects: the recently used stay live, the rest are kept as
compressed bytes and rebuilt when asked for.

A card flow leaves six objects (Customer, PaymentMethod, SetupIntent, SetupAttempt,
PaymentIntent, Charge) that stay for the account's life, as on Stripe. As live Python objects
they take ~16 KB; objects of one type are alike, so a collection compresses each one's state
(the marshal of its `data` and private attributes) with zlib against a dictionary, the first
object of its class that it compacted: 140-350 bytes each with its id and table slot, ~1.5 KB
a flow (`make bench-memory`). What the API returns does not change: a rebuilt object is equal
to the one compacted.

Compacting costs ~20 us an object, so it is not done on the request path: an object that leaves
the hot set is compacted by `compact_pending()`, which the app calls once the response is sent
(Account.compact); without such calls a collection compacts by itself once `hot` objects wait.

Rules for callers (the API handlers follow them):
- `get(id)` returns the live object, rebuilt if it was compacted. It stays live until
  `hot` other objects of the collection were used after it and a response was sent, so change
  it in the request that got it (under the account's lock, as every handler does) and keep no
  reference across requests: a change made through a reference kept after its object was
  compacted is lost.
- `newest_first()` yields live objects as they are and rebuilt copies of compacted ones, which
  it does not make live: lists and filters read them, nobody changes them. A filter that scans
  far (`GET /v1/customers?email=` matching none of 100,000) rebuilds each object it passes,
  ~4 us each: ~0.45 s where live objects took ~0.09 s. Pages stop after `limit`, and a
  customer's payment methods come from its index, so neither scans.
- An attribute marshal cannot write (a shared test-card profile) is kept as a reference; an
  object whose `data` marshal cannot write stays live.
"""

from __future__ import annotations

import collections
import marshal
import threading
import zlib
from typing import Any

HOT_OBJECTS = 256  # live objects per collection: > any page (limit <= 100) plus its expansions
# zlib settings: level 1 is as small as 6 here (the dictionary does the work); a 4 KiB window
# (objects are smaller) and memLevel 4 make a compressor ~5x cheaper to set up than the defaults.
_LEVEL, _WBITS, _MEMLEVEL = 1, -12, 4
_PLAIN = (str, int, float, bool, type(None))


class _Cold:
    """A compacted object: its class, compressed state, and the attributes kept as references.
    (An object of the collection's first class with no references is kept as the bytes alone.)"""

    __slots__ = ("cls", "blob", "refs")

    def __init__(self, cls: type, blob: bytes, refs: tuple | None) -> None:
        # refs: (name, value, name, value, ...): a flat tuple is a third of a dict's size
        self.cls, self.blob, self.refs = cls, blob, refs


_COLD = (_Cold, bytes)  # the types of a compacted entry (objects are never bytes)


class CompactCollection:
    """store.Collection's interface (objects of one type in creation order, newest-first
    pagination by id), keeping only the `hot` most recently used objects live."""

    def __init__(self, hot: int | None = None) -> None:
        self._items: dict[str, Any] = {}
        self._hot: collections.OrderedDict[str, None] = collections.OrderedDict()  # LRU order
        self._hot_limit = HOT_OBJECTS if hot is None else hot
        self._zdicts: dict[type, bytes] = {}
        self._pending: list[str] = []  # left the hot set, to compact after the response
        self._thaw_lock = threading.Lock()

    def add(self, obj: Any) -> Any:
        self._items[obj.id] = obj
        self._touch(obj.id)
        return obj

    def get(self, object_id: str) -> Any | None:
        item = self._items.get(object_id)
        if type(item) in _COLD:
            with self._thaw_lock:
                item = self._items.get(object_id)
                if type(item) in _COLD:
                    item = self._items[object_id] = self._thaw(item)
        if item is not None:
            self._touch(object_id)
        return item

    def remove(self, object_id: str) -> None:
        self._items.pop(object_id, None)
        self._hot.pop(object_id, None)

    def __contains__(self, object_id: str) -> bool:
        return object_id in self._items

    def __len__(self) -> int:
        return len(self._items)

    def newest_first(self):
        thaw, cold = self._thaw, _COLD
        for item in reversed(self._items.values()):
            yield thaw(item) if type(item) in cold else item

    def cold_count(self) -> int:
        """How many objects are compacted (for tests and the benchmark)."""
        return sum(type(item) in _COLD for item in self._items.values())

    # -- internals --

    def compact_pending(self) -> None:
        """Compact the objects that left the hot set, unless used again since."""
        pending, hot = self._pending, self._hot
        if not pending:
            return
        self._pending = []
        for object_id in pending:
            if object_id not in hot:
                self._compact(object_id)

    def _touch(self, object_id: str) -> None:
        hot = self._hot
        try:
            hot.move_to_end(object_id)
        except KeyError:
            hot[object_id] = None
            if len(hot) > self._hot_limit:
                self._pending.append(hot.popitem(last=False)[0])
                if len(self._pending) > self._hot_limit:  # nobody calls compact_pending
                    self.compact_pending()

    def _compact(self, object_id: str) -> None:
        obj = self._items.get(object_id)
        if obj is None or type(obj) in _COLD:
            return
        state = dict(obj.__dict__)  # attribute order kept: a rebuilt object is identical
        data, state["data"] = state["data"], None
        refs = None
        for name, value in state.items():
            if not isinstance(value, _PLAIN) and not _marshals(value):
                refs = refs or {}
                refs[name] = value
        for name in refs or ():
            state[name] = None
        try:
            raw = marshal.dumps((data, state))
        except ValueError:  # something in `data` marshal cannot write: keep it live
            return
        cls = type(obj)
        zdict = self._zdicts.setdefault(cls, raw)
        packer = zlib.compressobj(
            _LEVEL, zlib.DEFLATED, _WBITS, _MEMLEVEL, zlib.Z_DEFAULT_STRATEGY, zdict
        )
        blob = packer.compress(raw) + packer.flush()
        first = next(iter(self._zdicts))
        if cls is first and refs is None:
            self._items[object_id] = blob
        else:
            flat = tuple(part for pair in refs.items() for part in pair) if refs else None
            self._items[object_id] = _Cold(cls, blob, flat)

    def _thaw(self, item: _Cold | bytes) -> Any:
        if type(item) is bytes:
            cls, blob, refs = next(iter(self._zdicts)), item, None
        else:
            cls, blob, refs = item.cls, item.blob, item.refs
        raw = zlib.decompressobj(_WBITS, self._zdicts[cls]).decompress(blob)
        data, state = marshal.loads(raw)
        state["data"] = data
        if refs:
            state.update(zip(refs[::2], refs[1::2], strict=True))
        obj = cls.__new__(cls)
        obj.__dict__.update(state)
        return obj


def _marshals(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True
