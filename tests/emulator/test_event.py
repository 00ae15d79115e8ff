"""Events through stripe-python: recorded on every state change, listed newest first."""

from __future__ import annotations

import pytest
import stripe


def _customer_lifecycle(client):
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    client.v1.customers.update(customer.id, {"name": "Jenny Rosen", "metadata": {"k": "v"}})
    client.v1.customers.delete(customer.id)
    return customer


def test_customer_lifecycle_events_newest_first(client):
    customer = _customer_lifecycle(client)
    events = client.v1.events.list().data
    assert [e.type for e in events] == ["customer.deleted", "customer.updated", "customer.created"]
    assert {e.data.object.id for e in events} == {customer.id}
    assert all(e.data.object.object == "customer" for e in events)


def test_event_snapshots_are_immutable(client):
    _customer_lifecycle(client)
    deleted, updated, created = client.v1.events.list().data
    assert created.data.object.name is None and created.data.object.metadata.to_dict() == {}
    assert updated.data.object.name == "Jenny Rosen"
    assert updated.data.object.metadata.to_dict() == {"k": "v"}
    assert deleted.data.object.email == "jenny@example.com"
    assert "previous_attributes" not in created.data


def test_update_event_has_previous_attributes(client):
    customer = client.v1.customers.create({"name": "Jenny"})
    client.v1.customers.update(customer.id, {"name": "Jenny Rosen"})
    event = client.v1.events.list({"type": "customer.updated"}).data[0]
    assert event.data.previous_attributes.to_dict() == {"name": "Jenny"}


def test_event_shape(client):
    customer = client.v1.customers.create(options={"idempotency_key": "create-jenny"})
    event = client.v1.events.list().data[0]
    assert event.id.startswith("evt_") and len(event.id) == len("evt_") + 24
    assert event.object == "event" and event.livemode is False
    assert event.api_version == stripe.api_version
    assert event.created == customer.created and event.pending_webhooks == 0
    assert event.request.to_dict() == {
        "id": customer.last_response.request_id,
        "idempotency_key": "create-jenny",
    }
    assert set(event.to_dict()) == {
        "id",
        "object",
        "api_version",
        "created",
        "data",
        "livemode",
        "pending_webhooks",
        "request",
        "type",
    }  # no `account` / `context`: those are for Connect events only


def test_retrieve_event_by_id(client):
    client.v1.customers.create()
    listed = client.v1.events.list().data[0]
    retrieved = client.v1.events.retrieve(listed.id)
    assert retrieved.to_dict() == listed.to_dict()


@pytest.mark.live_stripe
def test_retrieve_unknown_event_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.events.retrieve("evt_1NoSuchEventNoSuchEvent0")
    assert info.value.http_status == 404 and info.value.code == "resource_missing"
    assert info.value.param == "id"
    assert info.value.user_message == "No such event: 'evt_1NoSuchEventNoSuchEvent0'"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("customer.*", ["customer.deleted", "customer.updated", "customer.created"]),
        ("customer.updated", ["customer.updated"]),
        ("*.created", ["customer.created"]),
        ("setup_intent.*", []),
    ],
)
def test_list_filters_by_type_with_wildcard(client, pattern, expected):
    _customer_lifecycle(client)
    assert [e.type for e in client.v1.events.list({"type": pattern}).data] == expected


def test_list_filters_by_types(client):
    _customer_lifecycle(client)
    events = client.v1.events.list({"types": ["customer.created", "customer.deleted"]}).data
    assert [e.type for e in events] == ["customer.deleted", "customer.created"]


def test_type_and_types_together_are_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.events.list({"type": "customer.created", "types": ["customer.updated"]})
    assert info.value.http_status == 400 and info.value.param == "types"


def test_list_filters_by_created(client, http):
    http.post("/_emulator/clock", data={"frozen_at": "1700000000"})
    customer = client.v1.customers.create()
    http.post("/_emulator/clock", data={"advance": "60"})
    client.v1.customers.update(customer.id, {"name": "Later"})
    assert [e.type for e in client.v1.events.list({"created": 1700000000}).data] == [
        "customer.created"
    ]
    later = client.v1.events.list({"created": {"gt": 1700000000}}).data
    assert [(e.type, e.created) for e in later] == [("customer.updated", 1700000060)]
    assert len(client.v1.events.list({"created": {"gte": 1700000000, "lte": 1700000060}})) == 2


def test_bad_created_filter_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.events.list({"created": {"after": 5}})
    assert info.value.code == "parameter_unknown" and info.value.param == "created[after]"


def test_list_paginates_with_filters(client):
    for _ in range(3):
        client.v1.customers.create()
    created = client.v1.events.list({"type": "customer.created"}).data
    page = client.v1.events.list({"type": "customer.created", "limit": 2})
    assert [e.id for e in page.data] == [e.id for e in created[:2]] and page.has_more is True
    rest = client.v1.events.list({"type": "customer.created", "starting_after": page.data[-1].id})
    assert [e.id for e in rest.data] == [created[2].id] and rest.has_more is False


def test_auto_paging_walks_every_event(client):
    for _ in range(4):
        client.v1.customers.create()
    events = client.v1.events.list({"limit": 3})
    assert len(list(events.auto_paging_iter())) == 4


def test_events_need_a_secret_key(anon_http, publishable_key):
    response = anon_http.get("/v1/events", headers={"Authorization": f"Bearer {publishable_key}"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "secret_key_required"
