"""Webhook delivery under faults: long outages on the emulator clock, hung endpoints, late answers,
300 endpoints on a bounded pool, the endpoint limit, and redelivery on request."""

from __future__ import annotations

import json
import socket
import threading

import httpx
import pytest
import stripe

from stripe_emulator import Emulator
from stripe_emulator.resources.webhook_endpoint import MAX_PER_ACCOUNT
from stripe_emulator.webhook_retry import (
    HORIZON,
    RETRY_DELAYS,
    RETRY_SCALE_ENV,
    WORKERS_ENV,
    settings_from_env,
)

from .webhook_support import create_endpoint, wait_deliveries

T = 1_900_000_000  # every account here starts with its clock frozen at T
WORKERS = 2  # fewer delivery threads than hung endpoints below


@pytest.fixture(scope="module")
def hooks_emulator():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WORKERS_ENV, str(WORKERS))
        emu = Emulator(port=0)
    emu.start()
    yield emu
    emu.stop()


class Account:
    """One account of `hooks_emulator`, its clock frozen at T."""

    def __init__(self, emulator: Emulator, key: str) -> None:
        emulator.reset(key, frozen_at=T)
        self.client = stripe.StripeClient(
            key, base_addresses={"api": emulator.base_url}, max_network_retries=0
        )
        self.http = httpx.Client(
            base_url=emulator.base_url, headers={"Authorization": f"Bearer {key}"}
        )

    def advance_to(self, when: int) -> None:
        now = self.http.get("/_emulator/clock").json()["now"]
        self.http.post("/_emulator/clock", data={"advance": when - now}).raise_for_status()

    def events(self) -> list:
        return list(reversed(self.client.v1.events.list({"limit": 100}).data))  # oldest first

    def retry(self, event_id: str, **params) -> httpx.Response:
        return self.http.post(f"/v1/events/{event_id}/retry", data=params)


@pytest.fixture
def account(hooks_emulator, account_suffix):
    account = Account(hooks_emulator, f"sk_test_{account_suffix}")
    yield account
    account.http.close()


@pytest.fixture
def timeout(hooks_emulator, monkeypatch):
    """Set how long endpoints have to answer (seconds), for this test only."""
    return lambda seconds: monkeypatch.setattr(hooks_emulator.app.deliverer, "timeout", seconds)


def event_ids(requests: list[dict]) -> list[str]:
    return [json.loads(r["body"])["id"] for r in requests]


# --- the schedule ------------------------------------------------------------------------


def test_schedule_backs_off_over_three_days_and_compresses():
    schedule = settings_from_env({}).schedule
    assert [schedule.delay_after(n) for n in (1, 2, 3)] == [60.0, 120.0, 240.0]
    assert schedule.delay_after(len(RETRY_DELAYS) + 1) is None  # then it gives up
    assert 2 * 24 * 3600 < sum(RETRY_DELAYS) <= HORIZON
    squeezed = settings_from_env({RETRY_SCALE_ENV: "0.001"}).schedule
    assert squeezed.delay_after(1) == pytest.approx(0.06)
    with pytest.raises(ValueError, match=WORKERS_ENV):
        settings_from_env({WORKERS_ENV: "1.5"})


# --- outages on the emulator clock -------------------------------------------------------


def test_endpoint_down_ten_minutes_of_clock_then_every_event_arrives(account, receivers):
    receiver = receivers()
    receiver.down = True  # answers 503
    create_endpoint(account.client, receiver.url, ["customer.created"])
    for _ in range(3):
        account.client.v1.customers.create()
    events = [e.id for e in account.events()]
    log = wait_deliveries(account.http, lambda log: len(log) == 3)
    assert {(e["status"], e["next_retry_in"], e["next_retry_at"]) for e in log} == {
        (503, 60.0, T + 60)
    }
    # Ten minutes down: the retries due at +1, +3 and +7 minutes fail too.
    for due, attempts in ((T + 60, 6), (T + 180, 9), (T + 420, 12)):
        account.advance_to(due)
        log = wait_deliveries(account.http, lambda log, n=attempts: len(log) == n)
    assert log[0]["next_retry_at"] == T + 900 and not any(e["succeeded"] for e in log)
    account.advance_to(T + 600)
    receiver.down = False  # back after ten minutes; the next retries are due at +15 minutes
    account.advance_to(T + 900)
    log = wait_deliveries(account.http, lambda log: sum(e["succeeded"] for e in log) == 3)
    assert len(log) == 15  # nothing was sent before it was due
    delivered = [r for r in receiver.answered if r["status"] == 200]
    assert event_ids(delivered) == events  # each once, in the order they happened
    assert {e["attempt"] for e in log if e["succeeded"]} == {5}
    assert [e.pending_webhooks for e in account.events()] == [0, 0, 0]


# --- hung endpoints ----------------------------------------------------------------------


def test_hung_endpoints_delay_no_other(account, receivers, timeout):
    timeout(10.0)
    healthy = receivers()
    create_endpoint(account.client, healthy.url, ["customer.created"])
    hung = [receivers(gate=threading.Event()) for _ in range(WORKERS + 1)]
    for receiver in hung:  # created last, so their deliveries are queued first
        create_endpoint(account.client, receiver.url, ["customer.created"])
    account.client.v1.customers.create()
    account.client.v1.customers.create()
    assert event_ids(healthy.wait_answered(2)) == [e.id for e in account.events()]
    assert all(r.answered == [] for r in hung)  # every hung endpoint still holds its request
    assert all(len(r.arrived) == 1 for r in hung)  # its second event waits behind the first


def test_late_answer_of_a_timed_out_request_is_the_only_success(account, receivers, timeout):
    timeout(0.3)
    gate = threading.Event()
    receiver = receivers(gate=gate, held=1)  # holds the first request until the gate opens
    create_endpoint(account.client, receiver.url, ["customer.created"])
    account.client.v1.customers.create()
    log = wait_deliveries(account.http, lambda log: len(log) == 1)
    assert log[0]["error"].startswith("timed out") and not log[0]["succeeded"]
    account.advance_to(T + 60)  # the retry falls due while the first request is still open
    gate.set()  # ...and then its answer arrives: 200
    log = wait_deliveries(account.http, lambda log: any(e["succeeded"] for e in log))
    assert [(e["attempt"], e["succeeded"], e.get("late")) for e in log] == [
        (1, True, True),
        (1, False, False),
    ]
    account.advance_to(T + 24 * 3600)  # any retry still scheduled would go out now
    account.client.v1.customers.create()
    first, second = [e.id for e in account.events()]
    receiver.wait_answered(2)
    assert event_ids(receiver.arrived) == [first, second]  # the first event was sent once
    # The deliverer lowers pending_webhooks as it logs the answer, a moment after the receiver
    # answered: wait for the second success in the log first.
    wait_deliveries(account.http, lambda log: sum(e["succeeded"] for e in log) == 2)
    assert [e.pending_webhooks for e in account.events()] == [0, 0]
    assert log[-1]["error"] == "timed out after 0.3 s" and log[-1]["next_retry_at"] == T + 60


def test_three_hundred_endpoints_start_no_thread(hooks_emulator, account_suffix, timeout):
    timeout(0.5)
    with socket.socket() as listener:  # accepts connections and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/webhook"
        before = threading.active_count()
        accounts = [
            Account(hooks_emulator, f"sk_test_{account_suffix}_{n}")
            for n in range(-(-300 // MAX_PER_ACCOUNT))
        ]
        for account in accounts:
            for _ in range(MAX_PER_ACCOUNT):
                create_endpoint(account.client, url, ["customer.created"])
            account.client.v1.customers.create()
        most = threading.active_count()
        for account in accounts:  # every endpoint got its request, and it timed out
            wait_deliveries(account.http, lambda log: len(log) == MAX_PER_ACCOUNT)
            most = max(most, threading.active_count())
            account.http.close()
        assert len(accounts) * MAX_PER_ACCOUNT >= 300
        assert most - before <= 1, f"{most - before} threads started for 300 endpoints"


# --- the endpoint limit ------------------------------------------------------------------


def test_webhook_endpoints_are_limited_per_account(client):
    made = [create_endpoint(client, f"https://example.com/{n}") for n in range(MAX_PER_ACCOUNT)]
    with pytest.raises(stripe.InvalidRequestError) as info:
        create_endpoint(client, "https://example.com/one-more")
    assert info.value.http_status == 400 and info.value.code is None
    assert "maximum of 16 webhook endpoints" in info.value.user_message
    assert len(client.v1.webhook_endpoints.list({"limit": 100}).data) == MAX_PER_ACCOUNT
    client.v1.webhook_endpoints.delete(made[0].id)
    assert create_endpoint(client, "https://example.com/one-more").id.startswith("we_")


# --- redelivery on request ---------------------------------------------------------------


def test_resend_delivers_the_event_once_more(account, receivers):
    receiver = receivers()
    endpoint = create_endpoint(account.client, receiver.url, ["customer.created"])
    account.client.v1.customers.create()
    (event,) = account.events()
    receiver.wait_answered(1)
    response = account.retry(event.id, webhook_endpoint=endpoint.id)
    assert response.status_code == 200
    assert response.json()["id"] == event.id and response.json()["object"] == "event"
    assert event_ids(receiver.wait_answered(2)) == [event.id, event.id]
    log = wait_deliveries(account.http, lambda log: len(log) == 2)
    assert [(e["manual"], e["succeeded"]) for e in log] == [(True, True), (False, True)]
    assert account.events()[0].pending_webhooks == 0


def test_resend_delivers_what_failed_and_retries_go_on(account, receivers):
    receiver = receivers()
    receiver.down = True
    endpoint = create_endpoint(account.client, receiver.url, ["customer.created"])
    account.client.v1.customers.create()
    (event,) = account.events()
    wait_deliveries(account.http, lambda log: len(log) == 1)
    receiver.down = False
    assert account.retry(event.id, webhook_endpoint=endpoint.id).status_code == 200
    wait_deliveries(account.http, lambda log: log[0]["succeeded"])
    assert account.events()[0].pending_webhooks == 0
    account.advance_to(T + 60)  # like Stripe, the automatic retry still goes out
    log = wait_deliveries(account.http, lambda log: len(log) == 3)
    assert [(e["manual"], e["attempt"], e["succeeded"]) for e in log] == [
        (False, 2, True),
        (True, 1, True),
        (False, 1, False),
    ]
    assert account.events()[0].pending_webhooks == 0


@pytest.mark.parametrize(
    ("case", "status", "param", "message"),
    [
        ("unknown_event", 404, "id", "No such notification: 'evt_unknown'"),
        ("unknown_endpoint", 404, "webhook_endpoint", "No such webhook endpoint: 'we_unknown'"),
        ("not_a_recipient", 400, "webhook_endpoint", "was not enabled for customer.created"),
        ("no_endpoint", 400, "webhook_endpoint", "Missing required param: webhook_endpoint."),
        ("stripe_cli", 400, "for_stripecli", "no Stripe CLI listener"),
    ],
)
def test_resend_refusals(account, case, status, param, message):
    account.client.v1.customers.create()
    (event,) = account.events()
    later = create_endpoint(account.client, "http://127.0.0.1:9/x", ["customer.created"])
    params = {
        "unknown_event": ("evt_unknown", {"webhook_endpoint": later.id}),
        "unknown_endpoint": (event.id, {"webhook_endpoint": "we_unknown"}),
        "not_a_recipient": (event.id, {"webhook_endpoint": later.id}),
        "no_endpoint": (event.id, {}),
        "stripe_cli": (event.id, {"for_stripecli": "true"}),
    }[case]
    response = account.retry(params[0], **params[1])
    error = response.json()["error"]
    assert response.status_code == status and error["type"] == "invalid_request_error"
    assert error["param"] == param and message in error["message"]
