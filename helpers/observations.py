"""Runners that try Stripe's test data for real and record what happened, as tables.

Each one makes the same calls a lesson shows once (a SetupIntent confirmed, an off-session
PaymentIntent, a one-time code typed into the page, a returning visit) for every row of a
documented table (`helpers.testdata`), so a lesson can put "documented" and "observed" side by
side. Nothing here is typed in: every "observed" cell comes from the backend.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import stripe

from . import customer as scripted
from .tables import error_summary
from .testdata import LINK_TEST_CODES, TEST_CARDS


def _outcome(call) -> tuple[Any, str]:
    """(the object or None, what happened: a status, or the error's code and message)."""
    try:
        obj = call()
    except stripe.CardError as exc:
        return None, f"402 {error_summary(exc.error)}"
    except stripe.InvalidRequestError as exc:
        return None, f"{exc.http_status} {exc.code}: {exc.user_message}"
    return obj, obj.status


def card_outcomes(lesson: Any, customer: str, cards=TEST_CARDS) -> pd.DataFrame:
    """Each card saved server-side with its test PaymentMethod, then charged off-session.

    Setup: a SetupIntent for the customer, confirmed at once (what Stripe.js does after the
    customer submits, minus the browser). Off-session: the guide's PaymentIntent, 10.99 USD,
    `off_session=true, confirm=true`, for the cards whose setup succeeded."""
    client = lesson.client
    rows = []
    for card in cards:
        intent, at_setup = _outcome(
            lambda card=card: client.v1.setup_intents.create(
                {
                    "customer": customer,
                    "payment_method": card.payment_method,
                    "confirm": True,
                    "usage": "off_session",
                    "return_url": lesson.page.url("/order/complete") if lesson.page else None,
                }
            )
        )
        if intent is not None and intent.status == "requires_action":
            at_setup += f" ({intent.next_action.type}: the customer must authenticate)"
        later = "not saved: nothing to charge"
        if intent is not None and intent.status == "succeeded":
            _, later = _outcome(
                lambda intent=intent: client.v1.payment_intents.create(
                    {
                        "amount": 1099,
                        "currency": "usd",
                        "customer": customer,
                        "payment_method": intent.payment_method,
                        "off_session": True,
                        "confirm": True,
                    }
                )
            )
        rows.append((card.spaced, card.documented, at_setup, later))
    return pd.DataFrame(rows, columns=["card", "documented", "at setup", "charged off-session"])


def code_outcomes(lesson: Any, customer: str, email: str, codes=LINK_TEST_CODES) -> pd.DataFrame:
    """Each one-time code typed by the returning Link customer `email`, each in a fresh browser:
    what the page showed and the state Link's code panel was left in."""
    rows = []
    for code, documented in codes.items():
        visit = scripted.try_code(lesson.login_url(customer), email, code)
        if visit.problem:
            return visit.table()
        shown = "; ".join(visit.messages) or "(no message)"
        rows.append((code, documented, shown, visit.link))
    return pd.DataFrame(rows, columns=["code", "documented", "the page showed", "Link after"])


def persistent_login_by_version(
    lesson: Any, customer: str, versions: list[str], card: str = "4242424242424242"
) -> pd.DataFrame:
    """For each API version: a new customer signs up for Link on the page (which stores the
    persistent token cookie), then comes back in the same browser. Does Link ask for a code?"""
    rows = []
    for index, version in enumerate(versions):
        lesson.restart_page(api_version=version)
        email = lesson.email(f"returning.{index}")
        shopper = scripted.Shopper()
        try:
            first = shopper.checkout(
                lesson.login_url(customer), email=email, card=card, save_to_link=True
            )
            if first.problem:
                return first.table()
            again = shopper.checkout(lesson.login_url(customer), email=email, submit=False)
        finally:
            shopper.close()
        rows.append((version, "yes" if first.cookie else "no", again.link))
    lesson.restart_page()
    return pd.DataFrame(rows, columns=["API version", "cookie set", "second visit"])
