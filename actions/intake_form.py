"""Validation of the case intake form: which questions, how answers are read, consent, corrections and safety."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_slots import INTAKE_SLOTS, QUESTIONS_SLOT, answer_event, case_answers
from actions.conversation import now_utc
from actions.guided_form import GuidedFormValidation, Heard
from actions.storage import directory
from bot.adviceline import contacts_text
from bot.directory.matching import NONE, match_place
from bot.intake import flow, place
from bot.intake.corrections import find_corrections, sounds_like_a_correction
from bot.intake.parsing import Parsed
from bot.intake.turns import Turn
from bot.safety import SIGNPOST_TEXT, is_only_a_feeling

ACTIVE_STATUSES = ("active", "editing", "ready")
# Catalogue answers that would be wrong advice in a track: "try to have the post removed" once
# there is a complaint (it can look like hiding evidence), or apologising to someone who is a target.
UNFIT_TOPICS = {"accused": {"regret_post"}, "targeted": {"regret_post"}, "other": set()}
WHAT_NOW = re.compile(
    r"\b(?:what (?:should|do|can|shall|must) i do|what do i do now|what now|what are my options|how do i handle this|"
    r"what should i be doing|what happens now|what do i do next|what should i do next|what can i do about it)\b", re.I
)


def discard_intake_events() -> list[EventType]:
    """Forget everything the member entered in the intake."""
    return [SlotSet(name, None) for name in INTAKE_SLOTS if name != "requested_slot"]


class ValidateCaseForm(GuidedFormValidation):
    """The case intake: accused, targeted or 'other' track, then the member, consent, contact and the read-back."""

    status_slot = "intake_status"
    active_statuses = ACTIVE_STATUSES

    def name(self) -> str:
        return "validate_case_form"

    def questions(self, values: dict[str, Any]) -> list[str]:
        return flow.required_fields(case_answers(values))

    def parse(self, field: str, text: str) -> Parsed:
        parsed = flow.parse_answer(field, text, now_utc())
        if field != "work_area" or not parsed.ok:
            return parsed
        value, _ = place.read_place(parsed.value, directory())
        return Parsed(None, False, place.WHICH_ONE) if value is None else Parsed(value, True, None)

    def known_answer(self, asked: str, text: str) -> bool:
        """A town, area or postcode the directory has ("Southvale") is not danger, whatever the
        learned classifier thinks of an unfamiliar word; the written safety patterns still apply."""
        if asked != "work_area" or len(text.split()) > 6:
            return False
        return match_place(directory(), text).kind != NONE

    def rejected(self, dispatcher: CollectingDispatcher, tracker: Tracker, asked: str, problem: str | None) -> list[EventType]:
        """Several areas fit the place given: ask which, with a button for each (and Not sure)."""
        if asked == "work_area" and problem == place.WHICH_ONE:
            said = flow.parse_answer(asked, Heard.of(tracker).text, now_utc()).value
            _, found = place.read_place(said, directory())
            if found is not None:
                dispatcher.utter_message(text=problem, buttons=place.option_buttons(found))
                return []
        return super().rejected(dispatcher, tracker, asked, problem)

    def free_text(self, field: str) -> bool:
        return flow.FIELDS[field].free_text

    def proper_noun(self, field: str) -> bool:
        return flow.FIELDS[field].proper_noun

    def optional(self, field: str) -> bool:
        return flow.FIELDS[field].optional

    def case_type(self, values: dict[str, Any]) -> str | None:
        return values.get("case_type") or "other"

    def stop(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> list[EventType]:
        """Delete every answer; the track is kept (it says nothing about the member) for a change of mind."""
        dispatcher.utter_message(text=messages.cancelled(contacts_text()))
        return discard_intake_events() + [SlotSet("case_type", values.get("case_type")), SlotSet("intake_status", "cancelled")]

    def switch(self, dispatcher: CollectingDispatcher, turn: Turn, asked: str, parsed: Parsed) -> list[EventType]:
        dispatcher.utter_message(text=messages.SWITCHED[turn.track])
        events: list[EventType] = [SlotSet("case_type", turn.track)]
        if asked == "description" and parsed.ok:
            events.append(answer_event(asked, parsed.value))
        return events

    # --- what is not an answer ------------------------------------------------------------------

    def fits(self, topic: str, values: dict[str, Any]) -> bool:
        return topic not in UNFIT_TOPICS[self.case_type(values) or "other"]

    def not_fitting(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> None:
        dispatcher.utter_message(text=messages.TRACK_GUIDANCE[self.case_type(values) or "other"])

    def own_question(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What should I do now? gets what fits the track; anything else an honest "an adviser can tell you"."""
        values = dict(tracker.slots)
        if WHAT_NOW.search(Heard.of(tracker).text):
            self.not_fitting(dispatcher, values)
        else:
            dispatcher.utter_message(text=messages.CANT_ANSWER_IN_INTAKE)
        return [SlotSet(QUESTIONS_SLOT, int(values.get(QUESTIONS_SLOT) or 0) + 1)]

    def feeling_not_answer(self, asked: str, heard: Heard) -> bool:
        return asked == "description" and heard.distressed and is_only_a_feeling(heard.text)

    def corrected(self, dispatcher: CollectingDispatcher, values: dict[str, Any], asked: str, text: str, parsed: Parsed
                  ) -> list[EventType] | None:
        """A correction of earlier answers: applied and said back; with the answer to this question if it has one."""
        if asked not in ("confirm", "field_to_change") and self.free_text(asked) and not sounds_like_a_correction(text):
            return None  # a description, a name: their own words, not a correction
        values = case_answers(values)
        case_fields = flow.correctable_fields(values)
        answered = [f for f in case_fields if f != asked and (values.get(f) is not None or asked == "confirm")]
        found = find_corrections(text, answered, now_utc(), case_fields)
        if not found:
            return None
        if "work_area" in found.values:  # matched in the directory; several places fitting means asking again
            found.values["work_area"], _ = place.read_place(found.values["work_area"], directory())
        events: list[EventType] = [answer_event(name, value) for name, value in found.values.items()]
        changed = {**values, **found.values}
        shown = [name for name in found.values if changed[name] is not None]
        if shown:
            dispatcher.utter_message(text=messages.changed_answers(
                [(flow.FIELDS[name].label, flow.display_value(name, changed[name])) for name in shown]
            ))
        if found.not_in_this_case:
            labels = [flow.FIELDS[n].label for n in found.not_in_this_case if n in flow.FIELDS]
            dispatcher.utter_message(text=messages.not_in_this_case(labels, [f.label for f in flow.changeable_fields(values)]))
        if parsed.ok and asked not in ("confirm", "field_to_change") and not self.free_text(asked):
            events += self.accepted(dispatcher, None, asked, parsed.value)
        return events

    # --- an answer ------------------------------------------------------------------------------

    def accepted(self, dispatcher: CollectingDispatcher, tracker: Tracker | None, asked: str, value: Any) -> list[EventType]:
        if asked == "confirm":
            return self._confirmed(dispatcher, value)
        events: list[EventType] = [answer_event(asked, value)]
        if asked == "feels_unsafe" and value is True:
            dispatcher.utter_message(text=SIGNPOST_TEXT)
            events.append(SlotSet("safety_concern", True))
        if asked == "consent_share" and value is True:
            events.append(SlotSet("consent_given_at", now_utc().isoformat()))
        if asked == "field_to_change":
            events.append(answer_event(value, None))
        return events

    @staticmethod
    def _confirmed(dispatcher: CollectingDispatcher, choice: str) -> list[EventType]:
        """Send (the form ends and the case is sent), change an answer, or the AdviceLine instead."""
        if choice == "send":
            return [SlotSet("confirm", "send")]
        if choice == "change":
            return [SlotSet("intake_status", "editing"), SlotSet("field_to_change", None), SlotSet("confirm", None)]
        dispatcher.utter_message(text=messages.TO_ADVICELINE)
        return [SlotSet("prefers_adviceline", True), SlotSet("confirm", None)]
