"""Retention and erasure on SQLite and PostgreSQL: what goes, what stays, what is counted and audited."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, pool, select

from bot.clock import utc_now
from bot.entrypoints import cli
from bot.erasure import CASE_ERASED, ErasureRefused, erase_case
from bot.retention import RETENTION_RUN, RetentionPolicy, month_of, run_retention
from bot.storage import record_case
from bot.storage.orm import audit_log, case_claims
from bot.storage.tracker_events import TrackerEvents, events, tracker_metadata

NOW = utc_now()


@pytest.fixture
def tracker(database_url: str) -> TrackerEvents:
    """Rasa's `events` table, here in the case database (production keeps it in its own)."""
    engine = create_engine(database_url, future=True, poolclass=pool.NullPool)
    tracker_metadata.drop_all(engine)
    tracker_metadata.create_all(engine)
    yield TrackerEvents(engine)
    tracker_metadata.drop_all(engine)
    engine.dispose()


def store(uow_factory, make_payload, reference: str, age: timedelta, **kwargs) -> None:
    created = NOW - age
    payload = make_payload(reference, created_at=created, conversation_id=f"conv-{reference.lower()}", **kwargs)
    assert record_case(uow_factory(), payload, now=created)


def add_events(tracker: TrackerEvents, sender: str, rows: list[tuple[str, datetime]]) -> None:
    with tracker._engine.begin() as conn:
        for type_name, at in rows:
            conn.execute(insert(events).values(sender_id=sender, type_name=type_name, timestamp=at.timestamp(), data="{}"))


def references(uow_factory) -> list[str]:
    with uow_factory() as uow:
        return sorted(row.case.reference for row in uow.cases.list())


def audit(uow_factory) -> list[tuple[str, str | None, str | None, str | None]]:
    with uow_factory() as uow:
        rows = uow.session.execute(select(audit_log.c.action, audit_log.c.actor, audit_log.c.case_reference, audit_log.c.detail))
        return [tuple(r) for r in rows]


# --- retention ----------------------------------------------------------------------


def test_old_cases_go_with_their_deliveries_and_are_counted(database_url, uow_factory, make_payload) -> None:
    store(uow_factory, make_payload, "NEU-OLD001", timedelta(days=400), urgency="urgent", route="adviceline")
    store(uow_factory, make_payload, "NEU-OLD002", timedelta(days=400, hours=1), urgency="urgent", route="adviceline")
    store(uow_factory, make_payload, "NEU-OLD003", timedelta(days=370), urgency="routine", route="local_branch", case_type="accused")
    store(uow_factory, make_payload, "NEU-NEW001", timedelta(days=10))
    report = run_retention(uow_factory(), RetentionPolicy(365), NOW)
    assert (report.cases, report.deliveries, report.counted) == (3, 3, 3)
    assert references(uow_factory) == ["NEU-NEW001"]
    with uow_factory() as uow:
        assert [d.case_reference for d in uow.deliveries.list()] == ["NEU-NEW001"]
        counts = {(c.month, c.case_type, c.urgency, c.route): c.count for c in uow.retention.counts()}
    expected = Counter(
        [
            (month_of(NOW - timedelta(days=400)), "targeted", "urgent", "adviceline"),
            (month_of(NOW - timedelta(days=400, hours=1)), "targeted", "urgent", "adviceline"),
            (month_of(NOW - timedelta(days=370)), "accused", "routine", "local_branch"),
        ]
    )
    assert counts == dict(expected)
    assert [a[0] for a in audit(uow_factory)] == [RETENTION_RUN]


def test_counts_accumulate_across_runs_and_can_be_switched_off(database_url, uow_factory, make_payload) -> None:
    store(uow_factory, make_payload, "NEU-OLD001", timedelta(days=40))
    run_retention(uow_factory(), RetentionPolicy(30), NOW)
    store(uow_factory, make_payload, "NEU-OLD002", timedelta(days=40))
    run_retention(uow_factory(), RetentionPolicy(30), NOW)
    store(uow_factory, make_payload, "NEU-OLD003", timedelta(days=40))
    report = run_retention(uow_factory(), RetentionPolicy(30, anonymise=False), NOW)
    assert report.cases == 1 and report.counted == 0
    with uow_factory() as uow:
        assert [c.count for c in uow.retention.counts()] == [2]
    assert references(uow_factory) == []


def test_counts_added_to_at_once_are_all_kept(database_url, uow_factory) -> None:
    """A retention run and erasures adding to the same new month at the same moment.

    Each transaction adds while the others are open too (a barrier lines them up), so a
    read-then-insert would see no row in every one of them and all but one would fail
    on the unique constraint on PostgreSQL; the upsert keeps every addition. (SQLite
    transactions never overlap here: every one begins IMMEDIATE.)
    """
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises these transactions (BEGIN IMMEDIATE): nothing can overlap")
    workers = 8
    lined_up = threading.Barrier(workers, timeout=30)

    def add(n: int) -> None:
        with uow_factory() as uow:
            uow.session.execute(select(1))  # the transaction is open
            lined_up.wait()
            uow.retention.add_to_count("2026-11", "accused", "urgent", "adviceline", n)
            uow.commit()

    with ThreadPoolExecutor(max_workers=workers) as pool_:
        list(pool_.map(add, range(1, workers + 1)))
    with uow_factory() as uow:
        counts = [(c.month, c.case_type, c.urgency, c.route, c.count) for c in uow.retention.counts()]
    assert counts == [("2026-11", "accused", "urgent", "adviceline", sum(range(1, workers + 1)))]


def test_a_dry_run_changes_nothing(database_url, uow_factory, make_payload, tracker) -> None:
    store(uow_factory, make_payload, "NEU-OLD001", timedelta(days=40))
    add_events(tracker, "old-conversation", [("session_started", NOW - timedelta(days=40))])
    report = run_retention(uow_factory(), RetentionPolicy(30), NOW, tracker, dry_run=True)
    assert (report.cases, report.tracker_events, report.dry_run) == (1, 1, True)
    assert references(uow_factory) == ["NEU-OLD001"] and tracker.count() == 1
    assert audit(uow_factory) == []


def test_claimed_cases_go_too(database_url, uow_factory, make_payload) -> None:
    store(uow_factory, make_payload, "NEU-OLD001", timedelta(days=40))
    with uow_factory() as uow:
        uow.session.execute(insert(case_claims).values(case_reference="NEU-OLD001", adviser_email="a@neu.org.uk", claimed_at=NOW))
        uow.commit()
    assert run_retention(uow_factory(), RetentionPolicy(30), NOW).cases == 1
    with uow_factory() as uow:
        assert uow.session.execute(select(case_claims)).all() == []


def test_more_cases_than_one_batch(database_url, uow_factory, make_payload, monkeypatch) -> None:
    monkeypatch.setattr("bot.retention.BATCH", 3)
    for i in range(7):
        store(uow_factory, make_payload, f"NEU-OLD{i:03d}", timedelta(days=40, minutes=i))
    assert run_retention(uow_factory(), RetentionPolicy(30), NOW).cases == 7
    assert references(uow_factory) == []


def test_tracker_events_go_whole_sessions_at_a_time(database_url, uow_factory, tracker) -> None:
    old, older, recent = NOW - timedelta(days=40), NOW - timedelta(days=50), NOW - timedelta(days=1)
    # A conversation nobody has touched since before the cutoff: all of it goes.
    add_events(tracker, "stale", [("session_started", older), ("user", older), ("bot", old)])
    # A returning member: the old session goes, the current one stays whole.
    add_events(tracker, "returning", [("session_started", older), ("user", older), ("session_started", recent), ("user", recent)])
    # A session that began before the cutoff and is still going stays whole.
    add_events(tracker, "long", [("session_started", old), ("user", old), ("user", recent)])
    report = run_retention(uow_factory(), RetentionPolicy(30), NOW, tracker)
    assert report.tracker_events == 5
    assert tracker.count("stale") == 0 and tracker.count("returning") == 2 and tracker.count("long") == 3


def test_no_tracker_table_yet_is_fine(database_url, uow_factory) -> None:
    engine = create_engine(database_url, future=True, poolclass=pool.NullPool)
    tracker_metadata.drop_all(engine)
    assert run_retention(uow_factory(), RetentionPolicy(30), NOW, TrackerEvents(engine)).tracker_events == 0
    engine.dispose()


def test_a_policy_must_keep_something() -> None:
    with pytest.raises(ValueError):
        RetentionPolicy(0)


# --- erasure on request -------------------------------------------------------------------


def test_an_adviser_erases_a_case_and_its_conversation(database_url, uow_factory, make_payload, tracker) -> None:
    store(uow_factory, make_payload, "NEU-ERASE1", timedelta(days=2))
    store(uow_factory, make_payload, "NEU-KEEP01", timedelta(days=2))
    add_events(tracker, "conv-neu-erase1", [("session_started", NOW), ("user", NOW)])
    add_events(tracker, "conv-neu-keep01", [("session_started", NOW)])
    erased = erase_case(uow_factory(), "NEU-ERASE1", "Jo Adviser", "member asked by email", NOW, tracker)
    assert erased.conversation_events == 2
    assert references(uow_factory) == ["NEU-KEEP01"]
    assert tracker.count("conv-neu-erase1") == 0 and tracker.count("conv-neu-keep01") == 1
    assert audit(uow_factory) == [
        (CASE_ERASED, "Jo Adviser", "NEU-ERASE1", "member asked by email (conversation events erased: 2)")
    ]
    with uow_factory() as uow:
        assert sum(c.count for c in uow.retention.counts()) == 1


def test_erasure_needs_a_name_and_a_reason(database_url, uow_factory, make_payload) -> None:
    store(uow_factory, make_payload, "NEU-ERASE1", timedelta(days=2))
    with pytest.raises(ErasureRefused):
        erase_case(uow_factory(), "NEU-ERASE1", " ", "because", NOW)
    with pytest.raises(LookupError):
        erase_case(uow_factory(), "NEU-NOSUCH", "Jo", "because", NOW)
    assert references(uow_factory) == ["NEU-ERASE1"] and audit(uow_factory) == []


# --- the commands -------------------------------------------------------------------------


def test_cli_erase_and_retention(database_url, uow_factory, make_payload, tracker, capsys, monkeypatch) -> None:
    url = database_url
    monkeypatch.setenv("RETENTION_DAYS", "30")
    from bot.settings import get_settings

    get_settings.cache_clear()
    store(uow_factory, make_payload, "NEU-ERASE1", timedelta(days=2))
    store(uow_factory, make_payload, "NEU-OLD001", timedelta(days=45))
    tracker_url = tracker._engine.url.render_as_string(hide_password=False)
    argv = ["--database-url", url, "cases", "erase", "neu-erase1", "--by", "Jo", "--reason", "member's request"]
    assert cli.main([*argv, "--tracker-store-url", tracker_url]) == 0
    out = capsys.readouterr().out
    assert "NEU-ERASE1: erased" in out and "0 stored events erased" in out and "adviser system" in out
    assert cli.main(["--database-url", url, "cases", "erase", "NEU-ERASE1", "--by", "Jo", "--reason", "again"]) == 1
    assert cli.main(["--database-url", url, "retention", "run", "--dry-run"]) == 0
    assert "would delete 1 cases" in capsys.readouterr().out
    assert cli.main(["--database-url", url, "retention", "run", "--tracker-store-url", tracker_url]) == 0
    assert "deleted 1 cases" in capsys.readouterr().out
    assert cli.main(["--database-url", url, "retention", "counts"]) == 0
    counts = capsys.readouterr().out.splitlines()
    assert counts[0].split() == ["MONTH", "CASE", "TYPE", "URGENCY", "ROUTE", "CASES"] and len(counts) >= 2
    assert references(uow_factory) == []
    get_settings.cache_clear()


def test_timestamps_are_unix_seconds_like_rasa() -> None:
    """The events table stores time.time() floats; the cutoff compares like for like."""
    assert abs(utc_now().timestamp() - time.time()) < 5
