"""Which questions the intake asks, and how answers are read and shown."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.intake import flow
from bot.intake.prompts import PROMPTS, buttons_for

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def test_accused_track_asks_process_questions_then_member_then_consent():
    assert flow.required_fields({"case_type": "accused"}) == [
        "description", "platforms", "occurred_on", "process_stage", "next_date", "police_involved",
        "role", "workplace", "has_rep", "work_area", "consent_share", "consent_transcript", "name", "contact",
        "membership_number", "confirm",  # the read-back
    ]


@pytest.mark.parametrize("answers", [
    {"role": {"role": "headteacher", "is_leader": True}},  # leaders: the AdviceLine
    {"police_involved": True},  # urgent: the AdviceLine
    {"prefers_adviceline": True},  # chose the AdviceLine at the read-back
])
def test_where_the_workplace_is_is_asked_only_for_a_rep_or_a_branch(answers):
    assert "work_area" not in flow.required_fields({"case_type": "accused", **answers})
    assert "work_area" in flow.required_fields({"case_type": "accused", "has_rep": False})


def test_the_place_answer_is_kept_as_said_or_not_sure():
    assert flow.parse_answer("work_area", "NT4 7AB", NOW).value == {"said": "NT4 7AB"}
    assert flow.parse_answer("work_area", "not sure", NOW).value == flow.UNKNOWN
    assert not flow.parse_answer("work_area", "?", NOW).ok
    assert flow.display_value("work_area", {"said": "NT4 7AB", "destination_id": "branch-northtown", "area": "NT4"}) == "NT4 7AB (NT4)"
    assert flow.display_value("work_area", {"said": "Northtown", "destination_id": "b", "area": "Northtown"}) == "Northtown"
    assert flow.display_value("work_area", {"said": "Leeds", "destination_id": None}) == "Leeds (not in the NEU's list of branches)"
    assert flow.display_value("work_area", flow.UNKNOWN) == "not sure"


def test_targeted_track_asks_about_the_material():
    fields = flow.required_fields({"case_type": "targeted"})
    assert fields[3:7] == ["posted_by", "still_online", "evidence_kept", "feels_unsafe"]
    assert "process_stage" not in fields


def test_other_track_is_short():
    assert flow.required_fields({"case_type": "other"})[:2] == ["description", "role"]


def test_no_next_date_when_nothing_formal():
    assert "next_date" not in flow.required_fields({"case_type": "accused", "process_stage": "none"})
    assert "next_date" in flow.required_fields({"case_type": "accused", "process_stage": "investigation"})


def test_declining_consent_asks_nothing_personal():
    fields = flow.required_fields({"case_type": "accused", "consent_share": False})
    assert fields[-1] == "consent_share"
    assert not {"name", "contact", "membership_number"} & set(fields)


def test_editing_asks_which_answer_first():
    assert flow.required_fields({"case_type": "other", "intake_status": "editing"})[0] == "field_to_change"


def test_changeable_fields_exclude_consent_the_chooser_and_the_readback():
    names = [f.name for f in flow.changeable_fields({"case_type": "targeted"})]
    assert "consent_share" not in names and "field_to_change" not in names and "confirm" not in names
    assert names[0] == "description" and "posted_by" in names


def test_every_field_has_a_question_and_labels_parse_back():
    for name in flow.FIELDS:
        if name not in flow.NOT_ANSWERS:
            assert PROMPTS[name]["text"]
            assert flow.parse_answer("field_to_change", flow.FIELDS[name].label, NOW).value == name


@pytest.mark.parametrize(
    "field,button",
    [(f, b["payload"]) for f in PROMPTS for b in buttons_for(f) if f != "platforms" or b["payload"] != "other"],
)
def test_every_button_is_a_valid_answer(field, button):
    assert flow.parse_answer(field, button, NOW).ok, (field, button)


@pytest.mark.parametrize(
    "field,text,value",
    [
        ("occurred_on", "not sure", flow.UNKNOWN),
        ("next_date", "no date", flow.UNKNOWN),
        ("police_involved", "not sure", flow.UNKNOWN),
        ("membership_number", "skip", flow.UNKNOWN),
        ("platforms", "not sure", []),
        ("platforms", "insta and tiktok", ["Instagram", "TikTok"]),
        ("feels_unsafe", "yes", True),
    ],
)
def test_answers_with_unknowns(field, text, value):
    parsed = flow.parse_answer(field, text, NOW)
    assert parsed.ok and parsed.value == value


def test_consent_needs_a_clear_yes_or_no():
    assert not flow.parse_answer("consent_share", "not sure", NOW).ok
    assert flow.parse_answer("consent_share", "yes", NOW).value is True


def test_readback_shows_answers_in_order_and_member_facing():
    values = {
        "case_type": "accused", "description": "A parent complained about my tweet", "platforms": ["X (Twitter)"],
        "occurred_on": "2026-11-17", "process_stage": "investigation", "next_date": flow.UNKNOWN,
        "police_involved": False, "role": {"role": "class teacher", "is_leader": False}, "workplace": "Hill School",
        "has_rep": True, "consent_share": True, "consent_transcript": False, "name": "Sam Lee",
        "contact": {"kind": "phone", "value": "+447700900123"}, "membership_number": flow.UNKNOWN,
    }
    lines = flow.readback_lines(values)
    assert lines[0] == "- What happened: A parent complained about my tweet"
    assert "- When it happened: Tuesday 17 November 2026" in lines
    assert "- Where your employer's process stands: an investigation" in lines
    assert "- Next meeting, hearing or deadline: not sure" in lines
    assert "- Police involved: no" in lines
    assert "- Your role: class teacher" in lines
    assert "- How to contact you: +447700900123" in lines
    assert "- Membership number: skipped" in lines
    assert not any("Store and share" in line for line in lines)
