"""Anonymous tallies of check-up answers: one row per month, check-up, item and outcome.

Many members can finish a check-up at the same moment, so a tally is added to
with one atomic upsert (`bot.storage.tallies`) rather than read-then-write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.orm import checkup_counts
from bot.storage.tallies import add_to_tallies


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
        rows = [{"month": month, "kind": kind, "item": item, "outcome": outcome, "count": 1}
                for item, outcome in outcomes.items()]
        add_to_tallies(self._session, checkup_counts, ("month", "kind", "item", "outcome"), rows)

    def totals(self, since_month: str | None = None) -> list[Tally]:
        """Counts summed over months (from `since_month`, "YYYY-MM", if given)."""
        query = select(
            checkup_counts.c.kind, checkup_counts.c.item, checkup_counts.c.outcome, func.sum(checkup_counts.c.count)
        ).group_by(checkup_counts.c.kind, checkup_counts.c.item, checkup_counts.c.outcome)
        if since_month:
            query = query.where(checkup_counts.c.month >= since_month)
        return [Tally(kind, item, outcome, int(n)) for kind, item, outcome, n in self._session.execute(query)]
