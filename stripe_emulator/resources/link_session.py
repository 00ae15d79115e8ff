"""Link consumer sessions: SMS one-time codes, verification, and the legacy persistent token.

A `ConsumerSession` is what Stripe.js holds while a customer uses Link on a page: it is started by
a lookup of a returning email (an SMS code is "sent", state `started`) or by a sign-up (state
`verified`), and becomes `verified` when the customer enters a code. Only a verified session may
read the Link account's payment details and addresses or pay with them.

Decisions (no public source for Link's consumer API; wire contract in
`stripe_emulator/LINK_PROTOCOL.md`):
- Test codes [docs/facts/link.md#test-accounts-and-codes] (the table: `testdata.OTP_CODES`): `000001` invalid, `000002` expired, `000003` max attempts
  exceeded, any other six digits verify. Messages are the ones Stripe's own SDKs show for these
  error codes [docs/facts/link.md#verification-code-errors, stripe-ios LinkUtils]: "The provided verification code is
  incorrect." / "The provided verification code has expired." / "Too many attempts. Please try
  again in a few minutes." Each failure is a 400 the customer can act on: retry (invalid) or
  resend (`start_verification`), never a dead end.
- `000002` and `000003` lock the session until a new code is requested: later codes get the same
  error until `start_verification`. An expired code cannot become valid again, and Stripe's
  SDKs answer both errors by asking for a new code (stripe-android maps
  `consumer_verification_expired` and `..._max_attempts_exceeded` to "code expired", and restarts
  the verification). `000001` does not lock: the next code is checked normally.
- `start_verification` on a session that is already verified leaves it verified (resending a code
  never logs a customer out); on a started session it clears the lock.
- `confirm_verification` on a verified session returns it unchanged (idempotent), after the same
  format check on `code`.
- Sessions never expire (not needed for the lessons).
- Persistent token [docs/facts/link.md#persistent-token]: an intent's `payment_method_options.link.persistent_token`
  skips the code only when the token was issued for that very Link account (tokens live per
  emulator account, so another account's token is unknown here) AND the intent was created with an
  API version before `context.PERSISTENT_TOKEN_DEPRECATED`. On later versions it has no effect.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import errors, testdata
from ..context import PERSISTENT_TOKEN_DEPRECATED, Ctx

if TYPE_CHECKING:
    from .link import LinkAccount

CREDENTIALS_PARAM = "credentials[consumer_session_client_secret]"

_INTENT_SECRET = re.compile(r"^((seti|pi)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$")
_SESSION_SECRET = re.compile(r"^(csmrsess_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$")


class ConsumerSession:
    """One Link session of one Link account (kept in `LinkAccount.sessions` by client secret)."""

    def __init__(self, session_id: str, client_secret: str, link_account: LinkAccount) -> None:
        self.id = session_id
        self.client_secret = client_secret
        self.link_account = link_account
        self.state = "started"  # started | verified
        self.lock: testdata.OtpCode | None = None  # after a locking code: a new code first

    @property
    def verified(self) -> bool:
        return self.state == "verified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "client_secret": self.client_secret,
            "email_address": self.link_account.email,
            "redacted_phone_number": self.link_account.redacted_phone_number,
            "verification_sessions": [{"type": "SMS", "state": self.state}],
        }


def start_session(ctx: Ctx, link_account: LinkAccount, verified: bool) -> ConsumerSession:
    """A new session: an SMS code is "sent" (started) unless already authenticated."""
    session_id = ctx.account.ids.new("csmrsess")
    session = ConsumerSession(session_id, ctx.account.ids.secret(session_id), link_account)
    if verified:
        session.state = "verified"
    link_account.sessions[session.client_secret] = session
    return session


def find_session(ctx: Ctx, client_secret: Any, param: str = CREDENTIALS_PARAM) -> ConsumerSession:
    """The session a client secret belongs to, in this account; else 400 credentials invalid."""
    if isinstance(client_secret, str) and _SESSION_SECRET.match(client_secret):
        for link_account in ctx.account.link_accounts.values():
            session = link_account.sessions.get(client_secret)
            if session is not None:
                return session
    raise errors.ConsumerSessionInvalid(param=param)


def verified_session(
    ctx: Ctx, client_secret: Any, param: str = CREDENTIALS_PARAM
) -> ConsumerSession:
    """A session that may read or use the Link account's wallet; else 400 credentials invalid."""
    session = find_session(ctx, client_secret, param)
    if not session.verified:
        raise errors.ConsumerSessionUnverified(param=param)
    return session


def check_code(session: ConsumerSession, code: str) -> testdata.OtpCode | None:
    """Validate a one-time code without changing anything.

    Returns None when the code verifies the session, else the test code's row (its error)."""
    if not re.fullmatch(r"\d{6}", code):
        raise errors.VerificationCodeMalformed(value=code)
    if session.verified:
        return None
    if session.lock is not None:
        return session.lock
    return testdata.OTP_CODES.get(code)


def confirm_verification(session: ConsumerSession, code: str) -> ConsumerSession:
    """Enter a code: verify the session, or raise the code's error (000002, 000003 also lock)."""
    failure = check_code(session, code)
    if failure is not None and failure.locks:
        session.lock = failure
    if failure is not None:
        raise failure.error()
    session.state = "verified"
    session.lock = None
    return session


def start_verification(session: ConsumerSession) -> ConsumerSession:
    """Resend a code: a started session gets a fresh code (lock cleared)."""
    session.lock = None
    return session


# --- the intent on the page and its persistent token -----------------------------------------


def intent_from_client_secret(ctx: Ctx, client_secret: str, param: str = "client_secret"):
    """The SetupIntent or PaymentIntent of this account that `client_secret` belongs to."""
    match = _INTENT_SECRET.match(client_secret)
    if not match:
        raise errors.NotAnIntentClientSecret(client_secret=client_secret, param=param)
    intent_id, kind = match.groups()
    collection, noun, label = (
        ("setup_intents", "setupintent", "SetupIntent")
        if kind == "seti"
        else ("payment_intents", "payment_intent", "PaymentIntent")
    )
    intent = getattr(ctx.account, collection).get(intent_id)
    if intent is None:
        raise errors.ResourceMissing(noun, intent_id, param=param)
    if intent.data.get("client_secret") != client_secret:
        raise errors.ClientSecretMismatch(object_name=label, param=param)
    return intent


def persistent_token_authenticates(intent: Any, link_account: LinkAccount, account: Any) -> bool:
    """True when the intent's legacy persistent token logs this Link account in without a code."""
    if intent is None:
        return False
    options = intent.data.get("payment_method_options") or {}
    token = (options.get("link") or {}).get("persistent_token")
    if not token or account.link_tokens.get(token) != link_account.email:
        return False
    version = getattr(intent, "api_version", None)
    return bool(version) and version[:10] < PERSISTENT_TOKEN_DEPRECATED
