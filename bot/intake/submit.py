"""From the intake's answers to a stored, triaged case with its delivery job.

The action layer hands over plain answers (as `bot.intake.flow` parsed them);
this builds the `CaseDetails`, triages it, builds and validates the handoff
payload and records it with its outbox job in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.directory.model import Destination, Directory
from bot.handoff import build_payload, validate_payload
from bot.intake.case import CaseDetails
from bot.intake.flow import NO_NEXT_DATE_STAGES, UNKNOWN
from bot.intake.place import Routed, route
from bot.storage.services import record_case
from bot.triage import Triage, triage
from bot.uk_calendar import uk_now
from bot.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Submission:
    reference: str
    triage: Triage
    payload: dict[str, Any]
    created: bool
    destination: Destination


def _known(value: Any) -> Any:
    return None if value == UNKNOWN else value


def _date(value: Any) -> date | None:
    value = _known(value)
    return date.fromisoformat(value) if value else None


def case_from_answers(
    values: Mapping[str, Any],
    conversation_id: str | None = None,
    transcript: list[dict[str, str]] | None = None,
) -> CaseDetails:
    """The member's answers as a `CaseDetails` (unknowns become None)."""
    track = values.get("case_type") or "other"
    role = values.get("role") or {}
    contact = values.get("contact") or {}
    stage = values.get("process_stage") if track == "accused" else None
    include_transcript = values.get("consent_transcript") is True
    return CaseDetails(
        case_type=track,
        description=values.get("description") or "",
        platforms=list(values.get("platforms") or []),
        occurred_on=_date(values.get("occurred_on")),
        process_stage=stage,
        next_date=_date(values.get("next_date")) if stage and stage not in NO_NEXT_DATE_STAGES else None,
        police_involved=_known(values.get("police_involved")) if track == "accused" else None,
        others_involved=list(values.get("posted_by") or []) if track == "targeted" else [],
        still_online=_known(values.get("still_online")) if track == "targeted" else None,
        evidence_kept=_known(values.get("evidence_kept")) if track == "targeted" else None,
        feels_unsafe=_known(values.get("feels_unsafe")) if track == "targeted" else None,
        role=role.get("role"),
        is_leader=bool(role.get("is_leader")),
        workplace=values.get("workplace"),
        has_workplace_rep=_known(values.get("has_rep")),
        name=values.get("name") or "",
        preferred_contact=contact.get("kind") or "email",
        phone=contact.get("value") if contact.get("kind") == "phone" else None,
        email=contact.get("value") if contact.get("kind") == "email" else None,
        membership_number=_known(values.get("membership_number")),
        safety_concern=bool(values.get("safety_concern")) or values.get("feels_unsafe") is True,
        prefers_adviceline=bool(values.get("prefers_adviceline")),
        include_transcript=include_transcript,
        guidance_given=list(values.get("guidance_given") or []),
        member_questions=int(values.get("member_questions") or 0),
        transcript=list(transcript or []) if include_transcript else [],
        conversation_id=conversation_id,
    )


def preview_triage(values: Mapping[str, Any], now: datetime | None = None, nation: str | None = None) -> Triage:
    """The urgency and route the member's answers lead to, for the read-back."""
    return triage(case_from_answers(values), today=uk_now(now).date(), nation=nation)


def preview_route(values: Mapping[str, Any], directory: Directory, now: datetime | None = None,
                  nation: str | None = None) -> Routed:
    """Who will help and why, for the read-back: the triage's route resolved in the directory."""
    return route(directory, preview_triage(values, now, nation), values.get("work_area"), values.get("workplace"))


def submit(
    uow: UnitOfWork,
    values: Mapping[str, Any],
    reference: str,
    now: datetime,
    conversation_id: str | None = None,
    transcript: list[dict[str, str]] | None = None,
    nation: str | None = None,
) -> Submission:
    """Triage, route in the directory, build and validate the payload (1.1, with its
    destination), then store it with its delivery jobs.

    Idempotent on `reference`: submitting the same case again stores nothing new.
    """
    case = case_from_answers(values, conversation_id, transcript)
    decision = triage(case, today=uk_now(now).date(), nation=nation)
    with uow:
        directory = uow.directory.directory()
    routed = route(directory, decision, values.get("work_area"), case.workplace)
    payload = build_payload(
        case, routed.triage, reference, now, values.get("consent_given_at") or now, routed.destination
    )
    validate_payload(payload)
    created = record_case(uow, payload, now)
    return Submission(reference, routed.triage, payload, created, routed.destination)
