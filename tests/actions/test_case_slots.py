"""The one mapping between Rasa's slots and the case bot/ builds (actions/case_slots.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

from actions.case_slots import CASE_SLOTS, CONVERSATION_SLOTS, INTAKE_SLOTS, answer_event, case_answers
from bot.intake.flow import FIELDS
from bot.intake.prepare import case_from_answers
from tests.support.answers import TARGETED

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_SLOTS = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"])


def test_every_slot_the_mapping_names_is_in_the_domain() -> None:
    assert set(CASE_SLOTS.values()) - DOMAIN_SLOTS == set()
    assert set(INTAKE_SLOTS) - DOMAIN_SLOTS == {"requested_slot"}  # Rasa's own form slot


def test_every_question_has_a_slot_and_the_bookkeeping_slots_do_not_reach_bot() -> None:
    assert set(FIELDS) <= set(CASE_SLOTS)
    slots = {**{CASE_SLOTS[name]: value for name, value in TARGETED.items() if name in CASE_SLOTS},
             **dict.fromkeys(CONVERSATION_SLOTS, "x")}
    answers = case_answers(slots)
    assert set(answers) == set(CASE_SLOTS)
    assert not set(CONVERSATION_SLOTS) & set(answers)
    assert case_from_answers(answers) == case_from_answers(TARGETED)


def test_an_answer_is_written_to_its_slot() -> None:
    event = answer_event("posted_by", ["pupil"])
    assert (event["name"], event["value"]) == ("posted_by", ["pupil"])
    assert answer_event("member_questions", 2)["name"] == CASE_SLOTS["member_questions"]
