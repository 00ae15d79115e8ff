"""The `created` filter of list endpoints (`created=<unix>` or `created[gt|gte|lt|lte]`)."""

import pytest

from .link_support import post_ok

T0 = 1700000000


def _customer(http) -> str:
    return post_ok(http, "/v1/customers", {})["id"]


def _setup_intent(http) -> str:
    return post_ok(http, "/v1/setup_intents", {})["id"]


def _payment_intent(http) -> str:
    return post_ok(http, "/v1/payment_intents", {"amount": "1099", "currency": "usd"})["id"]


def _charge(http) -> str:
    data = {"amount": "1099", "currency": "usd", "payment_method": "pm_card_visa"}
    intent = post_ok(http, "/v1/payment_intents", {**data, "confirm": "true"})
    return intent["latest_charge"]


LISTS = {
    "customers": ("/v1/customers", _customer),
    "setup_intents": ("/v1/setup_intents", _setup_intent),
    "payment_intents": ("/v1/payment_intents", _payment_intent),
    "charges": ("/v1/charges", _charge),
}


def _two_objects(http, make) -> tuple[str, str]:
    """One object created at T0, one a minute later."""
    http.post("/_emulator/clock", data={"frozen_at": str(T0)})
    first = make(http)
    http.post("/_emulator/clock", data={"advance": "60"})
    return first, make(http)


def _ids(http, path: str, params: dict) -> list[str]:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    return [obj["id"] for obj in response.json()["data"]]


@pytest.mark.parametrize("name", LISTS)
def test_created_filters_the_list(http, name):
    path, make = LISTS[name]
    first, second = _two_objects(http, make)
    assert _ids(http, path, {"created[gt]": str(T0)}) == [second]
    assert _ids(http, path, {"created[lte]": str(T0)}) == [first]
    assert _ids(http, path, {"created": str(T0)}) == [first]
    assert _ids(http, path, {"created[gte]": str(T0), "created[lt]": str(T0 + 61)}) == [
        second,
        first,
    ]
    assert _ids(http, path, {"created[gt]": "4000000000"}) == []


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({"created": "abc"}, "parameter_invalid_integer", "created"),
        ({"created[after]": "1"}, "parameter_unknown", "created[after]"),
        ({"created[gt]": "x"}, "parameter_invalid_integer", "created[gt]"),
    ],
)
def test_bad_created_filter_is_400(http, name, params, code, param):
    path, _ = LISTS[name]
    response = http.get(path, params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"]) == (code, param)


def test_setup_attempts_filter_by_created(http):
    http.post("/_emulator/clock", data={"frozen_at": str(T0)})
    si = post_ok(http, "/v1/setup_intents", {})
    confirm = f"/v1/setup_intents/{si['id']}/confirm"
    declined = http.post(confirm, data={"payment_method": "pm_card_visa_chargeDeclined"})
    assert declined.status_code == 402
    http.post("/_emulator/clock", data={"advance": "60"})
    succeeded = post_ok(http, confirm, {"payment_method": "pm_card_visa"})
    params = {"setup_intent": si["id"]}
    all_attempts = _ids(http, "/v1/setup_attempts", params)
    assert len(all_attempts) == 2 and all_attempts[0] == succeeded["latest_attempt"]
    assert _ids(http, "/v1/setup_attempts", {**params, "created": str(T0)}) == all_attempts[1:]
    assert _ids(http, "/v1/setup_attempts", {**params, "created[gt]": str(T0)}) == [
        succeeded["latest_attempt"]
    ]
    assert _ids(http, "/v1/setup_attempts", {**params, "created[gt]": "4000000000"}) == []
    response = http.get("/v1/setup_attempts", params={**params, "created": "abc"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "created"


def test_created_filter_keeps_pagination_cursors(http):
    first, second = _two_objects(http, _customer)
    third = _customer(http)
    params = {"created[gte]": str(T0 + 60), "limit": "1"}
    assert _ids(http, "/v1/customers", params) == [third]
    assert _ids(http, "/v1/customers", {**params, "starting_after": third}) == [second]
    assert _ids(http, "/v1/customers", {**params, "starting_after": first}) == []
