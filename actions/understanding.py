"""When the assistant is not sure what was meant: "did you mean", a chosen topic, another language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_topic
from bot.language import not_english_replies
from bot.topics import catalogue_ids, title

DID_YOU_MEAN_TEXT = "I want to get this right. Did you mean:"
SOMETHING_ELSE = {"title": "Something else", "payload": "/nlu_fallback"}


def option_buttons(tracker: Tracker) -> list[dict[str, str]]:
    """A button per option the NLU offered (`did_you_mean` in the parse data), then "Something else"."""
    buttons = []
    for option in tracker.latest_message.get("did_you_mean") or []:
        topic = option.get("topic")
        if topic and topic in catalogue_ids():
            buttons.append({"title": title("faq", topic), "payload": f'/choose_topic{{"topic": "{topic}"}}'})
        elif not topic and option.get("intent"):
            buttons.append({"title": title(option["intent"]), "payload": f"/{option['intent']}"})
    return buttons + [SOMETHING_ELSE]


def offer_options(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    dispatcher.utter_message(text=DID_YOU_MEAN_TEXT, buttons=option_buttons(tracker))


def chosen_topic(tracker: Tracker) -> str | None:
    """The catalogue topic a "did you mean" button named, if it is one."""
    topic = next(tracker.get_latest_entity_values("topic"), None)
    return topic if topic in catalogue_ids() else None


class ActionDidYouMean(Action):
    def name(self) -> str:
        return "action_did_you_mean"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        offer_options(dispatcher, tracker)
        return []


class ActionAnswerTopic(Action):
    """A topic chosen from "did you mean": its catalogue answer."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topic = chosen_topic(tracker)
        if topic:
            answer_topic(dispatcher, topic)
        else:
            dispatcher.utter_message(text="Sorry, I couldn't find that. Could you ask it another way?")
        return []


class ActionOtherLanguage(Action):
    def name(self) -> str:
        return "action_other_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        for text in not_english_replies(tracker.latest_message.get("language")):
            dispatcher.utter_message(text=text)
        return []
