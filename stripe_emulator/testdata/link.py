"""Link's test data: the one-time codes and the test identities (docs/facts/link.md#test-accounts-and-codes, docs/facts/test_cards.md#us-bank-accounts)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import errors

# --- Link one-time codes (docs/facts/link.md#test-accounts-and-codes; behaviour in resources/link_session.py) ------------


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


# --- Link test identities (docs/facts/link.md#test-accounts-and-codes, docs/facts/test_cards.md#us-bank-accounts; made in resources/link.py) ------------------

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
        account_number="000123456789",  # docs/facts/test_cards.md#us-bank-accounts: success
    ),
)


def link_test_identity(email: str) -> LinkIdentity | None:
    return next((i for i in LINK_TEST_IDENTITIES if i.email.match(email)), None)
