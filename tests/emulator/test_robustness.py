"""Bad input gets a clear error, never a crash, and never changes state.

For every route of `stripe_emulator.routes.ROUTES` (the table is iterated, so new routes are covered
automatically), hypothesis sends bad form bodies and query strings with the account's secret and
publishable keys to a populated account (see `fuzz_support.build_world`): unknown params, wrong
types, nested garbage, huge/empty/unicode strings, duplicate keys, ids of another account,
malformed brackets, non-UTF-8 bytes, odd Content-Types and raw (JSON, binary) bodies. Each answer
must be Stripe's envelope with a Request-Id, never a 500; each refusal (status >= 400, except a
402 card error, which records the attempt) must leave the account's store exactly as it was.

Runs are derandomized (same examples every run); `LINKLAB_FUZZ_EXAMPLES=<n>` explores more, with
fresh random examples.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_emulator.routes import ROUTES, Route

from .fuzz_support import (
    Request,
    Requests,
    build_world,
    check_envelope,
    foreign_ids,
    param_kind,
    send,
    snapshot,
)

EXAMPLES = int(os.environ.get("LINKLAB_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 30,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The one refusal that records state on purpose: test code 000003 locks the Link session.
STATEFUL_REFUSALS = {"consumer_verification_max_attempts_exceeded"}


def _suffix(label: str) -> str:
    return "robust" + hashlib.sha256(label.encode()).hexdigest()[:12]


@pytest.fixture(scope="module")
def foreign(emulator) -> list[str]:
    """Ids and secrets of another account."""
    key = f"sk_test_{_suffix('foreign')}"
    emulator.reset(key)
    return foreign_ids(emulator.base_url, key)


class Fuzzer:
    """One populated account, a raw HTTP client, and the last snapshot of its store."""

    def __init__(self, emulator, label: str, foreign: list[str]) -> None:
        self.suffix = _suffix(label)
        key = f"sk_test_{self.suffix}"
        emulator.reset(key)
        self.world = build_world(emulator.base_url, key)
        self.requests = Requests(self.world, foreign)
        self.account = emulator.app.store.account(self.suffix)
        self.client = httpx.Client(base_url=emulator.base_url)
        self.state = snapshot(self.account)

    def check(self, request: Request) -> httpx.Response:
        """Send `request`; assert the envelope, and that a refusal changed nothing."""
        context = request.describe()
        response = send(self.client, request)
        error = check_envelope(response, context)
        before, self.state = self.state, snapshot(self.account)
        refused = error is not None and not (
            error["type"] == "card_error" or error.get("code") in STATEFUL_REFUSALS
        )
        if refused:
            assert self.state == before, (
                f"refused with {response.status_code} {error.get('code')} but changed the "
                f"store: {context}"
            )
        return response

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def fuzzer(emulator, foreign, request):
    """A freshly populated account of its own (for tests whose requests succeed)."""
    fuzzer = Fuzzer(emulator, request.node.nodeid, foreign)
    yield fuzzer
    fuzzer.close()


@pytest.fixture(scope="module")
def fuzz_world(emulator, foreign):
    """One account for all random requests: what the few successes change only moves the world on."""
    fuzzer = Fuzzer(emulator, "fuzz", foreign)
    yield fuzzer
    fuzzer.close()


@pytest.fixture(scope="module")
def quiet_world(emulator, foreign):
    """One account for requests that are refused or only read."""
    fuzzer = Fuzzer(emulator, "quiet", foreign)
    yield fuzzer
    fuzzer.close()


def _route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_bad_requests_get_an_envelope_and_change_nothing(fuzz_world, route):
    fuzzer = fuzz_world
    requests = st.one_of(
        fuzzer.requests.for_route(route, "secret"), fuzzer.requests.for_route(route, "publishable")
    )

    @FUZZ
    @given(request=requests)
    def run(request):
        fuzzer.check(request)

    run()


# --- a bad `expand` is refused before the operation runs ------------------------------------------

# Requests each route would carry out (path parameters by `World.named` label, params, key kind):
# only the bad `expand` added to them makes them fail. Routes not listed get no params.
WOULD_SUCCEED: dict[tuple[str, str], tuple[dict[str, str], dict[str, str], str]] = {
    ("POST", "/v1/customers/{customer_id}"): ({}, {"name": "Renamed"}, "secret"),
    ("POST", "/v1/payment_methods"): (
        {},
        {
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
        },
        "publishable",
    ),
    ("POST", "/v1/payment_methods/{payment_method}"): (
        {"payment_method": "payment_method:attached"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/payment_methods/{payment_method}/attach"): (
        {"payment_method": "payment_method:unattached"},
        {"customer": "<customer>"},
        "secret",
    ),
    ("POST", "/v1/payment_methods/{payment_method}/detach"): (
        {"payment_method": "payment_method:attached"},
        {},
        "secret",
    ),
    ("POST", "/v1/setup_intents"): (
        {},
        {"customer": "<customer>", "payment_method": "pm_card_visa", "confirm": "true"},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}"): (
        {"intent": "setup_intent:requires_payment_method"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}/confirm"): (
        {"intent": "setup_intent:requires_confirmation"},
        {},
        "secret",
    ),
    ("POST", "/v1/setup_intents/{intent}/cancel"): (
        {"intent": "setup_intent:requires_payment_method"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents"): (
        {},
        {
            "amount": "1099",
            "currency": "usd",
            "customer": "<customer>",
            "payment_method": "pm_card_visa",
            "confirm": "true",
        },
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}"): (
        {"intent": "payment_intent:requires_payment_method"},
        {"metadata[a]": "b"},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/confirm"): (
        {"intent": "payment_intent:requires_confirmation"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/capture"): (
        {"intent": "payment_intent:requires_capture"},
        {},
        "secret",
    ),
    ("POST", "/v1/payment_intents/{intent}/cancel"): (
        {"intent": "payment_intent:requires_payment_method"},
        {},
        "secret",
    ),
    ("POST", "/v1/webhook_endpoints"): (
        {},
        {"url": "http://127.0.0.1:9/other", "enabled_events[]": "*"},
        "secret",
    ),
    ("POST", "/v1/webhook_endpoints/{webhook_endpoint_id}"): ({}, {"description": "x"}, "secret"),
    ("GET", "/v1/customers/{customer_id}/payment_methods/{payment_method}"): (
        {"payment_method": "payment_method:attached"},
        {},
        "secret",
    ),
    ("GET", "/v1/setup_attempts"): ({}, {"setup_intent": "<setup_intent:succeeded>"}, "secret"),
}
BAD_EXPANDS = ["bogus", "customer.bogus", "data.bogus", "a.b.c.d.e"]
EXPANDING = [route for route in ROUTES if "expand" in route.spec.fields]


def _would_succeed(fuzzer: Fuzzer, route: Route) -> Request:
    world = fuzzer.world
    labels, params, kind = WOULD_SUCCEED.get((route.method, route.path), ({}, {}, "secret"))
    path = route.path
    for name in re.findall(r"\{(\w+)\}", route.path):
        kind_name = param_kind(route, name)
        value = world.named[labels[name]] if name in labels else world.ids.get(kind_name, ["x"])[0]
        path = path.replace(f"{{{name}}}", value)
    params = {k: _fill(world, v) for k, v in params.items()}
    key = world.secret_key if kind == "secret" else world.publishable_key
    form = urlencode(params).encode()
    return Request(
        route.method,
        path,
        b"" if route.method == "POST" else form,
        form if route.method == "POST" else b"",
        {"Authorization": f"Bearer {key}", "Content-Type": "application/x-www-form-urlencoded"},
        kind,
    )


def _fill(world, value: str) -> str:
    """`<customer>`: the world's first customer; `<label>`: `World.named[label]`."""
    if value == "<customer>":
        return world.ids["customer"][0]
    return world.named[value[1:-1]] if value.startswith("<") else value


def _with(request: Request, extra: dict[str, str]) -> Request:
    encoded = urlencode(extra).encode()
    if request.method == "POST":
        return dataclasses.replace(request, body=b"&".join(filter(None, [request.body, encoded])))
    return dataclasses.replace(request, query=b"&".join(filter(None, [request.query, encoded])))


@pytest.mark.parametrize("route", EXPANDING, ids=_route_id)
def test_a_bad_expand_alone_refuses_the_request_and_changes_nothing(request, route):
    if (route.method, route.path) not in WOULD_SUCCEED and route.spec.required:
        pytest.skip("no request known to succeed on this route: add one to WOULD_SUCCEED")
    fuzzer = request.getfixturevalue("fuzzer" if route.method == "POST" else "quiet_world")
    base = _would_succeed(fuzzer, route)
    for expand in BAD_EXPANDS:
        response = fuzzer.check(_with(base, {"expand[]": expand}))
        assert response.status_code == 400, (expand, response.text)
        message = response.json()["error"]["message"]
        assert "cannot expand" in message or "cannot be expanded" in message, message
    response = fuzzer.check(base)  # the request itself is fine: only the expand was refused
    assert response.status_code == 200, response.text


# --- anything else on the wire: unknown paths and methods, odd credentials and headers --------------

PATH_SEGMENTS = st.sampled_from(
    ["v1", "customers", "payment_methods", "setup_intents", "x", "é", "%00", "..", "", "v2", "*"]
)
METHODS = st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH"])
AUTHORIZATIONS = st.one_of(
    st.sampled_from(
        [
            "",
            "Bearer",
            "bearer sk_test_",
            "Basic !!!",
            "Basic c2tfdGVzdF86",  # "sk_test_:"
            "Basic //79",  # not UTF-8
            "Bearer sk_live_abc",
            "Bearer pk_live_abc",
            "Bearer rk_test_",
            "Bearer sk_test_a b",
            "Token sk_test_abc",
        ]
    ),
    st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=30).map(str.strip),
)
# Control characters never reach the app: the HTTP parser refuses them (uvicorn's plain 400).
HEADER_TEXT = st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=40).map(
    str.strip
)  # and surrounding blanks are not part of a header value


@st.composite
def odd_requests(draw, world) -> Request:
    segments = draw(st.lists(PATH_SEGMENTS, min_size=1, max_size=4))
    path = "/" + "/".join(quote(s, safe="%") for s in segments)
    method = draw(METHODS)
    headers = {}
    if draw(st.booleans()):
        headers["Authorization"] = draw(AUTHORIZATIONS)
    else:
        headers["Authorization"] = f"Bearer {world.secret_key}"
    for name in ("Stripe-Version", "Idempotency-Key", "Stripe-Account", "Content-Type"):
        if draw(st.integers(0, 3)) == 0:
            headers[name] = draw(HEADER_TEXT)
    body = draw(st.binary(max_size=30)) if method != "GET" else b""
    return Request(method, path, draw(st.binary(max_size=20)), body, headers, "secret")


def test_unknown_paths_methods_and_odd_headers_get_an_envelope_and_change_nothing(fuzz_world):
    fuzzer = fuzz_world

    @FUZZ
    @given(request=odd_requests(fuzzer.world))
    def run(request):
        fuzzer.check(request)

    run()


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_bad_headers_on_every_route_get_an_envelope_and_change_nothing(quiet_world, route):
    fuzzer = quiet_world
    base = _would_succeed(fuzzer, route)
    for headers in (
        {"Stripe-Version": "yesterday"},
        {"Stripe-Version": "2026-10-28.endive\u00e9".encode().decode("latin-1")},
        {"Authorization": "Bearer sk_test_"},
        {"Authorization": "Bearer sk_live_" + fuzzer.suffix},
        {"Authorization": "Bearer pk_test_" + fuzzer.suffix},
    ):
        response = fuzzer.check(dataclasses.replace(base, headers={**base.headers, **headers}))
        if "pk_test_" not in headers.get("Authorization", ""):  # else: the route decides
            assert response.status_code >= 400, (headers, response.text)


# --- regressions: each was a 500 or a refused request that changed the store ------------------------


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
    request = dataclasses.replace(_would_succeed(fuzzer, list_customers), query=query.encode())
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
