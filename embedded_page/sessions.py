"""Who is checking out: a server-side session per browser, tied to one Stripe Customer.

A merchant knows which Customer a browser belongs to because the customer logged in to the
merchant's site; it never lets the browser say so (a `?customer=cus_…` parameter would let anyone
save a card to, or read the Link cookie of, any customer). Here:

- a browser without a session gets a new guest Customer the first time it asks for a
  SetupIntent, and a session cookie that keeps it (reloading the page keeps the customer);
- the merchant's back office (the notebook, see `back_office.py`) can log a browser in as a known
  Customer with a one-time login link, as a "magic link" email would.

Session ids and login tokens are 256-bit values from `secrets`; the cookie is HttpOnly, Secure
and SameSite=Lax. Everything is in memory and bounded: the oldest sessions are forgotten first.

A session also remembers the last SetupIntent made for it (id and client secret), so the page can
tell when the account under it changed (an emulator reset, where the next Customer may get the
same id again): that SetupIntent is then gone, or has another client secret (app.py,
`Merchant.session_for`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

SESSION_COOKIE = "linklab_session"
SESSION_MAX_AGE = 24 * 60 * 60  # one day, in seconds
LOGIN_LINK_TTL = 15 * 60  # a login link works once, within 15 minutes
MAX_SESSIONS = 10_000
MAX_LOGIN_LINKS = 1_000


@dataclass(frozen=True)
class LoginLink:
    customer: str
    next_path: str
    expires_at: float


def safe_next_path(value: str | None) -> str:
    """A path on this site to go to after logging in (never another site: no open redirect)."""
    if not value:
        return "/checkout"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise ValueError("next must be a path on this site, starting with a single /.")
    if any(ord(char) < 0x20 for char in value):
        raise ValueError("next must not contain control characters.")
    return value


@dataclass
class Session:
    """One browser's session: its Customer, and the last SetupIntent made for it."""

    id: str
    customer: str
    new: bool = False  # started by this request: its cookie is still to be set
    intent: tuple[str, str] | None = field(default=None, repr=False)  # (id, client secret)


class Sessions:
    """Session id -> Session, and one-time login links. Thread-safe."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._links: OrderedDict[str, LoginLink] = OrderedDict()

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                self._sessions.move_to_end(session_id)
                session.new = False  # the browser presented it: its cookie is set
            return session

    def customer_of(self, session_id: str | None) -> str | None:
        session = self.get(session_id)
        return session.customer if session is not None else None

    def start(self, customer: str) -> str:
        """A new session for `customer`; returns its id (the cookie's value)."""
        return self.start_session(customer).id

    def start_session(self, customer: str) -> Session:
        session = Session(secrets.token_urlsafe(32), customer, new=True)
        with self._lock:
            self._sessions[session.id] = session
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def saw_intent(self, session: Session, intent_id: str, client_secret: str) -> None:
        with self._lock:
            session.intent = (intent_id, client_secret)

    def create_login_link(self, customer: str, next_path: str) -> tuple[str, int]:
        """A one-time token logging a browser in as `customer`; (token, seconds it stays valid)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._links[token] = LoginLink(customer, next_path, self._clock() + LOGIN_LINK_TTL)
            while len(self._links) > MAX_LOGIN_LINKS:
                self._links.popitem(last=False)
        return token, LOGIN_LINK_TTL

    def redeem_login_link(self, token: str) -> LoginLink | None:
        """The link's customer and next path, once; None if unknown, used or expired."""
        with self._lock:
            link = self._links.pop(token, None)
        if link is None or link.expires_at < self._clock():
            return None
        return link
