"""What a message means while the intake is asking a question."""

from __future__ import annotations

import pytest

from bot.intake.turns import Turn, classify_turn


@pytest.mark.parametrize("text", ["stop", "Cancel", "forget it", "never mind!", "STOP PLEASE"])
def test_explicit_stop_words_always_stop(text):
    assert classify_turn(
        text, "deny", 0.99, free_text=False, answer_ok=False, case_type="accused", asking_description=False
    ) == Turn("stop")


def test_valid_answer_beats_a_guessed_stop_intent():
    assert classify_turn(
        "no", "stop", 0.9, free_text=False, answer_ok=True, case_type="accused", asking_description=False
    ) == Turn("answer")


def test_stop_intent_with_high_confidence_stops_a_free_text_question():
    assert (
        classify_turn(
            "I don't want to do this any more",
            "stop",
            0.93,
            free_text=True,
            answer_ok=True,
            case_type="accused",
            asking_description=True,
        ).kind
        == "stop"
    )


def test_long_message_is_not_taken_as_stop():
    text = "I want to stop them posting about me, they put up a video of me in class and it has thousands of views"
    assert (
        classify_turn(
            text, "stop", 0.85, free_text=True, answer_ok=True, case_type="targeted", asking_description=True
        ).kind
        == "answer"
    )


def test_catalogue_question_on_a_fixed_choice_question():
    assert classify_turn(
        "can I accept friend requests from parents",
        "faq",
        0.9,
        free_text=False,
        answer_ok=False,
        case_type="accused",
        asking_description=False,
    ) == Turn("question")


def test_free_text_needs_a_question_mark_and_high_confidence():
    assert (
        classify_turn(
            "Can I add pupils on Facebook?",
            "faq",
            0.95,
            free_text=True,
            answer_ok=True,
            case_type="accused",
            asking_description=True,
        ).kind
        == "question"
    )
    assert (
        classify_turn(
            "I added a pupil on Facebook",
            "faq",
            0.95,
            free_text=True,
            answer_ok=True,
            case_type="accused",
            asking_description=True,
        ).kind
        == "answer"
    )
    assert (
        classify_turn(
            "Can I add pupils on Facebook?",
            "faq",
            0.75,
            free_text=True,
            answer_ok=True,
            case_type="accused",
            asking_description=True,
        ).kind
        == "answer"
    )


def test_low_confidence_question_is_an_answer_attempt():
    assert (
        classify_turn(
            "whatever", "faq", 0.5, free_text=False, answer_ok=False, case_type="accused", asking_description=False
        ).kind
        == "answer"
    )


def test_change_of_track_mid_form():
    assert classify_turn(
        "actually pupils made a fake account of me",
        "report_targeted",
        0.9,
        free_text=False,
        answer_ok=False,
        case_type="accused",
        asking_description=False,
    ) == Turn("switch", "targeted")


def test_asking_for_a_person_then_describing_an_allegation_switches_track():
    assert classify_turn(
        "I've been suspended over a post",
        "report_accused",
        0.95,
        free_text=True,
        answer_ok=True,
        case_type="other",
        asking_description=True,
    ) == Turn("switch", "accused")


def test_description_in_a_track_does_not_switch():
    assert (
        classify_turn(
            "they made a fake account",
            "report_targeted",
            0.95,
            free_text=True,
            answer_ok=True,
            case_type="accused",
            asking_description=True,
        ).kind
        == "answer"
    )


def test_same_track_is_not_a_switch():
    assert (
        classify_turn(
            "pupils posted a video",
            "report_targeted",
            0.95,
            free_text=False,
            answer_ok=False,
            case_type="targeted",
            asking_description=False,
        ).kind
        == "answer"
    )


def test_an_answer_attempt_is_not_taken_for_a_question():
    """'ring me on 12345' may look like an AdviceLine question to the NLU; it is a (bad) answer."""
    assert (
        classify_turn(
            "ring me on 12345",
            "faq",
            1.0,
            free_text=False,
            answer_ok=False,
            case_type="other",
            asking_description=False,
        ).kind
        == "answer"
    )
    assert (
        classify_turn(
            "how do I contact the adviceline",
            "faq",
            0.95,
            free_text=False,
            answer_ok=False,
            case_type="other",
            asking_description=False,
        ).kind
        == "question"
    )
