"""Regressions found by the robustness tests (test_robustness.py): each was a 500, or a refused
request that changed the store."""

from __future__ import annotations

import dataclasses

import pytest

from stripe_emulator.routes import API_ROUTES as ROUTES

from .fuzz_requests import Request
from .fuzz_successes import would_succeed


@pytest.mark.parametrize(
    "query, param",
    [
        ("expand[]=customer&expand[x]=1", "expand[x]"),  # an array given a hash key was a 500
        ("expand[²]=customer", "expand"),  # "²".isdigit() but int("²") fails: was a 500
        ("0=x", "0"),  # all-digit top-level names made the whole form a list: "Invalid hash: "
    ],
)
def test_malformed_bracket_forms_are_a_400_naming_the_param(quiet_world, query, param):
    fuzzer = quiet_world
    list_customers = next(r for r in ROUTES if (r.method, r.path) == ("GET", "/v1/customers"))
    request = dataclasses.replace(would_succeed(fuzzer, list_customers), query=query.encode())
    response = fuzzer.check(request)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param


def test_a_refused_request_keeps_no_payment_method_made_from_a_test_token(fuzzer):
    detach = Request(
        "POST",
        "/v1/payment_methods/pm_card_visa/detach",
        b"",
        b"",
        {"Authorization": f"Bearer {fuzzer.world.secret_key}"},
        "secret",
    )
    response = fuzzer.check(detach)  # the token's PaymentMethod was left behind
    assert response.status_code == 400, response.text
    assert "not attached to a customer" in response.json()["error"]["message"]
    retrieve = dataclasses.replace(
        detach, method="GET", path="/v1/payment_methods/pm_card_visa", query=b"expand[]=bogus"
    )
    assert fuzzer.check(retrieve).status_code == 400


def test_a_card_error_keeps_the_payment_method_it_shows(fuzzer):
    world = fuzzer.world
    confirm = Request(
        "POST",
        f"/v1/setup_intents/{world.named['setup_intent:requires_payment_method']}/confirm",
        b"",
        b"payment_method=pm_card_visa_chargeDeclined",
        {"Authorization": f"Bearer {world.secret_key}"},
        "secret",
    )
    response = fuzzer.check(confirm)
    assert response.status_code == 402, response.text
    pm_id = response.json()["error"]["payment_method"]["id"]
    assert fuzzer.account.payment_methods.get(pm_id) is not None


def test_expand_through_a_null_field_is_refused_before_anything_is_created(fuzzer):
    """Decision: `expand` paths are checked against the object types before the operation runs, so
    `customer.bogus` is refused even when `customer` is null (no SetupIntent is created)."""
    create = Request(
        "POST",
        "/v1/setup_intents",
        b"",
        b"expand[]=customer.bogus",
        {"Authorization": f"Bearer {fuzzer.world.secret_key}"},
        "secret",
    )
    response = fuzzer.check(create)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"] == (
        "This property cannot be expanded (customer.bogus)."
    )
    valid = dataclasses.replace(
        create, body=b"expand[]=customer&expand[]=payment_method.customer&expand[]=latest_attempt"
    )
    created = fuzzer.check(valid)
    assert created.status_code == 200, created.text
    assert created.json()["customer"] is None


@pytest.mark.parametrize("levels", [101, 3000])
def test_too_deeply_nested_params_are_a_400(quiet_world, levels):
    """3,000 bracket levels exhausted the recursion limit while decoding: a 500."""
    request = Request(
        "POST",
        "/v1/customers",
        b"",
        b"metadata" + b"[a]" * (levels - 1) + b"=1",
        {"Authorization": f"Bearer {quiet_world.world.secret_key}"},
        "secret",
    )
    response = quiet_world.check(request)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == "metadata"


def test_a_body_over_the_limit_is_refused_not_truncated(quiet_world):
    """The body was cut at 1 MiB and the rest acted on: the `bogus` param at the end went unseen."""
    body = b"name=Jenny&description=" + b"x" * 10 + b"&" * (1 << 20) + b"bogus=1"
    request = Request(
        "POST",
        "/v1/customers",
        b"",
        body,
        {"Authorization": f"Bearer {quiet_world.world.secret_key}"},
        "secret",
    )
    response = quiet_world.check(request)
    assert response.status_code == 400, response.text
    assert "too large" in response.json()["error"]["message"]
