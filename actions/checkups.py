"""The policy review (leaders) and the personal check-up (members): guided forms and their reports."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import config
from actions.conversation import now_utc
from actions.guided_form import FAILURES_SLOT, STOP_CONFIRMATION, STOP_PENDING_SLOT, GuidedFormValidation
from actions.storage import case_database
from bot import checkups
from bot.checkup_counts import record_checkup
from bot.intake.parsing import Parsed

log = logging.getLogger(__name__)

STATUS_SLOT = "checkup_status"
FORMS = {"policy_review": "policy_review_form", "personal_checkup": "personal_checkup_form"}
START_INTENTS = {"start_policy_review": "policy_review", "start_checkup": "personal_checkup"}
INTROS = {
    "policy_review": "Let's review your school or college's social networking policy against the NEU advice sheet. "
    f"There are {len(checkups.POLICY_ITEMS)} short questions; answer yes, partly, no or not sure. "
    "You can ask me something else at any point and we'll carry on, or type \"stop\" to end.",
    "personal_checkup": "Let's check your own social media use against the NEU advice sheet. "
    f"{checkups.REMINDER} There are {len(checkups.PERSONAL_ITEMS)} short questions. "
    "You can ask me something else at any point, or type \"stop\" to end.",
}
COMPLAINT_OFFER = "Would you like me to take a few details about the complaint for an NEU adviser now?"
NOTHING_STORED = "Nothing you answer is stored."
ONLY_TALLIES = (
    "Nothing that could identify you is stored: if you finish, the union adds your answers to anonymous totals "
    "(how many people meet each point), without your words or this conversation."
)


def intro(kind: str) -> str:
    """What the check-up is, and exactly what is kept of it (which depends on CHECKUP_COUNTS)."""
    return f"{INTROS[kind]} {ONLY_TALLIES if config.settings().checkup_counts else NOTHING_STORED}"


def answers(tracker: Tracker, kind: str) -> dict[str, str]:
    return {item.key: tracker.get_slot(checkups.slot_name(kind, item.key)) for item in checkups.CHECKUPS[kind]}


def reset_events(kind: str) -> list[EventType]:
    return [SlotSet(slot, None) for slot in checkups.slots(kind)] + [
        SlotSet(STATUS_SLOT, None), SlotSet(FAILURES_SLOT, None), SlotSet(STOP_PENDING_SLOT, None), SlotSet(STOP_CONFIRMATION, None)
    ]


class CheckupValidation(GuidedFormValidation):
    """A check-up form: one question per recommendation, answered from buttons or in words."""

    status_slot = STATUS_SLOT
    kind = ""

    def questions(self, values: dict[str, Any]) -> list[str]:
        return checkups.slots(self.kind)

    def parse(self, field: str, text: str) -> Parsed:
        _, item, _ = checkups.item_for_slot(field)
        answer = checkups.parse_answer(text, item)
        if answer is None:
            return Parsed(None, False, checkups.reask(item))
        return Parsed(answer, True, None)

    def stop(self, dispatcher: CollectingDispatcher, values: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text="OK, I've stopped the check-up. Nothing was stored. Is there anything else I can help with?")
        return reset_events(self.kind)


class ValidatePolicyReviewForm(CheckupValidation):
    kind = "policy_review"

    def name(self) -> str:
        return "validate_policy_review_form"


class ValidatePersonalCheckupForm(CheckupValidation):
    kind = "personal_checkup"

    def name(self) -> str:
        return "validate_personal_checkup_form"


class ActionStartCheckup(Action):
    """Says what the check-up is, and clears any earlier answers."""

    def name(self) -> str:
        return "action_start_checkup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kind = START_INTENTS.get((tracker.latest_message.get("intent") or {}).get("name", ""), "personal_checkup")
        dispatcher.utter_message(text=intro(kind))
        return reset_events(kind) + [SlotSet(STATUS_SLOT, "active"), SlotSet("checkup_kind", kind)]


class ActionCheckupDone(Action):
    """The report: in chat, and as Markdown for the web chat to download or print. Then forget the answers."""

    def name(self) -> str:
        return "action_checkup_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kind = tracker.get_slot("checkup_kind")
        if tracker.get_slot(STATUS_SLOT) != "active" or kind not in FORMS:
            return [SlotSet(STATUS_SLOT, None)]
        given = answers(tracker, kind)
        if config.settings().checkup_counts:
            add_to_counts(kind, given)
        for text in checkups.report_chat_messages(kind, given):
            dispatcher.utter_message(text=text)
        markdown = checkups.report_markdown(kind, given)
        filename = "policy-review.md" if kind == "policy_review" else "my-social-media-check-up.md"
        dispatcher.utter_message(json_message={"report": {"kind": kind, "filename": filename, "markdown": markdown}})
        if checkups.score(checkups.CHECKUPS[kind], given).live_problem:
            # Last, so that its button is the one the web chat shows.
            dispatcher.utter_message(text=COMPLAINT_OFFER, buttons=[{"title": "Yes, take my details", "payload": "/report_accused"}])
        return reset_events(kind) + [SlotSet("checkup_kind", None)]


def add_to_counts(kind: str, given: dict[str, Any]) -> None:
    """Best effort: the member's report matters more than the union's tally, so a failure is only logged."""
    try:
        record_checkup(case_database(), kind, given, now_utc())
    except SQLAlchemyError as exc:
        log.warning("check-up counts not updated (%s)", type(exc).__name__)
