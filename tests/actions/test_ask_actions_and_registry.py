"""The generated action_ask_<field> questions, and every domain action being registered."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk.executor import ActionExecutor

from actions.prompts import ASK_ACTIONS
from bot.intake import flow
from bot.intake.prompts import PROMPTS

NOW = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)


def expected_buttons(field: str) -> list[dict[str, str]]:
    """Buttons as PROMPTS writes them: a title, or [title, payload]."""
    out = []
    for button in PROMPTS[field].get("buttons", []):
        title, payload = (button, button) if isinstance(button, str) else button
        out.append({"title": title, "payload": payload})
    return out


@pytest.mark.parametrize("field", list(PROMPTS))
def test_each_question_is_asked_with_its_buttons(field, tracker, run):
    action = ASK_ACTIONS[field]()
    assert action.name() == f"action_ask_{field}"
    result = run(action, tracker({"intake_status": "active", "requested_slot": field}))
    assert result.events == []
    assert len(result.messages) == 1
    assert result.messages[0]["text"] == PROMPTS[field]["text"]
    assert result.messages[0]["buttons"] == expected_buttons(field)


def test_the_fixed_choice_questions_have_their_buttons():
    assert [b["payload"] for b in expected_buttons("police_involved")] == ["yes", "no", "not sure"]
    assert expected_buttons("membership_number") == [{"title": "Skip", "payload": "skip"}]
    assert expected_buttons("description") == []


@pytest.mark.parametrize("field", [f for f in PROMPTS if PROMPTS[f].get("buttons")])
def test_every_button_is_an_answer_its_question_accepts(field):
    for button in expected_buttons(field):
        assert flow.parse_answer(field, button["payload"], NOW).ok, button


def test_every_field_but_the_change_choice_and_the_readback_has_a_question():
    assert set(PROMPTS) == set(flow.FIELDS) - {"field_to_change", "confirm"}


def test_every_domain_action_is_registered(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(domain["actions"])
