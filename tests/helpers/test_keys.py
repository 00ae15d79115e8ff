"""helpers.keys: lesson keys nobody else can compute, the same on every run for this user."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from helpers import backend as b
from helpers import keys
from stripe_emulator.keys import publishable_key_for


def load(secret_file, **environ: str) -> b.Backend:
    return b.load_backend({keys.ENV_SECRET_FILE: str(secret_file), **environ}, env_file=None)


def test_the_secret_is_created_private_and_then_reused(tmp_path):
    path = tmp_path / "config" / "linklab" / "secret"
    first = keys.user_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(first) == 64 and keys.user_secret(path) == first
    assert sorted(p.name for p in path.parent.iterdir()) == ["secret"]  # no temporary left


def test_concurrent_first_uses_agree_on_one_secret(tmp_path):
    path = tmp_path / "secret"
    found: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: found.append(keys.user_secret(path))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(found) == 8


def test_a_secret_others_can_read_is_refused(tmp_path):
    path = tmp_path / "secret"
    keys.user_secret(path)
    os.chmod(path, 0o644)
    with pytest.raises(keys.KeySecretError, match="readable by other users"):
        keys.user_secret(path)


def test_the_default_place_is_the_users_config_directory(tmp_path):
    environ = {keys.ENV_SECRET_FILE: "", "XDG_CONFIG_HOME": str(tmp_path)}
    assert keys.secret_path(environ) == tmp_path / "linklab" / "secret"


def test_lesson_keys_are_stable_for_one_user_and_unknowable_to_others(tmp_path):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    secret, publishable = load(mine).keys_for("01_customer_and_setup_intent")
    assert (secret, publishable) == load(mine).keys_for("01_customer_and_setup_intent")
    assert load(theirs).keys_for("01_customer_and_setup_intent")[0] != secret
    assert "linklab" not in secret[8:32]  # nothing guessable where the random part is
    assert publishable == publishable_key_for(secret) and secret[8:32] not in publishable


def test_masked_keys_read_the_same_on_every_machine(tmp_path):
    """What notebook 01 prints of its keys does not depend on the machine's secret."""
    shown = {
        tuple(
            b.mask_key(k) for k in load(tmp_path / f"m{i}").keys_for("01_customer_and_setup_intent")
        )
        for i in range(3)
    }
    assert len(shown) == 1
    (secret_masked, publishable_masked) = shown.pop()
    assert secret_masked.startswith("sk_test_*") and secret_masked.endswith("tent")
    assert publishable_masked.startswith("pk_test_*") and publishable_masked.endswith("tent")


def test_ids_are_seeded_from_the_lesson_not_the_key():
    assert keys.account_seed("01 Customer") == "linklab_01_customer"
