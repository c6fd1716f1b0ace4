"""Escalation: no case sits unseen with a destination that cannot, or does not, take it.

A case goes to the AdviceLine when, at a branch or a rep,

- a delivery to that destination is dead (its webhook kept refusing, its mail server
  turned the notice away) and nobody there has claimed the case;
- the destination has left the directory while the case still had a delivery to it
  waiting (or dead): there is nobody left to send it to;
- it is urgent and nobody there has claimed it within ESCALATE_AFTER_WORKING_HOURS
  working hours (the AdviceLine's: Monday to Friday 9am to 7pm UK time, not on bank
  holidays) of it reaching them.

The rule (`reason_to_escalate`) is a pure function of the case's facts, so it is
tested with a fake clock and no database; `escalate_due` applies it in the worker:
the case's destination becomes the AdviceLine, the stored payload names it, a job per
AdviceLine channel is queued (`enqueue_for`), and the audit log says why, in one
transaction per case (`bot.inbox.cases.move_case`, as pass-on does).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.adviceline import CLOSES_AT, OPENS_AT
from bot.case_records import DEAD, IN_FLIGHT, PENDING, Case, Delivery
from bot.directory.model import ADVICELINE_ID, Destination, Directory
from bot.inbox.cases import move_case
from bot.uk_calendar import UK_TZ, is_working_day
from bot.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

ESCALATED = "case_escalated"
ACTOR = "delivery worker"
UNFINISHED = (PENDING, IN_FLIGHT)


@dataclass(frozen=True)
class CaseFacts:
    """What the rule looks at for one case held by a destination other than the AdviceLine."""

    destination_id: str
    destination_name: str | None  # None: no longer in the directory
    urgent: bool
    claimed: bool
    closed: bool
    jobs: tuple[Delivery, ...]  # the case's jobs to this destination


def reason_to_escalate(facts: CaseFacts, now: datetime, after_working_hours: float, nation: str | None = None) -> str | None:
    """Why the case must go to the AdviceLine now, or None. Reasons name no personal data."""
    if facts.destination_id == ADVICELINE_ID or facts.closed:
        return None
    states = {job.state for job in facts.jobs}
    if facts.destination_name is None:
        if states & {*UNFINISHED, DEAD}:
            return f"{facts.destination_id} is no longer in the directory"
        return None
    if facts.claimed:
        return None
    dead = [job for job in facts.jobs if job.state == DEAD]
    if dead:
        return f"{dead[0].channel} delivery to {facts.destination_id} failed ({dead[0].last_error or 'dead'})"[:200]
    if facts.urgent and after_working_hours > 0 and facts.jobs:
        since = min(job.created_at for job in facts.jobs)
        if working_hours_between(since, now, nation) >= after_working_hours:
            return f"urgent and not claimed at {facts.destination_id} within {after_working_hours:g} working hours"
    return None


def working_hours_between(start: datetime, end: datetime, nation: str | None = None) -> float:
    """Hours of AdviceLine opening time (working days, 9am to 7pm UK time) from `start` to `end`."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(UK_TZ), end.astimezone(UK_TZ)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day, nation):
            opens = datetime.combine(day, OPENS_AT, tzinfo=UK_TZ)
            closes = datetime.combine(day, CLOSES_AT, tzinfo=UK_TZ)
            overlap = min(closes, end) - max(opens, start)
            total += max(overlap, timedelta())
        day += timedelta(days=1)
    return total.total_seconds() / 3600


# --- applying it -------------------------------------------------------------------------


def escalate_due(
    uow: UnitOfWork, now: datetime, after_working_hours: float, nation: str | None = None, limit: int = 100
) -> list[tuple[str, str]]:
    """Escalate every case the rule says must go to the AdviceLine; returns (reference, reason)."""
    done: list[tuple[str, str]] = []
    with uow:
        directory = uow.directory.directory()
        candidates = uow.cases.escalation_candidates(ADVICELINE_ID, limit)
    for reference in candidates:
        reason = _escalate_one(uow, reference, now, after_working_hours, nation, directory)
        if reason:
            done.append((reference, reason))
    return done


def _escalate_one(
    uow: UnitOfWork, reference: str, now: datetime, after_hours: float, nation: str | None, directory: Directory
) -> str | None:
    with uow:
        case = uow.inbox_cases.lock(reference)
        if case is None or (case.destination_id or ADVICELINE_ID) == ADVICELINE_ID:
            return None
        facts = _facts(uow, case, directory)
        reason = reason_to_escalate(facts, now, after_hours, nation)
        if reason is None:
            return None
        # The hand-over (its jobs still waiting are stopped there) pass-on uses (bot.inbox.cases): destination, payload, claim, jobs, audit.
        move_case(uow, case, directory.adviceline, ACTOR, ESCALATED, reason[:150], now)
        uow.commit()
    log.warning("case %s escalated to the AdviceLine: %s", reference, reason)
    return reason


def _facts(uow: UnitOfWork, case: Case, directory: Directory) -> CaseFacts:
    destination_id = case.destination_id or ADVICELINE_ID
    destination: Destination | None = directory.get(destination_id)
    jobs = tuple(job for job in uow.deliveries.for_case(case.reference) if job.destination_id == destination_id)
    return CaseFacts(
        destination_id=destination_id,
        destination_name=destination.name if destination else None,
        urgent=case.urgency == "urgent",
        claimed=uow.claims.get(case.reference) is not None,
        closed=case.status == "closed",
        jobs=jobs,
    )
