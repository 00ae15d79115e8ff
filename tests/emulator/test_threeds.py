"""The test 3-D Secure page (/redirect/authenticate/...) driven over raw HTTP."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

RETURN_URL = "https://shop.example/done?order=7"


@pytest.fixture
def browser(emulator):
    """A browser that does not follow redirects (so the 303 can be checked)."""
    with httpx.Client(follow_redirects=False) as session:
        yield session


def _three_ds_intent(client, customer=None, **extra):
    params = {"confirm": True, "payment_method": "pm_card_threeDSecure2Required", **extra}
    if customer is not None:
        params["customer"] = customer
    si = client.v1.setup_intents.create(params)
    assert si.status == "requires_action"
    return si


def _url(si) -> str:
    action = si.next_action.to_dict()
    if action["type"] == "redirect_to_url":
        return action["redirect_to_url"]["url"]
    return action["use_stripe_sdk"]["stripe_js"]


def test_page_shows_accessible_challenge(client, browser):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    page = browser.get(_url(si))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>3D Secure 2 Test Page</h1>" in page.text
    assert '<form method="post"' in page.text
    assert (
        '<button type="submit" id="test-source-authorize-3ds" name="action" value="complete">'
        "Complete</button>"
    ) in page.text
    assert (
        '<button type="submit" id="test-source-fail-3ds" name="action" value="fail">Fail</button>'
    ) in page.text
    assert si.id in page.text and "ending in 3220" in page.text


def test_complete_redirects_to_return_url_keeping_its_params(client, browser):
    customer = client.v1.customers.create()
    si = _three_ds_intent(client, customer.id, return_url=RETURN_URL)
    done = browser.post(_url(si), data={"action": "complete"})
    assert done.status_code == 303
    location = urlsplit(done.headers["location"])
    assert location.netloc == "shop.example" and location.path == "/done"
    assert parse_qs(location.query) == {
        "order": ["7"],
        "setup_intent": [si.id],
        "setup_intent_client_secret": [si.client_secret],
        "redirect_status": ["succeeded"],
    }


def test_complete_succeeds_and_attaches_payment_method(client, browser):
    customer = client.v1.customers.create()
    si = _three_ds_intent(client, customer.id, return_url=RETURN_URL)
    browser.post(_url(si), data={"action": "complete"})
    after = client.v1.setup_intents.retrieve(si.id)
    assert (after.status, after.next_action) == ("succeeded", None)
    assert client.v1.payment_methods.retrieve(after.payment_method).customer == customer.id
    attempt = client.v1.setup_attempts.list({"setup_intent": si.id}).data[0]
    assert attempt.status == "succeeded"
    assert attempt.payment_method_details.card.three_d_secure.result == "authenticated"


def test_fail_returns_to_requires_payment_method(client, browser):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    done = browser.post(_url(si), data={"action": "fail"})
    assert parse_qs(urlsplit(done.headers["location"]).query)["redirect_status"] == ["failed"]
    after = client.v1.setup_intents.retrieve(si.id)
    assert (after.status, after.payment_method) == ("requires_payment_method", None)
    error = after.last_setup_error
    assert (error.code, error.type) == (
        "setup_intent_authentication_failure",
        "invalid_request_error",
    )
    assert error.message == (
        "The latest attempt to set up the payment method has failed because authentication failed."
    )
    assert error.payment_method.card.last4 == "3220"
    events = [e.type for e in client.v1.events.list().data]
    assert events[0] == "setup_intent.setup_failed"


def test_without_return_url_shows_close_window_page(client, browser):
    si = _three_ds_intent(client, use_stripe_sdk=True)
    done = browser.post(_url(si), data={"action": "complete"})
    assert done.status_code == 200
    assert "Authentication complete — you can close this window." in done.text
    assert client.v1.setup_intents.retrieve(si.id).status == "succeeded"


def test_wrong_client_secret_is_400(client, browser, emulator, publishable_key):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    url = (
        f"{emulator.base_url}/redirect/authenticate/{si.id}"
        f"?client_secret={si.id}_secret_wrong&key={publishable_key}"
    )
    page = browser.post(url, data={"action": "complete"})
    assert page.status_code == 400
    assert "does not match" in page.text
    assert client.v1.setup_intents.retrieve(si.id).status == "requires_action"


def test_unknown_intent_is_404(browser, emulator, publishable_key):
    url = (
        f"{emulator.base_url}/redirect/authenticate/seti_nope?client_secret=x&key={publishable_key}"
    )
    page = browser.get(url)
    assert page.status_code == 404
    assert "No such intent: &#x27;seti_nope&#x27;" in page.text


def test_intent_not_requiring_action_is_400(client, browser):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    browser.post(_url(si), data={"action": "complete"})
    again = browser.post(_url(si), data={"action": "fail"})
    assert again.status_code == 400
    assert "has status succeeded" in again.text
    assert client.v1.setup_intents.retrieve(si.id).status == "succeeded"


def test_invalid_action_is_400(client, browser):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    page = browser.post(_url(si), data={"action": "maybe"})
    assert page.status_code == 400
    assert client.v1.setup_intents.retrieve(si.id).status == "requires_action"


def test_payment_intent_complete_redirects_with_payment_intent_params(client, browser):
    pi = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": True,
            "return_url": RETURN_URL,
        }
    )
    assert pi.status == "requires_action"
    url = pi.next_action.redirect_to_url.url
    page = browser.get(url)
    assert "10.99 USD" in page.text
    done = browser.post(url, data={"action": "complete"})
    query = parse_qs(urlsplit(done.headers["location"]).query)
    assert query["payment_intent"] == [pi.id]
    assert query["payment_intent_client_secret"] == [pi.client_secret]
    assert query["redirect_status"] == ["succeeded"]
    assert query["order"] == ["7"]


def test_events_caused_by_the_page_have_no_request(client, browser):
    """Not an API request: Stripe's events then carry `request: {id: null, idempotency_key: null}`."""
    customer = client.v1.customers.create()
    si = _three_ds_intent(client, customer.id, return_url=RETURN_URL)
    browser.post(_url(si), data={"action": "complete"})
    events = client.v1.events.list().data
    by_page = [e for e in events if e.type in ("payment_method.attached", "setup_intent.succeeded")]
    assert len(by_page) == 2
    for event in by_page:
        assert event.request.to_dict() == {"id": None, "idempotency_key": None}
    created = next(e for e in events if e.type == "setup_intent.created")
    assert created.request.id.startswith("req_")


def test_the_customers_choice_is_in_the_request_log(client, browser, http):
    si = _three_ds_intent(client, return_url=RETURN_URL)
    browser.post(_url(si), data={"action": "fail"})
    entry = http.get("/_emulator/requests").json()["data"][0]
    assert (entry["method"], entry["path"], entry["status"]) == (
        "POST",
        f"/redirect/authenticate/{si.id}",
        303,
    )
    assert (entry["key_type"], entry["element"], entry["action"]) == (
        "publishable",
        "three_ds",
        "fail",
    )
    assert entry["request_id"].startswith("req_")
