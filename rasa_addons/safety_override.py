"""NLU pipeline step: danger always reaches the safety rule; distress is marked for a kinder reply.

The trained classifiers can miss a threat worded in an unusual way (or drown it
in a confident guess at another topic), so this step decides on its own, last
in the pipeline, and wins over every classifier:

- `bot.safety`'s patterns (threats, self-harm, stalking, doxxing, feeling unsafe):
  deterministic and explainable;
- a small logistic regression over the message's MiniLM sentence embedding,
  trained on the safety examples in `data/safety/` (danger, distress that is not
  danger, ordinary messages) and the NLU data (`safety_crisis` is danger,
  everything else ordinary). It catches danger said in words no pattern lists
  ("everyone would be better off without me"). Its danger threshold is chosen at
  training by cross-validation, as the lowest at which, together with the patterns,
  at most 2% of the distress examples and 0.5% of the ordinary ones it was not
  trained on would be given 999.

A message either flags as danger becomes `safety_crisis` (999 and Samaritans at
once, in or out of a form). Otherwise, distress (fear for a job, panic, no
sleep) is marked `wellbeing: distress` in the parse data: the actions answer it
with a kind sentence and Education Support's helpline, never 999. This step is
the only one that may say `safety_crisis`: when the intent classifier guesses it
and neither check agrees, the message is `feeling_distressed` if it is distress
(measured: the classifier's guess alone caught no danger the checks missed, and
gave 999 to one distressed message in nine), else the classifier's next guess.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety import mentions_distress, mentions_safety_risk
from rasa_addons.language_gate import OTHER_LANGUAGE
from rasa_addons.sentence_encoder import encoder_for

ROOT = Path(__file__).resolve().parent.parent
SAFETY_INTENT = {"name": "safety_crisis", "confidence": 1.0}
DISTRESSED = "feeling_distressed"
WELLBEING_KEY = "wellbeing"  # in the parse data: "danger", "distress" or absent
CLASSES = ("ordinary", "distress", "danger")
FILES = {
    "danger": ("danger.txt", "danger_more.txt", "danger_third.txt", "danger_fourth.txt"),
    "distress": ("distress.txt", "distress_more.txt", "distress_third.txt"),
    "ordinary": ("ordinary.txt", "ordinary_more.txt"),
}
MAX_DISTRESS_ALARMS = 0.02
MAX_ORDINARY_ALARMS = 0.005
THRESHOLDS = tuple(round(0.5 + 0.01 * i, 2) for i in range(50))
MODEL_FILE = "safety_classifier.json"
# The model's distress needs to be clearly ahead ("I've been accused over a post" scores 0.37).
DISTRESS_AT = 0.6


def read_examples(folder: Path) -> dict[str, list[str]]:
    """The development examples, one per line ('#' lines are comments)."""
    found: dict[str, list[str]] = {}
    for label, names in FILES.items():
        lines = [line for name in names if (folder / name).exists() for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        found[label] = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return found


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=-1, keepdims=True)


def danger_threshold(labels: np.ndarray, danger_probability: np.ndarray, by_patterns: np.ndarray) -> float:
    """The lowest threshold whose false alarms (with the patterns', on held-out folds) stay within the limits."""
    distress, ordinary = labels == CLASSES.index("distress"), labels == CLASSES.index("ordinary")
    for threshold in THRESHOLDS:
        flagged = by_patterns | (danger_probability >= threshold)
        if (not distress.any() or flagged[distress].mean() <= MAX_DISTRESS_ALARMS) and (
            not ordinary.any() or flagged[ordinary].mean() <= MAX_ORDINARY_ALARMS
        ):
            return threshold
    return 1.01  # never: the patterns alone


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyOverride(GraphComponent):
    """Sets the intent to `safety_crisis` on danger, and marks distress."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"examples": "data/safety", "model": "minilm-l6-int8", "random_seed": 42}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The development examples live outside the NLU data: retrain when they change."""
        digest = hashlib.sha256()
        folder = ROOT / {**cls.get_default_config(), **config}["examples"]  # Rasa passes the config without defaults here
        for label, texts in sorted(read_examples(folder).items()):
            digest.update(label.encode())
            digest.update("\n".join(texts).encode())
        return digest.hexdigest()

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 weights: dict[str, Any] | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SafetyOverride:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> SafetyOverride:
        try:
            with model_storage.read_from(resource) as folder:
                weights = json.loads((folder / MODEL_FILE).read_text())
        except (ValueError, FileNotFoundError):
            weights = None  # the patterns still work
        return cls(config, model_storage, resource, weights)

    # --- training -------------------------------------------------------------------------

    def _training_set(self, training_data: TrainingData) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(texts, labels, sentence features): the development examples, encoded here, and the
        NLU examples (safety_crisis is danger, the rest ordinary) with the features they have."""
        examples = read_examples(ROOT / self._config["examples"])
        texts = [text for label in CLASSES for text in examples[label]]
        labels = [CLASSES.index(label) for label in CLASSES for _ in examples[label]]
        encoder = encoder_for(self._config["model"], os.cpu_count() or 1)  # training has the machine to itself
        features = [e.sentence for e in encoder.encode(texts)]
        for message in training_data.intent_examples:
            intent, sentence = message.get(INTENT), self._sentence_features(message)
            if intent == "other_language" or sentence is None:
                continue
            texts.append(message.get(TEXT))
            labels.append(CLASSES.index("danger" if intent == "safety_crisis" else "ordinary"))
            features.append(sentence)
        return texts, np.array(labels), np.stack(features)

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        texts, labels, features = self._training_set(training_data)
        model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, random_state=self._config["random_seed"])
        folds = StratifiedKFold(5, shuffle=True, random_state=self._config["random_seed"])
        held_out = cross_val_predict(model, features, labels, cv=folds, method="predict_proba")
        by_patterns = np.array([mentions_safety_risk(text) for text in texts])
        threshold = danger_threshold(labels, held_out[:, CLASSES.index("danger")], by_patterns)
        model.fit(features, labels)
        self._weights = {"coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(), "threshold": threshold}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / MODEL_FILE).write_text(json.dumps(self._weights))
        return self._resource

    # --- each message -----------------------------------------------------------------------

    def probabilities(self, message: Message) -> np.ndarray | None:
        """(ordinary, distress, danger) for the message, or None without a trained model or features."""
        if not self._weights:
            return None
        sentence = self._sentence_features(message)
        if sentence is None:
            return None
        scores = sentence @ np.array(self._weights["coef"]).T + np.array(self._weights["intercept"])
        return _softmax(scores)

    def _sentence_features(self, message: Message) -> np.ndarray | None:
        features = message.get_dense_features(TEXT, ["minilm"])[1]
        if features is not None:
            return np.asarray(features.features).reshape(-1)
        text = message.get(TEXT)
        return encoder_for(self._config["model"]).encode([text])[0].sentence if text else None

    def wellbeing(self, message: Message) -> str | None:
        text = message.get(TEXT)
        if not text or text.startswith("/"):
            return None
        # The backstop learned English: on a message the language gate found in another
        # language its scores mean nothing (it flagged Polish greetings), so only the
        # patterns speak there.
        foreign = (message.get(INTENT) or {}).get("name") == OTHER_LANGUAGE
        probabilities = None if foreign else self.probabilities(message)
        if mentions_safety_risk(text) or (probabilities is not None and probabilities[2] >= self._weights["threshold"]):
            return "danger"
        if mentions_distress(text) or (probabilities is not None and probabilities[1] >= DISTRESS_AT):
            return "distress"
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            state = self.wellbeing(message)
            if state:
                message.set(WELLBEING_KEY, state, add_to_output=True)
            ranking = message.get(INTENT_RANKING_KEY) or []
            if state == "danger":
                message.set(INTENT, dict(SAFETY_INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [dict(SAFETY_INTENT)] + ranking, add_to_output=True)
            elif (message.get(INTENT) or {}).get("name") == SAFETY_INTENT["name"]:
                confidence = float((message.get(INTENT) or {}).get("confidence") or 0.0)
                others = [r for r in ranking if r.get("name") != SAFETY_INTENT["name"]]
                instead = {"name": DISTRESSED, "confidence": confidence} if state == "distress" or not others else dict(others[0])
                message.set(INTENT, instead, add_to_output=True)
        return messages
