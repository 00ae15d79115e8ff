"""The base of every error: an HTTP status and Stripe's envelope, rendered by `body()` alone.

Status codes pick stripe-python's exception class (docs/facts/errors.md#status-codes-and-sdk-exceptions), so they must be exact.
"""

from __future__ import annotations

import copy
import string
from typing import Any

SUPPORT = "or we can help at https://support.stripe.com/."

# Embedded objects a 402 body carries but an intent's `last_*_error` does not (it is the intent).
_INTENTS = ("payment_intent", "setup_intent")


class StripeError(Exception):
    """Base: an error body `{"error": {...}}` with an HTTP status."""

    status = 400
    type = "invalid_request_error"
    code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.extra = extra

    def fields(self) -> dict[str, Any]:
        """The error hash, keys in alphabetical order as Stripe sends them; unset ones left out."""
        error: dict[str, Any] = {k: v for k, v in self.extra.items() if v is not None}
        if self.code:
            error["code"] = self.code
            error.setdefault("doc_url", doc_url(self.code))
        error["message"] = self.message
        if self.param is not None:
            error["param"] = self.param
        error["type"] = self.type
        return dict(sorted(error.items()))

    def body(self, request_id: str | None = None) -> dict:
        error = self.fields()
        if request_id:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        return {"error": dict(sorted(error.items()))}

    def last_error(self) -> dict[str, Any]:
        """The error as its intent records it (`last_setup_error` / `last_payment_error`): the
        body's fields without the intent itself. The one renderer of both (with `body`)."""
        return copy.deepcopy({k: v for k, v in self.fields().items() if k not in _INTENTS})

    def embedding(self, **objects: Any) -> StripeError:
        """The same error with objects added to its body (the intent, once it recorded this)."""
        self.extra.update(objects)
        return self


def doc_url(code: str) -> str:
    return f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"


class Refusal(StripeError):
    """A request refused for a documented reason. Subclasses are data: `code`, `param` (the
    default) and `message`, a `str.format` template. Keyword arguments the template names fill
    it, `param=` overrides the default, any other keyword joins the body (`payment_intent=`...)."""

    message = ""
    param: str | None = None

    def __init__(self, *, param: str | None = None, **kwargs: Any) -> None:
        template = type(self).message
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        values = {name: kwargs.pop(name) for name in names}
        super().__init__(template.format(**values), param=param or type(self).param, **kwargs)


class NotSupported(StripeError):
    """A parameter Stripe accepts that the emulator cannot act on: refused, never ignored."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message, param=param)


def mask_key(key: str) -> str:
    """As Stripe masks keys: the first 8 and last 4 characters kept, the rest starred."""
    if len(key) <= 12:
        return "*" * max(0, len(key) - 4) + key[-4:]
    return key[:8] + "*" * (len(key) - 12) + key[-4:]
