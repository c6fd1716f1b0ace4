"""Actions outside the intake: answers from the catalogue, fallback, safety, a bare yes or no."""

from __future__ import annotations

import pytest

from actions.answers import ActionBeforeAnswer, ActionFallback
from actions.intake import ActionSafetySignpost, ActionYesNo


@pytest.mark.parametrize(
    ("intent", "topic"),
    [("faq", "parents_as_friends"), ("faq/parents_as_friends", None)],
    ids=["response-selector", "retrieval-intent"],
)
def test_before_an_answer_the_topic_is_noted_and_the_adviceline_status_filled(intent, topic, tracker, run):
    slots = {"guidance_given": ["pupils_as_friends"]}
    result = run(ActionBeforeAnswer(), tracker(slots, "Can I accept friend requests from parents?", intent, 0.95, topic))
    assert result.slots["guidance_given"] == ["pupils_as_friends", "parents_as_friends"]
    assert result.slots["adviceline_status"].startswith("The AdviceLine is")
    assert result.messages == []


def test_a_topic_answered_twice_is_noted_once(tracker, run):
    slots = {"guidance_given": ["parents_as_friends"]}
    result = run(ActionBeforeAnswer(), tracker(slots, "parents as friends?", "faq", 0.9, "parents_as_friends"))
    assert result.slots["guidance_given"] == ["parents_as_friends"]


def test_the_first_miss_asks_to_rephrase(tracker, user_event, run):
    history = [user_event("hello", "greet", 0.99)]
    result = run(ActionFallback(), tracker({}, "asdf qwerty", "nlu_fallback", 0.2, history=history))
    assert "Could you put it another way?" in result.text
    assert result.button_titles == ["See what I can do"]
    assert result.events == []


@pytest.mark.parametrize("earlier", ["nlu_fallback", "unclear"])
def test_a_second_miss_in_a_row_offers_a_person(earlier, tracker, user_event, run):
    history = [user_event("hello", "greet", 0.99), user_event("blah", earlier, 0.3)]
    result = run(ActionFallback(), tracker({}, "hmm what", "unclear", 0.6, history=history))
    assert "0345 811 8111" in result.text
    assert "The AdviceLine is" in result.text
    assert result.button_titles == ["Talk to a person", "See what I can do"]
    assert result.messages[0]["buttons"][0]["payload"] == "/request_human"


def test_an_understood_message_in_between_starts_the_count_again(tracker, user_event, run):
    history = [user_event("blah", "nlu_fallback", 0.2), user_event("thanks", "thank", 0.99)]
    result = run(ActionFallback(), tracker({}, "hmm what", "nlu_fallback", 0.2, history=history))
    assert "Could you put it another way?" in result.text


def test_safety_signpost_comes_first_then_a_way_to_the_union(tracker, run):
    result = run(ActionSafetySignpost(), tracker({}, "I want to end it all", "safety_crisis", 0.97))
    assert len(result.messages) == 2
    assert all(number in result.texts[0] for number in ("999", "116 123", "08000 562 561"))
    assert "0345 811 8111" in result.texts[1]
    assert result.button_titles == ["Pass my details to the NEU", "I'm being targeted online"]
    assert result.slots == {"safety_concern": True}


def test_yes_outside_a_readback_offers_the_topics(tracker, run):
    result = run(ActionYesNo(), tracker({}, "yes", "affirm", 0.99))
    assert result.responses == ["utter_topics"]
    assert result.events == []


def test_no_outside_a_readback_is_a_polite_next_step(tracker, run):
    result = run(ActionYesNo(), tracker({"intake_status": "sent", "case_reference": "SSN-2611-SENT01"}, "no", "deny", 0.99))
    assert result.events == []
    assert '"menu"' in result.text
