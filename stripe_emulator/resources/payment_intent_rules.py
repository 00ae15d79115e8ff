"""PaymentIntent rules: amounts and currencies, shipping, payment method types per API version
and their options, the capture method, and the intent as error bodies embed it. Nothing here
changes state; which PaymentMethod a confirmation uses is in `payment_intent_plan`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import errors
from .. import params as p
from ..context import DAHLIA_ALLOWED_TYPES, ENDIVE, Ctx
from ..ids import ALPHABET
from .intent_params import mandate_options_object

DYNAMIC_DEFAULT = "2023-08-16"  # automatic_payment_methods on by default from this version
ASYNC_CAPTURE_DEFAULT = "2024-04-10"  # capture_method defaults to automatic_async from here
DYNAMIC_TYPES = ("card", "link")  # what this test account has enabled

# ISO 4217 codes Stripe accepts for presentment (docs.stripe.com/currencies).
CURRENCIES = frozenset(
    """usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp
    byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd
    gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp
    lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab
    pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs
    tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw""".split()
)
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
# currency -> (minimum charge amount, symbol) (docs.stripe.com/currencies#minimum-and-maximum)
MINIMUMS = {
    "usd": (50, "$"),
    "aud": (50, "$"),
    "cad": (50, "$"),
    "nzd": (50, "$"),
    "sgd": (50, "$"),
    "eur": (50, "€"),
    "gbp": (30, "£"),
    "jpy": (50, "¥"),
}
MAXIMUM = 99_999_999


def currency(value: str) -> str:
    code = value.lower()
    if code not in CURRENCIES:
        raise errors.CurrencyInvalid(
            value=value, supported=", ".join(sorted(CURRENCIES, key=lambda c: (c != "usd", c)))
        )
    return code


def _money(amount: int, code: str, symbol: str) -> str:
    if code in ZERO_DECIMAL:
        return f"{symbol}{amount:,}"
    return f"{symbol}{amount / 100:,.2f}"


def check_amount(amount: int, code: str) -> None:
    if amount <= 0:
        raise errors.AmountNotPositive()
    minimum, symbol = MINIMUMS.get(code, (1, ""))
    if amount < minimum:
        raise errors.AmountTooSmall(money=_money(minimum, code, symbol), currency=code)
    if amount > MAXIMUM:
        raise errors.AmountTooLarge(money=_money(MAXIMUM, code, symbol), currency=code)


def default_capture_method(ctx: Ctx) -> str:
    return "automatic_async" if ctx.version_at_least(ASYNC_CAPTURE_DEFAULT) else "automatic"


def shipping(value: Any) -> dict[str, Any] | None:
    if value is p.UNSET:
        return None
    address = p.clean(value.get("address") or {})
    return {
        "address": {
            k: address.get(k) for k in ("city", "country", "line1", "line2", "postal_code", "state")
        },
        "carrier": p.clean(value.get("carrier")),
        "name": value.get("name"),
        "phone": p.clean(value.get("phone")),
        "tracking_number": p.clean(value.get("tracking_number")),
    }


# --- payment method types (per API version, STRIPE_FACTS §6.6) -------------------------------


def _configuration(ctx: Ctx) -> dict[str, Any]:
    """The account's default PaymentMethodConfiguration (stable per account, like Stripe's)."""
    digest = hashlib.sha256(f"pmc:{ctx.account.name}".encode()).digest()
    return {"id": "pmc_1" + "".join(ALPHABET[b % 62] for b in digest[:23]), "parent": None}


def _check_type_names(names: list[str], param: str) -> None:
    from .payment_method import ALL_TYPES

    for index, name in enumerate(names):
        if name not in ALL_TYPES:
            raise errors.PaymentMethodTypeInvalid(name=name, param=f"{param}[{index}]")


def resolve_types(ctx: Ctx, params: dict[str, Any], current: dict | None) -> dict[str, Any]:
    """Fields describing the intent's payment method types: all of them on create (current is
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
        "payment_method_configuration_details": _configuration(ctx),
        "payment_method_types": list(DYNAMIC_TYPES),
    }
    if "payment_method_types" in params:
        names = params["payment_method_types"]
        _check_type_names(names, "payment_method_types")
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
        _check_type_names(allowed, "allowed_payment_method_types")
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
        _check_type_names(excluded, "excluded_payment_method_types")
        result.setdefault("payment_method_types", list(DYNAMIC_TYPES))
        result["payment_method_types"] = [t for t in DYNAMIC_TYPES if t not in excluded]
        result["excluded_payment_method_types"] = excluded or None
    return result


_OPTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "card": {
        "installments": None,
        "mandate_options": None,
        "network": None,
        "request_three_d_secure": "automatic",
    },
    "link": {"persistent_token": None},
    "us_bank_account": {"verification_method": "automatic"},
}


def payment_method_options(
    types: list[str], current: dict[str, Any], given: dict[str, Any] | None
) -> dict[str, Any]:
    """Per-type options: Stripe's defaults for each enabled type, then what was set."""
    result: dict[str, Any] = {}
    for name in types:
        if name in _OPTION_DEFAULTS:
            result[name] = {**_OPTION_DEFAULTS[name], **current.get(name, {})}
    for name, options in (given or {}).items():
        if options is p.UNSET:
            result.pop(name, None)
            continue
        merged = dict(result.get(name, _OPTION_DEFAULTS.get(name, {})))
        for key, value in options.items():
            if key in _NOT_SHOWN:
                continue
            if value is p.UNSET:
                merged.pop(key, None)
            elif name == "card" and key == "mandate_options":
                merged[key] = mandate_options_object(value, with_currency=False)
            else:
                merged[key] = p.clean(value)
        result[name] = merged
    return result


# Accepted options the PaymentIntent object does not show (see intent_params).
_NOT_SHOWN = ("cvc_token", "moto", "networks", "three_d_secure")


def effective_capture_method(intent: dict[str, Any], pm_type: str) -> str:
    options = intent["payment_method_options"].get(pm_type) or {}
    return options.get("capture_method") or intent["capture_method"]
