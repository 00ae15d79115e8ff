"""Durable state in process (persistence.py): a restored account equals the account written,
attribute by attribute, and the state file holds nothing but state objects (never code).

The real-process scenario with `kill -9`, and the refusals at start: test_state.py.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3

import httpx
import pytest

from stripe_emulator import Emulator, params, persistence, testdata
from stripe_emulator.ids import IdGenerator, seed_for
from stripe_emulator.persistence import Persistence, StateFileError
from stripe_emulator.resources import event as event_model
from stripe_emulator.store import Store

from .fuzz_world import build_world, snapshot
from .state_support import closes_clients, http_client, stripe_client  # noqa: F401
from .webhook_support import create_endpoint, wait_deliveries

# --- in process: the whole account comes back, and nothing but state objects ---------------------


def test_a_restored_account_equals_the_account_written(tmp_path):
    """Every attribute of the account (collections in order, indexes, Link accounts with their
    sessions, idempotency keys, clock, id streams) equals what was in memory."""
    state = str(tmp_path / "lab.db")
    emulator = Emulator(port=0, state=state).start()
    try:
        build_world(emulator.base_url, "sk_test_world")
        server = http_client(emulator.base_url, "sk_test_world")
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
        created = http_client(emulator.base_url).post("/v1/customers", data={"name": "N"}).json()
    with Emulator(port=0, state=state) as emulator:
        shown = http_client(emulator.base_url).get(f"/v1/customers/{created['id']}").json()
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
        client = stripe_client(emulator.base_url)
        for n in range(5):
            client.v1.customers.create({"name": f"C{n}"})
        kept = [e.id for e in client.v1.events.list().data]
    assert len(kept) == 3
    with Emulator(port=0, state=state) as emulator:
        assert [e.id for e in stripe_client(emulator.base_url).v1.events.list().data] == kept


def test_an_account_no_longer_in_memory_is_read_back_from_the_file(tmp_path):
    """Whatever drops an idle account from memory, its next request finds it whole."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        created = stripe_client(emulator.base_url).v1.customers.create({"name": "Idle"})
        emulator.app.store._accounts.pop("state_flow")  # as an eviction would
        shown = stripe_client(emulator.base_url).v1.customers.retrieve(created.id)
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
        client = stripe_client(emulator.base_url)
        create_endpoint(client, receiver.url, events=("customer.created",))
        client.v1.customers.create()
        wait_deliveries(
            http_client(emulator.base_url), lambda log: any(d["succeeded"] for d in log)
        )
        (event,) = client.v1.events.list().data
        assert event.pending_webhooks == 0
    with Emulator(port=0, state=state) as emulator:
        assert stripe_client(emulator.base_url).v1.events.retrieve(event.id).pending_webhooks == 0


def test_a_reset_accounts_seed_is_kept(tmp_path):
    """After a restart, an id stream first drawn then comes from the reset's `seed=` too."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        http_client(emulator.base_url).post("/_emulator/reset", data={"seed": "linklab_lesson"})
        stripe_client(emulator.base_url).v1.customers.create()
    with Emulator(port=0, state=state) as emulator:
        after_restart = stripe_client(emulator.base_url).v1.setup_intents.create().id
    with Emulator(port=0) as emulator:
        http_client(emulator.base_url).post("/_emulator/reset", data={"seed": "linklab_lesson"})
        assert stripe_client(emulator.base_url).v1.setup_intents.create().id == after_restart


def test_compacted_objects_and_forgotten_idempotency_keys_reach_the_file(tmp_path):
    """Objects past the hot set (compact.py) are kept like live ones; a key the idempotency
    bound forgets leaves the file too."""
    state = str(tmp_path / "lab.db")
    with Emulator(port=0, state=state) as emulator:
        server = http_client(emulator.base_url)
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
        server = http_client(emulator.base_url)
        assert server.get(f"/v1/customers/{made[0]}").json()["name"] == "updated while cold"
        assert server.get(f"/v1/customers/{made[150]}").json()["name"] == "c150"
        again = [c["id"] for c in server.get("/v1/customers", params={"limit": 100}).json()["data"]]
        assert again == listed
        assert len(emulator.app.store.account("state_flow").idempotency) == 3
