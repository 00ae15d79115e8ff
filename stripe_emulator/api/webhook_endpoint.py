"""WebhookEndpoint operations (secret key only)."""

from __future__ import annotations

from typing import Any

from .. import render
from ..context import Ctx
from ..resources.webhook_endpoint import (
    CREATE,
    LIST,
    UPDATE,
    WebhookEndpoint,
    check_url_host,
    find,
)

__all__ = ["CREATE", "LIST", "UPDATE"]


def create_webhook_endpoint(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    endpoint = WebhookEndpoint.create(ctx, params)
    created = render.expand(ctx, endpoint.created_dict(), params.get("expand", []))  # may refuse
    ctx.account.webhook_endpoints.add(endpoint)
    return created


def retrieve_webhook_endpoint(
    ctx: Ctx, params: dict[str, Any], webhook_endpoint_id: str
) -> WebhookEndpoint:
    return find(ctx, webhook_endpoint_id)


def update_webhook_endpoint(
    ctx: Ctx, params: dict[str, Any], webhook_endpoint_id: str
) -> WebhookEndpoint:
    endpoint = find(ctx, webhook_endpoint_id)
    check_url_host(ctx, params)
    endpoint.apply(params)
    return endpoint


def delete_webhook_endpoint(
    ctx: Ctx, params: dict[str, Any], webhook_endpoint_id: str
) -> dict[str, Any]:
    endpoint = find(ctx, webhook_endpoint_id)
    ctx.account.webhook_endpoints.remove(endpoint.id)
    return endpoint.deleted_dict()


def list_webhook_endpoints(ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    endpoints = ctx.account.webhook_endpoints
    return render.page(
        ctx, endpoints.newest_first(), params, "/v1/webhook_endpoints", endpoints.__contains__
    )
