"""What SetupIntent and PaymentIntent do the same way: the stored intent, its client secret
check, `return_url` validation and the 3-D Secure `next_action`."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlparse

from .. import errors, render
from ..context import Ctx
from .base import Resource


class Intent(Resource):
    """A SetupIntent or PaymentIntent: `data` plus the private state a confirmation leaves."""

    def __init__(self, data: dict[str, Any], api_version: str) -> None:
        super().__init__(data)
        self.api_version = api_version  # the version it was created with (for the 3DS page)
        self.return_url: str | None = None  # where the 3-D Secure page sends the customer back
        # created with automatic_payment_methods[enabled]=true allowing redirects (return_url_rule)
        self.redirects_requested = False

    @property
    def status(self) -> str:
        return self.data["status"]


def check_client_secret(intent: Intent, client_secret: str | None, object_name: str) -> None:
    """`client_secret` must be given and be the intent's (`object_name`: "SetupIntent"...)."""
    if client_secret is None:
        raise errors.ParameterMissing("client_secret")
    if client_secret != intent.data["client_secret"]:
        raise errors.ClientSecretMismatch(object_name=object_name)


# Schemes a browser would run or read locally rather than navigate to. Stripe answers any URL it
# cannot send the customer to with `url_invalid` "Not a valid URL"; app schemes (`myapp://`,
# for mobile apps) stay valid (https://docs.stripe.com/api/setup_intents/confirm#confirm_setup_intent-return_url).
SCRIPT_SCHEMES = ("javascript", "data", "vbscript", "file", "blob")


def validate_return_url(url: str, param: str = "return_url") -> None:
    parsed = urlparse(url.strip())
    web = parsed.scheme in ("http", "https")
    if not parsed.scheme or (web and not parsed.netloc) or parsed.scheme in SCRIPT_SCHEMES:
        raise errors.ReturnUrlInvalid(param=param)


def three_d_secure_requested(intent: Intent, pm: Any) -> bool:
    """The intent asks for 3-D Secure (`request_three_d_secure` any/challenge) and the card can."""
    card_options = intent.data["payment_method_options"].get("card") or {}
    return (
        pm.type == "card"
        and pm.card_profile.three_d_secure_supported
        and card_options.get("request_three_d_secure") in ("any", "challenge")
    )


def next_action(ctx: Ctx, intent: Intent, *, use_stripe_sdk: bool) -> dict[str, Any]:
    """The 3-D Secure step (docs/facts/intents.md#3-d-secure-next-action). A confirm with `use_stripe_sdk=true` (Stripe.js,
    the mobile SDKs) gets `use_stripe_sdk`: Stripe.js shows the challenge in an in-page modal,
    even when a return_url is given (as test mode does for 3DS2 cards). Otherwise a return_url
    means a `redirect_to_url` (server-side confirms), and without one Stripe.js handles it."""
    url = (
        f"{ctx.base_url}/redirect/authenticate/{intent.id}"
        f"?client_secret={intent.data['client_secret']}&key={ctx.account.publishable_key}"
    )
    if intent.return_url and not use_stripe_sdk:
        return {
            "type": "redirect_to_url",
            "redirect_to_url": {"url": url, "return_url": intent.return_url},
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "type": "three_d_secure_redirect",
            "stripe_js": url,
            "source": intent.id,
        },
    }


def embedded(ctx: Ctx, intent: Intent | None) -> dict[str, Any] | None:
    """The intent as an error body embeds it (the publishable view for publishable keys)."""
    return None if intent is None else render.view(ctx, copy.deepcopy(intent.to_dict()))
