"""helpers.backend: which backend the settings select, and how keys are checked and shown."""

from __future__ import annotations

import pytest
import stripe

from helpers import backend as b
from stripe_emulator.keys import publishable_key_for

SECRET = "sk_test_51H8abcdefghijklmnopqrstuvwxyz0123"
PUBLISHABLE = "pk_test_51H8abcdefghijklmnopqrstuvwxyz4567"


def load(env_file=None, **environ: str) -> b.Backend:
    return b.load_backend(environ, env_file=env_file)


def test_nothing_set_selects_the_emulator():
    backend = load()
    assert backend.name == "emulator" and backend.offline
    assert backend.api_base == "http://127.0.0.1:12111"
    assert backend.stripe_js_url == "http://127.0.0.1:12111/v3/"
    assert backend.api_version == stripe.api_version


def test_a_test_secret_key_selects_real_test_mode():
    backend = load(STRIPE_SECRET_KEY=SECRET, STRIPE_PUBLISHABLE_KEY=PUBLISHABLE)
    assert backend.name == "stripe" and not backend.offline
    assert backend.api_base == "https://api.stripe.com"
    assert backend.stripe_js_url == "https://js.stripe.com/v3/"
    assert backend.keys_for("00_setup") == (SECRET, PUBLISHABLE)


def test_restricted_test_keys_are_accepted():
    assert load(STRIPE_SECRET_KEY="rk_test_abcdefghijklmnop").name == "stripe"


def test_linklab_backend_forces_the_emulator_despite_keys():
    backend = load(LINKLAB_BACKEND="emulator", STRIPE_SECRET_KEY=SECRET)
    assert backend.name == "emulator"


def test_forcing_stripe_without_a_key_says_what_to_set():
    with pytest.raises(b.BackendError, match="STRIPE_SECRET_KEY"):
        load(LINKLAB_BACKEND="stripe")


def test_unknown_backend_name_is_refused():
    with pytest.raises(b.BackendError, match="LINKLAB_BACKEND must be 'emulator' or 'stripe'"):
        load(LINKLAB_BACKEND="production")


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("STRIPE_SECRET_KEY", "sk_live_51H8abcdefghijklmnopqrstu"),
        ("STRIPE_SECRET_KEY", "rk_live_51H8abcdefghijklmnopqrstu"),
        ("STRIPE_PUBLISHABLE_KEY", "pk_live_51H8abcdefghijklmnopqrstu"),
    ],
)
@pytest.mark.parametrize("forced", ["", "emulator", "stripe"])
def test_live_keys_are_refused_clearly_and_masked(setting, key, forced):
    with pytest.raises(b.BackendError) as info:
        load(LINKLAB_BACKEND=forced, **{setting: key})
    message = str(info.value)
    assert f"{setting} holds a live-mode key" in message
    assert "test mode" in message
    assert b.mask_key(key) in message
    assert key not in message


def test_a_publishable_key_in_the_secret_setting_is_refused():
    with pytest.raises(b.BackendError, match="STRIPE_SECRET_KEY must start with sk_test_"):
        load(STRIPE_SECRET_KEY=PUBLISHABLE)


def test_mask_keeps_the_first_8_and_last_4_characters():
    assert b.mask_key("sk_test_4eC39HqLyjWDarjtT1zdp7dc") == "sk_test_" + "*" * 20 + "p7dc"
    assert b.mask_key("short_key") == "*****_key"


def test_repr_never_shows_a_key_in_full():
    backend = load(
        STRIPE_SECRET_KEY=SECRET,
        STRIPE_PUBLISHABLE_KEY=PUBLISHABLE,
        STRIPE_WEBHOOK_SECRET="whsec_abcdefghijklmnopqrstuvwxyz",
    )
    shown = repr(backend)
    assert SECRET not in shown and PUBLISHABLE not in shown and "whsec_abcdefghij" not in shown
    assert b.mask_key(SECRET) in shown


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nSTRIPE_SECRET_KEY=sk_test_fromfile1234\nSTRIPE_API_VERSION=2024-04-10\n"
    )
    from_file = load(env_file)
    assert from_file.name == "stripe" and from_file.secret_key == "sk_test_fromfile1234"
    assert from_file.api_version == "2024-04-10"
    overridden = load(env_file, STRIPE_API_VERSION="2026-10-28.endive", LINKLAB_BACKEND="emulator")
    assert overridden.api_version == "2026-10-28.endive" and overridden.offline


def test_empty_values_count_as_unset(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text((b.REPO_ROOT / ".env.example").read_text())
    assert load(env_file) == load(LINKLAB_BACKEND="emulator")


def test_a_missing_env_file_is_fine(tmp_path):
    assert load(tmp_path / "absent.env").name == "emulator"


def test_api_base_override_drives_the_stripe_js_default():
    backend = load(STRIPE_API_BASE="http://127.0.0.1:12112/")
    assert backend.api_base == "http://127.0.0.1:12112"
    assert backend.stripe_js_url == "http://127.0.0.1:12112/v3/"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("STRIPE_API_BASE", "127.0.0.1:12111"),
        ("STRIPE_JS_URL", "js.stripe.com/v3"),
        ("STRIPE_API_VERSION", "latest"),
        ("STRIPE_WEBHOOK_SECRET", "secret"),
        ("STRIPE_CUSTOMER", "jenny"),
        ("LINKLAB_PAGE_PORTS", "80"),
        ("LINKLAB_PAGE_PORTS", "forty"),
    ],
)
def test_malformed_settings_are_refused_by_name(setting, value):
    with pytest.raises(b.BackendError, match=setting):
        load(**{setting: value})


def test_emulator_lessons_get_their_own_accounts():
    backend = load()
    first, second = backend.keys_for("01_customer"), backend.keys_for("02_setup_intent")
    assert first[0].startswith("sk_test_") and first[0].endswith("_01_customer")
    assert first[1] == publishable_key_for(first[0])
    assert first != second
    assert backend.keys_for("01_customer") == first  # stable


def test_settings_are_read_once_per_process():
    assert b.get_backend() is b.get_backend()


def test_page_ports_default_and_setting():
    assert load().page_ports == 4300
    assert load(LINKLAB_PAGE_PORTS="4400").page_ports == 4400


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ("seti_1AbC_secret_XyZ123", "seti_1AbC_secret_****"),
        ("pi_1Q_secret_abc", "pi_1Q_secret_****"),
        ("sk_test_abcdefghijkl", b.mask_key("sk_test_abcdefghijkl")),
    ],
)
def test_client_secrets_keep_their_intent_id_only(secret, shown):
    assert b.mask_client_secret(secret) == shown
