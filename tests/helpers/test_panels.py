"""helpers.panels and helpers.live_widgets: the page inside the notebook, and its status."""

from __future__ import annotations

import ipywidgets as widgets

import helpers
from helpers import panels


def test_status_lists_the_customers_setup_intents_and_methods(lesson, customer):
    lesson.client.v1.setup_intents.create(
        {"customer": customer.id, "payment_method": "pm_card_visa", "confirm": True}
    )
    html = panels.status_html(lesson, customer.id)
    assert customer.id in html
    assert "succeeded" in html and "Visa •••• 4242" in html


def test_status_says_none_yet_for_a_new_customer(lesson, customer):
    assert panels.status_html(lesson, customer.id).count("none yet") == 2


def test_status_polling_identifies_itself_and_is_left_out_of_the_logs(lesson, customer):
    panels.status_html(lesson, customer.id)
    agents = {entry["user_agent"] for entry in lesson.control.requests()}
    assert panels.STATUS_PANEL_AGENT in agents
    assert list(helpers.api_requests(lesson)["path"]) == ["/v1/customers"]  # the fixture's


def test_checkout_panel_frames_the_page_and_its_text_hides_the_login_link(lesson, customer):
    panel = helpers.show_checkout(lesson, customer.id, email=customer.email)
    try:
        frame, side = panel.children
        assert '<iframe src="http://127.0.0.1:' in frame.value and "/login/" in frame.value
        text = panel._repr_mimebundle_()["text/plain"]  # what a committed output shows
        assert (
            text
            == f"[live widget] Checkout page for {customer.id} and its live status: run this cell."
        )
        assert "/login/" not in text
        assert panel.layout.flex_flow == "row wrap"  # a narrow notebook: status under the page
    finally:
        helpers.stop_watching()


def test_live_widgets_build(lesson, customer):
    for widget in (
        helpers.otp_tester(lesson, customer.id, customer.email),
        helpers.customer_runner(lesson, customer.id),
        helpers.charge_later_button(lesson, customer.id),
    ):
        assert isinstance(widget, widgets.VBox)
        text = widget._repr_mimebundle_()["text/plain"]  # not a dump of the widget tree
        assert text.startswith("[live widget] ") and text.endswith(": run this cell.")
        assert "children=" not in text
