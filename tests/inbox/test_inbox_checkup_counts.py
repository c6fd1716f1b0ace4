"""Anonymous check-up counts on SQLite and PostgreSQL: what a finished check-up adds, who may read the totals."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, pool, select

from bot import checkups
from bot.checkup_counts import COUNTS_VIEWED, read_checkup_counts, record_checkup, summarise
from bot.inbox.audit import ACCESS_DENIED
from bot.inbox.workflow import NotAllowed
from bot.storage.checkup_counts_repository import Tally
from bot.storage.orm import checkup_counts

NOVEMBER = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
# 23:30 UTC on 31 March 2027 is 00:30 on 1 April in the UK (BST), the month the union reports in.
END_OF_MARCH_UTC = datetime(2027, 3, 31, 23, 30, tzinfo=timezone.utc)

ALL_MET = {item.key: item.good for item in checkups.POLICY_ITEMS}
NO_POLICY = {**ALL_MET, "policy_exists": "no", "misuse_reporting": "partly", "union_consultation": "not sure"}


def rows(url: str) -> list[dict]:
    engine = create_engine(url, future=True, poolclass=pool.NullPool)
    with engine.connect() as conn:
        found = [dict(r) for r in conn.execute(select(checkup_counts)).mappings()]
    engine.dispose()
    return found


def by_key(summary) -> dict[str, tuple[int, int, int]]:
    return {c.item.key: (c.met, c.partly, c.missing) for c in summary.items}


def test_a_finished_review_adds_one_per_question_and_nothing_else(uow_factory, database_url) -> None:
    record_checkup(uow_factory(), "policy_review", ALL_MET, NOVEMBER)
    record_checkup(uow_factory(), "policy_review", NO_POLICY, NOVEMBER)
    stored = rows(database_url)
    assert len(stored) == len(checkups.POLICY_ITEMS) + 3  # one row per (question, outcome) seen
    assert {r["month"] for r in stored} == {"2026-11"} and {r["kind"] for r in stored} == {"policy_review"}
    assert {r["outcome"] for r in stored} == {"met", "partly", "missing"}
    assert set(stored[0]) == {"id", "month", "kind", "item", "outcome", "count"}  # no answer text, no conversation
    with uow_factory() as uow:
        policy, personal = summarise(uow.checkup_counts.totals())
    counts = by_key(policy)
    assert counts["policy_exists"] == (1, 0, 1) and counts["misuse_reporting"] == (1, 1, 0)
    assert counts["union_consultation"] == (1, 0, 1)  # "not sure" is a gap worth checking
    assert counts["awareness"] == (2, 0, 0) and policy.completed == 2
    assert personal.completed == 0 and all(c.answered == 0 for c in personal.items)


def test_the_most_often_missed_come_first(uow_factory) -> None:
    for _ in range(3):
        record_checkup(uow_factory(), "policy_review", {**ALL_MET, "home_laptops": "no"}, NOVEMBER)
    record_checkup(uow_factory(), "policy_review", {**ALL_MET, "policy_exists": "partly"}, NOVEMBER)
    with uow_factory() as uow:
        policy = summarise(uow.checkup_counts.totals())[0]
    assert [c.item.key for c in policy.items[:2]] == ["home_laptops", "policy_exists"]
    assert policy.items[0].gap_share == 0.75 and policy.items[1].gap_share == 0.25


def test_months_are_uk_months_and_can_be_filtered(uow_factory, database_url) -> None:
    record_checkup(uow_factory(), "personal_checkup", {"regret": "no", "privacy_checked": "yes"}, END_OF_MARCH_UTC)
    record_checkup(uow_factory(), "personal_checkup", {"regret": "yes", "privacy_checked": "no"}, NOVEMBER)
    assert {r["month"] for r in rows(database_url)} == {"2027-04", "2026-11"}
    with uow_factory() as uow:
        recent = summarise(uow.checkup_counts.totals(since_month="2027-01"))[1]
    assert by_key(recent)["regret"] == (1, 0, 0) and by_key(recent)["privacy_checked"] == (1, 0, 0)


def test_members_finishing_at_once_are_all_counted(uow_factory) -> None:
    """An atomic upsert per tally: no lost update, no duplicate-key error, on either database."""
    with ThreadPoolExecutor(max_workers=8) as pool_:
        list(pool_.map(lambda _: record_checkup(uow_factory(), "policy_review", NO_POLICY, NOVEMBER), range(40)))
    with uow_factory() as uow:
        policy = summarise(uow.checkup_counts.totals())[0]
    assert policy.completed == 40 and by_key(policy)["policy_exists"] == (0, 0, 40)


def test_only_admins_read_the_counts_and_every_reading_is_audited(uow_factory, admin, adviser) -> None:
    record_checkup(uow_factory(), "policy_review", NO_POLICY, NOVEMBER)
    summaries = read_checkup_counts(uow_factory(), admin, NOVEMBER)
    assert [s.kind for s in summaries] == ["policy_review", "personal_checkup"]
    with pytest.raises(NotAllowed):
        read_checkup_counts(uow_factory(), adviser, NOVEMBER)
    with uow_factory() as uow:
        logged = [(e.actor, e.action, e.detail) for e in uow.audit.latest(10)]
    assert (admin.email, COUNTS_VIEWED, None) in logged
    assert (adviser.email, ACCESS_DENIED, "check-up counts") in logged


def test_summarise_ignores_items_the_sheet_no_longer_has() -> None:
    """A question removed from the check-up later must not break the page."""
    tallies = [Tally("policy_review", "retired_question", "missing", 5), Tally("policy_review", "awareness", "met", 2)]
    policy = summarise(tallies)[0]
    assert "retired_question" not in by_key(policy) and by_key(policy)["awareness"] == (2, 0, 0)
