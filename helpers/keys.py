"""The emulator keys of this user's lessons: unguessable, yet the same every time on this machine.

The emulator makes every `sk_test_…` key its own account, so a key is all it takes to read or
reset an account, and to register a webhook endpoint on it. Keys must therefore not be guessable
from what anyone else knows (a lesson's name, the publishable key a page hands out):

- **A per-user secret** (32 random bytes from `secrets`) is kept in
  `${XDG_CONFIG_HOME:-~/.config}/linklab/secret` (`LINKLAB_SECRET_FILE` names another file: tests
  use it), created atomically on first use with mode 0600 in a 0700 directory, so only this user
  reads it. A secret file that others can read or that another user owns is refused.
- **A lesson's secret key** is `sk_test_<24 characters>_<lesson>`: the 24 characters are an
  HMAC-SHA256 of the hub user (if any) and the lesson's name under that secret. The same user on
  the same machine always gets the same key (a restarted emulator or notebook finds its account
  again); nobody else can compute it. The random part comes first and has a fixed length, so the
  masked key (`mask_key`: first 8 and last 4 characters) reads the same on every machine and the
  notebooks' outputs do not change.
- **Its publishable key** is the emulator's rule, `stripe_emulator.keys.publishable_key_for` (a
  one-way hash of the secret key: it reveals nothing of it).
- **Its ids** are seeded from `account_seed(lesson)` (the lesson resets its account with that seed),
  not from the key, so the ids in a lesson's output are the same on every machine.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from stripe_emulator.keys import base62, publishable_key_for

ENV_SECRET_FILE = "LINKLAB_SECRET_FILE"
SECRET_BYTES = 32
RANDOM_CHARS = 24
_SLUG = re.compile(r"[^A-Za-z0-9]+")


class KeySecretError(RuntimeError):
    """The per-user secret cannot be used safely; the message says what to do."""


def secret_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where this user's secret lives (the given environment first, then the process's)."""
    env = {**os.environ, **(environ or {})}
    if env.get(ENV_SECRET_FILE):
        return Path(env[ENV_SECRET_FILE]).expanduser()
    config = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "linklab" / "secret"


def user_secret(path: Path) -> bytes:
    """The secret in `path`, created (0600, directory 0700) if there is none yet."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written to a private temporary file, then linked into place: a concurrent reader never sees
    # a half-written secret, and of two processes creating it at once, one wins and both read it.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(SECRET_BYTES) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd) as file:
        info = os.fstat(file.fileno())
        if info.st_uid != os.getuid():
            raise KeySecretError(f"{path} belongs to another user: remove it (it is recreated).")
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise KeySecretError(
                f"{path} is readable by other users, who could compute your emulator keys: "
                f"remove it (it is recreated, mode 0600) or run `chmod 600 {path}`."
            )
        text = file.read().strip()
    if len(text) < 2 * 16:
        raise KeySecretError(f"{path} holds no usable secret: remove it (it is recreated).")
    return text.encode()


def slug(lesson: str) -> str:
    """A lesson's name as a key may spell it (`02-payment form` -> `02_payment_form`)."""
    return _SLUG.sub("_", lesson).strip("_").lower()


def lesson_keys(secret: bytes, lesson: str, user: str | None = None) -> tuple[str, str]:
    """(secret key, publishable key) of `lesson` for `user` (None: not on a hub)."""
    message = f"linklab-lesson-key\0{user or ''}\0{lesson}".encode()
    random_part = base62(hmac.new(secret, message, hashlib.sha256).digest(), RANDOM_CHARS)
    secret_key = f"sk_test_{random_part}_{slug(lesson)}"
    return secret_key, publishable_key_for(secret_key)


def account_seed(lesson: str) -> str:
    """What a lesson's ids are seeded from: its name (as the account names of earlier releases
    were, `linklab_<lesson>`, so the ids in committed outputs stay what they were)."""
    return f"linklab_{slug(lesson)}"
