"""Validation of the case intake form: which questions, how answers are read, consent and safety."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import INTAKE_SLOTS, now_utc
from actions.guided_form import GuidedFormValidation
from bot.adviceline import contacts_text
from bot.intake import flow, messages
from bot.intake.fields import Parsed
from bot.intake.turns import Turn
from bot.safety import SIGNPOST_TEXT

ACTIVE_STATUSES = ("active", "editing")


def discard_intake_events() -> list[EventType]:
    """Forget everything the member entered in the intake."""
    return [SlotSet(name, None) for name in INTAKE_SLOTS if name != "requested_slot"]


class ValidateCaseForm(GuidedFormValidation):
    """The case intake: accused, targeted or 'other' track, then the member, consent and contact."""

    status_slot = "intake_status"

    def name(self) -> str:
        return "validate_case_form"

    def questions(self, values: dict[str, Any]) -> list[str]:
        return flow.required_fields(values)

    def parse(self, field: str, text: str) -> Parsed:
        return flow.parse_answer(field, text, now_utc())

    def free_text(self, field: str) -> bool:
        return flow.FIELDS[field].free_text

    def optional(self, field: str) -> bool:
        return flow.FIELDS[field].optional

    def case_type(self, values: dict[str, Any]) -> str | None:
        return values.get("case_type") or "other"

    def stop(self, dispatcher: CollectingDispatcher) -> list[EventType]:
        dispatcher.utter_message(text=messages.cancelled(contacts_text()))
        return discard_intake_events() + [SlotSet("intake_status", "cancelled")]

    def switch(self, dispatcher: CollectingDispatcher, turn: Turn, asked: str, parsed: Parsed) -> list[EventType]:
        dispatcher.utter_message(text=messages.SWITCHED[turn.track])
        events: list[EventType] = [SlotSet("case_type", turn.track)]
        if asked == "description" and parsed.ok:
            events.append(SlotSet(asked, parsed.value))
        return events

    def accepted(self, dispatcher: CollectingDispatcher, asked: str, value: Any) -> list[EventType]:
        events: list[EventType] = [SlotSet(asked, value)]
        if asked == "feels_unsafe" and value is True:
            dispatcher.utter_message(text=SIGNPOST_TEXT)
            events.append(SlotSet("safety_concern", True))
        if asked == "consent_share" and value is True:
            events.append(SlotSet("consent_given_at", now_utc().isoformat()))
        if asked == "field_to_change":
            events.append(SlotSet(value, None))
        return events
