"""Conversation repair through the running servers: what frightened members actually say between answers.

Each test is a whole conversation on the REST channel: questions of the member's own,
answers that fit the track, corrections in their own words (one or two at once, or to
an answer the case does not have), worry that is not danger, a stop that isn't quite one,
a change of mind, the safety tier inside every form, and messages in other languages.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_intake import answer_all, asked, send
from tests.support.conversations import ACCUSED as ACCUSED_ANSWERS
from tests.support.replies import buttons, dump, texts
from tests.support.stack import Stack

READBACK_BUTTONS = {"Send", "Change an answer", "Cancel"}
DANGER = ("999", "116 123")
DELETED = "deleted what you entered"
TARGETED_START = "some pupils have made a fake account pretending to be me"


def at_readback(stack: Stack, sender: str) -> list[dict[str, Any]]:
    replies = answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS)
    assert "Here's what I'll send" in texts(replies), dump(replies)
    return replies


def is_readback(replies: list[dict[str, Any]]) -> bool:
    return "Here's what I'll send" in texts(replies) and set(buttons(replies)) >= READBACK_BUTTONS


def test_a_worried_question_mid_form_gets_an_honest_answer_not_a_wrong_answer(stack, sender):
    replies = answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS[:3])
    assert asked(replies, "process_stage"), dump(replies)
    replies = stack.chat(sender, "could I actually get sacked for this?")
    said = texts(replies)
    assert "can't say what will happen" in said and "adviser" in said, dump(replies)
    assert "Which is closest" not in said and not any(n in said for n in DANGER)
    assert asked(replies, "process_stage")


def test_what_should_i_do_when_targeted_never_gets_the_apology_advice(stack, sender):
    replies = stack.chat(sender, TARGETED_START)
    replies = stack.chat(sender, "They made a fake account in my name and are messaging my pupils.")
    assert asked(replies, "platforms"), dump(replies)
    said = texts(stack.chat(sender, "what should I do right now?"))
    assert "keep a copy" in said and "apologise" not in said.lower() and "try to get the post removed" not in said, said


def test_a_correction_at_the_readback_updates_it_and_keeps_the_buttons(stack, sender):
    at_readback(stack, sender)
    replies = stack.chat(sender, "the hearing is on Wednesday 9th December, not Thursday")
    assert is_readback(replies), dump(replies)
    assert "Next meeting, hearing or deadline: Wednesday 9 December" in texts(replies)


def test_a_one_line_correction_with_an_apology_never_deletes_the_case(stack, sender):
    at_readback(stack, sender)
    replies = stack.chat(sender, "sorry, my mistake, it happened on the 12th of November not the 21st")
    said = texts(replies)
    assert DELETED not in said and is_readback(replies), dump(replies)
    assert "When it happened: Thursday 12 November" in said


def test_two_corrections_in_one_message(stack, sender):
    at_readback(stack, sender)
    replies = stack.chat(sender, "it was on TikTok not Twitter, and my email is sam.lee@example.org")
    said = texts(replies)
    assert "Platforms: TikTok" in said and "sam.lee@example.org" in said and is_readback(replies), dump(replies)


def test_a_correction_to_an_answer_the_track_does_not_have(stack, sender):
    answers = [
        ("description", "Pupils made a fake account of me."), ("platforms", "Instagram"), ("occurred_on", "not sure"),
        ("posted_by", "A pupil or pupils"), ("still_online", "yes"), ("evidence_kept", "yes"), ("feels_unsafe", "no"),
        ("role", "teacher"), ("workplace", "Riverside Primary"), ("has_rep", "no"), ("work_area", "Southvale"), ("consent_share", "yes"),
        ("consent_transcript", "no"), ("name", "Alex Morgan"), ("contact", "alex@example.org"), ("membership_number", "skip"),
    ]
    replies = answer_all(stack, sender, TARGETED_START, answers)
    assert "Here's what I'll send" in texts(replies), dump(replies)
    replies = stack.chat(sender, "actually the hearing is on the 15th")
    assert "haven't asked about" in texts(replies) and is_readback(replies), dump(replies)


def test_a_stop_that_is_really_a_correction_is_asked_about_and_carries_on(stack, sender):
    at_readback(stack, sender)
    replies = stack.chat(sender, "no wait stop, it was Instagram")
    assert "Do you want to stop and delete" in texts(replies), dump(replies)
    assert {"Yes, delete it", "No, carry on"} <= set(buttons(replies))
    replies = stack.chat(sender, "no, carry on")
    said = texts(replies)
    assert DELETED not in said and "Platforms: Instagram" in said and is_readback(replies), dump(replies)
    reference, _ = send(stack, sender)
    assert stack.wait_for_handoff(reference)["incident"]["platforms"] == ["Instagram"]


def test_delete_everything_at_the_readback_erases_and_the_conversation_carries_on(stack, sender):
    """The intake form hands over to the erasure (which the tracker store acts on), then listens."""
    at_readback(stack, sender)
    said = texts(stack.chat(sender, "please delete everything i've said"))
    assert "cleared what you told me" in said and "didn't quite understand" not in said, said
    said = texts(stack.chat(sender, "/confirm_send"))
    assert "nothing waiting to be sent" in said, said  # nothing left to send, and no fallback loop
    assert "Hello" in texts(stack.chat(sender, "hi"))


def test_a_question_in_the_middle_of_the_consent_step(stack, sender):
    replies = answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS[:10])
    assert asked(replies, "consent_share"), dump(replies)
    replies = stack.chat(sender, "who will see what I tell you?")
    assert "Which is closest" not in texts(replies) and asked(replies, "consent_share"), dump(replies)


def test_worry_as_what_happened_is_acknowledged_gently_and_not_stored(stack, sender):
    stack.chat(sender, "I've been accused over a post")
    replies = stack.chat(sender, "I'm scared I'm going to lose my job")
    said = texts(replies)
    assert not any(n in said for n in DANGER), dump(replies)
    assert "08000 562 561" in said and "tell me briefly what happened" in said  # asked again, gently
    replies = stack.chat(sender, "A parent complained to the head about a post I made about a school trip.")
    assert asked(replies, "platforms"), dump(replies)


def test_after_stopping_a_change_of_mind_starts_again(stack, sender):
    stack.chat(sender, "my head wants a meeting about a tweet")
    assert DELETED in texts(stack.chat(sender, "stop"))
    replies = stack.chat(sender, "actually no wait I do want help")
    said = texts(replies)
    assert "deleted when you stopped" in said and asked(replies, "description"), dump(replies)


@pytest.mark.parametrize(
    ("start", "first_question_words"),
    [
        ("my head wants a meeting about a tweet", "what happened"),
        ("I'd like to review our school's social media policy", "1 of"),
        ("can you check my own social media for me", "1 of"),
    ],
    ids=["intake", "policy review", "personal check-up"],
)
def test_danger_is_signposted_first_inside_every_form(stack, sender, start, first_question_words):
    replies = stack.chat(sender, start)
    assert first_question_words in texts(replies).lower(), dump(replies)
    replies = stack.chat(sender, "honestly everyone would be better off without me")
    assert all(n in (replies[0].get("text") or "") for n in DANGER), dump(replies)


def test_a_topic_picked_from_did_you_mean_mid_form_is_answered_and_the_form_resumes(stack, sender):
    stack.chat(sender, TARGETED_START)
    stack.chat(sender, "They made a fake account in my name.")
    replies = stack.chat(sender, '/choose_topic{"topic": "untag_facebook"}')
    said = texts(replies)
    assert "remove tag" in said and asked(replies, "platforms"), dump(replies)


def test_did_you_mean_outside_a_form_answers_the_chosen_topic(stack, sender):
    replies = stack.chat(sender, '/choose_topic{"topic": "consult_unions"}')
    assert "unions" in texts(replies).lower(), dump(replies)


@pytest.mark.parametrize(
    ("message", "welsh"),
    [
        ("Czy mogę przyjąć zaproszenie do znajomych od ucznia na Facebooku?", False),
        ("Mae disgybl wedi anfon cais ffrind ataf ar Facebook, beth ddylwn i ei wneud?", True),
    ],
)
def test_a_message_in_another_language_is_never_given_a_topic_answer(stack, sender, message, welsh):
    replies = stack.chat(sender, message)
    said = texts(replies)
    assert "only understand messages in English" in said and "0345 811 8111" in said, dump(replies)
    assert ("Saesneg" in said) is welsh
    assert "Source:" not in said
