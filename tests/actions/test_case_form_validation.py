"""validate_case_form: one question per turn, driven the way Rasa drives it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actions.intake_form import ValidateCaseForm
from bot.intake import flow

SIGNPOST_NUMBERS = ("999", "116 123", "08000 562 561")
ADVICELINE = "0345 811 8111"

# A valid typed answer for each field, and the value it is stored as.
VALID = {
    "description": ("Someone posted a photo of me", "Someone posted a photo of me"),
    "platforms": ("Facebook", ["Facebook"]),
    "occurred_on": ("not sure", "unknown"),
    "process_stage": ("An investigation", "investigation"),
    "next_date": ("no date", "unknown"),
    "police_involved": ("no", False),
    "posted_by": ("A parent or carer", ["parent"]),
    "still_online": ("yes", True),
    "evidence_kept": ("yes", True),
    "feels_unsafe": ("no", False),
    "role": ("class teacher", {"role": "class teacher", "is_leader": False}),
    "workplace": ("Hillside Academy", "Hillside Academy"),
    "has_rep": ("not sure", "unknown"),
    "work_area": ("NT4 7AB", {"said": "NT4 7AB", "destination_id": "branch-northtown", "area": "NT4"}),
    "consent_share": ("yes", True),
    "consent_transcript": ("no", False),
    "name": ("Sam Lee", "Sam Lee"),
    "contact": ("sam@example.org", {"kind": "email", "value": "sam@example.org"}),
    "membership_number": ("skip", "unknown"),
}
MEMBER_ORDER = ["role", "workplace", "has_rep", "work_area", "consent_share", "consent_transcript", "name", "contact", "membership_number"]
ORDER = {
    "accused": ["description", "platforms", "occurred_on", "process_stage", "next_date", "police_involved", *MEMBER_ORDER],
    "targeted": ["description", "platforms", "occurred_on", "posted_by", "still_online", "evidence_kept", "feels_unsafe", *MEMBER_ORDER],
    "other": ["description", *MEMBER_ORDER],
}
ACTIVE = {"intake_status": "active"}
ACCUSED_SO_FAR = {**ACTIVE, "case_type": "accused", "description": "A parent complained about my post",
                  "platforms": ["Facebook"], "occurred_on": "unknown"}
TARGETED_SO_FAR = {**ACTIVE, "case_type": "targeted", "description": "Pupils made a fake account of me",
                   "platforms": ["Instagram"], "occurred_on": "unknown", "posted_by": ["pupil"]}


def problem(field: str, text: str) -> str:
    return flow.parse_answer(field, text, datetime(2026, 11, 24, 10, tzinfo=timezone.utc)).problem


@pytest.mark.parametrize("track", ORDER)
def test_valid_answers_are_kept_and_the_questions_follow_the_track(track, tracker, run):
    slots = {**ACTIVE, "case_type": track}
    assert run(ValidateCaseForm(), tracker(slots)).slots == {"requested_slot": "description"}
    asked_next = []
    for field in ORDER[track]:
        text, value = VALID[field]
        result = run(ValidateCaseForm(), tracker(slots, text, ask=field))
        assert result.slots[field] == value, field
        assert result.messages == [], field
        slots = {**slots, **result.slots}
        asked_next.append(result.slots["requested_slot"])
    assert asked_next == [*ORDER[track][1:], "confirm"]  # then the read-back


@pytest.mark.parametrize("status", [None, "sent", "cancelled"])
def test_with_no_intake_under_way_the_form_ends_at_once(status, tracker, run):
    result = run(ValidateCaseForm(), tracker({"intake_status": status}, "hello there", ask="description"))
    assert result.events == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": None}]
    assert result.messages == []


def test_an_invalid_answer_is_explained_counted_and_asked_again(tracker, run):
    result = run(ValidateCaseForm(), tracker(ACCUSED_SO_FAR | {"occurred_on": None}, "banana", ask="occurred_on"))
    assert result.slots == {"occurred_on": None, "form_failures": {"occurred_on": 1}, "requested_slot": "occurred_on"}
    assert result.texts == [problem("occurred_on", "banana")]
    assert result.button_titles == []


def test_a_second_miss_on_an_optional_field_offers_skip(tracker, run):
    slots = ACCUSED_SO_FAR | {"occurred_on": None, "form_failures": {"occurred_on": 1}}
    result = run(ValidateCaseForm(), tracker(slots, "purple", ask="occurred_on"))
    assert result.slots["form_failures"] == {"occurred_on": 2}
    assert result.slots["requested_slot"] == "occurred_on"
    assert result.texts[0].startswith(problem("occurred_on", "purple"))
    assert "Skip" in result.texts[0]
    assert result.messages[0]["buttons"] == [{"title": "Skip", "payload": "skip"}]


def test_a_second_miss_on_a_required_field_offers_the_adviceline(tracker, run):
    slots = {**ACTIVE, "case_type": "other", "description": "help", "name": "Sam", "form_failures": {"contact": 1}}
    result = run(ValidateCaseForm(), tracker(slots, "banana", ask="contact"))
    assert result.slots["form_failures"] == {"contact": 2}
    assert result.slots["contact"] is None
    assert ADVICELINE in result.texts[0] and '"stop"' in result.texts[0]
    assert result.button_titles == []


def test_failures_are_counted_per_field_and_reset_by_a_good_answer(tracker, run):
    slots = ACCUSED_SO_FAR | {"occurred_on": None, "form_failures": {"contact": 1}}
    missed = run(ValidateCaseForm(), tracker(slots, "banana", ask="occurred_on"))
    assert missed.slots["form_failures"] == {"contact": 1, "occurred_on": 1}
    assert missed.button_titles == []  # only one miss on this field
    answered = run(ValidateCaseForm(), tracker(slots | missed.slots, "last Tuesday", ask="occurred_on"))
    assert answered.slots["form_failures"] == {"contact": 1, "occurred_on": 0}
    assert answered.slots["requested_slot"] == "process_stage"


def test_stop_discards_every_answer(tracker, run, answers):
    slots = answers["targeted"] | ACTIVE | {"workplace": None, "form_failures": {"role": 1}}
    result = run(ValidateCaseForm(), tracker(slots, "stop", "stop", 0.97, ask="workplace"))
    assert result.slots["intake_status"] == "cancelled"
    assert result.slots["requested_slot"] is None
    for name in [*flow.FIELDS, "form_failures", "consent_given_at", "prefers_adviceline"]:
        assert name in result.slots and result.slots[name] is None, name
    assert result.slots["case_type"] == "targeted"  # kept (it says nothing about the member) for a change of mind
    assert "deleted what you entered" in result.text


def test_no_to_a_yes_no_question_is_an_answer_even_if_the_nlu_says_stop(tracker, run):
    slots = ACCUSED_SO_FAR | {"process_stage": "investigation", "next_date": "unknown"}
    result = run(ValidateCaseForm(), tracker(slots, "no", "stop", 0.9, ask="police_involved"))
    assert result.slots["police_involved"] is False
    assert result.slots["requested_slot"] == "role"


def test_a_catalogue_question_is_answered_and_the_same_question_asked_again(tracker, run):
    slots = ACCUSED_SO_FAR
    message = "Can I accept friend requests from parents?"
    result = run(ValidateCaseForm(), tracker(slots, message, "faq", 0.95, "parents_as_friends", ask="process_stage"))
    assert result.responses == ["utter_faq/parents_as_friends"]
    assert result.slots["process_stage"] is None
    assert result.slots["requested_slot"] == "process_stage"
    assert "form_failures" not in result.slots


def test_a_change_of_track_asks_the_new_tracks_questions(tracker, run):
    message = "Actually it's parents posting horrible things about me"
    result = run(ValidateCaseForm(), tracker(ACCUSED_SO_FAR, message, "report_targeted", 0.95, ask="process_stage"))
    assert result.slots["case_type"] == "targeted"
    assert result.slots["requested_slot"] == "posted_by"
    assert "what's been posted about you" in result.text


def test_a_safety_intent_signposts_and_the_answer_is_still_kept(tracker, run):
    message = "they said they'll come to my house and hurt me"
    slots = {**ACTIVE, "case_type": "targeted"}
    result = run(ValidateCaseForm(), tracker(slots, message, "safety_crisis", 0.9, ask="description"))
    assert all(number in result.texts[0] for number in SIGNPOST_NUMBERS)
    assert result.slots["safety_concern"] is True
    assert result.slots["description"] == message
    assert result.slots["requested_slot"] == "platforms"


def test_safety_words_signpost_whatever_the_nlu_guessed(tracker, run):
    result = run(ValidateCaseForm(), tracker(TARGETED_SO_FAR, "A parent has threatened to hurt me", ask="still_online"))
    assert all(number in result.texts[0] for number in SIGNPOST_NUMBERS)
    assert result.slots["safety_concern"] is True
    assert result.slots["requested_slot"] == "still_online"  # not an answer to "is it still online?"


def test_a_threat_in_the_text_signposts_without_the_safety_intent(tracker, run):
    message = "they said they'll come to my house and hurt me"
    result = run(ValidateCaseForm(), tracker({**ACTIVE, "case_type": "targeted"}, message, "unclear", 0.4, ask="description"))
    assert result.slots.get("safety_concern") is True
    assert any("999" in text for text in result.texts)


def test_feeling_unsafe_signposts(tracker, run):
    slots = TARGETED_SO_FAR | {"still_online": True, "evidence_kept": True}
    result = run(ValidateCaseForm(), tracker(slots, "yes", "affirm", 0.99, ask="feels_unsafe"))
    assert result.slots["feels_unsafe"] is True
    assert result.slots["safety_concern"] is True
    assert all(number in result.texts[0] for number in SIGNPOST_NUMBERS)
    assert result.slots["requested_slot"] == "role"


def test_consent_records_when_it_was_given(tracker, run, answers):
    slots = answers["other"] | ACTIVE | {"consent_share": None, "consent_given_at": None, "consent_transcript": None,
                                         "name": None, "contact": None, "membership_number": None}
    result = run(ValidateCaseForm(), tracker(slots, "yes", "affirm", 0.99, ask="consent_share"))
    assert result.slots["consent_share"] is True
    given_at = datetime.fromisoformat(result.slots["consent_given_at"])
    assert given_at.utcoffset() is not None
    assert result.slots["requested_slot"] == "consent_transcript"


def test_declining_consent_ends_the_questions(tracker, run, answers):
    slots = answers["other"] | ACTIVE | {"consent_share": None, "consent_given_at": None, "consent_transcript": None,
                                         "name": None, "contact": None, "membership_number": None}
    result = run(ValidateCaseForm(), tracker(slots, "no", "deny", 0.99, ask="consent_share"))
    assert result.slots["consent_share"] is False
    assert "consent_given_at" not in result.slots
    assert result.slots["requested_slot"] is None


def test_choosing_an_answer_to_change_clears_it_and_asks_it_again(tracker, run, answers):
    slots = answers["accused"] | {"intake_status": "editing", "case_reference": "SSN-2611-ABC123"}
    assert run(ValidateCaseForm(), tracker(slots)).slots == {"requested_slot": "field_to_change"}
    result = run(ValidateCaseForm(), tracker(slots, "Workplace", ask="field_to_change"))
    assert result.slots["field_to_change"] == "workplace"
    assert result.slots["workplace"] is None
    assert result.slots["requested_slot"] == "workplace"
    again = run(ValidateCaseForm(), tracker(slots | result.slots, "Oak Lane Primary", ask="workplace"))
    assert again.slots["workplace"] == "Oak Lane Primary"
    assert again.slots["requested_slot"] == "confirm"  # the read-back again
