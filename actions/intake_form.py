"""Validation of the intake form: one FormValidationAction on a shared base.

The base does what every question needs: safety first, "stop" at any point, a
catalogue question answered mid-form, a change of track, and answers parsed by
`bot.intake.flow` with failures counted, explained and given a way out.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.answers import answer_topic
from actions.conversation import INTAKE_SLOTS, latest_intent, latest_text, now_utc, selected_topic, slot_values
from bot.adviceline import contacts_text
from bot.intake import flow, messages
from bot.intake.turns import classify_turn
from bot.safety import SIGNPOST_TEXT, mentions_safety_risk

SAFETY_INTENT_CONFIDENCE = 0.6
FAILURES_BEFORE_WAY_OUT = 2
ACTIVE_STATUSES = ("active", "editing")


def discard_intake_events() -> list[EventType]:
    """Forget everything the member entered in the intake."""
    return [SlotSet(name, None) for name in INTAKE_SLOTS if name != "requested_slot"]


class IntakeValidationBase(FormValidationAction):
    """Shared behaviour of intake forms; subclasses say which questions to ask."""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def questions(self, values: dict[str, Any]) -> list[str]:
        """The fields to ask, in order, given the answers so far."""

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return self.questions(slot_values(tracker))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = slot_values(tracker)
        if values.get("intake_status") not in ACTIVE_STATUSES:
            return [SlotSet("requested_slot", None)]  # no intake under way: end at once
        asked = tracker.get_slot("requested_slot")
        events: list[EventType] = []
        if asked in flow.FIELDS and asked in tracker.slots_to_validate():
            events = self._handle_message(dispatcher, tracker, values, asked)
            if any(isinstance(e, dict) and e.get("name") == "requested_slot" for e in events):
                return events
        for event in events:
            values[event["name"]] = event["value"]
        missing = [name for name in self.questions(values) if values.get(name) is None]
        return events + [SlotSet("requested_slot", missing[0] if missing else None)]

    def _handle_message(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, Any], asked: str
    ) -> list[EventType]:
        text = latest_text(tracker)
        intent, confidence = latest_intent(tracker)
        events: list[EventType] = [SlotSet(asked, None)]
        if mentions_safety_risk(text) or (intent == "safety_crisis" and confidence >= SAFETY_INTENT_CONFIDENCE):
            dispatcher.utter_message(text=SIGNPOST_TEXT)
            events.append(SlotSet("safety_concern", True))
        parsed = flow.parse_answer(asked, text, now_utc())
        turn = classify_turn(text, intent, confidence, asked, values.get("case_type"), parsed.ok)
        if turn.kind == "stop":
            dispatcher.utter_message(text=messages.cancelled(contacts_text()))
            return discard_intake_events() + [SlotSet("intake_status", "cancelled"), SlotSet("requested_slot", None)]
        if turn.kind == "question":
            topic = selected_topic(tracker)
            if topic:
                events += answer_topic(dispatcher, tracker, topic)
                dispatcher.utter_message(text="Now, back to your details.")
                return events
        if turn.kind == "switch":
            dispatcher.utter_message(text=self.switch_message(turn.track))
            events.append(SlotSet("case_type", turn.track))
            if asked == "description" and parsed.ok:
                events.append(SlotSet(asked, parsed.value))
            return events
        if parsed.ok:
            return events + self.accepted(dispatcher, asked, parsed.value) + [self._failures(tracker, asked, reset=True)]
        return events + self.rejected(dispatcher, tracker, asked, parsed.problem)

    def accepted(self, dispatcher: CollectingDispatcher, asked: str, value: Any) -> list[EventType]:
        return [SlotSet(asked, value)]

    def rejected(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: str, problem: str | None) -> list[EventType]:
        failures = self._failures(tracker, asked)
        count = failures["value"][asked]
        message = problem or "Sorry, I couldn't use that answer."
        buttons: list[dict[str, str]] = []
        if count >= FAILURES_BEFORE_WAY_OUT:
            if flow.FIELDS[asked].optional:
                message += " If you'd rather leave this one out, press Skip."
                buttons = [{"title": "Skip", "payload": "skip"}]
            else:
                message += (
                    " If it's easier to talk it through, you can contact the AdviceLine instead, "
                    "or type \"stop\" to end here.\n" + contacts_text()
                )
        dispatcher.utter_message(text=message, buttons=buttons)
        return [failures]

    @staticmethod
    def _failures(tracker: Tracker, asked: str, reset: bool = False) -> EventType:
        counts = dict(tracker.get_slot("intake_failures") or {})
        counts[asked] = 0 if reset else counts.get(asked, 0) + 1
        return SlotSet("intake_failures", counts)

    @staticmethod
    def switch_message(track: str | None) -> str:
        if track == "accused":
            return "Thanks, that helps. I'll ask a few questions about the complaint or allegation."
        return "Thanks, that helps. I'll ask a few questions about what's been posted about you."


class ValidateCaseForm(IntakeValidationBase):
    """The case intake: accused, targeted or 'other' track, then the member, consent and contact."""

    def name(self) -> str:
        return "validate_case_form"

    def questions(self, values: dict[str, Any]) -> list[str]:
        return flow.required_fields(values)

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
