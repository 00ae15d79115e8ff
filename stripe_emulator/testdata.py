"""Test data, one table each: Stripe's test cards and `pm_card_*` tokens, Radar risk levels,
the Link one-time codes and the Link test identities. A presenter changing what a test value
does edits one row here.

Cards: what each one does (STRIPE_FACTS §2.3, §4).

Each `Card` is a test profile. Outcomes:
- `setup`: what confirming a SetupIntent (or attaching) does: "ok", "3ds" (requires_action), or
  "decline" (issuer decline: `decline` says how; such cards cannot be attached to a Customer).
- `on_session`: an on-session payment: "ok" or "3ds" (authentication, then `charge_decline` applies).
- `off_session`: an off-session payment: "ok", "authentication_required" (402), "decline"
  (402 with `charge_decline`), or "unless_set_up": authentication_required (402) until the
  PaymentMethod was set up for off-session use (a succeeded SetupIntent with usage off_session,
  or a succeeded payment with setup_future_usage=off_session), then "ok" (STRIPE_FACTS §2.3).
- `charge_decline`: the decline any payment gets (after authentication, if any); for issuer-decline
  cards it equals `decline`. None: payments succeed.
Any Luhn-valid number not in the table behaves like a generic successful card of its brand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import errors


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str
    param: str | None = None  # e.g. "cvc" for incorrect_cvc


@dataclass(frozen=True)
class Card:
    number: str
    brand: str  # PaymentMethod card.brand: visa, mastercard, amex, discover, diners, jcb, unionpay
    funding: str  # credit | debit | prepaid | unknown
    country: str
    display_brand: str  # visa, mastercard, american_express, diners_club, union_pay, ...
    setup: str = "ok"  # ok | 3ds | decline
    decline: Decline | None = None
    on_session: str = "ok"  # ok | 3ds
    off_session: str = "ok"  # ok | authentication_required | decline | unless_set_up
    charge_decline: Decline | None = None
    networks: tuple[str, ...] = ()  # card.networks.available; () = (brand,)
    three_d_secure_supported: bool = True
    cvc_check: str = "pass"  # result once the card is verified (attach / setup / charge)
    address_line1_check: str = "pass"
    address_postal_code_check: str = "pass"

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def available_networks(self) -> list[str]:
        return list(self.networks or (self.brand,))


GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")
INSUFFICIENT = Decline("card_declined", "insufficient_funds", "Your card has insufficient funds.")
LOST = Decline("card_declined", "lost_card", "Your card was declined.")
STOLEN = Decline("card_declined", "stolen_card", "Your card was declined.")
EXPIRED = Decline("expired_card", None, "Your card has expired.", "exp_month")
INCORRECT_CVC = Decline("incorrect_cvc", None, "Your card's security code is incorrect.", "cvc")
PROCESSING = Decline(
    "processing_error",
    None,
    "An error occurred while processing your card. Try again in a little bit.",
)
VELOCITY = Decline(
    "card_declined",
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its amount "
    "limit.",
)
FRAUDULENT = Decline("card_declined", "fraudulent", "Your card was declined.")
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)

_DISPLAY = {
    "amex": "american_express",
    "diners": "diners_club",
    "unionpay": "union_pay",
}


def _card(number: str, brand: str, funding: str = "credit", country: str = "US", **kw) -> Card:
    display = kw.pop("display_brand", _DISPLAY.get(brand, brand))
    return Card(number, brand, funding, country, display, **kw)


def _declining(number: str, decline: Decline, **kw) -> Card:
    return _card(
        number,
        "visa",
        setup="decline",
        decline=decline,
        off_session="decline",
        charge_decline=decline,
        **kw,
    )


def _three_ds(number: str, country: str, off_session: str, **kw) -> Card:
    return _card(
        number,
        "visa",
        country=country,
        setup="3ds",
        on_session="3ds",
        off_session=off_session,
        **kw,
    )


_TABLE: list[Card] = [
    # §4.1 successful cards by brand
    _card("4242424242424242", "visa"),
    _card("4000056655665556", "visa", "debit"),
    _card("5555555555554444", "mastercard"),
    _card("2223003122003222", "mastercard"),
    _card("5200828282828210", "mastercard", "debit"),
    _card("5105105105105100", "mastercard", "prepaid"),
    _card("378282246310005", "amex", three_d_secure_supported=False),
    _card("371449635398431", "amex"),
    _card("6011111111111117", "discover"),
    _card("6011000990139424", "discover"),
    _card("6011981111111113", "discover", "debit"),
    _card("3056930009020004", "diners"),
    _card("36227206271667", "diners"),
    _card("6555900000604105", "discover"),
    _card("3566002020360505", "jcb"),
    _card("6200000000000005", "unionpay"),
    _card("6200000000000047", "unionpay", "debit"),
    _card("6205500000000000004", "unionpay"),
    # co-badged
    _card(
        "4000002500001001",
        "visa",
        country="FR",
        display_brand="cartes_bancaires",
        networks=("cartes_bancaires", "visa"),
    ),
    _card(
        "5555552500001001",
        "mastercard",
        country="FR",
        display_brand="cartes_bancaires",
        networks=("cartes_bancaires", "mastercard"),
    ),
    _card(
        "4000050360000001",
        "visa",
        country="AU",
        display_brand="eftpos_australia",
        networks=("eftpos_au", "visa"),
    ),
    _card(
        "5555050360000080",
        "mastercard",
        country="AU",
        display_brand="eftpos_australia",
        networks=("eftpos_au", "mastercard"),
    ),
    # by country
    _card("4000002500000003", "visa", country="FR"),
    _card("4000002760000016", "visa", country="DE"),
    _card("4000008260000000", "visa", country="GB"),
    _card("4000003720000005", "visa", country="IE"),
    # §4.2 declines
    _declining("4000000000000002", GENERIC),
    _declining("4000000000009995", INSUFFICIENT),
    _declining("4000000000009987", LOST),
    _declining("4000000000009979", STOLEN),
    _declining("4000000000000069", EXPIRED),
    _declining("4000000000000127", INCORRECT_CVC, cvc_check="fail"),
    _declining("4000000000000119", PROCESSING),
    _declining("4000000000006975", VELOCITY),
    _card("4000000000000341", "visa", off_session="decline", charge_decline=GENERIC),
    # Radar
    _card("4100000000000019", "visa", off_session="decline", charge_decline=FRAUDULENT),
    _card("4000000000004954", "visa", off_session="decline", charge_decline=FRAUDULENT),
    _card("4000000000009235", "visa"),
    _card("4000000000000101", "visa", cvc_check="fail"),
    _card("4000000000000036", "visa", address_postal_code_check="fail"),
    _card("4000000000000028", "visa", address_line1_check="fail"),
    _card("4000000000000010", "visa", address_line1_check="fail", address_postal_code_check="fail"),
    _card(
        "4000000000000044",
        "visa",
        address_line1_check="unavailable",
        address_postal_code_check="unavailable",
    ),
    # §4.3 3-D Secure
    _three_ds("4000002500003155", "FR", "unless_set_up"),
    _three_ds("4000002760003184", "DE", "authentication_required"),
    _card("4000003800000446", "visa", on_session="3ds"),  # "already set up": off-session ok
    _three_ds("4000008260003178", "GB", "decline", charge_decline=INSUFFICIENT),
    # documented decision: 3DS2-required cards need authentication off-session too (§2.3 unconfirmed)
    _three_ds("4000000000003220", "IE", "authentication_required"),
    _three_ds("4000008400000027", "US", "authentication_required"),
    _three_ds("4000008400001629", "US", "decline", charge_decline=GENERIC),
    _declining("4000008400001280", GENERIC),
    _card("4000000000003055", "visa"),
    _card("4000000000003097", "visa"),
    _card("4000000032200000", "visa"),
]

CARDS: dict[str, Card] = {card.number: card for card in _TABLE}

PM_TOKENS: dict[str, str] = {
    "pm_card_visa": "4242424242424242",
    "pm_card_us": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_mastercard_debit": "5200828282828210",
    "pm_card_mastercard_prepaid": "5105105105105100",
    "pm_card_amex": "378282246310005",
    "pm_card_discover": "6011111111111117",
    "pm_card_diners": "3056930009020004",
    "pm_card_jcb": "3566002020360505",
    "pm_card_unionpay": "6200000000000005",
    "pm_card_fr": "4000002500000003",
    "pm_card_de": "4000002760000016",
    "pm_card_gb": "4000008260000000",
    "pm_card_ie": "4000003720000005",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_visa_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_visa_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": "4000000000006975",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_radarBlock": "4100000000000019",
    "pm_card_riskLevelHighest": "4000000000004954",
    "pm_card_riskLevelElevated": "4000000000009235",
    "pm_card_cvcCheckFail": "4000000000000101",
    "pm_card_avsZipFail": "4000000000000036",
    "pm_card_avsLine1Fail": "4000000000000028",
    "pm_card_avsFail": "4000000000000010",
    "pm_card_avsUnchecked": "4000000000000044",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredSetupForOffSession": "4000003800000446",
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds": "4000008260003178",
    "pm_card_threeDSecure2Required": "4000000000003220",
    "pm_card_threeDSecureRequiredChargeDeclined": "4000008400001629",
    "pm_card_threeDSecureRequiredProcessingError": "4000008400001280",
    "pm_card_threeDSecureOptional": "4000000000003055",
    "pm_card_threeDSecureOptionalProcessingError": "4000000000003097",
    "pm_card_amex_threeDSecureNotSupported": "378282246310005",
}


def luhn_ok(number: str) -> bool:
    """True for 12–19 digit numbers passing the Luhn checksum."""
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def lookup(number: str) -> Card | None:
    return CARDS.get(number)


def brand_for(number: str) -> str:
    """The brand a card number's prefix (IIN range) implies."""
    two, four = int(number[:2] or 0), int(number[:4] or 0)
    if number.startswith("4"):
        return "visa"
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return "mastercard"
    if two in (34, 37):
        return "amex"
    if number.startswith(("6011", "65")) or 644 <= int(number[:3] or 0) <= 649:
        return "discover"
    if two in (36, 38, 39) or 300 <= int(number[:3] or 0) <= 305:
        return "diners"
    if two == 35:
        return "jcb"
    if two == 62:
        return "unionpay"
    return "unknown"


def default_card(number: str) -> Card:
    """The profile of `number`: its table entry, else a generic successful card of its brand."""
    known = CARDS.get(number)
    if known is not None:
        return known
    brand = brand_for(number)
    display = _DISPLAY.get(brand, "other" if brand == "unknown" else brand)
    return Card(number, brand, "credit", "US", display)


# --- Radar (STRIPE_FACTS §4.2) ---------------------------------------------------------------------

# Radar test cards: card number -> (risk_level, risk_score); any other card is "normal" (0-64).
RISK_LEVELS: dict[str, tuple[str, int]] = {
    "4100000000000019": ("highest", 95),
    "4000000000004954": ("highest", 85),
    "4000000000009235": ("elevated", 70),
}


# --- Link one-time codes (STRIPE_FACTS §3.1; behaviour in resources/link_session.py) ------------


@dataclass(frozen=True)
class OtpCode:
    error: type[errors.StripeError]  # the 400 entering this code gives
    locks: bool  # later codes get the same error until a new code is requested


# Any other six digits verify the session.
OTP_CODES: dict[str, OtpCode] = {
    "000001": OtpCode(errors.VerificationCodeInvalid, locks=False),
    "000002": OtpCode(errors.VerificationCodeExpired, locks=True),
    "000003": OtpCode(errors.VerificationMaxAttempts, locks=True),
}


# --- Link test identities (STRIPE_FACTS §3.1, §4.4; made in resources/link.py) ------------------

LINK_TEST_BANK = "STRIPE TEST BANK"  # the bank_name of every Link bank account


@dataclass(frozen=True)
class LinkIdentity:
    """An email pattern whose first lookup, without a Link account, creates this account."""

    email: re.Pattern[str]
    phone: str
    address: dict[str, str | None]  # billing and shipping address (with the name and phone)
    card: str  # test card number of the default card (expires in 3 years, December)
    routing_number: str  # the US bank account
    account_number: str


LINK_TEST_IDENTITIES: tuple[LinkIdentity, ...] = (
    LinkIdentity(
        email=re.compile(r"^[^@\s]+\+multiple_funding_sources@[^@\s]+$"),
        phone="+15555550155",
        address={
            "name": "Jenny Rosen",
            "phone": "+15555550155",
            "line1": "354 Oyster Point Blvd",
            "line2": None,
            "city": "South San Francisco",
            "state": "CA",
            "postal_code": "94080",
            "country": "US",
        },
        card="4242424242424242",
        routing_number="110000000",
        account_number="000123456789",  # STRIPE_FACTS §4.4: success
    ),
)


def link_test_identity(email: str) -> LinkIdentity | None:
    return next((i for i in LINK_TEST_IDENTITIES if i.email.match(email)), None)
