"""WebhookEndpoint: where an account's events are POSTed, signed with the endpoint's secret.

`secret` (`whsec_…`) is returned only by create, as stripe-python's field docstring says ("Only
returned at creation."): retrieve, update and list leave the key out, as Stripe's OpenAPI does
with optional fields. `connect=true` is accepted; with no connected accounts in the emulator
such an endpoint receives nothing, as on a real platform without connected accounts.
URLs must be http(s). Unlike Stripe, which delivers only to public hosts, the emulator delivers
only to loopback (127.0.0.0/8, ::1, localhost) plus the hosts it was started with
(`--allow-webhook-host`, `Emulator(allowed_webhook_hosts=…)`): events carry the learner's
customers' emails, and a page the learner visits must not be able to send them elsewhere.
An account has at most `MAX_PER_ACCOUNT` endpoints, Stripe's limit (docs/facts/webhooks.md#limits).
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from .. import errors
from .. import params as p
from ..context import Ctx, known_api_version
from .base import Resource, get_or_404
from .event_types import EVENT_TYPE_SET, EVENT_TYPES


class EventTypeName(p.Spec):
    """One `enabled_events` entry: `*` or a Stripe event type name."""

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            raise errors.ParameterInvalidString(path, f"Invalid string: {path} must be a string")
        if value != "*" and value not in EVENT_TYPE_SET:
            raise errors.ParameterInvalidEnum(path, value, list(EVENT_TYPES))
        return value


class Url(p.Str):
    """An absolute http(s) URL (code `url_invalid` otherwise)."""

    def coerce(self, value: Any, path: str) -> Any:
        value = super().coerce(value, path)
        try:
            parts = urlsplit(value)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            valid = False
        if not valid:
            raise errors.UrlInvalid(value=value, param=path)
        return value


LOOPBACK_NAMES = ("localhost",)


def check_url_host(ctx: Ctx, params: dict[str, Any]) -> None:
    """Refuse a `url` whose host is neither loopback nor one the emulator was told to allow."""
    if "url" not in params:
        return
    host = (urlsplit(params["url"]).hostname or "").lower()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host in LOOPBACK_NAMES
    if not loopback and host not in ctx.allowed_webhook_hosts:
        raise errors.WebhookHostNotAllowed(value=params["url"], host=host, param="url")


class ApiVersion(p.Str):
    def coerce(self, value: Any, path: str) -> Any:
        value = super().coerce(value, path)
        if not known_api_version(value):  # the same rule as the Stripe-Version header
            raise errors.InvalidApiVersion(value, param=path)
        return value


ENABLED_EVENTS = p.Arr(EventTypeName(), max_items=1000)

CREATE = p.Obj(
    {
        "api_version": ApiVersion(),
        "connect": p.Bool(),
        "description": p.Str(nullable=True),
        "enabled_events": ENABLED_EVENTS,
        "expand": p.EXPAND,
        "metadata": p.Metadata(),
        "url": Url(),
    },
    required=("enabled_events", "url"),
)
UPDATE = p.Obj(
    {
        "description": p.Str(nullable=True),
        "disabled": p.Bool(),
        "enabled_events": ENABLED_EVENTS,
        "expand": p.EXPAND,
        "metadata": p.Metadata(),
        "url": Url(),
    }
)
LIST = p.list_spec()
MAX_PER_ACCOUNT = (
    16  # "You can register up to 16 webhook endpoints" (docs/facts/webhooks.md#limits)
)


class WebhookEndpoint(Resource):
    object_name = "webhook_endpoint"
    noun = "webhook endpoint"
    collection = "webhook_endpoints"

    def __init__(self, data: dict[str, Any], secret: str, connect: bool = False) -> None:
        super().__init__(data)
        self.secret = secret
        self.connect = connect

    @classmethod
    def create(cls, ctx: Ctx, params: dict[str, Any]) -> WebhookEndpoint:
        check_url_host(ctx, params)
        if len(ctx.account.webhook_endpoints) >= MAX_PER_ACCOUNT:
            raise errors.WebhookEndpointLimit(limit=MAX_PER_ACCOUNT)
        ids = ctx.account.ids
        endpoint_id = ids.new("we")
        secret = ids.secret_token("whsec")
        data = {
            "id": endpoint_id,
            "object": "webhook_endpoint",
            "api_version": params.get("api_version"),
            "application": None,
            "created": ctx.now(),
            "description": None,
            "enabled_events": [],
            "livemode": False,
            "metadata": {},
            "status": "enabled",
            "url": "",
        }
        endpoint = cls(data, secret, connect=params.get("connect", False))
        endpoint.apply(params)
        return endpoint

    def apply(self, params: dict[str, Any]) -> None:
        """Copy validated params onto the endpoint."""
        data = self.data
        if "url" in params:
            data["url"] = params["url"]
        if "enabled_events" in params:
            data["enabled_events"] = list(dict.fromkeys(params["enabled_events"]))
        if "description" in params:
            data["description"] = p.clean(params["description"])
        if "metadata" in params:
            data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
        if "disabled" in params:
            data["status"] = "disabled" if params["disabled"] else "enabled"

    def matches(self, event_type: str) -> bool:
        """Whether an event of this type on the account itself goes to this endpoint."""
        if self.connect:
            return False
        enabled = self.data["enabled_events"]
        return "*" in enabled or event_type in enabled

    def created_dict(self) -> dict[str, Any]:
        """The create response: the only one that carries `secret`."""
        data = dict(self.data)
        status = data.pop("status")
        url = data.pop("url")
        return {**data, "secret": self.secret, "status": status, "url": url}

    def deleted_dict(self) -> dict[str, Any]:
        return {"id": self.id, "object": "webhook_endpoint", "deleted": True}


def find(ctx: Ctx, endpoint_id: str) -> WebhookEndpoint:
    return get_or_404(ctx.account, WebhookEndpoint, endpoint_id)
