"""The emulator over raw HTTP (httpx): form decoding, coercion, auth, headers, idempotency, lists."""

from __future__ import annotations

import base64

import httpx
import pytest

SECRET_KEY_MESSAGE = (
    "This API call cannot be made with a publishable API key. Please use a secret API key. "
    "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
)


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["error"]


def test_bodies_are_indented_by_two_spaces_as_api_stripe_com_answers(http):
    """What `curl` shows: one field per line, as on api.stripe.com (not a one-line body)."""
    body = http.post("/v1/customers", data={"name": "Jenny Rosen"}).text
    assert body.startswith('{\n  "id": "cus_')
    assert '\n  "name": "Jenny Rosen",\n' in body


# --- form decoding ----------------------------------------------------------------------


def test_nested_brackets_decode_to_nested_objects(http):
    response = http.post(
        "/v1/customers",
        data={
            "shipping[name]": "Jenny Rosen",
            "shipping[address][city]": "Berlin",
            "shipping[address][postal_code]": "10115",
            "metadata[order]": "6735",
        },
    )
    customer = response.json()
    assert response.status_code == 200, response.text
    assert customer["shipping"]["name"] == "Jenny Rosen"
    assert customer["shipping"]["address"]["city"] == "Berlin"
    assert customer["shipping"]["address"]["postal_code"] == "10115"
    assert customer["metadata"] == {"order": "6735"}


def test_indexed_brackets_decode_to_a_list_in_index_order(http):
    body = "preferred_locales[1]=fr&preferred_locales[0]=en"
    response = http.post(
        "/v1/customers",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["preferred_locales"] == ["en", "fr"]


def test_empty_brackets_append_in_order(http):
    body = "preferred_locales[]=de&preferred_locales[]=en"
    response = http.post(
        "/v1/customers",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["preferred_locales"] == ["de", "en"]


def test_lists_of_objects_decode_from_indexed_keys(http):
    response = http.post(
        "/v1/customers",
        data={
            "invoice_settings[custom_fields][0][name]": "VAT",
            "invoice_settings[custom_fields][0][value]": "DE123",
        },
    )
    assert response.status_code == 200, response.text
    fields = response.json()["invoice_settings"]["custom_fields"]
    assert fields == [{"name": "VAT", "value": "DE123"}]


def test_expand_accepts_both_list_styles_on_get(http):
    customer = http.post("/v1/customers").json()
    for query in (
        "expand[]=invoice_settings.default_payment_method",
        "expand[0]=invoice_settings.default_payment_method",
    ):
        response = http.get(f"/v1/customers/{customer['id']}?{query}")
        assert response.status_code == 200, response.text


def test_unknown_nested_parameter_names_its_full_path(http):
    error = error_of(http.post("/v1/customers", data={"shipping[bogus]": "x"}), 400)
    assert error["code"] == "parameter_unknown"
    assert error["param"] == "shipping[bogus]"
    assert error["message"] == "Received unknown parameter: shipping[bogus]"


# --- coercion ---------------------------------------------------------------------------


def test_integer_strings_become_integers(http):
    response = http.post("/v1/customers", data={"balance": "-250"})
    assert response.status_code == 200, response.text
    assert response.json()["balance"] == -250


def test_non_integer_is_refused_with_its_param(http):
    error = error_of(http.post("/v1/customers", data={"balance": "12.5"}), 400)
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "parameter_invalid_integer"
    assert error["param"] == "balance"
    assert error["message"] == "Invalid integer: 12.5"


def test_boolean_strings_become_booleans(http):
    customer = http.post("/v1/customers").json()
    response = http.post(
        "/v1/setup_intents",
        data={"customer": customer["id"], "confirm": "false"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "requires_payment_method"


def test_non_boolean_is_refused_with_its_param(http):
    error = error_of(http.post("/v1/setup_intents", data={"confirm": "yes"}), 400)
    assert error["code"] == "parameter_invalid_boolean"
    assert error["param"] == "confirm"
    assert error["message"] == "Invalid boolean: yes"


# --- authentication ---------------------------------------------------------------------


def test_bearer_auth_is_accepted(anon_http, secret_key):
    response = anon_http.get("/v1/customers", headers={"Authorization": f"Bearer {secret_key}"})
    assert response.status_code == 200, response.text


def test_basic_auth_with_the_key_as_username_is_accepted(anon_http, secret_key):
    token = base64.b64encode(f"{secret_key}:".encode()).decode()
    response = anon_http.get("/v1/customers", headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 200, response.text


def test_basic_and_bearer_reach_the_same_account(anon_http, http, secret_key):
    created = http.post("/v1/customers").json()
    token = base64.b64encode(f"{secret_key}:".encode()).decode()
    response = anon_http.get(
        f"/v1/customers/{created['id']}", headers={"Authorization": f"Basic {token}"}
    )
    assert response.json()["id"] == created["id"]


def test_missing_key_is_401_with_stripes_message(anon_http):
    error = error_of(anon_http.get("/v1/customers"), 401)
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith(
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
    )


def test_malformed_key_is_401_and_masked(anon_http):
    key = "sk_test_not-a-valid-key-0123456789wxyz"
    response = anon_http.get("/v1/customers", headers={"Authorization": f"Bearer {key}"})
    error = error_of(response, 401)
    masked = key[:8] + "*" * (len(key) - 12) + key[-4:]
    assert error["message"] == f"Invalid API Key provided: {masked}"
    assert key not in response.text


@pytest.mark.parametrize("prefix", ["sk_live_", "rk_live_", "pk_live_"])
def test_live_keys_are_refused_without_echoing_them(anon_http, prefix):
    key = prefix + "51H8abcdefghijklmnopqrstuvwx"
    response = anon_http.get("/v1/customers", headers={"Authorization": f"Bearer {key}"})
    error = error_of(response, 401)
    assert error["type"] == "invalid_request_error"
    assert "test mode" in error["message"]
    assert key[:8] + "*" * (len(key) - 12) + key[-4:] in error["message"]
    assert key not in response.text


def test_publishable_key_is_refused_on_secret_only_routes(anon_http, publishable_key):
    response = anon_http.get(
        "/v1/customers", headers={"Authorization": f"Bearer {publishable_key}"}
    )
    error = error_of(response, 403)
    assert error["type"] == "invalid_request_error"
    assert error["message"] == SECRET_KEY_MESSAGE


def test_accounts_are_isolated_by_secret_key(emulator, http, secret_key):
    customer = http.post("/v1/customers").json()
    other_key = secret_key + "other"
    emulator.reset(other_key)
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {other_key}"}
    ) as other:
        error = error_of(other.get(f"/v1/customers/{customer['id']}"), 404)
        assert error["code"] == "resource_missing"
        assert error["message"] == f"No such customer: '{customer['id']}'"
        assert other.get("/v1/customers").json()["data"] == []


# --- headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "auth", "status"),
    [
        ("GET", "/v1/customers", True, 200),
        ("POST", "/v1/customers", True, 200),
        ("GET", "/v1/customers", False, 401),
        ("GET", "/v1/customers/cus_missing", True, 404),
        ("GET", "/v1/foo", True, 404),
        ("POST", "/v1/customers?balance=x", True, 400),
    ],
)
def test_every_response_carries_a_request_id(anon_http, secret_key, method, path, auth, status):
    headers = {"Authorization": f"Bearer {secret_key}"} if auth else {}
    response = anon_http.request(method, path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["request-id"].startswith("req_")


def test_request_ids_differ_between_requests(http):
    first = http.get("/v1/customers").headers["request-id"]
    second = http.get("/v1/customers").headers["request-id"]
    assert first != second


def test_error_bodies_link_their_request_log(http):
    response = http.get("/v1/customers/cus_missing")
    error = error_of(response, 404)
    assert error["request_log_url"].endswith(response.headers["request-id"])


def test_unknown_route_is_a_json_404(http):
    error = error_of(http.get("/v1/foo"), 404)
    assert error["type"] == "invalid_request_error"
    assert error["message"] == (
        "Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we can "
        "help at https://support.stripe.com/."
    )


def test_invalid_stripe_version_is_400(http):
    error = error_of(http.get("/v1/customers", headers={"Stripe-Version": "yesterday"}), 400)
    assert error["type"] == "invalid_request_error"
    assert error["message"] == "Invalid Stripe API version: yesterday"


def test_stripe_version_is_echoed(http):
    response = http.get("/v1/customers", headers={"Stripe-Version": "2024-04-10"})
    assert response.headers["stripe-version"] == "2024-04-10"


# --- idempotency ------------------------------------------------------------------------


def test_idempotent_replay_returns_the_first_response(http):
    headers = {"Idempotency-Key": "replay-1"}
    first = http.post("/v1/customers", data={"email": "a@example.com"}, headers=headers)
    second = http.post("/v1/customers", data={"email": "a@example.com"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(http.get("/v1/customers").json()["data"]) == 1


def test_idempotency_key_with_other_parameters_is_an_idempotency_error(http):
    headers = {"Idempotency-Key": "replay-2"}
    http.post("/v1/customers", data={"email": "a@example.com"}, headers=headers)
    response = http.post("/v1/customers", data={"email": "b@example.com"}, headers=headers)
    error = error_of(response, 400)
    assert error["type"] == "idempotency_error"
    assert "replay-2" in error["message"]
    assert len(http.get("/v1/customers").json()["data"]) == 1


def test_idempotency_keys_belong_to_one_account(emulator, http, secret_key):
    headers = {"Idempotency-Key": "shared-key"}
    mine = http.post("/v1/customers", headers=headers).json()
    other_key = secret_key + "idem"
    emulator.reset(other_key)
    theirs = httpx.post(
        emulator.base_url + "/v1/customers",
        headers={**headers, "Authorization": f"Bearer {other_key}"},
    )
    assert theirs.status_code == 200
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["id"] != mine["id"]


# --- expand -----------------------------------------------------------------------------


def test_expanding_an_unexpandable_field_is_400(http):
    customer = http.post("/v1/customers").json()
    error = error_of(http.get(f"/v1/customers/{customer['id']}", params={"expand[]": "email"}), 400)
    assert error["type"] == "invalid_request_error"
    assert error["message"] == "This property cannot be expanded (email)."


def test_list_expansions_must_start_with_data(http):
    error = error_of(http.get("/v1/customers", params={"expand[]": "test_clock"}), 400)
    assert error["message"] == (
        "This property cannot be expanded (test_clock). "
        "You may want to try expanding 'data.test_clock' instead."
    )


def test_expanding_deeper_than_four_levels_is_400(http):
    customer = http.post("/v1/customers").json()
    path = (
        "invoice_settings.default_payment_method.customer.invoice_settings.default_payment_method"
    )
    error = error_of(http.get(f"/v1/customers/{customer['id']}", params={"expand[]": path}), 400)
    assert error["param"] == "expand"
    assert "more than 4 levels" in error["message"]


# --- pagination -------------------------------------------------------------------------


@pytest.fixture
def five_customers(http) -> list[str]:
    """Ids oldest first."""
    return [http.post("/v1/customers").json()["id"] for _ in range(5)]


@pytest.mark.parametrize("limit", ["0", "101"])
def test_limit_out_of_bounds_is_400(http, limit):
    error = error_of(http.get("/v1/customers", params={"limit": limit}), 400)
    assert error["param"] == "limit"


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_inclusive(http, limit):
    assert http.get("/v1/customers", params={"limit": limit}).status_code == 200


def test_list_is_newest_first_with_has_more_and_url(http, five_customers):
    page = http.get("/v1/customers", params={"limit": 2}).json()
    assert page["object"] == "list"
    assert page["url"] == "/v1/customers"
    assert [c["id"] for c in page["data"]] == five_customers[::-1][:2]
    assert page["has_more"] is True


def test_default_limit_is_ten(http):
    ids = [http.post("/v1/customers").json()["id"] for _ in range(11)]
    page = http.get("/v1/customers").json()
    assert len(page["data"]) == 10 and page["has_more"] is True
    assert page["data"][0]["id"] == ids[-1]


def test_starting_after_pages_forward_to_the_end(http, five_customers):
    newest_first = five_customers[::-1]
    page = http.get("/v1/customers", params={"limit": 3, "starting_after": newest_first[1]}).json()
    assert [c["id"] for c in page["data"]] == newest_first[2:]
    assert page["has_more"] is False


def test_ending_before_pages_backward(http, five_customers):
    newest_first = five_customers[::-1]
    page = http.get("/v1/customers", params={"limit": 2, "ending_before": newest_first[3]}).json()
    assert [c["id"] for c in page["data"]] == newest_first[1:3]
    assert page["has_more"] is True


def test_starting_after_and_ending_before_together_is_400(http, five_customers):
    params = {"starting_after": five_customers[0], "ending_before": five_customers[1]}
    error = error_of(http.get("/v1/customers", params=params), 400)
    assert error["message"] == (
        "Received both starting_after and ending_before parameters. Please pass in only one."
    )
