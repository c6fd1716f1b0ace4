"""From intake answers to a stored, schema-valid handoff (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from bot.intake.submit import case_from_answers, preview_triage, submit
from bot.settings import SPEC_DIR
from tests.support.answers import ACCUSED, OTHER, TARGETED

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)  # a Tuesday
VALIDATOR = Draft202012Validator(json.loads((SPEC_DIR / "handoff-v1.schema.json").read_text()), format_checker=FormatChecker())
TRANSCRIPT = [
    {"from": "member", "text": "pupils made a fake instagram of me", "at": "2026-11-24T09:50:00+00:00"},
    {"from": "assistant", "text": "I'm sorry this is happening to you.", "at": "2026-11-24T09:50:01+00:00"},
]


@pytest.mark.parametrize("values", [ACCUSED, TARGETED, OTHER], ids=["accused", "targeted", "other"])
@pytest.mark.parametrize("with_transcript", [False, True], ids=["answers-only", "with-transcript"])
def test_every_track_stores_a_schema_valid_payload_once(uow_factory, values, with_transcript):
    values = {**values, "consent_transcript": with_transcript}
    first = submit(uow_factory(), values, "SSN-2611-ABCDEF", NOW, "conv-1", TRANSCRIPT)
    again = submit(uow_factory(), values, "SSN-2611-ABCDEF", NOW, "conv-1", TRANSCRIPT)
    assert (first.created, again.created) == (True, False)
    assert list(VALIDATOR.iter_errors(first.payload)) == []
    assert ("transcript" in first.payload) is with_transcript
    assert first.payload["consent"]["given_at"].startswith("2026-11-24T09:58")
    with uow_factory() as uow:
        assert uow.cases.get("SSN-2611-ABCDEF") is not None
        assert uow.deliveries.get("SSN-2611-ABCDEF").state == "pending"


def test_accused_payload_carries_the_process_and_triage(uow_factory):
    values = {**ACCUSED, "occurred_on": "2026-11-17", "next_date": "2026-12-10"}
    submitted = submit(uow_factory(), values, "SSN-2611-ACCUSE", NOW)
    payload = submitted.payload
    assert payload["process"]["stage"] == "investigation"
    assert payload["process"]["next_date"] == "2026-12-10"
    assert payload["urgency"] == "priority"
    # A rep at the workplace, but the directory names none at Hillside Academy: the area's branch.
    assert payload["route"] == "local_branch" and submitted.destination.id == "branch-northtown"
    assert payload["destination"]["name"] == "Northtown NEU branch"
    with uow_factory() as uow:
        assert uow.cases.get("SSN-2611-ACCUSE").destination_id == "branch-northtown"
        assert [(d.destination_id, d.channel) for d in uow.deliveries.for_case("SSN-2611-ACCUSE")] == [
            ("branch-northtown", "email")
        ]
    assert payload["member"]["phone"] == "+447700900123"
    assert payload["member"]["membership_number"] is None
    assert payload["incident"]["occurred_on"] == "2026-11-17"


def test_targeted_material_still_online_is_priority_and_unknown_dates_are_null():
    case = case_from_answers(TARGETED)
    assert case.occurred_on is None and case.others_involved == ["pupil"]
    assert preview_triage(TARGETED, NOW).urgency == "priority"


def test_a_leader_is_routed_to_the_adviceline_with_a_reason():
    leader = {**ACCUSED, "role": {"role": "deputy head", "is_leader": True}}
    decision = preview_triage(leader, NOW)
    assert decision.route == "adviceline" and "manage" in decision.route_reason


def test_suspension_is_urgent_and_goes_to_the_adviceline():
    decision = preview_triage({**ACCUSED, "process_stage": "suspended"}, NOW)
    assert decision.urgency == "urgent" and decision.route == "adviceline"


def test_member_choosing_the_adviceline_overrides_the_rep():
    assert preview_triage({**ACCUSED, "prefers_adviceline": True}, NOW).route == "adviceline"


def test_next_date_is_dropped_when_nothing_formal():
    case = case_from_answers({**ACCUSED, "process_stage": "none"})
    assert case.next_date is None and case.process_stage == "none"


def test_safety_concern_from_the_conversation_makes_it_urgent():
    decision = preview_triage({**TARGETED, "safety_concern": True}, NOW)
    assert decision.urgency == "urgent"
