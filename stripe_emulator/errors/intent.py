"""Errors of SetupIntents and PaymentIntents: client secrets, payment method types, amounts,
statuses (`*_unexpected_state`, raised by `resources/intent_states.move`), and the outcomes a
confirmation records: card declines (402) and failed 3-D Secure."""

from __future__ import annotations

from typing import Any

from .base import Refusal, StripeError

# --- the intent and its client secret ---------------------------------------------------------


class ClientSecretMismatch(Refusal):
    message = (
        "The client_secret provided does not match the client_secret associated with the "
        "{object_name}."
    )
    param = "client_secret"


class NotAnIntentClientSecret(Refusal):
    message = (
        "Invalid client_secret: {client_secret!r} is not the client secret of a SetupIntent or "
        "PaymentIntent."
    )
    param = "client_secret"


class ReturnUrlInvalid(Refusal):
    code = "url_invalid"
    message = "Not a valid URL"
    param = "return_url"


class OptionsNeedSecretKey(Refusal):
    message = (
        "`payment_method_options` can only be set with a secret key; set it when creating or "
        "updating the SetupIntent."
    )
    param = "payment_method_options"


class SetupIntentCustomerImmutable(Refusal):
    message = "You cannot change the customer of a SetupIntent once it has been set."
    param = "customer"


# --- payment method types (resources/payment_method_types.py) ----------------------------------


class PaymentMethodTypesNoLongerSupported(Refusal):
    code = "payment_method_types_no_longer_supported"
    message = (
        "The `payment_method_types` parameter is no longer supported on API version {version}. "
        "Use `allowed_payment_method_types` to restrict the payment method types, or omit it "
        "to use dynamic payment methods."
    )
    param = "payment_method_types"


_ACTIVATED = (
    "Please ensure the provided type is activated in your dashboard "
    "(https://dashboard.stripe.com/account/payments/settings) and your account is enabled for "
    "any preview features that you are trying to use."
)


class PaymentMethodTypeInvalid(Refusal):
    """A PaymentIntent's type that does not exist (`param` is `<list>[<index>]`)."""

    code = "payment_intent_invalid_parameter"
    message = 'The payment method type "{name}" is invalid. ' + _ACTIVATED


class SetupPaymentMethodTypeInvalid(Refusal):
    """A SetupIntent's type the emulator does not support."""

    code = "parameter_invalid_string"
    message = "The payment method type provided: {name} is invalid. " + _ACTIVATED


class ExcludedPaymentMethodTypeInvalid(Refusal):
    code = "parameter_invalid_string"
    message = "The payment method type provided: {name} is invalid."
    param = "excluded_payment_method_types"


class NoAllowedTypeEnabled(Refusal):
    message = (
        "None of the payment method types in `allowed_payment_method_types` are enabled for "
        "this account. Enabled types: {enabled}."
    )
    param = "allowed_payment_method_types"


class AllowRedirectsNeedsEnabled(Refusal):
    message = (
        "You can only set `automatic_payment_methods[allow_redirects]` when "
        "`automatic_payment_methods[enabled]` is true."
    )
    param = "automatic_payment_methods[allow_redirects]"


class PaymentMethodTypeNotAllowed(StripeError):
    """A PaymentMethod whose type the intent does not take (wording differs per intent)."""

    def __init__(self, object_name: str, pm_type: str, types: list[str], **extra: Any) -> None:
        if object_name == "SetupIntent":
            self.code = "setup_intent_invalid_parameter"
            comma, end = "", "."
        else:
            self.code = "payment_intent_invalid_parameter"
            comma, end = ",", ""
        super().__init__(
            f"The PaymentMethod provided ({pm_type}) is not allowed for this {object_name}. "
            f"Please attach a PaymentMethod of one of the following types: {', '.join(types)}. "
            f"Alternatively{comma} update the allowed payment_method_types for this "
            f'{object_name} to include "{pm_type}"{end}',
            **extra,
        )


class SetupPaymentMethodNeedsCustomer(Refusal):
    code = "setup_intent_invalid_parameter"
    message = (
        "The PaymentMethod {pm} belongs to the Customer {customer}. Please include the "
        "Customer in the `customer` parameter on the SetupIntent."
    )
    param = "payment_method"


class PaymentMethodNeedsCustomer(Refusal):
    code = "parameter_missing"
    message = (
        "The `payment_method` parameter supplied {pm} belongs to the Customer {customer}. "
        "Please include the Customer in the `customer` parameter on the PaymentIntent."
    )
    param = "source"


class PaymentMethodOfOtherCustomer(Refusal):
    message = (
        "The PaymentMethod {pm} does not belong to the Customer you supplied {customer}. "
        "Please use this PaymentMethod with the Customer that it belongs to instead."
    )
    param = "payment_method"


# --- amounts and currencies ---------------------------------------------------------------------


class CurrencyInvalid(Refusal):
    message = "Invalid currency: {value}. Stripe currently supports these currencies: {supported}"
    param = "currency"


class AmountNotPositive(Refusal):
    code = "parameter_invalid_integer"
    message = (
        "The amount must be greater than or equal to the minimum charge amount allowed for your "
        "account and the currency set "
        "(https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts).  If you want "
        "to save a Payment Method for future use without an immediate payment, use a Setup "
        "Intent instead: https://docs.stripe.com/payments/setup-intents"
    )
    param = "amount"


class AmountTooSmall(Refusal):
    code = "amount_too_small"
    message = "Amount must be at least {money} {currency}"
    param = "amount"


class AmountTooLarge(Refusal):
    code = "amount_too_large"
    message = "Amount must be no more than {money} {currency}"
    param = "amount"


class CaptureAmountNegative(Refusal):
    message = "Invalid non-negative integer"
    param = "amount_to_capture"


class CaptureAmountZero(Refusal):
    code = "parameter_invalid_integer"
    message = "This value must be greater than or equal to 1."
    param = "amount"


class CaptureAmountTooLarge(Refusal):
    code = "amount_too_large"
    message = (
        "The payment could not be captured because the requested capture amount is greater than "
        "the amount you can capture for this charge. Contact us via "
        "https://support.stripe.com/contact/ for help."
    )
    param = "amount_to_capture"


# --- statuses (resources/intent_states.py) ------------------------------------------------------


class UnexpectedState(StripeError):
    """`setup_intent_unexpected_state` / `payment_intent_unexpected_state`."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.code = code


_SI_ACTIVE = "requires_payment_method, requires_confirmation, requires_action"


class SetupIntentUnexpectedState(UnexpectedState):
    """An operation (`verb`: confirm, cancel, update, authenticate) its status does not allow."""

    def __init__(self, verb: str, status: str, **extra: Any) -> None:
        if verb == "confirm" and status == "succeeded":
            message = "You cannot confirm this SetupIntent because it has already succeeded."
        else:
            done = "canceled" if verb == "cancel" else f"{verb}d"
            message = (
                f"You cannot {verb} this SetupIntent because it has a status of {status}. Only a "
                f"SetupIntent with one of the following statuses may be {done}: {_SI_ACTIVE}."
            )
        super().__init__("setup_intent_unexpected_state", message, **extra)


_PI_MESSAGES = {
    "confirm": (
        "You cannot confirm this PaymentIntent because it has a status of {status}. Only a "
        "PaymentIntent with one of the following statuses may be confirmed: "
        "requires_payment_method, requires_confirmation, requires_action."
    ),
    "capture": (
        "This PaymentIntent could not be captured because it has a status of {status}. Only a "
        "PaymentIntent with one of the following statuses may be captured: requires_capture."
    ),
    "cancel": (
        "You cannot cancel this PaymentIntent because it has a status of {status}. Only a "
        "PaymentIntent with one of the following statuses may be canceled: "
        "requires_payment_method, requires_capture, requires_reauthorization, "
        "requires_confirmation, requires_action, expired, processing."
    ),
    "authenticate": (
        "You cannot authenticate this PaymentIntent because it has a status of {status}."
    ),
}
_PI_SUCCEEDED = {
    "confirm": (
        "You cannot confirm this PaymentIntent because it has already succeeded after being "
        "previously confirmed."
    ),
    "capture": (
        "The remaining amount on this PaymentIntent could not be captured because the "
        "remainder of the authorized amount has been released."
    ),
}


class PaymentIntentUnexpectedState(UnexpectedState):
    """An operation (`verb`: confirm, capture, cancel, authenticate) its status does not allow."""

    def __init__(self, verb: str, status: str, **extra: Any) -> None:
        message = (_PI_SUCCEEDED.get(verb) if status == "succeeded" else None) or _PI_MESSAGES[
            verb
        ].format(status=status)
        super().__init__("payment_intent_unexpected_state", message, **extra)


class PaymentIntentFieldNotUpdatable(UnexpectedState):
    def __init__(self, name: str, status: str, updatable: tuple[str, ...], **extra: Any) -> None:
        super().__init__(
            "payment_intent_unexpected_state",
            f"This PaymentIntent's {name} could not be updated because it has a status of "
            f"{status}. You may only update the {name} of a PaymentIntent with one of the "
            f"following statuses: {', '.join(updatable)}.",
            param=name,
            **extra,
        )


class SetupIntentMissingPaymentMethod(UnexpectedState):
    def __init__(self, **extra: Any) -> None:
        super().__init__(
            "setup_intent_unexpected_state",
            "You cannot confirm this SetupIntent because it's missing a payment method. You can "
            "either update the SetupIntent with a payment method and then confirm it again, or "
            "confirm it again directly with a payment method.",
            **extra,
        )


class PaymentIntentMissingPaymentMethod(UnexpectedState):
    def __init__(self, customer: str | None, **extra: Any) -> None:
        if customer:
            message = (
                "You cannot confirm this PaymentIntent because it's missing a payment method. "
                f"To confirm the PaymentIntent with {customer}, specify a payment method "
                "attached to this customer along with the customer ID."
            )
        else:
            message = (
                "You cannot confirm this PaymentIntent because it's missing a payment method. You "
                "can either update the PaymentIntent with a payment method and then confirm it "
                "again, or confirm it again directly with a payment method or ConfirmationToken."
            )
        super().__init__("payment_intent_unexpected_state", message, **extra)


# --- outcomes of a confirmation (recorded as `last_*_error`, see StripeError.last_error) --------


class CardError(StripeError):
    """A decline or authentication failure; carries the intent it happened on."""

    status = 402
    type = "card_error"

    def __init__(
        self, code: str, message: str, *, decline_code: str | None = None, param=None, **extra
    ):
        super().__init__(message, param=param, decline_code=decline_code, **extra)
        self.code = code


class CardDeclined(CardError):
    """A test card's decline (a `testdata.Decline`: code, decline_code, message, param)."""

    def __init__(self, decline: Any, **extra: Any) -> None:
        super().__init__(
            decline.code,
            decline.message,
            decline_code=decline.decline_code,
            param=decline.param,
            **extra,
        )


class SetupAuthenticationFailed(StripeError):
    """3-D Secure failed on a SetupIntent: its `last_setup_error` (the 3DS page shows it)."""

    code = "setup_intent_authentication_failure"

    def __init__(self, **extra: Any) -> None:
        super().__init__(
            "The latest attempt to set up the payment method has failed because authentication "
            "failed.",
            **extra,
        )


class PaymentAuthenticationFailed(StripeError):
    """3-D Secure failed on a PaymentIntent: its `last_payment_error`."""

    code = "payment_intent_authentication_failure"

    def __init__(self, **extra: Any) -> None:
        super().__init__(
            "The provided PaymentMethod has failed authentication. You can provide "
            "payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent "
            "again.",
            **extra,
        )


class ReturnUrlRequired(StripeError):
    """Confirming an intent created with `automatic_payment_methods[enabled]=true` that allows
    redirects, without a `return_url`. Stripe's wording, as merchants have quoted it for
    PaymentIntents (https://github.com/woocommerce/woocommerce-gateway-stripe/issues/2982,
    https://github.com/aschmelyun/laravel-vue-stripe-cashier/issues/4) and SetupIntents
    (https://github.com/woocommerce/woocommerce-gateway-stripe/issues/3284)."""

    def __init__(self, noun: str) -> None:  # "Payment Intent" | "Setup Intent"
        super().__init__(
            f"A `return_url` must be specified because this {noun} is configured to "
            "automatically accept the payment methods enabled in the Dashboard, some of which may "
            "require a full page redirect to succeed. If you do not want to accept "
            "redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` "
            "and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup "
            "Intents and Payment Intents.",
            param="return_url",
        )
