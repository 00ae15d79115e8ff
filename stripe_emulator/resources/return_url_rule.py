"""When confirming needs a `return_url`: intents created with `automatic_payment_methods[enabled]
=true` whose `allow_redirects` is not `never` (errors.ReturnUrlRequired).

- Only what the request decides: the merchant sent `automatic_payment_methods[enabled]=true`
  (on create). Where `automatic_payment_methods` is not sent, the account's Dashboard settings
  decide which (redirect-based) methods are on, and this emulator has no Dashboard: such intents
  keep confirming without a `return_url`. That includes the guide's off-session charge
  (`off_session=true&confirm=true` with a saved `payment_method`, no `automatic_payment_methods`).
- `off_session=true` is no exemption: no public source says it is, and Stripe's own off-session
  example sends `automatic_payment_methods[enabled]=true` together with a `return_url`
  (https://docs.stripe.com/payments/save-and-reuse and the Link guide
  https://docs.stripe.com/payments/link/save-and-reuse, "Charge the saved payment method later").
- Secret-key confirmations only. Stripe.js confirms with the publishable key and passes the
  `return_url` it was given (`confirmParams.return_url`, required unless `redirect:
  "if_required"`: https://docs.stripe.com/js/setup_intents/confirm_setup); what the API answers
  a redirect-free Stripe.js confirmation is not documented, so it is left alone.
- An omitted `allow_redirects` allows them: it defaults to `always`, as the intent objects show
  and as merchants found confirming saved cards without one
  (https://github.com/opencollective/opencollective-frontend/pull/12346).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..context import Ctx
from .intent import Intent


def _allows_redirects(apm: dict[str, Any] | None) -> bool:
    return bool(apm and apm.get("enabled") and apm.get("allow_redirects", "always") != "never")


def check_create(ctx: Ctx, params: dict[str, Any], noun: str) -> None:
    """Create with `confirm=true`: refuse before anything is stored."""
    if ctx.publishable or not params.get("confirm") or params.get("return_url"):
        return
    if _allows_redirects(params.get("automatic_payment_methods")):
        raise errors.ReturnUrlRequired(noun)


def remember(intent: Intent, params: dict[str, Any]) -> None:
    """On create: whether the merchant asked for automatic payment methods with redirects."""
    intent.redirects_requested = _allows_redirects(params.get("automatic_payment_methods"))


def check_confirm(ctx: Ctx, intent: Intent, params: dict[str, Any], noun: str) -> None:
    """Confirm: the `return_url` may come with this request or an earlier confirmation."""
    if ctx.publishable or params.get("return_url") or intent.return_url:
        return
    if intent.redirects_requested and _allows_redirects(intent.data["automatic_payment_methods"]):
        raise errors.ReturnUrlRequired(noun)
