"""Errors of the request itself: authentication, parameter decoding and coercion, lists and
expansion, API versions, idempotency, unknown URLs and objects, server errors."""

from __future__ import annotations

from typing import Any

from .base import SUPPORT, NotSupported, Refusal, StripeError, mask_key

# --- authentication (401) -------------------------------------------------------------


class AuthenticationMissing(StripeError):
    status = 401

    def __init__(self) -> None:
        super().__init__(
            "You did not provide an API key. You need to provide your API key in the Authorization "
            "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
            f"https://stripe.com/docs/api#authentication for details, {SUPPORT}"
        )


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


# --- form decoding (params.decode) and coercion limits ------------------------------------------


class ParameterNameInvalid(Refusal):
    message = "Invalid parameter name: {name}"


class ParameterNestedTooDeep(Refusal):
    message = "Invalid parameter name: {name} is nested more than {depth} levels deep."


class ArrayMalformed(Refusal):
    """`a[]=x&a[b]=y`, or a hash key under an array."""

    message = "Invalid array: {name}"


class HashMalformed(Refusal):
    """`a=x&a[b]=y`: a value where a hash is, or the reverse."""

    message = "Invalid hash: {name}"


class ArrayTooLong(Refusal):
    message = "Invalid array: {name} must have at most {max_items} items"


class EmailInvalid(Refusal):
    code = "email_invalid"
    message = "Invalid email address: {value}"


class UrlInvalid(Refusal):
    code = "url_invalid"
    message = "Invalid URL: {value}"


class WebhookHostNotAllowed(Refusal):
    # Reconstruction: Stripe refuses non-public webhook URLs with `url_invalid`; the emulator
    # refuses the opposite (non-loopback hosts), in the same envelope, with its own reason.
    code = "url_invalid"
    message = (
        "Invalid URL: {value}. The emulator delivers webhooks only to loopback hosts "
        "(127.0.0.1, ::1, localhost); start it with --allow-webhook-host {host} to allow this one."
    )


class MetadataTooManyKeys(Refusal):
    message = "Invalid metadata: metadata can have at most 50 keys."


class MetadataKeyTooLong(Refusal):
    message = "Metadata keys can have up to 40 characters; `{key}` has {length}."


class MetadataValueTooLong(Refusal):
    message = (
        "Metadata values can have up to 500 characters, but you passed in a value that is "
        "{length} characters. Invalid value: {start}..."
    )


class MutuallyExclusive(Refusal):
    """Parameters of which a request may give one; `param` is the second one given."""

    message = "You may only specify one of these parameters: {names}."

    def __init__(self, given: list[str], param: str | None = None, **extra: Any) -> None:
        super().__init__(names=", ".join(given), param=param or given[1], **extra)


class OnlyWithConfirm(Refusal):
    message = "You can only pass `{name}` when `confirm` is true."

    def __init__(self, name: str) -> None:
        super().__init__(name=name, param=name)


class CustomerAccountsNotSupported(NotSupported):
    def __init__(self) -> None:
        super().__init__(
            "customer_account",
            "Customer accounts (`customer_account`) are not supported by this emulator.",
        )


# --- lists and expansion (render.py) -----------------------------------------------------------


class ExpandTooDeep(Refusal):
    message = "You cannot expand more than {depth} levels of a property. Property: {path}"
    param = "expand"


class BothCursors(Refusal):
    message = "Received both starting_after and ending_before parameters. Please pass in only one."


class CursorMissing(Refusal):
    code = "resource_missing"
    message = "No such object: '{cursor}'"


class EventTypeAndTypes(Refusal):
    message = "You may pass either `type` or `types`, but not both."
    param = "types"


class NotExpandable(StripeError):
    def __init__(self, path: str, hint: str = "") -> None:
        super().__init__(f"This property cannot be expanded ({path}).{hint}")


class InvalidApiVersion(StripeError):
    def __init__(self, version: str, param: str | None = None) -> None:
        super().__init__(f"Invalid Stripe API version: {version}", param=param)


class IdempotencyMismatch(StripeError):
    type = "idempotency_error"

    def __init__(self, key: str) -> None:
        super().__init__(
            "Keys for idempotent requests can only be used with the same parameters they were first "
            f"used with. Try using a key other than '{key}' if you meant to execute a different request."
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


# --- server errors (500) ----------------------------------------------------------------


class ApiError(StripeError):
    status = 500
    type = "api_error"

    def __init__(self) -> None:
        super().__init__(
            "An unknown error occurred while processing your request. Please try again later. "
            "If the problem persists, contact us at https://support.stripe.com/."
        )


class SecretKeyAsField(StripeError):
    """A secret key in the `key` form field: only Stripe.js sends a key that way, and only a
    publishable one. A form on any web page could post such a field to the loopback emulator."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "A secret key is accepted only in the Authorization header (Bearer or Basic), "
            "never as the `key` parameter. The `key` parameter is for the publishable keys "
            "Stripe.js sends."
        )


class SecretKeyFromBrowser(StripeError):
    """A secret key on a request a web browser sent (it has `Origin` or `Sec-Fetch-Site`)."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "This request came from a web browser, and secret keys are accepted only from your "
            "server. Use your publishable key with Stripe.js in the browser, and keep the "
            "secret key on the server."
        )


class HostNotAllowed(StripeError):
    """A Host header naming neither loopback nor a configured host (DNS rebinding)."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"Invalid Host header: '{host[:100]}'. The emulator answers only requests addressed "
            "to 127.0.0.1, localhost or [::1] (start it with --allow-host NAME to add a name).",
        )


class BodyTooLarge(Refusal):
    message = "The request body is too large: at most {limit} bytes are accepted."


class IdempotencyKeyTooLong(Refusal):
    message = "Idempotency-Key must be at most {limit} characters long."
    param = "Idempotency-Key"


class FrozenAtWithUnfreeze(Refusal):
    """`POST /_emulator/clock` with freeze=false and a frozen_at (not Stripe's API)."""

    message = "You cannot pass frozen_at together with freeze=false."
    param = "frozen_at"


class TooManyParameters(Refusal):
    """More parameters in one request than any Stripe call needs (params.MAX_PARAMS, ours)."""

    message = "Too many parameters: a request may send at most {limit}."
