"""API keys: which account a key names, and the one rule that gives an account its publishable key.

Every `sk_test_<suffix>` key is its own account (named by the suffix); any suffix works, so a test
or a lesson picks its account by picking a key. The account's publishable key is **derived from
the secret key by a one-way hash** (`publishable_key_for`), so handing a publishable key to a
browser, as every page does, reveals nothing of the secret key: on api.stripe.com the two are
unrelated random strings too. The emulator cannot invert the hash, so it learns which account a
publishable key names when the account is first used with its secret key (`Store.account`); a
publishable key it has not learned is an invalid key (401), as on Stripe.

    publishable suffix = base62(SHA-256("linklab-publishable-key:" + secret key))[:24]
                         + the secret suffix's characters after its 24th

Helpers put a key's random part first and a readable tail after it
(`sk_test_<24 random>_<lesson>`), so the tail stays readable in the publishable key and both keys
mask (first 8, last 4 characters) to the same text on every machine, while the 24 hashed
characters hide the secret ones.
"""

from __future__ import annotations

import hashlib
import re

from .ids import ALPHABET

KEY_RE = re.compile(r"^(sk|pk|rk)_(test|live)_([A-Za-z0-9_]{1,200})$")
HASHED_CHARS = 24


def publishable_key_for(secret_key: str) -> str:
    """The publishable key of the account `secret_key` (`sk_test_…`/`rk_test_…`) names. The
    emulator is test mode only, so a live key names no account here: a ValueError says so."""
    match = KEY_RE.match(secret_key)
    if match and match.group(2) == "live":
        raise ValueError("live keys are refused: the emulator is Stripe test mode only (sk_test_…)")
    if not match or match.group(1) == "pk":
        raise ValueError("publishable_key_for takes a secret key (sk_test_… or rk_test_…)")
    suffix = match.group(3)
    return f"pk_test_{_hashed(f'sk_test_{suffix}')}{suffix[HASHED_CHARS:]}"


def _hashed(key: str) -> str:
    return base62(hashlib.sha256(f"linklab-publishable-key:{key}".encode()).digest(), HASHED_CHARS)


def base62(digest: bytes, length: int) -> str:
    """The first `length` base-62 digits (ids.ALPHABET, least significant first) of `digest`
    read as a number: 24 of the 43 a 256-bit digest has."""
    number, chars = int.from_bytes(digest), []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)
