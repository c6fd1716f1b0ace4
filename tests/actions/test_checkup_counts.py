"""The check-up actions and the anonymous counts: kept only when switched on, and then only tallies."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, select

from actions.checkups import ActionCheckupDone, ActionStartCheckup
from bot import checkups
from bot.settings import get_settings
from bot.storage.orm import checkup_counts

FINISHED = {checkups.slot_name("personal_checkup", item.key): item.good for item in checkups.PERSONAL_ITEMS}
FINISHED[checkups.slot_name("personal_checkup", "regret")] = "yes"


@pytest.fixture
def counting(case_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHECKUP_COUNTS", "1")
    get_settings.cache_clear()
    return case_store


def tallies(url: str) -> dict[tuple[str, str], int]:
    engine = create_engine(url, future=True, poolclass=pool.NullPool)
    with engine.connect() as conn:
        found = {(r.item, r.outcome): r.count for r in conn.execute(select(checkup_counts))}
    engine.dispose()
    return found


def reported(result) -> bool:
    """The member got their report (the web chat's download payload)."""
    return any((m.get("custom") or {}).get("report") for m in result.messages)


def finish(tracker, run):
    slots = {"checkup_status": "active", "checkup_kind": "personal_checkup", **FINISHED}
    return run(ActionCheckupDone(), tracker(slots, "no", sender_id="conv-private-42"))


def test_off_by_default_nothing_is_stored_and_the_member_is_told_so(case_store, tracker, run) -> None:
    intro = run(ActionStartCheckup(), tracker({}, "check my accounts", "start_checkup", 0.9))
    assert "Nothing you answer is stored." in intro.text
    assert reported(finish(tracker, run))
    assert tallies(case_store) == {}


def test_when_on_the_intro_says_so_and_a_finished_checkup_adds_tallies_only(counting, tracker, run) -> None:
    intro = run(ActionStartCheckup(), tracker({}, "review our policy", "start_policy_review", 0.9))
    assert "anonymous totals" in intro.text and "Nothing you answer is stored." not in intro.text
    finish(tracker, run)
    finish(tracker, run)
    found = tallies(counting)
    assert found[("regret", "missing")] == 2 and found[("privacy_checked", "met")] == 2
    assert sum(found.values()) == 2 * len(checkups.PERSONAL_ITEMS)
    assert not any("conv-private-42" in str(key) for key in found)


def test_a_stopped_checkup_adds_nothing(counting, tracker, run) -> None:
    slots = {"checkup_kind": "personal_checkup", **FINISHED}  # not active: stopped, or already reported
    run(ActionCheckupDone(), tracker(slots, "stop"))
    assert tallies(counting) == {}


def test_a_database_failure_still_gives_the_member_their_report(counting, tracker, run, monkeypatch, caplog) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody:wrong@127.0.0.1:1/none")
    get_settings.cache_clear()
    done = finish(tracker, run)
    assert reported(done)
    assert "check-up counts not updated" in caplog.text
