"""Customers through stripe-python."""

import pytest
import stripe

from .support import newest_ids


@pytest.mark.live_stripe
def test_create_customer_returns_fresh_customer(client):
    customer = client.v1.customers.create({"email": "jenny@example.com", "metadata": {"k": "v"}})
    assert customer.id.startswith("cus_") and len(customer.id) == len("cus_") + 14
    assert customer.object == "customer"
    assert customer.email == "jenny@example.com"
    assert customer.metadata.to_dict() == {"k": "v"}
    assert customer.livemode is False
    assert customer.balance == 0 and customer.tax_exempt == "none"


@pytest.mark.live_stripe
def test_update_customer_merges_metadata_and_unsets(client):
    customer = client.v1.customers.create({"name": "Jenny", "metadata": {"a": "1", "b": "2"}})
    updated = client.v1.customers.update(customer.id, {"name": "", "metadata": {"a": ""}})
    assert updated.name is None
    assert updated.metadata.to_dict() == {"b": "2"}


def test_delete_customer_then_retrieve_returns_the_deleted_stub(client, http):
    customer = client.v1.customers.create()
    deleted = client.v1.customers.delete(customer.id)
    assert deleted.deleted is True
    retrieved = client.v1.customers.retrieve(customer.id)
    assert retrieved.deleted is True
    body = http.get(f"/v1/customers/{customer.id}").json()
    assert body == {"id": customer.id, "object": "customer", "deleted": True}
    assert client.v1.customers.list().data == []


@pytest.mark.live_stripe
@pytest.mark.parametrize(
    "call",
    [
        lambda c, cid: c.v1.customers.update(cid, {"name": "Jenny"}),
        lambda c, cid: c.v1.customers.delete(cid),
        lambda c, cid: c.v1.payment_methods.attach("pm_card_visa", {"customer": cid}),
        lambda c, cid: c.v1.setup_intents.create({"customer": cid}),
    ],
    ids=["update", "delete", "attach", "setup_intent"],
)
def test_a_deleted_customer_is_404_for_everything_but_retrieve(client, call):
    customer = client.v1.customers.create()
    client.v1.customers.delete(customer.id)
    with pytest.raises(stripe.InvalidRequestError) as info:
        call(client, customer.id)
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == f"No such customer: '{customer.id}'"


def test_deleting_a_customer_detaches_its_payment_methods(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.customers.delete(customer.id)
    assert client.v1.payment_methods.retrieve(pm.id).customer is None
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.payment_methods.list(customer.id)


# --- invoice_settings ---------------------------------------------------------------------------


def _not_attached(pm_id: str) -> str:
    return (
        f"The customer does not have a payment method with the ID {pm_id}. The payment method "
        "must be attached to the customer."
    )


@pytest.mark.live_stripe
def test_default_payment_method_must_exist(client):
    customer = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.update(
            customer.id, {"invoice_settings": {"default_payment_method": "pm_nope"}}
        )
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.param == "invoice_settings[default_payment_method]"
    assert info.value.user_message == "No such PaymentMethod: 'pm_nope'"


def _bank_account(client):
    """An unattached PaymentMethod (bank details may be sent with a secret key)."""
    return client.v1.payment_methods.create(
        {
            "type": "us_bank_account",
            "us_bank_account": {
                "account_holder_type": "individual",
                "account_number": "000123456789",
                "routing_number": "110000000",
            },
        }
    )


@pytest.mark.live_stripe
def test_default_payment_method_must_be_attached_to_this_customer(client):
    customer = client.v1.customers.create()
    other = client.v1.customers.create()
    theirs = client.v1.payment_methods.attach("pm_card_visa", {"customer": other.id})
    for pm_id in [theirs.id, _bank_account(client).id]:
        with pytest.raises(stripe.InvalidRequestError) as info:
            client.v1.customers.update(
                customer.id, {"invoice_settings": {"default_payment_method": pm_id}}
            )
        assert info.value.http_status == 400
        assert info.value.param == "invoice_settings[default_payment_method]"
        assert info.value.user_message == _not_attached(pm_id)
    assert client.v1.customers.retrieve(customer.id).invoice_settings.default_payment_method is None


def test_default_payment_method_test_token_is_never_attached(client, http):
    customer = client.v1.customers.create()
    before = len(client.v1.events.list().data)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.update(
            customer.id, {"invoice_settings": {"default_payment_method": "pm_card_visa"}}
        )
    message = info.value.user_message
    pm_id = message.split("the ID ")[1].split(".")[0]
    assert pm_id.startswith("pm_") and pm_id != "pm_card_visa"
    assert message == _not_attached(pm_id)
    assert http.get(f"/v1/payment_methods/{pm_id}").status_code == 404  # nothing kept
    assert len(client.v1.events.list().data) == before
    assert client.v1.customers.retrieve(customer.id).invoice_settings.default_payment_method is None


@pytest.mark.live_stripe
def test_default_payment_method_attached_is_stored_and_expandable(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    updated = client.v1.customers.update(
        customer.id,
        {
            "invoice_settings": {"default_payment_method": pm.id},
            "expand": ["invoice_settings.default_payment_method"],
        },
    )
    assert updated.invoice_settings.default_payment_method.id == pm.id


@pytest.mark.live_stripe
def test_create_may_default_to_the_payment_method_it_attaches(client):
    pm = _bank_account(client)
    customer = client.v1.customers.create(
        {"payment_method": pm.id, "invoice_settings": {"default_payment_method": pm.id}}
    )
    assert customer.invoice_settings.default_payment_method == pm.id
    assert client.v1.payment_methods.retrieve(pm.id).customer == customer.id


@pytest.mark.live_stripe
def test_create_with_an_unattached_default_payment_method_creates_nothing(client):
    before = newest_ids(client.v1.customers)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.create({"invoice_settings": {"default_payment_method": "pm_card_visa"}})
    assert info.value.param == "invoice_settings[default_payment_method]"
    assert newest_ids(client.v1.customers) == before


def test_invoice_settings_change_alone_records_customer_updated(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.customers.update(
        customer.id, {"invoice_settings": {"default_payment_method": pm.id, "footer": "Thanks"}}
    )
    event = client.v1.events.list({"type": "customer.updated"}).data[0]
    assert event.data.object.invoice_settings.default_payment_method == pm.id
    assert event.data.previous_attributes.to_dict() == {
        "invoice_settings": {"default_payment_method": None, "footer": None}
    }


@pytest.mark.live_stripe
def test_detaching_the_default_payment_method_clears_it(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.customers.update(customer.id, {"invoice_settings": {"default_payment_method": pm.id}})
    client.v1.payment_methods.detach(pm.id)
    after = client.v1.customers.retrieve(customer.id)
    assert after.invoice_settings.default_payment_method is None


def test_detaching_the_default_records_customer_updated(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.customers.update(customer.id, {"invoice_settings": {"default_payment_method": pm.id}})
    client.v1.payment_methods.detach(pm.id)
    event = client.v1.events.list({"type": "customer.updated"}).data[0]
    assert event.data.object.invoice_settings.default_payment_method is None
    assert event.data.previous_attributes.to_dict() == {
        "invoice_settings": {"default_payment_method": pm.id}
    }


@pytest.mark.live_stripe
def test_detaching_another_payment_method_keeps_the_default(client):
    customer = client.v1.customers.create()
    default = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    other = client.v1.payment_methods.attach("pm_card_mastercard", {"customer": customer.id})
    client.v1.customers.update(
        customer.id, {"invoice_settings": {"default_payment_method": default.id}}
    )
    client.v1.payment_methods.detach(other.id)
    after = client.v1.customers.retrieve(customer.id)
    assert after.invoice_settings.default_payment_method == default.id


@pytest.mark.live_stripe
def test_invoice_settings_custom_fields_and_rendering_options_are_stored(client):
    customer = client.v1.customers.create(
        {
            "invoice_settings": {
                "custom_fields": [{"name": "PO", "value": "42"}],
                "rendering_options": {"amount_tax_display": "exclude_tax"},
            }
        }
    )
    settings = customer.invoice_settings.to_dict()
    assert settings["custom_fields"] == [{"name": "PO", "value": "42"}]
    assert settings["rendering_options"] == {"amount_tax_display": "exclude_tax", "template": None}
    cleared = client.v1.customers.update(
        customer.id, {"invoice_settings": {"custom_fields": "", "rendering_options": ""}}
    )
    assert cleared.invoice_settings.custom_fields is None
    assert cleared.invoice_settings.rendering_options is None


@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        (
            {"invoice_settings[custom_fields]": "x"},
            "parameter_invalid_string",
            "invoice_settings[custom_fields]",
        ),
        (
            {"invoice_settings[custom_fields][0][name]": "PO"},
            "parameter_missing",
            "invoice_settings[custom_fields][0][value]",
        ),
        (
            {
                "invoice_settings[custom_fields][0][name]": "PO",
                "invoice_settings[custom_fields][0][value]": "1",
                "invoice_settings[custom_fields][0][x]": "1",
            },
            "parameter_unknown",
            "invoice_settings[custom_fields][0][x]",
        ),
        (
            {"invoice_settings[rendering_options][a]": "b"},
            "parameter_unknown",
            "invoice_settings[rendering_options][a]",
        ),
        (
            {"invoice_settings[rendering_options]": "x"},
            "parameter_invalid_string",
            "invoice_settings[rendering_options]",
        ),
        (
            {"invoice_settings[rendering_options][template]": "inrtem_1"},
            None,
            "invoice_settings[rendering_options][template]",
        ),
    ],
)
def test_invalid_invoice_settings_are_refused(http, data, code, param):
    customer = http.post("/v1/customers").json()
    response = http.post(f"/v1/customers/{customer['id']}", data=data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error.get("code"), error["param"]) == (code, param)
    after = http.get(f"/v1/customers/{customer['id']}").json()
    assert after == customer


def test_list_customers_newest_first_with_pagination(client):
    ids = [client.v1.customers.create().id for _ in range(3)]
    page = client.v1.customers.list({"limit": 2})
    assert [c.id for c in page.data] == ids[::-1][:2]
    assert page.has_more is True
    rest = client.v1.customers.list({"limit": 2, "starting_after": page.data[-1].id})
    assert [c.id for c in rest.data] == [ids[0]]
    assert rest.has_more is False
