"""NLU pipeline step: dense features from a pretrained sentence encoder, for DIET and the ResponseSelector.

Word and character n-grams only match surface words, so "recommend something
private to watch on netflix" looked like the privacy topic. A sentence encoder
trained on a billion sentence pairs places messages by meaning; its features sit
beside the sparse ones, so the classifiers learn from both.

Per message: a sentence feature (the normalised sentence embedding) and a
sequence feature per token of the pipeline's tokenizer (the mean of that token's
WordPiece states), as Rasa's own dense featurizers give. The component stores
nothing in the model: the weights stay in site-packages (rasa_addons.sentence_encoder).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_addons.sentence_encoder import DIMENSIONS, MODELS, Encoded, encoder_for

BATCH = 64


def token_features(encoded: Encoded, tokens: Iterable[Any]) -> np.ndarray:
    """One row per pipeline token: the mean of the WordPiece states that overlap it (zeros if none)."""
    rows = []
    for token in tokens:
        overlapping = [i for i, (start, end) in enumerate(encoded.spans) if start < token.end and end > token.start]
        rows.append(encoded.pieces[overlapping].mean(axis=0) if overlapping else np.zeros(DIMENSIONS, np.float32))
    return np.stack(rows) if rows else np.zeros((0, DIMENSIONS), np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds MiniLM sentence and token features to the text of each message."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["onnxruntime", "tokenizers"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "model": "minilm-l6-int8", "threads": 1}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config["model"] not in MODELS:
            raise ValueError(f"SentenceEmbeddingFeaturizer model must be one of {', '.join(MODELS)}")

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = encoder_for(config["model"], int(config["threads"]))

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, execution_context: ExecutionContext
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def process(self, messages: list[Message]) -> list[Message]:
        featurizable = [m for m in messages if m.get(TEXT) and m.get(TOKENS_NAMES[TEXT])]
        encoded_all = self._encoder.encode([m.get(TEXT) for m in featurizable], batch_size=BATCH)
        for message, encoded in zip(featurizable, encoded_all, strict=True):
            sequence = token_features(encoded, message.get(TOKENS_NAMES[TEXT]))
            self.add_features_to_message(sequence, encoded.sentence[np.newaxis, :], TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
