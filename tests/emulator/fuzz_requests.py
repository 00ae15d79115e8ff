"""Support for the robustness tests: hypothesis strategies of bad requests, and sending them.

`Requests.for_route` is a strategy of bad requests for one route, guided by its params spec (valid
names with valid or wrong values) plus unknown params, malformed brackets, duplicate keys,
non-UTF-8 bytes, odd Content-Types and raw bodies, with ids of the `fuzz_world.World` it targets.
`check_envelope` asserts each answer is Stripe's error envelope (or a success), never a 500.
`Fuzzer` sends them to one populated account and checks that a refusal changed nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

import httpx
from hypothesis import strategies as st

from stripe_emulator.routes import Route

from .fuzz_values import (
    FIXED_STRINGS,
    MALFORMED_KEYS,
    UNICODE,
    Values,
    encode,
    to_bytes,
)
from .fuzz_world import LEGACY, World, build_world, snapshot

ERROR_TYPES = {"invalid_request_error", "card_error", "idempotency_error", "api_error"}

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=xyz",
    "",
]
RAW_BODIES = [
    b'{"amount": 1099, "currency": "usd"}',
    b'{"customer": {"$ne": null}}',
    b"[1, 2, 3",
    b"\xff\xfe\xfd",
    b"amount=\xff\xfe&currency=us\xe9",
    b"\x00\x01\x02=\x03",
    b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--',
    b"a=1&&&==&b",
    b"%",
    b"a=%zz&b=%",
    b"a[b]=1&a=2",
    b"a=1&a[b]=2",
    b"a[]=1&a[b]=2",
    b"a[0]=1&a[]=2",
    b"a[b]=1&a[b][c]=2",
    b"expand[]=customer&expand=customer",
]


@dataclass
class Request:
    """One generated HTTP request (path params already filled in)."""

    method: str
    path: str
    query: bytes
    body: bytes
    headers: dict[str, str]
    key_kind: str

    def describe(self) -> str:
        return json.dumps(
            {
                "method": self.method,
                "path": self.path,
                "query": self.query.decode("latin-1")[:400],
                "body": self.body.decode("latin-1")[:400],
                "headers": self.headers,
            }
        )


_PARAM = re.compile(r"\{(\w+)\}")
BAD_PATH_IDS = ["cus_nope", "x", "é", "%00", "a b", "..", "x" * 300, "pm_card_visa", "*"]
VERSIONS = st.sampled_from([None, None, LEGACY, "2026-10-28.endive", "2020-08-27"])
MUTATIONS = st.lists(st.integers(0, 6), max_size=3)
ODD_BODIES = st.one_of(st.sampled_from(RAW_BODIES), st.binary(max_size=40))


def param_kind(route: Route, name: str) -> str:
    """Which of the world's id lists fills path parameter `name` of `route`."""
    if name == "intent":
        return "setup_intent" if route.path.startswith("/v1/setup_intents") else "payment_intent"
    return {
        "customer_id": "customer",
        "payment_method": "payment_method",
        "charge": "charge",
        "event_id": "event",
        "webhook_endpoint_id": "webhook_endpoint",
    }.get(name, name)


class Requests:
    """Strategies of random (mostly bad) requests to the routes, for one world."""

    def __init__(self, world: World, foreign: list[str]) -> None:
        self.world = world
        self.values = Values(world.strings + foreign)
        self.strict = Values(world.strings + foreign, loose=False)
        self.foreign = st.sampled_from(foreign)
        self._paths: dict[str, st.SearchStrategy] = {}

    def path_value(self, kind: str) -> st.SearchStrategy:
        if kind not in self._paths:
            own = self.world.ids.get(kind) or ["x"]
            self._paths[kind] = st.one_of(
                st.sampled_from(own),
                st.sampled_from(self.world.strings),
                self.foreign,
                st.sampled_from(BAD_PATH_IDS),
            )
        return self._paths[kind]

    def for_route(self, route: Route, key_kind: str) -> st.SearchStrategy:
        """Requests to `route` with the world's secret or publishable key."""
        params = st.one_of(self.values.obj(route.spec), self.strict.obj(route.spec))
        path_values = {
            name: self.path_value(param_kind(route, name)) for name in _PARAM.findall(route.path)
        }
        pool = self.values.pool

        @st.composite
        def build(draw) -> Request:
            path = _PARAM.sub(
                lambda m: quote_from_bytes(draw(path_values[m.group(1)]).encode(), safe=""),
                route.path,
            )
            pairs: list[tuple[str | bytes, str | bytes]] = encode(draw(params), draw)
            for mutation in draw(MUTATIONS):
                pairs = _mutate(draw, pairs, mutation, pool)
            body = to_bytes(pairs)
            if draw(st.integers(0, 5)) == 0:
                body = draw(ODD_BODIES)
            query = b""
            if route.method != "POST":
                query, body = body, b""
            elif draw(st.integers(0, 5)) == 0:  # POST params in the query string too
                query = to_bytes(encode(draw(params), draw))
            world = self.world
            key = world.secret_key if key_kind == "secret" else world.publishable_key
            headers = {"Content-Type": draw(st.sampled_from(CONTENT_TYPES))}
            if key_kind == "publishable" and route.method == "POST" and draw(st.booleans()):
                body = (body + b"&" if body else b"") + b"key=" + key.encode()  # as Stripe.js
            else:
                headers["Authorization"] = f"Bearer {key}"
            version = draw(VERSIONS)
            if version:
                headers["Stripe-Version"] = version
            return Request(route.method, path, query, body, headers, key_kind)

        return build()


def _mutate(draw, pairs: list, mutation: int, pool: st.SearchStrategy) -> list:
    pairs = list(pairs)
    if mutation == 0 and pairs:  # duplicate key, other value
        key = draw(st.sampled_from(pairs))[0]
        pairs.insert(draw(st.integers(0, len(pairs))), (key, draw(pool)))
    elif mutation == 1:
        pairs.append((draw(st.sampled_from(MALFORMED_KEYS)), draw(UNICODE)))
    elif mutation == 2:
        pairs.append((draw(UNICODE), draw(UNICODE)))
    elif mutation == 3 and pairs:  # non-UTF-8 value
        index = draw(st.integers(0, len(pairs) - 1))
        pairs[index] = (pairs[index][0], b"\xff\xc3(" + draw(st.binary(max_size=4)))
    elif mutation == 4 and pairs:  # non-UTF-8 key
        index = draw(st.integers(0, len(pairs) - 1))
        key = pairs[index][0]
        pairs[index] = ((key if isinstance(key, bytes) else key.encode()) + b"\xfe", "1")
    elif mutation == 5:
        pairs.append(("expand[]", draw(st.sampled_from(FIXED_STRINGS))))
    elif mutation == 6:
        pairs = list(draw(st.permutations(pairs)))
    return pairs


_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in '#"<>\\^`{|}')


def send(client: httpx.Client, request: Request) -> httpx.Response:
    """Send as is; query bytes a URL cannot carry are percent-encoded (`%` stays raw)."""
    query = quote_from_bytes(request.query, safe=_URL_SAFE)
    base = str(client.base_url).rstrip("/")  # absolute: a path may start with "//"
    url = base + request.path + ("?" + query if request.query else "")
    return client.request(
        request.method,
        httpx.URL(url),
        content=request.body,
        headers={k: v.encode("latin-1") for k, v in request.headers.items()},
    )


def check_envelope(response: httpx.Response, context: str) -> dict | None:
    """The response contract every request must meet; returns the error hash, if any."""
    status = response.status_code
    assert status != 500, f"500 for {context}: {response.text[:500]}"
    assert status in (200, 400, 401, 402, 403, 404), f"{status} for {context}"
    assert response.headers.get("request-id", "").startswith("req_"), context
    assert response.headers["content-type"] == "application/json", context
    body = response.json()
    if status < 400:
        assert isinstance(body, dict) and "error" not in body, context
        return None
    assert isinstance(body, dict) and set(body) == {"error"}, context
    error = body["error"]
    assert error["type"] in ERROR_TYPES - {"api_error"}, context
    assert isinstance(error["message"], str) and error["message"], context
    if status == 402:
        assert error["type"] in ("card_error", "invalid_request_error"), context
    elif error["type"] == "card_error":
        raise AssertionError(f"card_error with status {status} for {context}")
    code = error.get("code")
    if code is not None:
        assert isinstance(code, str) and re.fullmatch(r"[a-z_]+", code), context
    if code is not None and (code.startswith("parameter_") or code == "resource_missing"):
        assert isinstance(error.get("param"), str) and error["param"], context
    if "param" in error:
        assert isinstance(error["param"], str), context
    return error


# --- one populated account that checks every answer ----------------------------------------------

# The one refusal that records state on purpose: test code 000003 locks the Link session.
STATEFUL_REFUSALS = {"consumer_verification_max_attempts_exceeded"}


def account_suffix(label: str) -> str:
    """The account name (after `sk_test_`) of the robustness account labelled `label`."""
    return "robust" + hashlib.sha256(label.encode()).hexdigest()[:12]


class Fuzzer:
    """One populated account, a raw HTTP client, and the last snapshot of its store."""

    def __init__(self, emulator, label: str, foreign: list[str]) -> None:
        self.suffix = account_suffix(label)
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
