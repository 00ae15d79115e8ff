"""helpers.start_lesson: a fresh, frozen account per lesson, the SDK configured, keys masked."""

from __future__ import annotations

import pytest
import stripe

import helpers
from helpers import lesson as lesson_module
from helpers.page import page_port


def test_lesson_account_is_reset_with_a_frozen_clock(backend):
    lesson = helpers.start_lesson("90_test_lesson", backend, page=False)
    customer = lesson.client.v1.customers.create()
    assert customer.created == lesson_module.FROZEN_AT
    again = helpers.start_lesson("90_test_lesson", backend, page=False)
    assert again.client.v1.customers.list().data == []  # reset to empty
    assert again.client.v1.customers.create().id == customer.id  # ids start over


def test_lessons_do_not_see_each_others_objects(backend):
    first = helpers.start_lesson("91_first", backend, page=False)
    second = helpers.start_lesson("92_second", backend, page=False)
    customer = first.client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError):
        second.client.v1.customers.retrieve(customer.id)


def test_start_lesson_configures_the_stripe_module(backend):
    lesson = helpers.start_lesson("93_globals", backend, page=False)
    assert stripe.api_key == lesson.secret_key
    assert stripe.api_base == backend.api_base
    assert stripe.api_version == backend.api_version
    assert stripe.Customer.create().created == lesson_module.FROZEN_AT


def test_repr_shows_the_backend_without_keys_or_host(lesson):
    shown = repr(lesson)
    assert shown.startswith(f"Lesson {lesson.name} on the offline emulator")
    assert "checkout page    /checkout (API version" in shown
    assert lesson.secret_key not in shown and lesson.publishable_key not in shown
    assert helpers.mask_key(lesson.secret_key) in shown
    assert "127.0.0.1" not in shown


def test_a_lesson_needs_a_name(backend):
    with pytest.raises(ValueError, match="needs a name"):
        helpers.start_lesson("", backend)


def test_the_lessons_page_serves_its_account(lesson):
    status, body = lesson.page.fetch("/config")
    assert status == 200
    assert body["publishableKey"] == lesson.publishable_key
    assert lesson.page.base_url.endswith(f":{page_port(lesson.backend, lesson.name)}")


def test_lesson_nn_gets_port_base_plus_nn(backend):
    assert page_port(backend, "02_payment_form") == backend.page_ports + 2
    assert page_port(backend, "07_webhooks_and_logs") == backend.page_ports + 7
    assert backend.page_ports + 100 <= page_port(backend, "tests") < backend.page_ports + 200


def test_a_login_link_logs_a_browser_in_as_the_customer(lesson, customer):
    url = lesson.login_url(customer.id, email=customer.email)
    assert "/login/" in url and customer.id not in url


def test_restarting_the_page_changes_its_api_version(lesson):
    lesson.restart_page(api_version="2024-04-10")
    assert lesson.page.fetch("/config")[1]["apiVersion"] == "2024-04-10"
    assert "API version 2024-04-10" in repr(lesson)


def test_servers_table_shows_paths_not_ports(lesson):
    frame = lesson.servers()
    assert list(frame["server"]) == ["Stripe API", "Stripe.js", "checkout page"]
    assert not frame.astype(str).apply(lambda col: col.str.contains("127.0.0.1")).any().any()


def test_advance_clock_moves_the_accounts_frozen_clock(lesson):
    assert lesson.advance_clock(days=7) == "The account's clock now reads 2026-11-09T09:00:00Z."
    assert lesson.client.v1.customers.create().created == lesson_module.FROZEN_AT + 7 * 86400
