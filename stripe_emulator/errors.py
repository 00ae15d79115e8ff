"""Every error the emulator can answer with, as small classes rendered in Stripe's envelope.

Status codes pick stripe-python's exception class (STRIPE_FACTS §5.2), so they must be exact.
"""

from __future__ import annotations

from typing import Any

SUPPORT = "or we can help at https://support.stripe.com/."


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

    def body(self, request_id: str | None = None) -> dict:
        error: dict[str, Any] = {}
        if self.code:
            error["code"] = self.code
        for key, value in self.extra.items():
            if value is not None:
                error[key] = value
        if self.code and "doc_url" not in error:
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        error["message"] = self.message
        if self.param is not None:
            error["param"] = self.param
        if request_id:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error["type"] = self.type
        return {"error": error}


# --- authentication (401) -------------------------------------------------------------


class AuthenticationMissing(StripeError):
    status = 401

    def __init__(self) -> None:
        super().__init__(
            "You did not provide an API key. You need to provide your API key in the Authorization "
            "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
            f"https://stripe.com/docs/api#authentication for details, {SUPPORT}"
        )


def mask_key(key: str) -> str:
    """As Stripe masks keys: the first 8 and last 4 characters kept, the rest starred."""
    if len(key) <= 12:
        return "*" * max(0, len(key) - 4) + key[-4:]
    return key[:8] + "*" * (len(key) - 12) + key[-4:]


class AuthenticationInvalid(StripeError):
    status = 401

    def __init__(self, key: str) -> None:
        super().__init__(f"Invalid API Key provided: {mask_key(key)}")


class LiveKeyRefused(StripeError):
    status = 401
    code = "live_mode_not_supported"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Live keys are refused: this is an offline emulator of Stripe test mode only "
            f"(key {mask_key(key)}). Use a sk_test_ or pk_test_ key."
        )


class SecretKeyRequired(StripeError):
    status = 403
    code = "secret_key_required"

    def __init__(self) -> None:
        super().__init__(
            "This API call cannot be made with a publishable API key. Please use a secret API key. "
            "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
        )


# --- request errors (400) -------------------------------------------------------------


class ParameterUnknown(StripeError):
    code = "parameter_unknown"

    def __init__(self, param: str) -> None:
        super().__init__(f"Received unknown parameter: {param}", param=param)


class ParameterMissing(StripeError):
    code = "parameter_missing"

    def __init__(self, param: str) -> None:
        super().__init__(f"Missing required param: {param}.", param=param)


class ParameterInvalidInteger(StripeError):
    code = "parameter_invalid_integer"

    def __init__(self, param: str, value: Any) -> None:
        super().__init__(f"Invalid integer: {value}", param=param)


class ParameterInvalidBoolean(StripeError):
    code = "parameter_invalid_boolean"

    def __init__(self, param: str, value: Any) -> None:
        super().__init__(f"Invalid boolean: {value}", param=param)


class ParameterInvalidString(StripeError):
    code = "parameter_invalid_string"

    def __init__(self, param: str, message: str | None = None) -> None:
        super().__init__(message or f"Invalid string: {param}", param=param)


class ParameterInvalidEmpty(StripeError):
    code = "parameter_invalid_empty"

    def __init__(self, param: str) -> None:
        super().__init__(
            f"You passed an empty string for '{param}'. We assume empty values are an attempt to "
            "unset a parameter; however '{param}' cannot be unset. You should remove '{param}' from "
            "your request or supply a non-empty value.".replace("{param}", param),
            param=param,
        )


class ParameterInvalidEnum(StripeError):
    code = "parameter_invalid_string"

    def __init__(self, param: str, value: Any, allowed: list[str]) -> None:
        choices = (
            ", ".join(allowed[:-1]) + f", or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
        )
        super().__init__(f"Invalid {param}: must be one of {choices}", param=param)


class ParameterInvalidHash(StripeError):
    code = "parameter_invalid_string"

    def __init__(self, param: str) -> None:
        super().__init__(f"Invalid hash: {param} must be an object", param=param)


class ParameterInvalidArray(StripeError):
    code = "parameter_invalid_string"

    def __init__(self, param: str) -> None:
        super().__init__(f"Invalid array: {param} must be an array", param=param)


class ParameterOutOfRange(StripeError):
    code = "parameter_invalid_integer"

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message, param=param)


class InvalidRequest(StripeError):
    """A request Stripe refuses for a documented reason, with an explicit code (or none)."""

    def __init__(
        self, message: str, *, code: str | None = None, param: str | None = None, **extra
    ) -> None:
        super().__init__(message, param=param, **extra)
        self.code = code


class NotSupported(StripeError):
    """A parameter Stripe accepts that the emulator cannot act on: refused, never ignored."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message, param=param)


class PaymentMethodTypesNoLongerSupported(StripeError):
    code = "payment_method_types_no_longer_supported"

    def __init__(self, version: str) -> None:
        super().__init__(
            "The `payment_method_types` parameter is no longer supported on API version "
            f"{version}. Use `allowed_payment_method_types` to restrict the payment method types, "
            "or omit it to use dynamic payment methods.",
            param="payment_method_types",
        )


class NotExpandable(StripeError):
    def __init__(self, path: str, hint: str = "") -> None:
        super().__init__(f"This property cannot be expanded ({path}).{hint}")


class InvalidApiVersion(StripeError):
    def __init__(self, version: str) -> None:
        super().__init__(f"Invalid Stripe API version: {version}")


class IdempotencyMismatch(StripeError):
    type = "idempotency_error"

    def __init__(self, key: str) -> None:
        super().__init__(
            "Keys for idempotent requests can only be used with the same parameters they were first "
            f"used with. Try using a key other than '{key}' if you meant to execute a different request."
        )


class UnexpectedState(StripeError):
    """`setup_intent_unexpected_state` / `payment_intent_unexpected_state`."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message, **extra)
        self.code = code


class RawCardDataRefused(StripeError):
    status = 402

    def __init__(self) -> None:
        super().__init__(
            "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest "
            "you use test tokens that map to the test card you are using, see "
            "https://stripe.com/docs/testing. To enable raw card data APIs in test mode, see "
            "https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis."
        )


# --- not found (404) --------------------------------------------------------------------


class ResourceMissing(StripeError):
    status = 404
    code = "resource_missing"

    def __init__(self, noun: str, object_id: str, param: str = "id") -> None:
        super().__init__(f"No such {noun}: '{object_id}'", param=param)


class UnrecognizedUrl(StripeError):
    status = 404

    def __init__(self, method: str, path: str) -> None:
        super().__init__(
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs {SUPPORT}"
        )


# --- card errors (402) ------------------------------------------------------------------


class CardError(StripeError):
    """A decline or authentication failure; carries the intent it happened on."""

    status = 402
    type = "card_error"

    def __init__(
        self, code: str, message: str, *, decline_code: str | None = None, param=None, **extra
    ):
        super().__init__(message, param=param, decline_code=decline_code, **extra)
        self.code = code


# --- server errors (500) ----------------------------------------------------------------


class ApiError(StripeError):
    status = 500
    type = "api_error"

    def __init__(self) -> None:
        super().__init__(
            "An unknown error occurred while processing your request. Please try again later. "
            "If the problem persists, contact us at https://support.stripe.com/."
        )


# --- added with the test-mode fidelity items --------------------------------------------------


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
