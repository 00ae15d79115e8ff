"""Webhook deliveries across a restart on a state file: what the killed process had not
delivered is delivered once the emulator is back, with the retries it had left; a delivery
whose retries had all been used is not revived (webhooks.Deliverer.resume)."""

from __future__ import annotations

import json

import httpx
import pytest
import stripe

from .state_support import Process
from .webhook_support import Receiver, create_endpoint, wait_deliveries

KEY = "sk_test_state_webhooks"
FROZEN_AT = 1_767_225_600  # 2026-01-01T00:00:00Z
RETRY_DELAYS = "STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS"


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.down = True  # answers 503 until the test brings it up
    yield receiver
    receiver.close()


class Lab:
    """An emulator process on a state file, with a frozen clock, an endpoint and one
    customer.created event whose first delivery attempt failed."""

    def __init__(self, tmp_path, receiver: Receiver, delays: str) -> None:
        self.state, self.log = tmp_path / "lab.db", tmp_path / "emulator.log"
        self.env = {RETRY_DELAYS: delays}
        self.receiver = receiver
        self._open: list[httpx.Client] = []
        self.process = Process(self.state, self.log, self.env)
        http = self.http()
        assert http.post("/_emulator/clock", data={"frozen_at": FROZEN_AT}).status_code == 200
        self.endpoint = create_endpoint(self.client(), receiver.url, events=["customer.created"])
        self.customer = self.client().v1.customers.create().id
        self.event = http.get("/v1/events").json()["data"][0]["id"]
        wait_deliveries(http, lambda log: len(log) == 1 and log[0]["status"] == 503)

    def http(self) -> httpx.Client:
        client = httpx.Client(
            base_url=self.process.base_url, headers={"Authorization": f"Bearer {KEY}"}
        )
        self._open.append(client)
        return client

    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(
            KEY, base_addresses={"api": self.process.base_url}, max_network_retries=0
        )

    def restart(self) -> None:
        """kill -9, bring the receiver up, start again on the same file."""
        self.process.kill()
        self.receiver.down = False
        self.process = Process(self.state, self.log, self.env)

    def delivered_ids(self) -> list[str]:
        """Event ids the receiver answered with 200, in order."""
        return [
            json.loads(request["body"])["id"]
            for request in self.receiver.answered
            if request["status"] == 200
        ]

    def stop(self) -> None:
        self.process.stop()
        while self._open:
            self._open.pop().close()


def test_an_undelivered_event_arrives_once_after_the_restart(tmp_path, receiver):
    lab = Lab(tmp_path, receiver, delays="60,60")  # retries due at +60 s and +120 s
    try:
        lab.restart()  # the clock is still frozen at creation: the retry was not even due
        delivered = receiver.wait_answered(2)[1]  # the 503 before the kill, then this one
        event = stripe.Webhook.construct_event(
            delivered["body"].decode(), delivered["headers"]["Stripe-Signature"],
            lab.endpoint.secret,
        )  # fmt: skip
        assert (event.id, event.data.object.id) == (lab.event, lab.customer)
        http = lab.http()
        wait_deliveries(http, lambda log: log and log[0]["succeeded"])
        assert http.get(f"/v1/events/{lab.event}").json()["pending_webhooks"] == 0
        # Past every retry's time, a later event is delivered and the first is not again.
        assert http.post("/_emulator/clock", data={"advance": 600}).status_code == 200
        later = lab.client().v1.customers.create().id
        receiver.wait_answered(3)
        assert lab.delivered_ids() == [lab.event, http.get("/v1/events").json()["data"][0]["id"]]
        assert json.loads(receiver.answered[2]["body"])["data"]["object"]["id"] == later
    finally:
        lab.stop()


def test_a_delivery_whose_retries_were_used_up_is_not_revived(tmp_path, receiver):
    lab = Lab(tmp_path, receiver, delays="60")  # one retry, at +60 s
    try:
        http = lab.http()
        assert http.post("/_emulator/clock", data={"advance": 61}).status_code == 200
        wait_deliveries(http, lambda log: len(log) == 2 and log[0]["next_retry_in"] is None)
        lab.restart()
        # Deliveries go out in order per endpoint: a revived one would arrive before this.
        later = lab.client().v1.customers.create().id
        receiver.wait_answered(3)
        assert [json.loads(r["body"])["data"]["object"]["id"] for r in receiver.answered] == [
            lab.customer, lab.customer, later,
        ]  # fmt: skip
        assert [r["status"] for r in receiver.answered] == [503, 503, 200]
        assert lab.http().get(f"/v1/events/{lab.event}").json()["pending_webhooks"] == 1
    finally:
        lab.stop()
