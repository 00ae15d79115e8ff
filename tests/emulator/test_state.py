"""Durable state (`python -m stripe_emulator --state FILE`, persistence.py): what the emulator
acknowledged survives `kill -9` and a restart on the same file.

The module's scenario runs once: a real emulator process on a fresh state file gets a full card
flow, a 3-D Secure payment left waiting, a webhook endpoint, a deleted customer, an idempotent
POST, a Link session, a reset account and a moved clock; every object is read back, the
process is killed with SIGKILL, a new one starts on the same file and everything is read again.
"""

from __future__ import annotations

import http.server
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import stripe

from stripe_emulator.keys import publishable_key_for

from .state_support import (  # noqa: F401  (closes_clients: an autouse fixture)
    KEY,
    Process,
    close_clients,
    closes_clients,
    free_port,
    http_client,
    stripe_client,
)

ROOT = Path(__file__).resolve().parents[2]
RESET_KEY = "sk_test_state_reset"
FROZEN_AT = 1_767_225_600  # 2026-01-01T00:00:00Z
MULTI = "jenny+multiple_funding_sources@example.com"


class Receiver:
    """A webhook endpoint on 127.0.0.1: keeps each delivery's body and Stripe-Signature."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((body, self.headers["Stripe-Signature"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int) -> list[tuple[bytes, str]]:
        deadline = time.monotonic() + 15
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


# --- the scenario ---------------------------------------------------------------------------------


def _populate(base_url: str, hook_url: str) -> dict:
    """Everything the scenario creates; returns what later checks need."""
    client, server = stripe_client(base_url), http_client(base_url)
    browser = http_client(base_url, publishable_key_for(KEY))
    assert server.post("/_emulator/clock", data={"frozen_at": FROZEN_AT}).status_code == 200
    endpoint = client.v1.webhook_endpoints.create(
        {"url": hook_url, "enabled_events": ["customer.updated"]}  # nothing delivered before
    )
    customer = client.v1.customers.create({"email": "jenny@example.com", "metadata": {"n": "1"}})
    setup_intent = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "usage": "off_session",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
    )
    pm = client.v1.customers.payment_methods.list(customer.id, {"type": "card"}).data[0]
    paid = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "customer": customer.id, "payment_method": pm.id,
         "off_session": True, "confirm": True}
    )  # fmt: skip
    assert (setup_intent.status, paid.status) == ("succeeded", "succeeded")
    waiting = client.v1.payment_intents.create(
        {"amount": 500, "currency": "usd", "payment_method": "pm_card_threeDSecure2Required",
         "confirm": True, "return_url": "https://shop.example/done"}
    )  # fmt: skip
    assert waiting.status == "requires_action"
    gone = client.v1.customers.create({"name": "Gone"})
    client.v1.customers.delete(gone.id)
    idempotent = server.post(
        "/v1/customers", data={"name": "Once"}, headers={"Idempotency-Key": "k1"}
    )
    session = browser.post("/v1/consumers/sessions/lookup", data={"email_address": MULTI}).json()
    secret = session["consumer_session"]["client_secret"]
    verified = browser.post(
        "/v1/consumers/sessions/confirm_verification",
        data={"credentials[consumer_session_client_secret]": secret, "type": "SMS", "code": "123456"},
    )  # fmt: skip
    assert verified.status_code == 200, verified.text
    assert server.post("/_emulator/clock", data={"advance": 60}).status_code == 200
    # A reset account: what it had before the reset is gone from the file too.
    reset_client = stripe_client(base_url, RESET_KEY)
    first_id = reset_client.v1.customers.create().id
    reset_client.v1.customers.create()
    assert http_client(base_url, RESET_KEY).post("/_emulator/reset").status_code == 200
    assert reset_client.v1.customers.create().id == first_id  # ids start over after a reset
    return {
        "endpoint": endpoint,
        "customer": customer.id,
        "waiting": waiting,
        "gone": gone.id,
        "idempotent": idempotent,
        "link_secret": secret,
    }


def _read_everything(base_url: str, made: dict) -> dict:
    """Every object and list of both accounts, as the API shows them (GETs only)."""
    server, reset = http_client(base_url), http_client(base_url, RESET_KEY)
    browser = http_client(base_url, publishable_key_for(KEY))

    def get(client: httpx.Client, path: str, **params) -> dict:
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    seen = {
        name: get(server, f"/v1/{name}", limit=100)
        for name in ("customers", "payment_methods", "setup_intents", "payment_intents",
                     "charges", "events", "webhook_endpoints")
    }  # fmt: skip
    for name, listed in list(seen.items()):
        for obj in listed["data"]:
            seen[obj["id"]] = get(server, f"/v1/{name}/{obj['id']}")
    for si in seen["setup_intents"]["data"]:
        seen[f"attempts:{si['id']}"] = get(server, "/v1/setup_attempts", setup_intent=si["id"])
    seen["customer_pms"] = get(server, f"/v1/customers/{made['customer']}/payment_methods")
    seen["deleted"] = get(server, f"/v1/customers/{made['gone']}")
    seen["clock"] = get(server, "/_emulator/clock")
    seen["wallet"] = browser.post(
        "/v1/consumers/payment_details/list",
        data={"credentials[consumer_session_client_secret]": made["link_secret"]},
    ).json()
    seen["reset_customers"] = get(reset, "/v1/customers")
    return seen


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("state")
    state, log = scratch / "lab.db", scratch / "emulator.log"
    receiver = Receiver()
    first = Process(state, log)
    try:
        made = _populate(first.base_url, receiver.url)
        before = _read_everything(first.base_url, made)
    finally:
        first.kill()
    second = Process(state, log)
    try:
        after = _read_everything(second.base_url, made)
        yield {"made": made, "before": before, "after": after, "emulator": second,
               "first_url": first.base_url, "receiver": receiver, "state": state}  # fmt: skip
    finally:
        second.stop()
        receiver.server.shutdown()
        receiver.server.server_close()
        close_clients()


def test_every_object_and_list_survives_kill_9(scenario):
    before, after = scenario["before"], scenario["after"]
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name


def test_the_scenario_made_what_it_claims(scenario):
    before = scenario["before"]
    counts = {
        name: len(before[name]["data"])
        for name in ("customers", "payment_methods", "setup_intents", "payment_intents",
                     "charges", "webhook_endpoints")
    }  # fmt: skip
    assert counts == {
        "customers": 2,  # the deleted one is a stub, not listed
        "payment_methods": 2,  # pm_card_visa's, and the 3-D Secure payment's
        "setup_intents": 1,
        "payment_intents": 2,
        "charges": 1,
        "webhook_endpoints": 1,
    }
    assert before["deleted"]["deleted"] is True
    assert before["clock"] == {"now": FROZEN_AT + 60, "frozen": True}
    assert len(before["wallet"]["redacted_payment_details"]) == 2  # the verified session works
    assert len(before["reset_customers"]["data"]) == 1


def test_new_ids_do_not_collide_with_restored_ones(scenario):
    client = stripe_client(scenario["emulator"].base_url)
    known = {key for key in scenario["before"] if "_" in key and ":" not in key}
    new = [client.v1.customers.create().id, client.v1.setup_intents.create().id]
    assert not set(new) & known


def test_a_payment_waiting_for_3ds_completes_after_the_restart(scenario):
    waiting = scenario["made"]["waiting"]
    # The page's URL names the first process's port; the restarted one listens on another.
    url = waiting.next_action.redirect_to_url.url.replace(
        scenario["first_url"], scenario["emulator"].base_url
    )
    with httpx.Client(follow_redirects=False) as browser:
        page = browser.post(url, data={"action": "complete"})
    assert page.status_code == 303
    assert page.headers["location"].startswith("https://shop.example/done?")
    client = stripe_client(scenario["emulator"].base_url)
    assert client.v1.payment_intents.retrieve(waiting.id).status == "succeeded"


def test_webhook_deliveries_are_signed_with_the_secret_from_before(scenario):
    client = stripe_client(scenario["emulator"].base_url)
    customer = scenario["made"]["customer"]
    client.v1.customers.update(customer, {"name": "Jenny Rosen"})
    body, signature = scenario["receiver"].wait_for(1)[0]
    secret = scenario["made"]["endpoint"].secret
    event = stripe.Webhook.construct_event(body.decode(), signature, secret)
    assert (event.type, event.data.object.id) == ("customer.updated", customer)


def test_an_idempotency_key_replays_across_the_restart(scenario):
    server = http_client(scenario["emulator"].base_url)
    again = server.post("/v1/customers", data={"name": "Once"}, headers={"Idempotency-Key": "k1"})
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == scenario["made"]["idempotent"].json()


def test_the_state_file_is_readable_by_its_owner_only(scenario):
    assert stat.S_IMODE(os.stat(scenario["state"]).st_mode) == 0o600


# --- refusals at start: a clear message, exit status 2, no traceback --------------------------------


def _start(state: Path | str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stripe_emulator", "--state", str(state), "--port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_corrupt_state_file_is_refused_at_start(tmp_path):
    state = tmp_path / "lab.db"
    state.write_bytes(b"not sqlite at all, " * 100)
    run = _start(state)
    assert run.returncode == 2
    assert "not an emulator state file" in run.stderr and str(state) in run.stderr
    assert "Traceback" not in run.stderr


def test_another_sqlite_database_is_refused_and_left_alone(tmp_path):
    state = tmp_path / "other.db"
    db = sqlite3.connect(state)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    run = _start(state)
    assert run.returncode == 2 and "not an emulator state file" in run.stderr
    db = sqlite3.connect(state)
    assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    db.close()


def test_an_unwritable_state_file_is_refused_at_start(tmp_path):
    run = _start(tmp_path / "missing" / "lab.db")
    assert run.returncode == 2
    assert "cannot use the state file" in run.stderr and "No such file" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_directory_is_refused_as_a_state_file(tmp_path):
    run = _start(tmp_path)
    assert run.returncode == 2 and "cannot use the state file" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_state_file_in_use_is_refused(scenario):
    run = _start(scenario["state"])
    assert run.returncode == 2 and "in use by another emulator" in run.stderr
    assert "Traceback" not in run.stderr
