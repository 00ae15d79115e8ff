"""The status machines of SetupIntent, SetupAttempt and PaymentIntent: one table each, one way
to move (docs/facts/intents.md#setupintent-lifecycle, docs/facts/intents.md#paymentintent-lifecycle).

`TRANSITIONS[object][(status, event)]` is the status after `event`. Every status change goes
through `move`; `check` asks the same question without moving, so an operation can validate
fully before it mutates. A move not in the table raises the intent's `*_unexpected_state`
(messages in `errors/intent.py`, which name the operation: `VERBS`).

Events: `update` (allowed, status kept) and `set_payment_method` (update/create with a
PaymentMethod); `confirm` starts an attempt, which stands in `processing` only while the request
runs (outcomes are decided synchronously here) and leaves it by its outcome: `require_action`
(3-D Secure), `succeed`, `authorize` (manual capture), `fail` (a decline: back to
requires_payment_method with `last_*_error`). `complete_authentication` (the 3-D Secure page)
resumes a requires_action intent the same way; `await_confirmation` is a PaymentIntent with
`confirmation_method=manual` after 3-D Secure. Then `capture` and `cancel`.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..context import Ctx
from .intent import embedded

RPM, RC, RA = "requires_payment_method", "requires_confirmation", "requires_action"
ACTIVE = (RPM, RC, RA)  # a SetupIntent's updatable, confirmable and cancelable statuses

SETUP_INTENT: dict[tuple[str, str], str] = {
    **{(status, "update"): status for status in ACTIVE},
    (RPM, "set_payment_method"): RC,
    (RC, "set_payment_method"): RC,
    (RA, "set_payment_method"): RA,
    **{(status, "confirm"): "processing" for status in ACTIVE},
    ("processing", "require_action"): RA,
    ("processing", "succeed"): "succeeded",
    ("processing", "fail"): RPM,
    (RA, "complete_authentication"): "processing",
    **{(status, "cancel"): "canceled" for status in ACTIVE},
}

SETUP_ATTEMPT: dict[tuple[str, str], str] = {
    (RC, "require_action"): RA,
    (RC, "succeed"): "succeeded",
    (RA, "succeed"): "succeeded",
    (RC, "fail"): "failed",
    (RA, "fail"): "failed",
    (RA, "abandon"): "abandoned",  # a new confirm, or a cancel, while 3-D Secure was pending
}

PAYMENT_INTENT: dict[tuple[str, str], str] = {
    **{(status, "update"): status for status in ACTIVE},
    **{(status, "set_payment_method"): RC for status in ACTIVE},
    **{(status, "confirm"): "processing" for status in ACTIVE},
    ("processing", "require_action"): RA,
    ("processing", "authorize"): "requires_capture",
    ("processing", "succeed"): "succeeded",
    ("processing", "fail"): RPM,
    (RA, "complete_authentication"): "processing",
    ("processing", "await_confirmation"): RC,
    ("requires_capture", "capture"): "succeeded",
    **{
        (status, "cancel"): "canceled" for status in (RPM, "requires_capture", RC, RA, "processing")
    },
}

TRANSITIONS = {
    "setup_intent": SETUP_INTENT,
    "setup_attempt": SETUP_ATTEMPT,
    "payment_intent": PAYMENT_INTENT,
}
# The operation an event's error message names, where it is not the event itself.
VERBS = {"set_payment_method": "update", "complete_authentication": "authenticate"}


def allows(obj: Any, event: str) -> bool:
    return (obj.data["status"], event) in TRANSITIONS[obj.object_name]


def sources(object_name: str, event: str) -> tuple[str, ...]:
    """The statuses `event` may happen in, in table order."""
    return tuple(status for status, name in TRANSITIONS[object_name] if name == event)


def check(ctx: Ctx, obj: Any, event: str) -> None:
    """Raise the `*_unexpected_state` error unless `event` may happen now; changes nothing."""
    if allows(obj, event):
        return
    verb, status = VERBS.get(event, event), obj.data["status"]
    if obj.object_name == "setup_intent":
        raise errors.SetupIntentUnexpectedState(verb, status, setup_intent=embedded(ctx, obj))
    if obj.object_name == "payment_intent":
        raise errors.PaymentIntentUnexpectedState(verb, status, payment_intent=embedded(ctx, obj))
    raise errors.UnexpectedState(  # a SetupAttempt only moves with its intent: a bug if here
        "setup_intent_unexpected_state",
        f"This SetupAttempt cannot {verb} because it has a status of {status}.",
    )


def move(ctx: Ctx, obj: Any, event: str) -> str:
    """The one place a status changes: apply `event` by the table, or raise (see `check`)."""
    check(ctx, obj, event)
    status = TRANSITIONS[obj.object_name][(obj.data["status"], event)]
    obj.data["status"] = status
    return status
