"""Bad input gets a clear error, never a crash, and never changes state.

For every route of `stripe_emulator.routes.ROUTES` (the table is iterated, so new routes are covered
automatically), hypothesis sends bad form bodies and query strings with the account's secret and
publishable keys to a populated account (see `fuzz_world.build_world`): unknown params, wrong
types, nested garbage, huge/empty/unicode strings, duplicate keys, ids of another account,
malformed brackets, non-UTF-8 bytes, odd Content-Types and raw (JSON, binary) bodies. Each answer
must be Stripe's envelope with a Request-Id, never a 500; each refusal (status >= 400, except a
402 card error, which records the attempt) must leave the account's store exactly as it was.

Runs are derandomized (same examples every run); `LINKLAB_FUZZ_EXAMPLES=<n>` explores more, with
fresh random examples.
"""

from __future__ import annotations

import dataclasses
import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_emulator.keys import publishable_key_for
from stripe_emulator.routes import API_ROUTES as ROUTES
from stripe_emulator.routes import Route

from .fuzz_requests import Request
from .fuzz_successes import WOULD_SUCCEED, with_params, would_succeed

EXAMPLES = int(os.environ.get("LINKLAB_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 30,
    deadline=None,
    derandomize=not EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


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

BAD_EXPANDS = ["bogus", "customer.bogus", "data.bogus", "a.b.c.d.e"]
EXPANDING = [route for route in ROUTES if "expand" in route.spec.fields]


@pytest.mark.parametrize("route", EXPANDING, ids=_route_id)
def test_a_bad_expand_alone_refuses_the_request_and_changes_nothing(request, route):
    if (route.method, route.path) not in WOULD_SUCCEED and route.spec.required:
        pytest.skip("no request known to succeed on this route: add one to WOULD_SUCCEED")
    fuzzer = request.getfixturevalue("fuzzer" if route.method == "POST" else "quiet_world")
    base = would_succeed(fuzzer, route)
    for expand in BAD_EXPANDS:
        response = fuzzer.check(with_params(base, {"expand[]": expand}))
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
    base = would_succeed(fuzzer, route)
    for headers in (
        {"Stripe-Version": "yesterday"},
        {"Stripe-Version": "2026-10-28.endive\u00e9".encode().decode("latin-1")},
        {"Authorization": "Bearer sk_test_"},
        {"Authorization": "Bearer sk_live_" + fuzzer.suffix},
        {"Authorization": "Bearer " + publishable_key_for(f"sk_test_{fuzzer.suffix}")},
    ):
        response = fuzzer.check(dataclasses.replace(base, headers={**base.headers, **headers}))
        if "pk_test_" not in headers.get("Authorization", ""):  # else: the route decides
            assert response.status_code >= 400, (headers, response.text)
