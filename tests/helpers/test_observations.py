"""helpers.observations, helpers.webhooks, helpers.source: runners whose tables come from the
backend, webhook delivery to a lesson's page, and source excerpts."""

from __future__ import annotations

import pytest

import helpers
from helpers.source import excerpt


def test_card_outcomes_come_from_running_each_card(lesson, customer):
    frame = helpers.card_outcomes(lesson, customer.id)
    assert list(frame.columns) == ["card", "documented", "at setup", "charged off-session"]
    rows = frame.set_index("card")
    assert rows.loc["4242 4242 4242 4242", "at setup"] == "succeeded"
    assert rows.loc["4242 4242 4242 4242", "charged off-session"] == "succeeded"
    assert rows.loc["4000 0025 0000 3155", "at setup"].startswith("requires_action")
    assert rows.loc["4000 0000 0000 0002", "at setup"].startswith("402 card_declined")
    assert rows.loc["4000 0000 0000 0341", "charged off-session"].startswith("402 card_declined")
    assert len(helpers.payment_methods(lesson.client, customer.id)) == 3  # 4242, 0446, 0341


@pytest.mark.browser
def test_persistent_login_by_version(lesson, customer):
    frame = helpers.persistent_login_by_version(
        lesson, customer.id, ["2024-04-10", "2026-10-28.endive"]
    )
    assert frame.to_dict("records") == [
        {
            "API version": "2024-04-10",
            "cookie set": "yes",
            "second visit": "signed in without a code",
        },
        {"API version": "2026-10-28.endive", "cookie set": "yes", "second visit": "code asked"},
    ]
    assert lesson.page.api_version == lesson.api_version  # the page is put back


def test_webhooks_reach_the_page_and_are_verified(lesson):
    endpoint = helpers.listen(lesson, ["customer.created"])
    assert endpoint.url == lesson.page.url("/webhook")
    assert lesson.page.webhook_secret == endpoint.secret
    created = lesson.client.v1.customers.create()
    frame = helpers.received_events(lesson, ["customer.created"])
    assert frame.to_dict("records") == [
        {"event": frame["event"][0], "type": "customer.created", "object": created.id,
         "verified by the page": "yes"}
    ]  # fmt: skip
    deliveries = helpers.deliveries(lesson)
    assert list(deliveries["HTTP status"]) == [200]


def test_received_events_does_not_wait_when_the_page_cannot_receive(lesson):
    lesson.client.v1.customers.create()
    frame = helpers.received_events(lesson, ["customer.created"])
    assert list(frame["verified by the page"]) == ["no"]


def test_excerpt_quotes_the_page_source_from_start_to_end():
    code = excerpt("app.py", "def payment_method_types_param", 'return {"payment_method_types"')
    assert code.startswith("def payment_method_types_param(self)")
    assert code.endswith('return {"payment_method_types": PAYMENT_METHOD_TYPES}')


def test_an_indented_end_closes_the_block_at_that_indentation():
    code = excerpt("static/checkout.js", "form.addEventListener('submit'", "    });")
    assert code.splitlines()[-1] == "});"  # the handler's own close, not confirmSetup's
    assert "setBusy(false);" in code and "if (error) showError(error.message);" in code
    shallow = excerpt("static/checkout.js", "form.addEventListener('submit'", "});")
    assert "setBusy(false);" not in shallow  # unindented: the first `});` after the start


def test_excerpt_of_missing_text_says_so():
    with pytest.raises(ValueError, match="is not in embedded_page/app.py"):
        excerpt("app.py", "no such line anywhere")
