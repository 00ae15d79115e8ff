"""The mechanics of `make test-live` (tests/live_stripe.py), run against this emulator: nobody
here can reach Stripe, so `LINKLAB_LIVE_API_BASE` points the live run at the session emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import stripe

from .. import live_stripe

ROOT = Path(__file__).resolve().parents[2]
MODULE = "tests/emulator/test_return_url.py"


def _live_pytest(emulator, key: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        live_stripe.ENV_FLAG: "1",
        live_stripe.ENV_API_BASE: emulator.base_url,
        "STRIPE_SECRET_KEY": key,
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # no nbval/hypothesis start-up: these need none
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _marked(module: str) -> set[str]:
    """The test functions of `module` that carry the live_stripe marker (read from the source)."""
    lines = (ROOT / module).read_text().splitlines()
    return {
        line.split("(")[0].removeprefix("def ")
        for before, line in zip(lines, lines[1:], strict=False)
        if line.startswith("def test_") and before == "@pytest.mark.live_stripe"
    }


def test_live_run_selects_only_live_stripe_tests(emulator, secret_key):
    run = _live_pytest(emulator, secret_key, "--collect-only", MODULE)
    assert run.returncode == 0, run.stdout + run.stderr
    collected = {line.split("::")[1] for line in run.stdout.splitlines() if "::" in line}
    assert collected == _marked(MODULE) and collected
    assert "deselected" in run.stdout


def test_live_run_refuses_a_live_key_before_any_test(emulator):
    run = _live_pytest(emulator, "sk_live_abc123", "--collect-only", MODULE)
    assert run.returncode == 4  # pytest.UsageError: nothing collected, nothing ran
    assert "make test-live refuses live keys" in run.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("rk_live_abc123", "make test-live refuses live keys"),
        ("pk_live_abc123", "make test-live refuses live keys"),
        ("pk_test_abc123", "make test-live needs STRIPE_SECRET_KEY=sk_test_"),
        ("", "make test-live needs STRIPE_SECRET_KEY=sk_test_"),
    ],
)
def test_only_test_secret_keys_are_accepted(monkeypatch, key, message):
    monkeypatch.setenv("STRIPE_SECRET_KEY", key)
    with pytest.raises(ValueError, match=message):
        live_stripe.secret_key()


def test_live_run_passes_and_cleans_up_what_it_created(emulator, secret_key, http):
    run = _live_pytest(
        emulator, secret_key, MODULE, "tests/emulator/test_customer.py", "-k", "detaching or url"
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " passed" in run.stdout and "deselected" in run.stdout
    assert http.get("/v1/customers").json()["data"] == []
    intents = http.get("/v1/payment_intents", params={"limit": 100}).json()["data"]
    setups = http.get("/v1/setup_intents", params={"limit": 100}).json()["data"]
    assert intents and setups  # the run did create some
    assert {i["status"] for i in intents + setups} <= {"succeeded", "canceled"}
    assert "canceled" in {i["status"] for i in intents + setups}


def test_cleanup_skips_what_is_gone_and_reports_other_failures(emulator, secret_key):
    gone = [("/v1/customers", "cus_gone"), ("/v1/setup_intents", "seti_gone")]
    assert live_stripe.cleanup(secret_key, emulator.base_url, gone) == []
    problems = live_stripe.cleanup("sk_live_refused", emulator.base_url, gone[:1])
    assert len(problems) == 1 and problems[0].startswith("cus_gone: Live keys are refused")


def _recording_client(
    emulator, key: str
) -> tuple[stripe.StripeClient, live_stripe.RecordingHTTPClient]:
    recorder = live_stripe.RecordingHTTPClient()
    client = stripe.StripeClient(
        key, base_addresses={"api": emulator.base_url}, http_client=recorder, max_network_retries=0
    )
    return client, recorder


def test_cleanup_cancels_the_intents_refused_confirmations_created(emulator, secret_key, http):
    client, recorder = _recording_client(emulator, secret_key)
    declined = {"payment_method": "pm_card_visa_chargeDeclined"}
    with pytest.raises(stripe.CardError) as info:  # a 402 that created a PaymentIntent
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "confirm": True, **declined}
        )
    intent = info.value.json_body["error"]["payment_intent"]["id"]
    setup = client.v1.setup_intents.create()
    with pytest.raises(stripe.CardError):  # embeds the SetupIntent already noted: kept once
        client.v1.setup_intents.confirm(setup.id, declined)
    assert recorder.created == [("/v1/payment_intents", intent), ("/v1/setup_intents", setup.id)]
    assert live_stripe.cleanup(secret_key, emulator.base_url, recorder.created) == []
    assert http.get(f"/v1/payment_intents/{intent}").json()["status"] == "canceled"
    assert http.get(f"/v1/setup_intents/{setup.id}").json()["status"] == "canceled"


def test_cleanup_deletes_webhook_endpoints(emulator, secret_key, http):
    client, recorder = _recording_client(emulator, secret_key)
    endpoint = client.v1.webhook_endpoints.create(
        {"url": "https://example.com/hooks", "enabled_events": ["*"]}
    )
    assert recorder.created == [("/v1/webhook_endpoints", endpoint.id)]
    assert live_stripe.cleanup(secret_key, emulator.base_url, recorder.created) == []
    assert http.get("/v1/webhook_endpoints").json()["data"] == []


def test_live_run_gives_legacy_client_its_api_version_and_removes_webhook_endpoints(
    emulator, secret_key, http
):
    """The legacy tests pass only on 2024-04-10 (endive refuses `payment_method_types`)."""
    run = _live_pytest(
        emulator,
        secret_key,
        "tests/emulator/test_setup_intent_versions.py",
        "tests/emulator/test_webhook_endpoint.py",
        "-k",
        "legacy_version or list_newest",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout
    assert http.get("/v1/webhook_endpoints").json()["data"] == []
    setups = http.get("/v1/setup_intents", params={"limit": 100}).json()["data"]
    assert [s["payment_method_types"] for s in setups] == [["card", "link"]]
    assert setups[0]["status"] == "canceled"
