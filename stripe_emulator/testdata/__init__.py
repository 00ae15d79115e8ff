"""Test data, one table each, so a presenter changing what a test value does edits one row:

- `cards`: Stripe's test card numbers and what each does at setup, on and off session.
- `payment_methods`: the `pm_card_*` test PaymentMethods and `tok_*` tokens, name -> card.
- `radar`: the Radar risk level and score of the Radar test cards.
- `link`: Link's one-time codes (`000001` invalid, `000002` expired, `000003` too many
  attempts) and its test identities (e.g. `+multiple_funding_sources` emails).
Callers use `testdata.<name>`; every public name is listed below.
"""

from __future__ import annotations

from .cards import (
    AUTHENTICATION_REQUIRED,
    CARDS,
    Card,
    Decline,
    brand_for,
    default_card,
    lookup,
    luhn_ok,
)
from .link import (
    LINK_TEST_BANK,
    LINK_TEST_IDENTITIES,
    OTP_CODES,
    LinkIdentity,
    OtpCode,
    link_test_identity,
)
from .payment_methods import (
    PM_TOKENS,
    TEST_PAYMENT_METHODS,
    TEST_TOKENS,
    card_for_payment_method,
    card_for_token,
)
from .radar import RISK_LEVELS

__all__ = [
    "AUTHENTICATION_REQUIRED",
    "CARDS",
    "LINK_TEST_BANK",
    "LINK_TEST_IDENTITIES",
    "OTP_CODES",
    "PM_TOKENS",
    "RISK_LEVELS",
    "TEST_PAYMENT_METHODS",
    "TEST_TOKENS",
    "Card",
    "Decline",
    "LinkIdentity",
    "OtpCode",
    "brand_for",
    "card_for_payment_method",
    "card_for_token",
    "default_card",
    "link_test_identity",
    "lookup",
    "luhn_ok",
]
