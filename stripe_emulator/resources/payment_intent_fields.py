"""How a PaymentIntent's parameters become its fields: amount and currency checks, `shipping`,
`payment_method_options` per type and the capture method. Nothing here changes state; the
payment method types are in `payment_method_types`, which PaymentMethod a confirmation uses in
`payment_intent_selection`, what the confirmation does in `payment_outcome`.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from .intent_params import mandate_options_object

ASYNC_CAPTURE_DEFAULT = "2024-04-10"  # capture_method defaults to automatic_async from here

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
