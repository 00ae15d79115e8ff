"""Stripe's documented test data the lessons try.

What the docs say; `helpers.observations` runs the same data and records what happens.

Sources: https://docs.stripe.com/testing (cards, declines, 3-D Secure, `pm_card_*` PaymentMethods)
and https://docs.stripe.com/payments/link/save-and-reuse ("Test the integration": Link's one-time
codes and `+multiple_funding_sources`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Link's one-time codes in test mode: code -> what the docs say it does.
LINK_TEST_CODES = {
    "000001": "error: the code is invalid",
    "000002": "error: the code has expired",
    "000003": "error: too many attempts",
    "424242": "any other six digits: signed in",
}
MULTIPLE_FUNDING_SOURCES = "+multiple_funding_sources@"  # e.g. jenny+multiple_funding_sources@…


@dataclass(frozen=True)
class TestCard:
    number: str
    payment_method: str  # the docs' ready-made PaymentMethod for server-side tests
    documented: str

    @property
    def spaced(self) -> str:
        n = self.number
        return " ".join(n[i : i + 4] for i in range(0, len(n), 4))


TEST_CARDS = (
    TestCard("4242424242424242", "pm_card_visa", "succeeds, no authentication"),
    TestCard(
        "4000002500003155",
        "pm_card_authenticationRequiredOnSetup",
        "authenticate once at setup; off-session payments then succeed",
    ),
    TestCard(
        "4000002760003184",
        "pm_card_authenticationRequired",
        "authenticate on every payment, off-session ones included",
    ),
    TestCard(
        "4000003800000446",
        "pm_card_authenticationRequiredSetupForOffSession",
        "already set up: off-session succeeds, on-session needs authentication",
    ),
    TestCard(
        "4000000000003220",
        "pm_card_threeDSecure2Required",
        "3-D Secure 2 required (the card Link's docs use)",
    ),
    TestCard(
        "4000008260003178",
        "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
        "authentication required, then declined: insufficient funds",
    ),
    TestCard("4000000000000002", "pm_card_visa_chargeDeclined", "declined: generic_decline"),
    TestCard(
        "4000000000009995",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "declined: insufficient_funds",
    ),
    TestCard(
        "4000000000000341",
        "pm_card_chargeCustomerFail",
        "saving succeeds, charging it fails",
    ),
)


def test_cards() -> pd.DataFrame:
    """The documented behaviour of the cards the lessons try."""
    return pd.DataFrame(
        [(card.spaced, card.payment_method, card.documented) for card in TEST_CARDS],
        columns=["card", "PaymentMethod", "documented"],
    )


def link_test_codes() -> pd.DataFrame:
    return pd.DataFrame(list(LINK_TEST_CODES.items()), columns=["code", "documented"])
