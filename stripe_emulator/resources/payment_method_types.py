"""Which payment method types an intent gets, on which API version (docs/facts/api_versions.md#payment-method-types-by-version): the
rules of `payment_method_types`, `allowed_payment_method_types`, `automatic_payment_methods` and
`excluded_payment_method_types` for SetupIntents and PaymentIntents, in one place.

- before `2026-09-30.endive` `payment_method_types` is writable; from endive on it is refused with
  `payment_method_types_no_longer_supported`.
- `allowed_payment_method_types` exists from `2026-07-29.dahlia` (before: parameter_unknown).
- With neither, intents use dynamic payment methods from `2023-08-16` on (`DYNAMIC_TYPES`, what
  this test account has enabled, with its PaymentMethodConfiguration), and `["card"]` before.
SetupIntents accept only the types the emulator supports (`SETUP_TYPES`); PaymentIntents any
type Stripe knows (`ALL_TYPES`), confirmed only with one of `payment_method.TYPES`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import errors
from .. import params as p
from ..context import DAHLIA_ALLOWED_TYPES, ENDIVE, Ctx
from ..ids import ALPHABET

DYNAMIC_DEFAULT = "2023-08-16"  # automatic_payment_methods on by default from this version
DYNAMIC_TYPES = ("card", "link")  # what this test account has enabled
SETUP_TYPES = ("card", "link", "us_bank_account")  # what a SetupIntent may name
# Every PaymentMethod type stripe-python 16.1.0 knows (valid values of the list `type` filter).
ALL_TYPES = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "alma", "amazon_pay", "au_becs_debit",
    "bacs_debit", "bancontact", "billie", "bizum", "blik", "boleto", "card", "card_present",
    "cashapp", "crypto", "custom", "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal",
    "interac_present", "kakao_pay", "klarna", "konbini", "kr_card", "link", "mb_way", "mobilepay",
    "multibanco", "naver_pay", "nz_bank_account", "oxxo", "p24", "pay_by_bank", "payco", "paynow",
    "paypal", "paypay", "payto", "pix", "promptpay", "revolut_pay", "samsung_pay", "satispay",
    "scalapay", "sepa_debit", "sequra", "sofort", "sunbit", "swish", "twint", "upi",
    "us_bank_account", "wechat_pay", "zip",
)  # fmt: skip


def configuration(ctx: Ctx) -> dict[str, Any]:
    """The account's default PaymentMethodConfiguration (stable per account, like Stripe's)."""
    digest = hashlib.sha256(f"pmc:{ctx.account.name}".encode()).digest()
    return {"id": "pmc_1" + "".join(ALPHABET[b % 62] for b in digest[:23]), "parent": None}


# --- SetupIntent ----------------------------------------------------------------------------------


def _check_setup_type_names(params: dict[str, Any]) -> None:
    for name in ("payment_method_types", "allowed_payment_method_types"):
        if name in params and not params[name]:
            raise errors.ParameterInvalidEmpty(name)
    for name in ("payment_method_types", "allowed_payment_method_types"):
        for value in params.get(name, []):
            if value not in SETUP_TYPES:
                raise errors.SetupPaymentMethodTypeInvalid(name=value, param=name)
    for value in params.get("excluded_payment_method_types", []):
        if value not in ALL_TYPES:
            raise errors.ExcludedPaymentMethodTypeInvalid(name=value)


def _exclusive(params: dict[str, Any], *names: str) -> None:
    given = [n for n in names if n in params]
    if len(given) > 1:
        raise errors.MutuallyExclusive(given)


def setup_intent_types(ctx: Ctx, params: dict[str, Any], creating: bool) -> dict[str, Any]:
    """SetupIntent: validate the type params and compute the fields they set (empty: leave as
    is)."""
    if "payment_method_types" in params and ctx.version_at_least(ENDIVE):
        raise errors.PaymentMethodTypesNoLongerSupported(version=ctx.api_version)
    if "allowed_payment_method_types" in params and not ctx.version_at_least(DAHLIA_ALLOWED_TYPES):
        raise errors.ParameterUnknown("allowed_payment_method_types")
    _exclusive(params, "allowed_payment_method_types", "payment_method_types")
    _exclusive(params, "allowed_payment_method_types", "automatic_payment_methods")
    _exclusive(params, "allowed_payment_method_types", "excluded_payment_method_types")
    apm = params.get("automatic_payment_methods")
    if apm and apm["enabled"] and "payment_method_types" in params:
        _exclusive(params, "automatic_payment_methods", "payment_method_types")
    if apm and not apm["enabled"] and "allow_redirects" in apm:
        raise errors.AllowRedirectsNeedsEnabled()
    _check_setup_type_names(params)
    fields: dict[str, Any] = {}
    dynamic = False
    if "payment_method_types" in params:
        fields.update(payment_method_types=list(params["payment_method_types"]))
        fields.update(automatic_payment_methods=None, allowed_payment_method_types=None)
    elif "allowed_payment_method_types" in params:
        allowed = list(params["allowed_payment_method_types"])
        fields.update(payment_method_types=allowed, allowed_payment_method_types=allowed)
        fields.update(automatic_payment_methods=None)
    elif apm is not None and apm["enabled"]:
        dynamic = True
        redirects = apm.get("allow_redirects", "always")
        fields["automatic_payment_methods"] = {"allow_redirects": redirects, "enabled": True}
    elif apm is not None:
        fields.update(payment_method_types=["card"], allowed_payment_method_types=None)
        fields["automatic_payment_methods"] = {"allow_redirects": None, "enabled": False}
    elif creating and ctx.version_at_least(DYNAMIC_DEFAULT):
        dynamic = True
        fields["automatic_payment_methods"] = {"allow_redirects": "always", "enabled": True}
    elif creating:
        fields.update(payment_method_types=["card"], automatic_payment_methods=None)
    if dynamic:
        excluded = params.get("excluded_payment_method_types") or []
        fields["payment_method_types"] = [t for t in DYNAMIC_TYPES if t not in excluded]
        fields["payment_method_configuration_details"] = configuration(ctx)
    elif "payment_method_types" in fields:
        fields["payment_method_configuration_details"] = None
    if "excluded_payment_method_types" in params:
        fields["excluded_payment_method_types"] = params["excluded_payment_method_types"] or None
    return fields


# --- PaymentIntent --------------------------------------------------------------------------------


def _check_payment_type_names(names: list[str], param: str) -> None:
    for index, name in enumerate(names):
        if name not in ALL_TYPES:
            raise errors.PaymentMethodTypeInvalid(name=name, param=f"{param}[{index}]")


def payment_intent_types(ctx: Ctx, params: dict[str, Any], current: dict | None) -> dict[str, Any]:
    """PaymentIntent: the fields describing its payment method types: all of them on create (current is
    None), only those the params change on update/confirm."""
    given = [
        name
        for name in (
            "payment_method_types",
            "allowed_payment_method_types",
            "automatic_payment_methods",
            "excluded_payment_method_types",
            "payment_method_configuration",
        )
        if name in params
    ]
    if "payment_method_types" in params and ctx.version_at_least(ENDIVE):
        raise errors.PaymentMethodTypesNoLongerSupported(version=ctx.api_version)
    if "allowed_payment_method_types" in params and not ctx.version_at_least(DAHLIA_ALLOWED_TYPES):
        raise errors.ParameterUnknown("allowed_payment_method_types")
    exclusive = {"payment_method_types", "allowed_payment_method_types"}
    if len(given) > 1 and exclusive & set(given):
        raise errors.MutuallyExclusive(given)
    dynamic = {
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True},
        "allowed_payment_method_types": None,
        "excluded_payment_method_types": None,
        "payment_method_configuration_details": configuration(ctx),
        "payment_method_types": list(DYNAMIC_TYPES),
    }
    if "payment_method_types" in params:
        names = params["payment_method_types"]
        _check_payment_type_names(names, "payment_method_types")
        if not names:
            raise errors.ParameterInvalidEmpty("payment_method_types")
        return {
            "automatic_payment_methods": None,
            "allowed_payment_method_types": None,
            "excluded_payment_method_types": None,
            "payment_method_configuration_details": None,
            "payment_method_types": list(dict.fromkeys(names)),
        }
    if "allowed_payment_method_types" in params:
        allowed = params["allowed_payment_method_types"]
        _check_payment_type_names(allowed, "allowed_payment_method_types")
        types = [t for t in DYNAMIC_TYPES if t in allowed]
        if not types:
            raise errors.NoAllowedTypeEnabled(enabled=", ".join(DYNAMIC_TYPES))
        return {**dynamic, "allowed_payment_method_types": allowed, "payment_method_types": types}
    result: dict[str, Any] = {}
    if "automatic_payment_methods" in params:
        apm = params["automatic_payment_methods"]
        enabled = apm["enabled"]
        result = dict(dynamic) if enabled else {"payment_method_types": ["card"]}
        result["automatic_payment_methods"] = {
            "allow_redirects": apm.get("allow_redirects", "always") if enabled else None,
            "enabled": enabled,
        }
        if not enabled:
            result["payment_method_configuration_details"] = None
    elif current is None:
        if ctx.version_at_least(DYNAMIC_DEFAULT):
            result = dict(dynamic)
        else:
            result = {
                "automatic_payment_methods": None,
                "allowed_payment_method_types": None,
                "excluded_payment_method_types": None,
                "payment_method_configuration_details": None,
                "payment_method_types": ["card"],
            }
    if "excluded_payment_method_types" in params:
        excluded = p.clean(params["excluded_payment_method_types"]) or []
        _check_payment_type_names(excluded, "excluded_payment_method_types")
        result.setdefault("payment_method_types", list(DYNAMIC_TYPES))
        result["payment_method_types"] = [t for t in DYNAMIC_TYPES if t not in excluded]
        result["excluded_payment_method_types"] = excluded or None
    return result
