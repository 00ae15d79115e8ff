"""Customers through stripe-python."""

import pytest
import stripe


def test_create_customer_returns_fresh_customer(client):
    customer = client.v1.customers.create({"email": "jenny@example.com", "metadata": {"k": "v"}})
    assert customer.id.startswith("cus_") and len(customer.id) == len("cus_") + 14
    assert customer.object == "customer"
    assert customer.email == "jenny@example.com"
    assert customer.metadata.to_dict() == {"k": "v"}
    assert customer.livemode is False
    assert customer.balance == 0 and customer.tax_exempt == "none"


def test_update_customer_merges_metadata_and_unsets(client):
    customer = client.v1.customers.create({"name": "Jenny", "metadata": {"a": "1", "b": "2"}})
    updated = client.v1.customers.update(customer.id, {"name": "", "metadata": {"a": ""}})
    assert updated.name is None
    assert updated.metadata.to_dict() == {"b": "2"}


def test_delete_customer_then_retrieve_is_404(client):
    customer = client.v1.customers.create()
    deleted = client.v1.customers.delete(customer.id)
    assert deleted.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.retrieve(customer.id)
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == f"No such customer: '{customer.id}'"


def test_list_customers_newest_first_with_pagination(client):
    ids = [client.v1.customers.create().id for _ in range(3)]
    page = client.v1.customers.list({"limit": 2})
    assert [c.id for c in page.data] == ids[::-1][:2]
    assert page.has_more is True
    rest = client.v1.customers.list({"limit": 2, "starting_after": page.data[-1].id})
    assert [c.id for c in rest.data] == [ids[0]]
    assert rest.has_more is False
