"""NLU pipeline step: the intent and the catalogue topic, from the meaning of the message.

One multinomial logistic regression over the MiniLM sentence embedding
(rasa_addons.sentence_features) picks among every intent and every catalogue
topic at once ("greet", "report_accused", "faq/untag_facebook", ...). Measured
against DIET and the ResponseSelector given the same features (docs/nlu.md), it
understands the held-out messages better (intent 97.6% against 92.6%, topic
97.4% against 93.9%), trains in seconds rather than minutes, and its model is a
few hundred kilobytes.

Its output has the shape Rasa's own classifiers give, so the rest of Rasa is
unchanged: `intent` and `intent_ranking` (the topics' scores summed into `faq`),
and `response_selector.faq` with the chosen topic, its `utter_action` and the
ranking of topics (their scores within `faq`), which `utter_faq` and
`bot.understanding` read. The weights are stored as JSON in the model.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons.sentence_features import SentenceEmbeddingFeaturizer

RETRIEVAL_INTENT = "faq"
MODEL_FILE = "semantic_classifier.json"
RANKING_LENGTH = 10


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max()
    exp = np.exp(scores)
    return exp / exp.sum()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SemanticClassifier(GraphComponent):
    """Intents and catalogue topics from the sentence embedding."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"featurizer": "minilm", "C": 16.0, "random_seed": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 weights: dict[str, Any] | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        if weights:
            self._coef = np.array(weights["coef"])
            self._intercept = np.array(weights["intercept"])

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SemanticClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> SemanticClassifier:
        with model_storage.read_from(resource) as folder:
            weights = json.loads((folder / MODEL_FILE).read_text())
        return cls(config, model_storage, resource, weights)

    # --- training -------------------------------------------------------------------------

    @staticmethod
    def label_of(message: Message) -> str | None:
        """"faq/<topic>" for a catalogue question, else its intent."""
        intent = message.get(INTENT)
        if intent == RETRIEVAL_INTENT:
            return message.get(INTENT_RESPONSE_KEY)
        return intent

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [(self._sentence(m), self.label_of(m)) for m in training_data.intent_examples]
        examples = [(x, y) for x, y in examples if x is not None and y]
        features = np.stack([x for x, _ in examples])
        labels = [y for _, y in examples]
        model = LogisticRegression(C=self._config["C"], max_iter=5000, random_state=self._config["random_seed"])
        model.fit(features, labels)
        responses = {
            key: [{"text": r.get("text")} for r in variations if r.get("text")]
            for key, variations in training_data.responses.items()
        }
        self._weights = {
            "classes": [str(c) for c in model.classes_], "coef": model.coef_.tolist(),
            "intercept": model.intercept_.tolist(), "responses": responses,
        }
        with self._model_storage.write_to(self._resource) as folder:
            (folder / MODEL_FILE).write_text(json.dumps(self._weights))
        return self._resource

    def _sentence(self, message: Message) -> np.ndarray | None:
        features = message.get_dense_features(TEXT, [self._config["featurizer"]])[1]
        return None if features is None else np.asarray(features.features).reshape(-1)

    # --- each message -----------------------------------------------------------------------

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._weights:
            return messages
        for message in messages:
            sentence = self._sentence(message)
            if sentence is None:
                continue
            scores = dict(zip(self._weights["classes"], _softmax(self._coef @ sentence + self._intercept), strict=False))
            self._set_intent(message, scores)
            self._set_topic(message, scores)
        return messages

    @staticmethod
    def _set_intent(message: Message, scores: dict[str, float]) -> None:
        intents: dict[str, float] = {}
        for label, score in scores.items():
            intent = label.split("/", 1)[0]
            intents[intent] = intents.get(intent, 0.0) + float(score)
        ranking = [{"name": name, "confidence": score} for name, score in sorted(intents.items(), key=lambda kv: -kv[1])]
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set("intent_ranking", ranking[:RANKING_LENGTH], add_to_output=True)

    def _set_topic(self, message: Message, scores: dict[str, float]) -> None:
        topics = {label: float(score) for label, score in scores.items() if label.startswith(f"{RETRIEVAL_INTENT}/")}
        total = sum(topics.values()) or 1.0
        ranked = sorted(topics.items(), key=lambda kv: -kv[1])
        ranking = [{"id": zlib.crc32(key.encode()), "confidence": score / total, "intent_response_key": key}
                   for key, score in ranked[:RANKING_LENGTH]]
        top = ranking[0]
        utter_action = f"utter_{top['intent_response_key']}"
        selector = dict(message.get("response_selector") or {})
        selector["all_retrieval_intents"] = [RETRIEVAL_INTENT]
        selector[RETRIEVAL_INTENT] = {
            "response": {
                "responses": self._weights.get("responses", {}).get(utter_action, []),
                "confidence": top["confidence"],
                "intent_response_key": top["intent_response_key"],
                "utter_action": utter_action,
            },
            "ranking": ranking,
        }
        message.set("response_selector", selector, add_to_output=True)
