"""Keys: a publishable key does not reveal its secret key, and only a learned one names an account."""

from __future__ import annotations

import subprocess
import sys

import httpx
import stripe

from stripe_emulator.keys import publishable_key_for

SECRET = "sk_test_Zq3VbN8rT1yLmK4wPc7Xs2Df_01_customer"


def test_the_publishable_key_hides_the_secret_part_and_keeps_the_tail():
    publishable = publishable_key_for(SECRET)
    assert publishable.startswith("pk_test_") and publishable.endswith("_01_customer")
    assert len(publishable) == len(SECRET)
    hidden = SECRET[len("sk_test_") :][:24]
    assert hidden not in publishable and publishable[8:32] != hidden
    assert publishable_key_for(SECRET) == publishable  # one rule, the same everywhere
    assert publishable_key_for("rk_test_" + SECRET[8:]) == publishable  # the account's key


def test_the_old_twin_of_a_secret_key_names_no_account(emulator, secret_key):
    """`pk_test_<the secret key's suffix>` used to be the publishable key: now it is invalid."""
    twin = "pk_test_" + secret_key[len("sk_test_") :]
    response = httpx.get(
        emulator.base_url + "/v1/elements/sessions", headers={"Authorization": f"Bearer {twin}"}
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("Invalid API Key provided: pk_test_")
    assert secret_key[12:-4] not in error["message"]  # masked


def test_an_unknown_publishable_key_is_an_authentication_error(emulator):
    client = stripe.StripeClient(
        publishable_key_for("sk_test_never_used_anywhere"),
        base_addresses={"api": emulator.base_url},
        max_network_retries=0,
    )
    try:
        client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}})
    except stripe.AuthenticationError as exc:
        assert exc.http_status == 401
    else:
        raise AssertionError("an unknown publishable key was accepted")


def test_a_publishable_key_works_once_its_secret_key_was_used(emulator):
    secret = "sk_test_first_used_by_the_server"
    publishable = publishable_key_for(secret)
    headers = {"Authorization": f"Bearer {publishable}"}
    url = emulator.base_url + "/v1/payment_methods"
    form = {"type": "card", "card[token]": "tok_visa"}
    assert httpx.post(url, data=form, headers=headers).status_code == 401
    stripe.StripeClient(
        secret, base_addresses={"api": emulator.base_url}, max_network_retries=0
    ).v1.customers.list()
    created = httpx.post(url, data=form, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json()["id"].startswith("pm_")


def test_reset_answers_the_accounts_publishable_key(emulator, secret_key):
    assert emulator.reset(secret_key)["publishable_key"] == publishable_key_for(secret_key)


def test_the_command_line_prints_the_publishable_key():
    printed = subprocess.run(
        [sys.executable, "-m", "stripe_emulator", "publishable-key", SECRET],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == publishable_key_for(SECRET) + "\n"


def test_the_command_line_refuses_a_live_key_and_a_publishable_one():
    for key, message in [
        ("sk_live_" + SECRET[8:], "live keys are refused"),
        ("rk_live_" + SECRET[8:], "live keys are refused"),
        (publishable_key_for(SECRET), "takes a secret key"),
    ]:
        run = subprocess.run(
            [sys.executable, "-m", "stripe_emulator", "publishable-key", key],
            capture_output=True,
            text=True,
        )
        assert (run.returncode, run.stdout) == (2, "")
        assert message in run.stderr and "Traceback" not in run.stderr
