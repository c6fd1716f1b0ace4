"""Every domain action is registered with the action server, and each `action_ask_<slot>` it
finds there asks its question, with buttons the question's own parser accepts.

The actions are looked up by name in a real `ActionExecutor` (what `rasa_addons.action_server`
serves), not built from `actions.prompts`, so a question that is not registered, or is
registered under another name, fails here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

from bot import checkups
from bot.intake import flow
from bot.intake.prompts import PROMPTS

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
INTAKE_QUESTIONS = sorted(set(flow.FIELDS) - {"field_to_change", "confirm"})
CHECKUP_QUESTIONS = [*checkups.slots("policy_review"), *checkups.slots("personal_checkup")]


@cache
def registry() -> ActionExecutor:
    """The actions package registered as the action server registers it (once per run)."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def registered(name: str) -> Action:
    """The action instance the action server runs for `name` (it registers its bound `run`)."""
    actions = registry().actions
    assert name in actions, f"{name} is not registered"
    return actions[name].__self__


def asked(field: str, tracker, run) -> dict:
    """The one message `action_ask_<field>` utters; it sets nothing."""
    action = registered(f"action_ask_{field}")
    assert action.name() == f"action_ask_{field}"
    result = run(action, tracker({"intake_status": "active", "requested_slot": field}))
    assert result.events == []
    assert len(result.messages) == 1, result.messages
    return result.messages[0]


def test_every_domain_action_is_registered(domain):
    assert set(registry().actions) == set(domain["actions"])


def test_every_intake_field_but_the_change_choice_and_the_readback_has_a_question(domain):
    assert set(PROMPTS) == set(INTAKE_QUESTIONS)
    assert {f"action_ask_{f}" for f in [*INTAKE_QUESTIONS, *CHECKUP_QUESTIONS]} <= set(domain["actions"])


@pytest.mark.parametrize("field", INTAKE_QUESTIONS)
def test_each_intake_question_is_asked_with_buttons_its_parser_accepts(field, tracker, run):
    message = asked(field, tracker, run)
    assert message["text"] == PROMPTS[field]["text"]
    for button in message["buttons"]:
        assert button["title"].strip(), button
        assert flow.parse_answer(field, button["payload"], NOW).ok, button


def test_the_fixed_choice_questions_have_their_buttons(tracker, run):
    assert asked("police_involved", tracker, run)["buttons"] == [
        {"title": "Yes", "payload": "yes"},
        {"title": "No", "payload": "no"},
        {"title": "Not sure", "payload": "not sure"},
    ]
    assert asked("membership_number", tracker, run)["buttons"] == [{"title": "Skip", "payload": "skip"}]
    # A button written as one word sends that word.
    platforms = asked("platforms", tracker, run)["buttons"]
    assert platforms[0] == {"title": "Facebook", "payload": "Facebook"}
    assert platforms[-1] == {"title": "Something else", "payload": "other"}
    assert asked("description", tracker, run)["buttons"] == []


def test_stopping_is_asked_before_anything_is_deleted(tracker, run):
    message = asked("stop_confirmation", tracker, run)
    assert message["text"] == "Do you want to stop and delete what you've entered so far?"
    assert message["buttons"] == [
        {"title": "Yes, delete it", "payload": "/stop"},
        {"title": "No, carry on", "payload": "no, carry on"},
    ]


@pytest.mark.parametrize("slot", CHECKUP_QUESTIONS)
def test_each_checkup_question_is_numbered_with_buttons_its_parser_accepts(slot, tracker, run):
    kind, item, number = checkups.item_for_slot(slot)
    message = asked(slot, tracker, run)
    assert message["text"] == f"{number} of {len(checkups.CHECKUPS[kind])}: {item.question}"
    assert [b["payload"] for b in message["buttons"]] == list(item.options)
    for button in message["buttons"]:
        assert checkups.parse_answer(button["payload"], item) == button["payload"], button
        assert checkups.parse_answer(button["title"], item) == button["payload"], button


def test_the_first_policy_question_reads_as_a_member_sees_it(tracker, run):
    message = asked("review_policy_exists", tracker, run)
    assert message["text"].startswith("1 of 13: ")
    assert [b["title"] for b in message["buttons"]] == ["Yes", "Partly", "No", "Not sure"]
