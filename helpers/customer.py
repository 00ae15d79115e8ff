"""A scripted customer: the checkout page driven in headless Chromium as a person would.

    visit = helpers.customer.checkout(lesson.login_url(customer.id), email=..., card="4242…")
    visit                      # what happened, step by step, and a screenshot

A `Shopper` is one person with one browser profile: cookies (the page's session, the Link
persistent token) are kept between visits, as a returning customer's browser keeps them.
`checkout()` uses a new shopper each time. Unattended runs (nbval, CI) complete the page this way;
learners can fill the same page by hand in the notebook (`helpers.show_checkout`).

Playwright's sync API refuses to run inside a running asyncio loop (a Jupyter kernel's), so every
browser call happens on one worker thread that owns Playwright and Chromium (Debian's
`/usr/bin/chromium`, or `LINKLAB_CHROMIUM`; never `playwright install`). Where Chromium is
missing, a visit says how to install it instead of failing, and the hand-driven page still works.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import os
import shutil
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from . import hub
from .checkout_script import (
    ACTION_TIMEOUT_MS,
    run_authenticate,
    run_checkout,
    run_code,
    track_requests,
)
from .visit import Visit, masked_cookie

T = TypeVar("T")

CHROMIUM = os.environ.get("LINKLAB_CHROMIUM", "/usr/bin/chromium")
# As the project runs Chromium everywhere: no sandbox (root in containers), no GPU, and no
# background traffic to Google (this machine's network is closed; the page is on loopback).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Tall enough for the whole checkout form, so a whole-page screenshot is a clip of the viewport:
# a full_page capture resizes the viewport, and the Element iframes re-measure themselves
# mid-capture (a blank email field, a gap above the payment form).
VIEWPORT = {"width": 760, "height": 1700}
VISIT_TIMEOUT_S = 90
INSTALL_HINT = (
    "The scripted customer needs Chromium at {path}, and it is not there. Install it with "
    "`sudo apt-get install chromium` (Debian/Ubuntu), or point LINKLAB_CHROMIUM at a Chromium "
    "or Chrome binary; never `playwright install`. Meanwhile, fill in the checkout page shown "
    "above by hand: the next cells read what it saved."
)


class ChromiumMissing(RuntimeError):
    """No Chromium to drive; the message says how to install one."""


def chromium_path() -> str | None:
    return shutil.which(CHROMIUM)


class _Browser:
    """One worker thread owning Playwright and one headless Chromium, started on first use."""

    def __init__(self) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "linklab-chromium")
        self._playwright: Any = None
        self._chromium: Any = None
        self._lock = threading.Lock()

    def run(self, job: Callable[[Any], T], timeout: float = VISIT_TIMEOUT_S) -> T:
        """Run `job(chromium)` on the worker thread and return its result (or raise its error)."""
        return self._executor.submit(self._call, job).result(timeout)

    def _call(self, job: Callable[[Any], T]) -> T:
        if self._chromium is None:
            path = chromium_path()
            if path is None:
                raise ChromiumMissing(INSTALL_HINT.format(path=CHROMIUM))
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._chromium = self._playwright.chromium.launch(
                executable_path=path, headless=True, args=list(CHROMIUM_ARGS)
            )
        return job(self._chromium)

    def close(self) -> None:
        def stop(_: Any) -> None:
            if self._chromium is not None:
                self._chromium.close()
                self._playwright.stop()
            self._chromium = self._playwright = None

        if self._chromium is not None:
            try:
                self._executor.submit(stop, None).result(10)
            except Exception:  # closing at exit: nothing left to tell
                pass
        self._executor.shutdown(wait=False)


_browser: _Browser | None = None
_browser_lock = threading.Lock()


def _shared_browser() -> _Browser:
    global _browser
    with _browser_lock:
        if _browser is None:
            _browser = _Browser()
            atexit.register(_browser.close)
        return _browser


class Shopper:
    """One customer with one browser profile; visits keep its cookies."""

    def __init__(self) -> None:
        self._context: Any = None

    def _page(self, chromium: Any) -> Any:
        if self._context is None:
            self._context = chromium.new_context(viewport=VIEWPORT)
            self._context.set_default_timeout(ACTION_TIMEOUT_MS)
            hub.route_through_proxy(self._context, hub.service_prefix(os.environ))
        page = self._context.new_page()
        track_requests(page)
        return page

    def _visit(self, script: Callable[[Any, Visit], None]) -> Visit:
        visit = Visit(started_at=time.time())

        def job(chromium: Any) -> Visit:
            page = self._page(chromium)
            try:
                script(page, visit)
            except Exception as exc:  # the visit ends here; what happened so far is reported
                visit.failed(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
                visit.snapshot(page, "end")
            finally:
                page.close()
            return visit

        try:
            return _shared_browser().run(job)
        except ChromiumMissing as exc:
            return Visit(problem=str(exc))

    def checkout(self, url: str, **steps: Any) -> Visit:
        """Open `url` (a login link or a page path), fill the form as told, and save.

        Steps (all optional): email, code (Link one-time code, if Link asks), address (True:
        fill the default address unless Link filled it), card (a test card number), save_to_link
        (tick Link's opt-in; then phone), saved_method (pick a Link-saved method, e.g.
        "Visa •••• 4242"), three_ds ("Complete" or "Fail"), submit (False: stop before saving).
        """
        return self._visit(lambda page, visit: run_checkout(page, visit, url, **steps))

    def try_code(self, url: str, email: str, code: str) -> Visit:
        """A returning Link customer types `email`, then the one-time `code`; nothing is saved."""
        return self._visit(lambda page, visit: run_code(page, visit, url, email, code))

    def authenticate(self, url: str, button: str = "Complete") -> Visit:
        """Open a 3-D Secure `redirect_to_url` and press `button` ("Complete" or "Fail")."""
        return self._visit(lambda page, visit: run_authenticate(page, visit, url, button))

    def cookies(self) -> list[dict]:
        """This browser's cookies, values masked."""
        if self._context is None:
            return []
        return _shared_browser().run(
            lambda _: [masked_cookie(cookie) for cookie in self._context.cookies()]
        )

    def close(self) -> None:
        if self._context is not None:
            context, self._context = self._context, None
            _shared_browser().run(lambda _: context.close())


def checkout(url: str, **steps: Any) -> Visit:
    """One visit by a new customer (a fresh browser profile): see `Shopper.checkout`."""
    shopper = Shopper()
    try:
        return shopper.checkout(url, **steps)
    finally:
        shopper.close()


def try_code(url: str, email: str, code: str) -> Visit:
    """A returning Link customer tries one one-time code, in a fresh browser."""
    shopper = Shopper()
    try:
        return shopper.try_code(url, email, code)
    finally:
        shopper.close()


def authenticate(url: str, button: str = "Complete") -> Visit:
    """The customer answers a 3-D Secure redirect (`next_action.redirect_to_url.url`)."""
    shopper = Shopper()
    try:
        return shopper.authenticate(url, button)
    finally:
        shopper.close()


def side_by_side(moment: str = "filled", **visits: Visit):
    """Screenshots of several visits at one moment next to each other, captioned by name
    (`side_by_side(plain=visit, react=react_visit)`): one picture, composed in Chromium."""
    import base64
    import html

    from IPython.display import Image

    cells = []
    for name, visit in visits.items():
        if moment in visit.screenshots:
            data = base64.b64encode(visit.screenshots[moment]).decode()
            picture = f'<img src="data:image/jpeg;base64,{data}" width="360">'
        else:
            picture = f"<em>{html.escape(visit.problem or 'no screenshot ' + moment)}</em>"
        cells.append(
            f'<figure style="margin:0 16px 0 0">{picture}<figcaption style="font:14px sans-serif">'
            f"<code>{html.escape(name)}</code>: landed on {html.escape(visit.landed or '-')}"
            "</figcaption></figure>"
        )
    document = (
        f'<body style="margin:8px;display:flex;align-items:flex-start">{"".join(cells)}</body>'
    )

    def job(chromium: Any) -> bytes:
        page = chromium.new_page(viewport={"width": 390 * len(visits), "height": 400})
        try:
            page.set_content(document, wait_until="load")
            return page.screenshot(type="jpeg", quality=70, full_page=True)
        finally:
            page.close()

    return Image(data=_shared_browser().run(job), format="jpeg", width=390 * len(visits))
