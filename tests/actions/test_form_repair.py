"""Conversation repair in the intake (and the check-ups): what members say between answers.

Corrections in their own words at the read-back and at any question, questions of their
own, worry that is not danger, "stop" that isn't quite a stop, answers that fit the track.
"""

from __future__ import annotations

import pytest

from actions import messages
from actions.checkups import ValidatePersonalCheckupForm
from actions.guided_form import STOP_CONFIRMATION, STOP_PENDING_SLOT
from actions.intake_form import ValidateCaseForm

READY = {"intake_status": "ready", "case_reference": "SSN-2612-FIX001"}
DANGER_NUMBERS = ("999", "116 123")


def readback_turn(tracker, answers, track, text, intent="unclear", confidence=0.4, **extra):
    return tracker(answers[track] | READY | extra, text, intent, confidence, ask="confirm")


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_at_the_readback_changes_the_answer_and_shows_the_readback_again(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "sorry, it was Instagram not Twitter"))
    assert result.slots["platforms"] == ["Instagram"]
    assert result.slots["requested_slot"] == "confirm"  # the read-back, with its buttons, again
    assert "I've changed that" in result.text and "Platforms: Instagram" in result.text
    assert result.slots.get("intake_status") != "cancelled" and "description" not in result.slots


def test_the_hearing_is_next_wednesday_not_thursday(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "the hearing is on Wednesday 9th December not Thursday"))
    assert result.slots["next_date"] == "2026-12-09"
    assert result.slots["requested_slot"] == "confirm"


def test_two_corrections_in_one_message(tracker, run, answers):
    text = "my email is sam.lee@example.org and it was on TikTok, not Twitter"
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", text))
    assert result.slots["contact"] == {"kind": "email", "value": "sam.lee@example.org"}
    assert result.slots["platforms"] == ["TikTok"]
    assert "I've changed those" in result.text


def test_a_correction_to_an_answer_this_case_does_not_have(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "targeted", "the hearing is actually on the 15th"))
    assert "next_date" not in result.slots
    assert "haven't asked about" in result.text and "Platforms" in result.text
    assert result.slots["requested_slot"] == "confirm"


def test_what_the_readback_cannot_read_says_how_to_change_an_answer_and_shows_it_again(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "hmm"))
    assert "Change an answer" in result.text
    assert result.slots["requested_slot"] == "confirm" and result.slots["confirm"] is None


@pytest.mark.parametrize(("text", "intent", "choice"), [("/confirm_send", "confirm_send", "send"), ("yes please", "affirm", "send")])
def test_send_at_the_readback_ends_the_form(tracker, run, answers, text, intent, choice):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "other", text, intent, 1.0))
    assert result.slots["confirm"] == choice and result.slots["requested_slot"] is None


def test_a_correction_while_another_question_is_asked_keeps_the_question(tracker, run, answers):
    slots = {**answers["accused"], "intake_status": "active", "police_involved": None, "role": None, "workplace": None,
             "has_rep": None, "consent_share": None, "consent_transcript": None, "name": None, "contact": None,
             "membership_number": None}
    result = run(ValidateCaseForm(), tracker(slots, "oh sorry, it actually happened on the 3rd of November", ask="police_involved"))
    assert result.slots["occurred_on"] == "2026-11-03"
    assert result.slots["requested_slot"] == "police_involved"


# --- stop, or not --------------------------------------------------------------------------------


def test_a_correction_that_sounds_like_a_stop_is_asked_about_and_nothing_is_deleted(tracker, run, answers):
    first = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "no stop, it was Instagram not Twitter", "stop", 0.8))
    assert first.slots[STOP_PENDING_SLOT] == {"text": "no stop, it was Instagram not Twitter", "asked": "confirm"}
    assert first.slots["requested_slot"] == STOP_CONFIRMATION
    assert "intake_status" not in first.slots and "platforms" not in first.slots
    slots = answers["accused"] | READY | first.slots
    second = run(ValidateCaseForm(), tracker(slots, "no, carry on", "deny", 0.95, ask=STOP_CONFIRMATION))
    assert second.slots["platforms"] == ["Instagram"]  # the correction, read after "no"
    assert second.slots[STOP_PENDING_SLOT] is None and second.slots["requested_slot"] == "confirm"
    assert messages.CARRYING_ON in second.text


def test_yes_delete_it_stops(tracker, run, answers):
    slots = answers["accused"] | READY | {STOP_PENDING_SLOT: {"text": "stop, the date is wrong", "asked": "confirm"}}
    result = run(ValidateCaseForm(), tracker(slots, "/stop", "stop", 1.0, ask=STOP_CONFIRMATION))
    assert result.slots["intake_status"] == "cancelled" and result.slots["description"] is None


def test_an_unmistakable_stop_stops_at_once(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "please just stop, I've changed my mind", "stop", 0.9))
    assert result.slots["intake_status"] == "cancelled" and result.slots["requested_slot"] is None


def test_delete_everything_ive_said_at_the_readback_stops_and_erases_the_conversation(tracker, run, answers):
    result = run(ValidateCaseForm(), readback_turn(tracker, answers, "accused", "please delete everything i've said", "delete_my_data", 0.9))
    assert result.slots["intake_status"] == "cancelled" and result.slots["description"] is None
    followups = [e["name"] for e in result.events if e["event"] == "followup"]
    assert followups == ["action_delete_my_data"]  # the tracker store erases the conversation when it runs
    assert result.texts == []  # action_delete_my_data says what was done


def test_the_checkups_ask_before_stopping_too(tracker, run):
    slots = {"checkup_status": "active", "checkup_kind": "personal_checkup"}
    result = run(ValidatePersonalCheckupForm(), tracker(slots, "hang on, stop a sec", ask="checkup_learners_as_friends"))
    assert result.slots["requested_slot"] == STOP_CONFIRMATION
    assert "checkup_status" not in result.slots  # nothing was reset


# --- the member's own questions, in context ---------------------------------------------------


def test_a_worried_question_gets_an_honest_answer_and_is_noted_for_the_adviser(tracker, run, answers):
    slots = {"intake_status": "active", "case_type": "accused", "description": "a post", "platforms": ["Facebook"],
             "occurred_on": "unknown"}
    result = run(ValidateCaseForm(), tracker(slots, "could I get sacked for this?", "unclear", 0.4, ask="process_stage"))
    assert "can't say what will happen" in result.text and "adviser" in result.text
    assert "Which is closest" not in result.text  # not treated as a wrong answer
    assert result.slots["member_questions"] == 1 and result.slots["requested_slot"] == "process_stage"
    assert "form_failures" not in result.slots


def test_what_should_i_do_in_the_targeted_track_gets_what_fits_a_target(tracker, run):
    slots = {"intake_status": "active", "case_type": "targeted", "description": "a fake account", "platforms": ["Instagram"]}
    result = run(ValidateCaseForm(), tracker(slots, "what should I do right now?", "faq", 0.9, "regret_post", ask="occurred_on"))
    assert result.responses == []  # never the regret answer (remove the post, apologise)
    assert "keep a copy" in result.text and "apologise" not in result.text.lower()


def test_the_regret_answer_is_not_given_once_there_is_a_complaint(tracker, run):
    slots = {"intake_status": "active", "case_type": "accused", "description": "a complaint about my post"}
    result = run(ValidateCaseForm(), tracker(slots, "should I delete the post?", "faq", 0.95, "regret_post", ask="platforms"))
    assert result.responses == []
    assert "talk to the union before you delete or change anything" in result.text


def test_a_fitting_catalogue_answer_is_given_mid_form(tracker, run):
    slots = {"intake_status": "active", "case_type": "targeted", "description": "photos"}
    result = run(ValidateCaseForm(), tracker(slots, "how do I untag myself?", "faq", 0.95, "untag_facebook", ask="platforms"))
    assert result.responses == ["utter_faq/untag_facebook"] and messages.BACK_TO_IT in result.text


# --- worry, distress and danger ------------------------------------------------------------------


def test_worry_as_the_description_is_acknowledged_not_stored_and_no_999(tracker, run):
    slots = {"intake_status": "active", "case_type": "accused"}
    result = run(ValidateCaseForm(), tracker(slots, "I'm scared I'm going to lose my job", ask="description"))
    assert result.slots["description"] is None and result.slots["requested_slot"] == "description"
    assert "08000 562 561" in result.text and not any(n in result.text for n in DANGER_NUMBERS)
    assert result.slots["distress_signposted"] is True
    assert "tell me briefly what happened" in result.text


def test_worry_with_what_happened_is_kept_with_a_kind_word(tracker, run):
    text = "I'm terrified, a parent has complained to the head about my Facebook post"
    result = run(ValidateCaseForm(), tracker({"intake_status": "active", "case_type": "accused"}, text, ask="description"))
    assert result.slots["description"] == text and "08000 562 561" in result.text and "999" not in result.text


def test_the_helpline_is_given_once_then_a_shorter_kind_word(tracker, run):
    slots = {"intake_status": "active", "case_type": "accused", "distress_signposted": True}
    result = run(ValidateCaseForm(), tracker(slots, "I can't sleep, I'm so anxious", ask="description"))
    assert "08000 562 561" not in result.text and messages.DISTRESS_AGAIN in result.text


@pytest.mark.parametrize(
    ("form", "slots", "ask"),
    [
        (ValidateCaseForm(), {"intake_status": "active", "case_type": "targeted"}, "description"),
        (ValidatePersonalCheckupForm(), {"checkup_status": "active", "checkup_kind": "personal_checkup"}, "checkup_privacy_checked"),
    ],
)
def test_danger_is_signposted_first_in_every_form(form, slots, ask, tracker, run):
    result = run(form, tracker(slots, "everyone would be better off without me", ask=ask))
    assert all(n in result.texts[0] for n in DANGER_NUMBERS)


# --- other languages, "did you mean" ---------------------------------------------------------------


def test_another_language_mid_form_gets_the_english_only_reply_and_the_question_again(tracker, run):
    t = tracker({"intake_status": "active", "case_type": "accused"}, "Czy mogę przyjąć ucznia?", "other_language", 1.0, ask="description")
    t.latest_message["language"] = "pl"
    result = run(ValidateCaseForm(), t)
    assert "only understand messages in English" in result.text
    assert result.slots["description"] is None and result.slots["requested_slot"] == "description"


@pytest.mark.parametrize(("asked", "typed"), [("name", "Perpetua Quillfeather"), ("workplace", "Ysgol Gymraeg Llanfair"),
                                              ("work_area", "Llanfairpwll")])
def test_a_name_or_a_school_the_language_gate_calls_foreign_is_still_the_answer(tracker, run, asked, typed):
    """Names and places are often not English words: the gate's guess must not refuse them."""
    t = tracker({"intake_status": "active", "case_type": "accused"}, typed, "other_language", 1.0, ask=asked)
    t.latest_message["language"] = "cy"
    result = run(ValidateCaseForm(), t)
    assert "only understand messages in English" not in result.text
    stored = result.slots[asked]
    assert (stored.get("said") if isinstance(stored, dict) else stored) == typed


def test_a_topic_chosen_from_did_you_mean_mid_form_is_answered_then_the_form_resumes(tracker, run):
    t = tracker({"intake_status": "active", "case_type": "targeted", "description": "x"}, '/choose_topic{"topic": "untag_facebook"}',
                "choose_topic", 1.0, ask="platforms")
    t.latest_message["entities"] = [{"entity": "topic", "value": "untag_facebook"}]
    result = run(ValidateCaseForm(), t)
    assert result.responses == ["utter_faq/untag_facebook"] and result.slots["requested_slot"] == "platforms"
