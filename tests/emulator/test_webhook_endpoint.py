"""Webhook endpoints through stripe-python, and signed deliveries to a real local receiver."""

from __future__ import annotations

import http.server
import json
import socket
import threading

import httpx
import pytest
import stripe

from stripe_emulator import Emulator
from stripe_emulator.webhooks import RETRY_DELAYS, RETRY_DELAYS_ENV, retry_delays_from_env

from .support import newest_ids

WAIT = 10.0  # upper bound for something that should happen at once (never a timing assertion)


class Receiver:
    """A tiny webhook receiver on 127.0.0.1: records each POST, answers scripted statuses."""

    def __init__(self, statuses: list[int] | None = None, gate: threading.Event | None = None):
        self.statuses = list(statuses or [])  # answers in order; 200 once exhausted
        self.gate = gate  # when set, each request waits for it before answering
        self.arrived: list[dict] = []
        self.answered: list[dict] = []
        self._changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = {"headers": dict(self.headers), "body": body, "path": self.path}
                receiver._note(receiver.arrived, request)
                if receiver.gate is not None:
                    receiver.gate.wait(WAIT)
                with receiver._changed:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver._note(receiver.answered, {**request, "status": status})

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def _note(self, log: list, item: dict) -> None:
        with self._changed:
            log.append(item)
            self._changed.notify_all()

    def wait_answered(self, count: int) -> list[dict]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.answered) >= count, WAIT), (
                f"expected {count} deliveries, got {len(self.answered)}"
            )
            return list(self.answered)

    def close(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make(statuses=None, gate=None) -> Receiver:
        made.append(Receiver(statuses, gate))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture(scope="module")
def fast_emulator():
    """An emulator of its own whose failed deliveries are retried after 20 ms (twice)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(RETRY_DELAYS_ENV, "0.02,0.02")
        emu = Emulator(port=0)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def fast_client(fast_emulator, account_suffix):
    key = f"sk_test_{account_suffix}"
    fast_emulator.reset(key)
    client = stripe.StripeClient(
        key, base_addresses={"api": fast_emulator.base_url}, max_network_retries=0
    )
    with httpx.Client(
        base_url=fast_emulator.base_url, headers={"Authorization": f"Bearer {key}"}
    ) as http:
        yield client, http


def wait_deliveries(http, predicate) -> list[dict]:
    """The account's delivery log (newest first) once `predicate(log)` holds."""
    done = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        log = http.get("/_emulator/deliveries").json()["data"]
        if predicate(log):
            return log
        done.wait(0.01)
    raise AssertionError(f"delivery log never matched: {log}")


def create_endpoint(client, url, events=("*",), **extra):
    return client.v1.webhook_endpoints.create({"url": url, "enabled_events": list(events), **extra})


# --- CRUD -----------------------------------------------------------------------------


@pytest.mark.live_stripe
def test_create_returns_endpoint_with_secret(client):
    endpoint = create_endpoint(
        client,
        "https://example.com/hooks",
        ["setup_intent.succeeded", "payment_method.attached"],
        description="Link lab",
        metadata={"lesson": "05"},
    )
    assert endpoint.id.startswith("we_") and endpoint.object == "webhook_endpoint"
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) == len("whsec_") + 32
    assert endpoint.enabled_events == ["setup_intent.succeeded", "payment_method.attached"]
    assert endpoint.status == "enabled" and endpoint.url == "https://example.com/hooks"
    assert endpoint.description == "Link lab" and endpoint.metadata.to_dict() == {"lesson": "05"}
    assert endpoint.api_version is None and endpoint.application is None
    assert endpoint.livemode is False and isinstance(endpoint.created, int)


@pytest.mark.live_stripe
def test_secret_is_returned_only_on_create(client):
    endpoint = create_endpoint(client, "https://example.com/hooks")
    assert "secret" not in client.v1.webhook_endpoints.retrieve(endpoint.id)
    assert "secret" not in client.v1.webhook_endpoints.update(endpoint.id, {"description": "x"})
    assert "secret" not in client.v1.webhook_endpoints.list().data[0]


def test_update_disables_and_changes_events(client):
    endpoint = create_endpoint(client, "https://example.com/hooks", metadata={"a": "1"})
    updated = client.v1.webhook_endpoints.update(
        endpoint.id,
        {
            "disabled": True,
            "enabled_events": ["customer.created"],
            "url": "http://127.0.0.1:9/x",
            "metadata": {"a": "", "b": "2"},
        },
    )
    assert updated.status == "disabled"
    assert updated.enabled_events == ["customer.created"]
    assert updated.url == "http://127.0.0.1:9/x"
    assert updated.metadata.to_dict() == {"b": "2"}
    enabled = client.v1.webhook_endpoints.update(endpoint.id, {"disabled": False})
    assert enabled.status == "enabled"


@pytest.mark.live_stripe
def test_list_newest_first(client):
    ids = [create_endpoint(client, f"https://example.com/{i}").id for i in range(3)]
    page = client.v1.webhook_endpoints.list({"limit": 2})
    assert [e.id for e in page.data] == ids[::-1][:2] and page.has_more is True


@pytest.mark.live_stripe
def test_delete_then_retrieve_is_404(client):
    endpoint = create_endpoint(client, "https://example.com/hooks")
    deleted = client.v1.webhook_endpoints.delete(endpoint.id)
    assert deleted.to_dict() == {"id": endpoint.id, "object": "webhook_endpoint", "deleted": True}
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.retrieve(endpoint.id)
    assert info.value.http_status == 404 and info.value.code == "resource_missing"
    assert info.value.user_message == f"No such webhook endpoint: '{endpoint.id}'"


@pytest.mark.live_stripe
@pytest.mark.parametrize("missing", ["url", "enabled_events"])
def test_create_requires_url_and_enabled_events(client, missing):
    params = {"url": "https://example.com/hooks", "enabled_events": ["*"]}
    del params[missing]
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.create(params)
    assert info.value.http_status == 400 and info.value.code == "parameter_missing"
    assert info.value.param == missing


@pytest.mark.live_stripe
def test_unknown_event_type_is_refused(client):
    before = newest_ids(client.v1.webhook_endpoints)
    with pytest.raises(stripe.InvalidRequestError) as info:
        create_endpoint(client, "https://example.com/h", ["customer.created", "customer.made"])
    assert info.value.http_status == 400 and info.value.param == "enabled_events[1]"
    assert info.value.user_message.startswith(
        "Invalid enabled_events[1]: must be one of account.application.authorized, "
    )
    assert newest_ids(client.v1.webhook_endpoints) == before  # nothing was created


@pytest.mark.live_stripe
@pytest.mark.parametrize("url", ["ftp://example.com/hooks", "example.com/hooks", "http://"])
def test_non_http_url_is_url_invalid(client, url):
    with pytest.raises(stripe.InvalidRequestError) as info:
        create_endpoint(client, url)
    assert info.value.http_status == 400 and info.value.code == "url_invalid"
    assert info.value.param == "url" and info.value.user_message == f"Invalid URL: {url}"


@pytest.mark.live_stripe
def test_api_version_cannot_be_updated(client):
    endpoint = create_endpoint(client, "https://example.com/hooks", api_version="2024-04-10")
    assert endpoint.api_version == "2024-04-10"
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.update(endpoint.id, {"api_version": "2025-03-31.basil"})
    assert info.value.code == "parameter_unknown" and info.value.param == "api_version"


def test_webhook_endpoints_need_a_secret_key(anon_http, publishable_key):
    response = anon_http.get(
        "/v1/webhook_endpoints", headers={"Authorization": f"Bearer {publishable_key}"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "secret_key_required"


# --- delivery ---------------------------------------------------------------------------


def test_deliveries_are_signed_for_construct_event(client, receivers):
    receiver = receivers()
    endpoint = create_endpoint(client, receiver.url, ["customer.created", "customer.updated"])
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    client.v1.customers.update(customer.id, {"name": "Jenny Rosen"})
    answered = receiver.wait_answered(2)
    events = [
        stripe.Webhook.construct_event(
            r["body"].decode(), r["headers"]["Stripe-Signature"], endpoint.secret
        )
        for r in answered
    ]
    assert [e.type for e in events] == ["customer.created", "customer.updated"]
    assert events[0].data.object.id == customer.id and events[0].pending_webhooks == 1
    assert events[1].data.previous_attributes.to_dict() == {"name": None}
    assert answered[0]["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert answered[0]["headers"]["User-Agent"].startswith("Stripe/1.0")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            answered[0]["body"].decode(), answered[0]["headers"]["Stripe-Signature"], "whsec_x"
        )


def test_only_matching_enabled_endpoints_get_events(client, receivers, http):
    updates, everything, disabled = receivers(), receivers(), receivers()
    create_endpoint(client, updates.url, ["customer.updated"])
    create_endpoint(client, everything.url, ["*"])
    off = create_endpoint(client, disabled.url, ["*"])
    client.v1.webhook_endpoints.update(off.id, {"disabled": True})
    customer = client.v1.customers.create()
    client.v1.customers.update(customer.id, {"name": "Jenny"})
    assert [json.loads(r["body"])["type"] for r in updates.wait_answered(1)] == ["customer.updated"]
    assert [json.loads(r["body"])["type"] for r in everything.wait_answered(2)] == [
        "customer.created",
        "customer.updated",
    ]
    created = client.v1.events.list({"type": "customer.created"}).data[0]
    assert created.pending_webhooks == 0  # delivered to `everything`, the only match
    assert disabled.arrived == [] and all(e["url"] != disabled.url for e in _log(http))


def _log(http) -> list[dict]:
    return http.get("/_emulator/deliveries").json()["data"]


def test_pending_webhooks_decrements_after_success(client, receivers, http):
    receiver = receivers()
    create_endpoint(client, receiver.url, ["customer.created"])
    create_endpoint(client, receiver.url + "/2", ["customer.created"])
    client.v1.customers.create()
    wait_deliveries(http, lambda log: sum(e["succeeded"] for e in log) == 2)
    event = client.v1.events.list().data[0]
    assert event.pending_webhooks == 0
    assert client.v1.events.list({"delivery_success": True}).data[0].id == event.id


def test_pinned_api_version_labels_the_payload(client, receivers):
    receiver = receivers()
    create_endpoint(client, receiver.url, api_version="2024-04-10")
    client.v1.customers.create()
    assert json.loads(receiver.wait_answered(1)[0]["body"])["api_version"] == "2024-04-10"
    assert client.v1.events.list().data[0].api_version == stripe.api_version


def test_slow_endpoint_does_not_block_the_api(client, receivers, http):
    gate = threading.Event()
    receiver = receivers(gate=gate)
    create_endpoint(client, receiver.url)
    first = client.v1.customers.create()
    second = client.v1.customers.create()  # returns while the first delivery is still held
    assert receiver.answered == []  # the endpoint has not finished anything yet
    assert [c.id for c in client.v1.customers.list().data] == [second.id, first.id]
    gate.set()
    assert len(receiver.wait_answered(2)) == 2
    wait_deliveries(http, lambda log: len(log) == 2 and all(e["succeeded"] for e in log))


def test_dead_endpoint_does_not_break_the_api(client, http):
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = create_endpoint(client, f"http://127.0.0.1:{port}/webhook")
    customer = client.v1.customers.create()
    assert customer.id.startswith("cus_")
    log = wait_deliveries(http, lambda log: len(log) >= 1)
    assert log[-1]["status"] is None and log[-1]["error"] and log[-1]["succeeded"] is False
    assert log[-1]["next_retry_in"] == 1.0  # the default schedule goes on in the background
    client.v1.webhook_endpoints.delete(endpoint.id)  # which stops it


def test_failed_delivery_is_retried_until_it_succeeds(fast_client, receivers):
    client, http = fast_client
    receiver = receivers(statuses=[500, 503])
    create_endpoint(client, receiver.url, ["customer.created"])
    client.v1.customers.create()
    answered = receiver.wait_answered(3)
    assert [r["status"] for r in answered] == [500, 503, 200]
    assert len({json.loads(r["body"])["id"] for r in answered}) == 1  # the same event each time
    log = wait_deliveries(http, lambda log: len(log) == 3)
    assert [(e["attempt"], e["status"], e["succeeded"]) for e in log] == [
        (3, 200, True),
        (2, 503, False),
        (1, 500, False),
    ]
    assert [e["next_retry_in"] for e in log] == [None, 0.02, 0.02]
    assert client.v1.events.list().data[0].pending_webhooks == 0


def test_retries_stop_after_the_schedule(fast_client, receivers):
    client, http = fast_client
    receiver = receivers(statuses=[500] * 10)
    create_endpoint(client, receiver.url, ["customer.created"])
    client.v1.customers.create()
    log = wait_deliveries(http, lambda log: len(log) == 3)
    assert log[0]["attempt"] == 3 and log[0]["next_retry_in"] is None  # nothing more scheduled
    assert client.v1.events.list().data[0].pending_webhooks == 1
    assert client.v1.events.list({"delivery_success": False}).data[0].type == "customer.created"


def test_redirect_counts_as_failure(fast_client, receivers):
    client, http = fast_client
    receiver = receivers(statuses=[302, 302, 302])
    create_endpoint(client, receiver.url, ["customer.created"])
    client.v1.customers.create()
    log = wait_deliveries(http, lambda log: len(log) == 3)
    assert {(e["status"], e["succeeded"]) for e in log} == {(302, False)}


def test_retry_delays_come_from_the_environment():
    assert retry_delays_from_env({}) == RETRY_DELAYS and len(RETRY_DELAYS) == 3
    assert retry_delays_from_env({RETRY_DELAYS_ENV: "0.5, 1"}) == (0.5, 1.0)
    with pytest.raises(ValueError, match=RETRY_DELAYS_ENV):
        retry_delays_from_env({RETRY_DELAYS_ENV: "soon"})


@pytest.mark.live_stripe
def test_api_version_must_be_one_stripe_knows(client):
    before = newest_ids(client.v1.webhook_endpoints)
    with pytest.raises(stripe.InvalidRequestError) as info:
        create_endpoint(client, "https://example.com/hooks", api_version="2099-01-01")
    assert info.value.http_status == 400
    assert info.value.param == "api_version"
    assert newest_ids(client.v1.webhook_endpoints) == before
