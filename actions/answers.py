"""Answering catalogue questions: in conversation, and mid-intake (same code)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import consecutive_fallbacks, selected_topic
from bot.adviceline import adviceline_status, contacts_text, describe_status
from bot.settings import get_settings


def adviceline_now() -> str:
    return describe_status(adviceline_status(nation=get_settings().uk_nation))


def noted(tracker: Tracker, topic: str | None) -> list[EventType]:
    """Remember which answers were given (advisers see them in the handoff)."""
    given = list(tracker.get_slot("guidance_given") or [])
    if topic and topic not in given:
        given.append(topic)
    return [SlotSet("guidance_given", given), SlotSet("adviceline_status", adviceline_now())]


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> list[EventType]:
    """Utter the catalogue answer for `topic` from inside another action (the intake form)."""
    events = noted(tracker, topic)
    dispatcher.utter_message(response=f"utter_faq/{topic}", adviceline_status=events[-1]["value"])
    return events


class ActionBeforeAnswer(Action):
    """Runs before `utter_faq`: fills the AdviceLine's open/closed line and notes the topic."""

    def name(self) -> str:
        return "action_before_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return noted(tracker, selected_topic(tracker))


class ActionFallback(Action):
    """Low confidence: ask to rephrase; a second miss in a row offers the AdviceLine."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(
                text=(
                    "Sorry, I'm still not sure what you mean. You may be better talking to a person. "
                    f"{adviceline_now()}\n{contacts_text()}"
                ),
                buttons=[
                    {"title": "Talk to a person", "payload": "/request_human"},
                    {"title": "See what I can do", "payload": "/help"},
                ],
            )
        else:
            dispatcher.utter_message(
                text=(
                    "Sorry, I didn't quite understand. Could you put it another way? "
                    "For example: \"can I accept a friend request from a pupil?\" or "
                    "\"a parent has complained about my post\"."
                ),
                buttons=[{"title": "See what I can do", "payload": "/help"}],
            )
        return []
