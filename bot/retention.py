"""Retention: cases and conversations older than the configured number of days are deleted.

Run by a scheduler (cron, a Kubernetes CronJob) as `python -m bot.entrypoints.cli retention run`.
Cases go with their delivery jobs and claims; before they go, each is added to
an anonymous monthly count by type, urgency and route (`case_counts`) when
anonymising is on, so the union keeps its figures without anyone's details.
Conversations go from Rasa's SQL tracker store, whole sessions at a time.
The run itself is recorded in the audit log.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.case_records import Case
from bot.inbox.audit import record
from bot.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.storage.tracker_events import TrackerEvents

log = logging.getLogger(__name__)

RETENTION_ACTOR = "retention"
RETENTION_RUN = "retention_run"
UK = ZoneInfo("Europe/London")
BATCH = 500

CountKey = tuple[str, str, str, str]  # month, case type, urgency, route


@dataclass(frozen=True)
class RetentionPolicy:
    """How long cases and conversations are kept, and whether counts survive them."""

    days: int
    anonymise: bool = True

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("retention must keep data for at least one day")

    def cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days)


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    cases: int
    deliveries: int
    counted: int
    tracker_events: int
    dry_run: bool

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"{verb} {self.cases} cases ({self.deliveries} delivery records, {self.counted} kept as counts) "
            f"and {self.tracker_events} conversation events older than {self.cutoff:%Y-%m-%d %H:%M} UTC"
        )


def month_of(when: datetime) -> str:
    """The UK calendar month a case arrived in, as "YYYY-MM"."""
    return when.astimezone(UK).strftime("%Y-%m")


def count_key(case: Case) -> CountKey:
    return month_of(case.created_at), case.case_type, case.urgency, case.route


def tally(found: Iterable[Case]) -> Counter[CountKey]:
    return Counter(count_key(c) for c in found)


def run_retention(
    uow: UnitOfWork,
    policy: RetentionPolicy,
    now: datetime,
    tracker: TrackerEvents | None = None,
    *,
    dry_run: bool = False,
) -> RetentionReport:
    """Delete (or with `dry_run` only count) everything older than the policy allows."""
    cutoff = policy.cutoff(now)
    cases, deliveries, counted = _expire_cases(uow, policy, cutoff, dry_run)
    events = tracker.prune(cutoff, dry_run=dry_run) if tracker is not None else 0
    report = RetentionReport(cutoff, cases, deliveries, counted, events, dry_run)
    if not dry_run:
        with uow:
            record(uow, now, RETENTION_ACTOR, RETENTION_RUN, detail=report.summary())
            uow.commit()
    log.info("retention: %s", report.summary())
    return report


def _expire_cases(
    uow: UnitOfWork, policy: RetentionPolicy, cutoff: datetime, dry_run: bool
) -> tuple[int, int, int]:
    """(cases, delivery records, cases counted): batches of the oldest cases, each
    counted and deleted in one transaction, so an interrupted run loses no counts."""
    if dry_run:
        with uow:
            cases, deliveries = uow.retention.count_created_before(cutoff)
        return cases, deliveries, cases if policy.anonymise else 0
    cases = deliveries = 0
    while True:
        with uow:
            batch = uow.retention.cases_created_before(cutoff, limit=BATCH)
            references = [c.reference for c in batch]
            deliveries += uow.retention.count_deliveries_for(references)
            if policy.anonymise:
                for (month, case_type, urgency, route), n in tally(batch).items():
                    uow.retention.add_to_count(month, case_type, urgency, route, n)
            uow.retention.delete_cases(references)
            uow.commit()
        cases += len(batch)
        if len(batch) < BATCH:
            return cases, deliveries, cases if policy.anonymise else 0
