"""The intents' transition tables (`resources/intent_states.py`): the only way a status moves."""

from __future__ import annotations

import pytest

from stripe_emulator import errors
from stripe_emulator.resources import intent_states as states


class _Obj:
    def __init__(self, object_name: str, status: str) -> None:
        self.object_name = object_name
        self.data = {"id": "x_1", "object": object_name, "status": status}

    def to_dict(self):
        return self.data


class _Ctx:
    publishable = False


def test_a_move_in_the_table_changes_the_status():
    intent = _Obj("payment_intent", "requires_capture")
    assert states.move(_Ctx(), intent, "capture") == "succeeded"
    assert intent.data["status"] == "succeeded"


@pytest.mark.parametrize(
    ("object_name", "code"),
    [
        ("setup_intent", "setup_intent_unexpected_state"),
        ("payment_intent", "payment_intent_unexpected_state"),
    ],
)
def test_a_move_not_in_the_table_raises_unexpected_state_and_changes_nothing(object_name, code):
    intent = _Obj(object_name, "canceled")
    with pytest.raises(errors.UnexpectedState) as info:
        states.move(_Ctx(), intent, "confirm")
    assert info.value.code == code
    assert info.value.extra[object_name]["status"] == "canceled"
    assert intent.data["status"] == "canceled"


def test_a_setup_attempt_moves_by_its_own_table():
    attempt = _Obj("setup_attempt", "requires_action")
    states.move(_Ctx(), attempt, "abandon")
    assert attempt.data["status"] == "abandoned"
    with pytest.raises(errors.UnexpectedState):
        states.move(_Ctx(), attempt, "succeed")


@pytest.mark.parametrize("object_name", sorted(states.TRANSITIONS))
def test_every_status_a_table_reaches_can_be_left_or_is_final(object_name):
    table = states.TRANSITIONS[object_name]
    final = {"succeeded", "canceled", "failed", "abandoned"}
    reached = set(table.values())
    left = {status for status, _ in table}
    assert reached - left <= final


def test_processing_is_only_left_by_an_outcome():
    outcomes = {"require_action", "succeed", "authorize", "fail", "await_confirmation", "cancel"}
    for table in (states.SETUP_INTENT, states.PAYMENT_INTENT):
        assert {event for status, event in table if status == "processing"} <= outcomes
