"""The shared base of every guided form (the case intake and the two check-ups).

Each turn the member's message is first offered to the question being asked.
The base does what every question needs, in this order:

1. danger first: 999 and Samaritans at once (then the message is still read);
2. distress that is not danger: a kind sentence and Education Support, once;
3. "stop": only an unmistakable stop deletes; anything that merely sounds like
   one ("wait, stop, the date is wrong") is asked about first, and if the member
   says no, what they typed is read as it would have been;
4. what is not an answer: a message in another language, a "did you mean"
   choice, a catalogue question (answered if it fits this form), the member's
   own question (acknowledged honestly), a correction of an earlier answer;
5. the answer itself, parsed, with failures counted, explained and given a way out.

Subclasses say which questions to ask, how to read them, and (for the intake)
how to read corrections and which catalogue answers fit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import messages
from actions.answers import answer_topic
from actions.conversation import ERASE_ACTION, latest_intent, latest_text, selected_topic
from actions.understanding import chosen_topic, offer_options
from bot.adviceline import contacts_text
from bot.intake.parsing import Parsed
from bot.intake.turns import Turn, asks_to_erase, classify_turn, looks_like_question
from bot.language import not_english_replies
from bot.safety import DISTRESS_TEXT, SIGNPOST_TEXT, mentions_distress, mentions_safety_risk

SAFETY_INTENT_CONFIDENCE = 0.6
FAILURES_BEFORE_WAY_OUT = 2
FAILURES_SLOT = "form_failures"
STOP_PENDING_SLOT = "stop_pending"  # {"text", "asked"}: the message that sounded like a stop, while we ask
STOP_CONFIRMATION = "stop_confirmation"  # the form's question "Do you want to stop and delete...?"
DISTRESS_SLOT = "distress_signposted"


@dataclass(frozen=True)
class Heard:
    """The latest message as the NLU pipeline read it."""

    text: str
    intent: str | None
    confidence: float
    wellbeing: str | None  # "danger", "distress" or None (rasa_addons.safety_override)

    @classmethod
    def of(cls, tracker: Tracker) -> Heard:
        intent, confidence = latest_intent(tracker)
        return cls(latest_text(tracker), intent, confidence, tracker.latest_message.get("wellbeing"))

    @property
    def in_danger(self) -> bool:
        return (
            self.wellbeing == "danger"
            or mentions_safety_risk(self.text)
            or (self.intent == "safety_crisis" and self.confidence >= SAFETY_INTENT_CONFIDENCE)
        )

    @property
    def distressed(self) -> bool:
        return not self.in_danger and (self.wellbeing == "distress" or mentions_distress(self.text))

    @property
    def is_button(self) -> bool:
        return self.text.startswith("/")


def signpost_if_unsafe(dispatcher: CollectingDispatcher, tracker: Tracker, trust_learned: bool = True) -> list[EventType]:
    """Threats, self-harm or crisis in the latest message: emergency help before anything else.

    `trust_learned=False` listens only to the written safety patterns, not the learned
    classifier: for an answer the form knows is something else (a town in the directory).
    """
    heard = Heard.of(tracker)
    if heard.in_danger if trust_learned else mentions_safety_risk(heard.text):
        dispatcher.utter_message(text=SIGNPOST_TEXT)
        return [SlotSet("safety_concern", True)]
    return []


def acknowledge_distress(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Distress that is not danger: a kind word and Education Support, the first time in a conversation."""
    if not Heard.of(tracker).distressed:
        return []
    if tracker.get_slot(DISTRESS_SLOT):
        dispatcher.utter_message(text=messages.DISTRESS_AGAIN)
        return []
    dispatcher.utter_message(text=DISTRESS_TEXT)
    return [SlotSet(DISTRESS_SLOT, True)]


class GuidedFormValidation(FormValidationAction, ABC):
    """One FormValidationAction per form, on this base."""

    status_slot = ""  # the form runs only while this slot is in `active_statuses`
    active_statuses: tuple[str, ...] = ("active", "editing")

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def questions(self, values: dict[str, Any]) -> list[str]:
        """The slots to ask, in order, given the answers so far."""

    @abstractmethod
    def parse(self, field: str, text: str) -> Parsed:
        """Read the member's answer to `field`."""

    @abstractmethod
    def stop(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> list[EventType]:
        """Say so and forget the form's answers when the member stops."""

    def erase(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> list[EventType]:
        """Stop, then erase the whole conversation from storage (`action_delete_my_data`, which
        the tracker store acts on, says so): "please delete everything I've said"."""
        events = self.stop(CollectingDispatcher(), values)  # its "stopped" message is not said
        return events + [FollowupAction(ERASE_ACTION)]

    def free_text(self, field: str) -> bool:
        return False

    def proper_noun(self, field: str) -> bool:
        """A name or a place: the language gate's "not English" does not apply to it."""
        return False

    def optional(self, field: str) -> bool:
        return False

    def switch(self, dispatcher: CollectingDispatcher, turn: Turn, asked: str, parsed: Parsed) -> list[EventType]:
        return []

    def accepted(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: str, value: Any) -> list[EventType]:
        return [SlotSet(asked, value)]

    def case_type(self, values: dict[str, Any]) -> str | None:
        return None

    def fits(self, topic: str, values: dict[str, Any]) -> bool:
        """Whether this catalogue answer fits the form under way (all do, unless a subclass says)."""
        return True

    def not_fitting(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> None:
        """What to say instead of a catalogue answer that doesn't fit the form under way."""

    def corrected(self, dispatcher: CollectingDispatcher, values: dict[str, Any], asked: str, text: str, parsed: Parsed
                  ) -> list[EventType] | None:
        """Events for a correction of an earlier answer in `text`, or None if it corrects nothing."""
        return None

    def own_question(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The member asked something this form can't answer."""
        dispatcher.utter_message(text=messages.CANT_ANSWER_HERE)
        return []

    def known_answer(self, asked: str, text: str) -> bool:
        """Whether `text` is recognisably an answer that cannot be a cry for help (a place the
        directory has): then the learned danger classifier is not listened to, only the patterns."""
        return False

    def feeling_not_answer(self, asked: str, heard: Heard) -> bool:
        """Whether a feeling was given where an answer was asked for (then ask again, gently)."""
        return False

    def _questions(self, values: dict[str, Any]) -> list[str]:
        """The form's questions, with "do you want to stop?" first while that is being asked."""
        return ([STOP_CONFIRMATION] if values.get(STOP_PENDING_SLOT) else []) + self.questions(values)

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return self._questions(dict(tracker.slots))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = dict(tracker.slots)
        if values.get(self.status_slot) not in self.active_statuses:
            return [SlotSet("requested_slot", None)]  # nothing under way: end at once
        asked = tracker.get_slot("requested_slot")
        events: list[EventType] = []
        if asked in self._questions(values) and asked in tracker.slots_to_validate():
            events = self._handle_message(dispatcher, tracker, values, asked)
            if any(e.get("name") == "requested_slot" for e in events):
                return events
        for event in events:
            values[event["name"]] = event["value"]
        missing = [name for name in self._questions(values) if values.get(name) is None]
        return events + [SlotSet("requested_slot", missing[0] if missing else None)]

    # --- one message -----------------------------------------------------------------------

    def _handle_message(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, Any], asked: str
    ) -> list[EventType]:
        heard = Heard.of(tracker)
        trust_learned = not self.known_answer(asked, heard.text)
        events: list[EventType] = [SlotSet(asked, None)] + signpost_if_unsafe(dispatcher, tracker, trust_learned)
        events += acknowledge_distress(dispatcher, tracker)
        if asked == STOP_CONFIRMATION:
            return events + self._after_asking_to_stop(dispatcher, tracker, values, heard)
        return events + self._read(dispatcher, tracker, values, asked, heard)

    def _after_asking_to_stop(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, Any], heard: Heard
    ) -> list[EventType]:
        """The member answered "do you want to stop?": yes deletes; no reads what they typed before."""
        pending = values.get(STOP_PENDING_SLOT) or {}
        cleared = [SlotSet(STOP_PENDING_SLOT, None), SlotSet(STOP_CONFIRMATION, None)]
        if heard.text.strip() == "/stop" or heard.intent in ("affirm", "stop", "confirm_send"):
            return cleared + self.stop(dispatcher, values) + [SlotSet("requested_slot", None)]
        dispatcher.utter_message(text=messages.CARRYING_ON)
        asked = pending.get("asked")
        if asked not in self.questions(values):
            return cleared
        earlier = Heard(pending.get("text") or "", None, 0.0, None)
        return cleared + [SlotSet(asked, None)] + self._read(dispatcher, tracker, values, asked, earlier, may_stop=False)

    def _read(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, Any], asked: str,
        heard: Heard, may_stop: bool = True,
    ) -> list[EventType]:
        parsed = self.parse(asked, heard.text)
        turn = classify_turn(
            heard.text, heard.intent, heard.confidence, free_text=self.free_text(asked), answer_ok=parsed.ok,
            case_type=self.case_type(values), asking_description=asked == "description",
        )
        if turn.kind == "stop" and may_stop:
            if asks_to_erase(heard.text, heard.intent):
                return self.erase(dispatcher, values) + [SlotSet("requested_slot", None)]
            return self.stop(dispatcher, values) + [SlotSet("requested_slot", None)]
        if turn.kind == "maybe_stop" and may_stop:
            return [SlotSet(STOP_PENDING_SLOT, {"text": heard.text, "asked": asked})]  # the form asks first
        if turn.kind == "switch":  # before corrections: "actually it's pupils who made a fake Instagram" is a new track
            return self.switch(dispatcher, turn, asked, parsed)
        handled = self._not_an_answer(dispatcher, tracker, values, asked, heard, turn, parsed)
        if handled is not None:
            return handled
        if self.feeling_not_answer(asked, heard):
            dispatcher.utter_message(text=messages.GENTLE_REASK)
            return []
        if parsed.ok:
            return self.accepted(dispatcher, tracker, asked, parsed.value) + [self._failures(tracker, asked, reset=True)]
        return self.rejected(dispatcher, tracker, asked, parsed.problem)

    def _not_an_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, values: dict[str, Any], asked: str,
        heard: Heard, turn: Turn, parsed: Parsed,
    ) -> list[EventType] | None:
        """Another language, a topic picked, a question, a correction: handled, then the question again."""
        if heard.intent == "other_language" and not (parsed.ok and self.proper_noun(asked)):
            for text in not_english_replies(tracker.latest_message.get("language")):
                dispatcher.utter_message(text=text)
            return []
        if heard.intent == "choose_topic" and (topic := chosen_topic(tracker)):
            return self._answer(dispatcher, values, topic)
        if heard.is_button and heard.intent == "nlu_fallback":  # "Something else" from "did you mean"
            dispatcher.utter_message(text=messages.SOMETHING_ELSE_MID_FORM)
            return []
        if heard.intent == "did_you_mean" and not parsed.ok and looks_like_question(heard.text):
            offer_options(dispatcher, tracker)
            return []
        if turn.kind == "question" and (topic := selected_topic(tracker)):
            return self._answer(dispatcher, values, topic)
        if not heard.is_button:
            correction = self.corrected(dispatcher, values, asked, heard.text, parsed)
            if correction is not None:
                return correction
        if not parsed.ok and looks_like_question(heard.text) and not heard.is_button:
            return self.own_question(dispatcher, tracker)
        return None

    def _answer(self, dispatcher: CollectingDispatcher, values: dict[str, Any], topic: str) -> list[EventType]:
        if self.fits(topic, values):
            answer_topic(dispatcher, topic)
        else:
            self.not_fitting(dispatcher, values)
        dispatcher.utter_message(text=messages.BACK_TO_IT)
        return []

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
