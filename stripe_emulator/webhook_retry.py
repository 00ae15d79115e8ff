"""When failed webhook deliveries are retried: Stripe's shape, on the account's emulator clock.

Stripe retries a failed delivery "for up to 3 days with an exponential back off" in live mode,
and "three times over a few hours" in test mode (docs/facts/webhooks.md#automatic-retries).
The emulator follows the live-mode shape for every account, so that nothing acknowledged is
lost in a long workshop: `RETRY_DELAYS` doubles from one minute, twelve retries, the last one
68 h 15 min after the first attempt (inside the 3 days). Stripe publishes no intervals, so these
are a reconstruction of the documented shape, not Stripe's exact times.

Delays are seconds of the *account's clock* (clock.py), not of the process: a retry is due when
the account clock reaches it. A live clock gets there in real time; a frozen clock only when
`POST /_emulator/clock advance=…` moves it, which wakes the scheduler. So a test can keep an
endpoint down for ten minutes of emulator time in milliseconds.

Configuration, read once when the emulator starts (environment variables):
- `STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS`: comma-separated seconds replacing the schedule,
  e.g. "0.05,0.05" (two quick retries) or "3600,3600,3600" (test mode's three over hours).
- `STRIPE_EMULATOR_WEBHOOK_RETRY_SCALE`: a factor applied to every delay, e.g. 0.001 squeezes
  the 3 days into about 4 minutes of a live clock (default 1).
- `STRIPE_EMULATOR_WEBHOOK_TIMEOUT`: seconds an endpoint has to answer (default 10).
- `STRIPE_EMULATOR_WEBHOOK_WORKERS`: delivery threads (default 8), shared by every endpoint.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

RETRY_DELAYS: tuple[float, ...] = tuple(60.0 * 2**n for n in range(12))  # 1 min … 34 h 8 min
HORIZON = 3 * 24 * 3600  # Stripe's live-mode window; sum(RETRY_DELAYS) stays inside it
TIMEOUT = 10.0  # seconds an endpoint has to answer
WORKERS = 8
LATE_WAIT = 120.0  # real seconds a timed-out request stays open for its late answer

RETRY_DELAYS_ENV = "STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS"
RETRY_SCALE_ENV = "STRIPE_EMULATOR_WEBHOOK_RETRY_SCALE"
TIMEOUT_ENV = "STRIPE_EMULATOR_WEBHOOK_TIMEOUT"
WORKERS_ENV = "STRIPE_EMULATOR_WEBHOOK_WORKERS"


@dataclass(frozen=True)
class Schedule:
    """Delays (account-clock seconds) before each retry; `None` once they are used up."""

    delays: tuple[float, ...] = RETRY_DELAYS
    scale: float = 1.0

    def delays_scaled(self) -> tuple[float, ...]:
        """Every retry's delay, in order (account-clock seconds)."""
        return tuple(delay * self.scale for delay in self.delays)

    def delay_after(self, attempts: int) -> float | None:
        """Seconds until the retry that follows `attempts` failed attempts, or None (give up)."""
        if attempts < 1 or attempts > len(self.delays):
            return None
        return self.delays[attempts - 1] * self.scale


@dataclass(frozen=True)
class Settings:
    schedule: Schedule = Schedule()
    timeout: float = TIMEOUT
    workers: int = WORKERS
    late_wait: float = LATE_WAIT


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number: {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive: {raw!r}")
    return value


def retry_delays_from_env(environ: Mapping[str, str] | None = None) -> tuple[float, ...]:
    """`RETRY_DELAYS`, or the comma-separated seconds in STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS."""
    raw = (os.environ if environ is None else environ).get(RETRY_DELAYS_ENV, "").strip()
    if not raw:
        return RETRY_DELAYS
    try:
        delays = tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"{RETRY_DELAYS_ENV} must be comma-separated seconds: {raw!r}") from exc
    if any(delay < 0 for delay in delays):
        raise ValueError(f"{RETRY_DELAYS_ENV} must not be negative: {raw!r}")
    return delays


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    workers = _number(environ, WORKERS_ENV, WORKERS)
    if workers != int(workers):
        raise ValueError(f"{WORKERS_ENV} must be a whole number: {workers}")
    return Settings(
        schedule=Schedule(retry_delays_from_env(environ), _number(environ, RETRY_SCALE_ENV, 1.0)),
        timeout=_number(environ, TIMEOUT_ENV, TIMEOUT),
        workers=int(workers),
    )
