"""Listing, reading, exporting and moving cases, with the audit trail, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.case_records import InvalidTransition
from bot.inbox.audit import read_audit
from bot.inbox.cases import CaseFilters, change_status, export_case, list_cases, view_case
from bot.inbox.workflow import NotAllowed
from bot.storage import record_case
from tests.support.databases import START


@pytest.fixture
def seeded(uow_factory, make_payload) -> None:
    rows = [
        ("NEU-ROUT01", "routine", "local_branch", "accused", START - timedelta(days=2)),
        ("NEU-PRIO01", "priority", "workplace_rep", "targeted", START - timedelta(hours=5)),
        ("NEU-URGE02", "urgent", "adviceline", "targeted", START - timedelta(minutes=10)),
        ("NEU-URGE01", "urgent", "adviceline", "other", START - timedelta(hours=1)),
    ]
    for reference, urgency, route, case_type, created in rows:
        record_case(uow_factory(), make_payload(reference, urgency=urgency, route=route, case_type=case_type, created_at=created), now=created)


def audit_trail(uow_factory) -> list[tuple[str | None, str, str | None, str | None]]:
    with uow_factory() as uow:
        return [(e.actor, e.action, e.case_reference, e.detail) for e in reversed(uow.audit.latest())]


def refs(rows) -> list[str]:
    return [row.case.reference for row in rows]


def test_the_list_is_most_urgent_first_then_longest_waiting(uow_factory, seeded, adviser) -> None:
    rows = list_cases(uow_factory(), adviser, CaseFilters(), START)
    assert refs(rows) == ["NEU-URGE01", "NEU-URGE02", "NEU-PRIO01", "NEU-ROUT01"]
    assert all(row.delivery_state == "pending" and row.claimed_by is None for row in rows)
    assert ("adviser@example.org", "list_viewed", None, None) in audit_trail(uow_factory)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseFilters(urgency="urgent"), ["NEU-URGE01", "NEU-URGE02"]),
        (CaseFilters(route="workplace_rep"), ["NEU-PRIO01"]),
        (CaseFilters(case_type="targeted"), ["NEU-URGE02", "NEU-PRIO01"]),
        (CaseFilters(status="claimed"), ["NEU-ROUT01"]),
        (CaseFilters(urgency="urgent", case_type="other"), ["NEU-URGE01"]),
    ],
)
def test_filters(uow_factory, seeded, adviser, filters, expected) -> None:
    change_status(uow_factory(), adviser, "NEU-ROUT01", "claimed", START)
    assert refs(list_cases(uow_factory(), adviser, filters, START)) == expected
    assert ("adviser@example.org", "list_viewed", None, filters.describe()) in audit_trail(uow_factory)


def test_viewing_a_case_is_logged_and_shows_its_handling(uow_factory, seeded, adviser) -> None:
    view = view_case(uow_factory(), adviser, "NEU-PRIO01", START)
    assert view.payload["reference"] == "NEU-PRIO01" and view.delivery.state == "pending"
    assert view.claimed_by is None and view.next_statuses == ("claimed",)
    assert ("adviser@example.org", "case_viewed", "NEU-PRIO01", None) in audit_trail(uow_factory)


def test_an_unknown_case_is_not_found_and_the_attempt_logged(uow_factory, seeded, adviser) -> None:
    with pytest.raises(LookupError):
        view_case(uow_factory(), adviser, "NEU-NOPE99", START)
    assert ("adviser@example.org", "case_viewed", "NEU-NOPE99", "not found") in audit_trail(uow_factory)


def test_the_transcript_shows_only_with_consent(uow_factory, adviser, make_payload) -> None:
    lines = [{"from": "member", "text": "hello", "at": "2025-03-03T09:00:00Z"}]
    with_consent = make_payload("NEU-TRAN01", transcript=lines)
    with_consent["consent"]["include_transcript"] = True
    without = make_payload("NEU-TRAN02", transcript=lines)  # a payload that disagrees with itself
    for payload in (with_consent, without):
        record_case(uow_factory(), payload, now=START)
    assert view_case(uow_factory(), adviser, "NEU-TRAN01", START).transcript == lines
    assert view_case(uow_factory(), adviser, "NEU-TRAN02", START).transcript == []


def test_a_case_goes_new_claimed_contacted_closed_with_an_audit_trail(uow_factory, seeded, adviser) -> None:
    for target in ("claimed", "contacted", "closed"):
        change_status(uow_factory(), adviser, "NEU-PRIO01", target, START)
    view = view_case(uow_factory(), adviser, "NEU-PRIO01", START)
    assert view.case.status == "closed" and view.claimed_by == "adviser@example.org"
    changes = [(a, d) for actor, a, ref, d in audit_trail(uow_factory) if a == "status_changed" and ref == "NEU-PRIO01"]
    assert changes == [
        ("status_changed", "new -> claimed"),
        ("status_changed", "claimed -> contacted"),
        ("status_changed", "contacted -> closed"),
    ]
    row = next(r for r in list_cases(uow_factory(), adviser, CaseFilters(), START) if r.case.reference == "NEU-PRIO01")
    assert row.claimed_by == "adviser@example.org" and row.case.status == "closed"


def test_skipping_a_step_changes_nothing(uow_factory, seeded, adviser) -> None:
    with pytest.raises(InvalidTransition):
        change_status(uow_factory(), adviser, "NEU-PRIO01", "closed", START)
    assert view_case(uow_factory(), adviser, "NEU-PRIO01", START).case.status == "new"


def test_an_unknown_case_cannot_change(uow_factory, seeded, adviser) -> None:
    with pytest.raises(LookupError):
        change_status(uow_factory(), adviser, "NEU-NOPE99", "claimed", START)


def test_another_adviser_cannot_move_a_claimed_case_but_an_admin_can(uow_factory, seeded, adviser, colleague, admin) -> None:
    change_status(uow_factory(), adviser, "NEU-URGE01", "claimed", START)
    with pytest.raises(NotAllowed):
        change_status(uow_factory(), colleague, "NEU-URGE01", "contacted", START)
    assert ("colleague@example.org", "access_denied", "NEU-URGE01", "claimed -> contacted") in audit_trail(uow_factory)
    change_status(uow_factory(), admin, "NEU-URGE01", "new", START)  # released by an admin
    change_status(uow_factory(), colleague, "NEU-URGE01", "claimed", START)
    assert view_case(uow_factory(), colleague, "NEU-URGE01", START).claimed_by == "colleague@example.org"


def test_releasing_forgets_the_claim_and_reopening_claims_again(uow_factory, seeded, adviser, colleague) -> None:
    change_status(uow_factory(), adviser, "NEU-URGE02", "claimed", START)
    change_status(uow_factory(), adviser, "NEU-URGE02", "new", START)
    assert view_case(uow_factory(), adviser, "NEU-URGE02", START).claim is None
    for who, target in ((colleague, "claimed"), (colleague, "contacted"), (colleague, "closed"), (adviser, "claimed")):
        change_status(uow_factory(), who, "NEU-URGE02", target, START)
    view = view_case(uow_factory(), adviser, "NEU-URGE02", START)
    assert view.case.status == "claimed" and view.claimed_by == "adviser@example.org"


def test_export_is_the_stored_payload_and_is_logged(uow_factory, seeded, adviser, make_payload) -> None:
    exported = export_case(uow_factory(), adviser, "NEU-ROUT01", START)
    assert exported["reference"] == "NEU-ROUT01" and exported["schema_version"] == "1"
    assert exported == view_case(uow_factory(), adviser, "NEU-ROUT01", START).payload
    assert ("adviser@example.org", "case_exported", "NEU-ROUT01", None) in audit_trail(uow_factory)
    with pytest.raises(LookupError):
        export_case(uow_factory(), adviser, "NEU-NOPE99", START)


def test_only_admins_read_the_audit_log_and_reading_it_is_logged(uow_factory, seeded, adviser, admin) -> None:
    view_case(uow_factory(), adviser, "NEU-ROUT01", START)
    with pytest.raises(NotAllowed):
        read_audit(uow_factory(), adviser, START)
    entries = read_audit(uow_factory(), admin, START + timedelta(seconds=1))
    assert entries[0].action == "audit_viewed" and entries[0].actor == "admin@example.org"
    seen = [(e.actor, e.action, e.case_reference) for e in entries]
    assert ("adviser@example.org", "case_viewed", "NEU-ROUT01") in seen
    assert ("adviser@example.org", "access_denied", None) in seen
