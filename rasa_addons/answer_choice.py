"""NLU pipeline step: answer, ask "did you mean...?", or say it's unclear (bot.understanding decides).

Takes the place of Rasa's FallbackClassifier: one decision from both the intent
ranking and the catalogue topics' ranking. A clear leader is left as it is, so
catalogue answers keep their fast path (intent `faq` -> `utter_faq`, no action
server). When two are close or the leader is middling, the intent becomes
`did_you_mean` and the two options go into the parse data for
`action_did_you_mean` to offer; when nothing is plausible it becomes
`nlu_fallback`. The rankings are left untouched, so reports and adviser
transcripts still show what the classifiers thought.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.understanding import DID_YOU_MEAN, FALLBACK, choose_from_parse

OPTIONS_KEY = "did_you_mean"  # in the parse data: [{"intent", "topic", "confidence"}, ...]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AnswerChoice(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> AnswerChoice:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not message.get(INTENT) or (message.get(TEXT) or "").startswith("/"):
                continue  # nothing classified, or a button's payload (Rasa reads those itself)
            choice = choose_from_parse(message.as_dict())
            if choice.kind == "did_you_mean":
                top = choice.options[0]
                message.set(INTENT, {"name": DID_YOU_MEAN, "confidence": top.confidence}, add_to_output=True)
                options = [{"intent": c.intent, "topic": c.topic, "confidence": c.confidence} for c in choice.options]
                message.set(OPTIONS_KEY, options, add_to_output=True)
            elif choice.kind == "unsure":
                confidence = choice.options[0].confidence if choice.options else 0.0
                message.set(INTENT, {"name": FALLBACK, "confidence": confidence}, add_to_output=True)
        return messages
