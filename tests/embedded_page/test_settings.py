"""embedded_page's settings (env, then .env; live keys refused) and `python -m embedded_page`."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from embedded_page import Settings, SettingsError

# -- settings and the command line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("secret_key", "sk_live_abc123"),
        ("secret_key", "rk_live_abc123"),
        ("publishable_key", "pk_live_abc123"),
    ],
)
def test_live_keys_are_refused(field, value):
    values = {"secret_key": "sk_test_abc", "publishable_key": "pk_test_abc", field: value}
    with pytest.raises(SettingsError, match="live-mode key. Link Lab only runs in test mode"):
        Settings(**values)


def test_settings_from_environment_then_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "STRIPE_SECRET_KEY=sk_test_fromfile\nSTRIPE_PUBLISHABLE_KEY=pk_test_fromfile\n"
        "STRIPE_API_VERSION=2024-04-10\n"
    )
    settings = Settings.from_env(
        {"STRIPE_SECRET_KEY": "sk_test_fromenv", "STRIPE_API_BASE": "http://127.0.0.1:12111"},
        env_file=str(env_file),
    )
    assert settings.secret_key == "sk_test_fromenv"
    assert settings.publishable_key == "pk_test_fromfile"
    assert settings.api_base == "http://127.0.0.1:12111"
    assert settings.js_url == "https://js.stripe.com/v3/"
    assert settings.api_version == "2024-04-10"
    assert settings.webhook_secret is None and settings.customer is None


def test_settings_default_to_real_stripe():
    settings = Settings.from_env(
        {"STRIPE_SECRET_KEY": "sk_test_abc", "STRIPE_PUBLISHABLE_KEY": "pk_test_abc"}, env_file=None
    )
    assert settings.api_base == "https://api.stripe.com"
    assert settings.js_url == "https://js.stripe.com/v3/"


def test_settings_name_missing_keys():
    with pytest.raises(SettingsError, match="STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY not set"):
        Settings.from_env({}, env_file=None)


def test_settings_repr_hides_secrets():
    settings = Settings(
        secret_key="sk_test_verysecret", publishable_key="pk_test_x", webhook_secret="whsec_hush"
    )
    assert "verysecret" not in repr(settings) and "hush" not in repr(settings)


def test_command_line_serves_the_page_on_loopback(
    tmp_path, emulator, secret_key, publishable_key, free_port
):
    env = {
        "PATH": "/usr/bin:/bin",
        "STRIPE_SECRET_KEY": secret_key,
        "STRIPE_PUBLISHABLE_KEY": publishable_key,
        "STRIPE_API_BASE": emulator.base_url,
        "STRIPE_JS_URL": f"{emulator.base_url}/v3/",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "embedded_page", "--port", str(free_port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        config = None
        deadline = time.monotonic() + 30
        while config is None and time.monotonic() < deadline and process.poll() is None:
            try:
                config = httpx.get(f"http://127.0.0.1:{free_port}/config").json()
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert config == {
        "publishableKey": publishable_key,
        "stripeJsUrl": f"{emulator.base_url}/v3/",
        "apiVersion": None,
        "returnUrl": "/order/complete",
    }, output
    assert f"http://127.0.0.1:{free_port}" in output
    assert secret_key not in output


def test_command_line_refuses_a_live_key_with_a_clear_message(tmp_path):
    env = {"STRIPE_SECRET_KEY": "sk_live_abc123", "STRIPE_PUBLISHABLE_KEY": "pk_test_abc"}
    result = subprocess.run(
        [sys.executable, "-m", "embedded_page"],
        env={**env, "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "embedded_page: STRIPE_SECRET_KEY is a live-mode key" in result.stderr
    assert "sk_live_abc123" not in result.stderr
