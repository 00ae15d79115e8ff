"""The checkout page inside the notebook, with a live status beside it.

`show_checkout(lesson, customer)` renders the lesson's checkout page in an IFrame, logged in as
`customer` through a one-time login link, and, beside it, the customer's SetupIntents and saved
PaymentMethods, refreshed every two seconds while the learner fills in the form (for ten
minutes; "Refresh" starts again). Tag such cells `nbval-ignore-output`: widgets have no stable
text output.

The panel reads Stripe over plain HTTP with its own User-Agent (`STATUS_PANEL_AGENT`), so the
request-log views can leave its polling out.
"""

from __future__ import annotations

import html
import json
import threading
import urllib.parse
import urllib.request
from typing import Any

import ipywidgets as widgets

from . import hub

STATUS_PANEL_AGENT = "LinkLab-StatusPanel/1.0"
POLL_SECONDS = 2.0
POLL_FOR_SECONDS = 600
FRAME_WIDTH = 640
# The whole page without scrolling inside the frame: measured 1,395 px tall in Chromium at this
# width (header, form, Save button, test data), plus room for Link's code panel.
FRAME_HEIGHT = 1440

_pollers: dict[str, threading.Event] = {}  # lesson name -> stop flag of its running panel


def _get(lesson: Any, path: str, params: dict) -> dict:
    query = urllib.parse.urlencode(params, doseq=True)
    request = urllib.request.Request(
        f"{lesson.api_base}{path}?{query}",
        headers={
            "Authorization": f"Bearer {lesson.secret_key}",
            "Stripe-Version": lesson.api_version,
            "User-Agent": STATUS_PANEL_AGENT,
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _rows(items: list[list[str]], header: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = (
        "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
            for row in items
        )
        or f'<tr><td colspan="{len(header)}">none yet</td></tr>'
    )
    return (
        '<table style="font-size:12px;table-layout:fixed;width:100%;overflow-wrap:anywhere">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def status_html(lesson: Any, customer: str) -> str:
    """The customer's SetupIntents and PaymentMethods as a small HTML summary."""
    from .tables import describe_payment_method

    intents = _get(lesson, "/v1/setup_intents", {"customer": customer, "limit": 5})["data"]
    methods = _get(lesson, "/v1/payment_methods", {"customer": customer, "limit": 10})["data"]
    return (
        f"<b>Customer</b> <code>{html.escape(customer)}</code>"
        "<h4>SetupIntents</h4>"
        + _rows([[i["id"], i["status"]] for i in reversed(intents)], ["id", "status"])
        + "<h4>Saved PaymentMethods</h4>"
        + _rows(
            [[m["id"], describe_payment_method(m)] for m in reversed(methods)],
            ["id", "details"],
        )
    )


def _poll(lesson: Any, customer: str, out: widgets.HTML, stop: threading.Event) -> None:
    elapsed = 0.0
    while not stop.is_set() and elapsed < POLL_FOR_SECONDS:
        try:
            out.value = status_html(lesson, customer)
        except OSError as exc:  # the emulator restarted, the network blipped: say so, go on
            out.value = f"<i>Could not read the status: {html.escape(str(exc))}</i>"
        stop.wait(POLL_SECONDS)
        elapsed += POLL_SECONDS
    if not stop.is_set():
        out.value += "<p><i>Stopped refreshing; press Refresh to start again.</i></p>"


def _watch(lesson: Any, customer: str, out: widgets.HTML) -> None:
    previous = _pollers.pop(lesson.name, None)
    if previous is not None:
        previous.set()
    stop = threading.Event()
    _pollers[lesson.name] = stop
    threading.Thread(
        target=_poll, args=(lesson, customer, out, stop), name="linklab-status", daemon=True
    ).start()


class LiveText:
    """A widget's text form: what a notebook shows until its cell is run (committed outputs keep
    no widget state), saying what the widget is and how to get it. ipywidgets cuts a text form
    at 110 characters, so `what` stays short. Never a URL: a page's login link is a credential,
    and notebook outputs are committed."""

    what = ""

    def __repr__(self) -> str:
        return f"[live widget] {self.what}: run this cell."


class CheckoutPanel(LiveText, widgets.HBox):
    """The page and its status."""


def show_checkout(
    lesson: Any, customer: str, path: str = "/checkout", **prefill: str
) -> widgets.Widget:
    """The checkout page, logged in as `customer`, with its live status beside it
    (`path="/react"`: the same checkout in the guide's React)."""
    # The learner's browser: through the hub's proxy on a JupyterHub (helpers.hub).
    url = hub.browser_url(
        lesson.login_url(customer, path, **prefill), lesson.backend.service_prefix
    )
    frame = widgets.HTML(
        f'<iframe src="{html.escape(url)}" title="Checkout page" '
        f'style="width:{FRAME_WIDTH}px;height:{FRAME_HEIGHT}px;border:1px solid #d0d7de;'
        'border-radius:8px;background:#fff"></iframe>'
    )
    status = widgets.HTML("<i>Loading the status…</i>")
    refresh = widgets.Button(description="Refresh", icon="refresh")
    refresh.on_click(lambda _: _watch(lesson, customer, status))
    _watch(lesson, customer, status)
    side = widgets.VBox(
        [widgets.HTML("<b>Live status</b> (from the API)"), status, refresh],
        layout=widgets.Layout(width="360px", padding="0 0 0 16px"),
    )
    # A narrow notebook puts the status under the page rather than cutting it off.
    panel = CheckoutPanel([frame, side], layout=widgets.Layout(flex_flow="row wrap"))
    panel.what = f"Checkout page for {customer} and its live status"
    return panel


def stop_watching() -> None:
    """Stop every status panel's polling."""
    for stop in _pollers.values():
        stop.set()
    _pollers.clear()
