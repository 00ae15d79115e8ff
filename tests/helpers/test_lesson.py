"""helpers.start_lesson: a fresh, frozen account per lesson, the SDK configured, keys masked."""

from __future__ import annotations

import pytest
import stripe

import helpers
from helpers import lesson as lesson_module


@pytest.fixture
def backend(emulator):
    """The emulator backend, pointed at the test session's emulator."""
    return helpers.load_backend({"STRIPE_API_BASE": emulator.base_url}, env_file=None)


@pytest.fixture(autouse=True)
def restore_stripe_globals(monkeypatch):
    for name in ("api_key", "api_base", "api_version", "max_network_retries"):
        monkeypatch.setattr(stripe, name, getattr(stripe, name))


def test_lesson_account_is_reset_with_a_frozen_clock(backend):
    lesson = helpers.start_lesson("90_test_lesson", backend)
    customer = lesson.client.v1.customers.create()
    assert customer.created == lesson_module.FROZEN_AT
    again = helpers.start_lesson("90_test_lesson", backend)
    assert again.client.v1.customers.list().data == []  # reset to empty
    assert again.client.v1.customers.create().id == customer.id  # ids start over


def test_lessons_do_not_see_each_others_objects(backend):
    first = helpers.start_lesson("91_first", backend)
    second = helpers.start_lesson("92_second", backend)
    customer = first.client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError):
        second.client.v1.customers.retrieve(customer.id)


def test_start_lesson_configures_the_stripe_module(backend):
    lesson = helpers.start_lesson("93_globals", backend)
    assert stripe.api_key == lesson.secret_key
    assert stripe.api_base == backend.api_base
    assert stripe.api_version == backend.api_version
    assert stripe.Customer.create().created == lesson_module.FROZEN_AT


def test_repr_shows_the_backend_without_keys_or_host(backend):
    lesson = helpers.start_lesson("94_repr", backend)
    shown = repr(lesson)
    assert shown.startswith("Lesson 94_repr on the offline emulator")
    assert lesson.secret_key not in shown and lesson.publishable_key not in shown
    assert helpers.mask_key(lesson.secret_key) in shown
    assert "127.0.0.1" not in shown


def test_a_lesson_needs_a_name(backend):
    with pytest.raises(ValueError, match="needs a name"):
        helpers.start_lesson("", backend)
