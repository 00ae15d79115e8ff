"""Stripe objects as tables: pandas DataFrames with chosen columns, never a raw object's repr.

Rows are in creation order, oldest first (Stripe lists newest first; on a lesson's frozen clock
many objects share one `created` second, so the list's own order is what tells them apart), and
timestamps are UTC ISO strings. Pandas display options are set once, when `helpers` is imported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pandas as pd
import stripe

pd.set_option("display.max_colwidth", 200)
pd.set_option("display.max_rows", 60)
pd.set_option("display.width", 160)


def utc(timestamp: int | None) -> str | None:
    """A unix timestamp as a UTC ISO string, e.g. 2026-11-02T09:00:00Z."""
    if timestamp is None:
        return None
    return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount: int | None, currency: str | None) -> str | None:
    """1099, "usd" -> "10.99 USD" (two-decimal currencies, which the lessons use)."""
    if amount is None or currency is None:
        return None
    return f"{amount / 100:.2f} {currency.upper()}"


def _field(obj: Any, path: str) -> Any:
    """`obj["a"]["b"]` for path "a.b"; None where any part is missing or null."""
    for part in path.split("."):
        if obj is None:
            return None
        try:
            obj = obj[part]
        except (KeyError, TypeError):
            return None
    return obj


def _is_object(value: Any) -> bool:
    return isinstance(value, dict | stripe.StripeObject)


def _id(value: Any) -> Any:
    """An expandable field as its id (the object's id when it was expanded)."""
    return _field(value, "id") if _is_object(value) else value


def table(objects: Iterable[Any] | Any, columns: list[str]) -> pd.DataFrame:
    """Any Stripe objects (or one), the given dotted fields as columns, in the order given.

    `created`-like fields (`created`, `*.created`) are shown as UTC ISO strings."""
    if objects is None:  # e.g. nothing was created (real test mode skipped a step)
        objects = []
    elif _is_object(objects):  # one object
        objects = [objects]
    rows = []
    for obj in objects:
        row = {}
        for column in columns:
            value = _field(obj, column)
            row[column] = utc(value) if column.split(".")[-1] == "created" else _id(value)
        rows.append(row)
    # dtype=object: a missing field stays None (Stripe's null), not NaN in a str column
    return pd.DataFrame(rows, columns=columns, dtype=object)


def oldest_first(listing: Any) -> list[Any]:
    """A Stripe list's items (all pages), oldest first."""
    items = list(listing.auto_paging_iter()) if hasattr(listing, "auto_paging_iter") else listing
    return list(reversed(items))


def describe_payment_method(pm: Any) -> str:
    """ "Visa •••• 4242", "Link jenny@example.com", "Bank account •••• 6789", or the type."""
    kind = _field(pm, "type")
    if kind == "card":
        brand = (_field(pm, "card.display_brand") or _field(pm, "card.brand") or "card").title()
        wallet = _field(pm, "card.wallet.type")
        text = f"{brand.replace('_', ' ')} •••• {_field(pm, 'card.last4')}"
        return f"{text} (via {wallet})" if wallet else text
    if kind == "link":
        return f"Link {_field(pm, 'link.email')}"
    if kind == "us_bank_account":
        return f"Bank account •••• {_field(pm, 'us_bank_account.last4')}"
    return str(kind)


def error_summary(error: Any) -> str | None:
    """`last_setup_error` / `last_payment_error` as "code (decline_code): message"."""
    if not error:
        return None
    code = _field(error, "code") or _field(error, "type")
    decline = _field(error, "decline_code")
    head = f"{code} ({decline})" if decline and decline != code else str(code)
    return f"{head}: {_field(error, 'message')}"


# -- one function per object type --------------------------------------------------------------


def setup_intents(client: stripe.StripeClient, customer: str | None = None) -> pd.DataFrame:
    params: dict[str, Any] = {"limit": 100, "expand": ["data.payment_method"]}
    if customer:
        params["customer"] = customer
    intents = oldest_first(client.v1.setup_intents.list(params))
    frame = table(intents, ["id", "status", "customer", "payment_method_types", "created"])
    frame.insert(
        3, "payment method", _column(_pm_or_none(_field(i, "payment_method")) for i in intents)
    )
    frame["last_setup_error"] = _column(
        error_summary(_field(i, "last_setup_error")) for i in intents
    )
    return frame


def payment_methods(
    client: stripe.StripeClient, customer: str, type: str | None = None
) -> pd.DataFrame:
    """A customer's saved payment methods (the guide's `GET /v1/payment_methods?customer=…`)."""
    params: dict[str, Any] = {"customer": customer, "limit": 100}
    if type:
        params["type"] = type
    methods = oldest_first(client.v1.payment_methods.list(params))
    frame = table(methods, ["id", "type", "customer", "created"])
    frame.insert(2, "details", _column(describe_payment_method(pm) for pm in methods))
    return frame


def payment_intents(client: stripe.StripeClient, customer: str | None = None) -> pd.DataFrame:
    params: dict[str, Any] = {"limit": 100}
    if customer:
        params["customer"] = customer
    intents = oldest_first(client.v1.payment_intents.list(params))
    frame = table(intents, ["id", "status", "payment_method", "customer", "created"])
    frame.insert(
        2, "amount", _column(money(_field(i, "amount"), _field(i, "currency")) for i in intents)
    )
    frame["last_payment_error"] = _column(
        error_summary(_field(i, "last_payment_error")) for i in intents
    )
    return frame


def charges(client: stripe.StripeClient, customer: str | None = None) -> pd.DataFrame:
    params: dict[str, Any] = {"limit": 100}
    if customer:
        params["customer"] = customer
    found = oldest_first(client.v1.charges.list(params))
    frame = table(
        found,
        ["id", "status", "payment_intent", "outcome.type", "failure_code", "created"],
    )
    frame.insert(
        2, "amount", _column(money(_field(c, "amount"), _field(c, "currency")) for c in found)
    )
    frame.insert(4, "paid with", _column(_field(c, "payment_method_details.type") for c in found))
    return frame


def events(client: stripe.StripeClient, types: list[str] | None = None) -> pd.DataFrame:
    params: dict[str, Any] = {"limit": 100}
    if types:
        params["types"] = types
    found = oldest_first(client.v1.events.list(params))
    frame = table(found, ["id", "type", "data.object.id", "created"])
    return frame.rename(columns={"data.object.id": "object"})


def _column(values: Iterable[Any]) -> pd.Series:
    """Computed values as a column that keeps None as None."""
    return pd.Series(list(values), dtype=object)


def _pm_or_none(pm: Any) -> str | None:
    return describe_payment_method(pm) if _is_object(pm) else pm
