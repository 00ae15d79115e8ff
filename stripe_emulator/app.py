"""The emulator's ASGI app: one route table, one auth check, one error handler.

Pipeline (stripe-mock order): auth -> route -> decode -> coerce -> validate -> operate -> serialize.
"""

from __future__ import annotations

import base64
import functools
import gc
import itertools
import json
import logging
import re
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from . import errors, params, render
from .clock import monotonic, wall_time
from .context import DEFAULT_API_VERSION, Ctx, known_api_version
from .ids import RequestIds, seed_for
from .resources.base import Resource
from .routes import ROUTES, Route
from .store import Account, Store

log = logging.getLogger("stripe_emulator")

_KEY_RE = re.compile(r"^(sk|pk|rk)_(test|live)_([A-Za-z0-9_]{1,200})$")
JSON_HEADERS = [(b"content-type", b"application/json"), (b"access-control-allow-origin", b"*")]
CORS_PREFLIGHT = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, DELETE"),
    (
        b"access-control-allow-headers",
        b"Authorization, Content-Type, Stripe-Version, Idempotency-Key, Stripe-Account",
    ),
    (b"access-control-max-age", b"300"),
)
MAX_BODY = 1 << 20

Send = Callable[[dict], Awaitable[None]]


@dataclass
class Response:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]


def json_response(status: int, payload: Any, headers: list | None = None) -> Response:
    return Response(status, json.dumps(payload).encode(), JSON_HEADERS + (headers or []))


class Router:
    """Literal paths first (dict lookup), then `{id}` templates in table order."""

    def __init__(self, routes: list[Route]) -> None:
        self.literal: dict[tuple[str, str], Route] = {}
        self.templated: list[tuple[str, re.Pattern, Route]] = []
        for route in routes:
            if "{" in route.path:
                pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.path)
                self.templated.append((route.method, re.compile(f"^{pattern}$"), route))
            else:
                self.literal[(route.method, route.path)] = route

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        """Returns (route, path params); (None, {}) when no route has this method and path."""
        route = self.literal.get((method, path))
        if route:
            return route, {}
        for route_method, pattern, route in self.templated:
            if route_method == method:
                found = pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, {}


def parse_key(headers: dict[bytes, bytes], form: dict[str, Any]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return auth
        return decoded.split(":", 1)[0]
    if auth:
        return auth
    key = form.pop("key", None)  # Stripe.js sends its publishable key as a form field
    return key if isinstance(key, str) else None


def authenticate(store: Store, key: str | None) -> tuple[Account, str]:
    if not key:
        raise errors.AuthenticationMissing()
    match = _KEY_RE.match(key)
    if not match:
        raise errors.AuthenticationInvalid(key)
    kind, mode, suffix = match.groups()
    if mode == "live":
        raise errors.LiveKeyRefused(key)
    return store.account(suffix), ("publishable" if kind == "pk" else "secret")


class EmulatorApp:
    """ASGI callable. `extra_apps` maps a path prefix to another ASGI app (Stripe.js, control)."""

    def __init__(
        self, store: Store | None = None, deliverer=None, gc_freeze_every: int = 0
    ) -> None:
        self.store = store or Store()
        # Stored objects live until reset, and a full cyclic-GC pass rescans all of them, so a
        # long-running emulator slows down as data grows. With gc_freeze_every=N the standalone
        # server collects the young generations and freezes survivors every N requests.
        self.gc_freeze_every = gc_freeze_every
        self._served = 0
        self.router = Router(ROUTES)
        self.request_ids = RequestIds(seed_for("requests"))  # before a request has an account
        self.deliverer = deliverer
        self.extra_apps: list[tuple[str, Callable]] = []

    async def __call__(self, scope: dict, receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        for prefix, app in self.extra_apps:
            if path.startswith(prefix):
                await _logged(app, scope, receive, send)
                return
        if scope["method"] == "OPTIONS":  # CORS preflight: api.stripe.com allows browsers
            await _send(send, Response(204, b"", list(CORS_PREFLIGHT)))
            return
        started = monotonic()
        body = await _read_body(receive)
        response, account, entry = self.handle(scope, body)
        await _send(send, response)
        duration_ms = round((monotonic() - started) * 1000, 3)
        if entry is not None:
            entry["duration_ms"] = duration_ms
        log.info(
            "%s %s %s %s %.1fms",
            scope["method"],
            path,
            response.status,
            entry and entry["request_id"],
            duration_ms,
        )

    async def _lifespan(self, receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.deliverer is not None:
                    self.deliverer.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.deliverer is not None:
                    await self.deliverer.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- synchronous core: everything below runs without awaiting, one request at a time --

    def handle(self, scope: dict, body: bytes) -> tuple[Response, Account | None, dict | None]:
        method = scope["method"]
        path = scope["path"]
        headers = dict(scope["headers"])
        account: Account | None = None
        key_kind = version = None
        received_at = wall_time()
        request_id = self.request_ids.next(f"{method} {path}")
        idem_key = None
        try:
            if len(body) > MAX_BODY:  # never act on a truncated body
                raise errors.InvalidRequest(
                    f"The request body is too large: at most {MAX_BODY} bytes are accepted."
                )
            raw_query = scope.get("query_string", b"")
            form = params.decode(body if method == "POST" else raw_query)
            if method == "POST" and raw_query:
                form = {**params.decode(raw_query), **form}
            account, key_kind = authenticate(self.store, parse_key(headers, form))
            canonical = _canonical(form)
            request_id = account.request_ids.next(f"{method} {path} {canonical}")
            version = headers.get(b"stripe-version", b"").decode("latin-1") or DEFAULT_API_VERSION
            if not known_api_version(version):
                raise errors.InvalidApiVersion(version)
            route, path_params = self.router.match(method, path)
            if route is None:
                raise errors.UnrecognizedUrl(method, path)
            if key_kind == "publishable" and not route.publishable:
                raise errors.SecretKeyRequired()
            if method == "POST":
                idem_key = headers.get(b"idempotency-key", b"").decode("latin-1") or None
                if idem_key is not None and len(idem_key) > MAX_IDEMPOTENCY_KEY:
                    raise errors.InvalidRequest(
                        f"Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} characters long.",
                        param="Idempotency-Key",
                    )
            ctx = Ctx(
                account=account,
                key_kind=key_kind,
                api_version=version,
                request_id=request_id,
                idempotency_key=idem_key,
                base_url=_base_url(scope, headers),
            )
            fingerprint = (method, path, canonical)
            replay = self._replay(account, idem_key, fingerprint) if idem_key else None
            if replay is not None:
                response = replay
            else:
                with account.lock:
                    try:
                        response = self._operate(ctx, route, form, path_params)
                    except errors.StripeError as exc:
                        response = json_response(exc.status, exc.body(request_id))
                    finally:  # events recorded before a 402 (e.g. setup_intent.setup_failed) too
                        if ctx.events and self.deliverer is not None:
                            self.deliverer.enqueue(account, ctx.events)
                # Stripe saves the result once the endpoint started executing: successes and
                # card errors (402) replay; validation failures (400) and 404s may be retried.
                if idem_key and response.status in (200, 402):
                    stored = Response(response.status, response.body, list(response.headers))
                    account.remember_idempotent(idem_key, (fingerprint, stored))
        except errors.StripeError as exc:
            response = json_response(exc.status, exc.body(request_id))
        except Exception:  # unexpected: never a traceback to the client
            log.exception("unexpected error handling %s %s", method, path)
            exc = errors.ApiError()
            response = json_response(exc.status, exc.body(request_id))
        response.headers = response.headers + [
            (b"request-id", request_id.encode()),
            (b"stripe-version", (headers.get(b"stripe-version") or DEFAULT_API_VERSION.encode())),
        ]
        if idem_key:
            response.headers.append((b"idempotency-key", idem_key.encode("latin-1")))
        entry = None
        if account is not None:
            entry = log_request(
                account,
                method=method,
                path=path,
                status=response.status,
                request_id=request_id,
                idempotency_key=idem_key,
                key_type=key_kind,
                api_version=version,
                element=_calling_element(headers),
                user_agent=headers.get(b"user-agent", b"")[:200].decode("latin-1"),
                received_at=received_at,
            )
        if self.gc_freeze_every:
            self._served += 1
            if self._served % self.gc_freeze_every == 0:
                gc.collect(1)
                gc.freeze()
        return response, account, entry

    def _operate(self, ctx: Ctx, route: Route, form: dict, path_params: dict) -> Response:
        parsed = params.parse(form, route.spec)
        render.check_expand(ctx, _returned_object(route.handler), parsed.get("expand", []))
        payment_methods = ctx.account.payment_methods
        known = len(payment_methods)
        try:
            result = route.handler(ctx, parsed, **path_params)
        except errors.StripeError as exc:
            # A `pm_card_*` test token becomes a stored PaymentMethod when looked up; a refused
            # request keeps none, except those a card error's body shows (its intent's PM).
            created = list(
                itertools.islice(payment_methods.newest_first(), len(payment_methods) - known)
            )
            shown = json.dumps(exc.extra) if exc.status == 402 and created else ""
            for pm in created:
                if pm.id not in shown:
                    payment_methods.remove(pm.id)
                    ctx.account.pms_by_customer.discard(pm.data.get("customer"), pm.id)
            raise
        if isinstance(result, Resource):
            result = render.expand(
                ctx, render.view(ctx, result.to_dict()), parsed.get("expand", [])
            )
        return json_response(200, result)

    def _replay(self, account: Account, key: str, fingerprint: tuple) -> Response | None:
        entry = account.idempotency.get(key)
        if entry is None:
            return None
        stored_fingerprint, response = entry
        if stored_fingerprint != fingerprint:
            raise errors.IdempotencyMismatch(key)
        replayed = [h for h in response.headers if h[0] not in _PER_REQUEST_HEADERS]
        return Response(
            response.status, response.body, replayed + [(b"idempotent-replayed", b"true")]
        )


def log_request(account: Account, **fields: Any) -> dict:
    """Add one entry to the account's request log (`GET /_emulator/requests`), newest first.

    Fields: method, path, status, request_id, idempotency_key, key_type ("secret" or
    "publishable"), api_version, element (the Element iframe that sent a browser request:
    "linkAuthentication", "address", "payment", or "three_ds" for the 3-D Secure test page;
    None for the merchant page's own Stripe.js calls and for servers), action (the test page's
    choice: "complete" or "fail"), user_agent (its first 200 characters), received_at (unix
    seconds, a float: orders entries against other processes' logs), duration_ms (set once the
    response is sent), created (the account's clock)."""
    entry = {
        "method": None,
        "path": None,
        "status": None,
        "request_id": None,
        "idempotency_key": None,
        "key_type": None,
        "api_version": None,
        "element": None,
        "action": None,
        "user_agent": None,
        "received_at": None,
        "duration_ms": None,
        **fields,
        "created": account.clock.now(),
    }
    account.request_log.appendleft(entry)
    return entry


_PER_REQUEST_HEADERS = {b"request-id", b"stripe-version", b"idempotency-key"}
MAX_IDEMPOTENCY_KEY = 255


def _canonical(form: dict[str, Any]) -> str:
    """Request parameters in a canonical order: an idempotent retry that encodes the same
    parameters in another order is the same request."""
    return json.dumps(form, sort_keys=True)


@functools.cache
def _returned_object(handler: Callable) -> str | None:
    """The `object` a handler returns, from its return annotation (None: a dict, unknown)."""
    try:
        returned = typing.get_type_hints(handler).get("return")
    except (NameError, TypeError):
        return None
    if isinstance(returned, type) and issubclass(returned, Resource):
        return returned.object_name
    return None


_ELEMENT_FRAME = re.compile(r"/v3/elements-inner-(\w+)\.html")


def _calling_element(headers: dict[bytes, bytes]) -> str | None:
    """Which Element iframe sent a browser request ("payment", "address", …), from its Referer.

    The frames are served from the API's own origin, so their same-origin requests carry the
    frame's full URL; the merchant page's calls (cross-origin) carry only its origin: None."""
    found = _ELEMENT_FRAME.search(headers.get(b"referer", b"").decode("latin-1"))
    return found.group(1) if found else None


def _base_url(scope: dict, headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1")
    if not host and scope.get("server"):
        host = "{}:{}".format(*scope["server"])
    return f"{scope.get('scheme', 'http')}://{host}"


async def _logged(app: Callable, scope: dict, receive, send: Send) -> None:
    """Run an extra app (control routes, Stripe.js, 3-D Secure page), logging one line for it."""
    started = monotonic()
    status: list[int] = []

    async def send_and_note(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        await send(message)

    await app(scope, receive, send_and_note)
    log.info(
        "%s %s %s - %.1fms",
        scope["method"],
        scope["path"],
        status[0] if status else "-",
        (monotonic() - started) * 1000,
    )


async def _read_body(receive) -> bytes:
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        if size <= MAX_BODY:  # keep the chunk that crosses the limit: callers see len > MAX_BODY
            chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send(send: Send, response: Response) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response.headers + [(b"content-length", str(len(response.body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": response.body})
