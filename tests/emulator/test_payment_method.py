"""PaymentMethods through stripe-python: create, test tokens, attach/detach, list, update."""

import pytest
import stripe

FUTURE = {"exp_month": 12, "exp_year": 2040}
BANK = {"routing_number": "110000000", "account_number": "000123456789"}


def _raw_card(pk_client, number="4242424242424242", **card):
    return pk_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": number, "cvc": "123", **FUTURE, **card}}
    )


def _bank_pm(client):
    return client.v1.payment_methods.create(
        {"type": "us_bank_account", "us_bank_account": BANK, "billing_details": {"name": "J"}}
    )


def test_create_card_from_publishable_key_has_card_hash_only(pk_client):
    pm = _raw_card(pk_client)
    data = pm.to_dict()
    assert pm.id.startswith("pm_") and len(pm.id) == len("pm_") + 24
    assert pm.type == "card" and pm.customer is None and pm.allow_redisplay == "unspecified"
    assert data["card"]["brand"] == "visa" and data["card"]["last4"] == "4242"
    assert data["card"]["exp_month"] == 12 and data["card"]["exp_year"] == 2040
    assert data["card"]["checks"]["cvc_check"] == "pass"
    assert data["card"]["networks"] == {"available": ["visa"], "preferred": None}
    assert "link" not in data and "us_bank_account" not in data
    assert data["billing_details"]["address"]["line1"] is None


@pytest.mark.live_stripe
def test_raw_card_number_from_secret_key_is_refused(client):
    with pytest.raises(stripe.CardError) as info:
        client.v1.payment_methods.create(
            {"type": "card", "card": {"number": "4242424242424242", **FUTURE}}
        )
    assert info.value.http_status == 402
    assert info.value.error.type == "invalid_request_error"
    assert info.value.user_message.startswith(
        "Sending credit card numbers directly to the Stripe API is generally unsafe."
    )


def test_luhn_invalid_number_is_incorrect_number(pk_client):
    with pytest.raises(stripe.CardError) as info:
        _raw_card(pk_client, "4242424242424241")
    assert info.value.http_status == 402
    assert info.value.error.type == "card_error"
    assert info.value.code == "incorrect_number"
    assert info.value.param == "card[number]"
    assert info.value.user_message == "Your card number is incorrect."


def test_month_13_is_invalid_expiry_month(pk_client):
    with pytest.raises(stripe.CardError) as info:
        _raw_card(pk_client, exp_month=13)
    assert (info.value.code, info.value.param) == ("invalid_expiry_month", "card[exp_month]")


def test_past_year_is_invalid_expiry_year(pk_client):
    with pytest.raises(stripe.CardError) as info:
        _raw_card(pk_client, exp_year=2001)
    assert (info.value.code, info.value.param) == ("invalid_expiry_year", "card[exp_year]")


def test_two_digit_cvc_is_invalid_cvc(pk_client):
    with pytest.raises(stripe.CardError) as info:
        _raw_card(pk_client, cvc="12")
    assert (info.value.code, info.value.param) == ("invalid_cvc", "card[cvc]")


@pytest.mark.live_stripe
def test_missing_type_is_parameter_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.create({"us_bank_account": BANK})
    assert info.value.http_status == 400
    assert (info.value.code, info.value.param) == ("parameter_missing", "type")


@pytest.mark.live_stripe
def test_unknown_parameter_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.create({"type": "us_bank_account", "colour": "red"})
    assert (info.value.code, info.value.param) == ("parameter_unknown", "colour")


@pytest.mark.live_stripe
def test_test_token_materializes_a_new_payment_method_each_use(client):
    first = client.v1.payment_methods.retrieve("pm_card_visa")
    second = client.v1.payment_methods.retrieve("pm_card_visa")
    assert first.id != second.id and first.id.startswith("pm_1")
    assert first.card.last4 == "4242" and first.card.brand == "visa"


@pytest.mark.live_stripe
def test_token_brands_and_funding(client):
    amex = client.v1.payment_methods.retrieve("pm_card_amex")
    debit = client.v1.payment_methods.retrieve("pm_card_mastercard_debit")
    assert (amex.card.brand, amex.card.display_brand, amex.card.last4) == (
        "amex",
        "american_express",
        "0005",
    )
    assert (debit.card.brand, debit.card.funding) == ("mastercard", "debit")


@pytest.mark.live_stripe
def test_retrieve_unknown_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.retrieve("pm_nope")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.param == "payment_method"
    assert info.value.user_message == "No such PaymentMethod: 'pm_nope'"


def test_attach_sets_customer_and_records_event(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    assert pm.customer == customer.id
    events = client.v1.events.list({"type": "payment_method.attached"})
    assert [e.data.object.id for e in events.data] == [pm.id]


@pytest.mark.live_stripe
def test_attach_requires_customer(client):
    pm = client.v1.payment_methods.retrieve("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.attach(pm.id, {})
    assert (info.value.code, info.value.param) == ("parameter_missing", "customer")


@pytest.mark.live_stripe
def test_attach_to_unknown_customer_is_404(client):
    pm = client.v1.payment_methods.retrieve("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.attach(pm.id, {"customer": "cus_nope"})
    assert info.value.http_status == 404
    assert info.value.param == "customer"
    assert info.value.user_message == "No such customer: 'cus_nope'"


@pytest.mark.live_stripe
def test_decline_card_cannot_be_attached(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.retrieve("pm_card_visa_chargeDeclined")
    with pytest.raises(stripe.CardError) as info:
        client.v1.payment_methods.attach(pm.id, {"customer": customer.id})
    assert info.value.http_status == 402
    assert (info.value.code, info.value.error.decline_code) == ("card_declined", "generic_decline")
    assert client.v1.payment_methods.retrieve(pm.id).customer is None


@pytest.mark.live_stripe
def test_attach_to_a_second_customer_is_refused(client):
    first, second = client.v1.customers.create(), client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": first.id})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.attach(pm.id, {"customer": second.id})
    assert info.value.user_message == (
        "The payment method you provided has already been attached to a customer."
    )
    assert client.v1.payment_methods.retrieve(pm.id).customer == first.id


def test_detach_clears_customer_and_records_event(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    detached = client.v1.payment_methods.detach(pm.id)
    assert detached.customer is None
    event = client.v1.events.list({"type": "payment_method.detached"}).data[0]
    assert event.data.previous_attributes.customer == customer.id
    assert client.v1.customers.payment_methods.list(customer.id).data == []


@pytest.mark.live_stripe
def test_detach_unattached_is_refused(client):
    pm = client.v1.payment_methods.retrieve("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.detach(pm.id)
    assert info.value.http_status == 400
    assert "not attached to a customer so detachment is impossible" in info.value.user_message


@pytest.mark.live_stripe
def test_customer_payment_methods_newest_first_filtered_by_type(client):
    customer = client.v1.customers.create()
    card1 = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    bank = client.v1.payment_methods.attach(_bank_pm(client).id, {"customer": customer.id})
    card2 = client.v1.payment_methods.attach("pm_card_amex", {"customer": customer.id})
    every = client.v1.customers.payment_methods.list(customer.id)
    cards = client.v1.customers.payment_methods.list(customer.id, {"type": "card"})
    assert [pm.id for pm in every.data] == [card2.id, bank.id, card1.id]
    assert [pm.id for pm in cards.data] == [card2.id, card1.id]
    assert cards.url == f"/v1/customers/{customer.id}/payment_methods"


@pytest.mark.live_stripe
def test_list_payment_methods_by_customer_and_type(client):
    customer, other = client.v1.customers.create(), client.v1.customers.create()
    mine = client.v1.payment_methods.attach(_bank_pm(client).id, {"customer": customer.id})
    client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.payment_methods.attach(_bank_pm(client).id, {"customer": other.id})
    page = client.v1.payment_methods.list({"customer": customer.id, "type": "us_bank_account"})
    assert [pm.id for pm in page.data] == [mine.id]


@pytest.mark.live_stripe
def test_list_with_unknown_customer_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.list({"customer": "cus_nope"})
    assert (info.value.http_status, info.value.param) == (404, "customer")


def test_list_with_unknown_type_is_refused(client):
    customer = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.list({"customer": customer.id, "type": "foo"})
    assert (info.value.code, info.value.param) == ("parameter_invalid_string", "type")


def test_update_merges_billing_details_and_metadata(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    client.v1.payment_methods.update(
        pm.id, {"billing_details": {"name": "Jenny", "address": {"city": "Paris"}}}
    )
    updated = client.v1.payment_methods.update(
        pm.id,
        {"billing_details": {"email": "j@example.com"}, "metadata": {"k": "v"}},
    )
    assert updated.billing_details.name == "Jenny"
    assert updated.billing_details.email == "j@example.com"
    assert updated.billing_details.address.city == "Paris"
    assert updated.metadata.to_dict() == {"k": "v"}
    assert client.v1.events.list({"type": "payment_method.updated"}).data[0].data.object.id == pm.id


@pytest.mark.live_stripe
def test_update_card_expiry(client):
    customer = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    updated = client.v1.payment_methods.update(pm.id, {"card": {"exp_month": 3, "exp_year": 2039}})
    assert (updated.card.exp_month, updated.card.exp_year) == (3, 2039)


@pytest.mark.live_stripe
def test_update_unattached_payment_method_is_refused(client):
    pm = client.v1.payment_methods.retrieve("pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.update(pm.id, {"metadata": {"k": "v"}})
    assert info.value.user_message == (
        "You must save this PaymentMethod to a customer before you can update it."
    )
    assert client.v1.payment_methods.retrieve(pm.id).metadata.to_dict() == {}


@pytest.mark.live_stripe
def test_us_bank_account_payment_method_shape(client):
    pm = _bank_pm(client)
    assert pm.type == "us_bank_account"
    assert pm.us_bank_account.bank_name == "STRIPE TEST BANK"
    assert pm.us_bank_account.last4 == "6789"
    assert pm.us_bank_account.routing_number == "110000000"
    assert "card" not in pm.to_dict()


def test_retrieve_with_publishable_key_needs_secret_key(pk_client, client):
    pm = client.v1.payment_methods.retrieve("pm_card_visa")
    with pytest.raises(stripe.PermissionError) as info:
        pk_client.v1.payment_methods.retrieve(pm.id)
    assert info.value.http_status == 403
    assert info.value.json_body["error"]["code"] == "secret_key_required"


@pytest.mark.live_stripe
def test_customer_payment_method_retrieve_checks_owner(client):
    customer, other = client.v1.customers.create(), client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    found = client.v1.customers.payment_methods.retrieve(customer.id, pm.id)
    assert found.id == pm.id
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.customers.payment_methods.retrieve(other.id, pm.id)
    assert info.value.http_status == 404
