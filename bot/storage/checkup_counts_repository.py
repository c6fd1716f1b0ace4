"""Anonymous tallies of check-up answers: one row per month, check-up, item and outcome.

Many members can finish a check-up at the same moment, so a tally is added to
with one atomic upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and
PostgreSQL alike) rather than read-then-write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.orm import checkup_counts

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class Tally(NamedTuple):
    kind: str
    item: str
    outcome: str
    count: int


class CheckupCountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, month: str, kind: str, outcomes: Mapping[str, str]) -> None:
        """Add one to the tally of each (item, outcome) pair for this month."""
        if not outcomes:
            return
        insert = _INSERTS[self._session.get_bind().dialect.name]
        rows = [
            {"month": month, "kind": kind, "item": item, "outcome": outcome, "count": 1}
            for item, outcome in sorted(outcomes.items())  # a fixed order, so concurrent upserts never deadlock
        ]
        statement = insert(checkup_counts).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["month", "kind", "item", "outcome"],
            set_={"count": checkup_counts.c.count + 1},
        )
        self._session.execute(statement)

    def totals(self, since_month: str | None = None) -> list[Tally]:
        """Counts summed over months (from `since_month`, "YYYY-MM", if given)."""
        query = select(
            checkup_counts.c.kind, checkup_counts.c.item, checkup_counts.c.outcome, func.sum(checkup_counts.c.count)
        ).group_by(checkup_counts.c.kind, checkup_counts.c.item, checkup_counts.c.outcome)
        if since_month:
            query = query.where(checkup_counts.c.month >= since_month)
        return [Tally(kind, item, outcome, int(n)) for kind, item, outcome, n in self._session.execute(query)]
