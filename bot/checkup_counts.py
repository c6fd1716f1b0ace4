"""Anonymous counts of check-up answers, so the union can see which advice is most often missed.

Off unless CHECKUP_COUNTS is set. When on, a finished check-up adds one to a
monthly tally per question and outcome (met, partly, missing): no answer text,
no conversation id, no time finer than the month, so a tally cannot be traced
to a member or a school. Stopped check-ups add nothing. Admins read the totals
in the inbox; reading them is audited like the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot import checkups
from bot.inbox.audit import admin_read
from bot.inbox.model import Adviser
from bot.retention import month_of
from bot.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.storage.checkup_counts_repository import Tally

COUNTS_VIEWED = "checkup_counts_viewed"
TITLES = {"policy_review": "Policy reviews (leaders)", "personal_checkup": "Personal check-ups (members)"}


def record_checkup(uow: UnitOfWork, kind: str, answers: Mapping[str, str | None], now: datetime) -> None:
    """Add a finished check-up's outcomes to this month's tallies (its answers themselves are not kept)."""
    outcomes = checkups.outcomes_of(checkups.CHECKUPS[kind], answers)
    with uow:
        uow.checkup_counts.add(month_of(now), kind, outcomes)
        uow.commit()


@dataclass(frozen=True)
class ItemCounts:
    item: checkups.Item
    met: int = 0
    partly: int = 0
    missing: int = 0

    @property
    def answered(self) -> int:
        return self.met + self.partly + self.missing

    @property
    def gap_share(self) -> float:
        """Partly or missing, as a share of those who answered (0 if nobody has)."""
        return (self.partly + self.missing) / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class CheckupCounts:
    kind: str
    title: str
    items: list[ItemCounts]  # most often missed first

    @property
    def completed(self) -> int:
        """Every question of a finished check-up is answered, so the most-answered item counts them."""
        return max((i.answered for i in self.items), default=0)


def summarise(tallies: Iterable[Tally]) -> list[CheckupCounts]:
    """Per check-up, each question's outcomes, the most often missed first (ties in the sheet's order)."""
    found: dict[tuple[str, str], dict[str, int]] = {}
    for tally in tallies:
        found.setdefault((tally.kind, tally.item), {})[tally.outcome] = tally.count
    summaries = []
    for kind, items in checkups.CHECKUPS.items():
        counted = [ItemCounts(item, **_known_outcomes(found.get((kind, item.key), {}))) for item in items]
        counted.sort(key=lambda c: -c.gap_share)  # stable: the sheet's order among equals
        summaries.append(CheckupCounts(kind, TITLES[kind], counted))
    return summaries


def _known_outcomes(counts: Mapping[str, int]) -> dict[str, int]:
    return {o: counts.get(o, 0) for o in (checkups.MET, checkups.PARTLY, checkups.MISSING)}


def read_checkup_counts(uow: UnitOfWork, actor: Adviser, now: datetime, since_month: str | None = None) -> list[CheckupCounts]:
    """The totals, for admins only (the same rule as the audit log); every reading is audited."""
    return admin_read(uow, actor, now, "check-up counts", COUNTS_VIEWED, lambda: summarise(uow.checkup_counts.totals(since_month)))
