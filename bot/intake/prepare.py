"""Preparing a case: the member's answers become one `CaseDetails`, triaged and routed once.

`prepare_case` is the one place where answers (as `bot.intake.flow` parsed them) become
a case with its reference, urgency, route and destination. The read-back shows a
prepared case and `bot.intake.submit.submit` stores one: both are the same function of
the same answers, so what the member checked is what the adviser receives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.directory.model import Destination
from bot.handoff import new_reference
from bot.intake.case import CaseDetails
from bot.intake.flow import NO_NEXT_DATE_STAGES, UNKNOWN
from bot.intake.place import route
from bot.triage import Triage, triage
from bot.uk_calendar import uk_now
from bot.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PreparedCase:
    """A case ready to show and to send: `triage` carries the route and reason its destination gives."""

    reference: str
    case: CaseDetails
    triage: Triage
    destination: Destination
    consent_given_at: str | None = None


def _known(value: Any) -> Any:
    return None if value == UNKNOWN else value


def _date(value: Any) -> date | None:
    value = _known(value)
    return date.fromisoformat(value) if value else None


def case_from_answers(
    answers: Mapping[str, Any],
    conversation_id: str | None = None,
    transcript: list[dict[str, str]] | None = None,
) -> CaseDetails:
    """The member's answers as a `CaseDetails` (unknowns become None): the one mapping from answers to the case."""
    track = answers.get("case_type") or "other"
    role = answers.get("role") or {}
    contact = answers.get("contact") or {}
    stage = answers.get("process_stage") if track == "accused" else None
    include_transcript = answers.get("consent_transcript") is True
    return CaseDetails(
        case_type=track,
        description=answers.get("description") or "",
        platforms=list(answers.get("platforms") or []),
        occurred_on=_date(answers.get("occurred_on")),
        process_stage=stage,
        next_date=_date(answers.get("next_date")) if stage and stage not in NO_NEXT_DATE_STAGES else None,
        police_involved=_known(answers.get("police_involved")) if track == "accused" else None,
        others_involved=list(answers.get("posted_by") or []) if track == "targeted" else [],
        still_online=_known(answers.get("still_online")) if track == "targeted" else None,
        evidence_kept=_known(answers.get("evidence_kept")) if track == "targeted" else None,
        feels_unsafe=_known(answers.get("feels_unsafe")) if track == "targeted" else None,
        role=role.get("role"),
        is_leader=bool(role.get("is_leader")),
        workplace=answers.get("workplace"),
        has_workplace_rep=_known(answers.get("has_rep")),
        name=answers.get("name") or "",
        preferred_contact=contact.get("kind") or "email",
        phone=contact.get("value") if contact.get("kind") == "phone" else None,
        email=contact.get("value") if contact.get("kind") == "email" else None,
        membership_number=_known(answers.get("membership_number")),
        safety_concern=bool(answers.get("safety_concern")) or answers.get("feels_unsafe") is True,
        prefers_adviceline=bool(answers.get("prefers_adviceline")),
        include_transcript=include_transcript,
        guidance_given=list(answers.get("guidance_given") or []),
        member_questions=int(answers.get("member_questions") or 0),
        transcript=list(transcript or []) if include_transcript else [],
        conversation_id=conversation_id,
    )


def triage_answers(answers: Mapping[str, Any], now: datetime | None = None, nation: str | None = None) -> Triage:
    """The urgency and route the answers lead to, before the directory is asked (which questions to ask)."""
    return triage(case_from_answers(answers), today=uk_now(now).date(), nation=nation)


def prepare_case(
    uow: UnitOfWork,
    answers: Mapping[str, Any],
    now: datetime,
    *,
    reference: str | None = None,
    nation: str | None = None,
    conversation_id: str | None = None,
    transcript: list[dict[str, str]] | None = None,
) -> PreparedCase:
    """Build, triage and route the case, giving it a reference unless it has one already.

    The destination comes from the directory as it is now: the triage's route resolved
    with the `work_area` answer (a rep at the workplace, the area's branch, or the AdviceLine).
    """
    case = case_from_answers(answers, conversation_id, transcript)
    decision = triage(case, today=uk_now(now).date(), nation=nation)
    with uow:
        directory = uow.directory.directory()
    routed = route(directory, decision, answers.get("work_area"), case.workplace)
    return PreparedCase(
        reference or new_reference(now), case, routed.triage, routed.destination, answers.get("consent_given_at")
    )
