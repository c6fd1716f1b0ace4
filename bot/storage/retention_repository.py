"""Queries for retention and erasure: old cases, deleting cases, the anonymous counts.

Kept apart from `repository.py` so the adviser-facing queries and the
data-protection ones can change independently; both share the unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.case_records import Case, CaseCount
from bot.storage.orm import case_counts, cases, deliveries
from bot.storage.tallies import add_to_tallies


class RetentionRepository:
    """Finding and deleting cases by age, and the counts kept in their place."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def cases_created_before(self, cutoff: datetime, limit: int | None = None) -> list[Case]:
        """Oldest first, so a bounded run removes the oldest cases first."""
        query = select(Case).where(cases.c.created_at < cutoff).order_by(cases.c.created_at, cases.c.id)
        if limit:
            query = query.limit(limit)
        return list(self._session.execute(query).scalars())

    def count_created_before(self, cutoff: datetime) -> tuple[int, int]:
        """How many cases, and delivery records of theirs, are older than `cutoff`."""
        old = cases.c.created_at < cutoff
        n_cases = self._session.execute(select(func.count()).select_from(cases).where(old)).scalar_one()
        n_deliveries = self._session.execute(
            select(func.count())
            .select_from(deliveries.join(cases, deliveries.c.case_reference == cases.c.reference))
            .where(old)
        ).scalar_one()
        return int(n_cases), int(n_deliveries)

    def count_deliveries_for(self, references: Sequence[str]) -> int:
        if not references:
            return 0
        query = select(func.count()).where(deliveries.c.case_reference.in_(references))
        return int(self._session.execute(query).scalar_one())

    def delete_cases(self, references: Sequence[str]) -> int:
        """Delete cases; their delivery jobs and claims go with them (ON DELETE CASCADE)."""
        if not references:
            return 0
        self._session.flush()
        # Delivery rows are deleted explicitly as well, so nothing depends on the
        # connection having foreign keys switched on.
        self._session.execute(delete(deliveries).where(deliveries.c.case_reference.in_(references)))
        result = self._session.execute(delete(cases).where(cases.c.reference.in_(references)))
        return int(result.rowcount)

    def add_to_count(self, month: str, case_type: str, urgency: str, route: str, n: int = 1) -> None:
        """Add `n` to one month's count of one kind of case, atomically (a retention run and an
        erasure may add to the same new month at once)."""
        row = {"month": month, "case_type": case_type, "urgency": urgency, "route": route, "count": n}
        add_to_tallies(self._session, case_counts, ("month", "case_type", "urgency", "route"), [row])

    def counts(self) -> list[CaseCount]:
        query = select(CaseCount).order_by(
            case_counts.c.month, case_counts.c.case_type, case_counts.c.urgency, case_counts.c.route
        )
        return list(self._session.execute(query).scalars())
