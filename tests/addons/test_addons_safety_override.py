"""The pipeline's safety step: the only one that may say safety_crisis (rasa_addons/safety_override.py)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_addons.safety_override import CLASSES, SafetyOverride, danger_threshold


def step() -> SafetyOverride:
    """The step with its patterns only (no trained backstop): what every check below relies on."""
    return SafetyOverride({"examples": "data/safety", "model": "minilm-l6-int8", "random_seed": 42}, None, None)


def message(text: str, intent: str, ranking: list[tuple[str, float]]) -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": ranking[0][1]},
                         "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})


def run(text: str, intent: str, ranking: list[tuple[str, float]]) -> Message:
    return step().process([message(text, intent, ranking)])[0]


def test_danger_in_the_words_is_safety_crisis_whatever_was_guessed():
    m = run("a dad said he'd be waiting for me after school and I'd regret it", "report_targeted", [("report_targeted", 0.9)])
    assert m.get("intent") == {"name": "safety_crisis", "confidence": 1.0} and m.get("wellbeing") == "danger"
    assert m.get("intent_ranking")[0]["name"] == "safety_crisis"


def test_a_guess_of_safety_crisis_that_the_checks_do_not_share_is_distress_or_the_next_guess():
    distressed = run("I feel so humiliated and I can't sleep", "safety_crisis", [("safety_crisis", 0.6), ("out_of_scope", 0.3)])
    assert distressed.get("intent")["name"] == "feeling_distressed" and distressed.get("wellbeing") == "distress"
    other = run("abort this please", "safety_crisis", [("safety_crisis", 0.5), ("stop", 0.4)])
    assert other.get("intent")["name"] == "stop" and other.get("wellbeing") is None


def test_ordinary_messages_and_buttons_are_left_alone():
    m = run("can I accept a friend request from a pupil?", "faq", [("faq", 0.98)])
    assert m.get("intent")["name"] == "faq" and m.get("wellbeing") is None
    button = run("/stop", "stop", [("stop", 1.0)])
    assert button.get("intent")["name"] == "stop"


def test_the_threshold_is_the_lowest_whose_false_alarms_stay_within_the_limits():
    labels = np.array([CLASSES.index(c) for c in ["danger"] * 10 + ["distress"] * 100 + ["ordinary"] * 1000])
    patterns = np.zeros(len(labels), dtype=bool)
    probability = np.zeros(len(labels))
    probability[:10] = 0.95
    probability[10:13] = 0.7  # three distress messages look like danger to the model
    assert danger_threshold(labels, probability, patterns) == pytest.approx(0.71)
    patterns[13:16] = True  # and the patterns alarm on three more: no threshold can keep distress within 2%
    assert danger_threshold(labels, probability, patterns) == 1.01


class _AlarmedBackstop(SafetyOverride):
    """The step with a backstop that calls everything danger, to see when it is consulted."""

    def probabilities(self, message: Message) -> np.ndarray:
        return np.array([0.0, 0.0, 1.0])


def test_the_backstop_is_not_consulted_on_a_message_in_another_language():
    alarmed = _AlarmedBackstop({"examples": "data/safety", "model": "minilm-l6-int8", "random_seed": 42}, None, None)
    alarmed._weights = {"threshold": 0.5}
    polish = message("Dzień dobry, mam pytanie o zdjęcia", "other_language", [("other_language", 1.0)])
    english = message("can I accept a friend request from a pupil?", "faq", [("faq", 0.98)])
    polish, english = alarmed.process([polish, english])
    assert polish.get("intent")["name"] == "other_language" and polish.get("wellbeing") is None
    assert english.get("intent")["name"] == "safety_crisis"
