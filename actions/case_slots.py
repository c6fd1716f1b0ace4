"""The one declared mapping between Rasa's slots and the case `bot/` builds.

`bot.intake` names what it reads after its own questions (`bot.intake.flow.FIELDS`)
and a few facts around them (the track, consent time, the AdviceLine preference, the
member's questions, a safety concern); `bot.intake.prepare.case_from_answers` turns
those answers into the `CaseDetails`. Which slot keeps each of them is domain.yml's
business, so it is declared here, in the adapter, and nowhere in `bot/`: reading goes
through `case_answers`, writing through `slot_for`. Today every answer is kept in the
slot of its question's name; this table is where the two would part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk.events import SlotSet

from bot.intake.flow import FIELDS

QUESTIONS_SLOT = "member_questions"

# What bot/ reads (its name) -> the slot that keeps it (domain.yml).
CASE_SLOTS: dict[str, str] = {
    **{question: question for question in FIELDS},
    "case_type": "case_type",
    "intake_status": "intake_status",
    "consent_given_at": "consent_given_at",
    "prefers_adviceline": "prefers_adviceline",
    "member_questions": QUESTIONS_SLOT,
    "safety_concern": "safety_concern",
}
# Slots only the conversation needs (Rasa's form bookkeeping, the reference shown to the member).
CONVERSATION_SLOTS = ("form_failures", "case_reference", "requested_slot", "stop_pending", "stop_confirmation")
# Forgotten together when an intake ends or the member asks ("safety_concern" outlives an intake).
INTAKE_SLOTS = tuple(
    dict.fromkeys([*(slot for name, slot in CASE_SLOTS.items() if name != "safety_concern"), *CONVERSATION_SLOTS])
)


def case_answers(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The answers and case facts, by bot/'s names, from a mapping of slot values."""
    return {name: slots.get(slot) for name, slot in CASE_SLOTS.items()}


def slot_for(name: str) -> str:
    """The slot that keeps one of bot/'s answers."""
    return CASE_SLOTS[name]


def answer_event(name: str, value: Any) -> SlotSet:
    return SlotSet(slot_for(name), value)
