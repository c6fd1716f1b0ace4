"""The shared base of every guided form (the case intake and the two check-ups).

Each turn the member's message is first offered to the question being asked.
The base does what every question needs: safety first, "stop" at any point, a
catalogue question answered mid-form (then the question again), and answers
parsed with failures counted, explained and given a way out. Subclasses say
which questions to ask and how to read them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.answers import answer_topic
from actions.conversation import latest_intent, latest_text, selected_topic
from bot.adviceline import contacts_text
from bot.intake.fields import Parsed
from bot.intake.turns import Turn, classify_turn
from bot.safety import SIGNPOST_TEXT, mentions_safety_risk

SAFETY_INTENT_CONFIDENCE = 0.6
FAILURES_BEFORE_WAY_OUT = 2
FAILURES_SLOT = "form_failures"


def signpost_if_unsafe(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Threats, self-harm or crisis in the latest message: emergency help before anything else."""
    intent, confidence = latest_intent(tracker)
    if mentions_safety_risk(latest_text(tracker)) or (intent == "safety_crisis" and confidence >= SAFETY_INTENT_CONFIDENCE):
        dispatcher.utter_message(text=SIGNPOST_TEXT)
        return [SlotSet("safety_concern", True)]
    return []


class GuidedFormValidation(FormValidationAction, ABC):
    """One FormValidationAction per form, on this base."""

    status_slot = ""  # the form runs only while this slot is "active" or "editing"
    active_statuses = ("active", "editing")

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def questions(self, values: dict[str, Any]) -> list[str]:
        """The slots to ask, in order, given the answers so far."""

    @abstractmethod
    def parse(self, field: str, text: str) -> Parsed:
        """Read the member's answer to `field`."""

    @abstractmethod
    def stop(self, dispatcher: CollectingDispatcher) -> list[EventType]:
        """Say so and forget the form's answers when the member stops."""

    def free_text(self, field: str) -> bool:
        return False

    def optional(self, field: str) -> bool:
        return False

    def switch(self, dispatcher: CollectingDispatcher, turn: Turn, asked: str, parsed: Parsed) -> list[EventType]:
        return []

    def accepted(self, dispatcher: CollectingDispatcher, asked: str, value: Any) -> list[EventType]:
        return [SlotSet(asked, value)]

    def case_type(self, values: dict[str, Any]) -> str | None:
        return None

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return self.questions(dict(tracker.slots))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = dict(tracker.slots)
        if values.get(self.status_slot) not in self.active_statuses:
            return [SlotSet("requested_slot", None)]  # nothing under way: end at once
        asked = tracker.get_slot("requested_slot")
        events: list[EventType] = []
        if asked in self.questions(values) and asked in tracker.slots_to_validate():
            events = self._handle_message(dispatcher, tracker, values, asked)
            if any(e.get("name") == "requested_slot" for e in events):
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
        events: list[EventType] = [SlotSet(asked, None)] + signpost_if_unsafe(dispatcher, tracker)
        parsed = self.parse(asked, text)
        turn = classify_turn(
            text, intent, confidence, free_text=self.free_text(asked), answer_ok=parsed.ok,
            case_type=self.case_type(values), asking_description=asked == "description",
        )
        if turn.kind == "stop":
            return self.stop(dispatcher) + [SlotSet("requested_slot", None)]
        if turn.kind == "question" and (topic := selected_topic(tracker)):
            answer_topic(dispatcher, topic)
            dispatcher.utter_message(text="Now, back to where we were.")
            return events
        if turn.kind == "switch":
            return events + self.switch(dispatcher, turn, asked, parsed)
        if parsed.ok:
            return events + self.accepted(dispatcher, asked, parsed.value) + [self._failures(tracker, asked, reset=True)]
        return events + self.rejected(dispatcher, tracker, asked, parsed.problem)

    def rejected(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: str, problem: str | None) -> list[EventType]:
        failures = self._failures(tracker, asked)
        message = problem or "Sorry, I couldn't use that answer."
        buttons: list[dict[str, str]] = []
        if failures["value"][asked] >= FAILURES_BEFORE_WAY_OUT:
            if self.optional(asked):
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
        counts = dict(tracker.get_slot(FAILURES_SLOT) or {})
        counts[asked] = 0 if reset else counts.get(asked, 0) + 1
        return SlotSet(FAILURES_SLOT, counts)
