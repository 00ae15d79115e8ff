"""The emulator's control routes (`/_emulator/…`) for one account: offline only.

Real Stripe test mode has no such routes: there, `Lesson.control` is None, the clock is real
time and the request log is the Dashboard's (Developers → Logs).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EmulatorControl:
    api_base: str
    secret_key: str = field(repr=False)

    def _call(self, method: str, path: str, form: dict | None = None) -> dict:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        url = f"{self.api_base}/_emulator/{path}"
        if method == "GET" and form:
            url, data = f"{url}?{urllib.parse.urlencode(form)}", None
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Authorization": f"Bearer {self.secret_key}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def reset(self, frozen_at: int, seed: str | None = None) -> None:
        """Empty the account; its ids start over (seeded from `seed`, else from the key) and its
        clock is frozen at `frozen_at`."""
        self._call("POST", "reset", {"frozen_at": frozen_at, **({"seed": seed} if seed else {})})

    def requests(self, limit: int = 1000) -> list[dict]:
        """The account's API request log, newest first."""
        return self._call("GET", "requests", {"limit": limit})["data"]

    def deliveries(self, limit: int = 1000) -> list[dict]:
        """Webhook delivery attempts, newest first."""
        return self._call("GET", "deliveries", {"limit": limit})["data"]

    def advance_clock(self, seconds: int) -> int:
        """Move the account's (frozen) clock forward; returns the new time."""
        return self._call("POST", "clock", {"advance": seconds})["now"]
