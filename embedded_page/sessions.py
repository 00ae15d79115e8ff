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
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

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


class Sessions:
    """Session id -> Customer id, and one-time login links. Thread-safe."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._customers: OrderedDict[str, str] = OrderedDict()
        self._links: OrderedDict[str, LoginLink] = OrderedDict()

    def customer_of(self, session_id: str | None) -> str | None:
        if not session_id:
            return None
        with self._lock:
            customer = self._customers.get(session_id)
            if customer is not None:
                self._customers.move_to_end(session_id)
            return customer

    def start(self, customer: str) -> str:
        """A new session for `customer`; returns its id (the cookie's value)."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._customers[session_id] = customer
            while len(self._customers) > MAX_SESSIONS:
                self._customers.popitem(last=False)
        return session_id

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
