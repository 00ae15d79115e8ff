"""Errors of Link: accounts, consumer sessions and one-time codes (which code fails how is
`testdata.OTP_CODES`)."""

from __future__ import annotations

from .base import Refusal


class LinkAccountExists(Refusal):
    code = "consumer_account_exists"
    message = "A Link account already exists for this email address."
    param = "email_address"


class ConsumerSessionInvalid(Refusal):
    code = "consumer_session_credentials_invalid"
    message = "The provided consumer session client secret is invalid."


class ConsumerSessionUnverified(Refusal):
    code = "consumer_session_credentials_invalid"
    message = (
        "This Link session has not been verified yet. Enter the code sent to the phone number "
        "on the Link account first."
    )


class VerificationCodeMalformed(Refusal):
    code = "parameter_invalid_string"
    message = "Invalid code: {value!r}. The verification code must be six digits."
    param = "code"


class VerificationCodeInvalid(Refusal):
    code = "consumer_verification_code_invalid"
    message = "The provided verification code is incorrect."
    param = "code"


class VerificationCodeExpired(Refusal):
    code = "consumer_verification_expired"
    message = "The provided verification code has expired."
    param = "code"


class VerificationMaxAttempts(Refusal):
    code = "consumer_verification_max_attempts_exceeded"
    message = "Too many attempts. Please try again in a few minutes."
    param = "code"
