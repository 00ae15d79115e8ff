"""PaymentIntents through stripe-python (STRIPE_FACTS §1.5, §2.2, §2.3, §5.3, §9 step 7)."""

import pytest
import stripe

DECLARED = [
    k for k in stripe.PaymentIntent.__annotations__ if not k.startswith("_") and k != "OBJECT_NAME"
]


def _customer_with(client, token: str) -> tuple[str, str]:
    """A customer with the test card `token` attached (the cleanest 'already set up' path)."""
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    pm = client.v1.payment_methods.attach(token, {"customer": customer.id})
    return customer.id, pm.id


def _off_session(client, customer: str, pm: str):
    return client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer,
            "payment_method": pm,
            "off_session": True,
            "confirm": True,
        }
    )


def _event_types(client) -> list[str]:
    return [e.type for e in client.v1.events.list({"limit": 100}).data][::-1]


# --- create ----------------------------------------------------------------------------------


def test_create_returns_requires_payment_method_with_every_declared_field(http):
    body = http.post("/v1/payment_intents", data={"amount": 1099, "currency": "usd"}).json()
    assert body["status"] == "requires_payment_method"
    assert body["id"].startswith("pi_") and len(body["id"]) == len("pi_") + 24
    assert body["client_secret"].startswith(body["id"] + "_secret_")
    assert sorted(body) == sorted(DECLARED)
    assert body["amount_details"] == {"tip": {}}
    assert body["latest_charge"] is None and body["last_payment_error"] is None


def test_create_defaults_to_dynamic_payment_methods_and_async_capture(client):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "USD"})
    assert intent.currency == "usd"
    assert intent.payment_method_types == ["card", "link"]
    assert intent.automatic_payment_methods.to_dict() == {
        "allow_redirects": "always",
        "enabled": True,
    }
    assert intent.capture_method == "automatic_async"
    assert intent.payment_method_options.to_dict() == {
        "card": {
            "installments": None,
            "mandate_options": None,
            "network": None,
            "request_three_d_secure": "automatic",
        },
        "link": {"persistent_token": None},
    }


def test_create_with_payment_method_without_confirm_requires_confirmation(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa"}
    )
    assert intent.status == "requires_confirmation"
    assert intent.payment_method.startswith("pm_")


def test_create_and_confirm_with_pm_card_visa_succeeds_with_a_charge(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "expand": ["latest_charge"],
        }
    )
    assert intent.status == "succeeded"
    assert intent.amount_received == 1099
    charge = intent.latest_charge
    assert charge.object == "charge" and charge.id.startswith("ch_")
    assert charge.status == "succeeded" and charge.paid is True and charge.captured is True
    assert charge.amount_captured == 1099
    assert charge.payment_intent == intent.id
    assert charge.payment_method == intent.payment_method
    assert charge.outcome.type == "authorized"
    assert charge.payment_method_details.card.last4 == "4242"


def test_confirm_endpoint_charges_the_payment_method_given(client):
    intent = client.v1.payment_intents.create({"amount": 2000, "currency": "usd"})
    confirmed = client.v1.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa"})
    assert confirmed.status == "succeeded"
    assert confirmed.latest_charge.startswith("ch_")


def test_confirm_falls_back_to_the_customers_default_payment_method(client):
    customer, pm = _customer_with(client, "pm_card_visa")
    client.v1.customers.update(customer, {"invoice_settings": {"default_payment_method": pm}})
    intent = client.v1.payment_intents.create(
        {"amount": 1200, "currency": "usd", "customer": customer}
    )
    confirmed = client.v1.payment_intents.confirm(intent.id)
    assert confirmed.status == "succeeded"
    assert confirmed.payment_method == pm


def test_successful_payment_records_events_in_order(client):
    client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    assert _event_types(client) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


def test_payment_method_options_link_persistent_token_is_echoed(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method_options": {"link": {"persistent_token": "tok_abc"}},
        }
    )
    assert intent.payment_method_options.link.persistent_token == "tok_abc"


def test_setup_future_usage_attaches_the_payment_method_on_success(client):
    customer = client.v1.customers.create()
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "setup_future_usage": "off_session",
            "confirm": True,
        }
    )
    assert client.v1.payment_methods.retrieve(intent.payment_method).customer == customer.id


# --- off-session (§2.3) ------------------------------------------------------------------------


def test_off_session_with_3155_after_setup_succeeds(client):
    customer, pm = _customer_with(client, "pm_card_authenticationRequiredOnSetup")
    intent = _off_session(client, customer, pm)
    assert intent.status == "succeeded"


def test_off_session_with_the_payment_method_a_setup_intent_saved_succeeds(client):
    customer = client.v1.customers.create()
    setup = client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True}
    )
    assert setup.status == "succeeded"
    intent = _off_session(client, customer.id, setup.payment_method)
    assert intent.status == "succeeded"
    assert intent.payment_method == setup.payment_method


def test_off_session_with_3184_fails_402_authentication_required(client):
    customer, pm = _customer_with(client, "pm_card_authenticationRequired")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    error = info.value
    assert error.http_status == 402
    assert error.code == "authentication_required"
    assert error.error.decline_code == "authentication_required"
    assert error.user_message == "Your card was declined. This transaction requires authentication."
    body = error.json_body["error"]
    assert body["type"] == "card_error"
    assert body["doc_url"] == "https://stripe.com/docs/error-codes/authentication-required"
    assert body["payment_method"]["id"] == pm
    embedded = body["payment_intent"]
    assert embedded["status"] == "requires_payment_method"
    assert embedded["payment_method"] is None
    assert embedded["latest_charge"] == body["charge"]
    assert embedded["last_payment_error"]["code"] == "authentication_required"
    assert embedded["last_payment_error"]["payment_method"]["id"] == pm


def test_off_session_authentication_failure_leaves_a_failed_charge(client):
    customer, pm = _customer_with(client, "pm_card_authenticationRequired")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    charge = client.v1.charges.retrieve(info.value.json_body["error"]["charge"])
    assert charge.status == "failed" and charge.paid is False
    assert charge.failure_code == "authentication_required"
    assert charge.outcome.to_dict() | {"risk_score": 0} == {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network",
        "reason": "authentication_required",
        "risk_level": "normal",
        "risk_score": 0,
        "rule": None,
        "seller_message": "The bank returned the decline code `authentication_required`.",
        "type": "issuer_declined",
    }


def test_off_session_with_0341_attaches_but_the_charge_is_declined(client):
    customer, pm = _customer_with(client, "pm_card_chargeCustomerFail")
    with pytest.raises(stripe.CardError) as info:
        _off_session(client, customer, pm)
    assert info.value.code == "card_declined"
    assert info.value.error.decline_code == "generic_decline"
    intent = client.v1.payment_intents.retrieve(
        info.value.json_body["error"]["payment_intent"]["id"]
    )
    assert intent.status == "requires_payment_method"
    assert _event_types(client)[-2:] == ["charge.failed", "payment_intent.payment_failed"]


def test_off_session_is_refused_without_confirm(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "usd", "off_session": True})
    assert info.value.http_status == 400
    assert info.value.param == "off_session"
    assert client.v1.payment_intents.list().data == []


# --- on-session 3-D Secure ---------------------------------------------------------------------


def test_on_session_3155_requires_action_with_stripe_sdk_next_action(client, emulator):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequiredOnSetup",
            "confirm": True,
        }
    )
    assert intent.status == "requires_action"
    assert intent.latest_charge is None
    sdk = intent.next_action.use_stripe_sdk
    assert intent.next_action.type == "use_stripe_sdk"
    assert sdk["type"] == "three_d_secure_redirect"
    assert sdk["stripe_js"].startswith(f"{emulator.base_url}/redirect/authenticate/{intent.id}?")
    assert _event_types(client)[-1] == "payment_intent.requires_action"


def test_on_session_3ds_with_return_url_redirects(client):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_authenticationRequired",
            "confirm": True,
            "return_url": "https://example.com/done",
        }
    )
    assert intent.next_action.type == "redirect_to_url"
    assert intent.next_action.redirect_to_url.return_url == "https://example.com/done"
    assert f"client_secret={intent.client_secret}" in intent.next_action.redirect_to_url.url


def test_error_on_requires_action_fails_with_authentication_not_handled(client):
    with pytest.raises(stripe.CardError) as info:
        client.v1.payment_intents.create(
            {
                "amount": 1099,
                "currency": "usd",
                "payment_method": "pm_card_authenticationRequiredOnSetup",
                "confirm": True,
                "error_on_requires_action": True,
            }
        )
    assert info.value.code == "authentication_required"
    assert info.value.error.decline_code == "authentication_not_handled"
    assert "charge" not in info.value.json_body["error"]
    assert info.value.json_body["error"]["payment_intent"]["status"] == "requires_payment_method"


# --- capture / cancel ----------------------------------------------------------------------


def _hold(client, amount: int = 5000):
    return client.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "capture_method": "manual",
            "confirm": True,
        }
    )


def test_manual_capture_authorizes_then_captures(client):
    intent = _hold(client)
    assert intent.status == "requires_capture" and intent.amount_capturable == 5000
    held = client.v1.charges.retrieve(intent.latest_charge)
    assert held.captured is False and held.paid is True and held.amount_captured == 0
    captured = client.v1.payment_intents.capture(intent.id)
    assert captured.status == "succeeded"
    assert captured.amount_received == 5000 and captured.amount_capturable == 0
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.captured is True and charge.amount_captured == 5000
    assert _event_types(client)[-2:] == ["charge.captured", "payment_intent.succeeded"]


def test_partial_capture_releases_the_remainder(client):
    intent = _hold(client)
    client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 3000})
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.amount_captured == 3000
    assert charge.amount_refunded == 2000 and charge.refunded is False
    assert charge.refunds.data[0].amount == 2000


def test_capture_more_than_capturable_is_amount_too_large(client):
    intent = _hold(client)
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.capture(intent.id, {"amount_to_capture": 9999})
    assert info.value.code == "amount_too_large"
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_capture"


def test_capture_of_an_uncapturable_intent_is_unexpected_state(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.capture(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message == (
        "This PaymentIntent could not be captured because it has a status of "
        "requires_payment_method. Only a PaymentIntent with one of the following statuses may "
        "be captured: requires_capture."
    )
    assert info.value.json_body["error"]["payment_intent"]["id"] == intent.id


def test_cancel_sets_status_reason_and_time(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    canceled = client.v1.payment_intents.cancel(
        intent.id, {"cancellation_reason": "requested_by_customer"}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "requested_by_customer"
    assert canceled.canceled_at is not None
    assert _event_types(client)[-1] == "payment_intent.canceled"


def test_cancel_of_a_held_payment_releases_the_authorization(client):
    intent = _hold(client)
    client.v1.payment_intents.cancel(intent.id)
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert charge.refunded is True and charge.amount_refunded == 5000


def test_cancel_after_success_is_unexpected_state_with_the_intent(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.cancel(intent.id)
    assert info.value.http_status == 400
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message.startswith(
        "You cannot cancel this PaymentIntent because it has a status of succeeded."
    )
    assert info.value.json_body["error"]["payment_intent"]["status"] == "succeeded"


def test_confirm_after_success_is_unexpected_state(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.confirm(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.user_message == (
        "You cannot confirm this PaymentIntent because it has already succeeded after being "
        "previously confirmed."
    )


def test_confirm_without_payment_method_is_unexpected_state(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.confirm(intent.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert "it's missing a payment method" in info.value.user_message


# --- update / list / retrieve --------------------------------------------------------------


def test_update_payment_method_moves_to_requires_confirmation(client):
    intent = client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    updated = client.v1.payment_intents.update(
        intent.id, {"payment_method": "pm_card_visa", "metadata": {"order": "42"}}
    )
    assert updated.status == "requires_confirmation"
    assert updated.metadata.to_dict() == {"order": "42"}


def test_update_amount_after_success_is_unexpected_state(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    )
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.update(intent.id, {"amount": 2000})
    assert info.value.code == "payment_intent_unexpected_state"
    assert info.value.param == "amount"
    assert client.v1.payment_intents.retrieve(intent.id).amount == 1000


def test_list_filters_by_customer_newest_first(client):
    customer = client.v1.customers.create()
    first = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "customer": customer.id}
    )
    client.v1.payment_intents.create({"amount": 1000, "currency": "usd"})
    second = client.v1.payment_intents.create(
        {"amount": 1000, "currency": "usd", "customer": customer.id}
    )
    page = client.v1.payment_intents.list({"customer": customer.id})
    assert [i.id for i in page.data] == [second.id, first.id]


def test_unknown_payment_intent_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.retrieve("pi_missing")
    assert info.value.http_status == 404
    assert info.value.code == "resource_missing"
    assert info.value.user_message == "No such payment_intent: 'pi_missing'"


def test_publishable_key_retrieve_with_client_secret_gets_restricted_view(http, publishable_key):
    intent = http.post(
        "/v1/payment_intents",
        data={"amount": 1099, "currency": "usd", "metadata[k]": "v"},
    ).json()
    response = http.get(
        f"/v1/payment_intents/{intent['id']}",
        params={"client_secret": intent["client_secret"]},
        headers={"Authorization": f"Bearer {publishable_key}"},
    )
    view = response.json()
    assert response.status_code == 200
    assert view["status"] == "requires_payment_method"
    assert "metadata" not in view and "customer" not in view
    assert view["client_secret"] == intent["client_secret"]


def test_publishable_key_retrieve_with_wrong_secret_is_refused(client, http, publishable_key):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.get(
        f"/v1/payment_intents/{intent.id}",
        params={"client_secret": f"{intent.id}_secret_wrong"},
        headers={"Authorization": f"Bearer {publishable_key}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "client_secret"


def test_publishable_key_confirm_with_client_secret(client, http, publishable_key):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={
            "key": publishable_key,
            "client_secret": intent.client_secret,
            "payment_method": "pm_card_visa",
        },
        headers={"Authorization": ""},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert "latest_charge" not in response.json()


def test_publishable_key_confirm_without_client_secret_changes_nothing(
    client, http, publishable_key
):
    intent = client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    response = http.post(
        f"/v1/payment_intents/{intent.id}/confirm",
        data={"key": publishable_key, "payment_method": "pm_card_visa"},
        headers={"Authorization": ""},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "client_secret"
    assert client.v1.payment_intents.retrieve(intent.id).status == "requires_payment_method"


# --- validation errors -----------------------------------------------------------------------


def test_amount_below_the_usd_minimum_is_amount_too_small(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 49, "currency": "usd"})
    assert info.value.http_status == 400
    assert info.value.code == "amount_too_small"
    assert info.value.param == "amount"
    assert info.value.user_message == "Amount must be at least $0.50 usd"


def test_missing_amount_is_parameter_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"currency": "usd"})
    assert info.value.code == "parameter_missing"
    assert info.value.param == "amount"


def test_unknown_currency_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "xyz"})
    assert info.value.param == "currency"
    assert info.value.user_message.startswith("Invalid currency: xyz.")


def test_payment_method_of_another_customer_is_refused(client):
    _, pm = _customer_with(client, "pm_card_visa")
    other = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "customer": other.id, "payment_method": pm}
        )
    assert info.value.param == "payment_method"
    assert info.value.user_message == (
        f"The PaymentMethod {pm} does not belong to the Customer you supplied {other.id}. "
        "Please use this PaymentMethod with the Customer that it belongs to instead."
    )
    assert client.v1.payment_intents.list().data == []


def test_customers_payment_method_without_customer_is_refused(client):
    customer, pm = _customer_with(client, "pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create({"amount": 1099, "currency": "usd", "payment_method": pm})
    assert info.value.code == "parameter_missing"
    assert f"belongs to the Customer {customer}" in info.value.user_message


# --- API versions (§6.6) ------------------------------------------------------------------------


def test_payment_method_types_is_refused_from_endive(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "payment_method_types": ["card"]}
        )
    assert info.value.http_status == 400
    assert info.value.code == "payment_method_types_no_longer_supported"
    assert info.value.param == "payment_method_types"


def test_payment_method_types_is_writable_before_endive(legacy_client):
    intent = legacy_client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method_types": ["card", "link"]}
    )
    assert intent.payment_method_types == ["card", "link"]
    assert intent.automatic_payment_methods is None


def test_allowed_payment_method_types_filters_from_dahlia(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "allowed_payment_method_types": ["card"]}
    )
    assert intent.payment_method_types == ["card"]
    assert intent.allowed_payment_method_types == ["card"]


def test_allowed_payment_method_types_is_unknown_before_dahlia(legacy_client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        legacy_client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "allowed_payment_method_types": ["card"]}
        )
    assert info.value.code == "parameter_unknown"


def test_capture_method_defaults_to_automatic_before_2024_04_10(client):
    intent = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True},
        {"stripe_version": "2023-10-16"},
    )
    assert intent.capture_method == "automatic"
    assert client.v1.charges.retrieve(intent.latest_charge).balance_transaction.startswith("txn_")


# --- completing 3-D Secure on the test page ----------------------------------------------------


def _requires_action(client, token: str, **extra):
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": token,
            "confirm": True,
            "return_url": "https://example.com/done?order=7",
            **extra,
        }
    )
    assert intent.status == "requires_action"
    return intent


def _authenticate(anon_http, intent, action: str):
    url = intent.next_action.redirect_to_url.url
    assert anon_http.get(url).status_code == 200
    return anon_http.post(url, data={"action": action})


def test_completed_3ds_charges_and_redirects_with_succeeded(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired")
    response = _authenticate(anon_http, intent, "complete")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"https://example.com/done?order=7&payment_intent={intent.id}"
        f"&payment_intent_client_secret={intent.client_secret}&redirect_status=succeeded"
    )
    done = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert done.status == "succeeded" and done.next_action is None
    three_ds = done.latest_charge.payment_method_details.card.three_d_secure
    assert three_ds.result == "authenticated" and three_ds.authentication_flow == "challenge"


def test_failed_3ds_returns_to_requires_payment_method(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired")
    response = _authenticate(anon_http, intent, "fail")
    assert response.headers["location"].endswith("redirect_status=failed")
    failed = client.v1.payment_intents.retrieve(intent.id)
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None and failed.latest_charge is None
    error = failed.last_payment_error
    assert error.code == "payment_intent_authentication_failure"
    assert error.type == "invalid_request_error"
    assert error.message == (
        "The provided PaymentMethod has failed authentication. You can provide "
        "payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent "
        "again."
    )
    assert _event_types(client)[-1] == "payment_intent.payment_failed"


def test_3178_is_declined_after_completed_3ds(client, anon_http):
    intent = _requires_action(
        client, "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds"
    )
    _authenticate(anon_http, intent, "complete")
    declined = client.v1.payment_intents.retrieve(intent.id, {"expand": ["latest_charge"]})
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error.decline_code == "insufficient_funds"
    assert declined.latest_charge.status == "failed"


def test_completed_3ds_with_manual_capture_requires_capture(client, anon_http):
    intent = _requires_action(client, "pm_card_authenticationRequired", capture_method="manual")
    _authenticate(anon_http, intent, "complete")
    held = client.v1.payment_intents.retrieve(intent.id)
    assert held.status == "requires_capture" and held.amount_capturable == 1099
