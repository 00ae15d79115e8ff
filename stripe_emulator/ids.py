"""The emulator's only source of randomness: a seeded id generator per account.

Every account gets its own generator, seeded from the account's name, so a reset account
replays exactly the same ids and client secrets in the same order.
"""

from __future__ import annotations

import hashlib
import random

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Characters after the prefix, as in Stripe's test-mode objects (STRIPE_FACTS §1.1).
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


def seed_for(name: str) -> int:
    """A stable integer seed derived from an account name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


# byte -> id character. 256 % 62 != 0, so the first 8 characters are slightly likelier: irrelevant
# for ids that only need to be unique and repeatable, and translating random bytes is ~10x faster
# than choosing characters one by one (ids are the emulator's hottest path).
_BYTE_TO_CHAR = bytes(ord(ALPHABET[b % len(ALPHABET)]) for b in range(256))


class IdGenerator:
    """Seeded generator of Stripe-shaped ids and secrets."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def token(self, length: int) -> str:
        return self._rng.randbytes(length).translate(_BYTE_TO_CHAR).decode("ascii")

    def new(self, prefix: str) -> str:
        length = ID_LENGTHS.get(prefix, 24)
        if prefix in ("cus", "req"):
            return f"{prefix}_{self.token(length)}"
        # Stripe's 24-char ids start with a digit and a letter ("seti_1Pgag7...")
        return f"{prefix}_1{self.token(length - 1)}"

    def secret(self, object_id: str) -> str:
        return f"{object_id}_secret_{self.token(25)}"

    def hex(self, length: int) -> str:
        return self._rng.randbytes((length + 1) // 2).hex()[:length]


class RequestIds:
    """Request ids: deterministic per process, independent of account state."""

    def __init__(self, seed: int = 0) -> None:
        self._gen = IdGenerator(seed_for(f"requests:{seed}"))

    def next(self) -> str:
        return self._gen.new("req")
