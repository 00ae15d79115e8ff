"""Each kind of error: HTTP status, body keys, and the stripe-python exception class it raises.

The status picks stripe-python's exception class (docs/facts/errors.md#status-codes-and-sdk-exceptions), so each is checked through
the SDK as well as on the wire.
"""

from __future__ import annotations

import secrets

import httpx
import pytest
import stripe

from stripe_emulator import Emulator
from stripe_emulator.router import Router
from stripe_emulator.routes import NO_PARAMS, ROUTES, Route

from .support import NO_REDIRECTS

ALWAYS = {"type", "message", "request_log_url"}
WITH_CODE = ALWAYS | {"code", "doc_url"}


def sdk_error(call) -> stripe.StripeError:
    with pytest.raises(stripe.StripeError) as info:
        call()
    return info.value


@pytest.mark.live_stripe
def test_unknown_parameter_is_invalid_request_400(client):
    error = sdk_error(lambda: client.v1.customers.create({"bogus": "1"}))
    assert type(error) is stripe.InvalidRequestError
    assert error.http_status == 400
    assert error.code == "parameter_unknown"
    assert error.param == "bogus"
    assert set(error.json_body["error"]) == WITH_CODE | {"param"}
    assert error.json_body["error"]["doc_url"] == (
        "https://stripe.com/docs/error-codes/parameter-unknown"
    )


@pytest.mark.live_stripe
def test_missing_object_is_invalid_request_404(client):
    error = sdk_error(lambda: client.v1.customers.retrieve("cus_doesnotexist"))
    assert type(error) is stripe.InvalidRequestError
    assert error.http_status == 404
    assert error.code == "resource_missing"
    assert error.param == "id"
    assert error.user_message == "No such customer: 'cus_doesnotexist'"
    assert set(error.json_body["error"]) == WITH_CODE | {"param"}


def test_bad_key_is_authentication_error_401(emulator):
    client = stripe.StripeClient(
        "sk_test_bad key!", base_addresses={"api": emulator.base_url}, max_network_retries=0
    )
    error = sdk_error(lambda: client.v1.customers.list())
    assert type(error) is stripe.AuthenticationError
    assert error.http_status == 401
    assert error.json_body["error"]["type"] == "invalid_request_error"
    assert set(error.json_body["error"]) == ALWAYS


def test_publishable_key_on_secret_route_is_permission_error_403(emulator, publishable_key):
    client = stripe.StripeClient(
        publishable_key, base_addresses={"api": emulator.base_url}, max_network_retries=0
    )
    error = sdk_error(lambda: client.v1.customers.list())
    assert type(error) is stripe.PermissionError
    assert error.http_status == 403
    assert error.user_message.startswith("This API call cannot be made with a publishable API key.")


@pytest.mark.live_stripe
def test_decline_is_card_error_402_with_the_intent(client):
    customer = client.v1.customers.create()
    params = {
        "amount": 1099,
        "currency": "usd",
        "customer": customer.id,
        "payment_method": "pm_card_visa_chargeDeclined",
        "off_session": True,
        "confirm": True,
        **NO_REDIRECTS,
    }
    error = sdk_error(lambda: client.v1.payment_intents.create(params))
    assert type(error) is stripe.CardError
    assert error.http_status == 402
    assert error.code == "card_declined"
    body = error.json_body["error"]
    assert body["type"] == "card_error"
    assert body["decline_code"] == "generic_decline"
    assert body["message"] == "Your card was declined."
    assert body["payment_intent"]["status"] == "requires_payment_method"
    assert body["payment_intent"]["last_payment_error"]["code"] == "card_declined"
    assert {"charge", "payment_method", "doc_url", "request_log_url"} <= set(body)


@pytest.mark.live_stripe
def test_reused_idempotency_key_is_idempotency_error(client):
    key = f"k-{secrets.token_hex(8)}"  # Stripe keeps keys for 24 hours: one per run
    client.v1.customers.create({"email": "a@example.com"}, {"idempotency_key": key})
    error = sdk_error(
        lambda: client.v1.customers.create({"email": "b@example.com"}, {"idempotency_key": key})
    )
    assert type(error) is stripe.IdempotencyError
    assert error.http_status == 400
    assert error.json_body["error"]["type"] == "idempotency_error"
    assert set(error.json_body["error"]) == ALWAYS


# --- 500: an unexpected exception in a handler ------------------------------------------


def _broken_handler(ctx, params):
    raise RuntimeError("secret internals: /srv/app.py line 12")


BROKEN = Route("GET", "/v1/broken", _broken_handler, NO_PARAMS)


@pytest.fixture(scope="module")
def broken_emulator():
    """An emulator whose route table has one extra route whose handler raises."""
    emu = Emulator(port=0)
    emu.app.router = Router([*ROUTES, BROKEN])
    emu.start()
    yield emu
    emu.stop()


def test_unexpected_exception_is_api_error_500_without_internals(broken_emulator, caplog):
    response = httpx.get(
        broken_emulator.base_url + "/v1/broken", headers={"Authorization": "Bearer sk_test_x500"}
    )
    assert response.status_code == 500
    body = response.json()["error"]
    assert body["type"] == "api_error"
    assert set(body) == ALWAYS
    assert body["message"].startswith("An unknown error occurred while processing your request.")
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert response.headers["request-id"].startswith("req_")
    assert "unexpected error handling GET /v1/broken" in caplog.text


def test_unexpected_exception_is_api_error_in_stripe_python(broken_emulator):
    client = stripe.StripeClient(
        "sk_test_x500", base_addresses={"api": broken_emulator.base_url}, max_network_retries=0
    )
    error = sdk_error(lambda: client.raw_request("get", "/v1/broken"))
    assert type(error) is stripe.APIError
    assert error.http_status == 500
