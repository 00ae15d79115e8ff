"""helpers.logs: the merged request timeline and the Mermaid diagram, for known logs."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from helpers import logs
from helpers.panels import STATUS_PANEL_AGENT
from helpers.visit import Visit


def page_entry(path, at, duration_ms=10.0, status=200, method="GET"):
    return {"method": method, "path": path, "status": status, "received_at": at,
            "duration_ms": duration_ms}  # fmt: skip


def api_entry(path, at, key="publishable", element=None, method="GET", status=200, agent="x"):
    return {"method": method, "path": path, "status": status, "received_at": at,
            "key_type": key, "element": element, "user_agent": agent, "api_version": "v"}  # fmt: skip


class FakeLesson:
    """What logs reads: the page's log (oldest first) and the emulator's (newest first)."""

    def __init__(self, page_log, api_log, offline=True):
        self.page = SimpleNamespace(requests=lambda: list(page_log))
        self.control = SimpleNamespace(requests=lambda: list(reversed(api_log)))
        self.offline = offline


def two_step_visit() -> Visit:
    visit = Visit(started_at=100.0)
    visit.steps = [("open", ""), ("save", "")]
    visit.step_ends = [110.0, 120.0]
    return visit


PAGE_LOG = [
    page_entry("/checkout", 101.0),
    page_entry("/static/checkout.js", 101.1),  # hidden
    page_entry("/secret", 102.0, duration_ms=500),
    page_entry("/order/complete?setup_intent=seti_1AbCdEfGhIjK&x=1", 115.0, 100, 307),
    page_entry("/webhook", 116.0, method="POST"),  # Stripe's delivery: asynchronous
]
API_LOG = [
    api_entry("/v1/setup_intents", 102.1, key="secret", method="POST"),  # inside GET /secret
    api_entry("/v1/setup_intents/seti_1AbCdEfGhIjK", 103.0, element="payment"),
    api_entry("/v1/setup_intents/seti_1AbCdEfGhIjK", 103.1, element="linkAuthentication"),
    api_entry("/v1/setup_intents", 104.0, key="secret", agent=STATUS_PANEL_AGENT),  # panel
    api_entry(
        "/v1/setup_intents/seti_1AbCdEfGhIjK/confirm", 111.0, element="payment", method="POST"
    ),  # fmt: skip
    api_entry("/v1/setup_intents/seti_1AbCdEfGhIjK", 115.05, key="secret"),  # inside complete
    api_entry("/v1/customers", 119.0, key="secret", method="POST"),  # the notebook's own call
]


def test_calls_attribute_each_request_to_its_caller_and_step():
    found = logs.calls(FakeLesson(PAGE_LOG, API_LOG), two_step_visit())
    assert [(c.step, c.caller, c.callee, c.method, c.path, c.via) for c in found] == [
        ("open", "Browser", "Merchant server", "GET", "/checkout", ""),
        ("open", "Browser", "Merchant server", "GET", "/secret", ""),
        ("open", "Merchant server", "Stripe", "POST", "/v1/setup_intents", ""),
        ("open", "Browser", "Stripe", "GET", "/v1/setup_intents/seti_1AbCdEfGhIjK",
         "Link Authentication Element"),
        ("open", "Browser", "Stripe", "GET", "/v1/setup_intents/seti_1AbCdEfGhIjK",
         "Payment Element"),
        ("save", "Browser", "Stripe", "POST", "/v1/setup_intents/seti_1AbCdEfGhIjK/confirm",
         "Payment Element"),
        ("save", "Browser", "Merchant server", "GET",
         "/order/complete?setup_intent=seti_1AbCdEfGhIjK&x=1", ""),
        ("save", "Merchant server", "Stripe", "GET", "/v1/setup_intents/seti_1AbCdEfGhIjK", ""),
        ("save", "Notebook", "Stripe", "POST", "/v1/customers", ""),
    ]  # fmt: skip


def test_concurrent_element_calls_get_one_order_whatever_their_arrival():
    """Three Element iframes call at once: the arrival order varies, the table does not."""
    elements = ["payment", "address", "linkAuthentication"]
    expected = None
    for seed in range(10):
        order = elements[:]
        random.Random(seed).shuffle(order)
        api = [api_entry(f"/v1/{e}", 103.0 + i / 100, element=e) for i, e in enumerate(order)]
        found = [c.via for c in logs.calls(FakeLesson([], api), two_step_visit())]
        expected = expected or found
        assert found == expected
    assert expected == ["Link Authentication Element", "Address Element", "Payment Element"]


def test_short_path_shortens_ids_and_hides_query_values():
    assert logs.short_path("/v1/setup_intents/seti_1AbCdEfGhIjK/confirm") == (
        "/v1/setup_intents/seti_1AbC…/confirm"
    )
    assert logs.short_path("/order/complete?setup_intent=seti_1A&b=2&b=3") == (
        "/order/complete?setup_intent=…&b=…"
    )


def test_sequence_diagram_for_a_known_log():
    source = logs.sequence_diagram(FakeLesson(PAGE_LOG, API_LOG), two_step_visit()).source
    assert source.splitlines() == [
        "sequenceDiagram",
        "    participant N as Notebook",
        "    participant B as Browser (Stripe.js, publishable key)",
        "    participant M as Merchant server (embedded_page, secret key)",
        "    participant S as Stripe (offline emulator)",
        "    Note over B,S: open",
        "    B->>M: GET /checkout",
        "    M-->>B: 200",
        "    B->>M: GET /secret",
        "    M->>S: POST /v1/setup_intents",
        "    S-->>M: 200",
        "    M-->>B: 200",
        "    B->>S: GET /v1/setup_intents/seti_1AbC… (Link Authentication Element)",
        "    S-->>B: 200",
        "    B->>S: GET /v1/setup_intents/seti_1AbC… (Payment Element)",
        "    S-->>B: 200",
        "    Note over B,S: save",
        "    B->>S: POST /v1/setup_intents/seti_1AbC…/confirm (Payment Element)",
        "    S-->>B: 200",
        "    B->>M: GET /order/complete?setup_intent=…&x=…",
        "    M->>S: GET /v1/setup_intents/seti_1AbC…",
        "    S-->>M: 200",
        "    M-->>B: 307",
        "    N->>S: POST /v1/customers",
        "    S-->>N: 200",
        "    Note over S,M: meanwhile, asynchronously: webhooks",
        "    S->>M: POST /webhook (1 signed events)",
        "    M-->>S: 200",
    ]


def test_diagram_renders_as_mermaid_in_jupyterlab_and_as_text_elsewhere():
    bundle = logs.Mermaid("sequenceDiagram")._repr_mimebundle_()
    assert bundle == {"text/vnd.mermaid": "sequenceDiagram", "text/plain": "sequenceDiagram"}


@pytest.mark.parametrize("text", ["a;b", "a#b", "a%%b"])
def test_message_text_cannot_break_the_diagram(text):
    assert not any(mark in logs._safe(text) for mark in (";", "#", "%%"))


def test_api_requests_on_real_test_mode_points_to_the_dashboard():
    lesson = FakeLesson([], [])
    lesson.control = None
    frame = logs.api_requests(lesson)
    assert "dashboard.stripe.com/test/logs" in frame.iloc[0, 0]
