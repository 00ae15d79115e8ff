"""Errors of PaymentMethods and their details (cards, bank accounts), Customers' payment
methods, and the nested hashes intents share (`mandate_data`)."""

from __future__ import annotations

from .base import Refusal, StripeError


class RawCardDataRefused(StripeError):
    status = 402

    def __init__(self) -> None:
        super().__init__(
            "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest "
            "you use test tokens that map to the test card you are using, see "
            "https://stripe.com/docs/testing. To enable raw card data APIs in test mode, see "
            "https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis."
        )


class HashForOtherType(Refusal):
    """`card[...]` given for a `us_bank_account` (`noun`: "PaymentMethod", "payment details")."""

    message = (
        "You passed the `{other}` hash but the {noun} type is `{type}`. Pass the `{type}` hash "
        "instead."
    )


class CardHashForOtherType(Refusal):
    message = "You cannot update the `card` hash of a PaymentMethod of type `{type}`."
    param = "card"


class RoutingNumberInvalid(Refusal):
    code = "routing_number_invalid"
    message = "Routing number must have 9 digits: {routing}"


class AccountNumberNotDigits(Refusal):
    code = "account_number_invalid"
    message = "Account number must contain only digits."


class AccountNumberInvalid(Refusal):
    code = "account_number_invalid"
    message = "Account number must contain only digits, and be between 4 and 17 digits long."


class PaymentMethodAlreadyAttached(Refusal):
    message = "The payment method you provided has already been attached to a customer."
    param = "payment_method"


class PaymentMethodNotAttached(Refusal):
    message = (
        "The payment method you provided is not attached to a customer so detachment is impossible."
    )


class PaymentMethodNotSaved(Refusal):
    message = "You must save this PaymentMethod to a customer before you can update it."


class DefaultPaymentMethodNotAttached(Refusal):
    message = (
        "The customer does not have a payment method with the ID {pm}. The payment method must "
        "be attached to the customer."
    )
    param = "invoice_settings[default_payment_method]"


class AcceptanceTypeMismatch(Refusal):
    """`mandate_data[customer_acceptance][offline]` given with `[type]=online` (or the reverse)."""

    message = "You passed `{base}[{other}]` but `{base}[type]` is `{kind}`."


class InferFromClientNeedsPublishableKey(Refusal):
    message = (
        "`{base}[online][infer_from_client]` can only be used with a publishable key; pass "
        "`ip_address` and `user_agent` instead."
    )
