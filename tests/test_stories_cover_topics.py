"""Every catalogue topic has a Rasa test story, and conversation stories cover the issue's cases."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOPIC_IDS = {t["id"] for t in yaml.safe_load((ROOT / "spec" / "topics.yml").read_text())["topics"]}


def _stories() -> list[dict]:
    stories = []
    for path in sorted((ROOT / "tests" / "stories").glob("*.yml")):
        stories += yaml.safe_load(path.read_text()).get("stories", [])
    return stories


def _intents(story: dict) -> list[str]:
    return [step["intent"] for step in story["steps"] if "intent" in step]


def test_one_test_story_per_topic():
    covered = {i.split("/", 1)[1] for s in _stories() for i in _intents(s) if i.startswith("faq/")}
    assert covered >= TOPIC_IDS, f"topics without a test story: {sorted(TOPIC_IDS - covered)}"


def test_fallback_out_of_scope_and_multi_question_stories():
    intents = [_intents(s) for s in _stories()]
    assert any("nlu_fallback" in i for i in intents)
    assert any("out_of_scope" in i for i in intents)
    assert any(sum(x.startswith("faq/") for x in i) >= 2 for i in intents)
