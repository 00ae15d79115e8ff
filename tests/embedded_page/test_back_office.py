"""The back office (`/back_office/…`, secret key only), login links and the masked request log."""

from __future__ import annotations

import pytest

from embedded_page.request_log import masked_target
from embedded_page.sessions import Sessions, safe_next_path
from tests.embedded_page.setup_steps import client_secret_from, intent_id


def login_link(page, back_office, **form) -> str:
    response = page.post("/back_office/login_links", data=form, headers=back_office)
    assert response.status_code == 200, response.text
    return response.json()["url"]


# -- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer sk_test_not_the_pages_key"},
        {"Authorization": "Basic c2tfdGVzdDo="},
    ],
    ids=["no-key", "another-key", "basic-auth"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/back_office/login_links"),
        ("GET", "/back_office/requests"),
        ("GET", "/back_office/events"),
    ],
)
def test_back_office_refuses_requests_without_the_secret_key(page, headers, method, path):
    response = page.request(method, path, headers=headers, data={"customer": "cus_x"})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert "secret key" in error["message"]


def test_back_office_refuses_the_publishable_key(page, publishable_key):
    headers = {"Authorization": f"Bearer {publishable_key}"}
    assert page.get("/back_office/requests", headers=headers).status_code == 401


# -- login links -----------------------------------------------------------------------------


def test_login_link_logs_the_browser_in_as_its_customer(page, back_office, client):
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    url = login_link(page, back_office, customer=customer.id)
    assert url.startswith("/login/")
    response = page.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/checkout"
    assert response.headers["set-cookie"].startswith("linklab_session=")
    intent = client.v1.setup_intents.retrieve(intent_id(client_secret_from(page)))
    assert intent.customer == customer.id
    assert len(client.v1.customers.list().data) == 1  # no guest customer was created


def test_login_link_goes_to_its_next_path(page, back_office, client):
    customer = client.v1.customers.create()
    url = login_link(page, back_office, customer=customer.id, next="/checkout?email=a%40b.co")
    assert page.get(url, follow_redirects=False).headers["location"] == "/checkout?email=a%40b.co"


def test_login_link_works_once(page, back_office, client):
    url = login_link(page, back_office, customer=client.v1.customers.create().id)
    assert page.get(url, follow_redirects=False).status_code == 303
    second = page.get(url, follow_redirects=False)
    assert second.status_code == 400
    assert "This login link does not work" in second.text
    assert "set-cookie" not in second.headers


def test_login_link_expires():
    now = [1000.0]
    sessions = Sessions(clock=lambda: now[0])
    token, ttl = sessions.create_login_link("cus_x", "/checkout")
    now[0] += ttl + 1
    assert sessions.redeem_login_link(token) is None


def test_unknown_login_token_is_refused(page):
    assert page.get("/login/not-a-token", follow_redirects=False).status_code == 400


def test_login_link_for_an_unknown_customer_forwards_stripes_message(page, back_office):
    response = page.post(
        "/back_office/login_links", data={"customer": "cus_DoesNotExist01"}, headers=back_office
    )
    assert response.status_code == 404
    assert response.json()["error"] == {
        "type": "invalid_request_error",
        "message": "No such customer: 'cus_DoesNotExist01'",
        "code": "resource_missing",
    }


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        ({}, "parameter_missing", "Missing required param: customer."),
        ({"customer": "cus_x", "email": "x"}, None, "Received unknown parameter: email"),
        ({"customer": "cus_x", "next": "https://evil.example/"}, "parameter_invalid_string", None),
        ({"customer": "cus_x", "next": "//evil.example/"}, "parameter_invalid_string", None),
    ],
    ids=["missing-customer", "unknown-param", "absolute-next", "protocol-relative-next"],
)
def test_login_link_bad_parameters(page, back_office, form, code, message):
    response = page.post("/back_office/login_links", data=form, headers=back_office)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error.get("code") == code
    if message:
        assert error["message"] == message


@pytest.mark.parametrize("value", ["/\\evil.example", "/ok\nSet-Cookie: x=1", "relative"])
def test_safe_next_path_refuses_what_could_leave_the_site(value):
    with pytest.raises(ValueError):
        safe_next_path(value)


# -- the return_url belongs to the session's customer ----------------------------------------


def test_order_complete_refuses_another_customers_setup_intent(page_for, back_office, client):
    page = page_for()
    theirs = client.v1.setup_intents.create(
        {"customer": client.v1.customers.create().id, "payment_method": "pm_card_visa"}
    )
    client.v1.setup_intents.confirm(theirs.id)
    client_secret_from(page)  # this browser now has a session of its own (a guest customer)
    response = page.get(
        "/order/complete",
        params={"setup_intent": theirs.id, "setup_intent_client_secret": theirs.client_secret},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "belongs to another customer" in response.text


# -- request log -----------------------------------------------------------------------------


def test_request_log_lists_requests_oldest_first_with_secrets_masked(page, back_office):
    page.get("/config")
    page.get("/order/complete?setup_intent=seti_1A&setup_intent_client_secret=seti_1A_secret_xyz")
    page.get("/login/some-token")
    entries = page.get("/back_office/requests", headers=back_office).json()["data"]
    paths = [entry["path"] for entry in entries]
    assert paths[:3] == [
        "/config",
        "/order/complete?setup_intent=seti_1A&setup_intent_client_secret=seti_1A_secret_****",
        "/login/****",
    ]
    assert "xyz" not in str(entries) and "some-token" not in str(entries)
    assert entries[0]["status"] == 200
    assert set(entries[0]) == {"method", "path", "status", "received_at", "duration_ms"}


def test_request_log_line_is_masked(page, caplog):
    caplog.set_level("INFO", logger="embedded_page.access")
    page.get("/checkout?setup_intent_client_secret=seti_1B_secret_abcdef")
    assert "seti_1B_secret_****" in caplog.text
    assert "abcdef" not in caplog.text


def test_masked_target_keeps_other_parameters():
    assert (
        masked_target("/checkout", "email=a%40b.co&name=J+R") == "/checkout?email=a%40b.co&name=J+R"
    )


# -- /payment/complete: the return_url of a payment finished on session ------------------------


def test_payment_complete_shows_the_payment_intent(page, client):
    customer = client.v1.customers.create()
    intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    response = page.get(
        "/payment/complete",
        params={"payment_intent": intent.id, "payment_intent_client_secret": intent.client_secret},
    )
    assert response.status_code == 200
    assert "Payment received" in response.text
    assert "10.99 USD" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "missing or malformed"),
        ({"payment_intent": "pi_1../x"}, "missing or malformed"),
        ({"payment_intent": "pi_1A", "payment_intent_client_secret": "pi_1A_secret_x"}, "No such"),
    ],
)
def test_payment_complete_refuses_what_it_cannot_check(page, query, message):
    response = page.get("/payment/complete", params=query)
    assert response.status_code == 400
    assert message in response.text


def test_payment_complete_needs_the_matching_client_secret(page, client):
    intent = client.v1.payment_intents.create({"amount": 500, "currency": "usd"})
    response = page.get(
        "/payment/complete",
        params={"payment_intent": intent.id, "payment_intent_client_secret": "pi_x_secret_y"},
    )
    assert response.status_code == 400
    assert "not created for this payment" in response.text
