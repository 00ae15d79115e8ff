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

import hashlib
import os

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stripe_emulator.routes import ROUTES, Route

from .fuzz_support import (
    Request,
    build_world,
    check_envelope,
    foreign_ids,
    Requests,
    send,
    snapshot,
)

EXAMPLES = int(os.environ.get("LINKLAB_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 24,
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
    fuzzer = Fuzzer(emulator, request.node.nodeid, foreign)
    yield fuzzer
    fuzzer.close()


def _route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_bad_requests_get_an_envelope_and_change_nothing(fuzzer, route):
    requests = st.one_of(
        fuzzer.requests.for_route(route, "secret"), fuzzer.requests.for_route(route, "publishable")
    )

    @FUZZ
    @given(request=requests)
    def run(request):
        fuzzer.check(request)

    run()
