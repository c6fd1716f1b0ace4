"""Answer, "did you mean", or unsure: the decision from the classifiers' scores (bot.understanding)."""

from __future__ import annotations

import pytest

from bot.topics import INTENT_TITLES, TOPIC_TITLES, catalogue_ids, title
from bot.understanding import OFFERABLE_INTENTS, Candidate, candidates, choose, choose_from_parse


def ranked(intents, topics=()):
    return candidates(intents, topics)


def test_the_faq_score_is_shared_out_over_its_topics():
    ranking = ranked([("faq", 0.8), ("report_targeted", 0.2)], [("faq/untag_facebook", 0.5), ("faq/regret_post", 0.5)])
    assert [(c.key, round(c.confidence, 2)) for c in ranking] == [
        ("faq/untag_facebook", 0.4), ("faq/regret_post", 0.4), ("report_targeted", 0.2)
    ]


def test_a_clear_leader_is_answered():
    choice = choose(ranked([("faq", 0.97), ("greet", 0.03)], [("faq/learners_as_friends", 0.95), ("faq/parents_as_friends", 0.05)]))
    assert choice.kind == "answer" and choice.options[0].key == "faq/learners_as_friends"


@pytest.mark.parametrize(
    ("intents", "topics", "expected"),
    [
        # two topics close together
        ([("faq", 0.95)], [("faq/untag_facebook", 0.5), ("faq/posting_photos", 0.45)], ("faq/untag_facebook", "faq/posting_photos")),
        # a topic and an intake, close together
        ([("faq", 0.5), ("report_targeted", 0.47)], [("faq/untag_facebook", 0.9)], ("report_targeted", "faq/untag_facebook")),
        # a middling leader with a plausible second
        ([("faq", 0.9)], [("faq/policy_contents", 0.52), ("faq/consult_unions", 0.31)], ("faq/policy_contents", "faq/consult_unions")),
    ],
)
def test_close_or_middling_readings_are_offered(intents, topics, expected):
    choice = choose(ranked(intents, topics))
    assert choice.kind == "did_you_mean" and tuple(c.key for c in choice.options) == expected


def test_only_offerable_things_are_offered():
    # A greeting is never a button; nor is "out of scope".
    choice = choose(ranked([("out_of_scope", 0.35), ("greet", 0.33), ("faq", 0.32)], [("faq/regret_post", 1.0)]))
    assert choice.kind == "unsure"
    assert not Candidate("greet", 0.5).offerable and Candidate("faq", 0.5, "regret_post").offerable


def test_a_confident_non_topic_intent_is_left_alone():
    choice = choose(ranked([("greet", 0.52), ("faq", 0.48)], [("faq/regret_post", 1.0)]))
    assert choice.kind == "answer" and choice.options[0].key == "greet"


def test_nothing_plausible_is_unsure_and_fallback_scores_are_ignored():
    assert choose(ranked([("nlu_fallback", 0.9), ("greet", 0.3), ("faq", 0.2)], [("faq/x", 0.5), ("faq/y", 0.5)])).kind == "unsure"
    assert choose([]).kind == "unsure"


def test_from_a_rasa_parse():
    parse = {
        "intent": {"name": "faq", "confidence": 0.9},
        "intent_ranking": [{"name": "faq", "confidence": 0.9}, {"name": "out_of_scope", "confidence": 0.1}],
        "response_selector": {"faq": {"ranking": [
            {"intent_response_key": "faq/untag_facebook", "confidence": 0.55},
            {"intent_response_key": "faq/posting_photos", "confidence": 0.40},
        ]}},
    }
    choice = choose_from_parse(parse)
    assert choice.kind == "did_you_mean" and [c.topic for c in choice.options] == ["untag_facebook", "posting_photos"]


def test_every_catalogue_topic_and_offerable_intent_has_a_short_title():
    assert set(TOPIC_TITLES) == set(catalogue_ids())
    assert set(INTENT_TITLES) == set(OFFERABLE_INTENTS)
    assert all(len(t) <= 40 for t in [*TOPIC_TITLES.values(), *INTENT_TITLES.values()])
    assert title("faq", "regret_post") == "A post I regret" and title("report_accused").startswith("I've been accused")
