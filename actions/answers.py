"""Answering catalogue questions: in conversation, and mid-intake (same code)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import consecutive_fallbacks
from bot.adviceline import contacts_text, live_status_line
from bot.intake.turns import wants_help_again


def answer_topic(dispatcher: CollectingDispatcher, topic: str) -> None:
    """Utter the catalogue answer for `topic` from inside another action (a form).

    Rasa renders it (live AdviceLine status included, `rasa_addons.nlg`) and records
    `utter_faq/<topic>` on the bot event, which is how the handoff knows what was said.
    """
    dispatcher.utter_message(response=f"utter_faq/{topic}")


class ActionFallback(Action):
    """Low confidence: ask to rephrase; a second miss in a row offers the AdviceLine."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("intake_status") == "cancelled" and wants_help_again(tracker.latest_message.get("text") or ""):
            from actions.intake import start_intake, track_to_start  # the intake's own start, after a change of mind

            return start_intake(dispatcher, tracker, track_to_start(tracker)) + [FollowupAction("case_form")]
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(
                text=(
                    "Sorry, I'm still not sure what you mean. You may be better talking to a person. "
                    f"{live_status_line()}\n{contacts_text()}"
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
