"""NLU pipeline step: a message that mentions a risk to safety is always `safety_crisis`.

The trained classifiers can miss a threat worded in an unusual way (or drown it
in a confident guess at another topic). `bot.safety` is a deterministic check,
so every message it flags goes to the safety rule, in or out of a form, and the
member sees emergency help before anything else.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import mentions_safety_risk

SAFETY_INTENT = {"name": "safety_crisis", "confidence": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyOverride(GraphComponent):
    """Sets the intent to `safety_crisis` when `bot.safety` flags the text."""

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SafetyOverride:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if mentions_safety_risk(message.get(TEXT)):
                message.data[INTENT] = dict(SAFETY_INTENT)
                message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(SAFETY_INTENT))
        return messages
