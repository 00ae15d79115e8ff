"""What one scripted visit of the checkout page did: its steps, where it landed, what the page
showed, the Link cookie, and screenshots. Displayed in a notebook as a table and a picture."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .backend import mask_key

SCREENSHOT_QUALITY = 60  # JPEG: a form is legible, and a notebook stays small
# The page's height once its layout has settled: unchanged over three checks 50 ms apart (an
# Element's frame resizes itself a moment after its content changes), at most 2 s. A picture
# taken before that has a blank band of varying height, so a lesson's pictures would differ
# from run to run.
_SETTLED_BOTTOM = """() => new Promise((resolve) => {
  const started = performance.now();
  let last = -1, same = 0;
  const check = () => {
    const bottom = Math.ceil(document.body.getBoundingClientRect().bottom) + 16;
    same = bottom === last ? same + 1 : 0;
    last = bottom;
    if (same >= 3 || performance.now() - started > 2000) resolve(bottom);
    else setTimeout(check, 50);
  };
  check();
})"""


def masked_cookie(cookie: dict) -> dict:
    """A cookie as Playwright reports it, its value masked and its expiry in days."""
    expires = cookie.get("expires", -1)
    if expires and expires > 0:
        now = datetime.datetime.now(datetime.UTC).timestamp()
        lifetime = f"{round((expires - now) / 86400)} days"
    else:
        lifetime = "session"
    return {
        "name": cookie["name"],
        "value": mask_key(cookie["value"]),
        "domain": cookie["domain"],
        "path": cookie["path"],
        "expires in": lifetime,
        "HttpOnly": cookie["httpOnly"],
        "Secure": cookie["secure"],
        "SameSite": cookie["sameSite"],
    }


@dataclass
class Visit:
    """The record of one visit. `problem` is set when the visit could not run at all."""

    steps: list[tuple[str, str]] = field(default_factory=list)
    landed: str | None = None  # the path the browser ended on, e.g. "/order/success"
    messages: list[str] = field(default_factory=list)  # errors and notices the page showed
    saved: dict[str, str] = field(default_factory=dict)  # the success page's details
    link: str | None = None  # Link's state in the page: "signed in", "code asked", …
    cookie: dict | None = None  # the persistent-token cookie, masked
    screenshots: dict[str, bytes] = field(default_factory=dict)
    problem: str | None = None
    # When the visit started and when each step ended (unix seconds): the windows in which the
    # servers' logs show each step's requests (helpers.logs). Never displayed.
    started_at: float = 0.0
    step_ends: list[float] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return self.problem is None and not any(step == "failed" for step, _ in self.steps)

    def step(self, name: str, detail: str = "") -> None:
        self.steps.append((name, detail))
        self.step_ends.append(time.time())

    def failed(self, detail: str) -> None:
        self.step("failed", detail)

    def windows(self) -> list[tuple[str, float, float]]:
        """(step, start, end) for each step: the time its requests were made in."""
        starts = [self.started_at, *self.step_ends[:-1]]
        return [
            (name, start, end)
            for (name, _), start, end in zip(self.steps, starts, self.step_ends, strict=True)
        ]

    def note(self, message: str) -> None:
        if message and message not in self.messages:
            self.messages.append(message)

    def snapshot(self, page: Any, moment: str, whole_page: bool = True) -> None:
        """A JPEG of the page now (the whole page, or what the viewport shows)."""
        try:
            size = page.viewport_size or {"width": 0, "height": 0}
            used = page.evaluate(_SETTLED_BOTTOM)
            fits = whole_page and 0 < used <= size["height"]
            self.screenshots[moment] = page.screenshot(
                type="jpeg",
                quality=SCREENSHOT_QUALITY,
                clip={"x": 0, "y": 0, "width": size["width"], "height": used} if fits else None,
                full_page=whole_page and not fits,
            )
        except Exception as exc:  # a closed page cannot be pictured; the steps still tell
            self.step("screenshot", f"{moment}: not taken ({type(exc).__name__})")

    def land(self, url: str) -> None:
        self.landed = urlsplit(url).path

    # -- display -----------------------------------------------------------------------------

    def table(self):
        """The steps as a DataFrame: step, what happened."""
        import pandas as pd

        rows = self.steps or [("not run", self.problem or "")]
        return pd.DataFrame(rows, columns=["step", "what happened"])

    def cookie_table(self):
        """The Link persistent-token cookie's attributes, as the browser stored them."""
        import pandas as pd

        if self.cookie is None:
            return pd.DataFrame(columns=["attribute", "value"])
        return pd.DataFrame(list(self.cookie.items()), columns=["attribute", "value"])

    def screenshot(self, moment: str = "end"):
        """An IPython Image of the page at `moment` ("filled", "challenge", "end", …)."""
        from IPython.display import Image

        if moment not in self.screenshots:
            raise KeyError(f"No screenshot {moment!r}; taken: {sorted(self.screenshots)}")
        return Image(data=self.screenshots[moment], format="jpeg", width=480)

    def __repr__(self) -> str:
        if self.problem:
            return self.problem
        lines = [f"{name}: {detail}" if detail else name for name, detail in self.steps]
        return "\n".join(lines)

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        if self.problem:
            display(Markdown(f"**The scripted customer did not run.** {self.problem}"))
            return
        display(self.table())
        if "end" in self.screenshots:
            display(self.screenshot("end"))
