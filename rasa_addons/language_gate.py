"""NLU pipeline step: a message not in English is `other_language`, never a topic answer.

A classifier trained on English will still find its nearest English intent for
a message in Polish or Welsh, often confidently. `bot.language` decides from the
text itself (script, the share of words the assistant was trained on, and a
language identifier), so such a message gets a short reply saying only English
is understood, with the AdviceLine (in Welsh too for Welsh). The words the
assistant was trained on are the only thing this step learns; they are stored in
the model. Runs before the safety step, so safety still wins.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import guess_language, vocabulary_of

OTHER_LANGUAGE = "other_language"
FALLBACK = "nlu_fallback"
LANGUAGE_KEY = "language"  # in the parse data: the language the step heard (ISO 639-1)
VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageGate(GraphComponent):
    """Sets the intent to `other_language` (with the language) when the text is not English."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, vocabulary: frozenset[str]) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._vocabulary = vocabulary

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> LanguageGate:
        return cls(model_storage, resource, frozenset())

    def train(self, training_data: TrainingData) -> Resource:
        """Keeps the English words of the training data and the responses."""
        texts = [m.get(TEXT) or "" for m in training_data.training_examples if m.get(INTENT) != OTHER_LANGUAGE]
        for variations in training_data.responses.values():
            texts += [v.get("text") or "" for v in variations]
        self._vocabulary = vocabulary_of(texts)
        with self._model_storage.write_to(self._resource) as folder:
            (folder / VOCABULARY_FILE).write_text(json.dumps(sorted(self._vocabulary)))
        return self._resource

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> LanguageGate:
        with model_storage.read_from(resource) as folder:
            vocabulary = frozenset(json.loads((folder / VOCABULARY_FILE).read_text()))
        return cls(model_storage, resource, vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(TEXT) or "").startswith("/"):
                continue  # a button's payload
            guess = guess_language(message.get(TEXT), self._vocabulary)
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not guess.english or (predicted == OTHER_LANGUAGE and guess.mostly_unknown_words):
                self._set(message, OTHER_LANGUAGE, guess.language)
            elif predicted == OTHER_LANGUAGE:  # the classifier's guess, but the words are ours: not sure what it is
                self._set(message, FALLBACK, guess.language)
        return messages

    @staticmethod
    def _set(message: Message, intent: str, language: str) -> None:
        chosen = {INTENT_NAME_KEY: intent, "confidence": 1.0}
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent], add_to_output=True)
        message.set(LANGUAGE_KEY, language, add_to_output=True)
