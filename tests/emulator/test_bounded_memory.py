"""Bounded memory: compacted objects answer as live ones, idempotency keys are bounded in bytes,
blank and idle accounts are dropped beyond the cap, an account in use or awaiting a webhook
retry never is.
(Figures: `make bench-memory`.)"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading

import httpx
import pytest

from stripe_emulator.app import EmulatorApp
from stripe_emulator.http_io import Request
from stripe_emulator.store import Store
from stripe_emulator.webhooks import Deliverer

from .webhook_support import Receiver

COMPACTED = (
    "customers",
    "payment_methods",
    "setup_intents",
    "setup_attempts",
    "payment_intents",
    "charges",
)


def card_flow(client) -> dict[str, str]:
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
    payment_intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": setup_intent.payment_method,
            "off_session": True,
            "confirm": True,
        }
    )
    return {
        "customer": customer.id,
        "setup_intent": setup_intent.id,
        "payment_method": setup_intent.payment_method,
        "payment_intent": payment_intent.id,
        "charge": payment_intent.latest_charge,
    }


def get(emulator, key: str, path: str) -> dict:
    response = httpx.get(emulator.base_url + path, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return response.json()


PATHS = {
    "customer": "/v1/customers/{}",
    "setup_intent": "/v1/setup_intents/{}",
    "payment_method": "/v1/payment_methods/{}",
    "payment_intent": "/v1/payment_intents/{}",
    "charge": "/v1/charges/{}",
}


def test_compacted_objects_read_and_change_like_live_ones(
    emulator, client, secret_key, account_suffix
):
    account = emulator.app.store.account(account_suffix)
    for name in COMPACTED:
        getattr(account, name)._hot_limit = 1  # every object but the newest is compacted
    flows = [card_flow(client) for _ in range(4)]
    first = flows[0]
    assert all(getattr(account, name).cold_count() > 0 for name in COMPACTED)
    # Compacted while live answers were kept: retrieving them now gives the same bodies.
    seen = {kind: get(emulator, secret_key, PATHS[kind].format(first[kind])) for kind in PATHS}
    for kind in PATHS:
        for name in COMPACTED:
            getattr(account, name)._compact(first[kind])
        assert get(emulator, secret_key, PATHS[kind].format(first[kind])) == seen[kind]
    # A change to a compacted object sticks; lists see it too.
    client.v1.customers.update(first["customer"], {"name": "Jenny Rosen"})
    for name in COMPACTED:
        getattr(account, name)._compact(first["customer"])
    assert client.v1.customers.retrieve(first["customer"]).name == "Jenny Rosen"
    listed = client.v1.customers.list({"limit": 10})
    assert [c.id for c in listed.data] == [f["customer"] for f in reversed(flows)]
    assert listed.data[-1].name == "Jenny Rosen"
    # A compacted PaymentMethod keeps its test card: it still pays off-session.
    methods = client.v1.customers.payment_methods.list(first["customer"], {"type": "card"})
    assert [m.id for m in methods.data] == [first["payment_method"]]
    again = client.v1.payment_intents.create(
        {
            "amount": 500,
            "currency": "usd",
            "customer": first["customer"],
            "payment_method": first["payment_method"],
            "off_session": True,
            "confirm": True,
        }
    )
    assert again.status == "succeeded"


def _post(emulator, key: str, path: str, data: dict, idempotency_key: str) -> httpx.Response:
    return httpx.post(
        emulator.base_url + path,
        data=data,
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idempotency_key},
    )


def test_idempotency_keys_are_bounded_in_bytes(emulator, secret_key, account_suffix):
    keys = emulator.app.store.account(account_suffix).idempotency
    keys._bytes_kept = 64_000
    hexes = [hashlib.sha256(str(n).encode()).hexdigest() * 6 for n in range(40)]
    metadata = {f"metadata[k{n}]": hexes[n] for n in range(40)}  # ~16 KB a response
    first = _post(emulator, secret_key, "/v1/customers", metadata, "key-0").json()["id"]
    assert _post(emulator, secret_key, "/v1/customers", metadata, "key-0").json()["id"] == first
    for number in range(1, 40):
        _post(emulator, secret_key, "/v1/customers", metadata, f"key-{number}")
    assert keys.bytes <= 64_000 and 0 < len(keys) < 40
    # The oldest key is forgotten (the request runs again), the newest still replays.
    assert _post(emulator, secret_key, "/v1/customers", metadata, "key-0").json()["id"] != first
    replay = _post(emulator, secret_key, "/v1/customers", metadata, "key-39")
    assert replay.headers["idempotent-replayed"] == "true"


def test_a_replay_with_other_parameters_is_still_refused(emulator, secret_key):
    _post(emulator, secret_key, "/v1/customers", {"email": "a@example.com"}, "same")
    response = _post(emulator, secret_key, "/v1/customers", {"email": "b@example.com"}, "same")
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "idempotency_error"


# --- accounts --------------------------------------------------------------------------------


def _call(
    app: EmulatorApp, key: str, method: str = "GET", path: str = "/v1/customers", form: str = ""
) -> dict:
    headers = {b"authorization": f"Bearer sk_test_{key}".encode(), b"host": b"127.0.0.1"}
    done = app.handle(Request(method, path, b"", form.encode(), headers))
    assert done.response.status == 200, done.response.body
    return json.loads(done.response.body)


@pytest.fixture
def app() -> EmulatorApp:
    return EmulatorApp(store=Store(accounts_kept=5, idle_seconds=3600))


def test_blank_accounts_beyond_the_cap_are_dropped(app):
    _call(app, "learner", "POST")  # a customer: not blank
    for number in range(200):
        _call(app, f"visitor{number}")  # each an unknown key that only reads
    names = app.store.names()
    assert len(names) <= 5 + 5 // 4 + 1
    assert "learner" in names and "visitor199" in names


def test_an_account_in_use_is_never_dropped(app):
    for number in range(20):
        _call(app, f"busy{number}", "POST")
    assert len(app.store.names()) == 20  # all used within the idle time: over the cap, kept
    ids = {_call(app, f"busy{n}")["data"][0]["id"] for n in range(20)}
    assert len(ids) == 20


def test_accounts_idle_beyond_the_cap_are_dropped_least_recently_used_first(app):
    for number in range(6):
        _call(app, f"old{number}", "POST")
    for name in app.store.names():
        app.store.account(name).last_used -= 7200  # two hours idle
    _call(app, "old0")  # used again: no longer idle
    for number in range(6):
        _call(app, f"new{number}", "POST")
    names = app.store.names()
    assert "old0" in names and all(f"new{n}" in names for n in range(6))
    assert not any(f"old{n}" in names for n in range(1, 6))


def test_a_reset_account_is_not_blank(app):
    headers = {b"authorization": b"Bearer sk_test_lesson", b"host": b"127.0.0.1"}
    app.handle(Request("POST", "/_emulator/reset", b"", b"frozen_at=1700000000", headers))
    for number in range(50):
        _call(app, f"visitor{number}")
    assert "lesson" in app.store.names()
    assert _call(app, "lesson", "POST")["created"] == 1700000000


def test_an_idle_account_awaiting_a_webhook_retry_is_kept_until_delivered():
    """Idle past the hour, beyond the cap, but its endpoint's retry is still due: the account
    stays, and the delivery lowers pending_webhooks on the account the store serves."""
    receiver = Receiver(statuses=[503])
    deliverer = Deliverer(retry_delays=(60.0,), timeout=5.0)
    app = EmulatorApp(store=Store(accounts_kept=5, idle_seconds=3600), deliverer=deliverer)
    deliverer.start()
    try:
        _call(app, "hooked", "POST", "/_emulator/reset", "frozen_at=1700000000")
        _call(
            app, "hooked", "POST", "/v1/webhook_endpoints",
            f"url={receiver.url}&enabled_events[]=customer.created",
        )  # fmt: skip
        _call(app, "hooked", "POST", "/v1/customers")
        _wait(lambda: _call(app, "hooked", "GET", "/_emulator/deliveries")["data"])
        assert deliverer.has_work(app.store.account("hooked"))  # 503: a retry in 60 s
        app.store.account("hooked").last_used -= 7200  # idle for two hours
        for number in range(12):
            _call(app, f"other{number}", "POST", "/v1/customers")
        assert "hooked" in app.store.names()

        _call(app, "hooked", "POST", "/_emulator/clock", "advance=60")
        receiver.wait_answered(2)
        # the deliverer logs the answer a moment after the receiver sent it
        _wait(lambda: _call(app, "hooked", "GET", "/v1/events")["data"][0]["pending_webhooks"] == 0)
        _wait(lambda: not deliverer.has_work(app.store.account("hooked")))

        app.store.account("hooked").last_used -= 7200  # idle, nothing left to deliver: dropped
        for number in range(12, 24):
            _call(app, f"other{number}", "POST", "/v1/customers")
        assert "hooked" not in app.store.names()
    finally:
        _run_apart(deliverer.stop())
        receiver.close()


def _wait(predicate) -> None:
    for _ in range(1000):
        if predicate():
            return
        threading.Event().wait(0.01)
    raise AssertionError("never happened")


def _run_apart(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests leave an event loop running here."""
    thread = threading.Thread(target=asyncio.run, args=(coroutine,))
    thread.start()
    thread.join(30)
