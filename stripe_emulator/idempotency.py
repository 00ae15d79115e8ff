"""An account's idempotency keys: the response each keyed POST got, for replay.

stripe-python sends an Idempotency-Key with every POST, so an account sees one per write; the
emulator keeps the most recent ones, bounded both in number (KEYS_KEPT) and in bytes
(BYTES_KEPT): a replay needs only recent keys (Stripe forgets a key after 24 hours:
https://docs.stripe.com/api/idempotent_requests). A key costs its response body and ~350 bytes:
the request's parameters are kept as a 16-byte digest (they are only compared), the headers
shared with every other response. Bodies are not compressed: that shrank them ~4x but cost
~30 us a POST on the request path (`make bench-memory` for the bound, `make bench` for speed).
"""

from __future__ import annotations

import collections
import hashlib
import sys

from .http_io import Response

KEYS_KEPT = 10_000
BYTES_KEPT = 8 << 20  # per account
_ENTRY_OVERHEAD = 250  # bytes an entry costs besides its body and key: tuple, digest, dict slot


class IdempotencyKeys:
    """Key -> (request digest, stored response); the oldest forgotten first."""

    def __init__(self, keys_kept: int = KEYS_KEPT, bytes_kept: int = BYTES_KEPT) -> None:
        self._entries: collections.OrderedDict[str, tuple] = collections.OrderedDict()
        self._keys_kept, self._bytes_kept = keys_kept, bytes_kept
        self.bytes = 0  # what the kept entries cost, estimated

    def __len__(self) -> int:
        return len(self._entries)

    def remember(self, key: str, fingerprint: tuple, response: Response) -> None:
        """Keep `response` as the answer to `key` (a request with this fingerprint)."""
        entry = (_digest(fingerprint), response.status, response.body, tuple(response.headers))
        cost = _cost(key, entry)
        if cost > self._bytes_kept:  # larger than the whole budget: not kept
            return
        self._keep(key, entry)
        while len(self._entries) > self._keys_kept or self.bytes > self._bytes_kept:
            self._forget(next(iter(self._entries)))

    def _keep(self, key: str, entry: tuple) -> None:
        """Store `entry` as the newest (the state file's tracking overrides this and `_forget`)."""
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.bytes -= _cost(key, previous)
        self._entries[key] = entry
        self.bytes += _cost(key, entry)

    def _forget(self, key: str) -> None:
        self.bytes -= _cost(key, self._entries.pop(key))

    def lookup(self, key: str, fingerprint: tuple) -> tuple[bool, Response] | None:
        """None for an unknown key; else (whether the request matches, the stored response)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        digest, status, body, headers = entry
        return digest == _digest(fingerprint), Response(status, body, list(headers))


def _digest(fingerprint: tuple) -> bytes:
    """(method, path, canonical parameters as JSON bytes) -> 16 bytes."""
    method, path, canonical = fingerprint
    return hashlib.blake2b(
        b"%s %s %s" % (method.encode(), path.encode(), canonical), digest_size=16
    ).digest()


def _cost(key: str, entry: tuple) -> int:
    return _ENTRY_OVERHEAD + sys.getsizeof(key) + len(entry[2])
