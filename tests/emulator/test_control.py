"""Control routes under /_emulator/: health, reset, request log, deliveries, clock."""

from __future__ import annotations

import pytest
import stripe

from helpers.backend import mask_key


def test_health_needs_no_key(anon_http):
    response = anon_http.get("/_emulator/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_control_routes_need_a_key(anon_http):
    response = anon_http.get("/_emulator/requests")
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_control_routes_refuse_publishable_keys(anon_http, publishable_key):
    response = anon_http.post(
        "/_emulator/reset", headers={"Authorization": f"Bearer {publishable_key}"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "secret_key_required"


def test_unknown_control_route_is_404(http):
    response = http.get("/_emulator/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("Unrecognized request URL (GET: ")


def test_reset_empties_only_this_account(client, http, emulator, account_suffix):
    other_key = f"sk_test_{account_suffix}other"
    other = stripe.StripeClient(
        other_key, base_addresses={"api": emulator.base_url}, max_network_retries=0
    )
    emulator.reset(other_key)
    kept = other.v1.customers.create()
    client.v1.customers.create()
    response = http.post("/_emulator/reset")
    assert response.status_code == 200 and response.json()["reset"] is True
    assert http.get("/_emulator/requests").json()["data"] == []
    assert client.v1.customers.list().data == [] and client.v1.events.list().data == []
    assert [c.id for c in other.v1.customers.list().data] == [kept.id]


def test_reset_with_bad_frozen_at_is_a_stripe_error(http):
    response = http.post("/_emulator/reset", data={"frozen_at": "soon"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parameter_invalid_integer" and error["param"] == "frozen_at"


def test_request_log_is_newest_first_with_details(client, http):
    customer = client.v1.customers.create(options={"idempotency_key": "log-me"})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.retrieve("cus_missing")
    client.v1.customers.list()
    entries = http.get("/_emulator/requests").json()["data"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/v1/customers", 200),
        ("GET", "/v1/customers/cus_missing", 404),
        ("POST", "/v1/customers", 200),
    ]
    first = entries[-1]
    assert first["request_id"] == customer.last_response.request_id
    assert first["idempotency_key"] == "log-me" and entries[1]["idempotency_key"] is None
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert isinstance(first["created"], int)


def test_request_log_says_which_key_version_and_element_sent_each_request(
    client, http, pk_http, emulator
):
    intent = client.v1.setup_intents.create()
    frame = f"{emulator.base_url}/v3/elements-inner-payment.html"
    pk_http.get(
        f"/v1/setup_intents/{intent.id}",
        params={"client_secret": intent.client_secret},
        headers={"Referer": frame, "Stripe-Version": "2024-04-10", "User-Agent": "a browser"},
    )
    browser, server = http.get("/_emulator/requests").json()["data"]
    assert (server["key_type"], server["element"]) == ("secret", None)
    assert server["api_version"] == stripe.api_version
    assert server["user_agent"].startswith("Stripe/v1 PythonBindings/")
    assert (browser["key_type"], browser["element"]) == ("publishable", "payment")
    assert (browser["api_version"], browser["user_agent"]) == ("2024-04-10", "a browser")
    assert server["received_at"] <= browser["received_at"]


def test_request_log_limit(client, http):
    for _ in range(3):
        client.v1.customers.create()
    assert len(http.get("/_emulator/requests", params={"limit": 2}).json()["data"]) == 2
    response = http.get("/_emulator/requests", params={"limit": 0})
    assert response.status_code == 400 and response.json()["error"]["param"] == "limit"


def test_deliveries_log_starts_empty(http):
    response = http.get("/_emulator/deliveries")
    assert response.status_code == 200 and response.json()["data"] == []


def test_frozen_clock_sets_created(client, http):
    clock = http.post("/_emulator/clock", data={"frozen_at": "1700000000"}).json()
    assert clock == {"now": 1700000000, "frozen": True}
    assert client.v1.customers.create().created == 1700000000
    assert http.post("/_emulator/clock", data={"advance": "3600"}).json()["now"] == 1700003600
    assert client.v1.customers.create().created == 1700003600
    assert http.get("/_emulator/clock").json() == {"now": 1700003600, "frozen": True}


def test_unfreezing_lets_the_clock_run(http):
    http.post("/_emulator/clock", data={"frozen_at": "1700000000"})
    clock = http.post("/_emulator/clock", data={"freeze": "false"}).json()
    assert clock["frozen"] is False and clock["now"] > 1700000000


@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        ({"advance": "abc"}, "parameter_invalid_integer", "advance"),
        ({"advance": "-5"}, "parameter_invalid_integer", "advance"),
        ({"freeze": "maybe"}, "parameter_invalid_boolean", "freeze"),
        ({"rewind": "5"}, "parameter_unknown", "rewind"),
        ({"freeze": "false", "frozen_at": "1"}, None, "frozen_at"),
    ],
)
def test_bad_clock_input_is_a_stripe_error(http, data, code, param):
    response = http.post("/_emulator/clock", data=data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert error.get("code") == code


def _run_lesson(client) -> list[tuple]:
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    client.v1.customers.update(customer.id, {"name": "Jenny Rosen"})
    endpoint = client.v1.webhook_endpoints.create(
        {"url": "https://example.com/hooks", "enabled_events": ["*"]}
    )
    events = client.v1.events.list().data
    return [
        (customer.id, customer.created, customer.invoice_prefix),
        (endpoint.id, endpoint.created, mask_key(endpoint.secret)),
        *[(e.id, e.created, e.request.id) for e in events],
    ]


def test_a_reset_seed_gives_two_keys_the_same_ids_but_not_the_same_secrets(emulator):
    """Lesson keys have a random part; their ids must not: the lesson names the seed."""
    runs = []
    for key in ("sk_test_seedA", "sk_test_seedB"):
        emulator.reset(key, frozen_at=1700000000, seed="linklab_01_customer")
        client = stripe.StripeClient(
            key, base_addresses={"api": emulator.base_url}, max_network_retries=0
        )
        intent = client.v1.setup_intents.create()
        runs.append((client.v1.customers.create().id, intent.id, intent.client_secret))
    (cus_a, seti_a, secret_a), (cus_b, seti_b, secret_b) = runs
    assert (cus_a, seti_a) == (cus_b, seti_b)
    assert secret_a != secret_b
    emulator.reset("sk_test_seedA")  # no seed: the key's own ids again
    client = stripe.StripeClient(
        "sk_test_seedA", base_addresses={"api": emulator.base_url}, max_network_retries=0
    )
    assert client.v1.customers.create().id != cus_a


def test_reset_with_frozen_clock_replays_ids_and_timestamps(client, emulator, secret_key):
    emulator.reset(secret_key, frozen_at=1700000000)
    first = _run_lesson(client)
    emulator.reset(secret_key, frozen_at=1700000000)
    second = _run_lesson(client)
    assert first == second
    assert {row[1] for row in first} == {1700000000}
    assert len({row[0] for row in first}) == len(first)  # and the ids are all different
