"""The case intake around its form: starting it, the read-back, sending, changing, stopping."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import config, messages
from actions.conversation import latest_intent, latest_text, now_utc, sent_reference, slot_values, transcript
from actions.guided_form import acknowledge_distress, signpost_if_unsafe
from actions.intake_form import ACTIVE_STATUSES, discard_intake_events
from actions.storage import case_database
from bot.adviceline import contacts_text, live_status_line
from bot.intake import flow
from bot.intake.prepare import PreparedCase, prepare_case
from bot.intake.submit import submit
from bot.intake.turns import is_unmistakable_stop, wants_help_again
from bot.safety import DISTRESS_TEXT, SIGNPOST_TEXT

log = logging.getLogger(__name__)
TRACK_OF_INTENT = {"report_accused": "accused", "report_targeted": "targeted", "request_human": "other"}


def prepared_case(tracker: Tracker, values: dict[str, Any], now: datetime) -> PreparedCase:
    """The case as bot/ prepares it (reference, triage, destination): the read-back shows it, Send stores it."""
    return prepare_case(
        case_database(),
        values,
        now,
        reference=tracker.get_slot("case_reference"),
        nation=config.settings().uk_nation,
        conversation_id=tracker.sender_id,
        transcript=transcript(tracker),
    )


def show_readback(dispatcher: CollectingDispatcher, values: dict[str, Any], prepared: PreparedCase) -> None:
    dispatcher.utter_message(
        text=messages.readback(flow.readback_lines(values), prepared.destination.name, prepared.triage),
        buttons=messages.readback_buttons(prepared.triage),
    )


def submit_case(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Send the case awaiting confirmation; safe to repeat (idempotent on its reference)."""
    values = slot_values(tracker)
    if values.get("intake_status") != "ready":
        dispatcher.utter_message(text=messages.nothing_to_send(sent_reference(tracker)))
        return []
    # The read-back gave the case its reference (case_reference); the same preparation is sent.
    reference = tracker.get_slot("case_reference")
    now = now_utc()
    try:
        prepared = prepared_case(tracker, values, now)
        reference = prepared.reference
        result = submit(case_database(), prepared, now)
    except SQLAlchemyError:
        log.exception("case %s could not be stored", reference)
        dispatcher.utter_message(text=messages.store_failed(contacts_text()))
        return [SlotSet("case_reference", reference)]
    log.info("case %s submitted (%s, %s, %s)", reference, result.triage.urgency, result.triage.route, result.destination.id)
    destination = result.destination
    texts = messages.sent(
        result.reference, destination.name, result.triage, live_status_line(), contacts_text(), destination.contact
    )
    for text in texts:
        dispatcher.utter_message(text=text)
    if values.get("case_type") == "targeted":
        for text in messages.targeted_signposts(values.get("evidence_kept")):
            dispatcher.utter_message(text=text)
    return discard_intake_events() + [SlotSet("case_reference", reference), SlotSet("intake_status", "sent")]


def start_intake(dispatcher: CollectingDispatcher, tracker: Tracker, track: str) -> list[EventType]:
    """Kindly say what will happen and begin the track; after a stop, say the earlier answers are gone."""
    events: list[EventType] = discard_intake_events() + signpost_if_unsafe(dispatcher, tracker)
    events += acknowledge_distress(dispatcher, tracker)
    if tracker.get_slot("intake_status") == "cancelled":
        dispatcher.utter_message(text=messages.STARTING_AGAIN)
    dispatcher.utter_message(text=messages.ACKNOWLEDGEMENTS[track])
    return events + [SlotSet("case_type", track), SlotSet("intake_status", "active"), SlotSet("requested_slot", None)]


def track_to_start(tracker: Tracker) -> str:
    """The track the member's words ask for; "I do want help" after a stop picks up the track they left."""
    intent, _ = latest_intent(tracker)
    if intent in ("report_accused", "report_targeted"):
        return TRACK_OF_INTENT[intent]
    if tracker.get_slot("intake_status") == "cancelled" and tracker.get_slot("case_type"):
        return tracker.get_slot("case_type")
    return TRACK_OF_INTENT.get(intent or "", "other")


class ActionStartIntake(Action):
    """Acknowledges kindly, says what will happen, and sets the track."""

    def name(self) -> str:
        return "action_start_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return start_intake(dispatcher, tracker, track_to_start(tracker))


class ActionAskConfirm(Action):
    """The read-back, the intake's last question: everything it will send, and Send / Change / Cancel."""

    def name(self) -> str:
        return "action_ask_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = slot_values(tracker)
        values.update(intake_status="ready", field_to_change=None)
        prepared = prepared_case(tracker, values, now_utc())
        show_readback(dispatcher, values, prepared)
        return [SlotSet("intake_status", "ready"), SlotSet("field_to_change", None), SlotSet("case_reference", prepared.reference)]


class ActionCaseFormDone(Action):
    """After the form: nothing (cancelled), nothing kept (declined) or the case sent."""

    def name(self) -> str:
        return "action_case_form_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = slot_values(tracker)
        status = values.get("intake_status")
        if status not in ACTIVE_STATUSES:
            return []
        if values.get("consent_share") is False:
            dispatcher.utter_message(text=messages.declined(live_status_line(), contacts_text()))
            return discard_intake_events()
        if values.get("confirm") == "send":
            return submit_case(dispatcher, tracker)
        return []


class ActionSubmitCase(Action):
    def name(self) -> str:
        return "action_submit_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return submit_case(dispatcher, tracker)


class ActionBeginChange(Action):
    """'Change an answer' at the read-back: the form then asks which, and that question again.

    With no case awaiting confirmation the form that follows ends at once (see
    IntakeValidationBase.run), so nothing new is started by mistake.
    """

    def name(self) -> str:
        return "action_begin_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("intake_status") != "ready":
            dispatcher.utter_message(text=messages.nothing_to_change(sent_reference(tracker)))
            return []
        return [
            SlotSet("intake_status", "editing"),
            SlotSet("field_to_change", None),
            SlotSet("confirm", None),
            SlotSet("requested_slot", None),
        ]


class ActionAskFieldToChange(Action):
    def name(self) -> str:
        return "action_ask_field_to_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        fields = flow.changeable_fields(slot_values(tracker))
        dispatcher.utter_message(
            text="Which answer would you like to change?",
            buttons=[{"title": f.label, "payload": f.label} for f in fields],
        )
        return []


class ActionPreferAdviceline(Action):
    """The member chooses the AdviceLine over the suggested rep or branch."""

    def name(self) -> str:
        return "action_prefer_adviceline"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        values = slot_values(tracker)
        if values.get("intake_status") == "ready":
            values["prefers_adviceline"] = True
            dispatcher.utter_message(text="Of course, I'll send it to the AdviceLine instead.")
            show_readback(dispatcher, values, prepared_case(tracker, values, now_utc()))
        else:
            dispatcher.utter_message(text=f"{live_status_line()}\n{contacts_text()}")
        return [SlotSet("prefers_adviceline", True)]


class ActionStop(Action):
    """'Stop' outside the form: discards a case awaiting confirmation, if the member means it."""

    def name(self) -> str:
        return "action_stop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("intake_status") in ("ready", "editing", "active"):
            text = tracker.latest_message.get("text") or ""
            if text.strip() != "/stop" and not is_unmistakable_stop(text):
                dispatcher.utter_message(text=messages.ASK_BEFORE_STOPPING, buttons=messages.ASK_BEFORE_STOPPING_BUTTONS)
                return []
            dispatcher.utter_message(text=messages.cancelled(contacts_text()))
            return discard_intake_events() + [SlotSet("case_type", tracker.get_slot("case_type")), SlotSet("intake_status", "cancelled")]
        dispatcher.utter_message(text="OK. Is there anything else I can help with?", buttons=messages.MENU_BUTTONS)
        return []


class ActionDeleteMyData(Action):
    """Forgets what the member told the assistant in this conversation."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=messages.deleted(sent_reference(tracker), contacts_text()))
        # Then listen, whatever led here: a rule (the member asked outside a form) or the
        # intake form ending on "delete everything I've said", a state no policy has seen.
        return discard_intake_events() + [SlotSet("safety_concern", None), SlotSet("case_type", None),
                                          FollowupAction("action_listen")]


class ActionSupportDistress(Action):
    """Distress that is not danger: a kind word and Education Support, then how the union can help. Never 999."""

    def name(self) -> str:
        return "action_support_distress"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=DISTRESS_TEXT)
        dispatcher.utter_message(text=messages.DISTRESS_OFFER, buttons=messages.DISTRESS_OFFER_BUTTONS)
        return [SlotSet("distress_signposted", True)]


class ActionSafetySignpost(Action):
    """Threats, self-harm or crisis: emergency help first, then a way to the union."""

    def name(self) -> str:
        return "action_safety_signpost"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=SIGNPOST_TEXT)
        dispatcher.utter_message(text=messages.AFTER_SIGNPOST, buttons=messages.AFTER_SIGNPOST_BUTTONS)
        return [SlotSet("safety_concern", True)]


class ActionYesNo(Action):
    """A bare yes or no outside the form: at a read-back it means send or not; otherwise a next step."""

    def name(self) -> str:
        return "action_yes_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent, _ = latest_intent(tracker)
        if tracker.get_slot("intake_status") == "cancelled" and (intent == "affirm" or wants_help_again(latest_text(tracker))):
            # "Actually, yes, I do want help" after stopping: start again, and say the old answers are gone.
            return start_intake(dispatcher, tracker, track_to_start(tracker)) + [FollowupAction("case_form")]
        if tracker.get_slot("intake_status") == "ready":
            if intent == "affirm":
                return submit_case(dispatcher, tracker)
            dispatcher.utter_message(text="No problem. Would you like to change an answer, or cancel?", buttons=messages.READBACK_CHOICES)
            return []
        if intent == "affirm":
            dispatcher.utter_message(response="utter_topics")
        else:
            dispatcher.utter_message(text="OK. If there's anything else, just ask, or type \"menu\" to see what I can do.")
        return []
