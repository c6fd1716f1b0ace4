"""Actions outside the intake: answers from the catalogue, fallback, safety, a bare yes or no."""

from __future__ import annotations

import pytest

from actions.answers import ActionFallback
from actions.conversation import guidance_given, slot_values
from actions.intake import ActionSafetySignpost, ActionYesNo


def answered(bot_event, *topics: str) -> list[dict]:
    return [bot_event(f"About {t}...", f"utter_faq/{t}") for t in topics]


def test_the_topics_answered_are_read_from_what_was_said_once_each_in_order(tracker, user_event, bot_event):
    history = [
        user_event("hi", "greet", 0.99), bot_event("Hello!", "utter_greet"),
        *answered(bot_event, "learners_as_friends", "parents_as_friends", "learners_as_friends"),
        bot_event("Now, back to where we were."),
    ]
    assert guidance_given(tracker({}, "thanks", "thank", 0.9, history=history)) == ["learners_as_friends", "parents_as_friends"]


@pytest.mark.parametrize(
    "reset",
    [{"event": "session_started"}, {"event": "action", "name": "action_delete_my_data"}],
    ids=["new-session", "delete-my-data"],
)
def test_a_new_session_or_a_deletion_starts_the_topics_afresh(reset, tracker, bot_event):
    history = [*answered(bot_event, "untag_facebook"), reset, *answered(bot_event, "privacy_settings")]
    assert guidance_given(tracker({}, "thanks", "thank", 0.9, history=history)) == ["privacy_settings"]


def test_the_topics_reach_the_intake_values(tracker, bot_event):
    values = slot_values(tracker({"role": "teacher"}, "ok", "affirm", 0.9, history=answered(bot_event, "regret_post")))
    assert values["guidance_given"] == ["regret_post"]
    assert values["role"] == "teacher"


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
