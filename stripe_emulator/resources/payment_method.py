"""PaymentMethod: card (from raw details or `pm_card_*` test tokens), link, us_bank_account.

A PaymentMethod dict carries the common fields plus only the hash of its own type (`card`, `link`
or `us_bank_account`): real Stripe omits the other types' hashes rather than sending them as null.
`card_profile` is the test-card profile (testdata.Card) that drives setup/payment outcomes; for a
link PaymentMethod it is its funding card's profile, None for bank funding.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from .. import errors, testdata
from .. import params as p
from ..context import Ctx
from ..ids import ALPHABET
from . import event
from .base import Resource, get_or_404

TYPES = ("card", "link", "us_bank_account")
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
ALLOW_REDISPLAY = p.Enum("always", "limited", "unspecified")

CARD = p.Obj(
    {"number": p.Str(max_length=64), "exp_month": p.Int(), "exp_year": p.Int(), "cvc": p.Str()},
)
LINK = p.Obj(
    {
        "credentials": p.Obj({"consumer_session_client_secret": p.Str()}),
        "payment_details_id": p.Str(),
    }
)
US_BANK_ACCOUNT = p.Obj(
    {
        "account_holder_type": p.Enum("company", "individual"),
        "account_number": p.Str(max_length=17),
        "account_type": p.Enum("checking", "savings"),
        "financial_connections_account": p.Str(),
        "routing_number": p.Str(max_length=9),
    }
)
_DATA_FIELDS: dict[str, p.Spec] = {
    "type": p.Enum(*TYPES),
    "allow_redisplay": ALLOW_REDISPLAY,
    "billing_details": p.BILLING_DETAILS,
    "metadata": p.Metadata(),
    "card": CARD,
    "link": LINK,
    "us_bank_account": US_BANK_ACCOUNT,
}
# `payment_method_data` on SetupIntent/PaymentIntent create and confirm.
PAYMENT_METHOD_DATA = p.Obj(_DATA_FIELDS, required=("type",))
# POST /v1/payment_methods
CREATE = p.Obj({**_DATA_FIELDS, "expand": p.EXPAND}, required=("type",))
UPDATE = p.Obj(
    {
        "allow_redisplay": ALLOW_REDISPLAY,
        "billing_details": p.BILLING_DETAILS,
        "card": p.Obj({"exp_month": p.Int(), "exp_year": p.Int()}),
        "expand": p.EXPAND,
        "metadata": p.Metadata(),
    }
)


class PaymentMethod(Resource):
    object_name = "payment_method"
    noun = "PaymentMethod"
    collection = "payment_methods"

    def __init__(self, data: dict[str, Any], card_profile: testdata.Card | None = None) -> None:
        super().__init__(data)
        self.card_profile = card_profile

    @property
    def type(self) -> str:
        return self.data["type"]

    @property
    def customer(self) -> str | None:
        return self.data["customer"]


def _sub(param: str, *keys: str) -> str:
    for key in keys:
        param = f"{param}[{key}]" if param else key
    return param


def empty_billing_details() -> dict[str, Any]:
    return {
        "address": {k: None for k in ("city", "country", "line1", "line2", "postal_code", "state")},
        "email": None,
        "name": None,
        "phone": None,
        "tax_id": None,
    }


def merge_billing_details(current: dict[str, Any], given: dict[str, Any] | None) -> dict:
    """`billing_details` params over `current` (empty strings unset a field)."""
    merged = {**current, "address": dict(current["address"])}
    for key, value in (given or {}).items():
        if key == "address":
            if value is p.UNSET:
                merged["address"] = empty_billing_details()["address"]
            else:
                merged["address"].update(p.clean(value))
        else:
            merged[key] = p.clean(value)
    return merged


def fingerprint(ctx: Ctx, kind: str, value: str) -> str:
    """Stable per account and instrument, as Stripe's fingerprints are."""
    digest = hashlib.sha256(f"{ctx.account.name}:{kind}:{value}".encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:16])


def new_payment_method(
    ctx: Ctx,
    type_: str,
    type_hash: dict[str, Any],
    *,
    billing_details: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    allow_redisplay: str | None = None,
    card_profile: testdata.Card | None = None,
) -> PaymentMethod:
    """Create and store a PaymentMethod of `type_` (params already validated)."""
    data = {
        "id": ctx.account.ids.new("pm"),
        "object": "payment_method",
        "allow_redisplay": allow_redisplay or "unspecified",
        "billing_details": merge_billing_details(empty_billing_details(), billing_details),
        "created": ctx.now(),
        "customer": None,
        "customer_account": None,
        "livemode": False,
        "metadata": p.merge_metadata({}, metadata or {}),
        "radar_options": None,  # declared by stripe-python; only set by Radar sessions
        "type": type_,
        type_: type_hash,
    }
    pm = PaymentMethod(data, card_profile)
    ctx.account.payment_methods.add(pm)
    return pm


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


def _from_token(ctx: Ctx, token: str) -> PaymentMethod:
    card = testdata.CARDS[testdata.PM_TOKENS[token]]
    year, month = _utc_year_month(ctx.now())
    type_hash = card_hash(ctx, card, month, year + 1, cvc_given=True)
    return new_payment_method(ctx, "card", type_hash, card_profile=card)


def _utc_year_month(timestamp: int) -> tuple[int, int]:
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    return moment.year, moment.month


def find(ctx: Ctx, pm_id: str, param: str = "payment_method") -> PaymentMethod:
    """A stored PaymentMethod, or a new one materialized from a `pm_card_*` test token."""
    if isinstance(pm_id, str) and pm_id in testdata.PM_TOKENS:
        return _from_token(ctx, pm_id)
    return get_or_404(ctx.account, PaymentMethod, pm_id, param)


def _card_error(code: str, message: str, param: str) -> errors.CardError:
    return errors.CardError(code, message, param=param)


def check_expiry(ctx: Ctx, month: int, year: int, param: str) -> tuple[int, int]:
    """(month, four-digit year), or the card error Stripe gives for a bad or past expiry."""
    if year < 100:
        year += 2000
    now_year, now_month = _utc_year_month(ctx.now())
    if not 1 <= month <= 12 or (year == now_year and month < now_month):
        raise _card_error(
            "invalid_expiry_month",
            "Your card's expiration month is invalid.",
            _sub(param, "exp_month"),
        )
    if year < now_year or year > now_year + 50:
        raise _card_error(
            "invalid_expiry_year",
            "Your card's expiration year is invalid.",
            _sub(param, "exp_year"),
        )
    return month, year


def validate_card(
    ctx: Ctx, card: dict[str, Any] | None, param: str
) -> tuple[testdata.Card, int, int]:
    """Raw card details -> (profile, exp_month, exp_year), raising Stripe's card errors."""
    if not card:
        raise errors.ParameterMissing(_sub(param, "card"))
    for key in ("number", "exp_month", "exp_year"):
        if key not in card:
            raise errors.ParameterMissing(_sub(param, "card", key))
    number = card["number"].replace(" ", "").replace("-", "")
    if not testdata.luhn_ok(number):
        raise _card_error(
            "incorrect_number", "Your card number is incorrect.", _sub(param, "card", "number")
        )
    month, year = check_expiry(ctx, card["exp_month"], card["exp_year"], _sub(param, "card"))
    profile = testdata.default_card(number)
    cvc = card.get("cvc")
    if cvc is not None and not (cvc.isdigit() and len(cvc) in (3, 4)):
        raise _card_error(
            "invalid_cvc", "Your card's security code is invalid.", _sub(param, "card", "cvc")
        )
    return profile, month, year


def create_from_data(
    ctx: Ctx, data: dict[str, Any], param: str = "payment_method_data"
) -> PaymentMethod:
    """A new PaymentMethod from validated `payment_method_data` (or PaymentMethod create) params."""
    type_ = data["type"]
    for other in TYPES:
        if other != type_ and other in data:
            raise errors.InvalidRequest(
                f"You passed the `{other}` hash but the PaymentMethod type is `{type_}`. Pass the "
                f"`{type_}` hash instead.",
                param=_sub(param, other),
            )
    if type_ == "link":
        from .link import create_link_payment_method

        pm = create_link_payment_method(ctx, data, param)
        if pm.id not in ctx.account.payment_methods:
            ctx.account.payment_methods.add(pm)
        return pm
    common = {
        "billing_details": data.get("billing_details"),
        "metadata": data.get("metadata"),
        "allow_redisplay": data.get("allow_redisplay"),
    }
    if type_ == "card":
        if not ctx.publishable:
            raise errors.RawCardDataRefused()
        profile, month, year = validate_card(ctx, data.get("card"), param)
        address = p.clean((data.get("billing_details") or {}).get("address") or {})
        type_hash = card_hash(
            ctx, profile, month, year, cvc_given="cvc" in data["card"], billing_address=address
        )
        return new_payment_method(ctx, "card", type_hash, card_profile=profile, **common)
    return new_payment_method(
        ctx, "us_bank_account", _bank_hash(ctx, data.get("us_bank_account"), param), **common
    )


def _bank_hash(ctx: Ctx, bank: dict[str, Any] | None, param: str) -> dict[str, Any]:
    if not bank:
        raise errors.ParameterMissing(_sub(param, "us_bank_account"))
    if "financial_connections_account" not in bank:
        for key in ("account_number", "routing_number"):
            if key not in bank:
                raise errors.ParameterMissing(_sub(param, "us_bank_account", key))
    number = bank.get("account_number", "000123456789")
    routing = bank.get("routing_number", "110000000")
    if not routing.isdigit() or len(routing) != 9:
        raise errors.InvalidRequest(
            f"Routing number must have 9 digits: {routing}",
            code="routing_number_invalid",
            param=_sub(param, "us_bank_account", "routing_number"),
        )
    if not number.isdigit():
        raise errors.InvalidRequest(
            "Account number must contain only digits.",
            code="account_number_invalid",
            param=_sub(param, "us_bank_account", "account_number"),
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


def check_attachable(pm: PaymentMethod) -> None:
    """Cards that simulate issuer declines cannot be attached to a Customer (402)."""
    card = pm.card_profile
    if card is not None and card.setup == "decline" and card.decline is not None:
        decline = card.decline
        raise errors.CardError(
            decline.code, decline.message, decline_code=decline.decline_code, param=decline.param
        )


def attach(ctx: Ctx, pm_or_id: PaymentMethod | str, customer_id: str) -> PaymentMethod:
    """Attach to a customer (no-op if already attached to that customer)."""
    from .customer import find as find_customer

    pm = pm_or_id if isinstance(pm_or_id, PaymentMethod) else find(ctx, pm_or_id)
    find_customer(ctx, customer_id, param="customer")
    if pm.customer == customer_id:
        return pm
    if pm.customer is not None:
        raise errors.InvalidRequest(
            "The payment method you provided has already been attached to a customer.",
            param="payment_method",
        )
    check_attachable(pm)
    pm.data["customer"] = customer_id
    ctx.account.pms_by_customer.add(customer_id, pm.id)
    event.record(ctx, "payment_method.attached", pm, {"customer": None})
    return pm


def detach(ctx: Ctx, pm: PaymentMethod) -> PaymentMethod:
    if pm.customer is None:
        raise errors.InvalidRequest(
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible."
        )
    customer_id = pm.customer
    pm.data["customer"] = None
    ctx.account.pms_by_customer.discard(customer_id, pm.id)
    event.record(ctx, "payment_method.detached", pm, {"customer": customer_id})
    return pm


def update(ctx: Ctx, pm: PaymentMethod, params: dict[str, Any]) -> PaymentMethod:
    """PaymentMethod update: billing_details, metadata, allow_redisplay, card expiry."""
    if pm.customer is None:
        raise errors.InvalidRequest(
            "You must save this PaymentMethod to a customer before you can update it."
        )
    card = params.get("card")
    if card and pm.type != "card":
        raise errors.InvalidRequest(
            f"You cannot update the `card` hash of a PaymentMethod of type `{pm.type}`.",
            param="card",
        )
    expiry = None
    if card:
        current = pm.data["card"]
        expiry = check_expiry(
            ctx,
            card.get("exp_month", current["exp_month"]),
            card.get("exp_year", current["exp_year"]),
            "card",
        )
    before = dict(pm.data)
    data = pm.data
    if "billing_details" in params:
        data["billing_details"] = merge_billing_details(
            data["billing_details"], params["billing_details"]
        )
    if "metadata" in params:
        data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
    if "allow_redisplay" in params:
        data["allow_redisplay"] = params["allow_redisplay"]
    if expiry:
        data["card"] = {**data["card"], "exp_month": expiry[0], "exp_year": expiry[1]}
    previous = {k: v for k, v in before.items() if data.get(k) != v}
    if previous:
        event.record(ctx, "payment_method.updated", pm, previous)
    return pm
