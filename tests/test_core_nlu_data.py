"""Checks on the core NLU training data and its held-out test set.

- every core intent exists in data/nlu/core.yml with enough examples;
- no example (normalised) appears under two intents across ALL data/nlu/*.yml
  files, including faq.yml when it exists;
- no held-out example (tests/nlu/*.yml) equals a training example;
- held-out files have >= 4 examples for every intent they cover, and
  heldout_core.yml covers every core intent.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NLU_DIR = ROOT / "data" / "nlu"
HELDOUT_DIR = ROOT / "tests" / "nlu"
CORE_FILE = NLU_DIR / "core.yml"
LOOKUPS_FILE = NLU_DIR / "lookups.yml"
HELDOUT_CORE_FILE = HELDOUT_DIR / "heldout_core.yml"

BIG_INTENTS = ("report_accused", "report_targeted", "safety_crisis", "out_of_scope")
CORE_INTENTS = (
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "help",
    "affirm",
    "deny",
    "stop",
    "out_of_scope",
    "report_accused",
    "report_targeted",
    "request_human",
    "safety_crisis",
    "change_answer",
    "confirm_send",
    "prefer_adviceline",
    "delete_my_data",
)
MIN_TRAIN = {intent: (25 if intent in BIG_INTENTS else 15) for intent in CORE_INTENTS}
MIN_HELDOUT_CORE = {intent: (10 if intent in BIG_INTENTS else 6) for intent in CORE_INTENTS}
MIN_HELDOUT_ANY = 4

# [text](entity) and [text]{"entity": ...} annotations -> text
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def plain(text: str) -> str:
    return _ANNOTATION.sub(r"\1", text).strip()


def normalise(text: str) -> str:
    """Lower case, entity markup removed, punctuation and whitespace stripped."""
    return _NON_WORD.sub("", plain(text).lower())


def _examples(raw, where: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        out = []
        for line in raw.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            assert stripped.startswith("-"), f"{where}: example line without '- ': {line!r}"
            out.append(stripped[1:].strip())
        return out
    if isinstance(raw, list):  # Rasa also allows a list of {text: ..., metadata: ...}
        out = []
        for item in raw:
            out.append(item["text"] if isinstance(item, dict) else str(item))
        return out
    raise AssertionError(f"{where}: unexpected examples type {type(raw).__name__}")


def load_nlu(path: Path) -> dict[str, list[str]]:
    """intent -> examples (in file order) for one Rasa YAML NLU file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    intents: dict[str, list[str]] = defaultdict(list)
    for item in doc.get("nlu") or []:
        if isinstance(item, dict) and "intent" in item:
            where = f"{path.name}:{item['intent']}"
            intents[item["intent"]].extend(_examples(item.get("examples"), where))
    return dict(intents)


def nlu_files(directory: Path) -> list[Path]:
    return sorted(list(directory.glob("*.yml")) + list(directory.glob("*.yaml")))


@pytest.fixture(scope="module")
def core() -> dict[str, list[str]]:
    assert CORE_FILE.is_file(), f"missing {CORE_FILE}"
    return load_nlu(CORE_FILE)


@pytest.fixture(scope="module")
def training() -> dict[Path, dict[str, list[str]]]:
    """Every data/nlu file (faq.yml included if, and only if, it exists)."""
    files = nlu_files(NLU_DIR)
    assert CORE_FILE in files
    return {path: load_nlu(path) for path in files}


@pytest.fixture(scope="module")
def heldout() -> dict[Path, dict[str, list[str]]]:
    files = nlu_files(HELDOUT_DIR)
    assert HELDOUT_CORE_FILE in files
    return {path: load_nlu(path) for path in files}


def test_core_file_is_rasa_3_format():
    doc = yaml.safe_load(CORE_FILE.read_text(encoding="utf-8"))
    assert str(doc.get("version")) == "3.1"
    assert isinstance(doc.get("nlu"), list) and doc["nlu"]
    for item in doc["nlu"]:
        assert set(item) == {"intent", "examples"}, item
        assert isinstance(item["examples"], str), item["intent"]


@pytest.mark.parametrize("intent", CORE_INTENTS)
def test_core_intent_has_enough_examples(core, intent):
    assert intent in core, f"intent {intent} missing from core.yml"
    examples = [e for e in core[intent] if normalise(e)]
    assert len(examples) >= MIN_TRAIN[intent], (
        f"{intent}: {len(examples)} examples, need >= {MIN_TRAIN[intent]}"
    )


def test_core_has_only_expected_intents(core):
    assert set(core) == set(CORE_INTENTS), set(core) ^ set(CORE_INTENTS)


def test_no_duplicates_within_core_intents(core):
    dupes = []
    for intent, examples in core.items():
        seen = set()
        for example in examples:
            key = normalise(example)
            if key in seen:
                dupes.append((intent, example))
            seen.add(key)
    assert not dupes, dupes


def test_no_example_in_two_intents_across_training_files(training):
    owners: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, list[str]] = defaultdict(list)
    for path, intents in training.items():
        for intent, examples in intents.items():
            for example in examples:
                key = normalise(example)
                if not key:
                    continue
                owners[key].add(intent)
                texts[key].append(f"{path.name}:{intent}: {example!r}")
    clashes = {key: texts[key] for key, intents in owners.items() if len(intents) > 1}
    assert not clashes, "examples in more than one intent:\n" + "\n".join(
        "; ".join(v) for v in clashes.values()
    )


def test_heldout_never_equals_training(training, heldout):
    trained = {}
    for path, intents in training.items():
        for intent, examples in intents.items():
            for example in examples:
                trained[normalise(example)] = f"{path.name}:{intent}"
    leaks = [
        f"{path.name}:{intent}: {example!r} == {trained[normalise(example)]}"
        for path, intents in heldout.items()
        for intent, examples in intents.items()
        for example in examples
        if normalise(example) in trained
    ]
    assert not leaks, "held-out examples found in training data:\n" + "\n".join(leaks)


def test_heldout_has_enough_examples_per_covered_intent(heldout):
    thin = [
        f"{path.name}:{intent} has {len(examples)}"
        for path, intents in heldout.items()
        for intent, examples in intents.items()
        if len(examples) < MIN_HELDOUT_ANY
    ]
    assert not thin, thin


@pytest.mark.parametrize("intent", CORE_INTENTS)
def test_heldout_core_covers_intent(heldout, intent):
    examples = heldout[HELDOUT_CORE_FILE].get(intent, [])
    assert len(examples) >= MIN_HELDOUT_CORE[intent], (
        f"heldout_core {intent}: {len(examples)}, need >= {MIN_HELDOUT_CORE[intent]}"
    )


def test_heldout_core_has_no_near_copies_of_core_training(core, heldout):
    """Stricter than equality: a held-out line that is almost a training line
    (same words re-ordered, one word added or dropped) tests nothing."""

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", plain(text).lower()))

    train = [(intent, words(e)) for intent, examples in core.items() for e in examples]
    near = []
    for intent, examples in heldout[HELDOUT_CORE_FILE].items():
        for example in examples:
            h = words(example)
            hset = set(h.split())
            for t_intent, t in train:
                tset = set(t.split())
                ratio = difflib.SequenceMatcher(None, h, t).ratio()
                same_words = hset == tset
                if ratio >= 0.92 or same_words:
                    near.append(f"{intent}: {example!r} ~ {t_intent}: {t!r} ({ratio:.2f})")
    assert not near, "\n".join(near)


def test_report_accused_regret_examples_mention_a_complaint(core):
    """A regretted post with no complaint belongs to faq/regret_post."""
    trouble = re.compile(
        r"complain|allegation|accus|meeting|investigat|disciplin|suspend|hr\b|police|"
        r"head|governor|trust|warning|sacked|dismiss|lado|report"
    )
    bad = [e for e in core["report_accused"] if "regret" in e.lower() and not trouble.search(e.lower())]
    assert not bad, bad


def test_lookups_only_define_platforms():
    if not LOOKUPS_FILE.is_file():
        pytest.skip("no lookups.yml")
    doc = yaml.safe_load(LOOKUPS_FILE.read_text(encoding="utf-8"))
    for item in doc.get("nlu") or []:
        assert "intent" not in item, "lookups.yml must not define intents"
        name = item.get("lookup") or item.get("regex")
        assert name == "platform", item
        entries = _examples(item["examples"], "lookups.yml")
        assert "x" not in entries, "lowercase 'x' would match the sign-off kiss"
        assert {"Facebook", "Instagram", "TikTok", "WhatsApp", "Snapchat"} <= set(entries)
