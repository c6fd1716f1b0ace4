"""From intake answers to a stored, schema-valid handoff (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from bot.intake.prepare import case_from_answers, prepare_case, triage_answers
from bot.intake.submit import submit
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
    prepared = prepare_case(
        uow_factory(), values, NOW, reference="SSN-2611-ABCDEF", conversation_id="conv-1", transcript=TRANSCRIPT
    )
    first = submit(uow_factory(), prepared, NOW)
    again = submit(uow_factory(), prepared, NOW)
    assert (first.created, again.created) == (True, False)
    assert list(VALIDATOR.iter_errors(first.payload)) == []
    assert ("transcript" in first.payload) is with_transcript
    assert first.payload["consent"]["given_at"].startswith("2026-11-24T09:58")
    with uow_factory() as uow:
        assert uow.cases.get("SSN-2611-ABCDEF") is not None
        assert uow.deliveries.get("SSN-2611-ABCDEF").state == "pending"


def test_accused_payload_carries_the_process_and_triage(uow_factory):
    values = {**ACCUSED, "occurred_on": "2026-11-17", "next_date": "2026-12-10"}
    submitted = submit(uow_factory(), prepare_case(uow_factory(), values, NOW, reference="SSN-2611-ACCUSE"), NOW)
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
    assert triage_answers(TARGETED, NOW).urgency == "priority"


def test_a_leader_is_routed_to_the_adviceline_with_a_reason():
    leader = {**ACCUSED, "role": {"role": "deputy head", "is_leader": True}}
    decision = triage_answers(leader, NOW)
    assert decision.route == "adviceline" and "manage" in decision.route_reason


def test_suspension_is_urgent_and_goes_to_the_adviceline():
    decision = triage_answers({**ACCUSED, "process_stage": "suspended"}, NOW)
    assert decision.urgency == "urgent" and decision.route == "adviceline"


def test_member_choosing_the_adviceline_overrides_the_rep():
    assert triage_answers({**ACCUSED, "prefers_adviceline": True}, NOW).route == "adviceline"


def test_next_date_is_dropped_when_nothing_formal():
    case = case_from_answers({**ACCUSED, "process_stage": "none"})
    assert case.next_date is None and case.process_stage == "none"


def test_safety_concern_from_the_conversation_makes_it_urgent():
    decision = triage_answers({**TARGETED, "safety_concern": True}, NOW)
    assert decision.urgency == "urgent"


def test_a_prepared_case_gets_a_reference_once_and_is_what_is_sent(uow_factory):
    """The read-back's preparation and the sent payload agree: reference, urgency, route and destination."""
    prepared = prepare_case(uow_factory(), ACCUSED, NOW)
    assert prepared.reference.startswith("SSN-2611-")
    assert prepare_case(uow_factory(), ACCUSED, NOW, reference=prepared.reference).reference == prepared.reference
    sent = submit(uow_factory(), prepared, NOW)
    assert (sent.reference, sent.triage, sent.destination) == (prepared.reference, prepared.triage, prepared.destination)
    assert (sent.payload["urgency"], sent.payload["route"]) == (prepared.triage.urgency, prepared.triage.route)
    assert sent.payload["destination"]["id"] == prepared.destination.id
