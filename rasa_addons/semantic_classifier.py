"""NLU pipeline step: the intent and the catalogue topic, from what the message means and says.

One multinomial logistic regression picks among every intent and every
catalogue topic at once ("greet", "report_accused", "faq/untag_facebook", ...),
from the MiniLM sentence embedding (rasa_addons.sentence_features: what the
message means) beside TF-IDF word and character n-grams of its text (the words
themselves, typos included). Measured against DIET and the ResponseSelector
given the same features (docs/nlu.md), it understands the held-out messages
better, trains in seconds rather than minutes, and its model is a few megabytes.

Its output has the shape Rasa's own classifiers give, so the rest of Rasa is
unchanged: `intent` and `intent_ranking` (the topics' scores summed into `faq`),
and `response_selector.faq` with the chosen topic, its `utter_action` and the
ranking of topics (their scores within `faq`), which `utter_faq` and
`bot.understanding` read. Weights are stored as numpy arrays, the vocabulary as
JSON; nothing is pickled.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import numpy as np
import scipy.sparse as sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons.sentence_features import SentenceEmbeddingFeaturizer

RETRIEVAL_INTENT = "faq"
META_FILE = "semantic_classifier.json"
WEIGHTS_FILE = "semantic_classifier.npz"
RANKING_LENGTH = 10
NGRAMS = {
    "words": {"analyzer": "word", "ngram_range": (1, 2), "min_df": 1},
    "chars": {"analyzer": "char_wb", "ngram_range": (2, 4), "min_df": 2},
}


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max()
    exp = np.exp(scores)
    return exp / exp.sum()


class TextFeatures:
    """TF-IDF word and character n-grams (sublinear tf, L2-normalised), rebuilt from a stored vocabulary."""

    def __init__(self, vocabularies: dict[str, dict[str, int]], idf: dict[str, np.ndarray]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self._vocabularies, self._idf = vocabularies, idf
        self._counters = {
            name: CountVectorizer(vocabulary=vocabularies[name], analyzer=options["analyzer"],
                                  ngram_range=options["ngram_range"])
            for name, options in NGRAMS.items()
        }

    @classmethod
    def fit(cls, texts: list[str]) -> TextFeatures:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vocabularies, idf = {}, {}
        for name, options in NGRAMS.items():
            vectorizer = TfidfVectorizer(sublinear_tf=True, **options).fit(texts)
            vocabularies[name] = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
            idf[name] = vectorizer.idf_
        return cls(vocabularies, idf)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """As TfidfVectorizer(sublinear_tf=True) would: (1 + log tf) * idf, each row of unit length."""
        blocks = []
        for name, counter in self._counters.items():
            counts = counter.transform(texts).astype(np.float64)
            counts.data = 1.0 + np.log(counts.data)
            weighted = counts.multiply(self._idf[name]).tocsr()
            norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
            norms[norms == 0] = 1.0
            blocks.append(sparse.diags(1.0 / norms) @ weighted)
        return sparse.hstack(blocks).tocsr()

    @property
    def vocabularies(self) -> dict[str, dict[str, int]]:
        return self._vocabularies

    @property
    def idf(self) -> dict[str, np.ndarray]:
        return self._idf


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SemanticClassifier(GraphComponent):
    """Intents and catalogue topics from the sentence embedding and the text's n-grams."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SentenceEmbeddingFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"featurizer": "minilm", "C": 32.0, "random_seed": 42}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._classes: list[str] = []
        self._responses: dict[str, list[dict[str, str]]] = {}
        self._coef: np.ndarray | None = None
        self._intercept: np.ndarray | None = None
        self._text: TextFeatures | None = None

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
        classifier = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as folder:
            meta = json.loads((folder / META_FILE).read_text())
            with np.load(folder / WEIGHTS_FILE, allow_pickle=False) as arrays:
                classifier._coef, classifier._intercept = arrays["coef"], arrays["intercept"]
                idf = {name: arrays[f"idf_{name}"] for name in NGRAMS}
        classifier._classes, classifier._responses = meta["classes"], meta["responses"]
        classifier._text = TextFeatures(meta["vocabularies"], idf)
        return classifier

    # --- training -------------------------------------------------------------------------

    @staticmethod
    def label_of(message: Message) -> str | None:
        """"faq/<topic>" for a catalogue question, else its intent."""
        intent = message.get(INTENT)
        return message.get(INTENT_RESPONSE_KEY) if intent == RETRIEVAL_INTENT else intent

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [(m, self._sentence(m), self.label_of(m)) for m in training_data.intent_examples]
        examples = [(m, x, y) for m, x, y in examples if x is not None and y]
        texts = [m.get(TEXT) for m, _, _ in examples]
        self._text = TextFeatures.fit(texts)
        model = LogisticRegression(C=self._config["C"], max_iter=5000, random_state=self._config["random_seed"])
        model.fit(self._features(np.stack([x for _, x, _ in examples]), texts), [y for _, _, y in examples])
        self._classes = [str(c) for c in model.classes_]
        self._coef, self._intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        self._responses = {
            key: [{"text": r["text"]} for r in variations if r.get("text")]
            for key, variations in training_data.responses.items()
        }
        meta = {"classes": self._classes, "responses": self._responses, "vocabularies": self._text.vocabularies}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / META_FILE).write_text(json.dumps(meta))
            np.savez_compressed(folder / WEIGHTS_FILE, coef=self._coef, intercept=self._intercept,
                                **{f"idf_{name}": values for name, values in self._text.idf.items()})
        return self._resource

    def _sentence(self, message: Message) -> np.ndarray | None:
        features = message.get_dense_features(TEXT, [self._config["featurizer"]])[1]
        return None if features is None else np.asarray(features.features).reshape(-1)

    def _features(self, sentences: np.ndarray, texts: list[str]) -> sparse.csr_matrix:
        """The embedding beside the text's n-grams, one row per message."""
        assert self._text is not None
        return sparse.hstack([sparse.csr_matrix(sentences), self._text.transform(texts)]).tocsr()

    # --- each message -----------------------------------------------------------------------

    def process(self, messages: list[Message]) -> list[Message]:
        if self._coef is None or self._intercept is None:
            return messages
        for message in messages:
            sentence = self._sentence(message)
            if sentence is None:
                continue
            features = self._features(sentence[np.newaxis, :], [message.get(TEXT) or ""])
            logits = np.asarray(features @ self._coef.T).ravel() + self._intercept
            scores = dict(zip(self._classes, (float(p) for p in _softmax(logits)), strict=True))
            self._set_intent(message, scores)
            self._set_topic(message, scores)
        return messages

    @staticmethod
    def _set_intent(message: Message, scores: dict[str, float]) -> None:
        intents: dict[str, float] = {}
        for label, score in scores.items():
            intent = label.split("/", 1)[0]
            intents[intent] = intents.get(intent, 0.0) + score
        ranking = [{"name": name, "confidence": score} for name, score in sorted(intents.items(), key=lambda kv: -kv[1])]
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set("intent_ranking", ranking[:RANKING_LENGTH], add_to_output=True)

    def _set_topic(self, message: Message, scores: dict[str, float]) -> None:
        topics = {label: score for label, score in scores.items() if label.startswith(f"{RETRIEVAL_INTENT}/")}
        if not topics:
            return
        total = sum(topics.values()) or 1.0
        ranked = sorted(topics.items(), key=lambda kv: -kv[1])[:RANKING_LENGTH]
        ranking = [{"id": zlib.crc32(key.encode()), "confidence": score / total, "intent_response_key": key}
                   for key, score in ranked]
        top = ranking[0]
        utter_action = f"utter_{top['intent_response_key']}"
        selector = dict(message.get("response_selector") or {})
        selector["all_retrieval_intents"] = [RETRIEVAL_INTENT]
        selector[RETRIEVAL_INTENT] = {
            "response": {
                "responses": self._responses.get(utter_action, []),
                "confidence": top["confidence"],
                "intent_response_key": top["intent_response_key"],
                "utter_action": utter_action,
            },
            "ranking": ranking,
        }
        message.set("response_selector", selector, add_to_output=True)
