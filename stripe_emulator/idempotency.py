"""An account's idempotency keys: the response each keyed POST got, for replay.

stripe-python sends an Idempotency-Key with every POST, so an account sees one per write; the
emulator keeps the most recent ones, bounded both in number (KEYS_KEPT) and in bytes
(BYTES_KEPT): a replay needs only recent keys (Stripe forgets a key after 24 hours:
https://docs.stripe.com/api/idempotent_requests). What a key costs is kept small: the request's
parameters as a 16-byte digest (they are only compared), the response body zlib-compressed
(JSON shrinks ~4x), its headers shared with every other response.
"""

from __future__ import annotations

import collections
import hashlib
import sys
import zlib

from .http_io import Response

KEYS_KEPT = 10_000
BYTES_KEPT = 8 << 20  # per account
_ENTRY_OVERHEAD = 250  # bytes an entry costs besides its body and key: tuple, digest, dict slot
_LEVEL, _WBITS, _MEMLEVEL = 1, -12, 4  # raw deflate, 4 KiB window: cheap to set up (compact.py)


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
        packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEMLEVEL)
        body = packer.compress(response.body) + packer.flush()
        entry = (_digest(fingerprint), response.status, body, tuple(response.headers))
        cost = _cost(key, entry)
        if cost > self._bytes_kept:  # larger than the whole budget: not kept
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.bytes -= _cost(key, previous)
        self._entries[key] = entry
        self.bytes += cost
        while len(self._entries) > self._keys_kept or self.bytes > self._bytes_kept:
            old_key, old = self._entries.popitem(last=False)
            self.bytes -= _cost(old_key, old)

    def lookup(self, key: str, fingerprint: tuple) -> tuple[bool, Response] | None:
        """None for an unknown key; else (whether the request matches, the stored response)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        digest, status, body, headers = entry
        return digest == _digest(fingerprint), Response(
            status, zlib.decompress(body, _WBITS), list(headers)
        )


def _digest(fingerprint: tuple) -> bytes:
    return hashlib.blake2b("\n".join(fingerprint).encode(), digest_size=16).digest()


def _cost(key: str, entry: tuple) -> int:
    return _ENTRY_OVERHEAD + sys.getsizeof(key) + len(entry[2])
