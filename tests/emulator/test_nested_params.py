"""Nested parameters of SetupIntents and PaymentIntents (stripe-python 16.1.0 params): unknown
keys and wrong types are refused; supported ones are applied; those the emulator cannot act on
are refused by name (stripe_emulator/resources/intent_params.py), never silently dropped."""

import pytest

from .link_support import post_error, post_ok

PI = {"amount": "1099", "currency": "usd"}
CONFIRM_VISA = {**PI, "payment_method": "pm_card_visa", "confirm": "true"}
MANDATE = {
    "payment_method_options[card][mandate_options][amount]": "1000",
    "payment_method_options[card][mandate_options][amount_type]": "maximum",
    "payment_method_options[card][mandate_options][interval]": "month",
    "payment_method_options[card][mandate_options][reference]": "ref-1",
    "payment_method_options[card][mandate_options][start_date]": "1700000000",
}
ONLINE = {
    "mandate_data[customer_acceptance][type]": "online",
    "mandate_data[customer_acceptance][online][ip_address]": "127.0.0.1",
    "mandate_data[customer_acceptance][online][user_agent]": "pytest",
}


def _path(operation: str, http) -> str:
    if operation == "create":
        return "/v1/setup_intents"
    si = post_ok(http, "/v1/setup_intents", {})
    return f"/v1/setup_intents/{si['id']}" + ("/confirm" if operation == "confirm" else "")


# --- SetupIntents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["create", "update", "confirm"])
@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        (
            {"payment_method_options[us_bank_account]": "x"},
            "parameter_invalid_string",
            "payment_method_options[us_bank_account]",
        ),
        (
            {"payment_method_options[us_bank_account][a]": "x"},
            "parameter_unknown",
            "payment_method_options[us_bank_account][a]",
        ),
        (
            {"payment_method_options[card][mandate_options]": "x"},
            "parameter_invalid_string",
            "payment_method_options[card][mandate_options]",
        ),
        (
            {"payment_method_options[card][mandate_options][amount]": "1"},
            "parameter_missing",
            "payment_method_options[card][mandate_options][amount_type]",
        ),
        (
            {"payment_method_options[us_bank_account][networks][requested][0]": "swift"},
            "parameter_invalid_string",
            "payment_method_options[us_bank_account][networks][requested][0]",
        ),
    ],
)
def test_setup_intent_bad_payment_method_options_are_400(http, operation, data, code, param):
    path = _path(operation, http)
    error = post_error(http, path, {**data, "payment_method": "pm_card_visa"})
    assert (error["code"], error["param"]) == (code, param)
    intents = http.get("/v1/setup_intents").json()["data"]
    assert all(si["status"] == "requires_payment_method" for si in intents)


def test_setup_intent_card_mandate_options_are_echoed_in_full(http):
    data = {**MANDATE, "payment_method_options[card][mandate_options][currency]": "inr"}
    si = post_ok(http, "/v1/setup_intents", data)
    assert si["payment_method_options"]["card"]["mandate_options"] == {
        "amount": 1000,
        "amount_type": "maximum",
        "currency": "inr",
        "description": None,
        "end_date": None,
        "interval": "month",
        "interval_count": None,
        "reference": "ref-1",
        "start_date": 1700000000,
        "supported_types": None,
    }


def test_setup_intent_us_bank_account_options_merge_into_the_defaults(http):
    data = {
        "allowed_payment_method_types[0]": "us_bank_account",
        "payment_method_options[us_bank_account][financial_connections][permissions][0]": (
            "balances"
        ),
        "payment_method_options[us_bank_account][mandate_options][collection_method]": "paper",
        "payment_method_options[us_bank_account][networks][requested][0]": "ach",
        "payment_method_options[us_bank_account][verification_method]": "instant",
    }
    si = post_ok(http, "/v1/setup_intents", data)
    assert si["payment_method_options"]["us_bank_account"] == {
        "financial_connections": {"permissions": ["balances"], "prefetch": []},
        "mandate_options": {"collection_method": "paper"},
        "verification_method": "instant",
    }


def test_setup_intent_external_three_d_secure_is_refused(http):
    data = {
        "payment_method_options[card][three_d_secure][cryptogram]": "AAAA",
        "payment_method_options[card][three_d_secure][transaction_id]": "t-1",
        "payment_method_options[card][three_d_secure][version]": "2.2.0",
    }
    error = post_error(http, "/v1/setup_intents", data)
    assert error["param"] == "payment_method_options[card][three_d_secure]"
    assert "not supported by this emulator" in error["message"]
    assert http.get("/v1/setup_intents").json()["data"] == []


@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        ({"mandate_data": "x"}, "parameter_invalid_string", "mandate_data"),
        ({"mandate_data[a]": "x"}, "parameter_unknown", "mandate_data[a]"),
        (
            {"mandate_data[customer_acceptance][type]": "online"},
            "parameter_missing",
            "mandate_data[customer_acceptance][online]",
        ),
        (
            {**ONLINE, "mandate_data[customer_acceptance][online][infer_from_client]": "true"},
            "parameter_unknown",
            "mandate_data[customer_acceptance][online][infer_from_client]",
        ),
    ],
)
def test_setup_intent_bad_mandate_data_is_400(http, data, code, param):
    params = {**data, "payment_method": "pm_card_visa", "confirm": "true"}
    error = post_error(http, "/v1/setup_intents", params)
    assert (error.get("code"), error["param"]) == (code, param)
    assert http.get("/v1/setup_intents").json()["data"] == []


def test_setup_intent_mandate_data_is_accepted_for_cards(http):
    data = {**ONLINE, "payment_method": "pm_card_visa", "confirm": "true"}
    si = post_ok(http, "/v1/setup_intents", data)
    assert si["status"] == "succeeded" and si["mandate"] is None


def test_mandate_data_inferred_from_the_browser_only_with_a_publishable_key(http, pk_http):
    si = post_ok(http, "/v1/setup_intents", {})
    inferred = {
        "mandate_data[customer_acceptance][type]": "online",
        "mandate_data[customer_acceptance][online][infer_from_client]": "true",
        "payment_method": "pm_card_visa",
    }
    error = post_error(http, f"/v1/setup_intents/{si['id']}/confirm", inferred)
    assert error["param"] == "mandate_data[customer_acceptance][online][infer_from_client]"
    confirmed = post_ok(
        pk_http,
        f"/v1/setup_intents/{si['id']}/confirm",
        {**inferred, "client_secret": si["client_secret"]},
    )
    assert confirmed["status"] == "succeeded"


# --- PaymentIntents -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        (
            {"payment_method_options[card][installments]": "x"},
            "parameter_invalid_string",
            "payment_method_options[card][installments]",
        ),
        (
            {"payment_method_options[card][mandate_options][a]": "x"},
            "parameter_unknown",
            "payment_method_options[card][mandate_options][a]",
        ),
        ({"hooks[x]": "1"}, "parameter_unknown", "hooks[x]"),
        ({"radar_options": "x"}, "parameter_invalid_string", "radar_options"),
        ({"mandate_data": "x"}, "parameter_invalid_string", "mandate_data"),
        ({"transfer_data[amount]": "10"}, "parameter_missing", "transfer_data[destination]"),
        ({"payment_details[x]": "1"}, "parameter_unknown", "payment_details[x]"),
        (
            {"amount_details[line_items][0][product_name]": "Tea"},
            "parameter_missing",
            "amount_details[line_items][0][quantity]",
        ),
    ],
)
def test_payment_intent_bad_nested_params_are_400(http, data, code, param):
    error = post_error(http, "/v1/payment_intents", {**CONFIRM_VISA, **data})
    assert (error["code"], error["param"]) == (code, param)
    assert http.get("/v1/payment_intents").json()["data"] == []


@pytest.mark.parametrize(
    ("data", "param"),
    [
        ({"transfer_data[destination]": "acct_1"}, "transfer_data"),
        ({"hooks[inputs][tax][calculation]": "taxcalc_1"}, "hooks[inputs][tax][calculation]"),
        ({"radar_options[session]": "rse_1"}, "radar_options[session]"),
        (
            {"amount_details[tax][total_tax_amount]": "100"},
            "amount_details",
        ),
        (
            {"payment_method_options[card][installments][enabled]": "true"},
            "payment_method_options[card][installments]",
        ),
        (
            {
                "payment_method_options[card][three_d_secure][cryptogram]": "AAAA",
                "payment_method_options[card][three_d_secure][transaction_id]": "t-1",
                "payment_method_options[card][three_d_secure][version]": "2.2.0",
            },
            "payment_method_options[card][three_d_secure]",
        ),
    ],
)
def test_payment_intent_params_needing_missing_objects_are_refused(http, data, param):
    error = post_error(http, "/v1/payment_intents", {**CONFIRM_VISA, **data})
    assert error["param"] == param
    assert "not supported by this emulator" in error["message"]
    assert http.get("/v1/payment_intents").json()["data"] == []
    assert http.get("/v1/charges").json()["data"] == []


def test_payment_intent_transfer_data_on_capture_is_refused(http):
    data = {**CONFIRM_VISA, "capture_method": "manual"}
    intent = post_ok(http, "/v1/payment_intents", data)
    capture = f"/v1/payment_intents/{intent['id']}/capture"
    error = post_error(http, capture, {"transfer_data[amount]": "10"})
    assert error["param"] == "transfer_data"
    assert http.get(f"/v1/payment_intents/{intent['id']}").json()["status"] == "requires_capture"


def test_payment_intent_accepted_params_without_objects_to_touch(http):
    data = {
        **CONFIRM_VISA,
        **ONLINE,
        "radar_options[referrer]": "https://shop.example",
        "hooks[inputs][tax][calculation]": "",
    }
    intent = post_ok(http, "/v1/payment_intents", data)
    assert intent["status"] == "succeeded"
    assert intent["hooks"] is None


def test_payment_intent_card_mandate_options_are_echoed_in_full(http):
    intent = post_ok(http, "/v1/payment_intents", {**PI, **MANDATE})
    assert intent["payment_method_options"]["card"]["mandate_options"] == {
        "amount": 1000,
        "amount_type": "maximum",
        "description": None,
        "end_date": None,
        "interval": "month",
        "interval_count": None,
        "reference": "ref-1",
        "start_date": 1700000000,
        "supported_types": None,
    }


def test_payment_intent_payment_details_are_stored_updated_and_unset(http):
    intent = post_ok(http, "/v1/payment_intents", {**PI, "payment_details[order_reference]": "A1"})
    assert intent["payment_details"] == {"customer_reference": None, "order_reference": "A1"}
    path = f"/v1/payment_intents/{intent['id']}"
    updated = post_ok(
        http,
        path,
        {"payment_details[customer_reference]": "C9", "payment_details[order_reference]": ""},
    )
    assert updated["payment_details"] == {"customer_reference": "C9", "order_reference": None}


def test_more_parameters_than_any_call_needs_are_refused(http):
    body = "&".join(f"metadata[k{i}]=v" for i in range(2500))
    response = http.post("/v1/customers", content=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Too many parameters")


def test_an_index_of_thousands_of_digits_is_a_400_not_a_500(http):
    response = http.get("/v1/customers", params={f"expand[{'9' * 4400}]": "data.x"})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "expand"
