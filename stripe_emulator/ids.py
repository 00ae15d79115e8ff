"""The emulator's only source of randomness: seeded, per-account id generators.

Ids must repeat exactly when a lesson re-runs, even though a browser sends several requests at
once (the three Element iframes call the API concurrently) and a notebook may poll in between.
So nothing here depends on the order in which unrelated requests arrive:

- object ids come from one seeded stream per prefix (`cus`, `seti`, `pm`, …): the n-th
  SetupIntent of an account always gets the same id, whatever Link sessions or reads happened
  between;
- client secrets are derived from their object's id (an HMAC), not drawn from a stream;
- request ids are derived from the request itself (method, path, parameters) and how many
  identical requests came before it: concurrent requests cannot swap ids, because two requests
  that would get each other's ids are identical.
"""

from __future__ import annotations

import hashlib
import hmac
import random

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Characters after the prefix, as in Stripe's test-mode objects (docs.stripe.com/api, object ids).
ID_LENGTHS = {
    "cus": 14,
    "seti": 24,
    "setatt": 24,
    "pm": 24,
    "pi": 24,
    "ch": 24,
    "evt": 24,
    "we": 24,
    "req": 14,
    "csmrtok": 24,
    "whsec": 32,
    "ctoken": 24,
}
SECRET_LENGTH = 25
# Distinct requests remembered for request-id numbering; past this the oldest are forgotten
# (their next repetition may then reuse an id: harmless for a log, and bounds memory).
REQUEST_FINGERPRINTS_KEPT = 50_000


def seed_for(name: str) -> int:
    """A stable integer seed derived from an account name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


# byte -> id character. 256 % 62 != 0, so the first 8 characters are slightly likelier: irrelevant
# for ids that only need to be unique and repeatable, and translating random bytes is ~10x faster
# than choosing characters one by one (ids are the emulator's hottest path).
_BYTE_TO_CHAR = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))


def _chars(raw: bytes) -> str:
    return raw.translate(_BYTE_TO_CHAR).decode("ascii")


class IdGenerator:
    """Seeded generator of Stripe-shaped ids and secrets: one independent stream per purpose."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._key = seed.to_bytes(8, "big")
        self._streams: dict[str, random.Random] = {}

    def _stream(self, name: str) -> random.Random:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(f"{self._seed}:{name}")
        return stream

    def token(self, length: int, stream: str = "token") -> str:
        """`length` id characters from the named stream."""
        return _chars(self._stream(stream).randbytes(length))

    def new(self, prefix: str) -> str:
        length = ID_LENGTHS.get(prefix, 24)
        if prefix in ("cus", "req"):
            return f"{prefix}_{self.token(length, prefix)}"
        # Stripe's 24-char ids start with a digit and a letter ("seti_1Pgag7...")
        return f"{prefix}_1{self.token(length - 1, prefix)}"

    def secret(self, object_id: str) -> str:
        """`<id>_secret_<…>`, derived from the id: the same object always has the same secret."""
        digest = hmac.new(self._key, object_id.encode(), hashlib.sha256).digest()
        return f"{object_id}_secret_{_chars(digest[:SECRET_LENGTH])}"

    def hex(self, length: int, stream: str = "hex") -> str:
        return self._stream(stream).randbytes((length + 1) // 2).hex()[:length]


class RequestIds:
    """Request ids from the request's content and how many identical requests preceded it."""

    def __init__(self, seed: int) -> None:
        self._key = seed.to_bytes(8, "big")
        self._seen: dict[bytes, int] = {}

    def next(self, fingerprint: str | bytes) -> str:
        if isinstance(fingerprint, str):
            fingerprint = fingerprint.encode()
        digest = hashlib.blake2b(fingerprint, digest_size=16, key=self._key).digest()
        count = self._seen.pop(digest, 0)
        self._seen[digest] = count + 1  # re-inserted: the dict's order is least recently seen
        if len(self._seen) > REQUEST_FINGERPRINTS_KEPT:
            del self._seen[next(iter(self._seen))]
        numbered = hashlib.blake2b(count.to_bytes(8, "big"), digest_size=14, key=digest).digest()
        return f"req_{_chars(numbered)}"
