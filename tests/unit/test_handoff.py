"""The handoff-v1 payload, its validation against spec/, references and the summary."""

import copy
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.directory.model import Destination
from bot.handoff import (
    HandoffPayloadError,
    build_payload,
    new_reference,
    summary_text,
    validate_payload,
)
from bot.intake.case import CaseDetails
from bot.triage import triage
from bot.uk_calendar import UK_TZ

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 25, 14, 30, tzinfo=UK_TZ)
TODAY = NOW.date()
CONSENT_AT = datetime(2026, 3, 25, 14, 28, tzinfo=UK_TZ)
REFERENCE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,31}$")


def accused(**changes) -> CaseDetails:
    values = {
        "case_type": "accused",
        "description": "A parent screenshotted a joke I posted about marking and sent it to the head. "
                    "I have an investigation meeting on Friday and the police have been mentioned.",
        "platforms": ["Facebook", "X (Twitter)"], "occurred_on": date(2026, 3, 10),
        "process_stage": "investigation", "next_date": date(2026, 3, 27), "police_involved": True,
        "role": "deputy head", "is_leader": True, "workplace": "Oakfield Primary", "has_workplace_rep": True,
        "name": "Priya Shah", "preferred_contact": "phone", "phone": "+447700900123", "email": "priya@example.org",
        "membership_number": "1234567", "guidance_given": ["regret_post"], "conversation_id": "conv-42",
    }
    values.update(changes)
    return CaseDetails(**values)


def targeted(**changes) -> CaseDetails:
    values = {
        "case_type": "targeted", "description": "Pupils made a fake TikTok account in my name.",
        "platforms": ["TikTok"], "others_involved": ["pupil"], "still_online": True, "evidence_kept": True,
        "feels_unsafe": False, "role": "class teacher", "name": "Tom Reid", "preferred_contact": "email",
        "email": "tom@example.org", "has_workplace_rep": False,
    }
    values.update(changes)
    return CaseDetails(**values)


def minimal_other() -> CaseDetails:
    return CaseDetails(case_type="other", description="I'd like to talk to someone.", name="Al",
                       preferred_contact="email", email="al@example.org")


def payload_for(case: CaseDetails, **kwargs) -> dict:
    result = triage(case, today=TODAY, nation="england-and-wales")
    return build_payload(case, result, "SSN-2603-7K3F9Q", NOW, **kwargs)


# ---------------------------------------------------------------- references


def test_reference_format_and_month_in_uk_time():
    ref = new_reference(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))  # 00:30 BST, 1 July
    assert re.fullmatch(r"SSN-2607-[A-HJ-KMNP-Z2-9]{6}", ref)
    assert REFERENCE_PATTERN.match(ref)


def test_references_are_random():
    refs = {new_reference(NOW) for _ in range(200)}
    assert len(refs) == 200
    assert not any(ch in ref[9:] for ref in refs for ch in "01OIL")


# ---------------------------------------------------------------- valid payloads


def test_accused_payload_is_valid_and_complete():
    payload = payload_for(accused(), consent_given_at=CONSENT_AT)
    validate_payload(payload)
    assert payload["schema_version"] == "1"
    assert payload["created_at"] == "2026-03-25T14:30:00Z"
    assert payload["consent"] == {"share_with_union": True, "given_at": "2026-03-25T14:28:00Z",
                                  "include_transcript": False}
    assert payload["process"] == {"stage": "investigation", "next_date": "2026-03-27",
                                  "working_days_until_next_date": 2, "police_involved": True}
    assert payload["urgency"] == "urgent"
    assert payload["urgency_reasons"][:2] == ["police involved", "investigation meeting in 2 working days"]
    assert payload["route"] == "adviceline"
    assert payload["member"]["is_leader"] is True
    assert payload["incident"]["occurred_on"] == "2026-03-10"
    assert payload["conversation_id"] == "conv-42"
    assert payload["guidance_given"] == ["regret_post"]
    assert "transcript" not in payload


def test_a_payload_with_its_destination_is_schema_1_1():
    northtown = Destination("branch-northtown", "branch", "Northtown NEU branch", areas=("Northtown",),
                            email="cases@example.org")
    payload = payload_for(accused(), consent_given_at=CONSENT_AT, destination=northtown)
    validate_payload(payload)
    assert payload["schema_version"] == "1.1"
    assert payload["destination"] == {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
    assert "Sent to: Northtown NEU branch" in payload["summary_text"].splitlines()
    older = payload_for(accused(), consent_given_at=CONSENT_AT)
    assert "destination" not in older and older["schema_version"] == "1"


def test_created_at_is_utc_during_summer_time():
    c = accused()
    result = triage(c, today=date(2026, 7, 1), nation="england-and-wales")
    summer = build_payload(c, result, "SSN-2607-AAAAAA", datetime(2026, 7, 1, 9, 0, tzinfo=UK_TZ))
    assert summer["created_at"] == "2026-07-01T08:00:00Z"
    validate_payload(summer)


def test_case_round_trips_through_dicts():
    c = accused(transcript=[{"from": "member", "text": "hi"}])
    data = c.to_dict()
    assert data["occurred_on"] == "2026-03-10" and data["next_date"] == "2026-03-27"
    assert CaseDetails.from_dict(data) == c
    loose = CaseDetails.from_dict({**data, "platforms": None, "unknown_key": 1,
                                   "next_date": datetime(2026, 3, 27, 9, 0)})
    assert loose.platforms == [] and loose.next_date == date(2026, 3, 27)


def test_targeted_payload_has_no_process():
    payload = payload_for(targeted())
    validate_payload(payload)
    assert "process" not in payload
    assert payload["incident"]["others_involved"] == ["pupil"]
    assert payload["incident"]["still_online"] is True
    assert payload["urgency"] == "priority"
    assert payload["route"] == "local_branch"
    assert payload["consent"]["given_at"] == payload["created_at"]


def test_other_payload_with_nulls_is_valid():
    payload = payload_for(minimal_other())
    validate_payload(payload)
    assert payload["member"]["phone"] is None and payload["member"]["role"] is None
    assert payload["incident"]["occurred_on"] is None
    assert "process" not in payload and "others_involved" not in payload["incident"]
    assert payload["urgency"] == "routine" and payload["safety_concern"] is False


def test_accused_with_unknown_process_uses_nulls():
    c = accused(process_stage=None, next_date=None, police_involved=None, is_leader=False, role=None)
    payload = payload_for(c)
    validate_payload(payload)
    assert payload["process"] == {"next_date": None, "working_days_until_next_date": None,
                                  "police_involved": None}


def test_transcript_only_when_consented():
    turns = [{"from": "member", "text": "Hello", "at": datetime(2026, 3, 25, 14, 0, tzinfo=UK_TZ)},
             {"from": "assistant", "text": "Hi, how can I help?", "at": "2026-03-25T14:00:05Z"},
             {"from": "member", "text": "no timestamp"}]
    with_transcript = payload_for(targeted(include_transcript=True, transcript=turns))
    validate_payload(with_transcript)
    assert with_transcript["consent"]["include_transcript"] is True
    assert with_transcript["transcript"][0] == {"from": "member", "text": "Hello", "at": "2026-03-25T14:00:00Z"}
    assert "at" not in with_transcript["transcript"][2]
    without = payload_for(targeted(include_transcript=False, transcript=turns))
    validate_payload(without)
    assert "transcript" not in without


def test_safety_concern_from_feels_unsafe():
    payload = payload_for(targeted(feels_unsafe=True))
    validate_payload(payload)
    assert payload["safety_concern"] is True and payload["urgency"] == "urgent"


# ---------------------------------------------------------------- invalid payloads


def _broken(mutate) -> dict:
    payload = copy.deepcopy(payload_for(accused()))
    mutate(payload)
    return payload


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda p: p.pop("route"), "'route' is a required property"),
        (lambda p: p.update(urgency="SECRET-VALUE"), "urgency"),
        (lambda p: p.update(reference="ssn-lower"), "reference"),
        (lambda p: p.update(created_at="25/03/2026 14:30"), "created_at"),
        (lambda p: p["incident"].update(occurred_on="2026-02-30"), "incident.occurred_on"),
        (lambda p: p["member"].update(name=""), "member.name"),
        (lambda p: p["member"].update(preferred_contact="post"), "member.preferred_contact"),
        (lambda p: p["consent"].update(share_with_union=False), "consent.share_with_union"),
        (lambda p: p.update(summary_text="too short"), "summary_text"),
        (lambda p: p["process"].update(working_days_until_next_date="2"), "process.working_days_until_next_date"),
        (lambda p: p.update(transcript=[{"text": "hi"}]), "'from' is a required property"),
        (lambda p: p["incident"].update(others_involved=["alien"]), "incident.others_involved.0"),
        (lambda p: p.update(schema_version="2"), "schema_version"),
    ],
)
def test_invalid_payloads_rejected_with_clear_message(mutate, where):
    with pytest.raises(HandoffPayloadError) as error:
        validate_payload(_broken(mutate))
    assert where in str(error.value)
    assert "SECRET-VALUE" not in str(error.value)


# ---------------------------------------------------------------- summary


def test_summary_has_the_key_facts_for_accused():
    c = accused()
    text = summary_text(c, triage(c, today=TODAY, nation="england-and-wales"))
    for fact in ["URGENT", "Accused", "police involved", "investigation meeting in 2 working days",
                 "AdviceLine", "deputy head (school leader)", "Oakfield Primary", "Fri 27 Mar 2026",
                 "Facebook, X (Twitter)", "Tue 10 Mar 2026", "phone +447700900123 (preferred)",
                 "priya@example.org", "1234567", "A parent screenshotted", "regret_post"]:
        assert fact in text, fact


def test_summary_has_the_key_facts_for_targeted():
    c = targeted(feels_unsafe=True)
    text = summary_text(c, triage(c, today=TODAY, nation="england-and-wales"))
    for fact in ["Targeted", "Posted by: pupil(s)", "still online: yes", "evidence kept: yes",
                 "Safety concern: YES", "TikTok", "email tom@example.org (preferred)", "class teacher"]:
        assert fact in text, fact
    assert "Process:" not in text


def test_summary_excerpt_is_short():
    c = minimal_other()
    c.description = "word " * 200
    text = summary_text(c, triage(c, today=TODAY, nation="england-and-wales"))
    excerpt = text.split('In their words: "')[1].split('"')[0]
    assert len(excerpt) <= 301 and excerpt.endswith("…")
    assert len(summary_text(minimal_other(), triage(minimal_other(), today=TODAY))) >= 40


def test_summary_notes_the_members_questions_for_the_adviser():
    c = accused()
    c.member_questions, c.include_transcript = 2, False
    text = summary_text(c, triage(c, today=TODAY, nation="england-and-wales"))
    assert "Member asked 2 questions for the adviser (not recorded: ask them)" in text
    c.include_transcript = True
    assert "(in the transcript)" in summary_text(c, triage(c, today=TODAY, nation="england-and-wales"))
    c.member_questions = 0
    assert "asked" not in summary_text(c, triage(c, today=TODAY, nation="england-and-wales")).split("Contact:")[1]
