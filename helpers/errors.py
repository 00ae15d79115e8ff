"""A Stripe error, shown as the fields a merchant acts on (never a traceback)."""

from __future__ import annotations

import pandas as pd
import stripe
from IPython.display import display


def error_table(exc: stripe.StripeError) -> pd.DataFrame:
    """The error's HTTP status, SDK exception and Stripe's fields, one per row."""
    error = exc.error
    rows = [
        ("HTTP status", exc.http_status),
        ("exception", f"stripe.{type(exc).__name__}"),
        ("type", getattr(error, "type", None)),
        ("code", exc.code),
        ("decline_code", getattr(error, "decline_code", None)),
        ("param", getattr(error, "param", None)),
        ("message", exc.user_message),
    ]
    for kind in ("setup_intent", "payment_intent"):
        intent = getattr(error, kind, None) if error is not None else None
        if intent:
            rows.append((f"{kind}.status", intent["status"]))
    return pd.DataFrame(
        [(name, value) for name, value in rows if value is not None], columns=["field", "value"]
    )


def show_error(exc: stripe.StripeError) -> None:
    display(error_table(exc))
