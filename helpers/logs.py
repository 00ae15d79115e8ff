"""Who called whom during a checkout: the request logs as a table and a sequence diagram.

Two logs are merged, not drawn by hand:
- the checkout page's own log (`GET /back_office/requests`): what the browser asked the
  merchant server, with each request's arrival time and duration;
- the emulator's request log for the account (`GET /_emulator/requests`): every API call, with
  the key it used (publishable: the browser's Stripe.js; secret: a server), the Element iframe
  that sent it, and its arrival time.
A secret-key call made while the page was handling a request is the page's own Stripe call (it
is drawn inside that request); one outside every page request is the notebook's. The status
panel's polling is left out, and so are Stripe's webhook deliveries to the page, which arrive
whenever they arrive: the diagram counts them in a note of their own.

Requests are grouped by the scripted customer's steps (`Visit.windows()`). Within a step, the
Element iframes call the API concurrently, so their arrival order varies from run to run; each
run of consecutive browser calls is ordered by Element (Link Authentication, Address, Payment,
the 3-D Secure page, then the page's own Stripe.js), keeping each Element's own order. The result is
the same on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .panels import STATUS_PANEL_AGENT

BROWSER = "Browser"
MERCHANT = "Merchant server"
STRIPE = "Stripe"
NOTEBOOK = "Notebook"
ELEMENTS = {
    "linkAuthentication": "Link Authentication Element",
    "address": "Address Element",
    "payment": "Payment Element",
    "three_ds": "3-D Secure test page",
    None: "Stripe.js",  # the merchant page's own calls (retrieveSetupIntent after a challenge)
}
ELEMENT_ORDER = list(ELEMENTS)
_HIDDEN_PAGE_PATHS = ("/static/", "/back_office/", "/favicon")
WEBHOOK_PATH = "/webhook"  # Stripe's deliveries: asynchronous, so drawn apart from the steps
_ID = re.compile(r"\b([a-z]+(?:_[a-z]+)?)_([A-Za-z0-9]{4})[A-Za-z0-9]{6,}\b")


def short_path(path: str) -> str:
    """Ids shortened (`seti_1VjB…`), query values dropped: a path that fits in a diagram."""
    path, _, query = path.partition("?")
    path = _ID.sub(r"\1_\2…", path)
    if query:
        names = [pair.split("=", 1)[0] for pair in query.split("&") if pair]
        path += "?" + "&".join(f"{name}=…" for name in dict.fromkeys(names))
    return path


@dataclass(frozen=True)
class Call:
    """One request: who made it, to whom, and what came back."""

    step: str
    caller: str
    callee: str
    method: str
    path: str
    status: int | None
    via: str = ""  # the Element that sent a browser call
    within: int | None = None  # index of the page request a server call was made for

    @property
    def label(self) -> str:
        text = f"{self.method} {short_path(self.path)}"
        return f"{text} ({self.via})" if self.via else text


def _in(entry: dict, start: float, end: float) -> bool:
    return start < entry["received_at"] <= end


def _page_interval(entry: dict) -> tuple[float, float]:
    return entry["received_at"], entry["received_at"] + (entry["duration_ms"] or 0) / 1000


def _ordered(items: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """By arrival; each run of consecutive browser API calls ordered by Element (stable)."""
    items = sorted(items, key=lambda item: item[1]["received_at"])
    result: list[tuple[str, dict]] = []
    run: list[tuple[str, dict]] = []
    for item in [*items, ("end", {})]:
        if item[0] == "browser":
            run.append(item)
            continue
        run.sort(key=lambda entry: ELEMENT_ORDER.index(entry[1].get("element")))
        result += run
        run = []
        if item[0] != "end":
            result.append(item)
    return result


def calls(lesson: Any, visit: Any) -> list[Call]:
    """The visit's requests, step by step, in a stable order."""
    page_log = [
        entry
        for entry in lesson.page.requests()
        if not entry["path"].startswith(_HIDDEN_PAGE_PATHS) and entry["path"] != WEBHOOK_PATH
    ]
    api_log = [] if lesson.control is None else list(reversed(lesson.control.requests()))
    api_log = [entry for entry in api_log if entry.get("user_agent") != STATUS_PANEL_AGENT]
    result: list[Call] = []
    for step, start, end in visit.windows():
        pages = [entry for entry in page_log if _in(entry, start, end)]
        intervals = [_page_interval(entry) for entry in pages]
        items: list[tuple[str, dict]] = [("page", entry) for entry in pages]
        nested: dict[int, list[dict]] = {}
        for entry in api_log:
            if not _in(entry, start, end):
                continue
            if entry["key_type"] == "publishable":
                items.append(("browser", entry))
                continue
            owner = next(
                (i for i, (lo, hi) in enumerate(intervals) if lo <= entry["received_at"] <= hi),
                None,
            )
            if owner is None:
                items.append(("notebook", entry))
            else:
                nested.setdefault(id(pages[owner]), []).append(entry)
        for kind, entry in _ordered(items):
            if kind == "page":
                index = len(result)
                result.append(
                    Call(step, BROWSER, MERCHANT, entry["method"], entry["path"], entry["status"])
                )
                for inner in nested.get(id(entry), []):
                    result.append(
                        Call(
                            step,
                            MERCHANT,
                            STRIPE,
                            inner["method"],
                            inner["path"],
                            inner["status"],
                            within=index,
                        )
                    )
            else:
                caller = BROWSER if kind == "browser" else NOTEBOOK
                via = ELEMENTS[entry.get("element")] if kind == "browser" else ""
                result.append(
                    Call(step, caller, STRIPE, entry["method"], entry["path"], entry["status"], via)
                )
    return result


def calls_table(lesson: Any, visit: Any) -> pd.DataFrame:
    """The visit's requests as a table: step, from, to, request, status."""
    rows = [(c.step, c.caller, c.callee, c.label, c.status) for c in calls(lesson, visit)]
    return pd.DataFrame(rows, columns=["step", "from", "to", "request", "status"])


def api_requests(lesson: Any, limit: int = 10) -> pd.DataFrame:
    """The account's last `limit` API requests (offline: the emulator's log), oldest first.

    Real test mode keeps this log in the Dashboard (Developers → Logs); the table says so."""
    if lesson.control is None:
        return pd.DataFrame(
            [("Real test mode: see https://dashboard.stripe.com/test/logs",)], columns=["log"]
        )
    entries = [e for e in lesson.control.requests() if e.get("user_agent") != STATUS_PANEL_AGENT]
    rows = [
        (
            e["method"],
            short_path(e["path"]),
            e["status"],
            f"{e['key_type']} key",
            ELEMENTS[e.get("element")] if e["key_type"] == "publishable" else "a server",
            e["api_version"],
        )
        for e in reversed(entries[:limit])
    ]
    return pd.DataFrame(
        rows, columns=["method", "path", "status", "key", "sent by", "Stripe-Version"], dtype=object
    )


class Mermaid:
    """A Mermaid diagram: JupyterLab draws `text/vnd.mermaid`; elsewhere its source shows."""

    def __init__(self, source: str) -> None:
        self.source = source

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/vnd.mermaid": self.source, "text/plain": self.source}


def sequence_diagram(lesson: Any, visit: Any) -> Mermaid:
    """The visit's requests as a Mermaid sequence diagram, a note for each step."""
    found = calls(lesson, visit)
    names = {BROWSER: "B", MERCHANT: "M", STRIPE: "S", NOTEBOOK: "N"}
    lines = [
        "sequenceDiagram",
        "    participant B as Browser (Stripe.js, publishable key)",
        "    participant M as Merchant server (embedded_page, secret key)",
        f"    participant S as Stripe ({'offline emulator' if lesson.offline else 'test mode'})",
    ]
    if any(call.caller == NOTEBOOK for call in found):
        lines.insert(1, "    participant N as Notebook")
    step = None
    open_page: int | None = None
    for index, call in enumerate(found):
        if (call.step != step or call.within is None) and open_page is not None:
            lines.append(f"    M-->>B: {found[open_page].status}")
            open_page = None
        if call.step != step:
            step = call.step
            lines.append(f"    Note over B,S: {_safe(step)}")
        lines.append(f"    {names[call.caller]}->>{names[call.callee]}: {_safe(call.label)}")
        if call.callee == MERCHANT:
            open_page = index
        else:
            lines.append(f"    {names[call.callee]}-->>{names[call.caller]}: {call.status}")
    if open_page is not None:
        lines.append(f"    M-->>B: {found[open_page].status}")
    delivered = [
        entry
        for entry in lesson.page.requests()
        if entry["path"] == WEBHOOK_PATH and entry["received_at"] > visit.started_at
    ]
    if delivered:
        lines.append("    Note over S,M: meanwhile, asynchronously: webhooks")
        lines.append(f"    S->>M: POST /webhook ({len(delivered)} signed events)")
        lines.append(f"    M-->>S: {', '.join(sorted({str(e['status']) for e in delivered}))}")
    return Mermaid("\n".join(lines))


def _safe(text: str) -> str:
    """Mermaid message text: no characters that end a message or open a comment."""
    return text.replace(";", ",").replace("#", "").replace("%%", "%")
