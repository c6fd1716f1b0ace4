"""What the simulated members say: conversations as lists of messages, for each kind of load.

The scripts are data (JSON for Locust), so the load generator needs none of the
product's code. Question conversations are short (a few questions each, then a
new member), as real ones are, and the same length for both assistants: a
tracker that grew through hundreds of turns would measure replay, not answers.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from tests.e2e.test_intake import TARGETED_ANSWERS
from tests.support.conversations import ACCUSED, ACCUSED_START, OTHER, OTHER_START, Answers

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_PER_CONVERSATION = 5
TARGETED_START = "pupils made a fake instagram of me"
# The intakes of tests/e2e/test_intake.py and tests/support/conversations.py, up to the
# read-back (Send is left out: it stores a case, which is the delivery path, not a form turn).
INTAKES: dict[str, tuple[str, Answers]] = {
    "accused": (ACCUSED_START, ACCUSED),
    "targeted": (TARGETED_START, TARGETED_ANSWERS),
    "other": (OTHER_START, OTHER),
}


def _in_conversations(messages: list[str], seed: int) -> list[list[str]]:
    """Shuffle (reproducibly) and cut into conversations of QUESTIONS_PER_CONVERSATION."""
    shuffled = list(messages)
    random.Random(seed).shuffle(shuffled)
    size = QUESTIONS_PER_CONVERSATION
    return [shuffled[i : i + size] for i in range(0, len(shuffled) - size + 1, size)]


def our_questions(rounds: int = 4) -> list[list[str]]:
    """Every catalogue question (spec/topics.yml `asks`), in several shuffles."""
    topics = yaml.safe_load((ROOT / "spec" / "topics.yml").read_text())["topics"]
    asks = [topic["asks"] for topic in topics]
    return [conv for seed in range(rounds) for conv in _in_conversations(asks, seed)]


def starter_examples(starter_dir: Path) -> list[str]:
    """The starter assistant's own NLU examples (greet, goodbye, moods, bot challenge...)."""
    nlu = yaml.safe_load((starter_dir / "data" / "nlu.yml").read_text())["nlu"]
    return [
        line.strip()[2:].strip()
        for block in nlu
        if "intent" in block
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def starter_questions(starter_dir: Path, rounds: int = 4) -> list[list[str]]:
    examples = starter_examples(starter_dir)
    return [conv for seed in range(rounds) for conv in _in_conversations(examples, seed)]


def intake_conversations() -> list[list[str]]:
    """Each intake from its opening message through every answer to the read-back."""
    return [[start, *(typed for _, typed in answers)] for start, answers in INTAKES.values()]
