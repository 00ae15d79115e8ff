"""The type hash of a PaymentMethod from raw details: `card` (number, expiry, CVC, checks) and
`us_bank_account` (routing and account number), each validated first with Stripe's errors,
plus the per-account fingerprints Stripe gives each instrument."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from .. import errors, testdata
from ..context import Ctx
from ..ids import ALPHABET


def sub_param(param: str, *keys: str) -> str:
    """`param[key][key2]` (or just the keys when `param` is empty), as error `param`s name them."""
    for key in keys:
        param = f"{param}[{key}]" if param else key
    return param


def fingerprint(ctx: Ctx, kind: str, value: str) -> str:
    """Stable per account and instrument, as Stripe's fingerprints are."""
    digest = hashlib.sha256(f"{ctx.account.name}:{kind}:{value}".encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:16])


def card_hash(
    ctx: Ctx,
    card: testdata.Card,
    exp_month: int,
    exp_year: int,
    *,
    cvc_given: bool,
    billing_address: dict[str, Any] | None = None,
) -> dict[str, Any]:
    address = billing_address or {}
    return {
        "brand": card.brand,
        "checks": {
            "address_line1_check": card.address_line1_check if address.get("line1") else None,
            "address_postal_code_check": (
                card.address_postal_code_check if address.get("postal_code") else None
            ),
            "cvc_check": card.cvc_check if cvc_given else None,
        },
        "country": card.country,
        "display_brand": card.display_brand,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": fingerprint(ctx, "card", card.number),
        "funding": card.funding,
        "generated_from": None,
        "last4": card.last4,
        "networks": {"available": card.available_networks, "preferred": None},
        "regulated_status": "unregulated",
        "three_d_secure_usage": {"supported": card.three_d_secure_supported},
        "wallet": None,
    }


def utc_year_month(timestamp: int) -> tuple[int, int]:
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    return moment.year, moment.month


def _card_error(code: str, message: str, param: str) -> errors.CardError:
    return errors.CardError(code, message, param=param)


def check_expiry(ctx: Ctx, month: int, year: int, param: str) -> tuple[int, int]:
    """(month, four-digit year), or the card error Stripe gives for a bad or past expiry."""
    if year < 100:
        year += 2000
    now_year, now_month = utc_year_month(ctx.now())
    if not 1 <= month <= 12 or (year == now_year and month < now_month):
        raise _card_error(
            "invalid_expiry_month",
            "Your card's expiration month is invalid.",
            sub_param(param, "exp_month"),
        )
    if year < now_year or year > now_year + 50:
        raise _card_error(
            "invalid_expiry_year",
            "Your card's expiration year is invalid.",
            sub_param(param, "exp_year"),
        )
    return month, year


def validate_card(
    ctx: Ctx, card: dict[str, Any] | None, param: str
) -> tuple[testdata.Card, int, int]:
    """Raw card details -> (profile, exp_month, exp_year), raising Stripe's card errors."""
    if not card:
        raise errors.ParameterMissing(sub_param(param, "card"))
    for key in ("number", "exp_month", "exp_year"):
        if key not in card:
            raise errors.ParameterMissing(sub_param(param, "card", key))
    number = card["number"].replace(" ", "").replace("-", "")
    if not testdata.luhn_ok(number):
        raise _card_error(
            "incorrect_number", "Your card number is incorrect.", sub_param(param, "card", "number")
        )
    month, year = check_expiry(ctx, card["exp_month"], card["exp_year"], sub_param(param, "card"))
    profile = testdata.default_card(number)
    cvc = card.get("cvc")
    if cvc is not None and not (cvc.isdigit() and len(cvc) in (3, 4)):
        raise _card_error(
            "invalid_cvc", "Your card's security code is invalid.", sub_param(param, "card", "cvc")
        )
    return profile, month, year


def bank_hash(ctx: Ctx, bank: dict[str, Any] | None, param: str) -> dict[str, Any]:
    if not bank:
        raise errors.ParameterMissing(sub_param(param, "us_bank_account"))
    if "financial_connections_account" not in bank:
        for key in ("account_number", "routing_number"):
            if key not in bank:
                raise errors.ParameterMissing(sub_param(param, "us_bank_account", key))
    number = bank.get("account_number", "000123456789")
    routing = bank.get("routing_number", "110000000")
    if not routing.isdigit() or len(routing) != 9:
        raise errors.RoutingNumberInvalid(
            routing=routing, param=sub_param(param, "us_bank_account", "routing_number")
        )
    if not number.isdigit():
        raise errors.AccountNumberNotDigits(
            param=sub_param(param, "us_bank_account", "account_number")
        )
    return {
        "account_holder_type": bank.get("account_holder_type", "individual"),
        "account_type": bank.get("account_type", "checking"),
        "bank_name": "STRIPE TEST BANK",
        "financial_connections_account": bank.get("financial_connections_account"),
        "fingerprint": fingerprint(ctx, "bank", routing + number),
        "last4": number[-4:],
        "networks": {"preferred": "ach", "supported": ["ach"]},
        "routing_number": routing,
        "status_details": {},
    }


def token_card(card: dict[str, Any] | None, param: str) -> testdata.Card | None:
    """The test card a `card[token]` names (a `tok_*` test token), None when no token is given.

    PaymentMethod create: "For backwards compatibility, you can alternatively provide a Stripe
    token (e.g., for Apple Pay, Amex Express Checkout, or legacy Checkout) into the card hash with
    format card: {token: "tok_visa"}" (https://docs.stripe.com/api/payment_methods/create).
    A token is no raw card number, so secret keys may send it.
    """
    if not card or "token" not in card:
        return None
    others = [key for key in card if key != "token"]
    if others:
        raise errors.MutuallyExclusive(
            ["token", others[0]], param=sub_param(param, "card", others[0])
        )
    profile = testdata.card_for_token(card["token"])
    if profile is None:
        raise errors.ResourceMissing(
            "token", card["token"], param=sub_param(param, "card", "token")
        )
    return profile
