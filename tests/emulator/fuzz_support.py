"""Support for the robustness tests: a populated account, a store snapshot, and request strategies.

- `build_world` fills one account through the API (customers, PaymentMethods, intents in many states,
  charges, events, a disabled webhook endpoint, Link accounts with sessions, payment details and
  shipping addresses) and returns its ids, secrets and path-parameter values.
- `snapshot` dumps an `Account`'s whole state (every collection in order, indices, Link accounts,
  idempotency keys, event counter, clock) as plain data, to compare before/after a refused request.
  Tests may peek at the store; the library may not.
- `request_for` is a hypothesis strategy of bad requests for one route, guided by its params spec
  (valid names with valid or wrong values) plus unknown params, malformed brackets, duplicate keys,
  non-UTF-8 bytes, odd Content-Types and raw bodies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
from hypothesis import strategies as st

from stripe_emulator import params as p
from stripe_emulator.routes import Route

LEGACY = "2024-04-10"
MULTI = "jenny+multiple_funding_sources@example.com"
HOOK_URL = "http://127.0.0.1:9/hook"
ERROR_TYPES = {"invalid_request_error", "card_error", "idempotency_error", "api_error"}
# Store attributes a refused request may touch: ids consumed, logs, async webhook deliveries.
# `pending_webhooks` of events: the deliverer lowers it asynchronously.
VOLATILE = {"lock", "ids", "request_ids", "request_log", "deliveries", "pending_webhooks"}


# --- the populated account ---------------------------------------------------------------------


@dataclass
class World:
    """Everything one populated account holds, as the API returned it."""

    secret_key: str
    ids: dict[str, list[str]] = field(default_factory=dict)  # path-param kind -> ids
    strings: list[str] = field(default_factory=list)  # ids, secrets, tokens for param values
    named: dict[str, str] = field(default_factory=dict)  # "setup_intent:succeeded" -> first such id

    @property
    def publishable_key(self) -> str:
        return "pk_test_" + self.secret_key[len("sk_test_") :]

    def add(self, kind: str, value: str | None, label: str | None = None) -> None:
        if value:
            self.ids.setdefault(kind, []).append(value)
            self.strings.append(value)
            if label:
                self.named.setdefault(f"{kind}:{label}", value)


class _Api:
    def __init__(self, base_url: str, key: str) -> None:
        self.client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"})

    def call(self, method: str, path: str, data: dict | None = None, ok: bool = True, **kw):
        response = self.client.request(method, path, data=data, **kw)
        if ok:
            assert response.status_code == 200, (path, data, response.text)
        return response.json()

    def post(self, path: str, data: dict | None = None, ok: bool = True, **kw) -> dict:
        return self.call("POST", path, data or {}, ok, **kw)

    def close(self) -> None:
        self.client.close()


def build_world(base_url: str, secret_key: str) -> World:
    """Populate the (already reset) account of `secret_key` through the API."""
    world = World(secret_key)
    server = _Api(base_url, secret_key)
    browser = _Api(base_url, world.publishable_key)
    try:
        _populate(world, server, browser)
    finally:
        server.close()
        browser.close()
    return world


def _populate(world: World, server: _Api, browser: _Api) -> None:
    hook = server.post("/v1/webhook_endpoints", {"url": HOOK_URL, "enabled_events[]": "*"})
    server.post(f"/v1/webhook_endpoints/{hook['id']}", {"disabled": "true"})  # no deliveries
    world.add("webhook_endpoint", hook["id"], "disabled")
    customers = [
        server.post("/v1/customers", {"email": f"c{n}@example.com", "name": f"C {n}"})["id"]
        for n in range(3)
    ]
    for customer in customers:
        world.add("customer", customer)
    cus_a, cus_b, _ = customers
    legacy = {"Stripe-Version": LEGACY}
    # SetupIntents: every status the lessons reach
    si_states = [
        {"customer": cus_a},
        {"customer": cus_a, "payment_method": "pm_card_visa"},
        {"customer": cus_a, "payment_method": "pm_card_visa", "confirm": "true"},
        {"customer": cus_b, "payment_method": "pm_card_mastercard", "confirm": "true"},
        {
            "customer": cus_b,
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": "true",
            "return_url": "http://127.0.0.1:9/return",
        },
    ]
    for data in si_states:
        si = server.post("/v1/setup_intents", data)
        world.add("setup_intent", si["id"], si["status"])
        world.strings.append(si["client_secret"])
        world.add(
            "payment_method",
            si["payment_method"],
            "attached" if si["status"] == "succeeded" else None,
        )
    canceled = server.post("/v1/setup_intents", {"customer": cus_b})
    server.post(f"/v1/setup_intents/{canceled['id']}/cancel")
    world.add("setup_intent", canceled["id"])
    declined = server.post("/v1/setup_intents", {"customer": cus_b})
    server.post(
        f"/v1/setup_intents/{declined['id']}/confirm",
        {"payment_method": "pm_card_visa_chargeDeclined"},
        ok=False,
    )
    world.add("setup_intent", declined["id"])
    legacy_si = server.post(
        "/v1/setup_intents",
        {"customer": cus_a, "payment_method_types[0]": "card", "payment_method_types[1]": "link"},
        headers=legacy,
    )
    world.add("setup_intent", legacy_si["id"])
    world.strings.append(legacy_si["client_secret"])
    # an unattached PaymentMethod (publishable key: raw card data is Stripe.js's job)
    loose = browser.post(
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        },
    )
    world.add("payment_method", loose["id"], "unattached")
    # PaymentIntents and their charges
    base = {"amount": "1099", "currency": "usd"}
    pi_states = [
        {**base},
        {**base, "customer": cus_a, "payment_method": "pm_card_visa"},
        {**base, "customer": cus_a, "payment_method": "pm_card_visa", "confirm": "true"},
        {**base, "payment_method": "pm_card_visa", "confirm": "true", "capture_method": "manual"},
        {
            **base,
            "payment_method": "pm_card_threeDSecure2Required",
            "confirm": "true",
            "return_url": "http://127.0.0.1:9/return",
        },
    ]
    for data in pi_states:
        pi = server.post("/v1/payment_intents", data)
        world.add("payment_intent", pi["id"], pi["status"])
        world.strings.append(pi["client_secret"])
        world.add("charge", pi.get("latest_charge"))
    pi = server.post("/v1/payment_intents", base)
    server.post(f"/v1/payment_intents/{pi['id']}/cancel")
    world.add("payment_intent", pi["id"])
    pi = server.post("/v1/payment_intents", base)
    server.post(
        f"/v1/payment_intents/{pi['id']}/confirm",
        {"payment_method": "pm_card_visa_chargeDeclined"},
        ok=False,
    )
    world.add("payment_intent", pi["id"])
    world.add("charge", server.call("GET", f"/v1/payment_intents/{pi['id']}")["latest_charge"])
    # Link: a signed-up (verified) account with a saved card and address, a started session
    signed_up = browser.post(
        "/v1/consumers/accounts/sign_up",
        {"email_address": "link@example.com", "phone_number": "(555) 555-0155"},
    )
    secret = signed_up["client_secret"]
    world.strings.append(secret)
    creds = {"credentials[consumer_session_client_secret]": secret}
    details = browser.post(
        "/v1/consumers/payment_details",
        {
            **creds,
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
        },
    )
    world.strings.append(details["id"])
    browser.post(
        "/v1/consumers/shipping_addresses",
        {**creds, "address[line1]": "1 Main St", "address[country]": "US"},
    )
    link_pm = server.post(
        "/v1/setup_intents",
        {
            "customer": cus_a,
            "confirm": "true",
            "payment_method_data[type]": "link",
            "payment_method_data[link][credentials][consumer_session_client_secret]": secret,
            "payment_method_data[link][payment_details_id]": details["id"],
            "payment_method_types[0]": "link",
        },
        headers=legacy,
    )
    world.add("setup_intent", link_pm["id"])
    world.add("payment_method", link_pm["payment_method"])
    started = browser.post("/v1/consumers/sessions/lookup", {"email_address": MULTI})
    world.strings.append(started["consumer_session"]["client_secret"])
    for event in server.call("GET", "/v1/events", params={"limit": "5"})["data"]:
        world.add("event", event["id"])


def foreign_ids(base_url: str, secret_key: str) -> list[str]:
    """Ids and secrets of another account (never valid in the world's account)."""
    other = build_world(base_url, secret_key)
    return other.strings


# --- snapshot of the store ---------------------------------------------------------------------


def snapshot(account: Any) -> Any:
    """The account's state as plain, comparable data (insertion order kept)."""
    return _dump(account, set())


def _dump(value: Any, seen: set[int]) -> Any:
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    if value is p.UNSET:
        return "<UNSET>"
    if isinstance(value, dict):
        return [
            ("dict", _dump(k, seen), _dump(v, seen)) for k, v in value.items() if k not in VOLATILE
        ]
    if isinstance(value, list | tuple) or type(value).__name__ == "deque":
        return [_dump(v, seen) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(_dump(v, seen)) for v in value)
    if id(value) in seen:  # a back-reference (a Link session's account)
        return ("ref", type(value).__name__, getattr(value, "id", getattr(value, "email", None)))
    seen.add(id(value))
    attrs = getattr(value, "__dict__", None)
    if attrs is None:
        return ("opaque", type(value).__name__)
    return (type(value).__name__, _dump(attrs, seen))


# --- request strategies ------------------------------------------------------------------------

UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
FIXED_STRINGS = [
    "",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999",
    "[]",
    "{}",
    "a[b]",
    "%00",
    "\x00",
    "é✓😀",
    "﷽" * 3,
    "x" * 6000,
    "pm_card_visa",
    "pm_card_chargeDeclined",
    "pm_card_threeDSecure2Required",
    "pm_card_authenticationRequired",
    "tok_visa",
    "4242424242424242",
    "4000000000000002",
    "000001",
    "000002",
    "000003",
    "123456",
    "usd",
    "card",
    "link",
    "manual",
    "off_session",
    "http://127.0.0.1:9/return",
    "javascript:alert(1)",
    "*",
    "customer",
    "data.customer",
    "payment_method.customer.invoice_settings.default_payment_method",
    "jenny@example.com",
    MULTI,
    "link@example.com",
    "cus_doesnotexist",
    "pm_1doesnotexist",
    "seti_1doesnotexist_secret_abc",
    "csmrsess_1nope_secret_nope",
]

# Raw keys that no bracket parser should choke on.
MALFORMED_KEYS = [
    "a[",
    "a]",
    "[a]",
    "[]",
    "a[b",
    "a[[b]]",
    "a[b]c",
    "a[]b",
    "a[b][][c]",
    "a[][b]",
    "a[0][b][]",
    "metadata[a][b]",
    "metadata[]",
    "expand[][x]",
    "expand[x]",
    "expand[0][0]",
    "=",
    "&",
    "a%5Bb%5D",
    "é[ü]",
    "",
]


GARBAGE = st.recursive(
    st.one_of(st.sampled_from(FIXED_STRINGS), UNICODE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "0", "1", "c d", "é"]), inner, max_size=3),
    ),
    max_leaves=6,
)  # decoded values of the wrong kind: strings, nested hashes, arrays
INTS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "1.5", "0x10", " 1", "1099", "0", "100"]),
)
BOOLS = st.sampled_from(["true", "false", "True", "1", "", "yes", "one_off"])
METADATA = st.dictionaries(UNICODE, st.one_of(UNICODE, st.just("")), max_size=3)
EXTRA_NAMES = st.sampled_from(["bogus", "ID", "object", "livemode", "é"])


class Values:
    """Spec-guided strategies of decoded params (built once per spec, then cached)."""

    def __init__(self, strings: list[str], loose: bool = True) -> None:
        self.pool = st.sampled_from(strings)
        self.strings = st.one_of(self.pool, st.sampled_from(FIXED_STRINGS), UNICODE)
        self.loose = loose  # False: values of the right kind only (reach deeper checks)
        self._cache: dict[tuple[int, int], st.SearchStrategy] = {}

    def value(self, spec: p.Spec, depth: int = 0) -> st.SearchStrategy:
        """A value for `spec`: of the right kind or (when loose) not."""
        if depth >= 4:
            return GARBAGE
        key = (id(spec), depth)
        if key not in self._cache:
            right = self._right_kind(spec, depth)
            self._cache[key] = st.one_of(right, GARBAGE) if self.loose else right
        return self._cache[key]

    def _right_kind(self, spec: p.Spec, depth: int) -> st.SearchStrategy:
        if isinstance(spec, p.Obj):
            return self.obj(spec, depth + 1)
        if isinstance(spec, p.Arr):
            return st.lists(self.value(spec.item, depth + 1), max_size=3)
        if isinstance(spec, p.Metadata):
            return METADATA
        if isinstance(spec, p.Int):
            return INTS
        if isinstance(spec, p.Bool | p.BoolOrEnum):
            return BOOLS
        if isinstance(spec, p.Enum):
            return st.sampled_from([*spec.values, "", "bogus", spec.values[0].upper()])
        return self.strings

    def obj(self, spec: p.Obj, depth: int = 0) -> st.SearchStrategy:
        """A hash with some of `spec`'s fields (required ones usually included), maybe extras."""
        names = sorted(spec.fields)
        chosen_names = st.lists(st.sampled_from(names), unique=True, max_size=4) if names else None

        @st.composite
        def build(draw):
            chosen = draw(chosen_names) if chosen_names is not None else []
            if draw(st.booleans()):
                chosen = sorted(set(chosen) | set(spec.required))
            out: dict[str, Any] = {
                name: draw(self.value(spec.fields[name], depth)) for name in chosen
            }
            if self.loose and draw(st.integers(0, 4)) == 0:
                out[draw(EXTRA_NAMES)] = draw(GARBAGE)
            return out

        return build()


def encode(value: dict[str, Any], draw) -> list[tuple[str, str]]:
    """Flatten decoded params into form pairs, lists as `a[0]` or `a[]` (drawn)."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, item: Any) -> None:
        if isinstance(item, dict):
            if not item:
                pairs.append((prefix, ""))
            for key, sub in item.items():
                walk(f"{prefix}[{key}]" if prefix else key, sub)
        elif isinstance(item, list):
            if not item:
                pairs.append((prefix, ""))
            indexed = draw(st.booleans())
            for index, sub in enumerate(item):
                walk(f"{prefix}[{index if indexed else ''}]", sub)
        else:
            pairs.append((prefix, item))

    walk("", value)
    return pairs


def to_bytes(pairs: list[tuple[str | bytes, str | bytes]]) -> bytes:
    def q(part: str | bytes) -> str:
        raw = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="[]")

    return "&".join(f"{q(k)}={q(v)}" for k, v in pairs).encode()


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
