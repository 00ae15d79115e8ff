"""Durable state (`python -m stripe_emulator --state FILE`, persistence.py): what the emulator
acknowledged survives `kill -9` and a restart on the same file.

The module's scenario runs once: a real emulator process on a fresh state file gets a full card
flow, a 3-D Secure payment left waiting, a webhook endpoint, a deleted customer, an idempotent
POST, a Link session, a reset account and a moved clock; every object is read back, the
process is killed with SIGKILL, a new one starts on the same file and everything is read again.
"""

from __future__ import annotations

import http.server
import json
import os
import pickle
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

from stripe_emulator import Emulator, params, persistence, testdata
from stripe_emulator.ids import IdGenerator, seed_for
from stripe_emulator.keys import publishable_key_for
from stripe_emulator.persistence import Persistence, StateFileError
from stripe_emulator.resources import event as event_model
from stripe_emulator.store import Store

from .fuzz_world import build_world, snapshot
from .state_support import Process, free_port
from .webhook_support import create_endpoint, wait_deliveries

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk_test_state_flow"
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


def _client(base_url: str, key: str = KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": base_url}, max_network_retries=0)


_OPEN: list[httpx.Client] = []


def _http(base_url: str, key: str = KEY) -> httpx.Client:
    """A raw HTTP client with `key`; closed at the end of the test (`closes_clients`)."""
    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"})
    _OPEN.append(client)
    return client


@pytest.fixture(autouse=True)
def closes_clients():
    yield
    while _OPEN:
        _OPEN.pop().close()


# --- the scenario ---------------------------------------------------------------------------------


def _populate(base_url: str, hook_url: str) -> dict:
    """Everything the scenario creates; returns what later checks need."""
    client, server = _client(base_url), _http(base_url)
    browser = _http(base_url, publishable_key_for(KEY))
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
    reset_client = _client(base_url, RESET_KEY)
    first_id = reset_client.v1.customers.create().id
    reset_client.v1.customers.create()
    assert _http(base_url, RESET_KEY).post("/_emulator/reset").status_code == 200
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
    server, reset = _http(base_url), _http(base_url, RESET_KEY)
    browser = _http(base_url, publishable_key_for(KEY))

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
        while _OPEN:
            _OPEN.pop().close()


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
    client = _client(scenario["emulator"].base_url)
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
    client = _client(scenario["emulator"].base_url)
    assert client.v1.payment_intents.retrieve(waiting.id).status == "succeeded"


def test_webhook_deliveries_are_signed_with_the_secret_from_before(scenario):
    client = _client(scenario["emulator"].base_url)
    customer = scenario["made"]["customer"]
    client.v1.customers.update(customer, {"name": "Jenny Rosen"})
    body, signature = scenario["receiver"].wait_for(1)[0]
    secret = scenario["made"]["endpoint"].secret
    event = stripe.Webhook.construct_event(body.decode(), signature, secret)
    assert (event.type, event.data.object.id) == ("customer.updated", customer)


def test_an_idempotency_key_replays_across_the_restart(scenario):
    server = _http(scenario["emulator"].base_url)
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


# --- in process: the whole account comes back, and nothing but state objects ---------------------


def test_a_restored_account_equals_the_account_written(tmp_path):
    """Every attribute of the account (collections in order, indexes, Link accounts with their
    sessions, idempotency keys, clock, id streams) equals what was in memory."""
    state = str(tmp_path / "lab.db")
    emulator = Emulator(port=0, state=state).start()
    try:
        build_world(emulator.base_url, "sk_test_world")
        server = _http(emulator.base_url, "sk_test_world")
        customer = server.post("/v1/customers", headers={"Idempotency-Key": "w1"}).json()["id"]
        assert server.delete(f"/v1/customers/{customer}").status_code == 200
        assert server.post("/_emulator/clock", data={"advance": 5}).status_code == 200
        waiting = server.post(
            "/v1/setup_intents",
            data={"payment_method": "pm_card_threeDSecure2Required", "confirm": "true",
                  "return_url": "https://shop.example/done"},
        ).json()  # fmt: skip
        page = httpx.post(waiting["next_action"]["redirect_to_url"]["url"], data={"action": "fail"})
        assert page.status_code == 303  # the 3-D Secure page's choice is kept too
    finally:
        emulator.stop()
    written = emulator.app.store.account("world")
    store = Store(Persistence(state))
    try:
        restored = store.account("world")
        assert snapshot(restored) == snapshot(written)
        assert _positions(restored) == _positions(written)
        assert restored.link_tokens == written.link_tokens and written.link_tokens
    finally:
        store.close()


def _positions(account) -> dict:
    return {name: stream.getstate() for name, stream in account.ids._streams.items()}


def test_a_state_file_is_never_code(tmp_path):
    state = str(tmp_path / "lab.db")
    Persistence(state).close()
    db = sqlite3.connect(state)
    with db:
        db.execute(
            "INSERT INTO rows VALUES ('evil', 'customers', 'cus_x', ?)",
            (pickle.dumps(os.system),),  # a function a pickle could call
        )
    db.close()
    persistence = Persistence(state)
    try:
        with pytest.raises(StateFileError, match="'evil' cannot be restored .*not a state object"):
            Store(persistence)
    finally:
        persistence.close()


def test_json_bodies_are_what_the_file_keeps(tmp_path):
    """What the API answered is what the file holds (no re-rendering on restore)."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        created = _http(emulator.base_url).post("/v1/customers", data={"name": "N"}).json()
    with Emulator(port=0, state=state) as emulator:
        shown = _http(emulator.base_url).get(f"/v1/customers/{created['id']}").json()
    assert json.dumps(shown, sort_keys=True) == json.dumps(created, sort_keys=True)


def test_id_streams_continue_where_they_stood_past_a_refill(tmp_path):
    """An id stream refills its 624 words every ~150 customer ids: the restored stream goes on
    exactly as one that never stopped would."""
    state = str(tmp_path / "lab.db")
    store = Store(Persistence(state))
    account = store.account("ids")
    for _ in range(400):
        account.ids.new("cus")
        store.commit(account)
    store.close()
    store = Store(Persistence(state))
    try:
        uninterrupted = IdGenerator(seed_for("ids"))
        expected = [uninterrupted.new("cus") for _ in range(401)][-1]
        assert store.account("ids").ids.new("cus") == expected
    finally:
        store.close()


def test_pruned_events_leave_the_file_too(tmp_path, monkeypatch):
    monkeypatch.setattr(event_model, "EVENTS_KEPT", 3)
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        client = _client(emulator.base_url)
        for n in range(5):
            client.v1.customers.create({"name": f"C{n}"})
        kept = [e.id for e in client.v1.events.list().data]
    assert len(kept) == 3
    with Emulator(port=0, state=state) as emulator:
        assert [e.id for e in _client(emulator.base_url).v1.events.list().data] == kept


def test_an_account_no_longer_in_memory_is_read_back_from_the_file(tmp_path):
    """Whatever drops an idle account from memory, its next request finds it whole."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        created = _client(emulator.base_url).v1.customers.create({"name": "Idle"})
        emulator.app.store._accounts.pop("state_flow")  # as an eviction would
        shown = _client(emulator.base_url).v1.customers.retrieve(created.id)
    assert shown.name == "Idle"


def test_test_cards_and_the_unset_marker_come_back_as_the_same_objects():
    card = testdata.CARDS["4000000000003220"]
    restored = persistence.loads(persistence.dumps({"card": card, "cleared": params.UNSET}))
    assert restored["card"] is card and restored["cleared"] is params.UNSET


def test_a_delivered_events_pending_webhooks_is_kept(tmp_path, receivers):
    """The deliverer lowers `pending_webhooks` after the request that made the event: that
    change reaches the file too, so a restart does not show the event as still pending."""
    state, receiver = str(tmp_path / "lab.db"), receivers()
    with Emulator(port=0, state=state) as emulator:
        client = _client(emulator.base_url)
        create_endpoint(client, receiver.url, events=("customer.created",))
        client.v1.customers.create()
        wait_deliveries(_http(emulator.base_url), lambda log: any(d["succeeded"] for d in log))
        (event,) = client.v1.events.list().data
        assert event.pending_webhooks == 0
    with Emulator(port=0, state=state) as emulator:
        assert _client(emulator.base_url).v1.events.retrieve(event.id).pending_webhooks == 0


def test_a_reset_accounts_seed_is_kept(tmp_path):
    """After a restart, an id stream first drawn then comes from the reset's `seed=` too."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        _http(emulator.base_url).post("/_emulator/reset", data={"seed": "linklab_lesson"})
        _client(emulator.base_url).v1.customers.create()
    with Emulator(port=0, state=state) as emulator:
        after_restart = _client(emulator.base_url).v1.setup_intents.create().id
    with Emulator(port=0) as emulator:
        _http(emulator.base_url).post("/_emulator/reset", data={"seed": "linklab_lesson"})
        assert _client(emulator.base_url).v1.setup_intents.create().id == after_restart


def test_compacted_objects_and_forgotten_idempotency_keys_reach_the_file(tmp_path):
    """Objects past the hot set (compact.py) are kept like live ones; a key the idempotency
    bound forgets leaves the file too."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        server = _http(emulator.base_url)
        emulator.app.store.account("state_flow").idempotency._keys_kept = 3
        made = [
            server.post(
                "/v1/customers", data={"name": f"c{n}"}, headers={"Idempotency-Key": f"k{n}"}
            ).json()["id"]
            for n in range(300)
        ]
        account = emulator.app.store.account("state_flow")
        assert account.customers.cold_count() > 0
        server.post(f"/v1/customers/{made[0]}", data={"name": "updated while cold"})
        listed = [
            c["id"] for c in server.get("/v1/customers", params={"limit": 100}).json()["data"]
        ]
    with Emulator(port=0, state=state) as emulator:
        server = _http(emulator.base_url)
        assert server.get(f"/v1/customers/{made[0]}").json()["name"] == "updated while cold"
        assert server.get(f"/v1/customers/{made[150]}").json()["name"] == "c150"
        again = [c["id"] for c in server.get("/v1/customers", params={"limit": 100}).json()["data"]]
        assert again == listed
        assert len(emulator.app.store.account("state_flow").idempotency) == 3
