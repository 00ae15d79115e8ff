"""The emulator's only source of randomness: seeded, per-account id generators, and the
cryptographic source (`secrets`) of everything that grants access.

Ids must repeat exactly when a lesson re-runs, even though a browser sends several requests at
once (the three Element iframes call the API concurrently) and a notebook may poll in between.
So nothing here depends on the order in which unrelated requests arrive:

- object ids come from one seeded stream per prefix (`cus`, `seti`, `pm`, …): the n-th
  SetupIntent of an account always gets the same id, whatever Link sessions or reads happened
  between;
- what grants access — client secrets, `whsec_` signing secrets, Link persistent tokens, Link
  session secrets — comes from `secrets`, never from a seeded stream (knowing an account's seed,
  i.e. its key or lesson name, must not let anyone compute them). Outputs mask them: a client
  secret shows only its intent id; the characters of a persistent token or signing secret that
  `mask_key` keeps (the first 8, the last 4) come from the seeded stream, so its masked form
  repeats from run to run while the 20+ characters between are random;
- request ids are derived from the request itself (method, path, parameters) and how many
  identical requests came before it: concurrent requests cannot swap ids, because two requests
  that would get each other's ids are identical.
"""

from __future__ import annotations

import hashlib
import random
import secrets

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
REQUEST_FINGERPRINTS_KEPT = 10_000


def seed_for(name: str) -> int:
    """A stable integer seed derived from an account name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


# byte -> id character. 256 % 62 != 0, so the first 8 characters are slightly likelier: irrelevant
# for ids that only need to be unique and repeatable, and translating random bytes is ~10x faster
# than choosing characters one by one (ids are the emulator's hottest path).
_BYTE_TO_CHAR = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))


def _chars(raw: bytes) -> str:
    return raw.translate(_BYTE_TO_CHAR).decode("ascii")


# Random bytes below 248 (4 x 62) map to ALPHABET uniformly; the rest are dropped.
_UNIFORM_BELOW = 256 - 256 % len(ALPHABET)
_REJECTED = bytes(range(_UNIFORM_BELOW, 256))


def unguessable(length: int) -> str:
    """`length` id characters from the cryptographic source, uniform over ALPHABET (random
    bytes translated, those that would bias the choice dropped: ~20x faster than choosing
    characters one by one, and a client secret is drawn on every intent)."""
    chars = b""
    while len(chars) < length:
        chars += secrets.token_bytes(2 * length).translate(_BYTE_TO_CHAR, _REJECTED)
    return chars[:length].decode("ascii")


class IdGenerator:
    """Seeded generator of Stripe-shaped ids and secrets: one independent stream per purpose."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._streams: dict[str, random.Random] = {}
        # Names of the streams drawn from since the owner last emptied it (durable state,
        # persistence.py, writes only those); None: nobody is watching.
        self.drawn: set[str] | None = None

    def untouched(self) -> bool:
        """No id or token drawn yet."""
        return not self._streams

    def _stream(self, name: str) -> random.Random:
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(f"{self._seed}:{name}")
        if self.drawn is not None:
            self.drawn.add(name)
        return stream

    def position(self, name: str) -> tuple:
        """Where stream `name` stands (random.Random.getstate): restoring it continues the stream."""
        return self._stream(name).getstate()

    def restore_position(self, name: str, position: tuple) -> None:
        self._stream(name).setstate(position)

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
        """`<id>_secret_<…>`: a client secret, random (shown masked as `<id>_secret_****`)."""
        return f"{object_id}_secret_{unguessable(SECRET_LENGTH)}"

    def secret_token(self, prefix: str) -> str:
        """A bearer token shaped like an id of `prefix` (`whsec_…`, `csmrtok_…`): random except
        the characters `mask_key` shows (the first 8, the last 4), which are the seeded id's, so
        a masked token reads the same on every run."""
        seeded = self.new(prefix)
        return f"{seeded[:8]}{unguessable(len(seeded) - 12)}{seeded[-4:]}"

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
