"""`action_ask_<slot>`: the questions of every guided form, one generated action per slot."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.guided_form import STOP_CONFIRMATION
from bot import checkups
from bot.intake.prompts import PROMPTS, buttons_for


class AskAction(Action, ABC):
    """Asks one intake question; subclasses only name the field."""

    field = ""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if self.field == STOP_CONFIRMATION:
            dispatcher.utter_message(text=messages.ASK_BEFORE_STOPPING, buttons=messages.ASK_BEFORE_STOPPING_BUTTONS)
        elif self.field in PROMPTS:
            dispatcher.utter_message(text=PROMPTS[self.field]["text"], buttons=buttons_for(self.field))
        else:
            text, buttons = checkups.prompt(self.field)
            dispatcher.utter_message(text=text, buttons=buttons)
        return []


# rasa-sdk registers every Action subclass it finds in this package, so one class per field.
def _ask_action(field: str) -> type[AskAction]:
    return type(f"Ask_{field}", (AskAction,), {"field": field, "name": lambda self: f"action_ask_{self.field}"})


# The read-back (`confirm`) has an action of its own (actions/intake.py).
ASKED = [*PROMPTS, STOP_CONFIRMATION, *checkups.slots("policy_review"), *checkups.slots("personal_checkup")]
ASK_ACTIONS = {field: _ask_action(field) for field in ASKED}
