"""The error catalogue (`stripe_emulator/errors/`): every class reachable as `errors.<Name>`,
templates filled from keywords, and one renderer for bodies and intents' `last_*_error`."""

from __future__ import annotations

import inspect

import pytest

from stripe_emulator import errors
from stripe_emulator.errors import base, intent, link, payment_method, request

MODULES = (base, request, intent, payment_method, link)


def _classes():
    for module in MODULES:
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, errors.StripeError):
                if value.__module__ == module.__name__:
                    yield name, value


def test_every_error_class_is_exported():
    missing = [name for name, cls in _classes() if getattr(errors, name, None) is not cls]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "cls"), [(n, c) for n, c in _classes() if issubclass(c, errors.Refusal)]
)
def test_every_refusal_has_a_message_template(name, cls):
    assert cls is errors.Refusal or cls.message, name


def test_a_refusal_fills_its_template_and_keeps_other_keywords_for_the_body():
    error = errors.ClientSecretMismatch(object_name="SetupIntent", setup_intent={"id": "seti_1"})
    assert error.fields() == {
        "message": "The client_secret provided does not match the client_secret associated "
        "with the SetupIntent.",
        "param": "client_secret",
        "setup_intent": {"id": "seti_1"},
        "type": "invalid_request_error",
    }


def test_mutually_exclusive_names_the_second_parameter():
    error = errors.MutuallyExclusive(["payment_method", "payment_method_data"])
    assert error.message == (
        "You may only specify one of these parameters: payment_method, payment_method_data."
    )
    assert error.param == "payment_method_data"


def test_last_error_is_the_body_without_the_intent():
    decline = type(
        "Decline",
        (),
        {
            "code": "card_declined",
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
            "param": None,
        },
    )()
    error = errors.CardDeclined(decline, payment_method={"id": "pm_1"}).embedding(
        payment_intent={"id": "pi_1"}
    )
    body = error.body("req_1")["error"]
    assert list(body) == sorted(body)
    assert body["payment_intent"] == {"id": "pi_1"}
    last = error.last_error()
    assert last == {k: v for k, v in body.items() if k not in ("payment_intent", "request_log_url")}
    assert last["doc_url"] == "https://stripe.com/docs/error-codes/card-declined"
