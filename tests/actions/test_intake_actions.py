"""Around the form: starting an intake, the read-back, changing, choosing the AdviceLine, stopping."""

from __future__ import annotations

import re

import pytest

from actions.intake import (
    ActionAskConfirm,
    ActionAskFieldToChange,
    ActionBeginChange,
    ActionCaseFormDone,
    ActionDeleteMyData,
    ActionPreferAdviceline,
    ActionStartIntake,
    ActionStop,
)
from bot.intake import flow

REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,31}$")
ADVICELINE = "0345 811 8111"
# What the member entered in an intake (the track and status are checked separately).
INTAKE_ANSWER_SLOTS = [*flow.FIELDS, "form_failures", "consent_given_at", "prefers_adviceline"]
STALE = {
    "description": "an old case", "platforms": ["TikTok"], "contact": {"kind": "email", "value": "old@example.org"},
    "consent_share": True, "consent_given_at": "2026-11-20T10:00:00+00:00", "form_failures": {"contact": 2},
    "prefers_adviceline": True, "field_to_change": "name",
}
ACCUSED_READBACK = [
    "- What happened: The head wants a meeting about a tweet I posted about Ofsted.",
    "- Platforms: X (Twitter)",
    "- When it happened: Monday 17 November 2025",
    "- Where your employer's process stands: an investigation",
    "- Next meeting, hearing or deadline: not sure",
    "- Police involved: no",
    "- Your role: class teacher",
    "- Workplace: Hillside Academy",
    "- NEU rep at your workplace: yes",
    "- Where your workplace is: Northtown",
    "- Include this conversation: no",
    "- Name: Sam Lee",
    "- How to contact you: +447700900123",
    "- Membership number: skipped",
]


def answer_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


# --- action_start_intake -----------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "track"),
    [("report_accused", "accused"), ("report_targeted", "targeted"), ("request_human", "other")],
)
def test_start_sets_the_track_and_acknowledges_kindly(intent, track, tracker, run):
    result = run(ActionStartIntake(), tracker({}, "I need some help", intent, 0.93))
    assert result.slots["case_type"] == track
    assert result.slots["intake_status"] == "active"
    assert result.slots["requested_slot"] is None
    assert len(result.texts) == 1
    assert '"stop"' in result.texts[0]
    assert "safety_concern" not in result.slots


def test_start_forgets_the_answers_of_an_earlier_case(tracker, run):
    result = run(ActionStartIntake(), tracker(STALE | {"case_type": "other"}, "I've been accused", "report_accused", 0.9))
    slots_now = STALE | result.slots
    assert {name: slots_now.get(name) for name in INTAKE_ANSWER_SLOTS} == dict.fromkeys(INTAKE_ANSWER_SLOTS)
    assert slots_now["case_type"] == "accused"


def test_start_signposts_when_the_first_message_mentions_a_risk(tracker, run):
    message = "Pupils are posting about me and I feel like ending it all"
    result = run(ActionStartIntake(), tracker({}, message, "report_targeted", 0.9))
    assert all(number in result.texts[0] for number in ("999", "116 123", "08000 562 561"))
    assert result.slots["safety_concern"] is True
    assert result.slots["case_type"] == "targeted"


def test_start_signposts_a_threat_to_come_round_and_hurt(tracker, run):
    message = "Parents are posting about me and they said they'll come to my house and hurt me"
    result = run(ActionStartIntake(), tracker({}, message, "report_targeted", 0.9))
    assert result.slots.get("safety_concern") is True


# --- action_case_form_done and the read-back (action_ask_confirm) ---------------------


def test_a_cancelled_form_leaves_the_status_for_a_change_of_mind(tracker, run):
    result = run(ActionCaseFormDone(), tracker({"intake_status": "cancelled"}))
    assert result.events == [] and result.messages == []


def test_a_form_ended_with_send_sends_the_case(tracker, run, answers, stored_cases):
    slots = answers["other"] | {"intake_status": "ready", "confirm": "send", "case_reference": "SSN-2611-DONE01"}
    result = run(ActionCaseFormDone(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    assert "SSN-2611-DONE01" in result.text and result.slots["intake_status"] == "sent"
    assert list(stored_cases()) == ["SSN-2611-DONE01"]


def test_declining_consent_keeps_nothing_and_gives_the_adviceline(tracker, run):
    slots = {"intake_status": "active", "case_type": "other", "description": "help please",
             "role": {"role": "class teacher", "is_leader": False}, "workplace": "Hillside Academy",
             "has_rep": False, "consent_share": False, "form_failures": {"role": 1}}
    result = run(ActionCaseFormDone(), tracker(slots, "no", "deny", 0.99))
    assert ADVICELINE in result.text and "haven't stored anything" in result.text
    slots_now = slots | result.slots
    assert {name: slots_now.get(name) for name in INTAKE_ANSWER_SLOTS} == dict.fromkeys(INTAKE_ANSWER_SLOTS)
    assert slots_now["intake_status"] is None and slots_now["case_type"] is None
    assert result.slots.get("case_reference") is None


def test_a_completed_form_reads_every_answer_back(tracker, run, answers):
    result = run(ActionAskConfirm(), tracker(answers["accused"] | {"intake_status": "active"}, "skip"))
    assert answer_lines(result.text) == ACCUSED_READBACK
    assert result.text.endswith(
        "\n\nWho will help: Northtown NEU branch. You said there's an NEU rep at your workplace; "
        "the NEU's list doesn't name them, so it goes to the branch."
    )
    assert result.button_titles == ["Send", "Use the AdviceLine instead", "Change an answer", "Cancel"]
    assert result.messages[0]["buttons"][0]["payload"] == "/confirm_send"
    assert result.slots["intake_status"] == "ready"
    assert result.slots["field_to_change"] is None
    assert REFERENCE.match(result.slots["case_reference"])


def test_the_adviceline_choice_is_not_offered_when_it_is_already_the_route(tracker, run, answers):
    leader = answers["targeted"] | {"intake_status": "active", "role": {"role": "headteacher", "is_leader": True}}
    result = run(ActionAskConfirm(), tracker(leader, "skip"))
    assert "Who will help: NEU AdviceLine. As a school leader, your workplace rep may be someone you manage" in result.text
    assert "Where your workplace is" not in result.text  # not asked: the AdviceLine needs no area
    assert result.button_titles == ["Send", "Change an answer", "Cancel"]


@pytest.mark.parametrize("track", ["targeted", "other"])
def test_the_readback_shows_only_the_tracks_questions(track, tracker, run, answers):
    result = run(ActionAskConfirm(), tracker(answers[track] | {"intake_status": "active"}, "skip"))
    labels = [line[2:].split(":")[0] for line in answer_lines(result.text)]
    expected = {
        "targeted": ["What happened", "Platforms", "When it happened", "Who posted it", "Still online",
                     "Screenshots or links kept", "Threats or feeling unsafe"],
        "other": ["What happened"],
    }[track]
    assert labels == [*expected, "Your role", "Workplace", "NEU rep at your workplace", "Where your workplace is",
                      "Include this conversation", "Name", "How to contact you", "Membership number"]


def test_a_new_case_gets_a_reference_at_its_readback(tracker, run, answers):
    slots = answers["other"] | {"intake_status": "active", "case_reference": None}
    result = run(ActionAskConfirm(), tracker(slots, "skip"))
    assert REFERENCE.match(result.slots["case_reference"])


def test_a_new_intake_forgets_an_earlier_reference(tracker, run):
    result = run(ActionStartIntake(), tracker({"case_reference": "SSN-2610-OLD001"}, "help", "request_human", 0.9))
    assert result.slots["case_reference"] is None


def test_an_edited_case_keeps_its_reference(tracker, run, answers):
    slots = answers["accused"] | {"intake_status": "editing", "field_to_change": "workplace", "case_reference": "SSN-2611-KEEP01"}
    result = run(ActionAskConfirm(), tracker(slots, "Oak Lane Primary"))
    assert result.slots == {"intake_status": "ready", "field_to_change": None, "case_reference": "SSN-2611-KEEP01"}
    assert "- Workplace: Hillside Academy" in result.text


# --- changing, choosing the AdviceLine, stopping, deleting ------------------------------


def test_change_an_answer_at_the_readback_starts_editing(tracker, run, answers):
    slots = answers["accused"] | {"intake_status": "ready", "case_reference": "SSN-2611-ABC123"}
    result = run(ActionBeginChange(), tracker(slots, "/change_answer", "change_answer", 1.0))
    assert result.slots == {"intake_status": "editing", "field_to_change": None, "confirm": None, "requested_slot": None}
    assert result.messages == []


def test_change_an_answer_with_nothing_waiting_says_so(tracker, run):
    result = run(ActionBeginChange(), tracker({}, "I want to change my answer", "change_answer", 0.9))
    assert result.events == []
    assert "nothing to change" in result.text


def test_which_answer_to_change_offers_the_tracks_fields(tracker, run, answers):
    result = run(ActionAskFieldToChange(), tracker(answers["other"] | {"intake_status": "editing"}, "/change_answer"))
    assert result.button_titles == ["What happened", "Your role", "Workplace", "NEU rep at your workplace",
                                    "Where your workplace is", "Include this conversation", "Name",
                                    "How to contact you", "Membership number"]


def test_preferring_the_adviceline_at_the_readback_shows_it_as_the_route(tracker, run, answers):
    slots = answers["accused"] | {"intake_status": "ready", "case_reference": "SSN-2611-ABC123"}
    result = run(ActionPreferAdviceline(), tracker(slots, "/prefer_adviceline", "prefer_adviceline", 1.0))
    assert result.slots == {"prefers_adviceline": True}
    assert "Who will help: NEU AdviceLine. You asked for the AdviceLine." in result.text
    # The AdviceLine needs no area, so where the workplace is is no longer part of the case.
    assert answer_lines(result.text) == [line for line in ACCUSED_READBACK if "Where your workplace" not in line]
    assert "Use the AdviceLine instead" not in result.button_titles


def test_preferring_the_adviceline_with_no_case_gives_its_contacts(tracker, run):
    result = run(ActionPreferAdviceline(), tracker({}, "can I just call the adviceline", "prefer_adviceline", 0.9))
    assert result.text.startswith("The AdviceLine is")
    assert ADVICELINE in result.text


@pytest.mark.parametrize("status", ["ready", "editing", "active"])
def test_stop_discards_a_case_in_progress(status, tracker, run, answers):
    slots = answers["targeted"] | {"intake_status": status}
    result = run(ActionStop(), tracker(slots, "stop", "stop", 0.99))
    assert "Nothing has been sent" in result.text
    slots_now = slots | result.slots
    assert {name: slots_now.get(name) for name in INTAKE_ANSWER_SLOTS} == dict.fromkeys(INTAKE_ANSWER_SLOTS)
    assert slots_now["intake_status"] == "cancelled" and slots_now["case_type"] == "targeted"


def test_a_stop_that_is_not_unmistakable_asks_first_and_deletes_nothing(tracker, run, answers):
    slots = answers["targeted"] | {"intake_status": "ready"}
    result = run(ActionStop(), tracker(slots, "stop, the date is wrong", "stop", 0.9))
    assert result.events == []
    assert result.button_titles == ["Yes, delete it", "No, carry on"]


def test_after_a_stop_i_do_want_help_starts_again_and_says_the_old_answers_are_gone(tracker, run):
    slots = {"intake_status": "cancelled", "case_type": "accused"}
    result = run(ActionStartIntake(), tracker(slots, "actually no wait I do want help", "request_human", 0.8))
    assert result.slots["case_type"] == "accused" and result.slots["intake_status"] == "active"
    assert "deleted when you stopped" in result.texts[0]


def test_stop_with_nothing_in_progress_offers_the_menu(tracker, run):
    result = run(ActionStop(), tracker({"intake_status": "sent"}, "stop", "stop", 0.99))
    assert result.events == []
    assert result.button_titles == ["Ask about social media", "Talk to a person"]


def test_delete_my_data_clears_the_case_and_what_was_noted(tracker, run, answers):
    slots = answers["targeted"] | {"intake_status": "active", "safety_concern": True}
    result = run(ActionDeleteMyData(), tracker(slots, "delete my data", "delete_my_data", 0.95))
    assert result.texts == ["Done: I've cleared what you told me in this conversation."]
    slots_now = slots | result.slots
    assert {name: slots_now.get(name) for name in INTAKE_ANSWER_SLOTS} == dict.fromkeys(INTAKE_ANSWER_SLOTS)
    assert slots_now["safety_concern"] is None


def test_delete_my_data_after_sending_explains_how_to_erase_the_case(tracker, run):
    slots = {"intake_status": "sent", "case_reference": "SSN-2611-SENT01"}
    result = run(ActionDeleteMyData(), tracker(slots, "delete my data", "delete_my_data", 0.95))
    assert "SSN-2611-SENT01 was already sent" in result.text
    assert ADVICELINE in result.text


def test_delete_my_data_at_the_readback_does_not_claim_the_case_was_sent(tracker, run, answers):
    slots = answers["accused"] | {"intake_status": "ready", "case_reference": "SSN-2611-NOTSNT"}
    result = run(ActionDeleteMyData(), tracker(slots, "delete my data", "delete_my_data", 0.95))
    assert "already sent" not in result.text


def test_a_case_cancelled_at_the_readback_is_not_reported_as_sent(tracker, run, answers):
    from actions.intake import ActionSubmitCase

    slots = answers["accused"] | {"intake_status": "ready", "case_reference": "SSN-2611-NOTSNT"}
    stopped = run(ActionStop(), tracker(slots, "/stop", "stop", 1.0))
    later = run(ActionSubmitCase(), tracker(slots | stopped.slots, "/confirm_send", "confirm_send", 1.0))
    assert "already been sent" not in later.text


def test_distress_outside_a_form_gets_kindness_and_a_way_to_the_union_never_999(tracker, run):
    from actions.intake import ActionSupportDistress

    result = run(ActionSupportDistress(), tracker({}, "I feel humiliated", "feeling_distressed", 0.7))
    assert "08000 562 561" in result.text and "999" not in result.text and "116 123" not in result.text
    assert result.button_titles == ["I've been accused over a post", "I'm being targeted online", "Talk to a person"]
    assert result.slots == {"distress_signposted": True}
