"""Link: accounts keyed by email, their payment details and shipping addresses, and paying with Link.

The wire contract is `stripe_emulator/LINK_PROTOCOL.md` (shared with the Stripe.js stand-in);
sessions, one-time codes and the persistent token are in `link_session.py`. Link accounts live per emulator account
(`account.link_accounts`, by normalized email); persistent tokens in `account.link_tokens`
(token -> email), so one account's tokens authenticate nobody in another.

Decisions where no public source gives the behaviour:
- Emails are matched case-insensitively (stored lower-cased, surrounding blanks stripped).
- `{prefix}+multiple_funding_sources@{domain}` [docs/facts/link.md#test-accounts-and-codes, docs/facts/link.md#multiple-funding-sources] (its row:
  `testdata.LINK_TEST_IDENTITIES`): the first lookup of
  such an email without a Link account creates one (phone +1 555 555 0155) with a Visa 4242 card
  (default), a US bank account (STRIPE TEST BANK, routing 110000000, account 000123456789 from
  docs/facts/test_cards.md#us-bank-accounts, last4 6789) and a US shipping address. Signing up such an email first gives an
  ordinary account.
- Phone numbers are normalized to E.164 (national numbers take the `country` calling code) and shown
  redacted, US style "+1 (•••) •••-••55"; other countries "+44 •••••••••55". US/CA (and any
  "+1…" number): 10 digits, optionally after 1 / +1; other international numbers 8-15 digits.
- Sign-up at confirm [LINK_PROTOCOL.md, Sign-up]: a sign-up that names the intent on the page
  (`client_secret`) makes a provisional Link account. It becomes an ordinary one when that intent
  succeeds (or awaits capture) with a Link PaymentMethod of this account. Until then a lookup does
  not find it and a new sign-up of the email replaces it; once the payment has failed (the intent
  is back to requires_payment_method, or canceled, after a PaymentMethod of the account was made,
  or the intent succeeded with another payment method) the next lookup or sign-up removes it with
  its sessions and persistent tokens. So a declined card or a failed 3-D Secure leaves no Link
  account behind. A sign-up without `client_secret` (a Link account made beforehand) is ordinary
  at once.
- Payment details: card numbers are checked like any raw card (Luhn, expiry, CVC format, A's
  `payment_method_details.validate_card`); declines are NOT checked here, only when paying. Bank
  accounts (`type=bank_account`, an extension of the contract) need a 9-digit routing number and a
  4-17 digit account number. The first payment details / shipping address of an account is its
  default; `is_default=true` moves the default. The create endpoints return the object itself.
- Paying with Link (`payment_method_data[type]=link`): the session must be verified and own the
  payment details. The PaymentMethod is `type: "link"`, `link: {email, persistent_token}` with a
  new token per PaymentMethod (`csmrtok_…`, an opaque id from the account's id generator);
  `billing_details` are the params over the payment details' billing address, name and the Link
  email. `card_profile` is the funding card's test profile (None for a bank account), so intent
  outcomes follow the card (4000000000003220 -> 3-D Secure); bank accounts succeed.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from .. import errors, testdata
from .. import params as p
from ..context import Ctx
from . import payment_method as pm_model
from .base import Resource
from .link_session import ConsumerSession, verified_session
from .payment_method_details import sub_param

_CALLING_CODES = {
    "US": "1", "CA": "1", "GB": "44", "IE": "353", "FR": "33", "DE": "49", "ES": "34", "IT": "39",
    "NL": "31", "BE": "32", "AT": "43", "CH": "41", "AU": "61", "NZ": "64", "JP": "81", "SG": "65",
    "MX": "52", "BR": "55", "IN": "91", "SE": "46", "NO": "47", "DK": "45", "FI": "358", "PL": "48",
    "PT": "351",
}  # fmt: skip
ADDRESS_KEYS = ("name", "line1", "line2", "city", "state", "postal_code", "country")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_test_identity(email: str) -> bool:
    """A Link test identity's email (`testdata.LINK_TEST_IDENTITIES`): made on first lookup."""
    return testdata.link_test_identity(email) is not None


def normalize_phone(raw: str, country: str) -> str | None:
    """E.164 form of `raw` (international, or national for `country`), None if not a phone."""
    compact = re.sub(r"[\s().\-]", "", raw)
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.isdigit() or not 8 <= len(digits) <= 15:
            return None
        return f"+{digits}" if not digits.startswith("1") or len(digits) == 11 else None
    code = _CALLING_CODES.get(country)
    if not compact.isdigit() or code is None:
        return None
    if code == "1":
        if len(compact) == 11 and compact.startswith("1"):
            compact = compact[1:]
        return f"+1{compact}" if len(compact) == 10 else None
    compact = compact.lstrip("0")
    return f"+{code}{compact}" if 6 <= len(compact) <= 12 else None


def redact_phone(phone: str) -> str:
    if phone.startswith("+1") and len(phone) == 12:
        return f"+1 (•••) •••-••{phone[-2:]}"
    digits = phone[1:]
    code = next(
        (c for c in sorted(set(_CALLING_CODES.values()), key=len, reverse=True)
         if digits.startswith(c)),
        "",
    )  # fmt: skip
    national = digits[len(code) :]
    prefix = f"+{code} " if code else "+"
    return prefix + "•" * (len(national) - 2) + national[-2:]


class LinkAccount:
    """A Link account (consumer): identity, wallet, addresses and its sessions."""

    def __init__(self, email: str, phone: str, country: str, name: str | None, created: int):
        self.email = email
        self.phone = phone
        self.country = country
        self.name = name
        self.created = created
        self.payment_details: dict[str, PaymentDetails] = {}
        self.shipping_addresses: dict[str, ShippingAddress] = {}
        self.sessions: dict[str, ConsumerSession] = {}  # by client secret
        # Sign-up at confirm: (intent collection, intent id) until that intent succeeds with Link.
        self.provisional: tuple[str, str] | None = None
        self.payment_method_ids: set[str] = set()  # Link PaymentMethods made from this account
        self.tokens: set[str] = set()  # their persistent tokens

    @property
    def redacted_phone_number(self) -> str:
        return redact_phone(self.phone)


class PaymentDetails(Resource):
    """A Link-saved card or bank account, as Stripe.js sees it (`redacted_payment_details`)."""

    def __init__(
        self,
        data: dict[str, Any],
        card_profile: testdata.Card | None = None,
        account_number: str | None = None,
    ) -> None:
        super().__init__(data)
        self.card_profile = card_profile
        self.account_number = account_number


class ShippingAddress(Resource):
    pass


def _year_month(ctx: Ctx) -> tuple[int, int]:
    moment = datetime.datetime.fromtimestamp(ctx.now(), datetime.UTC)
    return moment.year, moment.month


def _address(given: dict[str, Any] | None) -> dict[str, Any] | None:
    if not given:
        return None
    cleaned = p.clean(given)
    return {key: cleaned.get(key) for key in ADDRESS_KEYS}


def _set_default(items: dict[str, Resource], chosen: Resource, is_default: bool | None) -> None:
    if is_default or not items:
        for other in items.values():
            other.data["is_default"] = False
        chosen.data["is_default"] = True


def create_link_account(
    ctx: Ctx,
    email: str,
    phone: str,
    country: str,
    name: str | None = None,
    intent: Resource | None = None,
) -> LinkAccount:
    """A new Link account for `email` (replacing a provisional one); provisional with `intent`."""
    previous = ctx.account.link_accounts.get(email)
    if previous is not None:
        remove_link_account(ctx, previous)
    link_account = LinkAccount(email, phone, country, name, ctx.now())
    if intent is not None:
        link_account.provisional = (intent.collection, intent.id)
    ctx.account.link_accounts[email] = link_account
    return link_account


def remove_link_account(ctx: Ctx, link_account: LinkAccount) -> None:
    """Forget a Link account: its sessions go with it, its persistent tokens log nobody in."""
    if ctx.account.link_accounts.get(link_account.email) is link_account:
        del ctx.account.link_accounts[link_account.email]
    for token in link_account.tokens:
        ctx.account.link_tokens.pop(token, None)


_PAID = ("succeeded", "requires_capture")
_UNPAID = ("requires_payment_method", "canceled")


def _sign_up_outcome(ctx: Ctx, link_account: LinkAccount) -> str:
    """Where a provisional account's first payment stands: "active", "pending" or "failed"."""
    if link_account.provisional is None:
        return "active"
    collection, intent_id = link_account.provisional
    intent = getattr(ctx.account, collection).get(intent_id)
    if intent is None:
        return "failed"
    status = intent.data["status"]
    payment_method = intent.data.get("payment_method")
    if isinstance(payment_method, dict):
        payment_method = payment_method.get("id")
    if status in _PAID:
        return "active" if payment_method in link_account.payment_method_ids else "failed"
    if status in _UNPAID and link_account.payment_method_ids:
        return "failed"
    return "pending"


def find_link_account(ctx: Ctx, email: str) -> LinkAccount | None:
    """The Link account of `email`, if it exists: a provisional one only once its payment succeeded.

    A provisional account whose payment failed is removed here; one still waiting is kept (its
    sessions keep working) but not found."""
    link_account = ctx.account.link_accounts.get(email)
    if link_account is None:
        return None
    outcome = _sign_up_outcome(ctx, link_account)
    if outcome == "active":
        link_account.provisional = None
        return link_account
    if outcome == "failed":
        remove_link_account(ctx, link_account)
    return None


def add_card_details(
    ctx: Ctx,
    link_account: LinkAccount,
    profile: testdata.Card,
    exp_month: int,
    exp_year: int,
    billing_address: dict[str, Any] | None = None,
    is_default: bool | None = None,
) -> PaymentDetails:
    """Save a validated card to the Link account."""
    data = {
        "id": ctx.account.ids.new("csmrpd"),
        "type": "card",
        "is_default": False,
        "card": {
            "brand": profile.brand,
            "last4": profile.last4,
            "exp_month": exp_month,
            "exp_year": exp_year,
            "funding": profile.funding,
        },
        "bank_account": None,
        "billing_address": _address(billing_address),
    }
    details = PaymentDetails(data, card_profile=profile)
    _set_default(link_account.payment_details, details, is_default)
    link_account.payment_details[details.id] = details
    return details


def add_bank_details(
    ctx: Ctx,
    link_account: LinkAccount,
    routing_number: str,
    account_number: str,
    billing_address: dict[str, Any] | None = None,
    is_default: bool | None = None,
) -> PaymentDetails:
    """Save a validated US bank account to the Link account."""
    data = {
        "id": ctx.account.ids.new("csmrpd"),
        "type": "bank_account",
        "is_default": False,
        "card": None,
        "bank_account": {
            "bank_name": testdata.LINK_TEST_BANK,
            "last4": account_number[-4:],
            "routing_number": routing_number,
        },
        "billing_address": _address(billing_address),
    }
    details = PaymentDetails(data, account_number=account_number)
    _set_default(link_account.payment_details, details, is_default)
    link_account.payment_details[details.id] = details
    return details


def validate_bank_account(bank: dict[str, Any] | None) -> tuple[str, str]:
    """(routing_number, account_number) of `bank_account[...]` params, or the 400 Stripe gives."""
    if not bank:
        raise errors.ParameterMissing("bank_account")
    for key in ("routing_number", "account_number"):
        if key not in bank:
            raise errors.ParameterMissing(f"bank_account[{key}]")
    routing, number = bank["routing_number"], bank["account_number"]
    if not (routing.isdigit() and len(routing) == 9):
        raise errors.RoutingNumberInvalid(routing=routing, param="bank_account[routing_number]")
    if not (number.isdigit() and 4 <= len(number) <= 17):
        raise errors.AccountNumberInvalid(param="bank_account[account_number]")
    return routing, number


def add_shipping_address(
    ctx: Ctx, link_account: LinkAccount, address: dict[str, Any], is_default: bool | None = None
) -> ShippingAddress:
    cleaned = p.clean(address)
    data = {
        "id": ctx.account.ids.new("csmrsa"),
        "is_default": False,
        "address": {key: cleaned.get(key) for key in ("phone", *ADDRESS_KEYS)},
    }
    shipping = ShippingAddress(data)
    _set_default(link_account.shipping_addresses, shipping, is_default)
    link_account.shipping_addresses[shipping.id] = shipping
    return shipping


def create_test_identity(ctx: Ctx, email: str) -> LinkAccount:
    """The Link test identity of `email` (testdata.LINK_TEST_IDENTITIES): its card (default),
    bank account and shipping address."""
    identity = testdata.link_test_identity(email)
    address = identity.address
    link_account = create_link_account(ctx, email, identity.phone, "US", address["name"])
    year, _ = _year_month(ctx)
    billing = {k: v for k, v in address.items() if k != "phone"}
    card = testdata.default_card(identity.card)
    add_card_details(ctx, link_account, card, 12, year + 3, billing)
    add_bank_details(ctx, link_account, identity.routing_number, identity.account_number, billing)
    add_shipping_address(ctx, link_account, address)
    return link_account


# --- paying with Link ---------------------------------------------------------------------------


def create_link_payment_method(
    ctx: Ctx, data: dict[str, Any], param: str
) -> pm_model.PaymentMethod:
    """A `type: "link"` PaymentMethod from `payment_method_data` (or PaymentMethod create) params.

    Validates everything first (verified session owning the payment details), then stores the
    PaymentMethod in `ctx.account.payment_methods` and remembers its new persistent token."""
    link = data.get("link") or {}
    secret_param = sub_param(param, "link", "credentials", "consumer_session_client_secret")
    details_param = sub_param(param, "link", "payment_details_id")
    secret = (link.get("credentials") or {}).get("consumer_session_client_secret")
    if secret is None:
        raise errors.ParameterMissing(secret_param)
    if "payment_details_id" not in link:
        raise errors.ParameterMissing(details_param)
    session = verified_session(ctx, secret, secret_param)
    link_account = session.link_account
    details = link_account.payment_details.get(link["payment_details_id"])
    if details is None:
        raise errors.ResourceMissing("payment_details", link["payment_details_id"], details_param)
    base = pm_model.empty_billing_details()
    billing_address = details.data["billing_address"] or {}
    base["address"].update({k: v for k, v in billing_address.items() if k != "name"})
    base["name"] = billing_address.get("name") or link_account.name
    base["email"] = link_account.email
    billing_details = pm_model.merge_billing_details(base, data.get("billing_details"))
    token = ctx.account.ids.secret_token("csmrtok")
    pm = pm_model.new_payment_method(
        ctx,
        "link",
        {"email": link_account.email, "persistent_token": token},
        metadata=data.get("metadata"),
        allow_redisplay=data.get("allow_redisplay"),
        card_profile=details.card_profile,
    )
    pm.data["billing_details"] = billing_details
    ctx.account.link_tokens[token] = link_account.email
    link_account.payment_method_ids.add(pm.id)
    link_account.tokens.add(token)
    return pm
