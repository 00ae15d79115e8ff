"""The emulator's ASGI app: every request — API, control, the 3-D Secure page, Stripe.js — goes
through one pipeline, `EmulatorApp.handle`, whose steps run in this order:

1. route        the path's surface (surfaces.py: api, control, page, asset), then its entry of
                the one route list (routes.ROUTES). A Host that names neither loopback nor an
                allowed host is refused (DNS rebinding); an OPTIONS request to the API is a
                CORS preflight (204); a method the page or Stripe.js does not serve is a 405.
2. authenticate the key picks the account before anything is decoded (auth.py: the
                Authorization header, or Stripe.js's `key` field read from the raw form; a
                secret key only in the header and never from a browser); api: `Stripe-Version`
                must be one Stripe could accept; then an unknown path is a 404 (after the key,
                as on api.stripe.com); a publishable key only where the route allows it
                (control: never).
3. decode       the query, and for a POST the body over it, as Stripe's bracket form
                (params.decode); a body over 1 MiB is refused. (Surfaces without a key: none.)
4. replay       an api POST whose Idempotency-Key was seen: the stored response, or a 400
                idempotency_error when its parameters differ.
5. operate      parse the parameters (route.spec), run the handler under the account's lock,
                render the resource with its expansions; keep a 200 or 402 for replay under its
                Idempotency-Key; with a state file, commit the account's changes to it
                (Store.commit, persistence.py); then queue the webhook events it recorded.
6. render       the response headers (Request-Id, Stripe-Version, Idempotency-Key; CORS unless
                a secret key was presented: only Stripe.js reads responses in a browser).
Once the response is sent, `record` adds the account's request-log entry (api requests, and the
3-D Secure page's choice) with the request's duration, and the account compacts what left its
hot set (compact.py): bookkeeping the client does not wait for.
Any exception in steps 1–5 becomes a response in one place, `_error`: the surface's renderer
(Stripe's envelope for api and control); an unexpected one is logged and answered 500
`api_error`, never with a traceback.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import logging
import re
import typing
from collections.abc import Callable

import orjson

from . import auth, errors, params, render
from .call import Call
from .clock import monotonic, wall_time
from .context import DEFAULT_API_VERSION, Ctx, known_api_version
from .http_io import (
    ALLOW_ANY_ORIGIN,
    MAX_BODY,
    ClientDisconnected,
    HttpError,
    Request,
    Response,
    Send,
    json_response,
    read_body,
    send_response,
)
from .ids import RequestIds, seed_for
from .request_log import log_call
from .resources.base import Resource
from .router import Router
from .routes import ROUTES, Route
from .store import Store
from .surfaces import API, Surface, surface_of

log = logging.getLogger("stripe_emulator")

# What a page's Stripe.js may send cross-origin: its key goes in the `key` form field, so no
# `Authorization` header (a secret key is refused from browsers anyway, auth.py). api.stripe.com
# allows more (docs/facts/cors.md); the emulator, on the learner's loopback, only what Stripe.js needs.
CORS_PREFLIGHT = (  # + Access-Control-Allow-Origin, added to every keyless API response (_render)
    (b"access-control-allow-methods", b"GET, POST"),
    (b"access-control-allow-headers", b"Content-Type, Stripe-Version, Stripe-Account"),
    (b"access-control-max-age", b"300"),
)
MAX_IDEMPOTENCY_KEY = 255
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_PER_REQUEST_HEADERS = {b"request-id", b"stripe-version", b"idempotency-key"}


class EmulatorApp:
    """ASGI callable: the whole emulator (server.build_app adds the webhook deliverer)."""

    def __init__(
        self,
        store: Store | None = None,
        deliverer=None,
        gc_freeze_every: int = 0,
        allowed_hosts: tuple[str, ...] = (),
        allowed_webhook_hosts: tuple[str, ...] = (),
    ) -> None:
        self.store = store or Store()
        # Where webhook endpoints may point besides loopback (events carry customers' data).
        self.allowed_webhook_hosts = frozenset(h.lower() for h in allowed_webhook_hosts)
        # Host names the emulator answers to: loopback, plus any configured (a workshop hub's
        # name). Any other Host is a DNS-rebinding page reaching 127.0.0.1 under its own name.
        self.allowed_hosts = frozenset(LOOPBACK_HOSTS + tuple(h.lower() for h in allowed_hosts))
        # Stored objects live until reset, and a full cyclic-GC pass rescans all of them, so a
        # long-running emulator slows down as data grows. With gc_freeze_every=N the standalone
        # server collects the young generations and freezes survivors every N requests.
        self.gc_freeze_every = gc_freeze_every
        self._served = 0
        self.router = Router(ROUTES)
        self.request_ids = RequestIds(seed_for("requests"))  # before a request has an account
        self.deliverer = deliverer
        if deliverer is not None:  # a delivery lowers its event's pending_webhooks: kept too
            deliverer.on_delivered = self._keep_delivery
            self.store.in_use = deliverer.has_work  # an account awaiting deliveries stays

    def _keep_delivery(self, account, event) -> None:
        """Write a delivered event's new `pending_webhooks` to the state file, if there is one
        (called by the deliverer holding the account's lock)."""
        account.events.get(event.id)  # noted as fetched: the commit rewrites it
        self.store.commit(account)

    async def __call__(self, scope: dict, receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = monotonic()
        try:
            body = await read_body(receive)
        except ClientDisconnected:
            return  # nobody to answer, and a part of a request is not a request
        call = self.handle(Request.from_scope(scope, body))
        response = call.response
        await send_response(send, response, head=scope["method"] == "HEAD")
        # Bookkeeping after the response is on its way, while the client reads it. No other
        # request runs in between (one event loop; the send awaits only for a client that
        # stopped reading), so the client's next request finds the entry.
        if call.account is not None:
            call.account.compact()  # off the request's path (compact.py)
        duration_ms = round((monotonic() - started) * 1000, 3)
        self.record(call, duration_ms)
        log.info(
            "%s %s %s %s %.1fms",
            scope["method"],
            _printable(scope["path"]),
            response.status,
            call.entry["request_id"] if call.entry else "-",
            duration_ms,
        )

    async def _lifespan(self, receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.deliverer is not None:
                    self.deliverer.start()
                    if self.store.persistence is not None:  # what the last process left undone
                        self.deliverer.resume(self.store.accounts())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.deliverer is not None:
                    await self.deliverer.stop()
                self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- synchronous core: everything below runs without awaiting, one request at a time --

    def handle(self, request: Request) -> Call:
        """Run the pipeline for one request; the Call holds the response (then: `record`)."""
        call = Call(request, self.store, self.deliverer, received_at=wall_time())
        surface = call.surface = surface_of(request.path)
        try:
            response = self._route(call, surface)
            if response is None:
                self._authenticate(call, surface)
                self._decode(call, surface)
                response = self._replay(call, surface) or self._operate(call, surface)
        except Exception as exc:
            response = self._error(call, surface, exc)
        call.response = self._render(call, surface, response)
        return call

    def _route(self, call: Call, surface: Surface) -> Response | None:
        """Find the route; answers a CORS preflight itself (returns its response)."""
        method, path = call.method, call.path
        host = _host_name(call.request.header(b"host"))
        if host is not None and host not in self.allowed_hosts:
            raise errors.HostNotAllowed(host)
        if surface is API and method == "OPTIONS":  # api.stripe.com allows browsers
            return Response(204, b"", list(CORS_PREFLIGHT))
        if surface.strip_slash and path.endswith("/"):
            path = path.rstrip("/")
        if surface.methods:
            allowed = surface.methods + (("HEAD",) if "GET" in surface.methods else ())
            if method not in allowed:
                raise HttpError(
                    405, "Method not allowed", f"{method} is not supported here.",
                    allow=", ".join(allowed),
                )  # fmt: skip
            if method == "HEAD":
                method = "GET"
        call.route, call.path_params = self.router.match(method, path)
        if call.route is None and not surface.authenticates:
            raise errors.UnrecognizedUrl(call.method, call.path)
        return None

    def _authenticate(self, call: Call, surface: Surface) -> None:
        """The account, from the key, before the body is decoded: a request without a valid
        key costs no parsing."""
        route = call.route
        if not surface.authenticates or (route is not None and route.keyless):
            return
        key, sent_as_field = auth.presented_key(call.request)
        call.secret_key_presented = bool(key) and not key.startswith("pk_")
        call.account, call.key_kind = auth.authenticate(self.store, key)
        if call.key_kind == "secret":
            auth.check_secret_key_use(call.request, sent_as_field)
        call.key_sent_as_field = sent_as_field
        if surface.stripe_api:
            call.api_version = call.request.header(b"stripe-version") or DEFAULT_API_VERSION
            if not known_api_version(call.api_version):
                raise errors.InvalidApiVersion(call.api_version)
        if route is None:
            raise errors.UnrecognizedUrl(call.method, call.path)
        if call.key_kind == "publishable":
            if surface.secret_only or (surface.stripe_api and not route.publishable):
                raise errors.SecretKeyRequired()
        if surface.stripe_api and call.method == "POST":
            key = call.request.header(b"idempotency-key") or None
            if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
                raise errors.IdempotencyKeyTooLong(limit=MAX_IDEMPOTENCY_KEY)
            call.idempotency_key = key

    def _decode(self, call: Call, surface: Surface) -> None:
        if not surface.authenticates:
            return
        request = call.request
        if len(request.body) > MAX_BODY:  # never act on a truncated body
            raise errors.BodyTooLarge(limit=MAX_BODY)
        call.form = params.decode(request.body if request.method == "POST" else request.query)
        if request.method == "POST" and request.query:
            call.form = {**params.decode(request.query), **call.form}
        if call.key_sent_as_field and (call.route.spec is not None):
            call.form.pop("key", None)  # a key sent as a field is not one of the parameters
        if surface.stripe_api:
            # Parameters in a canonical order: a retry that encodes them in another order is the
            # same request (its request id and its idempotency fingerprint).
            canonical = orjson.dumps(call.form, option=orjson.OPT_SORT_KEYS)
            call.fingerprint = (call.method, call.path, canonical)
            call.request_id = call.account.request_ids.next(
                b"%s %s %s" % (call.method.encode(), call.path.encode(), canonical)
            )

    def _replay(self, call: Call, surface: Surface) -> Response | None:
        key = call.idempotency_key
        found = call.account.idempotency.lookup(key, call.fingerprint) if key else None
        if found is None:
            return None
        same_request, response = found
        if not same_request:
            raise errors.IdempotencyMismatch(key)
        replayed = [h for h in response.headers if h[0] not in _PER_REQUEST_HEADERS]
        return Response(
            response.status, response.body, replayed + [(b"idempotent-replayed", b"true")]
        )

    def _operate(self, call: Call, surface: Surface) -> Response:
        route = call.route
        parsed = params.parse(call.form, route.spec) if route.spec is not None else {}
        if not surface.stripe_api:
            try:
                result = (
                    route.handler(call, parsed) if route.spec is not None else route.handler(call)
                )
            finally:  # the 3-D Secure page's choice, a clock change: kept like an API request's
                if call.account is not None:
                    with call.account.lock:
                        self.store.commit(call.account, reads=call.method != "GET")
            return result if isinstance(result, Response) else json_response(200, result)
        ctx = Ctx(
            account=call.account,
            key_kind=call.key_kind,
            api_version=call.api_version,
            request_id=call.request_id,
            idempotency_key=call.idempotency_key,
            base_url=call.request.base_url,
            allowed_webhook_hosts=self.allowed_webhook_hosts,
        )
        with call.account.lock:
            try:
                try:
                    response = _run_api_handler(ctx, route, parsed, call.path_params)
                except errors.StripeError as exc:
                    response = self._error(call, surface, exc)
                # Stripe saves the result once the endpoint started executing: successes and
                # card errors (402) replay; validation failures (400) and 404s may be retried.
                if call.idempotency_key and response.status in (200, 402):
                    call.account.idempotency.remember(
                        call.idempotency_key, call.fingerprint, response
                    )
            finally:  # durable (a state file) before anyone hears of it: response, webhooks
                self.store.commit(call.account, reads=call.method != "GET")
                # events recorded before a 402 (e.g. setup_intent.setup_failed) too
                call.deliver(ctx.events)
        return response

    def _error(self, call: Call, surface: Surface, exc: Exception) -> Response:
        """The one place an exception becomes a response, in the surface's format."""
        if not isinstance(exc, errors.StripeError | HttpError):
            log.exception("unexpected error handling %s %s", call.method, call.path)
            exc = errors.ApiError()
        return surface.render_error(exc, self._request_id(call))

    def _request_id(self, call: Call) -> str:
        """The request's id: an api request's comes from its account once decoded (`_decode`);
        any other's, or one refused before that, from the method and path, drawn only here."""
        if call.request_id is None:
            call.request_id = self.request_ids.next(f"{call.method} {call.path}")
        return call.request_id

    def _render(self, call: Call, surface: Surface, response: Response) -> Response:
        if surface.stripe_api:
            self._request_id(call)
            version = call.request.headers.get(b"stripe-version") or DEFAULT_API_VERSION.encode()
            response.headers = response.headers + [
                (b"request-id", call.request_id.encode()),
                (b"stripe-version", version),
            ]
            if call.idempotency_key:
                response.headers.append(
                    (b"idempotency-key", call.idempotency_key.encode("latin-1"))
                )
            if not call.secret_key_presented:  # Stripe.js may read it; never a secret key's
                response.headers.append(ALLOW_ANY_ORIGIN)
        return response

    def record(self, call: Call, duration_ms: float | None = None) -> None:
        """Once the response is sent: the account's request-log entry (`call.entry`)."""
        if call.account is not None and (call.surface.stripe_api or call.log_fields is not None):
            call.entry = log_call(call, duration_ms)
        if self.gc_freeze_every:
            self._served += 1
            if self._served % self.gc_freeze_every == 0:
                gc.collect(1)
                gc.freeze()


def _run_api_handler(ctx: Ctx, route: Route, parsed: dict, path_params: dict) -> Response:
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
        result = render.expand(ctx, render.view(ctx, result.to_dict()), parsed.get("expand", []))
    return json_response(200, result)


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


def _host_name(host: str) -> str | None:
    """The name in a Host header, without its port (None: no Host header, e.g. HTTP/1.0)."""
    if not host:
        return None
    if host.startswith("["):  # [::1]:12111
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(text: str) -> str:
    """A path as one log line: control characters (a decoded %0a) percent-encoded again."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", text)
